"""Training replayed: from a flat coin-flip guess the sigmoid bends, Newton step by Newton
step, and every loss bar and the mean follow it down to the loss; then the fit without a
penalty, faint, beside the fit."""

from dataclasses import replace
from itertools import pairwise

from manim import (
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    ReplacementTransform,
    Transform,
    VGroup,
    VMobject,
)

from ..components.bars import BarChart
from ..components.plots import SigmoidPlot
from ..contract import Chapter
from ..narration import loss_text
from ..style import Area

CHAPTER = Chapter(
    "training",
    cues=("rewind", "steps", "settle", "free", "penalty"),
    takes=(
        "bars",
        "chart",
        "bar_labels",
        "chart_axis_name",
        "mean_line",
        "capped_marks",
    ),
    # chart, mean_line, capped_marks: the loss chart drawn anew beside the plot (the bars
    # stand in it), its mean line at the fit's loss, the marks of cut bars. plot: the
    # sigmoid plot, its curve the fit; unpenalised_curve: the fit without a penalty (an
    # empty VMobject where there is none to draw).
    leaves=("chart", "mean_line", "capped_marks", "plot", "unpenalised_curve"),
    drops=("bar_labels",),  # each bar's loss, written under it: wrong while training
)


def boxes(layout) -> tuple[Area, Area]:
    """Where the plot's axes and the chart's go: the content area under the heading,
    split in two (side by side, or stacked in a tall frame), less the room each needs
    around its axes for tick labels and the words above them."""
    content = layout.content_area
    top = min(content.top, layout.training_top)
    area = Area(content.left, content.bottom, content.right, top)
    split = area.split_rows if layout.vertical else area.split_columns
    first, second = split(layout.training_share, layout.gutter)

    def inner(part: Area, room: tuple) -> Area:
        left, right, below, above = room
        return Area(part.left + left, part.bottom + below, part.right - right, part.top - above)

    return inner(first, layout.training_plot_room), inner(second, layout.training_chart_room)


def in_box(style, box: Area):
    """The style with the plot's box (the box the sigmoid plot and the bar chart are
    built in) set to ``box``."""
    room = replace(
        style.layout, plot_width=box.width, plot_height=box.height, plot_center=box.center
    )
    return replace(style, layout=room)


def into_box(group, axes, box: Area):
    """Shift ``group`` so that its axes' lines (not their tick labels) start at the box's
    lower-left corner: built at the box's size, they fill it."""
    corner = axes.c2p(axes.x_range[0], axes.y_range[0])
    return group.shift([box.left - corner[0], box.bottom - corner[1], 0])


def sigmoid_plot(film, box: Area) -> SigmoidPlot:
    """The sigmoid plot in ``box``; narrowed once if its tick labels (long ones, as
    1e+300) would run out of its column, the room around the box."""
    left_room, right_room = film.style.layout.training_plot_room[:2]
    for _ in range(2):
        plot = SigmoidPlot(film.lesson, in_box(film.style, box), film.shown)
        clear_origin(thin_labels(into_box(plot, plot.axes, box), film.style.layout.buff_tight))
        over_left = box.left - left_room - plot.axes.get_left()[0]
        over_right = plot.axes.get_right()[0] - box.right - right_room
        if over_left <= 0 and over_right <= 0:
            break
        box = Area(
            box.left + max(over_left, 0), box.bottom, box.right - max(over_right, 0), box.top
        )
    return plot


def thin_labels(plot: SigmoidPlot, gap: float) -> SigmoidPlot:
    """Long x tick labels (x near 1e6) may not fit side by side on the narrower plot:
    every other one goes, its tick stays, until they are ``gap`` apart."""
    labels = getattr(plot.axes.x_axis, "labels", VGroup())
    while len(labels) > 2 and any(
        b.get_left()[0] - a.get_right()[0] < gap for a, b in pairwise(labels)
    ):
        for label in list(labels)[1::2]:
            labels.remove(label)
    return plot


