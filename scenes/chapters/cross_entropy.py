"""Cross-entropy: labels from q, expectations from p. Above the entropy unless p = q."""

from manim import DOWN, RIGHT, FadeIn, FadeOut, Transform

from ..components.distribution import DistributionChart
from ..components.formulas import MatchingTex, cross_entropy_formula

NAME = "cross_entropy"


def model_chart(film, values) -> DistributionChart:
    chart = DistributionChart(
        film.style,
        values,
        (film.numbers["negative"], film.numbers["positive"]),
        height=film.style.layout.model_chart[0],
        bar_width=film.style.layout.model_chart[1],
        gap=film.style.layout.model_chart[2],
    )
    return chart.next_to(
        film.stage.distribution, RIGHT, buff=film.style.layout.buff_loose
    ).align_to(film.stage.distribution, DOWN)


def value_text(film, number: float):
    return film.text("value", size=film.style.sizes.body, value=f"{number:.4f}").move_to(
        film.style.layout.info_value_center
    )


def play(film) -> None:
    style, lesson = film.style, film.lesson
    formula = film.stage.formula
    target = cross_entropy_formula(style).move_to(formula)
    guess = model_chart(film, (0.5, 0.5))
    guess_name = film.text("model_label", size=style.sizes.body).move_to(guess.caption_point())
    # Level with the q(y) caption, whatever the two charts' heights.
    guess_name.set_y(film.stage.extras["distribution_name"].get_y())
    old_value = film.stage.extras.pop("entropy_value")
    first, second, third, fourth = film.cues()
    film.say(
        first,
        [film.set_heading(), FadeOut(film.stage.extras.pop("case_name"))],
        [FadeIn(guess), FadeIn(guess_name)],
    )
    film.say(second, MatchingTex(formula, target))
    shown = value_text(film, lesson.half_half_cross_entropy)
    film.say(third, Transform(old_value, shown))
    film.say(
        fourth,
        [
            Transform(guess, model_chart(film, lesson.model_distribution)),
            Transform(old_value, value_text(film, lesson.cross_entropy)),
        ],
    )
    film.stage.formula = target
    film.stage.extras.update(model_chart=guess, model_name=guess_name, value=old_value)
