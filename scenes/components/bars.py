"""The probability bars: they stand and hang in the sigmoid plot, slide together, stand
on the floor and turn into loss bars, always the same objects."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Axes,
    GrowFromEdge,
    LaggedStart,
    Rectangle,
    Text,
    Transform,
    VGroup,
)

from bce_core import Lesson

from ..style import PerAspect, Style
from .plots import PlotBox, SigmoidPlot, plot_box
from .points import axis_look, number_labels

#: A bar gets this share of its slot (or of the gap to the next point's x).
BAR_WIDTH_SHARE = 0.6
#: Losses above this (nats) are drawn cut at it, with an arrow of CAP_ARROW and the value;
#: a chart cut there keeps CAP_ROOM of its box above its top for them.
LOSS_CAP = 3.0
CAP_ARROW = 0.45
CAP_ROOM = PerAspect(landscape=0.85, vertical=0.95)


class BarChart(VGroup):
    """A floor and a y axis for ``count`` bars in slots 1..count (the drawn points, in x
    order).

    The y axis runs from 0 to ``y_max``, over the whole height of ``box`` (the layout's
    plot box unless given): 1 while the bars are probabilities (the sigmoid plot's
    scale), then the losses' range (``make_y_max``). A chart cut at the loss cap leaves
    ``CAP_ROOM`` of the box above its top for the arrows and values of the cut bars.
    """

    def __init__(
        self, style: Style, y_max: float, count: int, box: PlotBox | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.style = style
        self.box = box or plot_box(style.layout)
        self.y_max = y_max
        self.count = count
        self.axes = self._axes(y_max)
        self.bar_width = BAR_WIDTH_SHARE * self.box.width / (count + 1)
        self.add(self.axes)

    def _axes(self, y_max: float) -> Axes:
        """The floor and a y axis from 0 to ``y_max``, in the plot's box."""
        style, box = self.style, self.box
        sizes, layout = style.sizes, style.layout
        number = Text("0.0", font=style.fonts.text, font_size=sizes.axis_number)
        # The box's floor is where the "0.0" centred on the chart's floor ends: the floor
        # stands half a number above it, and the y axis's top is the box's top (less the
        # room a chart cut at the cap keeps).
        self.lift = number.height / 2
        capped = y_max >= LOSS_CAP
        y_length = box.height - self.lift - (CAP_ROOM.of(layout) if capped else 0)
        step = self._y_step(y_max, y_length, number.height)
        axes = Axes(
            x_range=[0, self.count + 1, 1],
            y_range=[0, y_max, step],
            x_length=box.width,
            y_length=y_length,
            tips=False,
            axis_config=axis_look(style),
            x_axis_config={"include_ticks": False},
        )
        # Up to the axis's top: a number past it (1.5 on an axis to 1.37) would stand
        # above the axis, in the room of its name.
        values = np.arange(0, y_max + 1e-9, step)
        axes.y_axis.add_labels(number_labels(values, 1, style), buff=layout.buff_tight)
        floor_y = box.center[1] - box.height / 2
        axes.move_to(box.center).align_to(np.array([0, floor_y, 0]), DOWN)
        # The floor centred where the plot's box is, whatever the width of the numbers.
        axes.shift((box.center[0] - axes.x_axis.get_center()[0]) * RIGHT)
        return axes

    def _y_step(self, y_max: float, y_length: float, number_height: float) -> float:
        """Between the y axis's numbers: 0.5 up to 2, else 1, or more where a short axis
        would set its numbers on top of each other."""
        least = 0.5 if y_max <= 2 else 1.0
        apart = number_height + self.style.layout.buff_tight
        for step in (0.5, 1.0, 2.0, 5.0):
            if step >= least and y_length * step / y_max >= apart:
                return step
        return 5.0

    def make_y_max(self, y_max: float) -> tuple[Transform, Axes]:
        """The y axis to 0..``y_max``, the chart keeping its size and place: the axes morph
        into the new ones, and from now on are read on the new range. Returns the
        animation and the new axes (to build what stands in them)."""
        target = self._axes(y_max)
        # Where the chart is now (it may have moved with its group), at the same scale.
        target.scale(self.axes.x_axis.get_length() / target.x_axis.get_length())
        target.shift(self.axes.c2p(0, 0) - target.c2p(0, 0))
        morph = Transform(self.axes, target)
        # The axes keep their identity (the bars stand in them); their numbers become the
        # target's, and their lines will be the target's once the morph has played.
        self.axes.y_range = target.y_range
        for name in ("x_range", "x_min", "x_max", "x_step"):
            setattr(self.axes.y_axis, name, getattr(target.y_axis, name))
        self.y_max = y_max
        return morph, target

    def room_above(self) -> float:
        """How far the plot's box reaches above the y axis's top, where the chart is now
        (at its size now): the room a chart cut at the cap keeps for the cut bars' marks."""
        scale = self.axes.x_axis.get_length() / self.box.width
        box_top = self.axes.c2p(0, 0)[1] + (self.box.height - self.lift) * scale
        return max(0.0, float(box_top - self.axes.y_axis.get_end()[1]))

    @property
    def tick_labels(self) -> VGroup:
        """The y axis's numbers."""
        return self.axes.y_axis.labels

    def slot(self, k: int) -> int:
        """The slot of the k-th drawn point (they are drawn in x order)."""
        return k + 1


