"""Figure 8: the hanging bars drop to the floor; every bar is p(true class) from 0."""

from manim import DOWN, FadeIn, LaggedStart, Text, VGroup

NAME = "stand_bars"


def probability_labels(film) -> VGroup:
    bars, style = film.stage.bars, film.style
    return VGroup(
        *(
            Text(f"{p:.2f}", font=style.fonts.text, font_size=style.sizes.small)
            .set_color(style.palette.muted)
            .next_to(
                bars.chart.axes.c2p(bars.chart.slot_of[i], 0), DOWN, buff=style.layout.buff_tight
            )
            for i, p in enumerate(film.lesson.true_class_probabilities)
        )
    )


def play(film) -> None:
    bars = film.stage.bars
    labels = probability_labels(film)
    film.stage.extras["bar_labels"] = labels
    axis_name = bars.axis_name(
        film.text("y_label", size=film.style.sizes.label, colour=film.style.palette.muted)
    )
    film.stage.extras["chart_axis_name"] = axis_name
    first, second = film.cues()
    film.say(first, [film.set_heading(), bars.make_stand(film.style.timing.lag_ratio)])
    film.say(
        second,
        [
            FadeIn(axis_name),
            LaggedStart(
                *(FadeIn(label) for label in labels), lag_ratio=film.style.timing.lag_ratio
            ),
        ],
    )
