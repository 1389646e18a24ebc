"""Render the film fast: chapters in parallel worker processes, joined without re-encoding,
on top of Manim's own cache. ``render()`` is the recipe; each step has a module:

- ``film_cache``: the film key (everything the film is made from); a finished film with
  that key is copied from the cache, and Manim's shared partial-movie cache is pruned;
- ``sharing``: the chapters shared out between ``jobs`` workers, longest first (by the
  time their narration takes to read);
- ``worker``: each worker plays the film in order with the other workers' chapters
  skipped, so every chapter starts from the state the whole film reaches, drawing only
  the animations Manim's cache does not have;
- ``supervisor``: runs the workers and reads their messages (``messages``); the first
  failure stops them all and names the chapter;
- ``bce_film.timeline``: the chapters' and cues' times, from what was rendered;
- ``output``: the pieces joined packet by packet in film order (the same frames as a
  single ``manim scenes/bce.py`` process); from the timeline, the subtitles (.srt, .vtt),
  the chapter lists (.chapters.json, .chapters.vtt) and the stills (``stills``: a poster
  and a thumbnail per chapter); published so that files appear in ``out`` only when
  complete.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bce_film.caches import cache_dir
from bce_film.timeline import RenderedChapter, assemble_timeline
from bce_film.voicing import narrate_film, placed_clips
from bce_voice.soundtrack import add_soundtrack
from scenes.chapters import ORDER
from scenes.film import check_film
from scenes.narration import chapter_headings

from .film_cache import film_key, keep_film, kept_film, prune_pieces
from .output import join_movies, publish, write_film_files
from .request import QUALITIES, RenderedFilm, RenderError, RenderRequest, output_stem
from .sharing import estimated_costs, share_out
from .supervisor import run_workers
from .worker import WorkerTask

__all__ = ["QUALITIES", "RenderError", "RenderRequest", "RenderedFilm", "render"]


def render(
    request: RenderRequest,
    out: Path,
    progress: Callable[[str], None] | None = None,
) -> RenderedFilm:
    """Render the film into ``out`` (see the module's docstring)."""
    say = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    # Bad data, words, chapter declarations, voice or recordings fail here, before
    # anything is written.
    inputs = request.options.inputs()
    wanted = request.chapters or ORDER
    check_film(inputs.words, wanted)
    narration = narrate_film(request.options, inputs, wanted)
    speech = narration.seconds() if narration else {}
    if narration is not None:
        say(f"narration: {narration.summary()}")
    stem = output_stem(request.options, request.chapters, request.draft)
    targets = RenderedFilm.named(out, stem)
    key = film_key(request, narration.fingerprint() if narration else None)
    out.mkdir(parents=True, exist_ok=True)
    if (kept := kept_film(key)) is not None:
        publish(kept, targets, copy=True)
        say(f"unchanged since the last render: {targets.movie} (from the cache)")
        return replace(targets, from_cache=True)

    order = [name for name in ORDER if name in wanted]
    shares = share_out(estimated_costs(inputs.words, order, speech), request.jobs)
    started = time.monotonic()
    media = cache_dir() / "media"
    tex, texts = str(cache_dir() / "Tex"), str(cache_dir() / "texts")
    tasks = [
        WorkerTask(worker, request, tuple(share), str(media), tex, texts, speech)
        for worker, share in enumerate(shares)
    ]
    pieces = run_workers(tasks, say, started, total=len(order))
    # Each chapter was rendered by one worker (the others skipped it, and a skipped
    # chapter's length is not counted in whole frames).
    by_name = {piece.name: piece for piece in pieces if piece.rendered}
    headings = chapter_headings(inputs.lesson, inputs.words, inputs.style)
    timeline = assemble_timeline(
        RenderedChapter(
            name, by_name[name].scene_seconds, tuple(by_name[name].cues), headings[name]
        )
        for name in order
    )

    with tempfile.TemporaryDirectory(prefix=".bce-render-", dir=out) as scratch:
        scratch_dir = Path(scratch)
        movies = [movie for name in order for movie in by_name[name].movies]
        join_movies(movies, scratch_dir / "film.mp4")
        if narration is not None:  # the voice's track, timed by what was rendered
            film = scratch_dir / "film.mp4"
            add_soundtrack(film, placed_clips(timeline, narration), film)
        write_film_files(scratch_dir, scratch_dir / "film.mp4", timeline)
        keep_film(scratch_dir, targets.files(), key)
        publish(scratch_dir, targets, copy=False)
    for movie in movies:  # most recently used: kept longest by prune_pieces
        os.utime(movie)
    prune_pieces(media, set(movies))
    cached = sum(piece.cached for piece in by_name.values())
    total = sum(len(piece.movies) for piece in by_name.values())
    say(
        f"done in {time.monotonic() - started:.1f} s with {len(tasks)} worker(s); "
        f"{cached} of {total} animations came from the cache"
    )
    return targets
