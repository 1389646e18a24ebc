"""Closing card: the one-line summary and the credits."""

from manim import DOWN, UP, FadeIn, FadeOut, VGroup, Write

from ..components.formulas import bce_formula
from ..contract import Chapter

CHAPTER = Chapter("closing", cues=("summary", "lower_is_better"))


def play(film) -> None:
    style = film.style
    sizes, palette = style.sizes, style.palette
    formula = bce_formula(style)
    summary = film.lines("summary", sizes.subtitle)
    VGroup(formula, summary).arrange(DOWN, buff=style.layout.buff_loose).move_to(
        style.layout.content_area.center
    ).shift(style.layout.title_lift * UP)
    credit = film.on_floor(film.lines("credit", sizes.small, palette.muted))
    film.say("summary", [film.set_heading(), film.clear()], [Write(formula), FadeIn(summary)])
    film.say("lower_is_better", FadeIn(credit))
    film.scene.play(FadeOut(*film.scene.mobjects), run_time=style.timing.fade)
