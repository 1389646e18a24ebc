"""Figure 1: the points take their class colours; a legend names the classes."""

from manim import DOWN, LEFT, RIGHT, UP, Dot, FadeIn, Indicate, LaggedStart, VGroup

from ..contract import Chapter
from ..style import PerAspect

#: The legend's corner, and how far below it the legend sits (in 9:16, under the
#: heading that spans the frame's top).
LEGEND_CORNER = PerAspect(landscape=UP + RIGHT, vertical=UP + LEFT)
LEGEND_DROP = PerAspect(landscape=0.0, vertical=0.75)
#: A sampled film's note (in the row under the heading) keeps to the left half in 16:9,
#: beside the legend; in 9:16 it spans the frame, and the legend goes under it.
LEGEND_UNDER_NOTE = PerAspect(landscape=False, vertical=True)

CHAPTER = Chapter(
    "labels", cues=("labels", "classes", "question"), takes=("feature_line",), leaves=("legend",)
)


def _legend(film) -> VGroup:
    style = film.style
    rows = VGroup()
    for key, colour in (
        ("legend_positive", style.palette.positive),
        ("legend_negative", style.palette.negative),
    ):
        rows.add(
            VGroup(
                Dot(radius=style.sizes.point_radius, color=colour),
                film.text(key, size=style.sizes.label),
            ).arrange(RIGHT, buff=style.layout.buff_tight)
        )
    rows.arrange(DOWN, aligned_edge=LEFT, buff=style.layout.buff_tight)
    layout = style.layout
    rows.to_corner(LEGEND_CORNER.of(layout), buff=layout.heading_buff)
    note_row = layout.note_drop if LEGEND_UNDER_NOTE.of(layout) else 0.0
    return rows.shift((LEGEND_DROP.of(layout) + note_row) * DOWN)


def play(film) -> None:
    line = film.take("feature_line")
    legend = _legend(film)
    film.leave("legend", legend)
    film.say("labels", [film.set_heading(), line.animate.colour_by_class()])
    film.say("classes", FadeIn(legend, shift=film.style.layout.drift * LEFT))
    positives = [line.dots[i] for i in line.positive_indices()]
    film.say(
        "question",
        LaggedStart(
            *(Indicate(d, color=film.style.palette.positive) for d in positives),
            lag_ratio=film.style.timing.lag_ratio,
        ),
    )
