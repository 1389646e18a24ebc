"""Figure 11: q(y), the distribution of the labels."""

from manim import DOWN, LEFT, FadeIn, GrowFromEdge, VGroup

from ..components.distribution import DistributionChart
from ..contract import Chapter
from ..style import PerAspect

#: The chart alone, large, in the middle of the content area: its height, bar width and
#: gap. The entropy chapter then moves it to its place beside the formulas.
CHART_ALONE = PerAspect(landscape=(3.2, 3.0, 1.1), vertical=(5.0, 2.2, 0.6))

CHAPTER = Chapter(
    "distribution",
    cues=("why_log", "q"),
    leaves=("distribution", "distribution_name"),
)


def play(film) -> None:
    style = film.style
    names = (film.screen_numbers["negative"], film.screen_numbers["positive"])
    height, bar_width, gap = CHART_ALONE.of(style.layout)
    chart = DistributionChart(
        style, film.lesson.class_distribution, names, height=height, bar_width=bar_width, gap=gap
    )
    name = film.text("chart_label", size=style.sizes.body).move_to(chart.caption_point())
    VGroup(chart, name).move_to(style.layout.under_heading.center)
    film.leave("distribution", chart)
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
