"""The formula: the y = 1 term in green, the y = 0 term in red."""

from manim import DOWN, UP, Circumscribe, FadeOut, VGroup, Write

from ..components.formulas import bce_formula

NAME = "formula"


def play(film) -> None:
    line = film.stage.feature_line
    palette, timing = film.style.palette, film.style.timing
    formula = bce_formula(film.style).move_to(film.style.layout.formula_y * UP)
    film.stage.formula = formula
    positive_term, negative_term = formula[5], formula[7]
    first, second, third, fourth = film.cues()
    # The axis name travels with its line.
    line_and_name = VGroup(line, film.stage.extras["axis_name"])
    film.say(
        first,
        [
            film.set_heading(),
            line_and_name.animate.shift(film.style.layout.line_make_room * DOWN),
            Write(formula),
        ],
    )
    film.say(second, Circumscribe(positive_term, color=palette.positive, run_time=timing.write))
    film.say(third, Circumscribe(negative_term, color=palette.negative, run_time=timing.write))
    film.say(
        fourth,
        [
            FadeOut(formula, shift=film.style.layout.drift * UP),
            line_and_name.animate.shift(film.style.layout.line_make_room * UP),
        ],
    )
