"""Chapters rendered on a real Dask cluster (``--cluster``): a scheduler and two workers,
each a separate process on the loopback address, each worker with its own temporary
folder and cache (nothing shared with the client but the installed project). The film is
the local pool's, frame for frame and packet for packet; a worker killed during its task
has the task run again on the other, and the film is still the same.

Marked ``render``: each test renders two short chapters at -ql, silent.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
from film_helpers import run_bce_video, without_bce_variables
from paths import REPO_ROOT
from PIL import Image
from test_parallel_render import assert_same_pictures, drawn_chapters, packets

from bce_video.executors import STOP_POLL_SECONDS, ShippedTask, run_shipped_task, shipped
from bce_video.request import RenderRequest
from bce_video.worker import WorkerTask

pytestmark = pytest.mark.render

CHAPTERS = ("title", "feature")
STEM = "bce-en-dark-title-feature"
DASK = Path(sys.executable).parent / "dask"


class Cluster:
    """A Dask scheduler and its workers, each its own process on 127.0.0.1."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        address_file = folder / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        scheduler = [
            str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(address_file),
        ]  # fmt: skip
        self.scheduler = self._start(scheduler, folder / "scheduler.log")
        self.address = self._address(address_file)
        self.workers = []
        for number in range(workers):
            own = folder / f"worker-{number}"
            own.mkdir()
            # No nanny: the process started here is the worker, and killing it kills it.
            worker = [
                str(DASK), "worker", self.address, "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--local-directory", str(own), "--name", f"w{number}",
            ]  # fmt: skip
            cache = {"BCE_CACHE_DIR": str(own / "cache")}
            self.workers.append(self._start(worker, own / "worker.log", cache))
        self._wait_for_workers(workers)

    def _start(self, command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
        with log.open("w") as output:
            process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=REPO_ROOT,
                env=without_bce_variables(env),
            )
        self.processes.append(process)
        return process

    @staticmethod
    def _address(address_file: Path) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                return json.loads(address_file.read_text())["address"]
            except (FileNotFoundError, ValueError, KeyError):
                time.sleep(0.2)
        raise TimeoutError("the Dask scheduler did not start")

    def _wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=60)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    started = Cluster(tmp_path_factory.mktemp("cluster"))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def local_film(tmp_path_factory) -> Path:
    """The local pool's film of the same chapters: what the cluster's must equal."""
    folder = tmp_path_factory.mktemp("local")
    done = run_bce_video(
        "render", "--quality", "l", "--chapter", *CHAPTERS, "--jobs", "2",
        "--out", str(folder / "out"), cache=folder / "cache",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / "out"


def _render_on(cluster: Cluster, folder: Path) -> subprocess.CompletedProcess:
    return run_bce_video(
        "render", "--quality", "l", "--chapter", *CHAPTERS, "--cluster", cluster.address,
        "--out", str(folder / "out"), cache=folder / "cache",
    )  # fmt: skip


def ffprobe_streams(movie: Path) -> list[dict]:
    """The streams as FFmpeg's own prober counts them (frames counted by decoding)."""
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(movie)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        {key: stream.get(key) for key in ("codec_type", "width", "height", "nb_read_frames")}
        for stream in json.loads(probed.stdout)["streams"]
    ]


def assert_same_film(mine: Path, theirs: Path) -> None:
    """Frame for frame, packet for packet, the same streams to ffprobe, and the same
    subtitles and chapter times."""
    assert_same_pictures(mine / f"{STEM}.mp4", theirs / f"{STEM}.mp4")
    assert packets(mine / f"{STEM}.mp4") == packets(theirs / f"{STEM}.mp4")
    assert ffprobe_streams(mine / f"{STEM}.mp4") == ffprobe_streams(theirs / f"{STEM}.mp4")
    for suffix in ("srt", "vtt", "chapters.json", "chapters.vtt"):
        assert (mine / f"{STEM}.{suffix}").read_bytes() == (
            theirs / f"{STEM}.{suffix}"
        ).read_bytes(), suffix


