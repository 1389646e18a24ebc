"""What a film is made from, as options: one home for each option's default, its valid
values, its command-line flag and its BCE_* variable.

The command line (``bce-video``), the BCE_* variables of a plain ``manim scenes/bce.py``
run and the scene entry points all read ``FilmOptions``, so a film is the same whichever
way it is started. The valid values come from where the things are: themes from the
palettes, aspects from the layouts (both in ``scenes.style``), languages from the files in
``scenes/text/``. Nothing here imports Manim: ``bce-video numbers`` and ``bce-video
script`` start in a fraction of a second.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from bce_core import Lesson, build_lesson, dataset_from
from bce_core.cli import positive_number
from bce_voice.speech import VoiceError
from bce_voice.voices import check_voice, default_voice, voice_names
from scenes.inputs import FilmInputs
from scenes.style import LAYOUTS, PALETTES, current_style
from scenes.words import available_languages, load_words

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class OptionsError(ValueError):
    """An option or BCE_* variable has a value the film cannot use."""


def themes() -> tuple[str, ...]:
    return tuple(PALETTES)


def aspects() -> tuple[str, ...]:
    return tuple(LAYOUTS)


def languages() -> tuple[str, ...]:
    return tuple(available_languages())


#: Captions in the picture: "burn" draws each cue in the caption band, "off" leaves the
#: words to the subtitle files. Unset, the aspect decides: phones play 9:16 without
#: sidecar subtitles, so it burns them in; 16:9 does not.
CAPTION_MODES = ("burn", "off")
BURNT_BY_DEFAULT = ("9:16",)


@dataclass(frozen=True)
class FilmOptions:
    """The film's inputs as a user gives them. The defaults below are the only ones."""

    data: str | None = None  # a CSV or JSON file; None: the article's ten points
    positive: str | None = None  # the label of the positive class
    C: float | None = 1.0  # scikit-learn's C; None: no penalty
    language: str = "en"  # of languages()
    theme: str = "dark"  # of themes()
    aspect: str = "16:9"  # of aspects()
    voice: str | None = None  # of voice_names(); None: the language's default_voice
    narration: str | None = None  # a folder of recordings, one per cue id
    captions: str | None = None  # of CAPTION_MODES; None: burnt in 9:16 only

    def __post_init__(self) -> None:
        if self.C is not None and not (math.isfinite(self.C) and self.C > 0):
            raise OptionsError(f"C is {self.C!r}, expected a positive finite number")
        for name, valid in (
            ("language", languages()),
            ("theme", themes()),
            ("aspect", aspects()),
            ("captions", (*CAPTION_MODES, None)),
        ):
            value = getattr(self, name)
            if value not in valid:
                valid = [v for v in valid if v is not None]
                raise OptionsError(
                    f"{name} {value!r} is not available; expected one of {', '.join(valid)}"
                )
        try:
            check_voice(self.spoken_by, self.language)
        except VoiceError as error:
            raise OptionsError(str(error)) from None

    @property
    def burns_captions(self) -> bool:
        """Whether the cues are drawn in the picture (asked for, or the aspect's default)."""
        if self.captions is None:
            return self.aspect in BURNT_BY_DEFAULT
        return self.captions == "burn"

    @property
    def spoken_by(self) -> str:
        """The voice's name: the one asked for, else the language's default."""
        return self.voice or default_voice(self.language)

    # --- the environment: BCE_* ---------------------------------------------------------

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> FilmOptions:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(VARIABLES[name])
            return value.strip() if value is not None and value.strip() else None

        no_penalty = (get("no_penalty") or "").lower()
        if no_penalty not in _TRUE | _FALSE:
            raise OptionsError(
                f"{VARIABLES['no_penalty']} is {env.get(VARIABLES['no_penalty'])!r}, "
                "expected 1 or 0"
            )
        given: dict[str, object] = {}
        if get("C") is not None:
            try:
                given["C"] = float(get("C"))
            except ValueError:
                raise OptionsError(
                    f"{VARIABLES['C']} is {get('C')!r}, expected a positive number"
                ) from None
        if no_penalty in _TRUE:
            given["C"] = None
        for name in ("data", "positive", "aspect", "narration"):
            if get(name) is not None:
                given[name] = get(name)
        for name in ("language", "theme", "voice", "captions"):  # names, in any case
            if get(name) is not None:
                given[name] = get(name).lower()
        return cls(**given)

    # --- the command line ----------------------------------------------------------------

    @staticmethod
    def add_data_arguments(parser: argparse.ArgumentParser) -> None:
        """--data, --positive, --C / --no-penalty: what the numbers are made from."""
        parser.add_argument(
            "--data", metavar="FILE", help="CSV (x,y) or JSON; default: the article"
        )
        parser.add_argument("--positive", metavar="LABEL", help="the label of the positive class")
        penalty = parser.add_mutually_exclusive_group()
        penalty.add_argument(
            "--C",
            type=positive_number,
            default=DEFAULTS.C,
            metavar="VALUE",
            help=f"L2 penalty's C (default {DEFAULTS.C:g})",
        )
        penalty.add_argument("--no-penalty", action="store_true", help="maximum likelihood")

    @staticmethod
    def add_language_argument(parser: argparse.ArgumentParser, several: bool = False) -> None:
        """--lang: one language, or with ``several`` one or more (``language`` is then the
        first; ``languages_from`` gives them all)."""
        if several:
            parser.add_argument(
                "--lang",
                nargs="+",
                default=[DEFAULTS.language],
                choices=languages(),
                metavar="LANG",
                help=f"one film per language ({', '.join(languages())}); the first leads",
            )
        else:
            parser.add_argument("--lang", default=DEFAULTS.language, choices=languages())

    @staticmethod
    def add_look_arguments(parser: argparse.ArgumentParser) -> None:
        """--theme, --aspect and --captions: how the film looks."""
        parser.add_argument("--theme", default=DEFAULTS.theme, choices=themes())
        parser.add_argument("--aspect", default=DEFAULTS.aspect, choices=aspects())
        parser.add_argument(
            "--captions",
            choices=CAPTION_MODES,
            help="burn: draw the words in the picture too (default in 9:16); off: only "
            "in the subtitle files (default in 16:9)",
        )

    @staticmethod
    def add_voice_arguments(parser: argparse.ArgumentParser) -> None:
        """--voice and --narration: who speaks the cues."""
        parser.add_argument(
            "--voice",
            choices=voice_names(),
            help="who speaks the cues (default: the most natural installed voice for the "
            "language; none when there is no natural one)",
        )
        parser.add_argument(
            "--narration",
            metavar="DIR",
            help="your recordings, one file per cue named by its id (mean_loss.settle.wav)",
        )

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> FilmOptions:
        """From a parser given the arguments above (those it was not given keep the
        defaults)."""
        return cls(
            data=args.data,
            positive=args.positive,
            C=None if args.no_penalty else args.C,
            language=cls.languages_from(args)[0],
            theme=getattr(args, "theme", DEFAULTS.theme),
            aspect=getattr(args, "aspect", DEFAULTS.aspect),
            voice=getattr(args, "voice", None),
            narration=getattr(args, "narration", None),
            captions=getattr(args, "captions", None),
        )

    @staticmethod
    def languages_from(args: argparse.Namespace) -> tuple[str, ...]:
        """The languages asked for, each once, in the order given."""
        asked = getattr(args, "lang", DEFAULTS.language)
        return tuple(dict.fromkeys([asked] if isinstance(asked, str) else asked))

    # --- what the options make -----------------------------------------------------------

    def lesson(self) -> Lesson:
        """The Lesson; raises bce_core.DataError or FitError for unusable data."""
        return build_lesson(dataset_from(self.data, positive=self.positive), C=self.C)

    def inputs(self, speech: Mapping[str, float] | None = None) -> FilmInputs:
        """The film's inputs: lesson, style and words, and ``speech``, the seconds each
        cue is spoken (``bce_film.voicing.narrate_film``; None: a silent film)."""
        return FilmInputs(
            self.lesson(),
            current_style(self.theme, self.aspect),
            load_words(self.language),
            dict(speech or {}),
            captions=self.burns_captions,
        )


DEFAULTS = FilmOptions()

#: The BCE_* variable of each option, for a plain manim run.
VARIABLES = {
    "data": "BCE_DATA",
    "positive": "BCE_POSITIVE",
    "C": "BCE_C",
    "no_penalty": "BCE_NO_PENALTY",
    "language": "BCE_LANG",
    "theme": "BCE_THEME",
    "aspect": "BCE_ASPECT",
    "voice": "BCE_VOICE",
    "narration": "BCE_NARRATION",
    "captions": "BCE_CAPTIONS",
}
