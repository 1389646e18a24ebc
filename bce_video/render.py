"""Render the film fast: chapters in parallel worker processes, joined without re-encoding,
on top of Manim's own cache.

How a render goes:

1. The *film key* hashes everything the film is made from (the source of scenes/,
   bce_core/ and bce_video/, the language files, the data file's bytes, the options,
   the quality, and the versions of Manim and PyAV). A finished film with that key is
   copied from the cache: a re-render with nothing changed takes about a second.
2. Otherwise the chapters are shared out between ``jobs`` worker processes, longest
   first (LPT), by the time its narration takes to read. Each worker plays the film in
   order, with the chapters of other workers skipped, so every chapter starts from the
   state the whole film reaches.
3. Every worker renders through Manim's per-animation cache, which all workers and
   all renders share: an animation whose hash (its mobjects, the scene around it and
   the encoder settings) is already cached is not drawn again. So a change to one
   chapter's code or words re-draws only the animations it changes.
4. The parent concatenates the workers' partial movies in film order, packet by packet,
   as Manim's own combine step does: the joined MP4 holds the same frames as a
   single-process ``manim scenes/bce.py`` render. Subtitles and chapters are joined
   from each chapter's scene time, as one process would have timed them.

A worker that fails stops the others; the error names the chapter. Files appear in
``out`` only when complete.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from functools import cache
from pathlib import Path

from .pieces import remove_unfinished_pieces
from .settings import Settings

QUALITIES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "k": "fourk_quality",
}
# What the film is made from: a change to any of these files is a different film.
SOURCE_PACKAGES = ("bce_core", "bce_video", "scenes")
SOURCE_SUFFIXES = (".py", ".toml")
# Partial movies kept in the shared cache (Manim's default is 100, fewer than one film
# has animations, which would make every render cold). The least recently used go first.
MAX_CACHED_PIECES = 4000
# Finished films kept by key, most recent first.
MAX_CACHED_FILMS = 8
SCENE_NAME = "BinaryCrossEntropyFilm"  # as scenes/bce.py: same partial-movie folder


def cache_dir() -> Path:
    """BCE_CACHE_DIR, else $XDG_CACHE_HOME/bce-video, else ~/.cache/bce-video."""
    if os.environ.get("BCE_CACHE_DIR"):
        return Path(os.environ["BCE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bce-video"


class RenderError(RuntimeError):
    """A chapter failed to render; ``chapter`` names it (None: outside any chapter)."""

    def __init__(self, chapter: str | None, reason: str) -> None:
        where = f"chapter {chapter!r}" if chapter else "the render"
        super().__init__(f"{where} failed: {reason}")
        self.chapter = chapter
        self.reason = reason


@dataclass(frozen=True)
class RenderRequest:
    settings: Settings = field(default_factory=Settings)
    quality: str = "l"
    chapters: tuple[str, ...] | None = None  # None: the whole film
    draft: bool = False
    jobs: int = os.cpu_count() or 1

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise ValueError(f"quality {self.quality!r}: expected one of {', '.join(QUALITIES)}")
        if self.jobs < 1:
            raise ValueError(f"jobs is {self.jobs}, expected 1 or more")


@dataclass(frozen=True)
class RenderedFilm:
    movie: Path
    subtitles: Path
    chapters: Path
    from_cache: bool


# --- what a film is made from -------------------------------------------------------------


@cache
def source_fingerprint(root: Path | None = None) -> str:
    """A hash of the code and words the film is made from (under ``root``: by default
    where this package is), and of the libraries that draw and encode it."""
    import av
    import manim
    import numpy

    root = root or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in SOURCE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    versions = f"manim {manim.__version__} av {av.__version__} numpy {numpy.__version__}"
    digest.update(versions.encode())
    # Manim reads manim.cfg from the working directory; options it sets that the render
    # does not override could change the film.
    local_config = Path("manim.cfg")
    if local_config.is_file():
        digest.update(local_config.read_bytes())
    return digest.hexdigest()


def film_key(request: RenderRequest) -> str:
    settings = asdict(request.settings)
    if request.settings.data is not None:
        settings["data"] = hashlib.sha256(Path(request.settings.data).read_bytes()).hexdigest()
    described = {
        "source": source_fingerprint(),
        "settings": settings,
        "quality": request.quality,
        "draft": request.draft,
        "chapters": request.chapters,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


def output_stem(settings: Settings, chapters: Iterable[str] | None, draft: bool = False) -> str:
    """bce-en-dark, bce-zh-light-vertical, bce-en-dark-fit, bce-en-dark-draft ..."""
    parts = ["bce", settings.language, settings.theme]
    if settings.aspect == "9:16":
        parts.append("vertical")
    if chapters:
        parts.append("-".join(chapters))
    if draft:
        parts.append("draft")
    return "-".join(parts)


# --- sharing out the chapters -----------------------------------------------------------


def share_out(costs: dict[str, float], jobs: int) -> list[list[str]]:
    """Longest first, each chapter to the least loaded worker (LPT). Returns each
    worker's chapters in film order (the order of ``costs``); no worker is empty."""
    order = list(costs)
    loads = [(0.0, worker) for worker in range(min(jobs, len(order)))]
    shares: list[list[str]] = [[] for _ in loads]
    for name in sorted(order, key=lambda name: (-costs[name], order.index(name))):
        load, worker = heapq.heappop(loads)
        shares[worker].append(name)
        heapq.heappush(loads, (load + costs[name], worker))
    return [sorted(share, key=order.index) for share in shares]