class ProbabilityBars(VGroup):
    """One bar per drawn point and the moves between states.

    ``self[k]`` is the bar of the lesson's point ``indices[k]`` (the plot's ``shown``).
    """

    def __init__(self, lesson: Lesson, style: Style, plot: SigmoidPlot, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.style = style
        self.plot = plot
        self.indices = plot.shown
        self.axes = plot.axes  # the axes the bars currently stand in
        self.chart: BarChart | None = None
        self.plot_width = self._plot_bar_width()
        for k in range(len(self.indices)):
            self.add(self._rectangle(k, *self._plot_span(k), plot.axes, self.plot_width))

    # --- geometry ---------------------------------------------------------------------

    def _plot_bar_width(self) -> float:
        sizes = self.style.sizes
        xs = np.unique(self.plot.axis_x(self.lesson.x[self.indices]))
        unit = self.plot.axes.x_axis.get_unit_size()
        closest = np.min(np.diff(xs)) * unit if len(xs) > 1 else sizes.plot_bar_width[1]
        low, high = sizes.plot_bar_width
        return float(np.clip(BAR_WIDTH_SHARE * closest, low, high))

    def probability(self, k: int) -> float:
        return float(self.lesson.probabilities[self.indices[k]])

    def true_class_probability(self, k: int) -> float:
        return float(self.lesson.true_class_probabilities[self.indices[k]])

    def loss(self, k: int) -> float:
        return float(self.lesson.point_losses[self.indices[k]])

    def is_positive(self, k: int) -> bool:
        return bool(self.lesson.y[self.indices[k]] == 1)

    def _plot_span(self, k: int) -> tuple[float, float]:
        """(bottom, top) in the sigmoid plot: 0..p for positives, p..1 (hanging) for negatives."""
        p = self.probability(k)
        return (0.0, p) if self.is_positive(k) else (p, 1.0)

    def _rectangle(self, k: int, bottom: float, top: float, axes: Axes, width: float):
        if axes is self.plot.axes:
            x = self.plot.axis_x(self.lesson.x[self.indices[k]])
        else:
            x = self.chart.slot(k)
        low, high = axes.c2p(x, bottom), axes.c2p(x, top)
        colour = self.class_color(k)
        return Rectangle(
            width=width,
            height=max(high[1] - low[1], 1e-6),
            stroke_color=colour,
            stroke_width=self.style.sizes.bar_stroke,
            fill_color=colour,
            fill_opacity=self.style.sizes.bar_opacity,
        ).move_to((low + high) / 2)

    def class_color(self, k: int):
        palette = self.style.palette
        return palette.positive if self.is_positive(k) else palette.negative

    def span_in_axes(self, k: int) -> tuple[float, float]:
        """(bottom, top) of bar ``k`` in the coordinates of the axes it stands in."""
        bar = self[k]
        return float(self.axes.p2c(bar.get_bottom())[1]), float(self.axes.p2c(bar.get_top())[1])

    def positive_indices(self) -> list[int]:
        return [k for k in range(len(self)) if self.is_positive(k)]

    def negative_indices(self) -> list[int]:
        return [k for k in range(len(self)) if not self.is_positive(k)]

    # --- moves ------------------------------------------------------------------------

    def make_grow(self, ks: list[int], lag_ratio: float):
        """Positive bars grow up from 0, negative bars grow down from 1, left to right."""
        return LaggedStart(
            *(GrowFromEdge(self[k], DOWN if self.is_positive(k) else UP) for k in sorted(ks)),
            lag_ratio=lag_ratio,
        )

    def attach_chart(self, chart: BarChart) -> ProbabilityBars:
        self.chart = chart
        return self

    def use_chart(self, chart: BarChart) -> ProbabilityBars:
        """Stand in ``chart`` from now on (another chart with as many slots): the bars'
        next move draws them there."""
        self.chart, self.axes = chart, chart.axes
        return self

    def make_slide_together(self):
        """Into the chart's slots, in x order; hanging bars still hang from 1."""
        targets = [
            self._rectangle(k, *self._plot_span(k), self.chart.axes, self.chart.bar_width)
            for k in range(len(self))
        ]
        self.axes = self.chart.axes
        return AnimationGroup(*(Transform(bar, t) for bar, t in zip(self, targets, strict=True)))

    def make_stand(self, lag_ratio: float):
        """Hanging bars drop to the floor: each now reads p(true class) from 0."""
        return LaggedStart(
            *(
                Transform(
                    self[k],
                    self._rectangle(
                        k, 0.0, self.true_class_probability(k), self.axes, self.chart.bar_width
                    ),
                )
                for k in self.negative_indices()
            ),
            lag_ratio=lag_ratio,
        )

    def loss_range(self) -> float:
        """The top of the chart for the losses: the largest, up to the cap, at least 1."""
        largest = max(self.loss(k) for k in range(len(self)))
        return max(1.0, min(largest, LOSS_CAP))

    def make_y_max(self, y_max: float) -> AnimationGroup:
        """The chart's y range to 0..``y_max``, each bar keeping its value: probability
        bars (in their class colours) shrink as the range grows."""
        spans = [self.span_in_axes(k) for k in range(len(self))]
        morph, axes = self.chart.make_y_max(y_max)
        width = self.chart.bar_width * axes.x_axis.get_length() / self.chart.box.width
        return AnimationGroup(
            morph,
            *(
                Transform(bar, self._rectangle(k, *span, axes, width))
                for k, (bar, span) in enumerate(zip(self, spans, strict=True))
            ),
        )

    def is_capped(self, k: int) -> bool:
        """A loss above the chart's top is drawn cut there (with an arrow and its value)."""
        return self.loss(k) > self.chart.y_max

    def loss_height(self, k: int) -> float:
        return min(self.loss(k), self.chart.y_max)

    def loss_bar(self, k: int) -> Rectangle:
        return self.loss_bar_at(k, self.loss(k))

    def loss_bar_at(self, k: int, loss: float) -> Rectangle:
        """Bar ``k`` as a loss bar of height ``loss`` (cut at the chart's top), in the
        chart: its own loss, or its loss under another model (a training step's)."""
        height = min(loss, self.chart.y_max)
        bar = self._rectangle(k, 0.0, height, self.axes, self.chart.bar_width)
        # Filled with the loss colour; the outline keeps the class colour.
        bar.set_stroke(width=self.style.sizes.loss_bar_stroke)
        return bar.set_fill(self.style.palette.loss, opacity=self.style.sizes.bar_opacity)

    def make_losses(self, point_losses: np.ndarray, **kwargs):
        """Every bar to its loss in ``point_losses`` (one per lesson point, as a
        TrainingStep has them), together."""
        return AnimationGroup(
            *(
                Transform(bar, self.loss_bar_at(k, float(point_losses[i])))
                for k, (bar, i) in enumerate(zip(self, self.indices, strict=True))
            ),
            **kwargs,
        )

    def capped_marks(self) -> VGroup:
        """An arrow and the true value on every bar whose loss is above the chart's top."""
        style = self.style
        marks = VGroup()
        for k in range(len(self)):
            if self.is_capped(k):
                top = self.axes.c2p(self.chart.slot(k), self.chart.y_max)
                arrow = Arrow(
                    top,
                    top + CAP_ARROW * UP,
                    buff=0,
                    color=style.palette.loss,
                    stroke_width=style.sizes.axis_stroke * 2,
                )
                value = Text(
                    f"{self.loss(k):.3g}", font=style.fonts.text, font_size=style.sizes.small
                )
                value.set_color(style.palette.text.loss).next_to(
                    arrow, UP, buff=style.layout.buff_tight
                )
                if len(marks):  # a value touching its left neighbour's goes a row higher
                    before = marks[-1][1]
                    level = before.get_bottom()[1] <= value.get_bottom()[1] + 1e-9
                    if level and value.get_left()[0] < before.get_right()[0] + style.layout.buff:
                        value.next_to(before, UP, buff=style.layout.buff_tight).set_x(top[0])
                marks.add(VGroup(arrow, value))
        return marks

    def axis_name(self, text):
        """Place ``text`` (a Text) as the chart's y-axis name, above the axis (and above the
        room a chart cut at the cap keeps for the cut bars' marks)."""
        buff = self.style.layout.buff_tight + self.chart.room_above()
        y_axis = self.chart.axes.y_axis
        return text.next_to(y_axis, UP, buff=buff).align_to(y_axis, LEFT)
