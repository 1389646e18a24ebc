"""Who runs a render's chapter tasks: one small interface, one executor per engine.

``render()`` shares the chapters left to draw into ``WorkerTask``\\ s (``sharing``), the
same tasks whatever runs them, and hands them to an executor:

- ``LocalPool`` (the default): one process per task on this machine (``supervisor``),
  the first started while the voice speaks (``prepare``), when there is something to say;
- ``DaskCluster`` (``--cluster tcp://host:8786``): each task a Dask task on an existing
  cluster of Dask ``distributed`` (benchmarks/engines.py measured it against Ray; the
  README says why Dask).

An executor's contract: ``slots`` says how many tasks run side by side; ``prepare`` hears
that tasks will probably come soon; ``run`` runs the tasks and returns every chapter each
played (``ChapterPiece``), with the rendered ones' movies as files under their task's
``media_dir`` on this machine, from where ``render()`` moves them into the chapter cache,
which stays the one source of truth; ``close`` ends what it still holds. A new engine is
a new executor here, nothing else.

A cluster shares nothing with this machine but the installed project: a task carries its
inputs as arguments (the data file's bytes; the voice's seconds per cue are already in the
task) and returns its pieces' bytes; each worker machine keeps its own LaTeX and text
renderings in its own cache folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from bce_film.caches import cache_dir
from bce_voice.voices import SILENT

from .messages import ChapterPiece, ChapterStarted, Failed, Finished
from .request import RenderError, RenderRequest
from .worker import WorkerTask

Say = Callable[[str], None]

#: The addresses ``--cluster`` takes: a Dask scheduler's, as ``dask scheduler`` prints it.
DASK_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/]+:\d+/?$")
#: How long to wait for the scheduler to answer before the render gives up.
CONNECT_SECONDS = 20
#: How often a running task asks whether the client still wants it (a scheduler call).
STOP_POLL_SECONDS = 1.0


class ClusterAddressError(ValueError):
    """--cluster was given an address no executor here can use (bad input, exit 2)."""


class ChapterExecutor(Protocol):
    def slots(self, request: RenderRequest) -> int:
        """How many tasks run side by side: the chapters are shared out into as many."""
        ...

    def prepare(self) -> None:
        """Tasks will probably come soon: get ready while the caller narrates (called
        when the voice has cues to speak, that is, when something changed)."""
        ...

    def run(
        self, tasks: list[WorkerTask], say: Say, started: float, total: int
    ) -> list[ChapterPiece]:
        """Run ``tasks``; every chapter each task played, the rendered ones' movies as
        files under the task's ``media_dir``. The first failure raises RenderError."""
        ...

    def close(self) -> None: ...


class LocalPool:
    """Worker processes on this machine, ``request.jobs`` of them (``supervisor``)."""

    def __init__(self) -> None:
        self._standby = None

    def slots(self, request: RenderRequest) -> int:
        return request.jobs

    def prepare(self) -> None:
        # One worker's start (Python and Manim's imports, about 1.2 s of a one-cue
        # edit's 20) overlaps the voice, which speaks in its own process.
        from .supervisor import StandbyWorker

        if self._standby is None:
            self._standby = StandbyWorker()

    def run(
        self, tasks: list[WorkerTask], say: Say, started: float, total: int
    ) -> list[ChapterPiece]:
        from .supervisor import run_workers

        standby, self._standby = self._standby, None
        return run_workers(tasks, say, started, total, standby)

    def close(self) -> None:
        if self._standby is not None:
            self._standby.stop()
            self._standby = None


def executor_for(cluster: str | None) -> ChapterExecutor:
    """The executor for ``--cluster``'s address (None: the local pool). Raises
    ClusterAddressError for an address no engine here takes, or an engine not installed."""
    if cluster is None:
        return LocalPool()
    if cluster.startswith("ray://"):
        raise ClusterAddressError(
            f"--cluster {cluster}: Ray is not an executor here; give a Dask scheduler's "
            "address (tcp://host:8786)"
        )
    if not DASK_ADDRESS.match(cluster):
        raise ClusterAddressError(
            f"--cluster {cluster!r} is not a Dask scheduler's address; expected "
            "tcp://host:port (dask scheduler prints it: tcp://10.0.0.5:8786)"
        )
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ClusterAddressError(
            "--cluster needs Dask's distributed: pip install 'bce-video[cluster]'"
        ) from None
    return DaskCluster(cluster)


