"""Figure 9: the curve -log p; a probe slides down it and reads off the loss."""

from manim import (
    DOWN,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    LaggedStart,
    ValueTracker,
    VGroup,
    always_redraw,
    linear,
)

from ..components.plots import LossCurve, side_by_side
from ..contract import Chapter
from ..narration import PROBE_LOW_P

#: The curve's axis runs to this loss; the probe starts at PROBE_HIGH_P and slides down
#: to the narration's PROBE_LOW_P; its readout sits above READOUT_P, at the axes' top.
MAX_LOSS = 4.5
PROBE_HIGH_P = 0.999
READOUT_P = 0.55

CHAPTER = Chapter(
    "log_curve",
    cues=("wish", "negative_log", "no_ceiling", "points"),
    takes=("bars", "chart", "bar_labels", "chart_axis_name"),
    leaves=("side_home", "loss_curve", "loss_markers", "loss_curve_labels"),
)


def play(film) -> None:
    style = film.style
    layout, sizes, palette, timing = style.layout, style.sizes, style.palette, style.timing
    bars, chart = film.take("bars"), film.take("chart")
    bar_labels, axis_name = film.take("bar_labels"), film.take("chart_axis_name")
    side = VGroup(chart, bars, bar_labels, axis_name)
    # Beside the curve the chart is too small to read: its words and numbers fade while
    # it shrinks (mean_loss brings them back), the bars tell their story alone.
    side_words = VGroup(bar_labels, axis_name, chart.tick_labels)
    film.leave("side_home", side.get_center())  # mean_loss brings it back here
    curve = LossCurve(style, MAX_LOSS)
    film.leave("loss_curve", curve)
    axis_names = curve.axis_labels(
        film.text("x_label", size=sizes.small, colour=palette.muted),
        film.text("y_label", size=sizes.small, colour=palette.muted),
    )

    probe = ValueTracker(PROBE_HIGH_P)

    def probe_dot():
        return Dot(
            curve.point_at(probe.get_value()), radius=sizes.probe_radius, color=palette.highlight
        )

    # The updaters hold no reference to the film (see Film.text_maker).
    readout_text = film.text_maker("readout", size=sizes.label, colour=palette.text.highlight)

    def readout():
        p = probe.get_value()
        return readout_text(p=f"{p:.2f}", loss=f"{curve.loss_at(p):.2f}").next_to(
            curve.axes.c2p(READOUT_P, MAX_LOSS),
            DOWN,
            buff=layout.buff_tight,
        )

    moving_dot, moving_readout = always_redraw(probe_dot), always_redraw(readout)
    place = side_by_side(layout)
    film.say(
        "wish",
        [
            film.set_heading(),
            film.resize(side, place.chart_scale, place.chart_center, hidden=side_words),
        ],
        [Create(curve.axes), FadeIn(axis_names)],
        Create(curve.curve, run_time=timing.grow),
    )
    film.say("negative_log", [FadeIn(moving_dot), FadeIn(moving_readout)])
    film.say(
        "no_ceiling",
        probe.animate(rate_func=linear, run_time=timing.move * 3).set_value(PROBE_LOW_P),
    )

    def stop_and_fade_probe():
        # always_redraw rebuilds them every frame: stop that first, or a fade is undone.
        moving_dot.clear_updaters()
        moving_readout.clear_updaters()
        return [FadeOut(moving_dot), FadeOut(moving_readout)]

    markers = VGroup(
        *(
            Dot(curve.point_at(p), radius=sizes.marker_radius, color=bars.class_color(k))
            for k, p in enumerate(map(bars.true_class_probability, range(len(bars))))
        )
    )
    film.leave("loss_markers", markers)
    film.say(
        "points",
        stop_and_fade_probe,
        LaggedStart(*(FadeIn(m, scale=0.5) for m in markers), lag_ratio=timing.lag_ratio),
    )
    film.leave("loss_curve_labels", axis_names)
