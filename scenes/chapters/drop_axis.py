"""Figure 7: the x axis and the curve go; the bars slide next to each other."""

from manim import Create, FadeOut

from ..components.bars import BarChart
from ..contract import Chapter

CHAPTER = Chapter(
    "drop_axis",
    cues=("only_p", "slide"),
    takes=("plot", "bars", "ceiling", "y_label", "equation"),
    leaves=("chart",),
    drops=("plot", "ceiling", "y_label", "equation"),
)


def play(film) -> None:
    plot, bars = film.take("plot"), film.take("bars")
    # One scale for probabilities and losses: tall enough for the largest loss.
    largest = max(bars.loss(k) for k in range(len(bars)))
    y_max = max(1.0, min(largest, film.style.layout.loss_cap))
    chart = BarChart(film.style, y_max, len(bars))
    film.leave("chart", chart)
    bars.attach_chart(chart)
    leaving = [plot.axes, plot.curve, plot.dots, film.take("ceiling")]
    leaving += [film.take("y_label"), film.take("equation")]
    film.say("only_p", [film.set_heading(), FadeOut(*leaving)])
    film.say("slide", [Create(chart.axes), bars.make_slide_together()])
