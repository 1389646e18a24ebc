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
    # Probabilities: 0..1 over the whole height, as in the plot (mean_loss grows the range
    # to the losses').
    chart = BarChart(film.style, 1.0, len(bars))
    film.leave("chart", chart)
    bars.attach_chart(chart)
    leaving = [plot.axes, plot.curve, plot.dots, film.take("ceiling")]
    leaving += [film.take("y_label"), film.take("equation")]
    film.say("only_p", [film.set_heading(), FadeOut(*leaving)])
    film.say("slide", [Create(chart.axes), bars.make_slide_together()])
