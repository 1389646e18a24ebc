"""Cross-entropy minus entropy is never negative: the Kullback-Leibler divergence."""

from manim import Transform

from ..components.distribution import VALUE_CENTER, model_chart
from ..components.formulas import (
    MatchingTex,
    cross_minus_entropy_formula,
    kl_formula,
    place_formula,
)
from ..contract import Chapter

CHAPTER = Chapter(
    "kl_divergence",
    cues=("never_below", "name", "half_half"),
    takes=("formula", "distribution", "model_chart", "info_value"),
    leaves=("formula",),
)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    formula = film.take("formula")
    distribution = film.take("distribution")
    names = (film.screen_numbers["negative"], film.screen_numbers["positive"])
    difference = place_formula(cross_minus_entropy_formula(style), style)
    divergence = place_formula(kl_formula(style), style)
    film.fit_width(divergence)
    value = film.take("info_value")

    def shown(number: float):
        return film.text("value", size=style.sizes.value, value=f"{number:.4f}").move_to(
            VALUE_CENTER.of(style.layout)
        )

    guess = film.take("model_chart")
    film.say("never_below", [film.set_heading(), MatchingTex(formula, difference)])
    film.say("name", MatchingTex(difference, divergence))
    film.say(
        "half_half",
        [
            Transform(guess, model_chart(style, (0.5, 0.5), names, distribution)),
            Transform(value, shown(lesson.half_half_kl_divergence)),
        ],
        [
            Transform(guess, model_chart(style, lesson.model_distribution, names, distribution)),
            Transform(value, shown(lesson.kl_divergence)),
        ],
    )
    film.leave("formula", divergence)