def estimated_costs(request: RenderRequest, chapters: list[str]) -> dict[str, float]:
    """What each chapter costs to render, roughly: the time its narration takes to read,
    which sets the chapter's length (placeholders such as {loss} count as their own
    length).

    Not the time a chapter took last time, which would be closer but changes from run to
    run. Either is safe for the cache: a chapter's animations hash the same in any
    worker (a render that moved every chapter of a -j2 render into one worker found 141
    of 143 animations; the 2 misses are the log-curve probe's, which miss in place too).
    Shared out by reading time, the two workers of a -ql render ended at 81.8 s and
    85.6 s: little left to gain.
    """
    from scenes.words import load_words

    words = load_words(request.settings.language)
    speed = words.reading_chars_per_second
    return {name: sum(len(cue) for cue in words.table[name]["cues"]) / speed for name in chapters}


# --- one worker ---------------------------------------------------------------------------


@dataclass
class ChapterPiece:
    """What one worker made of one chapter."""

    name: str
    scene_seconds: float  # the chapter's length in scene time
    movies: list[str] = field(default_factory=list)  # partial movies, in order
    subtitles: list[tuple[float, float, str]] = field(default_factory=list)  # from start
    rendered: bool = False  # False: played skipped, only to reach a later chapter
    render_seconds: float = 0.0  # wall time the worker spent on it
    cached: int = 0  # animations taken from Manim's cache


@dataclass(frozen=True)
class WorkerTask:
    worker: int
    request: RenderRequest
    chapters: tuple[str, ...]
    media_dir: str
    tex_dir: str
    text_dir: str


def manim_config(request: RenderRequest, media_dir: str, tex_dir: str, text_dir: str) -> dict:
    from .encoding import INFLIGHT_ENCODERS, encoder_options

    return {
        "quality": QUALITIES[request.quality],
        "media_dir": media_dir,
        "tex_dir": tex_dir,
        "text_dir": text_dir,
        "output_file": SCENE_NAME,
        "save_sections": False,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "disable_caching": False,
        "max_files_cached": -1,  # pruned by the parent, never while a worker writes
        "video_encoder_options": encoder_options(request.draft),
        # Two workers already overlap each other's encoder drains; one alone needs two
        # encoders in flight for that (each holds about 0.4 GB at 1080p).
        "max_inflight_encoders": INFLIGHT_ENCODERS if request.jobs == 1 else 1,
    }


