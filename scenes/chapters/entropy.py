"""Entropy: zero for an all-positive set, log 2 for half-half, H(q) for our labels."""

from manim import DOWN, FadeIn, ReplacementTransform, Transform, Write

from bce_core import entropy

from ..components.distribution import VALUE_CENTER, class_chart
from ..components.formulas import entropy_formula, half_half_formula, place_formula
from ..contract import Chapter

#: The case's name ("all positive", ...) sits this far under the value it names.
CASE_BELOW_VALUE = 0.9

CHAPTER = Chapter(
    "entropy",
    cues=("uncertainty", "all_positive", "half_half", "ours"),
    takes=("distribution", "distribution_name"),
    leaves=("formula", "info_value", "case_name"),
)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    chart = film.take("distribution")
    layout = style.layout
    names = (film.screen_numbers["negative"], film.screen_numbers["positive"])

    def make_chart(values):
        return class_chart(style, values, names)

    def value(number: float):
        return film.text("value_label", size=style.sizes.value, value=f"{number:.4f}").move_to(
            VALUE_CENTER.of(layout)
        )

    def case_name(key: str):
        # Under the value it names, where no bar can reach.
        return film.text(key, size=style.sizes.label, colour=style.palette.muted).move_to(
            VALUE_CENTER.of(layout) + CASE_BELOW_VALUE * DOWN
        )

    all_positive = (0.0, 1.0)
    # From the middle of the screen to its place beside the formulas and values to come.
    placed = make_chart(lesson.class_distribution)
    chart_name = film.take("distribution_name")
    film.say(
        "uncertainty",
        [
            film.set_heading(),
            Transform(chart, placed),
            chart_name.animate.move_to(placed.caption_point()),
        ],
    )
    name = case_name("all_positive")
    shown_value = value(entropy(all_positive))
    film.say(
        "all_positive",
        [Transform(chart, make_chart(all_positive)), FadeIn(name)],
        FadeIn(shown_value),
    )
    formula = place_formula(half_half_formula(style), style)
    film.say(
        "half_half",
        [Transform(chart, make_chart((0.5, 0.5))), Transform(name, case_name("half_half"))],
        [Write(formula), Transform(shown_value, value(lesson.half_half_entropy))],
    )
    general = place_formula(entropy_formula(style), style)
    film.say(
        "ours",
        [
            Transform(chart, make_chart(lesson.class_distribution)),
            Transform(name, case_name("ours")),
        ],
        [ReplacementTransform(formula, general), Transform(shown_value, value(lesson.entropy))],
    )
    film.leave("formula", general)
    film.leave("info_value", shown_value)
    film.leave("case_name", name)
