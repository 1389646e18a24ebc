"""The Scene class the film renders with, and a plain manim run's options.

``scenes/bce.py`` and ``scenes/chapter.py`` build their scenes on ``FilmScene``; a worker
of ``bce-video render`` uses ``film_renderer(pieces_only=True)``. Both set Manim's frame
from the film's layout with ``apply_frame``.
"""

from __future__ import annotations

import sys

from manim import Scene
from manim.renderer.cairo_renderer import CairoRenderer

from bce_core import DataError, FitError
from scenes.contract import FilmError
from scenes.film import check_film
from scenes.inputs import FilmInputs
from scenes.style import Layout

from .encoding import FilmFileWriter, PiecesFileWriter
from .options import FilmOptions, OptionsError

EXIT_BAD_INPUT = 2


class FilmScene(Scene):
    """A Scene rendered with ``film_renderer``: the base of scenes/bce.py and chapter.py."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("renderer", film_renderer())
        super().__init__(**kwargs)


def film_renderer(pieces_only: bool = False) -> CairoRenderer:
    """The Cairo renderer the film uses, with the held-frame encoder."""
    return CairoRenderer(file_writer_class=PiecesFileWriter if pieces_only else FilmFileWriter)


def apply_frame(config, layout: Layout) -> None:
    """Give Manim's frame the layout's shape. Landscape is Manim's own frame; a vertical
    layout swaps the pixels (the same count) and is ``frame_units`` wide."""
    if layout.vertical and config.pixel_width > config.pixel_height:
        config.pixel_width, config.pixel_height = config.pixel_height, config.pixel_width
        config.frame_height = layout.frame_units * config.pixel_height / config.pixel_width
        config.frame_width = layout.frame_units


def inputs_for_manim() -> FilmInputs:
    """The film's inputs for a plain manim run, from BCE_*, with Manim's frame set to match.
    A bad value ends the run with its message and exit code 2 (no traceback), as the
    bce-video command does, before Manim opens any file."""
    from manim import config

    try:
        inputs = FilmOptions.from_environment().inputs()  # reads and fits the data
        check_film(inputs.words)  # the words against what the chapters say
    except (OptionsError, DataError, FitError, FilmError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT) from None
    apply_frame(config, inputs.style.layout)
    return inputs
