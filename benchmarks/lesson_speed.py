"""How long the numbers take: reading a CSV or a JSON file and building the Lesson, for
growing data.

    .venv/bin/python benchmarks/lesson_speed.py

Prints one row per size: best of three runs, in seconds, measured in this process.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bce_core import build_lesson, load_dataset


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"{'points':>8} {'read CSV':>9} {'read JSON':>10} {'lesson':>8} {'total':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for n in (1_000, 10_000, 100_000):
            x = rng.normal(size=n)
            y = (x + rng.normal(size=n) > 0).astype(int)
            path = Path(folder) / f"{n}.csv"
            path.write_text("x,y\n" + "\n".join(f"{a:.6f},{b}" for a, b in zip(x, y, strict=True)))
            columns = Path(folder) / f"{n}.json"
            columns.write_text(json.dumps({"x": x.tolist(), "y": y.tolist()}))
            read = best_of(3, lambda path=path: load_dataset(path))
            read_json = best_of(3, lambda path=columns: load_dataset(path))
            dataset = load_dataset(path)
            lesson = best_of(3, lambda dataset=dataset: build_lesson(dataset))
            print(f"{n:>8} {read:>9.3f} {read_json:>10.3f} {lesson:>8.3f} {read + lesson:>8.3f}")


if __name__ == "__main__":
    main()
