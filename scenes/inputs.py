"""What a film is made of: the numbers, the look and the words (no Manim here)."""

from __future__ import annotations

from dataclasses import dataclass

from bce_core import Lesson

from .style import Style
from .words import Words


@dataclass(frozen=True)
class FilmInputs:
    """A Lesson (every number), a Style (theme and layout) and the Words of a language.
    Made by ``bce_film.options.FilmOptions.inputs()``, which holds the defaults."""

    lesson: Lesson
    style: Style
    words: Words
