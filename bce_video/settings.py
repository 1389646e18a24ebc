"""What a film is made from, as options: from the command line or from BCE_* variables.

The same settings reach a plain ``manim scenes/bce.py`` run through the environment
(``BCE_DATA=scores.csv BCE_LANG=zh manim -ql scenes/bce.py``), so a film is the same
whichever way it is started.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from bce_core import build_lesson, dataset_from
from scenes.words import available_languages

# Themes are checked by name here, so that `bce-video numbers` never imports Manim
# (seconds of start-up); scenes.style holds the palettes themselves.
THEMES = ("dark", "light")

#: Environment variable of each setting.
ENVIRONMENT = {
    "data": "BCE_DATA",
    "positive": "BCE_POSITIVE",
    "C": "BCE_C",
    "no_penalty": "BCE_NO_PENALTY",
    "language": "BCE_LANG",
    "theme": "BCE_THEME",
    "aspect": "BCE_ASPECT",
}

ASPECTS = ("16:9", "9:16")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class SettingsError(ValueError):
    """An option or BCE_* variable has a value the film cannot use."""


@dataclass(frozen=True)
class Settings:
    data: str | None = None  # None: the article's ten points
    positive: str | None = None
    C: float | None = 1.0  # None: no penalty
    language: str = "en"
    theme: str = "dark"
    aspect: str = "16:9"

    def __post_init__(self) -> None:
        if self.C is not None and not (math.isfinite(self.C) and self.C > 0):
            raise SettingsError(f"C is {self.C!r}, expected a positive finite number")
        if self.language not in available_languages():
            raise SettingsError(
                f"language {self.language!r} is not available; "
                f"expected one of {', '.join(available_languages())}"
            )
        if self.theme not in THEMES:
            raise SettingsError(
                f"theme {self.theme!r} is not available; expected one of {', '.join(THEMES)}"
            )
        if self.aspect not in ASPECTS:
            raise SettingsError(f"aspect {self.aspect!r}: expected one of {', '.join(ASPECTS)}")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(ENVIRONMENT[name])
            return value.strip() if value is not None and value.strip() else None

        no_penalty = (get("no_penalty") or "").lower()
        if no_penalty not in _TRUE | _FALSE:
            raise SettingsError(f"BCE_NO_PENALTY is {env.get('BCE_NO_PENALTY')!r}, expected 1 or 0")
        C: float | None = 1.0
        if get("C") is not None:
            try:
                C = float(get("C"))
            except ValueError:
                raise SettingsError(f"BCE_C is {get('C')!r}, expected a positive number") from None
        if no_penalty in _TRUE:
            C = None
        return cls(
            data=get("data"),
            positive=get("positive"),
            C=C,
            language=(get("language") or "en").lower(),
            theme=(get("theme") or "dark").lower(),
            aspect=get("aspect") or "16:9",
        )

    def to_environment(self) -> dict[str, str]:
        """BCE_* variables that make a plain manim run use these settings."""
        env = {
            ENVIRONMENT["language"]: self.language,
            ENVIRONMENT["theme"]: self.theme,
            ENVIRONMENT["aspect"]: self.aspect,
            ENVIRONMENT["no_penalty"]: "1" if self.C is None else "0",
        }
        if self.C is not None:
            env[ENVIRONMENT["C"]] = repr(self.C)
        if self.data is not None:
            env[ENVIRONMENT["data"]] = os.path.abspath(self.data)
        if self.positive is not None:
            env[ENVIRONMENT["positive"]] = self.positive
        return env

    def lesson(self):
        """The Lesson; raises bce_core.DataError or FitError for unusable data."""
        return build_lesson(dataset_from(self.data, positive=self.positive), C=self.C)

    def inputs(self):
        """The film's FilmInputs: lesson, style and words."""
        from scenes.film import FilmInputs
        from scenes.style import current_style
        from scenes.words import load_words

        style = current_style(self.theme, self.aspect)
        return FilmInputs(self.lesson(), style, load_words(self.language))


def check_chapters(names: list[str]) -> list[str]:
    from scenes.film import chapter_names

    known = chapter_names()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SettingsError(
            f"no chapter named {', '.join(map(repr, unknown))}; chapters: {', '.join(known)}"
        )
    return names


def apply_aspect(config, aspect: str) -> None:
    """Make Manim's frame vertical for 9:16 (same pixel count, width and height swapped)."""
    if aspect == "9:16" and config.pixel_width > config.pixel_height:
        config.pixel_width, config.pixel_height = config.pixel_height, config.pixel_width
        config.frame_height = 8.0 * config.pixel_height / config.pixel_width
        config.frame_width = 8.0


def settings_for_manim() -> Settings:
    """The settings of a plain manim run, from BCE_*; a bad value ends the run with its
    message and exit code 2 (no traceback), as the bce-video command does."""
    import sys

    from manim import config

    from bce_core import DataError, FitError

    try:
        settings = Settings.from_environment()
        settings.lesson()  # fail now, before Manim opens any file
    except (SettingsError, DataError, FitError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    apply_aspect(config, settings.aspect)
    return settings
