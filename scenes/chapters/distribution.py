"""Figure 11: q(y), the distribution of the labels."""

from manim import DOWN, LEFT, FadeIn, GrowFromEdge

from ..components.distribution import class_chart
from ..contract import Chapter

CHAPTER = Chapter(
    "distribution",
    cues=("why_log", "q"),
    leaves=("distribution", "distribution_name"),
)


def play(film) -> None:
    names = (film.screen_numbers["negative"], film.screen_numbers["positive"])
    chart = class_chart(film.style, film.lesson.class_distribution, names)
    film.leave("distribution", chart)
    name = film.text("chart_label", size=film.style.sizes.body).move_to(chart.caption_point())
    film.leave("distribution_name", name)
    film.say("why_log", [film.set_heading(), film.clear()])
    film.say(
        "q",
        [
            FadeIn(chart.floor),
            FadeIn(chart.names),
            FadeIn(name, shift=film.style.layout.drift * LEFT),
        ],
        [*(GrowFromEdge(bar, DOWN) for bar in chart.bars), FadeIn(chart.value_labels)],
    )
