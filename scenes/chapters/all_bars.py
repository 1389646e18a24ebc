"""Figure 6: both kinds of bar on one plot; each is p(true class)."""

from manim import Indicate, LaggedStart

from ..contract import Chapter

CHAPTER = Chapter("all_bars", cues=("together", "long_short"), takes=("plot", "bars"))


def play(film) -> None:
    bars, plot = film.take("bars"), film.take("plot")
    film.say(
        "together",
        [
            film.set_heading(),
            plot.curve.animate.set_stroke(opacity=film.style.sizes.faded_curve_opacity),
        ],
    )
    ordered = sorted(range(len(bars)), key=lambda k: -bars.true_class_probability(k))
    style = film.style
    film.say(
        "long_short",
        LaggedStart(
            *(
                Indicate(
                    bars[i], color=style.palette.emphasis, scale_factor=style.sizes.emphasis_scale
                )
                for i in ordered
            ),
            lag_ratio=style.timing.lag_ratio,
        ),
    )
