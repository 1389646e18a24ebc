"""Figure 0: the points on the x axis, one by one."""

from manim import DOWN, LEFT, UP, Create, FadeIn, LaggedStart, Succession

from ..components.points import PointsOnLine

NAME = "feature"


def play(film) -> None:
    style, timing = film.style, film.style.timing
    line = PointsOnLine(film.lesson, style, film.shown)
    film.stage.feature_line = line
    axis_name = film.text("axis_label", size=style.sizes.body)
    axis_name.next_to(line.line.get_right(), UP, buff=style.layout.buff)
    drops = []
    for k, dot in enumerate(line.dots):  # left to right: the dots are in x order
        drop = [
            FadeIn(dot, shift=style.layout.point_drop_height * DOWN, run_time=timing.point_drop * 2)
        ]
        if k < len(line.value_labels):
            drop.append(FadeIn(line.value_labels[k], run_time=timing.point_drop))
        drops.append(Succession(*drop))
    # The whole drop lasts about the same whatever the number of points.
    lag = timing.drop_lag_ratio * min(1.0, style.layout.max_value_labels / len(drops))
    first, second = film.cues()
    film.say(
        first,
        [film.set_heading(), Create(line.line), FadeIn(axis_name)],
        LaggedStart(*drops, lag_ratio=lag),
    )
    film.stage.extras["axis_name"] = axis_name
    if film.is_sampled:
        # Every number uses all the points; the pictures draw a sample of them.
        note = film.common_text("sample_note", size=style.sizes.small, colour=style.palette.muted)
        # Under the heading, where no chapter draws.
        note.to_corner(UP + LEFT, buff=style.layout.heading_buff).shift(
            style.layout.note_below_heading * DOWN
        )
        film.stage.extras["sample_note"] = note
        film.say(second, FadeIn(note))
    else:
        film.say(second)
