"""Figure 4: a bar under the curve at each positive point, from 0 up to p."""

from ..components.bars import ProbabilityBars

NAME = "positive_bars"


def play(film) -> None:
    plot = film.stage.plot
    bars = ProbabilityBars(film.lesson, film.style, plot)
    film.stage.bars = bars
    first, second = film.cues()
    film.say(
        first, [film.set_heading(), plot.dots.animate.set_opacity(film.style.sizes.dimmed_opacity)]
    )
    film.say(second, bars.make_grow(bars.positive_indices(), film.style.timing.lag_ratio))
