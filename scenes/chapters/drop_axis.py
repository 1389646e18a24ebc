"""Figure 7: the x axis and the curve go; the bars slide next to each other."""

from manim import Create, FadeOut

from ..components.bars import BarChart

NAME = "drop_axis"


def play(film) -> None:
    plot, bars = film.stage.plot, film.stage.bars
    # One scale for probabilities and losses: tall enough for the largest loss.
    largest = max(bars.loss(k) for k in range(len(bars)))
    y_max = max(1.0, min(largest, film.style.layout.loss_cap))
    chart = BarChart(film.style, y_max, len(bars))
    film.stage.chart = chart
    bars.attach_chart(chart)
    leaving = [plot.axes, plot.curve, plot.dots, film.stage.extras.pop("ceiling")]
    leaving += [film.stage.extras.pop("y_label"), film.stage.extras.pop("equation")]
    first, second = film.cues()
    film.say(first, [film.set_heading(), FadeOut(*leaving)])
    film.say(second, [Create(chart.axes), bars.make_slide_together()])
    film.stage.plot = None
