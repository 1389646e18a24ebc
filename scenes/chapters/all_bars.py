"""Figure 6: both kinds of bar on one plot; each is p(true class)."""

from manim import Indicate, LaggedStart

NAME = "all_bars"


def play(film) -> None:
    bars = film.stage.bars
    first, second = film.cues()
    film.say(first, [film.set_heading(), film.stage.plot.curve.animate.set_stroke(opacity=0.5)])
    ordered = sorted(range(len(bars)), key=lambda i: -film.lesson.true_class_probabilities[i])
    film.say(
        second,
        LaggedStart(*(Indicate(bars[i], scale_factor=1.08) for i in ordered), lag_ratio=0.15),
    )