# ------------------------------------------------------------------ a Dask cluster


@dataclass(frozen=True)
class ShippedTask:
    """A WorkerTask as it travels to another machine: the data file's bytes go with it
    (its name kept, for the messages that name it)."""

    task: WorkerTask
    data_name: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class ShippedPieces:
    """What a task sends back: every chapter it played, and the rendered ones' movies'
    bytes, in order (``ChapterPiece.movies`` is empty in transit); or its failure."""

    pieces: list[tuple[ChapterPiece, list[bytes]]]
    failed: Failed | None = None
    host: str = ""


def shipped(task: WorkerTask) -> ShippedTask:
    data = task.request.options.data
    if data is None:
        return ShippedTask(task)
    return ShippedTask(task, Path(data).name, Path(data).read_bytes())


def run_shipped_task(shipment: ShippedTask, stop: str | None = None) -> ShippedPieces:
    """On a cluster's worker: the task rendered in a process of its own (a fresh Manim
    config, as in the local pool; a Dask worker runs tasks in threads, and may not start
    multiprocessing children), in a scratch folder of this machine's. ``stop``: the name
    of the Dask Event the client sets when it no longer wants the result (a failure
    elsewhere, Ctrl-C): the process is then stopped (Dask cannot interrupt a running
    task; without this, a cancelled chapter would be drawn to its end)."""
    import socket

    with tempfile.TemporaryDirectory(prefix="bce-task-") as scratch:
        scratch_dir = Path(scratch)
        task = shipment.task
        options = task.request.options
        # Drawing needs no voice (the seconds per cue come with the task) and no
        # recordings: the worker need not have either installed.
        drawn = {"voice": SILENT, "narration": None}
        if shipment.data is not None:
            data = scratch_dir / "data" / (shipment.data_name or "data.csv")
            data.parent.mkdir()
            data.write_bytes(shipment.data)
            drawn["data"] = str(data)
        caches = cache_dir()
        here = replace(
            task,
            request=replace(task.request, options=replace(options, **drawn)),
            media_dir=str(scratch_dir / "pieces"),
            tex_dir=str(caches / "Tex"),
            text_dir=str(caches / "texts"),
        )
        messages = _run_in_own_process(here, _stop_event(stop))
        host = socket.gethostname()
        if isinstance(messages[-1], Failed):
            return ShippedPieces([], messages[-1], host)
        finished: Finished = messages[-1]
        return ShippedPieces(
            [
                (replace(piece, movies=[]), [Path(movie).read_bytes() for movie in piece.movies])
                for piece in finished.pieces
            ],
            host=host,
        )


def _stop_event(name: str | None):
    """The client's stop Event (``run_shipped_task``), made in the task's own thread
    (where Dask finds its worker's client), or None."""
    if name is None:
        return None
    from distributed import Event, get_client

    return Event(name, client=get_client())


def _stopped_when_set(stop, process: subprocess.Popen) -> None:
    """Stop ``process`` (as Ctrl-C does, then for good) once ``stop`` is set."""
    while process.poll() is None:
        if stop.wait(timeout=STOP_POLL_SECONDS):
            process.send_signal(signal.SIGINT)  # the worker's own quiet stop
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
            return


