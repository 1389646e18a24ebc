"""Beyond the article: the model that ignores x scores the entropy; the gap is what x taught."""

from manim import DOWN, RIGHT, UP, Brace, FadeIn, GrowFromEdge, Line, Rectangle, VGroup

from ..contract import Chapter

CHAPTER = Chapter(
    "baseline",
    cues=("ignore_x", "entropy", "gap"),
    # The screen is cleared: the formula is gone.
    drops=("formula",),
)


def loss_bar(film, loss: float, unit: float, x: float):
    style = film.style
    return Rectangle(
        width=style.layout.baseline_bar_width,
        height=loss * unit,
        stroke_color=style.palette.loss,
        fill_color=style.palette.loss,
        fill_opacity=style.sizes.bar_opacity,
    ).move_to([x, style.layout.baseline_floor_y, 0], aligned_edge=DOWN)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    sizes, palette, layout = style.sizes, style.palette, style.layout
    unit = layout.baseline_height / max(lesson.baseline_loss, lesson.loss)
    overhang = layout.baseline_floor_overhang
    floor = Line(
        [layout.baseline_bars_x[0] - overhang, layout.baseline_floor_y, 0],
        [layout.baseline_bars_x[1] + overhang, layout.baseline_floor_y, 0],
        color=palette.ink,
    )
    always = loss_bar(film, lesson.baseline_loss, unit, layout.baseline_bars_x[0])
    fitted = loss_bar(film, lesson.loss, unit, layout.baseline_bars_x[1])
    names = VGroup(
        film.text("baseline_label", size=sizes.label).next_to(always, DOWN, buff=layout.buff),
        film.text("fitted_label", size=sizes.label).next_to(fitted, DOWN, buff=layout.buff),
    )
    values = VGroup(
        film.text(
            "value", size=sizes.label, colour=palette.text.loss, value=film.numbers["baseline_loss"]
        ).next_to(always, UP, buff=layout.buff_tight),
        film.text(
            "value", size=sizes.label, colour=palette.text.loss, value=film.numbers["loss"]
        ).next_to(fitted, UP, buff=layout.buff_tight),
    )
    gap_top = fitted.get_top()[1]
    gap_x = fitted.get_right()[0] + layout.buff
    gap = Line([gap_x, gap_top, 0], [gap_x, always.get_top()[1], 0])
    brace = Brace(gap, direction=RIGHT, color=palette.highlight)
    gap_text = film.text("gap_label", size=sizes.label, colour=palette.text.highlight).next_to(
        brace, RIGHT, buff=layout.buff_tight
    )
    # The whole picture fits across the frame (the brace's words reach far right).
    picture = VGroup(floor, always, fitted, names, values, brace, gap_text)
    room = layout.frame_width - layout.wide_text_margin
    if picture.width > room:
        picture.scale_to_fit_width(room)
    picture.set_x(0)
    film.say(
        "ignore_x",
        [film.set_heading(), film.clear()],
        [FadeIn(floor), GrowFromEdge(always, DOWN), FadeIn(names[0])],
    )
    film.say("entropy", FadeIn(values[0], shift=layout.drift * UP))
    film.say(
        "gap",
        [GrowFromEdge(fitted, DOWN), FadeIn(names[1])],
        [FadeIn(values[1]), FadeIn(brace), FadeIn(gap_text)],
    )
