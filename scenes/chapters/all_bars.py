"""Figure 6: both kinds of bar on one plot; each is p(true class)."""

from manim import Indicate, LaggedStart

NAME = "all_bars"


def play(film) -> None:
    bars = film.stage.bars
    first, second = film.cues()
    film.say(
        first,
        [
            film.set_heading(),
            film.stage.plot.curve.animate.set_stroke(opacity=film.style.sizes.faded_curve_opacity),
        ],
    )
    ordered = sorted(range(len(bars)), key=lambda k: -bars.true_class_probability(k))
    film.say(
        second,
        LaggedStart(
            *(Indicate(bars[i], scale_factor=film.style.sizes.emphasis_scale) for i in ordered),
            lag_ratio=film.style.timing.lag_ratio,
        ),
    )