def test_a_film_rendered_on_the_cluster_is_the_local_pool_s(cluster, local_film, tmp_path):
    done = _render_on(cluster, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert drawn_chapters(done.stderr) == set(CHAPTERS)
    assert "with 2 worker(s); 0 of 2 chapters came from the cache" in done.stderr
    assert_same_film(tmp_path / "out", local_film)
    # The client keeps the chapter cache; the workers kept only their own renderings.
    assert len(list((tmp_path / "cache" / "chapters").iterdir())) == len(CHAPTERS)


def test_a_worker_killed_during_its_task_has_it_run_on_the_other(local_film, tmp_path):
    cluster = Cluster(tmp_path / "cluster")
    try:
        command = [
            sys.executable, "-m", "bce_video.cli", "render", "--voice", "none",
            "--quality", "l", "--chapter", *CHAPTERS, "--cluster", cluster.address,
            "--out", str(tmp_path / "out"),
        ]  # fmt: skip
        env = without_bce_variables({"BCE_CACHE_DIR": str(tmp_path / "cache")})
        render = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        victim = psutil.Process(cluster.workers[0].pid)
        deadline = time.monotonic() + 120
        while not (drawing := _drawing(victim)) and time.monotonic() < deadline:
            time.sleep(0.05)  # until the worker has started drawing its chapter
        assert drawing, "the worker never started its task"
        os.kill(victim.pid, signal.SIGKILL)
        _, stderr = render.communicate(timeout=600)
        assert render.returncode == 0, stderr.decode()[-3000:]
        psutil.wait_procs(drawing, timeout=10)  # the orphaned drawing ends with its worker
        assert not any(process.is_running() for process in drawing)
    finally:
        cluster.stop()
    assert drawn_chapters(stderr.decode()) == set(CHAPTERS)
    assert_same_film(tmp_path / "out", local_film)


def test_a_stopped_render_stops_the_chapters_being_drawn_on_the_workers(cluster, tmp_path):
    """Ctrl-C on the client: the chapter a worker is drawing stops with it (Dask cannot
    interrupt a running task; the task stops its drawing process when the client sets
    its stop Event), instead of being drawn to its end, at 1080p, for nobody."""
    command = [
        sys.executable, "-m", "bce_video.cli", "render", "--voice", "none", "--quality", "h",
        "--chapter", "log_curve", "--cluster", cluster.address, "--out", str(tmp_path / "out"),
    ]  # fmt: skip
    env = without_bce_variables({"BCE_CACHE_DIR": str(tmp_path / "cache")})
    render = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As from a terminal: pytest-xdist's workers ignore Ctrl-C, and a child that
        # inherits that ignores it too (Python then keeps SIGINT ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers = [psutil.Process(worker.pid) for worker in cluster.workers]
    deadline = time.monotonic() + 120
    while not (drawing := [p for w in workers for p in _drawing(w)]):
        assert time.monotonic() < deadline, "no worker started the task"
        time.sleep(0.05)
    time.sleep(3)  # drawing by now (the chapter takes half a minute at 1080p)
    render.send_signal(signal.SIGINT)
    _, stderr = render.communicate(timeout=60)
    assert render.returncode == 130, stderr.decode()[-3000:]  # stopped, as Ctrl-C stops it
    stopped = time.monotonic()
    _, alive = psutil.wait_procs(drawing, timeout=STOP_POLL_SECONDS + 5)
    assert not alive, "the chapter is still being drawn after the render stopped"
    assert time.monotonic() - stopped < STOP_POLL_SECONDS + 5


def _drawing(worker: psutil.Process) -> list[psutil.Process]:
    """The worker's render process (python -m bce_video.worker), once it has one."""
    return [child for child in worker.children() if "bce_video.worker" in child.cmdline()]


def test_a_task_carries_its_data_and_returns_its_pieces_bytes(tmp_path, monkeypatch):
    """What crosses to a worker: the task and the data file's bytes, nothing else. Run
    here in a folder of its own after the data file is gone, as on another machine."""
    from bce_film.options import FilmOptions

    data = tmp_path / "scores.csv"
    data.write_text("x,y\n0,0\n1,1\n2,0\n3,1\n")
    request = RenderRequest(FilmOptions(data=str(data), voice="none"), chapters=("title",))
    task = WorkerTask(0, request, ("title",), str(tmp_path / "m"), "/nowhere/t", "/nowhere/x")
    shipment = shipped(task)
    assert shipment == ShippedTask(task, "scores.csv", data.read_bytes())
    data.unlink()
    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path / "worker-cache"))
    back = run_shipped_task(shipment)
    assert back.failed is None
    [(piece, movies)] = back.pieces
    assert piece.name == "title" and piece.rendered and piece.movies == []
    assert movies and all(movie[4:8] == b"ftyp" for movie in movies), "MP4 bytes"
    assert not (tmp_path / "m").exists(), "nothing written where the client's pieces go"


