"""Figure 4: a bar under the curve at each positive point, from 0 up to p."""

from ..components.bars import ProbabilityBars
from ..contract import Chapter

CHAPTER = Chapter("positive_bars", cues=("truth", "grow"), takes=("plot",), leaves=("bars",))


def play(film) -> None:
    plot = film.take("plot")
    bars = ProbabilityBars(film.lesson, film.style, plot)
    film.leave("bars", bars)
    film.say(
        "truth",
        [film.set_heading(), plot.dots.animate.set_opacity(film.style.sizes.dimmed_opacity)],
    )
    film.say("grow", bars.make_grow(bars.positive_indices(), film.style.timing.lag_ratio))
