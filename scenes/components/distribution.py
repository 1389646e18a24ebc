"""A two-bar chart of a class distribution: (negative, positive)."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Line, Rectangle, Text, VGroup

from ..captions import shorten
from ..style import PerAspect, Style

# The information-theory chapters (distribution to kl_divergence): the formula on top,
# the charts on the left, the value on the right (stacked in 9:16).
#: The class distribution q(y): its height, bar width and gap, and where its floor is
#: (its x the chart's centre), whatever the values, so that the names under it never move.
CLASS_CHART = PerAspect(landscape=(2.3, 1.3, 0.5), vertical=(2.2, 1.0, 0.4))
CLASS_CHART_FLOOR = PerAspect(landscape=4.55 * LEFT + 1.75 * DOWN, vertical=1.9 * LEFT)
#: The model's p(y): its height, bar width and gap.
MODEL_CHART = PerAspect(landscape=(2.3, 1.3, 0.5), vertical=(2.2, 1.0, 0.4))
#: Where the value a chapter is about (H(q), the cross-entropy, the KL divergence) stands.
VALUE_CENTER = PerAspect(landscape=4.6 * RIGHT + 0.3 * DOWN, vertical=1.0 * DOWN)


def baseline_offset(text: Text) -> float:
    """How far ``text``'s baseline lies above its bottom (0 unless a letter hangs below
    it), found by setting the same words with an "x" after them: the x sits on the
    baseline. 0 if that setting does not have one more glyph (a ligature with the x)."""
    reference = Text(text.original_text + "x", font=text.font, font_size=text.font_size)
    if len(reference.submobjects) != len(text.submobjects) + 1:
        return 0.0
    words = VGroup(*reference.submobjects[:-1])
    return float(reference.submobjects[-1].get_bottom()[1] - words.get_bottom()[1])


def set_on_one_baseline(texts, xs, top: float) -> None:
    """Centre each text on its x, all on one baseline, the tallest reaching ``top``."""
    offsets = [baseline_offset(text) for text in texts]
    baseline = top - max(text.height - offset for text, offset in zip(texts, offsets, strict=True))
    for text, x, offset in zip(texts, xs, offsets, strict=True):
        text.move_to([x, baseline - offset, 0], aligned_edge=DOWN)


def format_probability(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value not in (0, 1) else f"{value:.0f}"


class DistributionChart(VGroup):
    """Bars of height q(negative), q(positive) on a floor, with names and values."""

    def __init__(
        self,
        style: Style,
        values: tuple[float, float],
        names: tuple[str, str],
        height: float = 2.6,
        bar_width: float = 1.1,
        gap: float = 0.5,
        show_names: bool = True,
        label_size: float | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        palette, sizes = style.palette, style.sizes
        self.values = values
        self.unit = height
        label_size = label_size or sizes.label
        colours = (palette.negative, palette.positive)
        name_colours = (palette.text.negative, palette.text.positive)
        floor_width = 2 * bar_width + 3 * gap
        self.floor = Line(
            [-floor_width / 2, 0, 0], [floor_width / 2, 0, 0], color=palette.ink, stroke_width=2
        )
        self.bars = VGroup()
        self.value_labels = VGroup()
        self.names = VGroup()
        classes = zip(values, names, colours, name_colours, strict=True)
        for k, (value, name, colour, name_colour) in enumerate(classes):
            x = (k - 0.5) * (bar_width + gap)
            bar = Rectangle(
                width=bar_width,
                height=max(value * height, 1e-4),
                stroke_color=colour,
                stroke_width=sizes.bar_stroke,
                fill_color=colour,
                fill_opacity=sizes.bar_opacity if value > 0 else 0,
            )
            bar.move_to([x, 0, 0], aligned_edge=DOWN)
            self.bars.add(bar)
            self.value_labels.add(
                Text(format_probability(value), font=style.fonts.text, font_size=label_size)
                .set_color(palette.ink)
                .next_to(bar, UP, buff=0.12)
            )
            if show_names:
                # A long name is cut to a little more than its bar's slot.
                room = bar_width + gap + style.layout.buff
                name = shorten(name, room, style.fonts.text, label_size)
                self.names.add(
                    Text(name, font=style.fonts.text, font_size=label_size).set_color(name_colour)
                )
        if show_names:
            # The two names side by side read as one line: on one baseline ("red" and
            # "green" centred are not: the g hangs below it).
            set_on_one_baseline(self.names, [bar.get_x() for bar in self.bars], top=-0.2)
            # Names a little wider than their bars' spacing move apart, each away from the
            # middle, by at most half that spacing.
            left, right = self.names
            overlap = left.get_right()[0] + style.layout.buff - right.get_left()[0]
            if overlap > 0:
                push = min(overlap, bar_width + gap) / 2
                left.shift(push * LEFT)
                right.shift(push * RIGHT)
        self.add(self.floor, self.bars, self.value_labels, self.names)

    def place_floor(self, point) -> DistributionChart:
        """Move the chart so that its floor is at ``point``'s height and the whole chart
        (long class names included) is centred on ``point``'s x. Charts of other values
        placed there keep the floor and the names where they are."""
        return self.set_x(point[0]).shift((point[1] - self.floor.get_y()) * UP)

    def caption_point(self, buff: float = 0.25):
        """Above where a bar of probability 1 and its value would reach: a caption put
        here stays clear whatever values the chart is later given."""
        return self.floor.get_center() + (self.unit + 0.5 + buff) * UP


def class_chart(style: Style, values, names: tuple[str, str]) -> DistributionChart:
    """A distribution of the classes in the information-theory chapters' place: its floor
    where the layout puts it, whatever the values (the entropy chapter morphs it)."""
    height, bar_width, gap = CLASS_CHART.of(style.layout)
    chart = DistributionChart(style, values, names, height=height, bar_width=bar_width, gap=gap)
    return chart.place_floor(CLASS_CHART_FLOOR.of(style.layout))


def model_chart(
    style: Style, values, names: tuple[str, str], beside: DistributionChart
) -> DistributionChart:
    """The model's distribution p(y), smaller, to the right of the chart ``beside``, on
    its floor."""
    height, bar_width, gap = MODEL_CHART.of(style.layout)
    chart = DistributionChart(style, values, names, height=height, bar_width=bar_width, gap=gap)
    return chart.next_to(beside, RIGHT, buff=style.layout.buff_loose).align_to(beside, DOWN)