def test_a_task_whose_data_cannot_be_used_returns_its_failure(tmp_path, monkeypatch):
    from bce_film.options import FilmOptions

    request = RenderRequest(FilmOptions(data="one-class.csv", voice="none"), chapters=("title",))
    task = WorkerTask(0, request, ("title",), str(tmp_path / "m"), "t", "x")
    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path / "worker-cache"))
    back = run_shipped_task(ShippedTask(task, "one-class.csv", b"x,y\n0,0\n1,0\n"))
    assert back.pieces == [] and back.failed is not None
    assert "one-class.csv" in back.failed.detail and "Traceback" in back.failed.trace


@pytest.mark.parametrize(
    ("address", "named"),
    [
        ("ray://127.0.0.1:10001", "Ray is not an executor here"),
        ("127.0.0.1:8786", "not a Dask scheduler's address"),
        ("tcp://127.0.0.1", "not a Dask scheduler's address"),
    ],
)
def test_an_address_no_engine_takes_is_bad_input(address, named, tmp_path):
    done = run_bce_video(
        "render", "--chapter", "title", "--cluster", address, "--out", str(tmp_path / "out"),
        cache=tmp_path / "cache",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    assert named in done.stderr
    assert not (tmp_path / "out").exists()


BATCH = """
[defaults]
quality = "l"
voice = "none"
chapter = ["title"]

[[films]]
theme = ["dark", "light"]
lang = ["en", "zh"]
"""


def test_a_batch_on_the_cluster_renders_films_side_by_side(cluster, tmp_path):
    """Two slots, films of one chapter: three films at once (every slot drawing, and one
    more for the client's joining), each line marked with its film; each film its own
    (its language, its theme), and a second run takes them all from the cache."""
    manifest = tmp_path / "films.toml"
    manifest.write_text(BATCH, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ("batch", str(manifest), "--out", str(out), "--cluster", cluster.address)
    first = run_bce_video(*args, cache=cache)
    assert first.returncode == 0, first.stderr[-3000:]
    lines = first.stderr.splitlines()
    first_done = next(i for i, line in enumerate(lines) if line.startswith("films 1/4"))
    started = [line for line in lines[:first_done] if re.match(r"film \d/4: ", line)]
    assert len(started) == 3, "three films started before the first was done"
    assert any(line.startswith("  [2] ") for line in lines)
    record = json.loads((out / "batch.json").read_text())
    assert [film["status"] for film in record] == ["rendered"] * 4
    for film in record:
        subtitles = (out / film["files"]["subtitles"]).read_text(encoding="utf-8")
        chinese = any("\u4e00" <= character <= "\u9fff" for character in subtitles)
        assert chinese == (film["options"]["lang"] == "zh"), film["folder"]
    posters = {
        film["options"]["theme"] + film["options"]["lang"]: float(
            np.asarray(Image.open(out / film["files"]["poster"]).convert("L")).mean()
        )
        for film in record
    }
    assert posters["lighten"] > posters["darken"] and posters["lightzh"] > posters["darkzh"]
    second = run_bce_video(*args, cache=cache)
    assert second.returncode == 0, second.stderr[-3000:]
    record = json.loads((out / "batch.json").read_text())
    assert [film["status"] for film in record] == ["cached"] * 4
