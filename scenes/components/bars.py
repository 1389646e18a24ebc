"""The probability bars: they stand and hang in the sigmoid plot, slide together, stand
on the floor and turn into loss bars, always the same objects."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    AnimationGroup,
    Axes,
    GrowFromEdge,
    LaggedStart,
    Rectangle,
    Transform,
    VGroup,
)

from bce_core import Lesson

from ..style import Style
from .plots import SigmoidPlot


class BarChart(VGroup):
    """A floor and a y axis for bars in slots, one slot per point in x order.

    The y axis runs from 0 to ``y_max`` (at least 1, enough for the largest loss), so
    probability bars and loss bars share one scale.
    """

    def __init__(self, lesson: Lesson, style: Style, y_max: float, **kwargs) -> None:
        super().__init__(**kwargs)
        palette, sizes, layout = style.palette, style.sizes, style.layout
        n = lesson.n_points
        self.y_max = y_max
        self.axes = Axes(
            x_range=[0, n + 1, 1],
            y_range=[0, y_max, 0.5],
            x_length=layout.plot_width,
            y_length=layout.plot_height * y_max / max(y_max, 1.25),
            tips=False,
            axis_config={"color": palette.ink, "stroke_width": sizes.axis_stroke},
            x_axis_config={"include_ticks": False},
            y_axis_config={
                "include_numbers": True,
                "font_size": sizes.axis_number,
                "decimal_number_config": {"color": palette.muted, "num_decimal_places": 1},
            },
        )
        self.axes.move_to(layout.plot_center).align_to(
            np.array([0, layout.plot_center[1] - layout.plot_height / 2, 0]), DOWN
        )
        # Slot k holds the k-th point from the left, as the points lay on the x axis.
        self.slot_of = np.empty(n, dtype=int)
        self.slot_of[np.argsort(lesson.x, kind="stable")] = np.arange(1, n + 1)
        self.bar_width = layout.bar_width_share * layout.plot_width / (n + 1)
        self.add(self.axes)


class ProbabilityBars(VGroup):
    """One bar per point of the lesson (``self[i]`` is point i) and the moves between states."""

    def __init__(self, lesson: Lesson, style: Style, plot: SigmoidPlot, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.style = style
        self.plot = plot
        self.axes = plot.axes  # the axes the bars currently stand in
        self.plot_width = self._plot_bar_width()
        for index in range(lesson.n_points):
            self.add(self._rectangle(index, *self._plot_span(index), plot.axes, self.plot_width))

    # --- geometry ---------------------------------------------------------------------

    def _plot_bar_width(self) -> float:
        xs = np.unique(self.lesson.x)
        unit = self.plot.axes.x_axis.get_unit_size()
        closest = np.min(np.diff(xs)) * unit if len(xs) > 1 else 1.0
        return float(np.clip(0.6 * closest, 0.04, 0.3))

    def _plot_span(self, index: int) -> tuple[float, float]:
        """(bottom, top) in the sigmoid plot: 0..p for positives, p..1 (hanging) for negatives."""
        p = float(self.lesson.probabilities[index])
        return (0.0, p) if self.lesson.y[index] == 1 else (p, 1.0)

    def _rectangle(self, index: int, bottom: float, top: float, axes: Axes, width: float):
        x = self.lesson.x[index] if axes is self.plot.axes else self._slot_x(index)
        low, high = axes.c2p(x, bottom), axes.c2p(x, top)
        colour = self.class_color(index)
        return Rectangle(
            width=width,
            height=max(high[1] - low[1], 1e-6),
            stroke_color=colour,
            stroke_width=self.style.sizes.bar_stroke,
            fill_color=colour,
            fill_opacity=self.style.sizes.bar_opacity,
        ).move_to((low + high) / 2)

    def _slot_x(self, index: int) -> float:
        return float(self.chart.slot_of[index])

    def class_color(self, index: int):
        palette = self.style.palette
        return palette.positive if self.lesson.y[index] == 1 else palette.negative

    def span_in_axes(self, index: int) -> tuple[float, float]:
        """(bottom, top) of bar ``index`` in the coordinates of the axes it stands in."""
        bar = self[index]
        return float(self.axes.p2c(bar.get_bottom())[1]), float(self.axes.p2c(bar.get_top())[1])

    def positive_indices(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.lesson.y == 1)]

    def negative_indices(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.lesson.y == 0)]

    # --- moves ------------------------------------------------------------------------

    def make_grow(self, indices: list[int], lag_ratio: float):
        """Positive bars grow up from 0, negative bars grow down from 1."""
        return LaggedStart(
            *(
                GrowFromEdge(self[i], DOWN if self.lesson.y[i] == 1 else UP)
                for i in sorted(indices, key=lambda i: self.lesson.x[i])
            ),
            lag_ratio=lag_ratio,
        )

    def attach_chart(self, chart: BarChart) -> ProbabilityBars:
        self.chart = chart
        return self

    def make_slide_together(self):
        """Into the chart's slots, in x order; hanging bars still hang from 1."""
        targets = [
            self._rectangle(i, *self._plot_span(i), self.chart.axes, self.chart.bar_width)
            for i in range(len(self))
        ]
        self.axes = self.chart.axes
        return AnimationGroup(*(Transform(bar, t) for bar, t in zip(self, targets, strict=True)))

    def make_stand(self, lag_ratio: float):
        """Hanging bars drop to the floor: each now reads p(true class) from 0."""
        moves = []
        for i in self.negative_indices():
            height = float(self.lesson.true_class_probabilities[i])
            moves.append(
                Transform(self[i], self._rectangle(i, 0.0, height, self.axes, self.chart.bar_width))
            )
        return LaggedStart(*moves, lag_ratio=lag_ratio)

    def loss_height(self, index: int) -> float:
        """-log p(true class), cut at the chart's top (a capped bar gets an arrow)."""
        return min(float(self.lesson.point_losses[index]), self.chart.y_max)

    def loss_bar(self, index: int) -> Rectangle:
        bar = self._rectangle(index, 0.0, self.loss_height(index), self.axes, self.chart.bar_width)
        # Filled with the loss colour; the outline keeps the class colour.
        bar.set_stroke(width=self.style.sizes.loss_bar_stroke)
        return bar.set_fill(self.style.palette.loss, opacity=self.style.sizes.bar_opacity)

    def axis_name(self, text):
        """Place ``text`` (a Text) as the chart's y-axis name, above the axis."""
        return text.next_to(self.chart.axes.y_axis, UP, buff=0.15).align_to(
            self.chart.axes.y_axis, LEFT
        )

    def slot_order(self) -> list[int]:
        return [int(i) for i in np.argsort(self.chart.slot_of)]
