"""The words of the film live in the language files, the same keys in every language, and
no scene writes a visible word of its own."""

from __future__ import annotations

import ast
import string
import tomllib
from pathlib import Path

import pytest
from paths import REPO_ROOT, SCENES_DIR

from scenes.words import (
    NOT_CHAPTERS,
    SPOKEN,
    TEXT_DIR,
    WordsError,
    available_languages,
    load_words,
)

OTHER_LANGUAGES = [language for language in available_languages() if language != "en"]


def load(language: str) -> dict:
    with (TEXT_DIR / f"{language}.toml").open("rb") as handle:
        return tomllib.load(handle)


def keys(table: dict, prefix: str = "") -> list[str]:
    """Every key, dotted, in the file's order (a cue's order is the order it is spoken).
    How a language is said (its [speech] rules, its cues' spoken forms) is its own."""
    found = []
    for key, value in table.items():
        if key in ("speech", SPOKEN):
            continue
        found.append(prefix + key)
        if isinstance(value, dict):
            found += keys(value, prefix + key + ".")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_and_chinese_are_both_there():
    assert {"en", "zh"} <= set(available_languages())


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_language_has_english_keys_and_cue_ids_in_the_same_order(language):
    assert keys(load(language)) == keys(load("en"))


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_translation_uses_the_same_placeholders(language):
    """A translated line may reorder the numbers but not drop or invent one."""
    english, other = load("en"), load(language)

    def strings(table: dict, prefix: str = ""):
        for key, value in table.items():
            if key in ("speech", SPOKEN):
                continue
            if isinstance(value, dict):
                yield from strings(value, f"{prefix}{key}.")
            elif isinstance(value, str):
                yield f"{prefix}{key}", value

    theirs = dict(strings(other))
    for key, value in strings(english):
        assert placeholders(theirs[key]) == placeholders(value), (language, key, theirs[key])


@pytest.mark.parametrize("language", available_languages())
def test_a_spoken_form_says_the_numbers_its_cue_writes(language):
    """A spoken form may reword a cue, but says the same numbers and names."""
    table = load(language)
    for chapter, words in table.items():
        if not isinstance(words, dict):
            continue
        for name, spoken in words.get(SPOKEN, {}).items():
            written = words.get("cues", {}).get(name, words.get(name))
            assert placeholders(spoken) == placeholders(written), (language, chapter, name)


@pytest.mark.parametrize("language", available_languages())
def test_every_chapter_table_has_cues(language):
    words = load_words(language)
    for chapter in words.chapters():
        assert chapter not in NOT_CHAPTERS
        assert words.cue_templates(chapter), f"{words.path}: [{chapter}.cues] is empty"


def test_a_file_whose_cues_are_a_list_is_refused_with_its_name(tmp_path, monkeypatch):
    """The old shape (cues = [...], matched by position) is named, not half-read."""
    import scenes.words as words_module

    (tmp_path / "xx.toml").write_text(
        '[meta]\nreading_chars_per_second = 14\n[title]\ncues = ["one", "two"]\n'
    )
    monkeypatch.setattr(words_module, "TEXT_DIR", tmp_path)
    with pytest.raises(WordsError, match=r"xx\.toml: \[title\] has no \[title\.cues\] table"):
        words_module.load_words("xx")


TEXT_CLASSES = {"Text", "MarkupText", "Paragraph", "Title", "Tex"}


def visible_literals(path: Path, root: Path = REPO_ROOT) -> list[str]:
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
                found.append(f"{path.relative_to(root)}:{node.lineno}: {part.value!r}")
    return found


def test_no_scene_writes_a_visible_word_of_its_own():
    offenders = [hit for path in sorted(SCENES_DIR.rglob("*.py")) for hit in visible_literals(path)]
    assert offenders == []


def test_the_literal_check_catches_a_literal(tmp_path):
    """The check above can fail: a scene with Text("hello") is caught."""
    sample = tmp_path / "scenes" / "sample.py"
    sample.parent.mkdir()
    sample.write_text('from manim import Text\nlabel = Text("hello")\nok = Text(f"{1:.2f}")\n')
    assert visible_literals(sample, root=tmp_path) == ["scenes/sample.py:2: 'hello'"]
