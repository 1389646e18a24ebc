"""Captions in the picture: lines that fit the band, broken where a reader expects (words
in English, characters in Chinese with the punctuation rules), two lines a page, pages
that share the cue's time; and the option that turns them on."""

from __future__ import annotations

import itertools

import pytest

from bce_core import ARTICLE_DATA, build_lesson
from bce_film.options import FilmOptions, OptionsError
from scenes.captions import LINES_PER_PAGE, paginate, text_width, wrap
from scenes.narration import narration_script
from scenes.style import current_style
from scenes.words import load_words

FONT = current_style("dark", "16:9").fonts.text
#: Chinese marks that may not begin a line, and those that may not end one.
NO_LINE_START = "，。、；：？！）》」』”’"  # noqa: RUF001
NO_LINE_END = "（《「『“‘"  # noqa: RUF001


def all_cues(language: str) -> list[str]:
    """Every cue of the film in ``language``, numbers filled in (the narration script)."""
    style = current_style("dark", "16:9")
    script = narration_script(build_lesson(ARTICLE_DATA), load_words(language), style)
    return [line.text for line in script]


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_cue_wraps_into_the_band_without_losing_a_character(language, aspect):
    style = current_style("dark", aspect)
    width = style.layout.caption_band.width
    for cue in all_cues(language):
        lines = wrap(cue, width, FONT, style.sizes.caption)
        assert "".join(lines).replace(" ", "") == cue.replace(" ", ""), cue
        for line in lines:
            assert line == line.strip()
            assert text_width(line, FONT, style.sizes.caption) <= width + 1e-9, line


def test_english_breaks_between_words_and_never_inside_a_number():
    style = current_style("dark", "9:16")
    for cue in all_cues("en"):
        lines = wrap(cue, style.layout.caption_band.width, FONT, style.sizes.caption)
        words = cue.split()
        # Every line is whole words of the cue, in order.
        assert " ".join(lines).split() == words
        assert all(len(line.split()) >= 1 for line in lines)


def test_chinese_keeps_punctuation_with_its_character():
    style = current_style("dark", "9:16")
    broken = 0
    for cue in all_cues("zh"):
        lines = wrap(cue, style.layout.caption_band.width, FONT, style.sizes.caption)
        broken += len(lines) > 1
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, lines
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, lines
    assert broken > 10  # the rule was exercised: many cues take two lines or more


def test_lines_are_even_no_last_line_of_one_word():
    width, size = 7.4, 34
    lines = wrap("于是问题变成：一个点是 绿色 的概率有多大？", width, FONT, size)  # noqa: RUF001
    assert len(lines) == 2
    widths = [text_width(line, FONT, size) for line in lines]
    assert min(widths) > 0.6 * max(widths)


def test_widths_match_what_manim_draws():
    """The measure (Pillow, the font's advances) against Manim's own Text: never less
    than what is drawn (a line measured to fit does fit), and close to it (the advance
    of a closing mark is wider than its ink)."""
    from manim import Text

    for words in ("Binary cross-entropy 0.3329", "二元交叉熵，也叫对数损失。"):  # noqa: RUF001
        drawn = Text(words, font=FONT, font_size=30).width
        assert drawn <= text_width(words, FONT, 30) <= 1.08 * drawn


def test_pages_hold_two_lines_and_share_the_cue_exactly():
    lines = ["one two", "three four five", "six", "seven eight", "nine"]
    pages = paginate(lines, 6.0)
    assert [len(page.lines) for page in pages] == [2, 2, 1]
    assert all(len(page.lines) <= LINES_PER_PAGE for page in pages)
    assert pages[0].start == 0 and pages[-1].end == 6.0
    for before, after in itertools.pairwise(pages):
        assert before.end == pytest.approx(after.start)
    # Longer pages stay up longer.
    assert pages[0].end - pages[0].start > pages[1].end - pages[1].start


def test_captions_are_burnt_in_9_16_by_default_and_on_request():
    assert not FilmOptions().burns_captions
    assert FilmOptions(aspect="9:16").burns_captions
    assert FilmOptions(captions="burn").burns_captions
    assert not FilmOptions(aspect="9:16", captions="off").burns_captions
    assert FilmOptions.from_environment({"BCE_CAPTIONS": "burn"}).burns_captions
    assert FilmOptions(captions="burn").inputs().captions
    with pytest.raises(OptionsError, match="captions 'always'"):
        FilmOptions(captions="always")
