"""The words of the film live in the language files, the same keys in every language, and
no scene writes a visible word of its own."""

from __future__ import annotations

import ast
import string
import tomllib
from pathlib import Path

import pytest

from scenes.words import TEXT_DIR, available_languages

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def load(language: str) -> dict:
    with (TEXT_DIR / f"{language}.toml").open("rb") as handle:
        return tomllib.load(handle)


def keys(table: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in table.items():
        found.add(prefix + key)
        if isinstance(value, dict):
            found |= keys(value, prefix + key + ".")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_and_chinese_are_both_there():
    assert {"en", "zh"} <= set(available_languages())


@pytest.mark.parametrize("language", ["zh"])
def test_every_language_has_the_same_keys_and_cue_counts_as_english(language):
    english, other = load("en"), load(language)
    assert keys(other) == keys(english)
    for chapter, table in english.items():
        if "cues" in table:
            assert len(other[chapter]["cues"]) == len(table["cues"]), chapter


@pytest.mark.parametrize("language", ["zh"])
def test_every_translation_uses_the_same_placeholders(language):
    """A translated line may reorder the numbers but not drop or invent one."""
    english, other = load("en"), load(language)
    for chapter, table in english.items():
        for key, value in table.items():
            if isinstance(value, str):
                assert placeholders(other[chapter][key]) == placeholders(value), (chapter, key)
            elif isinstance(value, list):
                for mine, theirs in zip(value, other[chapter][key], strict=True):
                    assert placeholders(theirs) == placeholders(mine), (chapter, key, theirs)


TEXT_CLASSES = {"Text", "MarkupText", "Paragraph", "Title", "Tex"}


def visible_literals(path: Path) -> list[str]:
    """Letters written straight into a Text-like mobject in a scene module."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in TEXT_CLASSES:
            continue
        first = node.args[0]
        parts = first.values if isinstance(first, ast.JoinedStr) else [first]
        for part in parts:
            is_text = isinstance(part, ast.Constant) and isinstance(part.value, str)
            if is_text and any(ch.isalpha() for ch in part.value):
                found.append(f"{path.relative_to(SCENES.parent)}:{node.lineno}: {part.value!r}")
    return found


def test_no_scene_writes_a_visible_word_of_its_own():
    offenders = [hit for path in sorted(SCENES.rglob("*.py")) for hit in visible_literals(path)]
    assert offenders == []


def test_the_literal_check_catches_a_literal(tmp_path):
    """The check above can fail: a scene with Text("hello") is caught."""
    sample = SCENES / "_sample_for_test.py"
    try:
        sample.write_text('from manim import Text\nlabel = Text("hello")\nok = Text(f"{1:.2f}")\n')
        assert visible_literals(sample) == ["scenes/_sample_for_test.py:2: 'hello'"]
    finally:
        sample.unlink()
