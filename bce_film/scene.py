"""The Scene class the film renders with, and a plain manim run's options.

``scenes/bce.py`` and ``scenes/chapter.py`` build their scenes on ``FilmScene``; a worker
of ``bce-video render`` uses ``film_renderer(pieces_only=True)``. Both set Manim's frame
from the film's layout with ``apply_frame``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from manim import Scene
from manim.renderer.cairo_renderer import CairoRenderer

from bce_core.cli import EXIT_BAD_INPUT
from bce_voice.narrator import Narration
from scenes.chapters import ORDER
from scenes.film import check_film, play_chapters
from scenes.inputs import FilmInputs
from scenes.style import Layout

from .bad_input import BAD_INPUT
from .chapter_timer import ChapterTimer
from .encoding import FilmFileWriter, PiecesFileWriter
from .options import FilmOptions
from .voicing import film_soundtrack, narrate_film


@dataclass(frozen=True)
class ManimFilm:
    """What a plain manim run plays: the inputs, and the narration (None: silent)."""

    inputs: FilmInputs
    narration: Narration | None
    chapters: tuple[str, ...]  # those rendered (the others, if any, are skipped)


class FilmScene(Scene):
    """The film's Scene, rendered with ``film_renderer``: it plays ``chapters`` (the
    others before them skipped) of the film BCE_* describes. scenes/bce.py's scene plays
    them all, and scenes/chapter.py's one each.

    The film is made when the scene is: reading and fitting the data, checking the
    words, narrating and setting Manim's frame happen for a scene Manim renders, not when
    Manim imports the file to look for scenes."""

    chapters: tuple[str, ...] = ORDER

    def __init__(self, **kwargs) -> None:
        from manim import config

        from .caches import prepare_renderings

        # Another render or a preflight may be using the same media folder's Text and
        # LaTeX renderings right now (two terminals, or the tests' two processes).
        prepare_renderings(Path(config.get_dir("text_dir")).parent / ".renderings.lock")
        # Before Manim's renderer is made: it takes the frame's shape from the config.
        self.film = film_for_manim(self.chapters)
        kwargs.setdefault("renderer", film_renderer())
        super().__init__(**kwargs)

    def construct(self) -> None:
        self.play_film(self.film)

    def play_film(self, film: ManimFilm) -> None:
        """Play the film's chapters (``film.chapters``; the others before them skipped)
        and, if it is narrated, give the file writer its soundtrack, timed by what was
        rendered."""
        timer = ChapterTimer()
        only = None if film.chapters == ORDER else film.chapters
        play_chapters(
            self,
            film.inputs,
            only=only,
            on_chapter_start=timer.start,
            on_chapter_end=timer.end,
            on_cue_end=timer.cue_end,
        )
        if film.narration is not None:
            self.renderer.file_writer.soundtrack = film_soundtrack(timer.timeline(), film.narration)


class FilmRenderer(CairoRenderer):
    """Manim's Cairo renderer with a clock that counts the frames the video holds.

    Manim advances its clock by the frames it writes for an animation it draws (a whole
    number; a wait's is rounded down), but by the run time for one it takes from its cache.
    The timeline (chapters, subtitles, sound, a caption's hold) is read from this clock, so
    it drifted from the video by up to a frame per cached animation, differently with every
    cache state. Here a cached animation counts the frames of its movie. (Only a plain
    ``manim`` run takes animations from Manim's cache: bce-video's workers turn it off.)

    And it draws no picture for a play it skips. Manim draws the scene twice for each
    (its static part, then its end), at the frame's resolution, and writes neither: a
    worker skips every chapter before its own, and a preflight every play."""

    _playing = False

    def play(self, scene, *args, **kwargs) -> None:
        started = self.time
        self._playing = True
        try:
            super().play(scene, *args, **kwargs)
        finally:
            self._playing = False
        taken_from_cache = self.skip_animations and self.animations_hashes[-1] is not None
        if taken_from_cache:
            movie = self.file_writer.partial_movie_files[-1]
            self.time = started + movie_frames(movie) / self.camera.frame_rate

    def update_frame(self, scene, *args, **kwargs) -> None:
        # Outside a play (a still of the last frame, -s) the frame is drawn as ever.
        if self._playing and self.skip_animations:
            return
        super().update_frame(scene, *args, **kwargs)


def movie_frames(path: str) -> int:
    """The number of frames in a partial movie (from its header)."""
    import av

    with av.open(path) as container:
        stream = container.streams.video[0]
        if stream.frames:
            return stream.frames
        return sum(1 for packet in container.demux(stream) if packet.size)  # not flushes


def film_renderer(pieces_only: bool = False) -> CairoRenderer:
    """The renderer the film uses: frame-counting clock, held-frame encoder."""
    return FilmRenderer(file_writer_class=PiecesFileWriter if pieces_only else FilmFileWriter)


def apply_frame(config, layout: Layout) -> None:
    """Give Manim's frame the layout's shape. Landscape is Manim's own frame; a vertical
    layout swaps the pixels (the same count) and is ``frame_units`` wide."""
    if layout.vertical and config.pixel_width > config.pixel_height:
        config.pixel_width, config.pixel_height = config.pixel_height, config.pixel_width
        config.frame_height = layout.frame_units * config.pixel_height / config.pixel_width
        config.frame_width = layout.frame_units


def film_for_manim(chapters: Iterable[str] = ORDER) -> ManimFilm:
    """The film for a plain manim run of ``chapters``, from BCE_*, narrated (BCE_VOICE,
    BCE_NARRATION) and with Manim's frame set to match. A bad value ends the run with its
    message and exit code 2 (no traceback), as the bce-video command does, before Manim
    opens any file."""
    from manim import config

    chapters = tuple(chapters)
    try:
        options = FilmOptions.from_environment()
        inputs = options.inputs()  # reads and fits the data
        check_film(inputs.words, chapters)  # the words against what the chapters say
        narration = narrate_film(options, inputs, chapters)
    except BAD_INPUT as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT) from None
    if narration is not None:
        inputs = options.inputs(narration.seconds())
    apply_frame(config, inputs.style.layout)
    return ManimFilm(inputs, narration, chapters)
