"""On-screen words and narration, per language, from ``scenes/text/<lang>.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

TEXT_DIR = Path(__file__).parent / "text"


@dataclass(frozen=True)
class Words:
    """The words of one language: ``words.get("fit", "heading", positive="green")``."""

    language: str
    table: dict

    def get(self, chapter: str, key: str, **values: object) -> str:
        try:
            template = self.table[chapter][key]
        except KeyError:
            raise KeyError(f"{self.language}.toml has no [{chapter}] {key}") from None
        return template.format(**values)

    def cues(self, chapter: str, **values: object) -> list[str]:
        return [cue.format(**values) for cue in self.table[chapter]["cues"]]

    @property
    def reading_chars_per_second(self) -> float:
        """How fast this language's subtitles are read (Chinese counts characters)."""
        return float(self.table["meta"]["reading_chars_per_second"])

    def article_label(self, label: str) -> str:
        """The article's label ("green", "red") in this language."""
        return self.table["article"].get(label, label)


def available_languages() -> list[str]:
    return sorted(path.stem for path in TEXT_DIR.glob("*.toml"))


def load_words(language: str = "en") -> Words:
    """The words of ``language`` (a file ``scenes/text/<language>.toml``)."""
    name = language.strip().lower()
    path = TEXT_DIR / f"{name}.toml"
    if not path.is_file():
        raise ValueError(f"language {name!r} has no {path}; available: {available_languages()}")
    with path.open("rb") as handle:
        return Words(language=name, table=tomllib.load(handle))
