"""Figure 10: every bar becomes its loss -log p, one by one; the mean line settles."""

from manim import (
    DOWN,
    RIGHT,
    UP,
    DashedLine,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Succession,
    Text,
    Transform,
    VGroup,
    smooth,
)

NAME = "mean_loss"


def loss_labels(film, probability_labels: VGroup) -> VGroup:
    style = film.style
    return VGroup(
        *(
            Text(f"{loss:.2f}", font=style.fonts.text, font_size=style.sizes.small)
            .set_color(style.palette.loss)
            .move_to(label)
            for loss, label in zip(film.lesson.point_losses, probability_labels, strict=True)
        )
    )


def play(film) -> None:
    style, lesson = film.style, film.lesson
    layout, palette, timing = style.layout, style.palette, style.timing
    bars, chart = film.stage.bars, film.stage.chart
    labels = film.stage.extras.pop("bar_labels")
    axis_name = film.stage.extras["chart_axis_name"]
    side = VGroup(chart, bars, labels, axis_name)
    curve_parts = [
        film.stage.loss_curve,
        film.stage.extras.pop("loss_markers"),
        film.stage.extras.pop("loss_curve_labels"),
    ]
    first, second, third = film.cues()

    def to_losses():
        # Built once the chart is back in place: the loss bars are drawn in its axes.
        new_labels = loss_labels(film, labels)
        return LaggedStart(
            *(
                Succession(
                    Transform(bars[i], bars.loss_bar(i)),
                    Transform(labels[i], new_labels[i], run_time=timing.label_swap),
                )
                for i in bars.slot_order()
            ),
            lag_ratio=timing.loss_lag_ratio,
            run_time=timing.move * 3,
        )

    def rename_axis():
        loss_name = bars.axis_name(
            film.text("y_label", size=style.sizes.label, colour=palette.loss)
        )
        return Transform(axis_name, loss_name)

    film.say(
        first,
        [film.set_heading(), FadeOut(*curve_parts)],
        side.animate.scale(1 / layout.side_scale).move_to(film.stage.extras.pop("side_home")),
        lambda: [to_losses(), rename_axis()],  # built once the chart is back in place
    )
    film.stage.loss_curve = None
    worst = max(range(len(bars)), key=lambda i: lesson.point_losses[i])
    film.say(
        second, Indicate(bars[worst], color=palette.loss, scale_factor=style.sizes.emphasis_scale)
    )

    axes = chart.axes
    left, right = axes.x_range[0], axes.x_range[1]
    top = float(max(bars.loss_height(i) for i in range(len(bars))))
    mean_line = DashedLine(
        axes.c2p(left, top), axes.c2p(right, top), color=palette.loss, stroke_width=4
    )
    target = DashedLine(
        axes.c2p(left, lesson.loss),
        axes.c2p(right, lesson.loss),
        color=palette.loss,
        stroke_width=4,
    )
    mean_label = film.text("mean_label", size=style.sizes.label, colour=palette.loss)
    mean_label.next_to(target, UP, buff=layout.buff_tight).align_to(target, RIGHT)
    film.stage.extras["mean_line"] = VGroup(target, mean_label)
    film.stage.extras["bar_labels"] = labels
    film.say(
        third,
        FadeIn(mean_line),
        [Transform(mean_line, target, rate_func=smooth, run_time=timing.settle)],
        FadeIn(mean_label, shift=layout.drift * DOWN),
    )
    film.scene.remove(mean_line)
    film.scene.add(target)
