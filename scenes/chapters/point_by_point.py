"""Cross-entropy computed point by point: each point's own (certain) distribution."""

from manim import DOWN, UP, FadeIn, VGroup

from ..components.distribution import DistributionChart
from ..components.formulas import MatchingTex, place_formula, point_by_point_formula
from ..contract import Chapter
from ..style import PerAspect

#: How many points get their own distribution, and the height of that row of charts.
ONE_HOT_COUNT = PerAspect(landscape=5, vertical=3)
ONE_HOT_Y = PerAspect(landscape=-0.7, vertical=1.8)
#: Each chart's height, bar width and gap, and the space between charts.
ONE_HOT_CHART = PerAspect(landscape=(1.8, 0.5, 0.3), vertical=(2.6, 0.5, 0.3))
ONE_HOT_SPACING = 0.7

CHAPTER = Chapter(
    "point_by_point",
    cues=("per_point", "certain", "true_class"),
    takes=("formula",),
    leaves=("formula", "one_hot"),
    # The screen is cleared but for the formula.
    drops=("distribution", "model_chart", "info_value"),
)


def one_hot_charts(film) -> VGroup:
    """A tiny q_i for a few points: probability 1 on each point's own label."""
    lesson, style = film.lesson, film.style
    names = (film.screen_numbers["negative"], film.screen_numbers["positive"])
    count = ONE_HOT_COUNT.of(style.layout)
    shown = sorted(range(lesson.n_points), key=lambda i: lesson.x[i])[:count]
    height, bar_width, gap = ONE_HOT_CHART.of(style.layout)
    charts = VGroup()
    for i in shown:
        chart = DistributionChart(
            style,
            (1.0 - lesson.y[i], float(lesson.y[i])),
            names,
            height=height,
            bar_width=bar_width,
            gap=gap,
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
    return charts.arrange(buff=ONE_HOT_SPACING, aligned_edge=DOWN).move_to(
        ONE_HOT_Y.of(style.layout) * UP
    )


def play(film) -> None:
    style = film.style
    formula = film.take("formula")
    target = place_formula(point_by_point_formula(style), style)
    charts = one_hot_charts(film)
    film.fit_width(charts)
    film.say("per_point", [film.set_heading(), film.clear(formula)])
    film.say("certain", FadeIn(charts, shift=style.layout.drift * UP))
    film.say("true_class", MatchingTex(formula, target))
    film.leave("formula", target)
    film.leave("one_hot", charts)
