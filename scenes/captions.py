"""Captions in the picture: a cue's words broken into lines that fit the caption band, at
most two lines a page, and each page's share of the cue's time. No Manim here.

Lines break where Unicode's line-breaking rules allow (UAX #14, through ``uniseg``):
between words in English, between characters in Chinese, never before a closing mark
such as a full-width comma, full stop or closing quote, or after an opening quote, and
never inside a number like "0.3329". Widths are measured with the film's font (its
advance widths, through Pillow), so a line is as wide as Manim draws it, within a few
percent.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from uniseg.linebreak import line_break_units

#: Scene units of one em per unit of Manim's font size (Noto Sans: a capital, 0.733 em,
#: is 1.02 units high at font size 100).
EM_PER_FONT_SIZE = 0.013915
LINES_PER_PAGE = 2


@dataclass(frozen=True)
class CaptionPage:
    """Up to two lines of a cue, shown from ``start`` to ``end`` seconds into the cue."""

    lines: tuple[str, ...]
    start: float
    end: float


@functools.lru_cache(maxsize=8)
def _font(family: str):
    """The font file fontconfig picks for ``family`` as a Pillow font (None: not found)."""
    from PIL import ImageFont

    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", family],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        path, index = found.stdout.split("\n")
        return ImageFont.truetype(path, 1000, index=int(index or 0))
    except (ValueError, OSError):
        return None


def text_width(text: str, family: str, font_size: float) -> float:
    """How wide ``text`` is drawn in ``family`` at Manim's ``font_size``, in scene units."""
    font = _font(family)
    if font is not None:
        ems = font.getlength(text) / 1000
    else:  # no fontconfig: full-width characters are an em, others about half
        ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)
    return ems * font_size * EM_PER_FONT_SIZE


def wrap(text: str, width: float, family: str, font_size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (scene units), broken where allowed,
    as even as they can be in that many lines (no last line of one word)."""
    lines = _fill(text, width, family, font_size)
    if len(lines) < 2:
        return lines
    # The narrowest measure that still takes no more lines evens them out.
    low, high = width / 2, width
    for _ in range(12):
        middle = (low + high) / 2
        if len(_fill(text, middle, family, font_size)) > len(lines):
            low = middle
        else:
            high = middle
    return _fill(text, high, family, font_size)


@functools.lru_cache(maxsize=1024)
def _break_units(text: str) -> tuple[str, ...]:
    """``text``'s units between allowed breaks, its spaces collapsed. Kept: ``wrap``
    fills one text at a dozen widths, and uniseg takes milliseconds per text."""
    return tuple(line_break_units(" ".join(text.split())))


def _fill(text: str, width: float, family: str, font_size: float) -> list[str]:
    """Lines filled greedily up to ``width``."""
    lines: list[str] = []
    line = ""
    for unit in _break_units(text):
        candidate = line + unit
        if not line or text_width(candidate.rstrip(), family, font_size) <= width:
            line = candidate
            continue
        lines.append(line.rstrip())
        line = unit
    if line.strip():
        lines.append(line.rstrip())
    # A unit wider than a line on its own (a very long word) is cut by characters.
    fitted: list[str] = []
    for line in lines:
        while text_width(line, family, font_size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], family, font_size) > width:
                cut -= 1
            fitted.append(line[:cut])
            line = line[cut:]
        fitted.append(line)
    return fitted


def shorten(text: str, width: float, family: str, font_size: float) -> str:
    """``text`` as it is if it fits in ``width``, else cut with an ellipsis to fit (a
    class name of 40 characters on an axis: the narration says it in full)."""
    if text_width(text, family, font_size) <= width:
        return text
    cut = len(text)
    while cut > 1 and text_width(text[:cut].rstrip() + "…", family, font_size) > width:
        cut -= 1
    return text[:cut].rstrip() + "…"


def paginate(lines: list[str], duration: float) -> list[CaptionPage]:
    """Pages of up to two lines, each up for its share of ``duration`` by characters."""
    pages = [
        tuple(lines[k : k + LINES_PER_PAGE]) for k in range(0, len(lines), LINES_PER_PAGE)
    ] or [()]
    weights = [max(1, sum(len(line) for line in page)) for page in pages]
    total = sum(weights)
    result, start = [], 0.0
    for page, weight in zip(pages, weights, strict=True):
        end = start + duration * weight / total
        result.append(CaptionPage(page, start, end))
        start = end
    # The last page ends exactly with the cue, whatever the rounding.
    last = result[-1]
    result[-1] = CaptionPage(last.lines, last.start, duration)
    return result
