"""The point-by-point sum split by class, then written with y: the formula of the start."""

from manim import DOWN, UP, FadeIn, FadeOut, MathTex

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
    # The points' own distributions stay while their sum is split by class and added up.
    one_hot = film.take("one_hot")
    film.say("split", film.set_heading(), MatchingTex(formula, split))
    # Under the sums, where the charts reach up to them.
    below = min(0.0, numbers.get_bottom()[1] - style.layout.buff - one_hot.get_top()[1])
    film.say(
        "sums",
        [one_hot.animate.shift(below * UP), FadeIn(numbers, shift=style.layout.drift * DOWN)],
    )
    film.say("formula", FadeOut(one_hot), MatchingTex(split, final))
    film.leave("formula", final)
