"""Cross-entropy: labels from q, expectations from p. Above the entropy unless p = q."""

from manim import FadeIn, FadeOut, Transform

from ..components.distribution import VALUE_CENTER, model_chart
from ..components.formulas import MatchingTex, cross_entropy_formula, place_formula
from ..contract import Chapter

CHAPTER = Chapter(
    "cross_entropy",
    cues=("model", "surprise", "half_half", "ours"),
    takes=("formula", "distribution", "distribution_name", "info_value", "case_name"),
    leaves=("formula", "model_chart"),
    drops=("case_name", "distribution_name"),
)


def value_text(film, number: float):
    return film.text("value", size=film.style.sizes.value, value=f"{number:.4f}").move_to(
        VALUE_CENTER.of(film.style.layout)
    )


def play(film) -> None:
    style, lesson = film.style, film.lesson
    formula = film.take("formula")
    distribution = film.take("distribution")
    names = (film.screen_numbers["negative"], film.screen_numbers["positive"])
    target = place_formula(cross_entropy_formula(style), style)
    guess = model_chart(style, (0.5, 0.5), names, beside=distribution)
    guess_name = film.text("model_label", size=style.sizes.body).move_to(guess.caption_point())
    # Level with the q(y) caption, whatever the two charts' heights.
    guess_name.set_y(film.take("distribution_name").get_y())
    old_value = film.take("info_value")
    film.say(
        "model",
        [film.set_heading(), FadeOut(film.take("case_name"))],
        [FadeIn(guess), FadeIn(guess_name)],
    )
    film.say("surprise", MatchingTex(formula, target))
    shown = value_text(film, lesson.half_half_cross_entropy)
    film.say("half_half", Transform(old_value, shown))
    film.say(
        "ours",
        [
            Transform(guess, model_chart(style, lesson.model_distribution, names, distribution)),
            Transform(old_value, value_text(film, lesson.cross_entropy)),
        ],
    )
    film.leave("formula", target)
    film.leave("model_chart", guess)
