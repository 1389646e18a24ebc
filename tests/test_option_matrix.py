"""The film for other data, languages, themes and shapes: every chapter runs, and at each
chapter's end everything on screen is inside the frame. User text is shown literally.

Each case runs the whole film with animations skipped (no pixels: the geometry is the
same as in a render) on a covering set of options rather than every combination:

- Chinese on the light theme (the longest words, the other palette);
- 1,000 points with 2 positives (a drawn sample; extreme imbalance);
- a point whose true class gets almost no probability (a capped loss bar);
- x around 1e6 (long tick labels), and the article's data in Chinese in 9:16;
- class names that would be LaTeX, Pango markup or TeX specials if interpreted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import MathTex, Scene, SingleStringMathTex, Text, config, tempconfig

from bce_core import ARTICLE_DATA, Dataset, build_lesson
from bce_video.settings import apply_aspect
from scenes.film import FilmInputs, chapter_names, play_film
from scenes.style import current_style
from scenes.words import load_words

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "renders"  # manim.cfg's media_dir: its Tex and text caches are shared
TOLERANCE = 1e-3


def run_film(inputs: FilmInputs, tmp_path: Path, aspect: str = "16:9") -> dict:
    """Every chapter's end: what lies outside the frame, and the Text and MathTex shown."""
    ends: dict[str, dict] = {}

    class Probe(Scene):
        def construct(self) -> None:
            def snapshot(film) -> None:
                half_w, half_h = config.frame_width / 2, config.frame_height / 2
                outside, texts, formulas = [], [], []
                for mobject in self.mobjects:
                    if any(part.has_points() for part in mobject.get_family()):
                        left, right = mobject.get_left()[0], mobject.get_right()[0]
                        bottom, top = mobject.get_bottom()[1], mobject.get_top()[1]
                        if (
                            left < -half_w - TOLERANCE
                            or right > half_w + TOLERANCE
                            or bottom < -half_h - TOLERANCE
                            or top > half_h + TOLERANCE
                        ):
                            outside.append(
                                f"{type(mobject).__name__} x {left:.2f}..{right:.2f} "
                                f"y {bottom:.2f}..{top:.2f}"
                            )
                    for part in mobject.get_family():
                        if isinstance(part, Text):
                            texts.append(part)
                        elif isinstance(part, (MathTex, SingleStringMathTex)):
                            formulas.append(part.tex_string)
                ends[film.chapter] = {"outside": outside, "texts": texts, "formulas": formulas}

            play_film(self, inputs, upto=chapter_names()[-1], on_chapter_end=snapshot)

    with tempconfig(
        {
            "dry_run": True,
            "media_dir": str(tmp_path),
            "tex_dir": str(CACHE / "Tex"),
            "text_dir": str(CACHE / "texts"),
        }
    ):
        apply_aspect(config, aspect)
        Probe().render()
    return ends


def inputs_for(dataset: Dataset, language="en", theme="dark", C: float | None = 1.0):
    return FilmInputs(build_lesson(dataset, C=C), current_style(theme), load_words(language))


def imbalanced_near_a_million() -> Dataset:
    """1,000 points around x = 1e6 (long tick labels), 2 of them positive (a sample)."""
    rng = np.random.default_rng(3)
    x = 1e6 + rng.uniform(0, 8, 1000)
    y = np.zeros(1000, dtype=int)
    y[np.argsort(x)[-2:]] = 1
    return Dataset(x, y, source="imbalanced")


def outlier(positive: str = "1", negative: str = "0") -> Dataset:
    """A negative point far among the positives: p(true class) almost 0, a capped bar."""
    x = np.r_[np.linspace(-6, -1, 12), np.linspace(1, 6, 12), [6.5]]
    y = np.r_[np.zeros(12, dtype=int), np.ones(12, dtype=int), [0]]
    return Dataset(x, y, positive_label=positive, negative_label=negative, source="outlier")


def hostile_names() -> Dataset:
    x = np.array([-2.0, -1.0, 0.5, 1.0, 2.0, -0.5])
    y = np.array([0, 0, 1, 1, 1, 0])
    return Dataset(x, y, positive_label=HOSTILE[0], negative_label=HOSTILE[1], source="hostile")


#: Class names that would be LaTeX, Pango markup or TeX specials if they were interpreted.
HOSTILE = ("\\input{/etc/passwd}", '<span foreground="red">x</span>', "%$&_#{}")

CASES = {
    "zh-light": lambda: (inputs_for(ARTICLE_DATA, "zh", "light"), "16:9"),
    "1000-points-2-positive-near-1e6": lambda: (inputs_for(imbalanced_near_a_million()), "16:9"),
    "capped-loss-tex-specials": lambda: (inputs_for(outlier(HOSTILE[2], "plain")), "16:9"),
    "latex-and-markup-names": lambda: (inputs_for(hostile_names()), "16:9"),
    "vertical-9:16-zh": lambda: (FilmInputs.article("dark", "zh", "9:16"), "9:16"),
}

_runs: dict[str, dict] = {}


def ends_of(case: str, tmp_path_factory) -> dict:
    """Each case's film runs once per session; several tests look at it."""
    if case not in _runs:
        inputs, aspect = CASES[case]()
        _runs[case] = run_film(inputs, tmp_path_factory.mktemp(case), aspect)
    return _runs[case]


@pytest.mark.parametrize("case", list(CASES))
def test_every_chapter_ends_inside_the_frame(case, tmp_path_factory):
    ends = ends_of(case, tmp_path_factory)
    assert list(ends) == chapter_names()
    offenders = {name: end["outside"] for name, end in ends.items() if end["outside"]}
    assert offenders == {}


def test_a_sampled_film_says_how_many_points_it_draws(tmp_path_factory):
    ends = ends_of("1000-points-2-positive-near-1e6", tmp_path_factory)
    shown = [t.original_text for t in ends["mean_loss"]["texts"]]
    assert any("30" in text and "1000" in text for text in shown), shown


@pytest.mark.parametrize(
    ("case", "names"),
    [
        ("latex-and-markup-names", HOSTILE[:2]),
        ("capped-loss-tex-specials", (HOSTILE[2],)),
    ],
)
def test_class_names_are_shown_literally_and_never_reach_latex(case, names, tmp_path_factory):
    ends = ends_of(case, tmp_path_factory)
    for name in names:
        # Under its bar in the distribution chapter, as a Text of its own, literally: one
        # glyph per visible character (interpreted markup would leave a single "x").
        exact = [t for t in ends["distribution"]["texts"] if t.original_text == name]
        assert exact, f"{name!r} is not shown as it is"
        assert len(exact[0].submobjects) == len(name.replace(" ", "")), name
        for end in ends.values():
            for tex in end["formulas"]:
                assert name not in tex
    # Nothing the film sent to LaTeX mentions the names (so nothing was read either).
    for tex_file in (CACHE / "Tex").glob("*.tex"):
        assert "passwd" not in tex_file.read_text(errors="replace"), tex_file
