"""The sigmoid plot of the fit, and the curve -log p that turns probabilities into losses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, VGroup

from bce_core import Lesson, point_losses, sigmoid

from ..style import Layout, PerAspect, Style
from .points import axis_look, number_labels, tick_labels, within_reach, x_axis_ticks


@dataclass(frozen=True)
class PlotBox:
    """The box the sigmoid plot (and the bar chart that takes its place) is built in."""

    width: float
    height: float
    center: np.ndarray


#: The chapters fit to mean_loss: the content area's width less the y tick labels, its
#: height less the x tick labels and the labels above the axes.
PLOT_BOX = PerAspect(
    landscape=PlotBox(12.0, 4.2, 0.25 * RIGHT + 0.05 * UP),
    vertical=PlotBox(6.3, 5.8, 0.3 * RIGHT + 2.4 * UP),
)


def plot_box(layout: Layout) -> PlotBox:
    """The plot's box in ``layout``: a sampled film's note row takes its top."""
    box, drop = PLOT_BOX.of(layout), layout.note_drop
    return PlotBox(box.width, box.height - drop, box.center + drop / 2 * DOWN)


@dataclass(frozen=True)
class SideBySide:
    """The log-curve chapter: the loss curve's axes (their width, height and centre),
    and the bar chart beside it, shrunk to ``chart_scale`` around ``chart_center``
    (stacked in 9:16: the chart above, the curve under it)."""

    curve_width: float
    curve_height: float
    curve_center: np.ndarray
    chart_center: np.ndarray
    chart_scale: float


SIDE_BY_SIDE = PerAspect(
    landscape=SideBySide(5.5, 3.9, 3.7 * RIGHT + 0.62 * UP, 3.55 * LEFT + 0.05 * UP, 0.5),
    vertical=SideBySide(6.0, 3.0, 0.35 * RIGHT + 0.75 * UP, 0.2 * RIGHT + 4.3 * UP, 0.55),
)


def side_by_side(layout: Layout) -> SideBySide:
    """The log-curve chapter's places in ``layout``: a sampled film's note row lowers the
    chart, and the curve side by side with it (stacked, the curve keeps its place)."""
    place, drop = SIDE_BY_SIDE.of(layout), layout.note_drop
    curve_drop = 0.0 if layout.vertical else drop
    return SideBySide(
        place.curve_width,
        place.curve_height - curve_drop,
        place.curve_center + curve_drop / 2 * DOWN,
        place.chart_center + drop / 2 * DOWN,
        place.chart_scale,
    )


class SigmoidPlot(VGroup):
    """Axes with x over the data and p from 0 to 1, the drawn points at height y, and the
    fitted curve, in ``box`` (the layout's plot box unless given). ``dots[k]`` is the
    lesson's point ``shown[k]``."""

    def __init__(
        self,
        lesson: Lesson,
        style: Style,
        shown: np.ndarray,
        box: PlotBox | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.style = style
        self.shown = shown
        palette, layout = style.palette, style.layout
        box = box or plot_box(layout)
        (low, high, step), labels, self.x_unit = x_axis_ticks(lesson, style, box.width)
        self.axes = Axes(
            x_range=[low, high, step],
            y_range=[0, 1, 0.5],
            x_length=box.width,
            y_length=box.height,
            tips=False,
            axis_config=axis_look(style),
        ).move_to(box.center)
        # The ends' labels may reach to the safe area's edges.
        x_axis, safe = self.axes.x_axis, layout.safe_area
        room = min(safe.right - x_axis.get_end()[0], x_axis.get_start()[0] - safe.left)
        x_axis.add_labels(within_reach(tick_labels(labels, style), room), buff=layout.buff_tight)
        # No 0.0: the x axis is at 0, and its tick labels are there.
        self.axes.y_axis.add_labels(number_labels((0.5, 1), 1, style), buff=layout.buff_tight)
        # The y axis stands at x = 0, among the points when the data straddle it: its
        # numbers go to the axes' left edge, left of the x range (which has a margin
        # beyond the data), where no point, bar or curve reaches them.
        edge = self.axes.x_axis.get_start()[0] - layout.buff_tight
        for label in self.axes.y_axis.labels:
            label.shift((edge - label.get_right()[0]) * RIGHT)
        self.dots = VGroup(
            *(
                Dot(
                    self.axes.c2p(self.axis_x(lesson.x[i]), lesson.y[i]),
                    radius=style.sizes.point_radius,
                    color=palette.positive if lesson.y[i] == 1 else palette.negative,
                )
                for i in shown
            )
        )
        self.curve = self.curve_for(lesson.weight, lesson.intercept)
        self.add(self.axes, self.curve, self.dots)

    def axis_x(self, x):
        """Where the value ``x`` sits on the x axis, in the axis' own numbers."""
        return x / self.x_unit

    def curve_for(self, weight: float, intercept: float):
        """The sigmoid of ``weight * x + intercept`` over the axes' x range."""
        low, high = self.axes.x_range[0], self.axes.x_range[1]
        slope = weight * self.x_unit  # per unit of the axis
        return self.axes.plot(
            lambda u: float(sigmoid(slope * u + intercept)),
            x_range=[low, high, (high - low) / 200],
            color=self.style.palette.ink,
            stroke_width=self.style.sizes.curve_stroke,
            use_smoothing=False,
        )

    def visible_iterates(self, limit: int) -> list[tuple[int, object]]:
        """(step number, iterate) of the Newton steps that visibly move the curve, at
        most ``limit`` of them (evenly spread, always ending at the last)."""
        low, high = self.axes.x_range[0], self.axes.x_range[1]
        xs = np.linspace(low, high, 200)
        iterates = self.lesson.fit.iterates
        moving = []
        unit = self.x_unit
        previous = sigmoid(iterates[0].weight * unit * xs + iterates[0].intercept)
        for k, iterate in enumerate(iterates[1:], start=1):
            current = sigmoid(iterate.weight * unit * xs + iterate.intercept)
            if np.max(np.abs(current - previous)) > self.style.sizes.visible_change:
                moving.append((k, iterate))
            previous = current
        if len(moving) > limit:
            picks = np.round(np.linspace(0, len(moving) - 1, limit)).astype(int)
            moving = [moving[i] for i in picks]
        return moving

    def flat_curve(self):
        """The curve of a model that knows nothing yet: p = 1/2 everywhere."""
        return self.curve_for(0.0, 0.0)


class LossCurve(VGroup):
    """Axes of p(true class) from 0 to 1 against the loss -log p, and the curve."""

    def __init__(self, style: Style, max_loss: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.style = style
        palette, sizes, layout = style.palette, style.sizes, style.layout
        self.max_loss = max_loss
        place = side_by_side(layout)
        self.axes = Axes(
            x_range=[0, 1, 0.5],
            y_range=[0, max_loss, 1 if max_loss <= 6 else 2],
            x_length=place.curve_width,
            y_length=place.curve_height,
            tips=False,
            axis_config=axis_look(style),
        ).move_to(place.curve_center)
        step = self.axes.y_axis.x_range[2]
        self.axes.x_axis.add_labels(number_labels((0, 0.5, 1), 1, style), buff=layout.buff_tight)
        # From the first step up: the x axis's 0.0 stands at the origin.
        self.axes.y_axis.add_labels(
            number_labels(np.arange(step, max_loss + step / 2, step), 0, style),
            buff=layout.buff_tight,
        )
        lowest_p = float(np.exp(-max_loss))
        self.curve = self.axes.plot(
            self.loss_at,
            x_range=[lowest_p, 1, (1 - lowest_p) / 300],
            color=palette.loss,
            stroke_width=sizes.curve_stroke,
            use_smoothing=False,
        )
        self.add(self.axes, self.curve)

    @staticmethod
    def loss_at(p: float) -> float:
        """-log p for a point whose true class got probability p (from bce_core)."""
        return float(point_losses(np.array([1]), np.array([p]))[0])

    def point_at(self, p: float) -> np.ndarray:
        return self.axes.c2p(p, min(self.loss_at(p), self.max_loss))

    def axis_labels(self, x_text, y_text) -> VGroup:
        x_text.next_to(self.axes.x_axis, DOWN, buff=self.style.layout.buff)
        y_text.next_to(self.axes.y_axis, UP, buff=0.15).align_to(self.axes.y_axis, LEFT)
        return VGroup(x_text, y_text)
