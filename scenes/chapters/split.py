"""Figure 2: positive points on one row, negative points on another."""

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, ReplacementTransform, VGroup

from ..contract import Chapter
from ..style import PerAspect

#: How far each class's row moves from the line, up and down.
ROW_GAP = PerAspect(landscape=1.6, vertical=2.0)

CHAPTER = Chapter(
    "split",
    cues=("rows", "counts"),
    takes=("feature_line", "axis_name", "legend"),
    leaves=("rows",),
    drops=("axis_name", "legend"),
)


def play(film) -> None:
    line = film.take("feature_line")
    layout, sizes = film.style.layout, film.style.sizes
    palette = film.style.palette
    gap = ROW_GAP.of(layout)
    upper = line.line.copy().shift(gap * UP)
    lower = line.line.copy().shift(gap * DOWN)
    positive_moves = [line.dots[i].animate.shift(gap * UP) for i in line.positive_indices()]
    negative_moves = [line.dots[i].animate.shift(gap * DOWN) for i in line.negative_indices()]
    names = VGroup(
        film.text("row_positive", size=sizes.label, colour=palette.text.positive)
        .next_to(upper, UP, buff=layout.buff)
        .align_to(upper, LEFT),
        film.text("row_negative", size=sizes.label, colour=palette.text.negative)
        .next_to(lower, UP, buff=layout.buff)
        .align_to(lower, LEFT),
    )
    film.leave("rows", VGroup(upper, lower, names))
    axis_name, legend = film.take("axis_name"), film.take("legend")
    film.say(
        "rows",
        [
            film.set_heading(),
            FadeOut(line.value_labels),
            FadeOut(axis_name),
            FadeOut(legend, shift=layout.drift * RIGHT),
        ],
        [ReplacementTransform(line.line, VGroup(upper, lower)), *positive_moves, *negative_moves],
    )
    film.say("counts", FadeIn(names))
