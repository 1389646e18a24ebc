"""Figure 0: the points on the x axis, one by one."""

from manim import DOWN, LEFT, UP, Create, FadeIn, LaggedStart, Succession

from ..components.points import MAX_VALUE_LABELS, PointsOnLine
from ..contract import Chapter

#: The dots fall onto the line from this high.
DROP_HEIGHT = 1.2

CHAPTER = Chapter(
    "feature",
    cues=("points", "only_x"),
    leaves=("feature_line", "axis_name"),
    # One number line, the article's Figure 0: a row across the frame, by its nature.
    fills=0.1,
)


def play(film) -> None:
    style, timing = film.style, film.style.timing
    line = PointsOnLine(film.lesson, style, film.shown)
    axis_name = film.text("axis_label", size=style.sizes.body)
    # Above the axis's own end, not its end label's (a long one would push it out).
    axis_name.next_to(line.line.get_end(), UP, buff=style.layout.buff)
    drops = []
    for k, dot in enumerate(line.dots):  # left to right: the dots are in x order
        drop = [FadeIn(dot, shift=DROP_HEIGHT * DOWN, run_time=timing.point_drop * 2)]
        if k < len(line.value_labels):
            drop.append(FadeIn(line.value_labels[k], run_time=timing.point_drop))
        drops.append(Succession(*drop))
    # The whole drop lasts about the same whatever the number of points.
    lag = timing.drop_lag_ratio * min(1.0, MAX_VALUE_LABELS / len(drops))
    film.say(
        "points",
        [film.set_heading(), Create(line.line), FadeIn(axis_name)],
        LaggedStart(*drops, lag_ratio=lag),
    )
    film.leave("feature_line", line)
    film.leave("axis_name", axis_name)
    if film.is_sampled:
        # Every number uses all the points; the pictures draw a sample of them.
        # In the row under the heading that a sampled film's pictures leave free (see
        # film.with_note_row), in as many lines as its width needs.
        note = film.lines(
            "sample_note",
            style.sizes.small,
            style.palette.muted,
            common=True,
            width=style.layout.note_width,
            align=LEFT,
        )
        note.to_corner(UP + LEFT, buff=style.layout.heading_buff).shift(
            style.layout.note_below_heading * DOWN
        )
        film.say("only_x", FadeIn(note))
    else:
        film.say("only_x")
