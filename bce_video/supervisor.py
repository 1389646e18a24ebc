"""Running the workers: one process per share of the chapters, their messages read as
they come, and the first failure stopping them all with nothing half-written left."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from bce_film.pieces import remove_unfinished_pieces

from .messages import ChapterPiece, ChapterRendered, ChapterStarted, Failed, Finished, Ready
from .request import RenderError
from .worker import WorkerTask, render_worker, standby_worker

# A fresh Python, so a fresh Manim config, in each worker.
_CONTEXT = multiprocessing.get_context("spawn")


def _start_ignoring_ctrl_c(process) -> None:
    """Start ``process`` with Ctrl-C ignored (inherited through exec): a stop that came
    while its Python was still starting would print a traceback from there. The worker
    lets Ctrl-C end it once it says Ready."""
    default = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, default)


class StandbyWorker:
    """A worker process started before its task is known: its Python and Manim's imports
    (about 1.2 s) run while the parent narrates; ``run_workers`` gives it the first task.
    ``stop`` ends one that got none."""

    def __init__(self) -> None:
        task_reader, self.tasks = _CONTEXT.Pipe(duplex=False)
        self.messages, message_writer = _CONTEXT.Pipe(duplex=False)
        self.process = _CONTEXT.Process(
            target=standby_worker, args=(task_reader, message_writer), name="bce-render-standby"
        )
        _start_ignoring_ctrl_c(self.process)
        # The child has its own copies: with ours closed, each end sees the other go.
        task_reader.close()
        message_writer.close()

    def give(self, task: WorkerTask) -> None:
        # A standby that died meanwhile closed its end: run_workers reads its end of
        # the messages and says the worker died.
        with contextlib.suppress(OSError):
            self.tasks.send(task)
        self.tasks.close()

    def stop(self) -> None:
        """End a standby that was given no task: it has written nothing."""
        self.tasks.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.messages.close()


def run_workers(
    tasks: list[WorkerTask],
    say: Callable[[str], None],
    started: float,
    total: int,
    standby: StandbyWorker | None = None,
) -> list[ChapterPiece]:
    """Start one process per task (the first task given to ``standby``, when there is
    one); collect their pieces. The first failure stops all."""
    from multiprocessing.connection import wait

    # One pipe per worker (a Queue's named semaphores leak when a worker is stopped).
    readers, writers, processes = {}, {}, {}
    for task in tasks:
        if standby is not None:
            readers[task.worker], processes[task.worker] = standby.messages, standby.process
            standby.give(task)
            standby = None
            continue
        readers[task.worker], writers[task.worker] = _CONTEXT.Pipe(duplex=False)
        processes[task.worker] = _CONTEXT.Process(
            target=render_worker,
            args=(task, writers[task.worker]),
            name=f"bce-render-{task.worker}",
        )
    media_dirs = {task.worker: task.media_dir for task in tasks}
    current: dict[int, str | None] = dict.fromkeys(processes)
    ready: set[int] = set()  # workers that end quietly on Ctrl-C
    ending: set[int] = set()  # workers that reported Finished or Failed: they end by themselves
    results: dict[int, list[ChapterPiece]] = {}
    done_chapters = 0
    try:
        for worker, writer in writers.items():  # the standby, if any, runs already
            _start_ignoring_ctrl_c(processes[worker])
            # The child has its own copy of the writing end; with ours closed, a child
            # that dies closes the pipe and the read below ends instead of waiting.
            writer.close()
        while len(results) < len(processes):
            for reader in wait([readers[w] for w in processes if w not in results]):
                worker = next(w for w, r in readers.items() if r is reader)
                try:
                    message = reader.recv()
                except EOFError:  # gone without a word: killed (out of memory?) or crashed
                    processes[worker].join(timeout=5)
                    raise RenderError(
                        current[worker],
                        f"worker {worker} died (exit code {processes[worker].exitcode})",
                    ) from None
                match message:
                    case Ready():
                        ready.add(worker)
                    case ChapterStarted(chapter):
                        current[worker] = chapter
                    case ChapterRendered(piece):
                        done_chapters += 1
                        say(
                            f"[{done_chapters:2d}/{total}] {piece.name:<16} worker {worker} "
                            f"{piece.render_seconds:6.1f} s, {len(piece.movies):3d} animations "
                            f"(at {time.monotonic() - started:6.1f} s)"
                        )
                        current[worker] = None
                    case Finished(pieces):
                        ending.add(worker)
                        results[worker] = pieces
                    case Failed(chapter, detail, trace):
                        ending.add(worker)
                        say(trace.rstrip())
                        raise RenderError(chapter, detail)
    finally:
        # Ctrl-C first: a ready worker ends at once and quietly (worker._stop); only one
        # that does not end in time is killed. One not yet ready is still starting
        # Python, has written nothing and ignores Ctrl-C. Either way the pieces it left
        # half-written are removed below.
        for worker, process in processes.items():
            said = {type(message) for message in _pending(readers[worker])}
            if Ready in said:
                ready.add(worker)
            if said & {Finished, Failed}:
                ending.add(worker)
            if not process.is_alive() or worker in ending:
                continue
            if worker in ready:
                os.kill(process.pid, signal.SIGINT)
            else:
                process.kill()
        for worker, process in processes.items():
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
                process.join()
            if worker not in results:  # stopped, failed or killed: nothing half-written
                remove_unfinished_pieces(Path(media_dirs[worker]), process.pid)
        for reader in readers.values():
            reader.close()
    return [piece for worker in sorted(results) for piece in results[worker]]


def _pending(reader) -> list:
    """The messages already waiting in a worker's pipe, without blocking."""
    messages = []
    with contextlib.suppress(EOFError, OSError):
        while reader.poll():
            messages.append(reader.recv())
    return messages
