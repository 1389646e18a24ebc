"""Render the film fast: chapters in parallel worker processes, joined without re-encoding,
with caches of its own (finished films and chapters, by key; Manim's per-animation cache is
off in the workers). ``render()`` is the recipe; each step has a module:

- ``film_cache``: the film key (everything the film is made from); a finished film with
  that key is copied from the cache. Else each chapter's key (what that chapter is made
  from): a finished chapter with its key is taken from the cache; after the render the
  chapter cache and the speech cache (``bce_voice.cache``) are pruned, sparing what the
  film used;
- ``sharing``: the chapters left to draw shared out between ``jobs`` workers, longest
  first (by the time their narration takes to read);
- ``worker``: each worker plays the film in order with the chapters not its own skipped,
  so every chapter starts from the state the whole film reaches; what it draws is kept
  in the chapter cache;
- ``executors``: who runs the workers' tasks: the local pool (``supervisor``: one
  process per task, their messages read as they come (``messages``), the first failure
  stopping them all and naming the chapter), or a Dask cluster (``--cluster``);
- ``bce_film.timeline``: the chapters' and cues' times, from what was rendered;
- ``output``: the pieces joined packet by packet in film order (the same frames as a
  single ``manim scenes/bce.py`` process); from the timeline, the subtitles (.srt, .vtt),
  the chapter lists (.chapters.json, .chapters.vtt) and the stills (``stills``: a poster
  decoded from its chapter's movies, and each chapter's thumbnail, kept with the chapter);
  published so that files appear in ``out`` only when complete.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from bce_film.caches import cache_dir, speech_cache_dir
from bce_film.timeline import RenderedChapter, assemble_timeline
from bce_film.voicing import film_soundtrack, narrate_film
from bce_voice.audio import RATE
from bce_voice.cache import SpeechCache
from bce_voice.soundtrack import encoded_track, mux_soundtrack
from scenes.chapters import ORDER
from scenes.film import check_film
from scenes.narration import chapter_headings

from .executors import ChapterExecutor, LocalPool
from .film_cache import (
    chapter_key,
    film_key,
    keep_chapter,
    keep_film,
    kept_chapter,
    kept_film,
    note_published,
    prune_chapters,
    still_published,
)
from .output import join_movies, publish, write_film_files
from .request import QUALITIES, RenderedFilm, RenderError, RenderRequest, output_stem
from .sharing import estimated_costs, share_out
from .stills import chapter_still, poster_chapter
from .worker import WorkerTask

__all__ = ["QUALITIES", "RenderError", "RenderRequest", "RenderedFilm", "render"]


def render(
    request: RenderRequest,
    out: Path,
    progress: Callable[[str], None] | None = None,
    executor: ChapterExecutor | None = None,
) -> RenderedFilm:
    """Render the film into ``out`` (see the module's docstring); the chapters left to
    draw run on ``executor`` (None: a local pool of its own)."""
    say = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    if executor is not None:
        return _render(request, out, say, executor)
    pool = LocalPool()
    try:
        return _render(request, out, say, pool)
    finally:
        pool.close()


def _render(
    request: RenderRequest, out: Path, say: Callable[[str], None], executor: ChapterExecutor
) -> RenderedFilm:
    # Bad data, words, chapter declarations, voice or recordings fail here, before
    # anything is written.
    inputs = request.options.inputs()
    wanted = request.chapters or ORDER
    check_film(inputs.words, wanted)
    # A voice with cues to speak means a changed cue, so a chapter to draw: a worker
    # gets ready meanwhile.
    narration = narrate_film(request.options, inputs, wanted, while_speaking=executor.prepare)
    speech = narration.seconds() if narration else {}
    if narration is not None:
        say(f"narration: {narration.summary()}")
    stem = output_stem(request.options, request.chapters, request.draft)
    targets = RenderedFilm.named(out, stem)
    key = film_key(request, narration.fingerprint() if narration else None)
    out.mkdir(parents=True, exist_ok=True)
    if still_published(key, targets):
        say(f"unchanged since the last render, and in place: {targets.movie} (from the cache)")
        return replace(targets, from_cache=True)
    if (kept := kept_film(key, stem, say)) is not None:
        publish(kept, targets, copy=True)
        note_published(key, targets)
        say(f"unchanged since the last render: {targets.movie} (from the cache)")
        return replace(targets, from_cache=True)

    order = [name for name in ORDER if name in wanted]
    keys = {name: chapter_key(request, inputs.words, speech, name) for name in order}
    chapters = {name: kept for name in order if (kept := kept_chapter(keys[name], name, say))}
    to_draw = [name for name in order if name not in chapters]
    started = time.monotonic()
    workers = 0
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".bce-pieces-", dir=cache) as pieces_dir:
        if to_draw:
            workers = min(executor.slots(request), len(to_draw))
            shares = share_out(estimated_costs(inputs.words, to_draw, speech), workers)
            shared = (str(cache / "Tex"), str(cache / "texts"), speech)
            tasks = [
                WorkerTask(worker, request, tuple(share), f"{pieces_dir}/{worker}", *shared)
                for worker, share in enumerate(shares)
            ]
            pieces = executor.run(tasks, say, started, total=len(to_draw))
            # Each chapter was drawn by one worker (the others skipped it, and a skipped
            # chapter's length is not counted in whole frames).
            for piece in pieces:
                if piece.rendered:
                    chapters[piece.name] = keep_chapter(keys[piece.name], piece)
    headings = chapter_headings(inputs.lesson, inputs.words, inputs.style)
    timeline = assemble_timeline(
        RenderedChapter(
            name,
            chapters[name].scene_seconds,
            tuple(chapters[name].cues),
            headings[name],
            chapters[name].fullest_cue,
        )
        for name in order
    )

    with (
        tempfile.TemporaryDirectory(prefix=".bce-render-", dir=out) as scratch,
        ThreadPoolExecutor(1, thread_name_prefix="bce-sound") as sound_maker,
    ):
        scratch_dir = Path(scratch)
        film, video, sound = (scratch_dir / name for name in ("film.mp4", "video.mp4", "sound.m4a"))
        movies = [movie for name in order for movie in chapters[name].movies]
        if narration is not None:
            # The voice's track, timed by what was rendered and as long as the movies,
            # is mastered, coded and checked beside the joining and the stills (PyAV and
            # numpy let go of the GIL: the two take the time of the longer).
            samples = round(sum(chapters[name].length for name in order) * RATE)
            track = film_soundtrack(timeline, narration).lasting(samples)
            coded = sound_maker.submit(encoded_track, track, sound)
        join_movies(movies, video if narration is not None else film)
        poster = poster_chapter(timeline)
        write_film_files(
            scratch_dir,
            timeline,
            chapter_still(chapters[poster.name].movies, poster),
            [chapters[name].thumbnail for name in order],
        )
        if narration is not None:
            coded.result()
            mux_soundtrack(video, sound, film)
            say(f"sound: {track.mastered_now} of {len(track.chapters)} chapters mastered")
            video.unlink()
            sound.unlink()
        keep_film(scratch_dir, targets.files(), key)
        publish(scratch_dir, targets, copy=False)
    note_published(key, targets)
    prune_chapters(set(keys.values()))
    SpeechCache(speech_cache_dir()).prune(narration.cache_keys if narration else ())
    # The per-animation pieces that bce-video kept here before the chapter cache (Manim's
    # cache, shared by the workers then): nothing reads them now; removed for the disk
    # space of caches made by those versions.
    shutil.rmtree(cache / "media", ignore_errors=True)
    say(
        f"done in {time.monotonic() - started:.1f} s with {workers} worker(s); "
        f"{len(order) - len(to_draw)} of {len(order)} chapters came from the cache"
    )
    return targets
