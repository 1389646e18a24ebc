"""Beyond the article: the model that ignores x scores the entropy; the gap is what x taught."""

from dataclasses import dataclass

from manim import DOWN, RIGHT, UP, Brace, FadeIn, GrowFromEdge, Line, Rectangle, VGroup

from ..contract import Chapter
from ..style import PerAspect

CHAPTER = Chapter(
    "baseline",
    cues=("ignore_x", "entropy", "gap"),
    # The screen is cleared: the formula is gone.
    drops=("formula",),
)


@dataclass(frozen=True)
class BaselineBars:
    """The two loss bars on one floor: the x of each, their width, the floor's height and
    how far it reaches past the bars, and the height of the taller bar."""

    bars_x: tuple[float, float]
    bar_width: float
    floor_y: float
    floor_overhang: float
    height: float


BASELINE_BARS = PerAspect(
    landscape=BaselineBars((-3.8, -0.6), 2.2, floor_y=-1.8, floor_overhang=2.0, height=4.1),
    vertical=BaselineBars((-2.4, 0.2), 1.5, floor_y=-1.3, floor_overhang=1.2, height=5.8),
)


def loss_bar(film, loss: float, unit: float, x: float):
    style = film.style
    place = BASELINE_BARS.of(style.layout)
    return Rectangle(
        width=place.bar_width,
        height=loss * unit,
        stroke_color=style.palette.loss,
        fill_color=style.palette.loss,
        fill_opacity=style.sizes.bar_opacity,
    ).move_to([x, place.floor_y, 0], aligned_edge=DOWN)


def play(film) -> None:
    style, lesson = film.style, film.lesson
    sizes, palette, layout = style.sizes, style.palette, style.layout
    place = BASELINE_BARS.of(layout)
    unit = place.height / max(lesson.baseline_loss, lesson.loss)
    (left_x, right_x), overhang = place.bars_x, place.floor_overhang
    floor = Line(
        [left_x - overhang, place.floor_y, 0],
        [right_x + overhang, place.floor_y, 0],
        color=palette.ink,
    )
    always = loss_bar(film, lesson.baseline_loss, unit, left_x)
    fitted = loss_bar(film, lesson.loss, unit, right_x)
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
