"""Figure 11: q(y), the distribution of the labels."""

from manim import DOWN, LEFT, FadeIn, GrowFromEdge

from ..components.distribution import DistributionChart

NAME = "distribution"


def make_chart(film, values) -> DistributionChart:
    names = (film.numbers["negative"], film.numbers["positive"])
    chart = DistributionChart(film.style, values, names)
    return chart.place_floor(film.style.layout.info_chart_floor)


def play(film) -> None:
    chart = make_chart(film, film.lesson.class_distribution)
    film.stage.distribution = chart
    name = film.text("chart_label", size=film.style.sizes.body).move_to(chart.caption_point())
    film.stage.extras["distribution_name"] = name
    first, second = film.cues()
    film.say(first, [film.set_heading(), film.clear()])
    film.stage.extras.pop("code", None)
    film.say(
        second,
        [
            FadeIn(chart.floor),
            FadeIn(chart.names),
            FadeIn(name, shift=film.style.layout.drift * LEFT),
        ],
        [*(GrowFromEdge(bar, DOWN) for bar in chart.bars), FadeIn(chart.value_labels)],
    )
