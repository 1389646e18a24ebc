"""The formula: the y = 1 term in green, the y = 0 term in red."""

from manim import DOWN, UP, Circumscribe, FadeOut, VGroup, Write

from ..components.formulas import bce_formula
from ..contract import Chapter
from ..style import PerAspect

#: The formula's centre, and how far the feature line moves down to make room for it.
FORMULA_Y = PerAspect(landscape=1.4, vertical=3.45)
LINE_MAKE_ROOM = PerAspect(landscape=1.6, vertical=1.0)

CHAPTER = Chapter(
    "formula",
    cues=("loss", "positive_term", "negative_term", "draw_it"),
    takes=("feature_line", "axis_name", "legend"),
)


def play(film) -> None:
    line = film.take("feature_line")
    palette, timing, layout = film.style.palette, film.style.timing, film.style.layout
    formula = bce_formula(film.style).move_to(FORMULA_Y.of(layout) * UP)
    # Under the legend, wherever a note row or long class names have put its bottom.
    legend_bottom = film.take("legend").get_bottom()[1] - layout.buff
    if formula.get_top()[1] > legend_bottom and layout.vertical:
        formula.shift((formula.get_top()[1] - legend_bottom) * DOWN)
    positive_term, negative_term = formula[5], formula[7]
    # The axis name travels with its line.
    line_and_name = VGroup(line, film.take("axis_name"))
    film.say(
        "loss",
        [
            film.set_heading(),
            line_and_name.animate.shift(LINE_MAKE_ROOM.of(layout) * DOWN),
            Write(formula),
        ],
    )
    film.say(
        "positive_term", Circumscribe(positive_term, color=palette.positive, run_time=timing.write)
    )
    film.say(
        "negative_term", Circumscribe(negative_term, color=palette.negative, run_time=timing.write)
    )
    film.say(
        "draw_it",
        [
            FadeOut(formula, shift=layout.drift * UP),
            line_and_name.animate.shift(LINE_MAKE_ROOM.of(layout) * UP),
        ],
    )
