"""Cross-entropy computed point by point: each point's own (certain) distribution."""

from manim import DOWN, UP, FadeIn, VGroup

from ..components.distribution import DistributionChart
from ..components.formulas import MatchingTex, point_by_point_formula

NAME = "point_by_point"


def one_hot_charts(film) -> VGroup:
    """A tiny q_i for a few points: probability 1 on each point's own label."""
    lesson, style = film.lesson, film.style
    names = (film.numbers["negative"], film.numbers["positive"])
    shown = sorted(range(lesson.n_points), key=lambda i: lesson.x[i])[: style.layout.one_hot_count]
    charts = VGroup()
    for i in shown:
        chart = DistributionChart(
            style,
            (1.0 - lesson.y[i], float(lesson.y[i])),
            names,
            height=style.layout.one_hot_chart[0],
            bar_width=style.layout.one_hot_chart[1],
            gap=style.layout.one_hot_chart[2],
            show_names=False,
            label_size=style.sizes.small,
        )
        chart.add(
            film.text(
                "point_label",
                size=style.sizes.small,
                colour=style.palette.muted,
                x=f"{lesson.x[i]:.4g}",
            ).next_to(chart.floor, DOWN, buff=style.layout.buff_tight)
        )
        charts.add(chart)
    return charts.arrange(buff=style.layout.one_hot_spacing, aligned_edge=DOWN).move_to(
        style.layout.one_hot_y * UP
    )


def play(film) -> None:
    style = film.style
    formula = film.stage.formula
    target = point_by_point_formula(style).move_to(formula)
    charts = one_hot_charts(film)
    film.fit_width(charts)
    first, second, third = film.cues()
    film.say(first, [film.set_heading(), film.clear(formula)])
    film.stage.distribution = None
    film.stage.extras.clear()
    film.say(second, FadeIn(charts, shift=style.layout.drift * UP))
    film.say(third, MatchingTex(formula, target))
    film.stage.formula = target
    film.stage.extras["one_hot"] = charts
