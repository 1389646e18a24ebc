"""Figure 5: a bar hanging from 1 down to the curve at each negative point: length 1 - p."""

from manim import Create, DashedLine

from ..contract import Chapter

CHAPTER = Chapter("hanging_bars", cues=("gap", "hang"), takes=("plot", "bars"), leaves=("ceiling",))


def play(film) -> None:
    plot, bars = film.take("plot"), film.take("bars")
    axes = plot.axes
    ceiling = DashedLine(
        axes.c2p(axes.x_range[0], 1),
        axes.c2p(axes.x_range[1], 1),
        color=film.style.palette.muted,
    )
    film.leave("ceiling", ceiling)
    film.say("gap", [film.set_heading(), Create(ceiling)])
    film.say("hang", bars.make_grow(bars.negative_indices(), film.style.timing.lag_ratio))