def clear_origin(plot: SigmoidPlot) -> SigmoidPlot:
    """A narrow plot has the y axis's labels (at x = 0) among the x axis's near the
    origin: drop those that touch one (the x axis is itself p = 0)."""
    x_labels = getattr(plot.axes.x_axis, "labels", VGroup())
    y_labels = getattr(plot.axes.y_axis, "labels", VGroup())

    def touch(a, b) -> bool:
        return (
            a.get_left()[0] < b.get_right()[0]
            and b.get_left()[0] < a.get_right()[0]
            and a.get_bottom()[1] < b.get_top()[1]
            and b.get_bottom()[1] < a.get_top()[1]
        )

    for label in [y for y in y_labels if any(touch(y, x) for x in x_labels)]:
        y_labels.remove(label)
    return plot


def shown_steps(plot: SigmoidPlot, limit: int) -> list[int]:
    """The Newton steps the film plays (at most ``limit``): those that visibly move the
    curve, then the last, the fit itself (however little it moves), so that the mean
    ends at the loss and the counter at the step the narration names."""
    last = len(plot.lesson.training) - 1
    steps = [k for k, _ in plot.visible_iterates(max(limit - 1, 1))]
    if last > 0 and (not steps or steps[-1] != last):
        steps.append(last)
    return steps