def render_worker(task: WorkerTask, messages) -> None:
    """Worker process: play the film with ``task.chapters`` rendered and the others
    skipped; report each chapter as it starts and ends, then the pieces, through the
    ``messages`` pipe."""
    current = None
    try:
        # The worker was started with Ctrl-C ignored, so that a stop sent while Python
        # was still starting could not print a traceback. From here on a stop unwinds
        # through the handler below; the parent sends one only after "ready".
        signal.signal(signal.SIGINT, signal.default_int_handler)
        messages.send(("ready",))
        from manim import Scene, config, tempconfig

        from scenes.film import play_film

        from .encoding import film_renderer
        from .settings import apply_aspect

        request = task.request
        _lock_shared_renderings(Path(task.text_dir).parent / ".renderings.lock")
        inputs = request.settings.inputs()
        pieces: list[ChapterPiece] = []
        mark: dict = {}

        def chapter_start(film) -> None:
            nonlocal current
            current = film.chapter
            scene = film.scene
            writer = scene.renderer.file_writer
            mark.update(
                time=scene.time,
                movies=len(writer.partial_movie_files),
                encoded=writer.encoded,
                subtitles=len(writer.subcaptions),
                clock=time.monotonic(),
                skipped=film.skipped_time,
            )
            if film.chapter in task.chapters:
                messages.send(("start", film.chapter))

        def chapter_end(film) -> None:
            scene = film.scene
            writer = scene.renderer.file_writer
            piece = ChapterPiece(film.chapter, scene.time - mark["time"])
            if film.chapter in task.chapters:
                piece.rendered = True
                movies = writer.partial_movie_files[mark["movies"] :]
                piece.movies = [movie for movie in movies if movie is not None]
                piece.cached = len(piece.movies) - (writer.encoded - mark["encoded"])
                # Subtitle times are in the rendered video's time, which lacks the
                # skipped chapters: relative to where this chapter starts in it.
                start = mark["time"] - mark["skipped"]
                piece.subtitles = [
                    (
                        cue.start.total_seconds() - start,
                        cue.end.total_seconds() - start,
                        cue.content,
                    )
                    for cue in writer.subcaptions[mark["subtitles"] :]
                ]
                piece.render_seconds = time.monotonic() - mark["clock"]
                messages.send(("end", piece))
            pieces.append(piece)

        def construct(scene) -> None:
            play_film(
                scene,
                inputs,
                only=task.chapters,
                on_chapter_start=chapter_start,
                on_chapter_end=chapter_end,
            )

        # Named as scenes/bce.py's scene: Manim names the partial-movie folder after it.
        worker_scene = type(SCENE_NAME, (Scene,), {"construct": construct})
        with tempconfig(manim_config(request, task.media_dir, task.tex_dir, task.text_dir)):
            apply_aspect(config, request.settings.aspect)
            worker_scene(renderer=film_renderer(pieces_only=True)).render()
        current = None
        messages.send(("done", pieces))
    except KeyboardInterrupt:
        # Stopped by the parent (another worker failed) or by Ctrl-C: it knows why.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return
    except BaseException as error:  # report everything else, SystemExit included
        # The parent stops the other workers when it reads this: not this one mid-send.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        with contextlib.suppress(OSError):  # the parent may be gone
            messages.send(("failed", current, detail, traceback.format_exc()))
    finally:
        # A stop that comes after the work is done must not interrupt Python's exit.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _lock_shared_renderings(lock_file: Path) -> None:
    """Make this process's Text and LaTeX renderings wait for each other's across
    processes. Manim writes them into the shared cache folders under fixed names, then
    rewrites them in place, and parses them through a fixed-name scratch file: two workers
    making the same text at once read each other's half-written files. Separate folders
    would not do: the folder is part of every animation's cache hash."""
    import fcntl

    from manim.mobject.text import tex_mobject, text_mobject

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_file.open("a")
    depth = 0  # MathTex builds through SingleStringMathTex: hold the lock once

    def locked(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            nonlocal depth
            if depth == 0:
                fcntl.flock(handle, fcntl.LOCK_EX)
            depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                depth -= 1
                if depth == 0:
                    fcntl.flock(handle, fcntl.LOCK_UN)

        return call

    for maker in (text_mobject.Text, text_mobject.MarkupText, tex_mobject.SingleStringMathTex):
        maker.__init__ = locked(maker.__init__)


# --- the parent ---------------------------------------------------------------------------


def render(
    request: RenderRequest,
    out: Path,
    progress: Callable[[str], None] | None = None,
) -> RenderedFilm:
    """Render the film into ``out`` (see the module's docstring)."""
    from scenes.film import chapter_names

    say = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    request.settings.lesson()  # bad data fails here, before anything is written
    stem = output_stem(request.settings, request.chapters, request.draft)
    targets = RenderedFilm(
        out / f"{stem}.mp4", out / f"{stem}.srt", out / f"{stem}.chapters.json", False
    )
    key = film_key(request)
    kept = cache_dir() / "films" / key
    out.mkdir(parents=True, exist_ok=True)
    if (kept / "film.mp4").is_file():
        _publish(kept / "film.mp4", kept / "film.srt", kept / "chapters.json", targets, copy=True)
        os.utime(kept)  # most recently used
        say(f"unchanged since the last render: {targets.movie} (from the cache)")
        return replace(targets, from_cache=True)

    wanted = list(request.chapters or chapter_names())
    order = [name for name in chapter_names() if name in wanted]
    costs = estimated_costs(request, order)
    shares = share_out(costs, request.jobs)
    started = time.monotonic()
    media = cache_dir() / "media"
    tasks = [
        WorkerTask(
            worker,
            request,
            tuple(share),
            str(media),
            str(cache_dir() / "Tex"),
            str(cache_dir() / "texts"),
        )
        for worker, share in enumerate(shares)
    ]
    pieces = _run_workers(tasks, say, started, total=len(order))
    # Each chapter was rendered by one worker (the others skipped it, and a skipped
    # chapter's length is not counted in whole frames).
    by_name = {piece.name: piece for piece in pieces if piece.rendered}

    with tempfile.TemporaryDirectory(prefix=".bce-render-", dir=out) as scratch:
        scratch_dir = Path(scratch)
        movies = [movie for name in order for movie in by_name[name].movies]
        join_movies(movies, scratch_dir / "film.mp4")
        chapters, subtitles, offset = [], [], 0.0
        for name in order:
            piece = by_name[name]
            chapters.append({"name": name, "start": round(offset, 6), "end": 0.0})
            subtitles += [(offset + s, offset + e, text) for s, e, text in piece.subtitles]
            offset += piece.scene_seconds
            chapters[-1]["end"] = round(offset, 6)
        (scratch_dir / "film.srt").write_text(compose_srt(subtitles), encoding="utf-8")
        (scratch_dir / "chapters.json").write_text(json.dumps(chapters, indent=2) + "\n")
        _keep(scratch_dir, kept)
        _publish(
            scratch_dir / "film.mp4",
            scratch_dir / "film.srt",
            scratch_dir / "chapters.json",
            targets,
            copy=False,
        )
    for movie in movies:  # most recently used: kept longest by _prune_cache
        os.utime(movie)
    _prune_cache(media, set(movies))
    cached = sum(piece.cached for piece in by_name.values())
    total = sum(len(piece.movies) for piece in by_name.values())
    say(
        f"done in {time.monotonic() - started:.1f} s with {len(tasks)} worker(s); "
        f"{cached} of {total} animations came from the cache"
    )
    return targets


def _run_workers(tasks: list[WorkerTask], say, started: float, total: int) -> list[ChapterPiece]:
    """Start one process per task; collect their pieces. The first failure stops all."""
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("spawn")  # a fresh Manim config in each
    # One pipe per worker (a Queue's named semaphores leak when a worker is stopped).
    readers, writers, processes = {}, {}, {}
    for task in tasks:
        readers[task.worker], writers[task.worker] = context.Pipe(duplex=False)
        processes[task.worker] = context.Process(
            target=render_worker,
            args=(task, writers[task.worker]),
            name=f"bce-render-{task.worker}",
        )
    media_dirs = {task.worker: task.media_dir for task in tasks}
    current: dict[int, str | None] = dict.fromkeys(processes)
    ready: set[int] = set()  # workers that unwind quietly on Ctrl-C
    ending: set[int] = set()  # workers that reported done or failed: they end by themselves
    results: dict[int, list[ChapterPiece]] = {}
    done_chapters = 0
    try:
        for worker, process in processes.items():
            # Started with Ctrl-C ignored (inherited through exec): a stop that came
            # while its Python was still starting would print a traceback from there.
            default = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                process.start()
            finally:
                signal.signal(signal.SIGINT, default)
            # The child has its own copy of the writing end; with ours closed, a child
            # that dies closes the pipe and the read below ends instead of waiting.
            writers[worker].close()
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
                kind = message[0]
                if kind == "ready":
                    ready.add(worker)
                elif kind == "start":
                    current[worker] = message[1]
                elif kind == "end":
                    done_chapters += 1
                    piece = message[1]
                    say(
                        f"[{done_chapters:2d}/{total}] {piece.name:<16} worker {worker} "
                        f"{piece.render_seconds:6.1f} s, {piece.cached:3d} of "
                        f"{len(piece.movies):3d} animations cached "
                        f"(at {time.monotonic() - started:6.1f} s)"
                    )
                    current[worker] = None
                elif kind == "done":
                    ending.add(worker)
                    results[worker] = message[1]
                elif kind == "failed":
                    ending.add(worker)
                    _, chapter, detail, trace = message
                    say(trace.rstrip())
                    raise RenderError(chapter, detail)
    finally:
        # Ctrl-C first: a worker unwinds, Manim discards the animation being encoded and
        # Python cleans up; only a worker that does not stop in time is killed. One not
        # yet ready is still starting Python, has written nothing and ignores Ctrl-C.
        for worker, process in processes.items():
            said = {message[0] for message in _pending(readers[worker])}
            if "ready" in said:
                ready.add(worker)
            if said & {"done", "failed"}:
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


def join_movies(movies: list[str], target: Path) -> None:
    """Concatenate partial movies packet by packet (no re-encoding), as Manim does, into
    an MP4 whose index is at the front, so that a browser can start playing at once."""
    import av

    if not movies:
        raise RenderError(None, "no animations were rendered")
    manifest = target.with_suffix(".concat.txt")
    manifest.write_text("".join(f"file 'file:{Path(m).as_posix()}'\n" for m in movies))
    with (
        av.open(str(manifest), format="concat", options={"safe": "0"}) as source,
        av.open(str(target), mode="w", options={"movflags": "+faststart"}) as joined,
    ):
        stream = source.streams.video[0]
        output = joined.add_stream_from_template(template=stream)
        for packet in source.demux(stream):
            if packet.dts is None:  # the flushing packets demux adds
                continue
            packet.dts = None  # let the muxer recompute it across the joins
            packet.stream = output
            joined.mux(packet)
    manifest.unlink()


def compose_srt(subtitles: list[tuple[float, float, str]]) -> str:
    import srt

    return srt.compose(
        srt.Subtitle(number, timedelta(seconds=start), timedelta(seconds=end), text)
        for number, (start, end, text) in enumerate(subtitles, start=1)
    )


def _publish(movie: Path, subtitles: Path, chapters: Path, targets, copy: bool) -> None:
    """Subtitles and chapters first, the MP4 last: its presence means all is there."""
    for source, target in ((subtitles, targets.subtitles), (chapters, targets.chapters)):
        _place(source, target, copy)
    _place(movie, targets.movie, copy)


def _place(source: Path, target: Path, copy: bool) -> None:
    part = target.with_name(f".{target.name}.part")
    (shutil.copyfile if copy else shutil.move)(str(source), str(part))
    part.replace(target)


def _keep(scratch: Path, kept: Path) -> None:
    """Store the finished film under its key (atomically), dropping the oldest."""
    films = kept.parent
    films.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".film-", dir=films))
    for name in ("film.mp4", "film.srt", "chapters.json"):
        shutil.copyfile(scratch / name, staging / name)
    if kept.exists():
        shutil.rmtree(kept)
    staging.replace(kept)
    older = sorted(
        (path for path in films.iterdir() if not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for path in older[MAX_CACHED_FILMS:]:
        shutil.rmtree(path, ignore_errors=True)


def _prune_cache(media: Path, used: set[str]) -> None:
    """Keep the partial movies this render used and the most recently used others (by
    access time, which render() refreshes for the pieces it joined)."""
    # Not the dot-named pieces still being written by a render running beside this one.
    pieces = [
        path for path in media.rglob("partial_movie_files/*/*.mp4") if not path.name.startswith(".")
    ]
    if len(pieces) <= MAX_CACHED_PIECES:
        return
    pieces.sort(key=lambda path: (str(path) in used, path.stat().st_atime), reverse=True)
    for path in pieces[MAX_CACHED_PIECES:]:
        path.unlink(missing_ok=True)
