"""The makespan of one film on N machines, projected from a render's own figures.

    .venv/bin/python benchmarks/goals.py --logs DIR        # keeps each render's progress
    .venv/bin/python benchmarks/makespan.py "DIR/bce-video-cold.txt" [--machines 4 8 23]

Reads a ``bce-video render``'s progress (stderr): each chapter's drawing seconds, when the
first chapter's drawing began and when the render ended. Then plays the film headless,
as a worker does to reach a chapter without drawing the ones before it, and times each
chapter so played. For each N, the chapters are shared out as bce-video shares them
(``bce_video.sharing.share_out``, by the measured cost), one share per machine, and a
machine's time is:

    the start          until the first chapter's drawing began (process start and the
                       narration, which the client makes before any task)
  + reaching           the headless play of every chapter before its last one that is
                       not its own
  + drawing            its own chapters

The makespan is the slowest machine's time plus the end: from the last chapter drawn to the
film published (the join, the sound track, the files). Drawing is measured on this
machine's cores, two workers at once; a machine of the cluster is taken to draw a chapter
as fast as one worker here.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

CHAPTER_LINE = re.compile(
    r"\] (\w+)\s+worker \d+\s+([\d.]+) s,\s+\d+ animations \(at\s+([\d.]+) s\)"
)
DONE_LINE = re.compile(r"done in ([\d.]+) s")


def read_progress(text: str) -> tuple[dict[str, float], dict[str, float], float]:
    """(drawing seconds per chapter, when each was done, when the render ended)."""
    drawing, done = {}, {}
    for name, seconds, at in CHAPTER_LINE.findall(text):
        drawing[name], done[name] = float(seconds), float(at)
    ended = DONE_LINE.search(text)
    if not drawing or not ended:
        sys.exit("no chapter lines or no 'done in' line: not a bce-video render's progress")
    return drawing, done, float(ended.group(1))


def reaching_seconds() -> dict[str, float]:
    """Each chapter's seconds played headless (the default film: its picture does not
    depend on the quality, so neither does this)."""
    from bce_film.caches import cache_dir
    from bce_film.options import FilmOptions
    from bce_film.preflight import play_headless

    started: dict[str, float] = {}
    seconds: dict[str, float] = {}

    def on_start(film) -> None:
        started[film.chapter] = time.perf_counter()

    def on_end(film) -> None:
        seconds[film.chapter] = time.perf_counter() - started[film.chapter]

    play_headless(
        FilmOptions(voice="none").inputs(),
        cache_dir(),
        on_chapter_start=on_start,
        on_chapter_end=on_end,
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("progress", type=Path, help="a bce-video render's stderr")
    parser.add_argument("--machines", type=int, nargs="+", default=[4, 8, 23])
    args = parser.parse_args()
    from bce_video.sharing import share_out
    from scenes.chapters import ORDER

    drawing, done, ended = read_progress(args.progress.read_text(encoding="utf-8"))
    missing = [name for name in ORDER if name not in drawing]
    if missing:
        sys.exit(f"the render drew no {', '.join(missing)}: a whole film's progress is needed")
    first = ORDER[0]
    start = done[first] - drawing[first]  # nothing to reach before the first chapter
    end = ended - max(done.values())
    reaching = reaching_seconds()
    print(f"from {args.progress}: {len(drawing)} chapters, {sum(drawing.values()):.1f} s drawn")
    print(f"start {start:.1f} s (until the first drawing); end {end:.1f} s (after the last)")
    print(f"reaching every chapter headless: {sum(reaching.values()):.1f} s")
    print(f"one machine, as measured: {ended:.1f} s\n")
    print(f"{'machines':>8} {'makespan s':>11} {'slowest: start + reaching + drawing + end':>44}")
    for machines in args.machines:
        times = []
        # In film order, as the render's own sharing gives them (by measured cost here).
        for share in share_out({name: drawing[name] for name in ORDER}, machines):
            mine = set(share)
            last = max(ORDER.index(name) for name in share)
            reach = sum(reaching[name] for name in ORDER[:last] if name not in mine)
            draw = sum(drawing[name] for name in share)
            times.append((start + reach + draw, reach, draw, share))
        slowest, reach, draw, share = max(times, key=lambda t: t[0])
        print(
            f"{machines:8d} {slowest + end:11.1f}   {start:.1f} + {reach:.1f} + {draw:.1f} + "
            f"{end:.1f}  ({', '.join(share)})"
        )
    longest = max(drawing, key=drawing.get)
    print(f"\nthe longest chapter: {longest}, {drawing[longest]:.1f} s drawn")


if __name__ == "__main__":
    main()
