"""The feature line: each drawn point of the dataset as a dot on a number line."""

from __future__ import annotations

import numpy as np
from manim import UP, Dot, NumberLine, Text, VGroup

from bce_core import Lesson

from ..style import PerAspect, Style
from .ticks import axis_ticks

#: The feature line across the content area (chapters feature to split): its length,
#: and its height.
LINE_LENGTH = PerAspect(landscape=12.4, vertical=6.8)
LINE_Y = PerAspect(landscape=-0.1, vertical=1.2)
#: x values are written above the dots up to this many points.
MAX_VALUE_LABELS = 12
#: How far a value label steps up where it would touch its neighbour's.
LABEL_STAGGER = 0.35


def format_value(value: float) -> str:
    """A data value as it would be written by hand: 4.6, -0.8, 1e+06."""
    return f"{value:.4g}"


def tick_labels(labels: dict[float, str], style: Style) -> dict[float, Text]:
    """Tick labels as plain Text in the film's font (readable, any magnitude)."""
    return {
        value: Text(label, font=style.fonts.text, font_size=style.sizes.axis_number).set_color(
            style.palette.muted
        )
        for value, label in labels.items()
    }


def axis_look(style: Style) -> dict:
    """How every axis is drawn: in ink, its numbers at the size they are made and
    measured at (``add_labels`` sets a number to the axis's size: Manim's is 36)."""
    sizes = style.sizes
    return {
        "color": style.palette.ink,
        "stroke_width": sizes.axis_stroke,
        "font_size": sizes.axis_number,
    }


def within_reach(labels: dict[float, Text], room: float) -> dict[float, Text]:
    """``labels`` less those at the axis' two ends (its lowest and highest value) that
    would reach more than ``room`` past the end: their ticks stay, unlabelled."""
    ends = (min(labels), max(labels))
    return {v: text for v, text in labels.items() if v not in ends or text.width / 2 <= room}


def number_labels(values, decimals: int, style: Style) -> dict[float, Text]:
    """Tick labels for round values (0, 0.5, 1 ...) with ``decimals`` places, in the
    text face: the same face as every other number of the film, not LaTeX's."""
    return tick_labels({float(v): f"{float(v):.{decimals}f}" for v in values}, style)


def x_axis_ticks(lesson: Lesson, style: Style, length: float):
    """Range, labels and unit of an x axis of ``length`` over all the lesson's points
    (x sits at x / unit on the axis: see ``ticks.axis_ticks``)."""
    return axis_ticks(lesson.x, length, style.sizes.char_width * style.sizes.axis_number)


class PointsOnLine(VGroup):
    """A number line spanning the data, a dot per drawn point and (few points) its value.

    ``dots[k]`` is the lesson's point ``shown[k]``; ``shown`` is ordered by x.
    """

    def __init__(self, lesson: Lesson, style: Style, shown: np.ndarray, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.style = style
        self.shown = shown
        palette, sizes, layout = style.palette, style.sizes, style.layout
        length = LINE_LENGTH.of(layout)
        (low, high, step), labels, self.x_unit = x_axis_ticks(lesson, style, length)
        self.x_range = (low, high, step)
        self.line = NumberLine(x_range=[low, high, step], length=length, **axis_look(style))
        # The line is centred: its ends' labels may reach to the safe area's edges.
        room = layout.safe_area.right - length / 2
        self.line.add_labels(within_reach(tick_labels(labels, style), room), buff=layout.buff_tight)
        self.line.shift(LINE_Y.of(layout) * UP)
        self.dots = VGroup(
            *(
                Dot(
                    self.line.n2p(self.axis_x(lesson.x[i])),
                    radius=sizes.point_radius,
                    color=palette.neutral_point,
                )
                for i in shown
            )
        )
        # Dots stay above the lines they travel over (the rows, the plot's axes).
        self.dots.set_z_index(1)
        # Values are written above the dots only while they can be read.
        self.value_labels = VGroup()
        if len(shown) <= MAX_VALUE_LABELS:
            self.value_labels.add(
                *(
                    Text(format_value(lesson.x[i]), font=style.fonts.text, font_size=sizes.small)
                    .set_color(palette.muted)
                    .next_to(dot, UP, buff=layout.buff_tight)
                    for i, dot in zip(shown, self.dots, strict=True)
                )
            )
            self._stagger_labels()
        self.add(self.line, self.dots, self.value_labels)

    def axis_x(self, x):
        """Where the value ``x`` sits on the line, in the line's own numbers."""
        return x / self.x_unit

    def _stagger_labels(self) -> None:
        """Lift a label when it would touch its left neighbour's (points close in x); hide
        one that would touch a label on either level (many points at one place)."""
        lift, gap = LABEL_STAGGER, 0.5 * self.style.layout.buff
        rightmost = [None, None]  # the right end of the last label on each level
        for label in self.value_labels:  # already in x order
            free = [r is None or label.get_left()[0] >= r + gap for r in rightmost]
            if not any(free):
                label.set_opacity(0)  # unreadable there: left out
                continue
            level = free.index(True)
            label.shift(level * lift * UP)
            rightmost[level] = label.get_right()[0]

    def class_color(self, k: int):
        palette = self.style.palette
        return palette.positive if self.lesson.y[self.shown[k]] == 1 else palette.negative

    def colour_by_class(self) -> PointsOnLine:
        """Give each dot its class colour (returns self, so ``.animate`` works)."""
        for k, dot in enumerate(self.dots):
            dot.set_color(self.class_color(k))
        return self

    def positive_indices(self) -> list[int]:
        return [k for k, i in enumerate(self.shown) if self.lesson.y[i] == 1]

    def negative_indices(self) -> list[int]:
        return [k for k, i in enumerate(self.shown) if self.lesson.y[i] == 0]
