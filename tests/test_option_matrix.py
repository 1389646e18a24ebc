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

import numpy as np
import pytest
from film_helpers import run_probe
from paths import RENDER_CACHE

from bce_core import ARTICLE_DATA, Dataset, build_lesson
from bce_film.options import FilmOptions
from scenes.chapters import ORDER
from scenes.inputs import FilmInputs
from scenes.style import current_style
from scenes.words import load_words


def inputs_for(dataset: Dataset, language="en", theme="dark", aspect="16:9", C=1.0):
    return FilmInputs(
        build_lesson(dataset, C=C), current_style(theme, aspect), load_words(language)
    )


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
    "zh-light": lambda: inputs_for(ARTICLE_DATA, "zh", "light"),
    "1000-points-2-positive-near-1e6": lambda: inputs_for(imbalanced_near_a_million()),
    "capped-loss-tex-specials": lambda: inputs_for(outlier(HOSTILE[2], "plain")),
    "latex-and-markup-names": lambda: inputs_for(hostile_names()),
    "vertical-9:16-zh": lambda: FilmOptions(language="zh", aspect="9:16").inputs(),
}

_runs: dict[str, dict] = {}


def ends_of(case: str, tmp_path_factory) -> dict:
    """Each case's film runs once per session; several tests look at it."""
    if case not in _runs:
        probe = run_probe(CASES[case](), tmp_path_factory.mktemp(case))
        assert probe.order == list(ORDER)
        _runs[case] = probe.ends
    return _runs[case]


@pytest.mark.parametrize("case", list(CASES))
def test_every_chapter_ends_inside_the_frame(case, tmp_path_factory):
    ends = ends_of(case, tmp_path_factory)
    offenders = {name: end.outside_frame for name, end in ends.items() if end.outside_frame}
    assert offenders == {}


def test_a_vertical_film_is_probed_in_a_vertical_frame(tmp_path_factory):
    ends = ends_of("vertical-9:16-zh", tmp_path_factory)
    # The heading of a chapter sits in the top-left corner of an 8-unit-wide frame.
    heading = next(t for t in ends["fit"].texts if t.text == load_words("zh").get("fit", "heading"))
    assert heading.box.left == pytest.approx(-4.0 + 0.35, abs=0.05)
    assert heading.box.top > 6.5


def test_a_sampled_film_says_how_many_points_it_draws(tmp_path_factory):
    ends = ends_of("1000-points-2-positive-near-1e6", tmp_path_factory)
    shown = [t.text for t in ends["mean_loss"].texts]
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
        exact = [t for t in ends["distribution"].texts if t.text == name]
        assert exact, f"{name!r} is not shown as it is"
        assert exact[0].glyphs == len(name.replace(" ", "")), name
        for end in ends.values():
            for tex in end.formulas:
                assert name not in tex
    # Nothing the film sent to LaTeX mentions the names (so nothing was read either).
    for tex_file in (RENDER_CACHE / "Tex").glob("*.tex"):
        assert "passwd" not in tex_file.read_text(errors="replace"), tex_file
