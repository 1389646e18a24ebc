"""Training replayed: from a flat coin-flip guess the sigmoid bends, Newton step by Newton
step, and every loss bar and the mean follow it down to the loss; then the fit without a
penalty, faint, beside the fit."""

from dataclasses import replace

import numpy as np
from manim import (
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
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

from ..components.plots import SigmoidPlot
from ..contract import Chapter
from ..narration import loss_text

CHAPTER = Chapter(
    "training",
    cues=("rewind", "steps", "settle", "free", "penalty"),
    takes=("bars", "chart", "bar_labels", "chart_axis_name", "mean_line", "capped_marks"),
    # mean_line: the line and its label at the fit's loss, in the chart's new place.
    # plot: the sigmoid plot, its curve the fit; unpenalised_curve: the fit without a
    # penalty (an empty VMobject where there is none to draw).
    leaves=("mean_line", "plot", "unpenalised_curve"),
    drops=("bar_labels",),  # each bar's loss, written under it: wrong while training
)


def training_plot(film) -> SigmoidPlot:
    """The sigmoid plot, built at the size it has beside the loss chart."""
    layout = film.style.layout
    width, height = layout.training_plot_size
    room = replace(
        layout, plot_width=width, plot_height=height, plot_center=layout.training_plot_center
    )
    return SigmoidPlot(film.lesson, replace(film.style, layout=room), film.shown)


def shown_steps(plot: SigmoidPlot, limit: int) -> list[int]:
    """The Newton steps the film plays: those that visibly move the curve (at most
    ``limit``), the last of them the fit itself, so the mean ends at the loss."""
    last = len(plot.lesson.training) - 1
    steps = [k for k, _ in plot.visible_iterates(limit)]
    if last > 0 and (not steps or steps[-1] != last):
        steps = [*steps[:-1], last]
    return steps


def unpenalised(film, plot: SigmoidPlot) -> tuple[VMobject, VGroup]:
    """The fit without a penalty, faint, and its legend; where there is none (separable
    data) a note instead; nothing when the film itself has no penalty."""
    lesson, style = film.lesson, film.style
    sizes, palette, layout = style.sizes, style.palette, style.layout
    free = lesson.fit_without_penalty
    if lesson.C is None:  # the fit is the unpenalised one: the chapter's curve already
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
    bars, chart = film.take("bars"), film.take("chart")
    bar_labels, axis_name = film.take("bar_labels"), film.take("chart_axis_name")
    dashes, first_label = film.take("mean_line")
    marks = film.take("capped_marks")
    plot = training_plot(film)
    film.leave("plot", plot)
    axes = chart.axes

    # The chart moves beside the plot, scaled about its axes' centre; its words keep
    # their size and are placed anew.
    scale, pivot = layout.training_chart_scale, chart.axes.get_center()
    shift = np.array(layout.training_chart_center) - pivot

    def place(mobject):
        return mobject.scale(scale, about_point=pivot).shift(shift)

    moved = place(VGroup(chart, dashes).copy())
    moved_y_axis = moved[0].axes.y_axis
    axis_target = axis_name.copy()
    axis_target.next_to(moved_y_axis, UP, buff=layout.buff_tight).align_to(moved_y_axis, LEFT)

    def line_at(loss: float) -> DashedLine:
        level = min(loss, chart.y_max)
        return DashedLine(
            axes.c2p(axes.x_range[0], level),
            axes.c2p(axes.x_range[1], level),
            color=palette.loss,
            stroke_width=sizes.mean_line_stroke,
        )

    def label_on(line, loss: float):
        label = film.text("mean_label", size=sizes.label, colour=palette.loss, mean=loss_text(loss))
        label.next_to(line, UP, buff=layout.buff_tight).align_to(line, RIGHT)
        # Readable even where it crosses a bar.
        return label.add_background_rectangle(
            color=palette.background,
            opacity=sizes.label_backdrop_opacity,
            buff=layout.buff_tight,
        )

    y_label = film.text("y_label", size=sizes.label, colour=palette.muted)
    y_label.next_to(plot.axes.y_axis, UP, buff=layout.buff_tight).align_to(plot.axes.y_axis, LEFT)

    def above_plot(mobject):
        """The step counter, then the legend: right-aligned above the plot, a row above
        the y axis's name (which stands wherever x = 0 is)."""
        return mobject.next_to(y_label, UP, buff=layout.buff_tight).align_to(plot.axes, RIGHT)

    def step_text(k: int):
        return above_plot(film.text("step_label", size=sizes.label, colour=palette.muted, step=k))

    # What is on screen and changes at every step; each step replaces them.
    now = {
        "curve": plot.curve_for(lesson.weight, lesson.intercept),
        "line": dashes,
        "label": label_on(moved[1], lesson.loss),
        "step": None,
    }

    def to_step(k: int, run_time: float) -> list:
        """The curve, the bars, the mean line and its label, to Newton step ``k``."""
        step = lesson.training[k]
        iterate = lesson.fit.iterates[k]
        curve = plot.curve_for(iterate.weight, iterate.intercept)
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

    def move_chart() -> list:
        shown_marks = [FadeOut(marks)] if len(marks) else []
        if len(bar_labels):
            shown_marks.append(FadeOut(bar_labels))
        moves = [
            chart.animate.scale(scale, about_point=pivot).shift(shift),
            bars.animate.scale(scale, about_point=pivot).shift(shift),
            dashes.animate.scale(scale, about_point=pivot).shift(shift),
            Transform(axis_name, axis_target),
            ReplacementTransform(first_label, now["label"]),
        ]
        return [film.set_heading(), *shown_marks, *moves]

    def show_plot() -> list:
        place(marks)  # faded out: back in the moved chart, for the end
        return [
            FadeIn(plot.axes),
            FadeIn(plot.dots),
            FadeIn(y_label),
            Create(now["curve"], run_time=timing.grow),
        ]

    film.say("rewind", move_chart, show_plot, lambda: to_step(0, timing.move))
    steps = shown_steps(plot, timing.training_max_steps)
    film.say("steps", *(lambda k=k: to_step(k, timing.training_step) for k in steps))

    def settle() -> list:
        # The curve on screen is the fit's: hand over to the plot's own curve, unseen.
        film.scene.remove(now["curve"])
        film.scene.add(plot.curve)
        film.leave("mean_line", VGroup(now["line"], now["label"]))
        emphasis = Indicate(now["label"], color=palette.loss, scale_factor=sizes.emphasis_scale)
        return [emphasis, *([FadeIn(marks)] if len(marks) else [])]

    film.say("settle", settle)

    curve, legend = unpenalised(film, plot)
    film.leave("unpenalised_curve", curve)
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