def unpenalised(film, plot: SigmoidPlot) -> tuple[VMobject, VGroup]:
    """The fit without a penalty, faint, and its legend; where there is none (separable
    data) a note instead; nothing when the film itself has no penalty (its fit is that
    one: the cue says so)."""
    lesson, style = film.lesson, film.style
    sizes, palette, layout = style.sizes, style.palette, style.layout
    free = lesson.fit_without_penalty
    if lesson.C is None:
        return VMobject(), VGroup()
    if free is None:
        note = film.text("free_none_label", size=sizes.label, colour=palette.muted)
        return VMobject(), VGroup(note)
    curve = plot.curve_for(free.weight, free.intercept)
    curve.set_stroke(opacity=sizes.faded_curve_opacity)
    sample = Line(ORIGIN, layout.training_legend_line * RIGHT).match_style(curve)
    text = film.text("free_label", size=sizes.label, colour=palette.muted)
    return curve, VGroup(sample, text).arrange(RIGHT, buff=layout.buff_tight)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    layout, sizes, palette, timing = style.layout, style.sizes, style.palette, style.timing
    bars, old_chart = film.take("bars"), film.take("chart")
    bar_labels, axis_name = film.take("bar_labels"), film.take("chart_axis_name")
    old_line, old_label = film.take("mean_line")
    old_marks = film.take("capped_marks")
    plot_box, chart_box = boxes(layout)
    plot = sigmoid_plot(film, plot_box)
    film.leave("plot", plot)
    # The same chart (scale, slots) drawn anew beside the plot, at the size of its box:
    # its numbers keep their size.
    chart = BarChart(in_box(style, chart_box), old_chart.y_max, old_chart.count)
    into_box(chart, chart.axes, chart_box)
    film.leave("chart", chart)
    axes = chart.axes

    def line_at(loss: float) -> DashedLine:
        level = min(loss, chart.y_max)
        return DashedLine(
            axes.c2p(axes.x_range[0], level),
            axes.c2p(axes.x_range[1], level),
            color=palette.loss,
            stroke_width=sizes.mean_line_stroke,
        )

    def label_on(line, loss: float):
        label = film.text(
            "mean_label", size=sizes.label, colour=palette.text.loss, mean=loss_text(loss)
        )
        # Readable even where it crosses a bar; the backdrop ends where the line does.
        label.add_background_rectangle(
            color=palette.background,
            opacity=sizes.label_backdrop_opacity,
            buff=layout.buff_tight,
        )
        return label.next_to(line, UP, buff=0).align_to(line, RIGHT)

    y_label = film.text("y_label", size=sizes.label, colour=palette.muted)
    y_label.next_to(plot.axes.y_axis, UP, buff=layout.buff_tight).align_to(plot.axes.y_axis, LEFT)
    # A long class name stays in the plot's column (the y axis may stand near its right).
    column_right = plot_box.right + layout.training_plot_room[1]
    if y_label.get_right()[0] > column_right:
        y_label.shift((column_right - y_label.get_right()[0]) * RIGHT)

    def above_plot(mobject):
        """The step counter, then the legend: right-aligned above the plot, a row above
        the y axis's name (which stands wherever x = 0 is)."""
        return mobject.next_to(y_label, UP, buff=layout.buff_tight).align_to(plot.axes, RIGHT)

    def step_text(k: int):
        return above_plot(film.text("step_label", size=sizes.label, colour=palette.muted, step=k))

    # What is on screen and changes at every step; each step replaces them.
    now = {"curve": plot.curve_for(lesson.weight, lesson.intercept), "step": None}

    def move_chart() -> list:
        """The chart and what is on it to its place beside the plot, still at the fit."""
        leaving = [m for m in (old_marks, bar_labels) if len(m)]
        name = axis_name.copy()
        bars.use_chart(chart)
        now["line"] = line_at(lesson.loss)
        now["label"] = label_on(now["line"], lesson.loss)
        return [
            film.set_heading(),
            *([FadeOut(*leaving)] if leaving else []),
            ReplacementTransform(old_chart, chart),
            bars.make_losses(lesson.point_losses),
            Transform(axis_name, bars.axis_name(name)),
            ReplacementTransform(old_line, now["line"]),
            ReplacementTransform(old_label, now["label"]),
        ]

    def show_plot() -> list:
        return [
            FadeIn(plot.axes),
            FadeIn(plot.dots),
            FadeIn(y_label),
            Create(now["curve"], run_time=timing.grow),
        ]

    def to_step(k: int, run_time: float) -> list:
        """The curve, the bars, the mean line and its label, to Newton step ``k``."""
        step = lesson.training[k]
        curve = plot.curve_for(step.weight, step.intercept)
        line = line_at(step.loss)
        label = label_on(line, step.loss)
        moves = [
            ReplacementTransform(now["curve"], curve, run_time=run_time),
            bars.make_losses(step.point_losses, run_time=run_time),
            ReplacementTransform(now["line"], line, run_time=run_time),
            ReplacementTransform(now["label"], label, run_time=run_time),
        ]
        marker = step_text(k)
        if now["step"] is None:
            moves.append(FadeIn(marker))
        else:
            moves.append(ReplacementTransform(now["step"], marker, run_time=run_time))
        now.update(curve=curve, line=line, label=label, step=marker)
        return moves

    film.say("rewind", move_chart, show_plot, lambda: to_step(0, timing.move))
    steps = shown_steps(plot, timing.training_max_steps)
    film.say("steps", *(lambda k=k: to_step(k, timing.training_step) for k in steps))

    def settle() -> list:
        # The curve on screen is the fit's: hand over to the plot's own curve, unseen.
        film.scene.remove(now["curve"])
        film.scene.add(plot.curve)
        film.leave("mean_line", VGroup(now["line"], now["label"]))
        marks = bars.capped_marks()  # the fit's losses again: the cut bars' values
        film.leave("capped_marks", marks)
        # Circled, not recoloured: the label's backdrop would take the colour too.
        emphasis = Circumscribe(now["label"], color=palette.loss, buff=layout.buff_tight)
        return [emphasis, *([FadeIn(marks)] if len(marks) else [])]

    film.say("settle", settle)

    curve, legend = unpenalised(film, plot)
    film.leave("unpenalised_curve", curve)
    if len(legend):
        above_plot(legend)
    free_moves = [FadeOut(now["step"])] if now["step"] is not None else []
    if len(curve.points):
        free_moves.append(Create(curve, run_time=timing.grow))
    if len(legend):
        free_moves.append(FadeIn(legend, shift=layout.drift * LEFT))
    film.say("free", *([free_moves] if free_moves else []))
    if len(legend):
        film.say("penalty", Indicate(legend, color=palette.highlight))
    else:
        film.say("penalty")
