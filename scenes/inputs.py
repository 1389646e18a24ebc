"""What a film is made of: the numbers, the look and the words (no Manim here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bce_core import Lesson

from .style import Style
from .words import Words


@dataclass(frozen=True)
class FilmInputs:
    """A Lesson (every number), a Style (theme and layout), the Words of a language, and
    how long the voice speaks each cue. Made by ``bce_film.options.FilmOptions.inputs()``,
    which holds the defaults."""

    lesson: Lesson
    style: Style
    words: Words
    # Seconds of speech by cue id: each of these cues lasts as long as its voice. Empty
    # for a silent film, whose cues last as long as they take to read.
    speech: Mapping[str, float] = field(default_factory=dict)
    # Whether each cue's words are also drawn in the picture, in the caption band.
    captions: bool = False
