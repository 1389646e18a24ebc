"""The training chapter's picture: the sigmoid plot and the loss chart side by side (stacked
in a tall frame), each in its box of the content area, and where the lines and words that
change at every Newton step go."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from manim import LEFT, ORIGIN, RIGHT, UP, DashedLine, Line, Mobject, VGroup, VMobject

from bce_core import Lesson

from ..style import Area, Layout, PerAspect, Style
from .bars import BarChart
from .plots import PlotBox, SigmoidPlot


@dataclass(frozen=True)
class TrainingSplit:
    """The content area below ``top``, split into the sigmoid plot and the loss chart,
    the plot taking ``share`` of it. Each keeps room (left, right, below, above) around
    its axes for the tick labels, the words above them and the marks of cut bars."""

    top: float
    share: float
    plot_room: tuple[float, float, float, float]
    chart_room: tuple[float, float, float, float]


#: Side by side in 16:9; stacked in 9:16, the plot above.
TRAINING_SPLIT = PerAspect(
    landscape=TrainingSplit(2.6, 0.56, (0.85, 0.4, 0.55, 1.3), (0.85, 0.35, 0.55, 1.3)),
    vertical=TrainingSplit(5.6, 0.55, (0.85, 0.3, 0.6, 1.45), (0.85, 0.35, 0.15, 0.9)),
)
#: The length of the faint curve's sample in its legend.
LEGEND_LINE = 0.6


def training_top(layout: Layout) -> float:
    """The top of the boards' area: a sampled film's note row lowers it."""
    return TRAINING_SPLIT.of(layout).top - layout.note_drop


def boxes(layout: Layout) -> tuple[Area, Area]:
    """Where the plot's axes and the chart's go: the content area under the heading,
    split in two (side by side, or stacked in a tall frame), less the room each needs
    around its axes for tick labels and the words above them."""
    split_of = TRAINING_SPLIT.of(layout)
    content = layout.content_area
    top = min(content.top, training_top(layout))
    area = Area(content.left, content.bottom, content.right, top)
    split = area.split_rows if layout.vertical else area.split_columns
    first, second = split(split_of.share, layout.gutter)

    def inner(part: Area, room: tuple) -> Area:
        left, right, below, above = room
        return Area(part.left + left, part.bottom + below, part.right - right, part.top - above)

    return inner(first, split_of.plot_room), inner(second, split_of.chart_room)


def in_box(box: Area) -> PlotBox:
    """The plot's box (the box the sigmoid plot and the bar chart are built in) that
    is ``box``."""
    return PlotBox(box.width, box.height, box.center)


def into_box(group, axes, box: Area):
    """Shift ``group`` so that its axes' lines (not their tick labels) start at the box's
    lower-left corner: built at the box's size, they fill it."""
    corner = axes.c2p(axes.x_range[0], axes.y_range[0])
    return group.shift([box.left - corner[0], box.bottom - corner[1], 0])


def sigmoid_plot(lesson: Lesson, style: Style, shown: np.ndarray, box: Area) -> SigmoidPlot:
    """The sigmoid plot in ``box``; narrowed once if its tick labels (long ones, as
    1e+300) would run out of its column, the room around the box."""
    left_room, right_room = TRAINING_SPLIT.of(style.layout).plot_room[:2]
    for _ in range(2):
        plot = SigmoidPlot(lesson, style, shown, in_box(box))
        clear_origin(thin_labels(into_box(plot, plot.axes, box), style.layout.buff_tight))
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


class TrainingBoard:
    """Where the training chapter draws, for either aspect: the sigmoid plot in the first
    box of ``boxes``, and a loss chart with ``y_max`` and ``count`` (the chart the bars
    stand in, drawn anew) at the size of the second, so that its numbers keep their size.
    Its methods build or place what goes on them: the mean line and its label, the y
    axis's name, the step counter and the legend above the plot, the fit without a
    penalty."""

    def __init__(
        self, lesson: Lesson, style: Style, shown: np.ndarray, y_max: float, count: int
    ) -> None:
        self.style = style
        self.plot_box, self.chart_box = boxes(style.layout)
        self.plot = sigmoid_plot(lesson, style, shown, self.plot_box)
        self.chart = BarChart(style, y_max, count, in_box(self.chart_box))
        into_box(self.chart, self.chart.axes, self.chart_box)
        self.y_label: Mobject | None = None  # the plot's y axis's name (name_y_axis)

    def mean_line(self, loss: float) -> DashedLine:
        """The chart's mean line at ``loss`` (cut at the chart's top)."""
        axes, style = self.chart.axes, self.style
        level = min(loss, self.chart.y_max)
        return DashedLine(
            axes.c2p(axes.x_range[0], level),
            axes.c2p(axes.x_range[1], level),
            color=style.palette.loss,
            stroke_width=style.sizes.mean_line_stroke,
        )

    def mean_label(self, label: Mobject, line: DashedLine) -> Mobject:
        """``label`` on ``line``, at its right end; readable even where it crosses a bar:
        the backdrop ends where the line does."""
        layout = self.style.layout
        label.add_background_rectangle(
            color=self.style.palette.background,
            opacity=self.style.sizes.label_backdrop_opacity,
            buff=layout.buff_tight,
        )
        return label.next_to(line, UP, buff=0).align_to(line, RIGHT)

    def name_y_axis(self, y_label: Mobject) -> Mobject:
        """``y_label`` above the plot's y axis (which stands wherever x = 0 is); a long
        class name stays in the plot's column (the y axis may stand near its right)."""
        layout, y_axis = self.style.layout, self.plot.axes.y_axis
        y_label.next_to(y_axis, UP, buff=layout.buff_tight).align_to(y_axis, LEFT)
        column_right = self.plot_box.right + TRAINING_SPLIT.of(layout).plot_room[1]
        if y_label.get_right()[0] > column_right:
            y_label.shift((column_right - y_label.get_right()[0]) * RIGHT)
        self.y_label = y_label
        return y_label

    def above_plot(self, mobject: Mobject) -> Mobject:
        """The step counter, then the legend: right-aligned above the plot, a row above
        the y axis's name (placed first, by ``name_y_axis``)."""
        if self.y_label is None:
            raise ValueError("above_plot: the y axis's name is not placed yet (name_y_axis)")
        return mobject.next_to(self.y_label, UP, buff=self.style.layout.buff_tight).align_to(
            self.plot.axes, RIGHT
        )

    def faded_curve(self, weight: float, intercept: float) -> VMobject:
        """The sigmoid of another fit on the plot, faint."""
        curve = self.plot.curve_for(weight, intercept)
        return curve.set_stroke(opacity=self.style.sizes.faded_curve_opacity)

    def legend(self, curve: VMobject, text: Mobject) -> VGroup:
        """A short sample of ``curve`` and ``text`` beside it."""
        layout = self.style.layout
        sample = Line(ORIGIN, LEGEND_LINE * RIGHT).match_style(curve)
        return VGroup(sample, text).arrange(RIGHT, buff=layout.buff_tight)
