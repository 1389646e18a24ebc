"""Figure 0: the points on the x axis, one by one."""

from manim import DOWN, UP, Create, FadeIn, LaggedStart, Succession

from ..components.points import PointsOnLine

NAME = "feature"


def play(film) -> None:
    timing = film.style.timing
    line = PointsOnLine(film.lesson, film.style)
    film.stage.feature_line = line
    axis_name = film.text("axis_label", size=film.style.sizes.body)
    axis_name.next_to(line.line.get_right(), UP, buff=film.style.layout.buff)
    order = sorted(range(film.lesson.n_points), key=lambda i: film.lesson.x[i])
    drops = LaggedStart(
        *(
            Succession(
                FadeIn(
                    line.dots[i],
                    shift=film.style.layout.point_drop_height * DOWN,
                    run_time=timing.point_drop * 2,
                ),
                FadeIn(line.value_labels[i], run_time=timing.point_drop),
            )
            for i in order
        ),
        lag_ratio=timing.drop_lag_ratio,
    )
    first, second = film.cues()
    film.say(first, [film.set_heading(), Create(line.line), FadeIn(axis_name)], drops)
    film.stage.extras["axis_name"] = axis_name
    film.say(second)
