"""Figure 8: the hanging bars drop to the floor; every bar is p(true class) from 0."""

import itertools

from manim import DOWN, FadeIn, LaggedStart, Text, VGroup

from ..components.points import MAX_VALUE_LABELS
from ..contract import Chapter

CHAPTER = Chapter(
    "stand_bars",
    cues=("fall", "true_class"),
    takes=("bars",),
    leaves=("bar_labels", "chart_axis_name"),
)


def probability_labels(film, bars) -> VGroup:
    """p(true class) under each bar, while there are few enough bars to read them."""
    style = film.style
    if len(bars) > MAX_VALUE_LABELS:
        return VGroup()
    labels = VGroup(
        *(
            Text(f"{p:.2f}", font=style.fonts.text, font_size=style.sizes.small)
            .set_color(style.palette.muted)
            .next_to(bars.chart.axes.c2p(bars.chart.slot(k), 0), DOWN, buff=style.layout.buff_tight)
            for k, p in enumerate(map(bars.true_class_probability, range(len(bars))))
        )
    )
    # Where neighbours would touch (a narrow frame), every other label steps down a row.
    crowded = any(
        right.get_left()[0] - left.get_right()[0] < style.layout.buff_tight
        for left, right in itertools.pairwise(labels)
    )
    if crowded:
        for label in labels[1::2]:
            label.shift((label.height + style.layout.buff_tight) * DOWN)
    return labels


def play(film) -> None:
    bars = film.take("bars")
    labels = probability_labels(film, bars)
    film.leave("bar_labels", labels)
    axis_name = bars.axis_name(
        film.text("y_label", size=film.style.sizes.label, colour=film.style.palette.muted)
    )
    film.leave("chart_axis_name", axis_name)
    film.say("fall", [film.set_heading(), bars.make_stand(film.style.timing.lag_ratio)])
    film.say(
        "true_class",
        [FadeIn(axis_name)]
        + (
            [LaggedStart(*map(FadeIn, labels), lag_ratio=film.style.timing.lag_ratio)]
            if len(labels)
            else []
        ),
    )
