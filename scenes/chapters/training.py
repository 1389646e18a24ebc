"""Training replayed: from a flat coin-flip guess the sigmoid bends, Newton step by Newton
step, and every loss bar and the mean follow it down to the loss; then the fit without a
penalty, faint, beside the fit."""

from manim import (
    LEFT,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    ReplacementTransform,
    Transform,
    VGroup,
    VMobject,
)

from ..components.plots import SigmoidPlot
from ..components.training import TrainingBoard
from ..contract import Chapter
from ..narration import loss_text

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


def shown_steps(plot: SigmoidPlot, limit: int) -> list[int]:
    """The Newton steps the film plays (at most ``limit``): those that visibly move the
    curve, then the last, the fit itself (however little it moves), so that the mean
    ends at the loss and the counter at the step the narration names."""
    last = len(plot.lesson.training) - 1
    steps = [k for k, _ in plot.visible_iterates(max(limit - 1, 1))]
    if last > 0 and (not steps or steps[-1] != last):
        steps.append(last)
    return steps


def unpenalised(film, board: TrainingBoard) -> tuple[VMobject, VGroup]:
    """The fit without a penalty, faint, and its legend; where there is none (separable
    data) a note instead; nothing when the film itself has no penalty (its fit is that
    one: the cue says so)."""
    lesson, sizes, palette = film.lesson, film.style.sizes, film.style.palette
    free = lesson.fit_without_penalty
    if lesson.C is None:
        return VMobject(), VGroup()
    if free is None:
        note = film.text("free_none_label", size=sizes.label, colour=palette.muted)
        return VMobject(), VGroup(note)
    curve = board.faded_curve(free.weight, free.intercept)
    text = film.text("free_label", size=sizes.label, colour=palette.muted)
    return curve, board.legend(curve, text)


class Replay:
    """What is on screen and changes as the fit is replayed: the curve, the chart's mean
    line and its label (from the chart's move beside the plot), the step counter (from
    the first step). Each step replaces them."""

    def __init__(self, film, board: TrainingBoard, bars) -> None:
        self.film, self.board, self.bars = film, board, bars
        self.curve = board.plot.curve_for(film.lesson.weight, film.lesson.intercept)
        self.line: VMobject | None = None
        self.label: VMobject | None = None
        self.step: VMobject | None = None

    def mean_at(self, loss: float) -> tuple[VMobject, VMobject]:
        """The mean line at ``loss`` and its label, on the chart beside the plot."""
        sizes, palette = self.film.style.sizes, self.film.style.palette
        line = self.board.mean_line(loss)
        label = self.film.text(
            "mean_label", size=sizes.label, colour=palette.text.loss, mean=loss_text(loss)
        )
        return line, self.board.mean_label(label, line)

    def mean_from(self, old_line, old_label) -> list:
        """The mean line and its label the earlier chapters left, to the fit's mean on the
        chart beside the plot (the bars stand in it now)."""
        self.line, self.label = self.mean_at(self.film.lesson.loss)
        return [
            ReplacementTransform(old_line, self.line),
            ReplacementTransform(old_label, self.label),
        ]

    def show_plot(self) -> list:
        """The plot, its points, the y axis's name and the curve, still the fit's."""
        plot = self.board.plot
        return [
            FadeIn(plot.axes),
            FadeIn(plot.dots),
            FadeIn(self.board.y_label),
            Create(self.curve, run_time=self.film.style.timing.grow),
        ]

    def to_step(self, k: int, run_time: float) -> list:
        """The curve, the bars, the mean line and its label, to Newton step ``k``; the
        counter to ``k``."""
        film = self.film
        sizes, palette = film.style.sizes, film.style.palette
        step = film.lesson.training[k]
        curve = self.board.plot.curve_for(step.weight, step.intercept)
        line, label = self.mean_at(step.loss)
        moves = [
            ReplacementTransform(self.curve, curve, run_time=run_time),
            self.bars.make_losses(step.point_losses, run_time=run_time),
            ReplacementTransform(self.line, line, run_time=run_time),
            ReplacementTransform(self.label, label, run_time=run_time),
        ]
        counter = film.text("step_label", size=sizes.label, colour=palette.muted, step=k)
        marker = self.board.above_plot(counter)
        if self.step is None:
            moves.append(FadeIn(marker))
        else:
            moves.append(ReplacementTransform(self.step, marker, run_time=run_time))
        self.curve, self.line, self.label, self.step = curve, line, label, marker
        return moves

    def hand_over_curve(self) -> None:
        """The curve on screen is the fit's: hand over to the plot's own curve, unseen."""
        self.film.scene.remove(self.curve)
        self.film.scene.add(self.board.plot.curve)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    layout, sizes, palette, timing = style.layout, style.sizes, style.palette, style.timing
    bars, old_chart = film.take("bars"), film.take("chart")
    bar_labels, axis_name = film.take("bar_labels"), film.take("chart_axis_name")
    old_line, old_label = film.take("mean_line")
    old_marks = film.take("capped_marks")
    # The plot, and the same chart (scale, slots) drawn anew beside it.
    board = TrainingBoard(lesson, style, film.shown, old_chart.y_max, old_chart.count)
    chart = board.chart
    film.leave("plot", board.plot)
    film.leave("chart", chart)
    board.name_y_axis(film.text("y_label", size=sizes.label, colour=palette.muted))
    replay = Replay(film, board, bars)

    def move_chart() -> list:
        """The chart and what is on it to its place beside the plot, still at the fit."""
        leaving = [m for m in (old_marks, bar_labels) if len(m)]
        name = axis_name.copy()
        bars.use_chart(chart)
        to_mean = replay.mean_from(old_line, old_label)
        return [
            film.set_heading(),
            *([FadeOut(*leaving)] if leaving else []),
            ReplacementTransform(old_chart, chart),
            bars.make_losses(lesson.point_losses),
            Transform(axis_name, bars.axis_name(name)),
            *to_mean,
        ]

    film.say("rewind", move_chart, replay.show_plot, lambda: replay.to_step(0, timing.move))
    steps = shown_steps(board.plot, timing.training_max_steps)
    film.say("steps", *(lambda k=k: replay.to_step(k, timing.training_step) for k in steps))

    def settle() -> list:
        replay.hand_over_curve()
        film.leave("mean_line", VGroup(replay.line, replay.label))
        marks = bars.capped_marks()  # the fit's losses again: the cut bars' values
        film.leave("capped_marks", marks)
        # Circled, not recoloured: the label's backdrop would take the colour too.
        emphasis = Circumscribe(replay.label, color=palette.loss, buff=layout.buff_tight)
        return [emphasis, *([FadeIn(marks)] if len(marks) else [])]

    film.say("settle", settle)

    curve, legend = unpenalised(film, board)
    film.leave("unpenalised_curve", curve)
    if len(legend):
        board.above_plot(legend)
    free_moves = [FadeOut(replay.step)] if replay.step is not None else []
    if len(curve.points):
        free_moves.append(Create(curve, run_time=timing.grow))
    if len(legend):
        free_moves.append(FadeIn(legend, shift=layout.drift * LEFT))
    film.say("free", *([free_moves] if free_moves else []))
    if len(legend):
        film.say("penalty", Indicate(legend, color=palette.highlight))
    else:
        film.say("penalty")
