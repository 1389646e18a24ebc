"""The point-by-point sum split by class, then written with y: the formula of the start."""

from manim import DOWN, FadeIn, FadeOut, MathTex

from ..components.formulas import MatchingTex, bce_formula, place_formula, split_formula
from ..contract import Chapter

CHAPTER = Chapter(
    "back_to_formula",
    cues=("split", "sums", "formula"),
    takes=("formula", "one_hot"),
    leaves=("formula",),
    drops=("one_hot",),
)


def sums_line(film) -> MathTex:
    """(sum of positive losses + sum of negative losses) / N = loss, from the Lesson."""
    lesson, style = film.lesson, film.style
    line = MathTex(
        "=",
        r"\big(",
        f"{lesson.positive_loss_sum:.3f}",
        "+",
        f"{lesson.negative_loss_sum:.3f}",
        r"\big)",
        r"\,/\,",
        f"{lesson.n_points}",
        "=",
        f"{lesson.loss:.4f}",
        font_size=style.sizes.formula,
        color=style.palette.ink,
    )
    line[2].set_color(style.palette.text.positive)
    line[4].set_color(style.palette.text.negative)
    line[9].set_color(style.palette.text.loss)
    return line


def play(film) -> None:
    style = film.style
    formula = film.take("formula")
    split = place_formula(split_formula(style), style)
    numbers = film.fit_width(sums_line(film)).next_to(split, DOWN, buff=style.layout.buff_loose)
    final = place_formula(bce_formula(style), style)
    film.say(
        "split",
        [film.set_heading(), FadeOut(film.take("one_hot"))],
        MatchingTex(formula, split),
    )
    film.say("sums", FadeIn(numbers, shift=style.layout.drift * DOWN))
    film.say("formula", MatchingTex(split, final))
    film.leave("formula", final)
