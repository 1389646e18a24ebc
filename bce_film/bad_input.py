"""What counts as bad input: an error the film's inputs raise before anything renders.

A plain manim run (``bce_film.scene.film_for_manim``) and the ``bce-video`` command both
end on one of these with its message and exit code ``bce_core.cli.EXIT_BAD_INPUT`` (2),
no traceback and nothing written. Nothing here imports Manim.
"""

from __future__ import annotations

from bce_core import DataError, FitError
from bce_voice.recordings import NarrationError
from bce_voice.speech import VoiceError
from scenes.contract import FilmError
from scenes.words import WordsError

from .options import OptionsError

#: The exceptions that are bad input (a subclass counts: SpokenError is a WordsError).
BAD_INPUT: tuple[type[Exception], ...] = (
    OptionsError,
    DataError,
    FitError,
    FilmError,
    WordsError,
    NarrationError,
    VoiceError,
)
