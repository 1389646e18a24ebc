"""Beyond the article: the model that ignores x scores the entropy; the gap is what x taught."""

from manim import DOWN, UP, Brace, FadeIn, GrowFromEdge, Line, Rectangle, VGroup

NAME = "baseline"


def loss_bar(film, loss: float, unit: float, x: float):
    style = film.style
    return Rectangle(
        width=1.6,
        height=loss * unit,
        stroke_color=style.palette.loss,
        fill_color=style.palette.loss,
        fill_opacity=style.sizes.bar_opacity,
    ).move_to([x, style.layout.baseline_floor_y, 0], aligned_edge=DOWN)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    sizes, palette, layout = style.sizes, style.palette, style.layout
    unit = layout.baseline_height / max(lesson.baseline_loss, lesson.loss)
    floor = Line(
        [-3.5, layout.baseline_floor_y, 0], [3.5, layout.baseline_floor_y, 0], color=palette.ink
    )
    always = loss_bar(film, lesson.baseline_loss, unit, layout.baseline_bars_x[0])
    fitted = loss_bar(film, lesson.loss, unit, layout.baseline_bars_x[1])
    names = VGroup(
        film.text("baseline_label", size=sizes.label).next_to(always, DOWN, buff=0.25),
        film.text("fitted_label", size=sizes.label).next_to(fitted, DOWN, buff=0.25),
    )
    values = VGroup(
        film.text(
            "value", size=sizes.label, colour=palette.loss, value=film.numbers["baseline_loss"]
        ).next_to(always, UP, buff=0.15),
        film.text(
            "value", size=sizes.label, colour=palette.loss, value=film.numbers["loss"]
        ).next_to(fitted, UP, buff=0.15),
    )
    gap_top = fitted.get_top()[1]
    gap_x = fitted.get_right()[0] + 0.3
    gap = Line([gap_x, gap_top, 0], [gap_x, always.get_top()[1], 0])
    brace = Brace(gap, direction=[1, 0, 0], color=palette.highlight)
    gap_text = film.text("gap_label", size=sizes.label, colour=palette.highlight).next_to(
        brace, [1, 0, 0], buff=0.15
    )
    first, second, third = film.cues()
    film.say(
        first,
        [film.set_heading(), film.clear()],
        [FadeIn(floor), GrowFromEdge(always, DOWN), FadeIn(names[0])],
    )
    film.stage.formula = None
    film.stage.extras.clear()
    film.say(second, FadeIn(values[0], shift=0.1 * UP))
    film.say(
        third,
        [GrowFromEdge(fitted, DOWN), FadeIn(names[1])],
        [FadeIn(values[1]), FadeIn(brace), FadeIn(gap_text)],
    )
