"""The feature line: each point of the dataset as a dot on a number line."""

from __future__ import annotations

import numpy as np
from manim import DOWN, UP, Dot, NumberLine, Text, VGroup

from bce_core import Lesson

from ..style import Style
from .ticks import nice_range


def format_value(value: float) -> str:
    """A data value as it would be written by hand: 4.6, -0.8, 1e+06."""
    return f"{value:.4g}"


class PointsOnLine(VGroup):
    """A number line spanning the data, a dot per point and (optionally) its x value.

    ``dots[i]`` is the i-th point of the lesson, in the dataset's order.
    """

    def __init__(self, lesson: Lesson, style: Style, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.style = style
        low, high, step = nice_range(lesson.x)
        self.x_range = (low, high, step)
        palette, sizes = style.palette, style.sizes
        self.line = NumberLine(
            x_range=[low, high, step],
            length=style.layout.line_length,
            color=palette.ink,
            stroke_width=sizes.axis_stroke,
            include_numbers=True,
            font_size=sizes.axis_number,
            decimal_number_config={"color": palette.muted, "num_decimal_places": 0},
        )
        self.line.shift(style.layout.line_y * UP)
        self.dots = VGroup(
            *(
                Dot(self.line.n2p(x), radius=sizes.point_radius, color=palette.neutral_point)
                for x in lesson.x
            )
        )
        self.value_labels = VGroup(
            *(
                Text(format_value(x), font=style.fonts.text, font_size=sizes.small)
                .set_color(palette.muted)
                .next_to(dot, UP, buff=0.18)
                for x, dot in zip(lesson.x, self.dots, strict=True)
            )
        )
        self._stagger_labels()
        self.add(self.line, self.dots, self.value_labels)

    def _stagger_labels(self) -> None:
        """Lift a label when it would touch its left neighbour's (points close in x)."""
        order = np.argsort(self.lesson.x, kind="stable")
        previous = None
        for index in order:
            label = self.value_labels[index]
            if (
                previous is not None
                and label.get_left()[0] < previous.get_right()[0] + 0.08
                and abs(previous.get_y() - label.get_y()) < 0.05
            ):
                label.shift(0.35 * UP)
            previous = label

    def class_color(self, index: int):
        palette = self.style.palette
        return palette.positive if self.lesson.y[index] == 1 else palette.negative

    def colour_by_class(self) -> PointsOnLine:
        """Give each dot its class colour (returns self, so ``.animate`` works)."""
        for index, dot in enumerate(self.dots):
            dot.set_color(self.class_color(index))
        return self

    def positive_indices(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.lesson.y == 1)]

    def negative_indices(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.lesson.y == 0)]

    def drop_start(self, index: int) -> np.ndarray:
        """Where a dot starts when it drops onto the line."""
        return self.dots[index].get_center() + 1.6 * UP + 0 * DOWN
