"""Figure 3: the sigmoid grows from a flat 50% guess into the fit, Newton step by step."""

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, ReplacementTransform, Transform

from ..components.plots import SigmoidPlot
from ..contract import Chapter
from ..style import PerAspect

#: Where the fitted equation (and the step counter before it) sits: above the plot's
#: top-right corner, or under the plot (9:16, whose frame is too narrow for both up there).
EQUATION_SIDE = PerAspect(landscape=UP, vertical=DOWN)

CHAPTER = Chapter(
    "fit",
    cues=("curve", "training", "fitted"),
    takes=("feature_line", "rows"),
    leaves=("plot", "y_label", "equation"),
    drops=("feature_line", "rows"),
)


def play(film) -> None:
    lesson, style = film.lesson, film.style
    timing, sizes, palette = style.timing, style.sizes, style.palette
    line, rows = film.take("feature_line"), film.take("rows")
    plot = SigmoidPlot(lesson, style, film.shown)
    film.leave("plot", plot)
    y_label = film.text("y_label", size=sizes.label, colour=palette.muted)
    y_label.next_to(plot.axes.y_axis, UP, buff=style.layout.buff_tight).align_to(
        plot.axes.y_axis, LEFT
    )
    film.leave("y_label", y_label)

    # The dots of the feature line travel to their places in the plot, then the plot's
    # own dots (identical) take over so that later chapters own one set of points.
    moves = [dot.animate.move_to(target) for dot, target in zip(line.dots, plot.dots, strict=True)]
    film.say(
        "curve",
        [film.set_heading(), ReplacementTransform(rows[0:2], plot.axes), FadeOut(rows[2]), *moves],
        FadeIn(y_label),
    )
    # Earlier transforms may have split the line's group on the scene: remove its parts.
    film.scene.remove(line, *line.submobjects)
    film.scene.add(plot.axes, plot.dots)

    flat = plot.flat_curve()
    step_label = film.text("iteration_label", size=sizes.label, colour=palette.muted, step=0)
    # Above the plot's top-right corner (under it in 9:16), clear of the heading.
    step_label.next_to(plot.axes, EQUATION_SIDE.of(style.layout), buff=style.layout.buff)
    step_label.align_to(plot.axes, RIGHT)
    first_step = [Create(flat, run_time=timing.grow), FadeIn(step_label)]
    shown_steps = []
    for k, iterate in plot.visible_iterates(timing.max_newton_steps):
        label = film.text("iteration_label", size=sizes.label, colour=palette.muted, step=k)
        label.move_to(step_label, aligned_edge=RIGHT)
        shown_steps.append(
            [
                Transform(flat, plot.curve_for(iterate.weight, iterate.intercept)),
                Transform(step_label, label),
            ]
        )
    film.say("training", first_step, *shown_steps)
    # Hand over to the plot's own curve (the exact fit) without a visible change.
    film.scene.remove(flat)
    film.scene.add(plot.curve)
    # Where the step counter was: above the plot's top-right corner, right of the y
    # axis's name (in two lines if a long class name needs them), or under the plot
    # where EQUATION_SIDE says so.
    right = plot.axes.get_right()[0]
    room = right - plot.axes.get_left()[0]
    side = EQUATION_SIDE.of(style.layout)
    if (side == UP).all():
        room = right - y_label.get_right()[0] - style.layout.buff
    equation = film.lines("equation_label", sizes.label, width=room, align=RIGHT)
    equation.next_to(plot.axes, side, buff=style.layout.buff)
    equation.align_to(plot.axes, RIGHT)
    # Two lines above the plot may reach into the heading's row, right of the heading.
    top = style.layout.content_area.top
    if equation.get_top()[1] > top:
        equation.shift((equation.get_top()[1] - top) * DOWN)
    film.leave("equation", equation)
    film.say("fitted", [FadeOut(step_label), FadeIn(equation, shift=style.layout.drift * LEFT)])
