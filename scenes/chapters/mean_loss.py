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

from ..components.plots import side_by_side
from ..contract import Chapter

CHAPTER = Chapter(
    "mean_loss",
    cues=("become", "worst", "settle"),
    takes=(
        "bars",
        "chart",
        "bar_labels",
        "chart_axis_name",
        "side_home",
        "loss_curve",
        "loss_markers",
        "loss_curve_labels",
    ),
    leaves=("mean_line", "capped_marks"),
    drops=("side_home", "loss_curve", "loss_markers", "loss_curve_labels"),
)


def loss_labels(film, bars, probability_labels: VGroup) -> VGroup:
    """Each bar's loss, where its probability was written (none when there are many bars)."""
    style = film.style
    return VGroup(
        *(
            Text(f"{bars.loss(k):.2f}", font=style.fonts.text, font_size=style.sizes.small)
            .set_color(style.palette.text.loss)
            .move_to(label)
            for k, label in enumerate(probability_labels)
        )
    )


def play(film) -> None:
    style, lesson = film.style, film.lesson
    layout, palette, timing = style.layout, style.palette, style.timing
    bars, chart = film.take("bars"), film.take("chart")
    labels = film.take("bar_labels")
    axis_name = film.take("chart_axis_name")
    side = VGroup(chart, bars, labels, axis_name)
    curve_parts = [
        film.take("loss_curve"),
        film.take("loss_markers"),
        film.take("loss_curve_labels"),
    ]

    loss_range = bars.loss_range()

    def to_losses():
        # Built once the chart is back in place: the loss bars are drawn in its axes.
        new_labels = loss_labels(film, bars, labels)
        steps = []
        for k in range(len(bars)):
            moves = [Transform(bars[k], bars.loss_bar(k))]
            if k < len(new_labels):
                moves.append(Transform(labels[k], new_labels[k], run_time=timing.label_swap))
            steps.append(Succession(*moves))
        loss_name = bars.axis_name(
            film.text("y_label", size=style.sizes.label, colour=palette.text.loss)
        )
        return [
            LaggedStart(*steps, lag_ratio=timing.loss_lag_ratio, run_time=timing.move * 3),
            Transform(axis_name, loss_name),
        ]

    film.say(
        "become",
        [film.set_heading(), FadeOut(*curve_parts)],
        # Back to full size: the words and numbers log_curve faded come back.
        film.resize(
            side,
            1 / side_by_side(layout).chart_scale,
            film.take("side_home"),
            shown=VGroup(labels, axis_name, chart.tick_labels),
        ),
        # The y range grows to the losses' (the probability bars shrink with the scale).
        *([lambda: bars.make_y_max(loss_range)] if loss_range > chart.y_max else []),
        to_losses,
    )
    marks = bars.capped_marks()
    film.leave("capped_marks", marks)
    worst = max(range(len(bars)), key=bars.loss)
    emphasis = Indicate(bars[worst], color=palette.loss, scale_factor=style.sizes.emphasis_scale)
    film.say("worst", [emphasis, *([FadeIn(marks)] if len(marks) else [])])

    # The mean line settles from the top of the tallest bar down to the mean loss.
    axes = chart.axes
    left, right = axes.x_range[0], axes.x_range[1]
    top = max(bars.loss_height(k) for k in range(len(bars)))
    level = min(lesson.loss, chart.y_max)

    def line_at(height: float) -> DashedLine:
        return DashedLine(
            axes.c2p(left, height),
            axes.c2p(right, height),
            color=palette.loss,
            stroke_width=style.sizes.mean_line_stroke,
        )

    mean_line, target = line_at(top), line_at(level)
    mean_label = film.text("mean_label", size=style.sizes.label, colour=palette.text.loss)
    mean_label.next_to(target, UP, buff=layout.buff_tight).align_to(target, RIGHT)
    # Readable even where it crosses a bar.
    mean_label.add_background_rectangle(
        color=palette.background, opacity=style.sizes.label_backdrop_opacity, buff=layout.buff_tight
    )
    film.leave("mean_line", VGroup(target, mean_label))
    film.say(
        "settle",
        FadeIn(mean_line),
        [Transform(mean_line, target, rate_func=smooth, run_time=timing.settle)],
        FadeIn(mean_label, shift=layout.drift * DOWN),
    )
    film.scene.remove(mean_line)
    film.scene.add(target)
