"""The formulas of the film, as MathTex with the y = 1 and y = 0 terms coloured.

Each formula is split into parts so that ``MatchingTex`` can morph one into the next:
parts with the same TeX travel, the others fade.
"""

from __future__ import annotations

import zlib

from manim import DOWN, UP, MathTex, TransformMatchingTex, VGroup

from ..style import PerAspect, Style

# The terms that carry the class colours wherever they appear.
POSITIVE_TERMS = (r"y_i \log p(y_i)", r"\sum_{\text{pos}} \log p(y_i)")
NEGATIVE_TERMS = (r"(1 - y_i) \log(1 - p(y_i))", r"\sum_{\text{neg}} \log(1 - p(y_i))")

#: The tallest a line of formula may be (the sums' limits make some tall).
LINE_MAX_HEIGHT = PerAspect(landscape=1.45, vertical=1.3)
#: A formula that would shrink below this to fit one line takes two.
MIN_SCALE = 0.75
#: Where the information-theory chapters' formula has its top, under the heading.
INFO_FORMULA_TOP = PerAspect(landscape=3.0, vertical=6.1)


class _StableKey(str):
    """A TeX string whose hash is the same in every process (str's is salted per process)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return zlib.crc32(self.encode())


class MatchingTex(TransformMatchingTex):
    """TransformMatchingTex that pairs the parts in the same order in every process.

    Manim pairs them by iterating over a set of TeX strings, whose order follows Python's
    per-process string hashing: the drawing order of overlapping parts mid-morph, and the
    animation's hash in Manim's cache, changed from one run to the next.
    """

    @staticmethod
    def get_mobject_key(mobject) -> str:
        return _StableKey(TransformMatchingTex.get_mobject_key(mobject))


def _tex(style: Style, *parts: str, small: bool = False) -> MathTex:
    formula = MathTex(
        *parts,
        font_size=style.sizes.formula_small if small else style.sizes.formula,
        color=style.palette.ink,
    )
    # Never wider than the frame (the tall 9:16 frame is 8 units across), nor taller
    # than the layout gives a line of formula (the sums' limits make some tall). Rather
    # than shrink much, a formula takes two lines.
    layout = style.layout
    room = layout.frame_width - layout.wide_text_margin
    lines = 1
    if formula.width * MIN_SCALE > room:  # too small on one line: two
        _break_line(formula, parts, layout.buff)
        lines = 2
    if formula.width > room:
        formula.scale_to_fit_width(room)
    tallest = lines * LINE_MAX_HEIGHT.of(layout)
    if formula.height > tallest:
        formula.scale_to_fit_height(tallest)
    for part, tex in zip(formula, parts, strict=True):
        if tex in POSITIVE_TERMS:
            part.set_color(style.palette.text.positive)
        elif tex in NEGATIVE_TERMS:
            part.set_color(style.palette.text.negative)
    return formula


def _break_line(formula: MathTex, parts: tuple[str, ...], gap: float) -> None:
    """Set a formula too wide for one line on two, breaking before the "=", "+" or "-"
    that balances the lines best (else the middle part); both lines centred. The parts
    keep their TeX, so formulas still morph part by part."""
    widths = [part.width for part in formula]
    total = sum(widths)

    def widest_line(cut: int) -> float:
        return max(sum(widths[:cut]), total - sum(widths[:cut]))

    breaks = [k for k, tex in enumerate(parts) if tex in ("=", "+", "-") and k > 1]
    cut = min(breaks or range(1, len(parts)), key=widest_line)
    first, second = VGroup(*formula[:cut]), VGroup(*formula[cut:])
    second.next_to(first, DOWN, buff=gap).set_x(first.get_x())


def place_formula(formula: MathTex, style: Style) -> MathTex:
    """Where the information-theory chapters show their formula: centred across the
    frame, its top under the heading, however many lines it takes."""
    return formula.set_x(0).align_to(INFO_FORMULA_TOP.of(style.layout) * UP, UP)


def bce_formula(style: Style, small: bool = False) -> MathTex:
    """BCE = -1/N sum [y log p(y) + (1 - y) log(1 - p(y))]."""
    return _tex(
        style,
        r"H_p(q)",
        "=",
        r"-\frac{1}{N}",
        r"\sum_{i=1}^{N}",
        r"\Big[",
        POSITIVE_TERMS[0],
        "+",
        NEGATIVE_TERMS[0],
        r"\Big]",
        small=small,
    )


def entropy_formula(style: Style) -> MathTex:
    return _tex(style, r"H(q)", "=", "-", r"\sum_{c=1}^{C}", r"q(y_c)", r"\log q(y_c)")


def half_half_formula(style: Style) -> MathTex:
    return _tex(
        style,
        r"H(q)",
        "=",
        "-",
        r"\sum_{c=1}^{2}",
        r"\tfrac{1}{2}",
        r"\log \tfrac{1}{2}",
        "=",
        r"\log 2",
    )


def cross_entropy_formula(style: Style) -> MathTex:
    return _tex(style, r"H_p(q)", "=", "-", r"\sum_{c=1}^{C}", r"q(y_c)", r"\log p(y_c)")


def cross_minus_entropy_formula(style: Style) -> MathTex:
    return _tex(style, r"H_p(q)", "-", r"H(q)", r"\geq", "0")


def kl_formula(style: Style) -> MathTex:
    return _tex(
        style,
        r"D_{KL}(q \,\|\, p)",
        "=",
        r"H_p(q)",
        "-",
        r"H(q)",
        "=",
        r"\sum_{c=1}^{C}",
        r"q(y_c)",
        r"\big[\log q(y_c) - \log p(y_c)\big]",
    )


def point_by_point_formula(style: Style) -> MathTex:
    return _tex(style, r"H_p(q)", "=", r"-\frac{1}{N}", r"\sum_{i=1}^{N}", r"\log p(y_i)")


def split_formula(style: Style) -> MathTex:
    return _tex(
        style,
        r"H_p(q)",
        "=",
        r"-\frac{1}{N_{\text{pos}} + N_{\text{neg}}}",
        r"\Big[",
        POSITIVE_TERMS[1],
        "+",
        NEGATIVE_TERMS[1],
        r"\Big]",
    )
