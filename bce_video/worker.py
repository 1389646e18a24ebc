"""One worker process of a parallel render: it plays the film in order with its own
chapters rendered and the others skipped (so every chapter starts from the state the
whole film reaches), and reports each chapter's pieces to the parent (``messages``).
Manim's per-animation cache is off: the parent keeps whole chapters (``film_cache``)."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .messages import ChapterPiece, ChapterRendered, ChapterStarted, Failed, Finished, Ready
from .request import QUALITIES, RenderRequest

SCENE_NAME = "BinaryCrossEntropyFilm"  # as scenes/bce.py: same partial-movie folder
STOPPED = 130  # the exit status of a process stopped by Ctrl-C


def _stop(signum, frame) -> None:
    """Stopped by the parent (another worker failed) or by Ctrl-C, which knows why: end
    at once and say nothing. A KeyboardInterrupt raised here could land in a weakref
    callback or a __del__, where Python prints it as "Exception ignored" with a
    traceback, and swallows the stop. The parent removes the piece left half-written."""
    os._exit(STOPPED)


@dataclass(frozen=True)
class WorkerTask:
    worker: int
    request: RenderRequest
    chapters: tuple[str, ...]
    media_dir: str  # this worker's own: its pieces go to the chapter cache from there
    tex_dir: str
    text_dir: str
    speech: dict[str, float] = field(default_factory=dict)  # seconds by cue id; {}: silent


def manim_config(request: RenderRequest, media_dir: str, tex_dir: str, text_dir: str) -> dict:
    from bce_film.encoding import INFLIGHT_ENCODERS, encoder_options

    return {
        "quality": QUALITIES[request.quality],
        "media_dir": media_dir,
        "tex_dir": tex_dir,
        "text_dir": text_dir,
        "output_file": SCENE_NAME,
        "save_sections": False,
        "progress_bar": "none",
        "verbosity": "WARNING",
        # No hashing of the scene at every animation: the parent asks for the chapters
        # its chapter cache lacks, and keeps what the worker made of them.
        "disable_caching": True,
        "video_encoder_options": encoder_options(request.draft),
        # Two workers already overlap each other's encoder drains; one alone needs two
        # encoders in flight for that (each holds about 0.4 GB at 1080p).
        "max_inflight_encoders": INFLIGHT_ENCODERS if request.jobs == 1 else 1,
    }


def render_worker(task: WorkerTask, messages) -> None:
    """Worker process: play the film with ``task.chapters`` rendered and the others
    skipped; report through the ``messages`` pipe (see bce_video.messages)."""
    current = None
    try:
        # The worker was started with Ctrl-C ignored, so that a stop sent while Python
        # was still starting could not print a traceback. From here on a stop ends it;
        # the parent sends one only after Ready.
        signal.signal(signal.SIGINT, _stop)
        messages.send(Ready())
        # Manim is imported here, in the worker: the parent never needs it.
        from manim import Scene, config, tempconfig
        from tqdm import tqdm

        from bce_film.caches import prepare_renderings
        from bce_film.chapter_timer import ChapterTimer
        from bce_film.scene import apply_frame, film_renderer
        from scenes.film import play_chapters

        # Manim's progress bar (tqdm, made even when it is off) would take a
        # multiprocessing lock: a named semaphore, which a worker that is killed or
        # stopped (os._exit) leaves behind, and Python's resource tracker then reports as
        # "leaked" after the render's own message. A thread lock does: no other process
        # draws this worker's bars.
        tqdm.set_lock(threading.RLock())

        request = task.request
        prepare_renderings(Path(task.text_dir).parent / ".renderings.lock")
        # The voice's seconds per cue come from the parent, which narrated the film once.
        inputs = request.options.inputs(task.speech)
        pieces: list[ChapterPiece] = []
        timer = ChapterTimer()
        mark: dict = {}

        def chapter_start(film) -> None:
            nonlocal current
            current = film.chapter
            writer = film.scene.renderer.file_writer
            timer.start(film)
            mark.update(movies=len(writer.partial_movie_files), clock=time.monotonic())
            if film.chapter in task.chapters:
                messages.send(ChapterStarted(film.chapter))

        def chapter_end(film) -> None:
            writer = film.scene.renderer.file_writer
            timed = timer.end(film)
            piece = ChapterPiece(film.chapter, timed.seconds)
            if film.chapter in task.chapters:
                piece.rendered = True
                movies = writer.partial_movie_files[mark["movies"] :]
                piece.movies = [movie for movie in movies if movie is not None]
                piece.cues = list(timed.cues)
                piece.fullest_cue = timed.fullest_cue
                piece.render_seconds = time.monotonic() - mark["clock"]
                messages.send(ChapterRendered(piece))
            pieces.append(piece)

        def construct(scene) -> None:
            play_chapters(
                scene,
                inputs,
                only=task.chapters,
                on_chapter_start=chapter_start,
                on_chapter_end=chapter_end,
                on_cue_end=timer.cue_end,
            )

        # Named as scenes/bce.py's scene: Manim names the partial-movie folder after it.
        worker_scene = type(SCENE_NAME, (Scene,), {"construct": construct})
        with tempconfig(manim_config(request, task.media_dir, task.tex_dir, task.text_dir)):
            apply_frame(config, inputs.style.layout)
            worker_scene(renderer=film_renderer(pieces_only=True)).render()
        current = None
        messages.send(Finished(pieces))
    except BaseException as error:  # report everything else, SystemExit included
        # The parent stops the other workers when it reads this: not this one mid-send.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        with contextlib.suppress(OSError):  # the parent may be gone
            messages.send(Failed(current, detail, traceback.format_exc()))
    finally:
        # A stop that comes after the work is done must not interrupt Python's exit.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def standby_worker(tasks, messages) -> None:
    """A worker started before its task is known (``supervisor.StandbyWorker``): it
    imports what drawing needs while the parent still narrates, then takes its task from
    the ``tasks`` pipe and plays it as any worker. A pipe closed without a task (the
    render had nothing to draw) ends it quietly; so does the parent's kill."""
    # Ctrl-C is still ignored here (inherited), as in any worker before Ready.
    with contextlib.suppress(Exception):  # render_worker imports them again, and reports
        import manim  # noqa: F401

        import scenes.film  # noqa: F401
    try:
        task = tasks.recv()
    except EOFError:
        return
    finally:
        tasks.close()
    render_worker(task, messages)


class _PickledMessages:
    """A worker's messages, pickled one after another onto a pipe (for ``main``)."""

    def __init__(self, pipe) -> None:
        self.pipe = pipe

    def send(self, message) -> None:
        pickle.dump(message, self.pipe)
        self.pipe.flush()


def _end_with_parent() -> None:
    """A cluster's worker that dies (killed: its task re-runs elsewhere) leaves this
    process an orphan: end it, rather than draw a chapter nobody will read."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(STOPPED)


def main() -> None:
    """``python -m bce_video.worker FD``: one worker outside the local pool (a cluster's
    task, bce_video.executors): its WorkerTask pickled on stdin, its messages pickled to
    the pipe at file descriptor FD."""
    task = pickle.load(sys.stdin.buffer)
    threading.Thread(target=_end_with_parent, daemon=True).start()
    with os.fdopen(int(sys.argv[1]), "wb") as pipe:
        render_worker(task, _PickledMessages(pipe))


if __name__ == "__main__":
    main()
