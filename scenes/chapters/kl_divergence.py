"""Cross-entropy minus entropy is never negative: the Kullback-Leibler divergence."""

from manim import Transform

from ..components.formulas import MatchingTex, cross_minus_entropy_formula, kl_formula
from .cross_entropy import model_chart

NAME = "kl_divergence"


def play(film) -> None:
    style, lesson = film.style, film.lesson
    formula = film.stage.formula
    difference = cross_minus_entropy_formula(style).move_to(formula)
    divergence = kl_formula(style).move_to(formula)
    film.fit_width(divergence)
    value = film.stage.extras["value"]

    def shown(number: float):
        return film.text("value", size=style.sizes.body, value=f"{number:.4f}").move_to(
            style.layout.info_value_center
        )

    guess = film.stage.extras["model_chart"]
    first, second, third = film.cues()
    film.say(first, [film.set_heading(), MatchingTex(formula, difference)])
    film.say(second, MatchingTex(difference, divergence))
    film.say(
        third,
        [
            Transform(guess, model_chart(film, (0.5, 0.5))),
            Transform(value, shown(lesson.half_half_kl_divergence)),
        ],
        [
            Transform(guess, model_chart(film, lesson.model_distribution)),
            Transform(value, shown(lesson.kl_divergence)),
        ],
    )
    film.stage.formula = divergence
