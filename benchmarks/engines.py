"""Issue 24's figures, side by side in one run: Dask's distributed against Ray as the
engine behind ``--cluster``, and a batch of films on the local pool against a loopback
Dask cluster of two workers on the same cores.

    .venv/bin/python benchmarks/engines.py                      # about 3 minutes
    .venv/bin/python benchmarks/engines.py --ray-python /tmp/ray-venv/bin/python
    .venv/bin/python benchmarks/engines.py --whole              # whole films: ~30 min

Engines (each in its own process, with the Python it is installed for; an engine that
does not import there is reported as missing):
  start      seconds to start a local cluster of 2 single-threaded workers and connect
             (distributed.LocalCluster; ray.init(num_cpus=2))
  memory     the resident memory that cluster adds: every process it started, summed
  task       per-task overhead: 200 empty tasks submitted at once, wall seconds each;
             and one empty task at a time, submit to result
  bytes      a task returning 32 MB of bytes: MB/s from submit to the bytes in the client
  install    what the engine's wheel and its dependencies put on disk (MB), and the
             engine's own package alone

Batch: 8 films (2 datasets x 2 languages x 2 aspects), -ql, silent; by default two short
chapters each (title, feature: the machine is shared, whole films would take it for half
an hour; --whole renders them whole), from empty caches: films per hour, the share of
chapters the cache gave (the second run's), peak memory of the process tree. Once on the
local pool (--jobs 2), once on a loopback Dask cluster of two single-threaded workers
(each its own process and cache folder, as on two machines).

The makespan of one film on 4, 8 and 23 machines is benchmarks/makespan.py's, from a whole
render's progress (two short chapters here say too little).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

RESULT_BYTES = 32 * 2**20
MANY_TASKS = 200
ONE_AT_A_TIME = 30
CHAPTERS = ("title", "feature")
DATASETS = {
    "scores.csv": "x,y\n-2,0\n-1,0\n0,1\n1,0\n2,1\n3,1\n",
    "cohort.csv": "x,y\n10,0\n20,0\n30,1\n40,0\n50,1\n60,1\n",
}


# ------------------------------------------------------------------ the engines


def _nothing():
    return None


def _bytes(size: int) -> bytes:
    return os.urandom(size)


def _tree_rss(pid: int) -> int:
    import psutil

    total = 0
    for process in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total


def _install_size(name: str) -> tuple[float, float]:
    """MB on disk of distribution ``name`` and everything it requires (not extras); of
    its own files alone."""
    from importlib import metadata

    from packaging.requirements import Requirement

    def size(dist) -> int:
        return sum(
            (dist.locate_file(file).stat().st_size if dist.locate_file(file).exists() else 0)
            for file in dist.files or ()
        )

    seen: dict[str, int] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        key = current.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(current)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = size(dist)
        for line in dist.requires or ():
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return sum(seen.values()) / 2**20, seen[name.lower()] / 2**20


def engine_figures(engine: str) -> dict:
    """The figures of one engine, in this process (run by ``--engine``)."""
    baseline = _tree_rss(os.getpid())
    started = time.perf_counter()
    if engine == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)

        def run_many(count):
            return client.gather([client.submit(_nothing, pure=False) for _ in range(count)])

        def run_one(function, *args):
            return client.submit(function, *args, pure=False).result()

        def stop():
            client.close()
            cluster.close()

        version = __import__("distributed").__version__
        dist = "distributed"
    else:
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        nothing, make = ray.remote(_nothing), ray.remote(_bytes)

        def run_many(count):
            return ray.get([nothing.remote() for _ in range(count)])

        def run_one(function, *args):
            remote = nothing if function is _nothing else make
            return ray.get(remote.remote(*args))

        stop = ray.shutdown
        version = ray.__version__
        dist = "ray"
    start = time.perf_counter() - started
    run_many(20)  # the workers up and warm
    memory = (_tree_rss(os.getpid()) - baseline) / 2**20
    clock = time.perf_counter()
    run_many(MANY_TASKS)
    per_task = (time.perf_counter() - clock) / MANY_TASKS
    clock = time.perf_counter()
    for _ in range(ONE_AT_A_TIME):
        run_one(_nothing)
    round_trip = (time.perf_counter() - clock) / ONE_AT_A_TIME
    run_one(_bytes, 1024)
    clock = time.perf_counter()
    got = run_one(_bytes, RESULT_BYTES)
    transfer = time.perf_counter() - clock
    assert len(got) == RESULT_BYTES
    stop()
    installed, alone = _install_size(dist)
    return {
        "engine": f"{dist} {version}",
        "start_s": start,
        "memory_mb": memory,
        "task_ms": per_task * 1000,
        "round_trip_ms": round_trip * 1000,
        "bytes_mb_s": RESULT_BYTES / 2**20 / transfer,
        "install_mb": installed,
        "package_mb": alone,
    }


def engines_table(pythons: dict[str, str]) -> str:
    rows = [
        f"{'engine':<24} {'start s':>8} {'tree MB':>8} {'task ms':>8} {'1-by-1 ms':>10} "
        f"{'bytes MB/s':>11} {'install MB':>11} {'package MB':>11}"
    ]
    for engine, python in pythons.items():
        done = subprocess.run(
            [python, __file__, "--engine", engine],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
        )
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["?"]
            rows.append(f"{engine:<24} not measured: {tail[0][:90]}")
            continue
        f = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            f"{f['engine']:<24} {f['start_s']:8.2f} {f['memory_mb']:8.0f} {f['task_ms']:8.2f} "
            f"{f['round_trip_ms']:10.2f} {f['bytes_mb_s']:11.0f} {f['install_mb']:11.0f} "
            f"{f['package_mb']:11.0f}"
        )
    return "\n".join(rows)


# ------------------------------------------------------------------ the batch


class LoopbackCluster:
    """A Dask scheduler and two single-threaded workers, each its own process and cache
    folder, on 127.0.0.1 (as tests/test_cluster.py starts them)."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        dask = str(Path(sys.executable).parent / "dask")
        folder.mkdir(parents=True)
        address_file = folder / "scheduler.json"
        self.processes = [
            subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(address_file)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        ]  # fmt: skip
        deadline = time.monotonic() + 60
        while not address_file.exists() or not address_file.read_text().strip():
            if self.processes[0].poll() is not None or time.monotonic() > deadline:
                sys.exit("the Dask scheduler did not start")
            time.sleep(0.2)
        time.sleep(0.5)
        self.address = json.loads(address_file.read_text())["address"]
        for number in range(workers):
            own = folder / f"worker-{number}"
            own.mkdir()
            self.processes.append(
                subprocess.Popen(
                    [dask, "worker", self.address, "--nthreads", "1", "--no-nanny",
                     "--no-dashboard", "--local-directory", str(own)],
                    env={**os.environ, "BCE_CACHE_DIR": str(own / "cache")},
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                )
            )  # fmt: skip
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            process.wait()


