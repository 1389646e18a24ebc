"""On-screen words and narration, per language, from ``scenes/text/<lang>.toml``.

Each chapter's table holds its on-screen words by key, and a ``cues`` table: the
narration, one cue per entry, keyed by the cue's name in the order the cues are spoken.
A cue's id is ``chapter.name`` (``mean_loss.settle``). Placeholders in braces are filled
from the Lesson (``scenes.narration.format_numbers``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

TEXT_DIR = Path(__file__).parent / "text"
#: Tables of a language file that are not chapters.
NOT_CHAPTERS = ("meta", "article", "common", "page", "speech")
#: A chapter's table of spoken forms (``scenes.spoken``): what a voice says for a cue
#: whose written form it cannot read as it stands.
SPOKEN = "spoken"


class WordsError(ValueError):
    """A language file the film cannot use; the message names the file and the key."""


def cue_id(chapter: str, name: str) -> str:
    return f"{chapter}.{name}"


@dataclass(frozen=True)
class Words:
    """The words of one language: ``words.get("fit", "heading", positive="green")``."""

    language: str
    table: dict
    path: Path

    def get(self, chapter: str, key: str, **values: object) -> str:
        try:
            template = self.table[chapter][key]
        except KeyError:
            raise WordsError(f"{self.path} has no [{chapter}] {key}") from None
        return template.format(**values)

    def chapters(self) -> list[str]:
        """The chapters this file has words for, in the file's order."""
        return [name for name in self.table if name not in NOT_CHAPTERS]

    def cue_templates(self, chapter: str) -> dict[str, str]:
        """The chapter's cues by name, in the order they are spoken, unformatted."""
        return dict(self.table.get(chapter, {}).get("cues", {}))

    def spoken_template(self, chapter: str, key: str) -> str | None:
        """The spoken form the file gives for a cue (or another key), unformatted."""
        return self.table.get(chapter, {}).get(SPOKEN, {}).get(key)

    def cue(self, chapter: str, name: str, **values: object) -> str:
        try:
            template = self.table[chapter]["cues"][name]
        except KeyError:
            raise WordsError(f"{self.path} has no cue {cue_id(chapter, name)!r}") from None
        return template.format(**values)

    @property
    def reading_chars_per_second(self) -> float:
        """How fast this language's subtitles are read (Chinese counts characters)."""
        return float(self.table["meta"]["reading_chars_per_second"])

    def article_label(self, label: str) -> str:
        """The article's label ("green", "red") in this language."""
        return self.table["article"].get(label, label)


def available_languages() -> list[str]:
    return sorted(path.stem for path in TEXT_DIR.glob("*.toml"))


def _check_shape(path: Path, table: dict) -> None:
    """Every cue is a non-empty string in a ``cues`` table; the reading speed is there."""
    try:
        speed = float(table["meta"]["reading_chars_per_second"])
    except (KeyError, TypeError, ValueError):
        raise WordsError(f"{path}: [meta] reading_chars_per_second, a number, is missing") from None
    if not speed > 0:
        raise WordsError(f"{path}: [meta] reading_chars_per_second is {speed}, expected > 0")
    for chapter, words in table.items():
        if chapter in NOT_CHAPTERS:
            continue
        cues = words.get("cues") if isinstance(words, dict) else None
        if not isinstance(cues, dict) or not cues:
            raise WordsError(
                f"{path}: [{chapter}] has no [{chapter}.cues] table "
                '(each cue a name = "words", in the order they are spoken)'
            )
        for name, text in cues.items():
            if not isinstance(text, str) or not text.strip():
                raise WordsError(f"{path}: cue {cue_id(chapter, name)!r} is not a non-empty string")
        spoken = words.get(SPOKEN, {})
        if not isinstance(spoken, dict):
            raise WordsError(f'{path}: [{chapter}.{SPOKEN}] must be a table of name = "words"')
        for name, text in spoken.items():
            written = cues.get(name, words.get(name))
            if not isinstance(written, str) or name in (SPOKEN, "cues"):
                raise WordsError(
                    f"{path}: [{chapter}.{SPOKEN}] {name} is the spoken form of no cue of "
                    f"[{chapter}] (its cues: {', '.join(cues)})"
                )
            if not isinstance(text, str) or not text.strip():
                raise WordsError(f"{path}: [{chapter}.{SPOKEN}] {name} is not a non-empty string")


def load_words(language: str) -> Words:
    """The words of ``language`` (a file ``scenes/text/<language>.toml``)."""
    name = language.strip().lower()
    path = TEXT_DIR / f"{name}.toml"
    if not path.is_file():
        raise WordsError(f"language {name!r} has no {path}; available: {available_languages()}")
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise WordsError(f"{path}: {error}") from None
    _check_shape(path, table)
    return Words(language=name, table=table, path=path)