def _run_in_own_process(task: WorkerTask, stop=None) -> list:
    """``python -m bce_video.worker FD``: the task pickled on its stdin, its messages
    (bce_video.messages) read from a pipe; ends with Finished or Failed. ``stop``: a
    Dask Event that, once set, stops the process."""
    reading, writing = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "bce_video.worker", str(writing)],
        stdin=subprocess.PIPE,
        pass_fds=(writing,),
    )
    os.close(writing)
    if stop is not None:
        threading.Thread(target=_stopped_when_set, args=(stop, process), daemon=True).start()
    messages: list = []
    current = None
    try:
        with process.stdin:
            process.stdin.write(pickle.dumps(task))
        with os.fdopen(reading, "rb") as pipe:
            while True:
                try:
                    message = pickle.load(pipe)
                except EOFError:
                    break
                if isinstance(message, ChapterStarted):
                    current = message.chapter
                messages.append(message)
                if isinstance(message, Finished | Failed):
                    break
    finally:
        process.wait()
    if not messages or not isinstance(messages[-1], Finished | Failed):
        died = f"worker process died (exit code {process.returncode})"
        messages.append(Failed(current, died, died))
    return messages


class DaskCluster:
    """The tasks on an existing Dask cluster, at a scheduler's address. The connection
    is made on first use and kept (a batch renders many films through one)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._client = None
        self._running: set = set()  # the stop Events of the runs under way (run)

    def client(self):
        if self._client is None:
            from distributed import Client

            try:
                self._client = Client(self.address, timeout=f"{CONNECT_SECONDS}s")
            except (OSError, TimeoutError) as error:
                raise RenderError(
                    None, f"no Dask scheduler answered at {self.address} ({error})"
                ) from None
        return self._client

    def slots(self, request: RenderRequest) -> int:
        # Every thread of every worker: on a cluster of many machines, a chapter each.
        return max(1, sum(self.client().nthreads().values()))

    def prepare(self) -> None:
        pass  # the cluster's workers are running already; each task starts its own process

    def run(
        self, tasks: list[WorkerTask], say: Say, started: float, total: int
    ) -> list[ChapterPiece]:
        from distributed import Event, as_completed

        client = self.client()
        stop = Event(f"bce-stop-{uuid.uuid4().hex}", client=client)
        self._running.add(stop)
        # pure=False: a task is a render, never "the same result" as another's.
        futures = {
            client.submit(
                run_shipped_task, shipped(task), stop.name, pure=False, key=_task_key(task)
            ): task
            for task in tasks
        }
        results: dict[int, list[ChapterPiece]] = {}
        done_chapters = 0
        try:
            for future in as_completed(futures):
                task = futures[future]
                result: ShippedPieces = future.result()
                if result.failed is not None:
                    say(result.failed.trace.rstrip())
                    raise RenderError(result.failed.chapter, result.failed.detail)
                pieces = []
                for piece, movies in result.pieces:
                    if piece.rendered:
                        piece.movies = _written(movies, Path(task.media_dir) / piece.name)
                        done_chapters += 1
                        say(
                            f"[{done_chapters:2d}/{total}] {piece.name:<16} worker "
                            f"{task.worker} {piece.render_seconds:6.1f} s, "
                            f"{len(piece.movies):3d} animations on {result.host} "
                            f"(at {time.monotonic() - started:6.1f} s)"
                        )
                    pieces.append(piece)
                results[task.worker] = pieces
        finally:
            # A failure or Ctrl-C: the tasks not yet done are dropped, and those already
            # running are stopped on their workers (run_shipped_task).
            # (A set Event stays on the scheduler, a few bytes: cleared, it could be
            # cleared before a task polling it once a second has seen it.)
            if unfinished := [future for future in futures if not future.done()]:
                stop.set()
                client.cancel(unfinished)
            self._running.discard(stop)
        return [piece for worker in sorted(results) for piece in results[worker]]

    def close(self) -> None:
        """Disconnect; the runs still under way (a batch's other films, stopped by Ctrl-C)
        have their tasks stopped on the workers first."""
        if self._client is not None:
            with contextlib.suppress(Exception):  # a scheduler already gone
                for stop in list(self._running):
                    stop.set()
                self._client.close()
            self._client = None


def _task_key(task: WorkerTask) -> str:
    return f"bce-chapters-{'-'.join(task.chapters)}-{uuid.uuid4().hex[:8]}"


def _written(movies: list[bytes], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, movie in enumerate(movies):
        path = folder / f"{index:03d}.mp4"
        path.write_bytes(movie)
        paths.append(str(path))
    return paths