def write_manifest(folder: Path, whole: bool) -> Path:
    for name, text in DATASETS.items():
        (folder / name).write_text(text)
    chapters = "" if whole else f"chapter = {json.dumps(list(CHAPTERS))}\n"
    manifest = folder / "films.toml"
    manifest.write_text(
        f'[defaults]\nquality = "l"\nvoice = "none"\njobs = 2\n{chapters}\n'
        f"[[films]]\ndata = {json.dumps(list(DATASETS))}\n"
        'lang = ["en", "zh"]\naspect = ["16:9", "9:16"]\n'
    )
    return manifest


def bench_batch(scratch: Path, whole: bool, cluster: LoopbackCluster | None, label: str):
    from render import measure

    folder = scratch / label
    folder.mkdir()
    manifest = write_manifest(folder, whole)
    env = {"BCE_CACHE_DIR": str(folder / "cache")}
    command = [sys.executable, "-m", "bce_video.cli", "batch", str(manifest)]
    command += ["--out", str(folder / "out")]
    if cluster:
        command += ["--cluster", cluster.address]
    cold = measure(f"batch {label} cold", "l", command, env)
    record = json.loads((folder / "out" / "batch.json").read_text())
    warm = measure(f"batch {label} again", "l", command, env)
    again = json.loads((folder / "out" / "batch.json").read_text())
    cached = sum(film["status"] == "cached" for film in again)
    return cold, warm, record, cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("dask", "ray"), help=argparse.SUPPRESS)
    parser.add_argument("--ray-python", default=sys.executable, metavar="PYTHON")
    parser.add_argument("--dask-python", default=sys.executable, metavar="PYTHON")
    parser.add_argument("--whole", action="store_true", help="whole films in the batch")
    parser.add_argument("--no-batch", action="store_true", help="the engines only")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(engine_figures(args.engine)))
        return
    from render import machine

    print(f"machine: {machine()}")
    print("\nengines: a local cluster of 2 single-threaded workers\n")
    print(engines_table({"dask": args.dask_python, "ray": args.ray_python}))
    if args.no_batch:
        return
    with tempfile.TemporaryDirectory(prefix="bce-engines-") as scratch:
        scratch_dir = Path(scratch)
        local = bench_batch(scratch_dir, args.whole, None, "local")
        cluster = LoopbackCluster(scratch_dir / "dask")
        try:
            remote = bench_batch(scratch_dir, args.whole, cluster, "cluster")
        finally:
            cluster.stop()
        print("\nbatch: 8 films (2 datasets x 2 languages x 2 aspects), -ql, silent, "
              + ("whole" if args.whole else f"chapters {', '.join(CHAPTERS)}") + "\n")  # fmt: skip
        print(
            f"{'run':<24} {'wall s':>8} {'films/h':>8} {'cached':>7} {'tree MB':>8} {'max MB':>7}"
        )
        for label, (cold, warm, record, cached) in (("local pool", local), ("cluster", remote)):
            films = len(record)
            for run, share in ((cold, "-"), (warm, f"{cached}/{films}")):
                print(
                    f"{label + ' ' + run.name.split()[-1]:<24} {run.wall:8.1f} "
                    f"{films / run.wall * 3600:8.0f} {share:>7} {run.tree_peak_mb:8.0f} "
                    f"{run.process_peak_mb:7.0f}"
                )
        print(f"cluster / local pool, cold: {remote[0].wall / local[0].wall:.2f}x")
        print("\nmakespans on many machines: benchmarks/makespan.py, on a whole render's")


if __name__ == "__main__":
    main()
