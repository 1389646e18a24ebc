"""Figure 5: a bar hanging from 1 down to the curve at each negative point: length 1 - p."""

from manim import Create, DashedLine

NAME = "hanging_bars"


def play(film) -> None:
    plot, bars = film.stage.plot, film.stage.bars
    axes = plot.axes
    ceiling = DashedLine(
        axes.c2p(axes.x_range[0], 1),
        axes.c2p(axes.x_range[1], 1),
        color=film.style.palette.muted,
    )
    film.stage.extras["ceiling"] = ceiling
    first, second = film.cues()
    film.say(first, [film.set_heading(), Create(ceiling)])
    film.say(second, bars.make_grow(bars.negative_indices(), film.style.timing.lag_ratio))
