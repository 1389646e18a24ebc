"""The film for other data, languages, themes and shapes: the preflight (``bce-video
check``) passes on each, and user text is shown literally.

Each case plays the whole film with animations skipped (no pixels: the geometry is the
same as in a render) and judges every screen after every cue: no text below the minimum
glyph, no two texts overlapping, nothing outside the safe area or in the caption band,
every caption page inside its band. A covering set of options rather than every
combination:

- the article in both languages, both themes and both frame shapes (each language and
  theme in each shape once), captions burnt in where 9:16 burns them and once in 16:9;
- 1,000 points with 2 positives near x = 1e6 (a drawn sample, long tick labels);
- 100,000 points;
- a point whose true class gets almost no probability (a capped loss bar);
- class names that would be LaTeX, Pango markup or TeX specials if interpreted;
- x at +-1e300;
- class names of 40 characters, in English and in Chinese;
- classes named by words, not 0/1.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from film_helpers import outlier
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from paths import RENDER_CACHE

from bce_core import ARTICLE_DATA, Dataset, build_lesson
from bce_film.options import FilmOptions
from bce_film.preflight import Preflight, run_preflight
from scenes.chapters import ORDER
from scenes.inputs import FilmInputs
from scenes.style import current_style
from scenes.words import load_words


def inputs_for(
    dataset: Dataset, language="en", theme="dark", aspect="16:9", C=1.0, captions=None
) -> FilmInputs:
    burn = captions if captions is not None else aspect == "9:16"
    return FilmInputs(
        build_lesson(dataset, C=C),
        current_style(theme, aspect),
        load_words(language),
        captions=burn,
    )


def imbalanced_near_a_million() -> Dataset:
    """1,000 points around x = 1e6 (long tick labels), 2 of them positive (a sample)."""
    rng = np.random.default_rng(3)
    x = 1e6 + rng.uniform(0, 8, 1000)
    y = np.zeros(1000, dtype=int)
    y[np.argsort(x)[-2:]] = 1
    return Dataset(x, y, source="imbalanced")


def a_hundred_thousand() -> Dataset:
    rng = np.random.default_rng(5)
    x = rng.normal(0, 2, 100_000)
    y = (rng.uniform(size=x.size) < 1 / (1 + np.exp(-1.3 * x + 0.4))).astype(int)
    return Dataset(x, y, source="100k")


def named(positive: str, negative: str) -> Dataset:
    x = np.array([-2.0, -1.0, 0.5, 1.0, 2.0, -0.5, 1.5, -1.5])
    y = np.array([0, 0, 1, 1, 1, 0, 1, 1])
    return Dataset(x, y, positive_label=positive, negative_label=negative, source="named")


def far_apart() -> Dataset:
    x = np.array([-1e300, -0.5e300, -1.0, 0.0, 1.0, 0.5e300, 1e300])
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    return Dataset(x, y, source="far")


def thousands_with_a_long_chinese_name() -> Dataset:
    """200 points at x = 1000 to 5000 (four-digit tick labels at the axes' ends) and a
    positive class named in 18 Chinese characters: a real dataset's shape that the layout
    once failed in nine places (tick labels and the fitted equation past the safe area)."""
    rng = np.random.default_rng(1)
    x = rng.uniform(1000, 5000, 200)
    y = (rng.uniform(size=200) < 1 / (1 + np.exp(-(x - 3000) / 500))).astype(int)
    return Dataset(x, y, "活检中发现的恶性肿瘤细胞需要立即转诊", "良性", source="thousands")


#: Class names that would be LaTeX, Pango markup or TeX specials if they were interpreted.
HOSTILE = ("\\input{/etc/passwd}", '<span foreground="red">x</span>', "%$&_#{}")
#: 40 characters each.
LONG_EN = ("malignant tumour cells seen in a biopsy!", "benign tissue, nothing to worry about 12")
LONG_ZH = (
    "活检中发现的恶性肿瘤细胞需要立即转诊给肿瘤科医生进行进一步的检查和治疗方案的制定",
    "良性组织没有任何需要担心的地方只需要按照常规的时间表每年复查一次就可以了谢谢配合",
)

CASES = {
    "article-en-dark-16:9": lambda: inputs_for(ARTICLE_DATA),
    "article-zh-light-16:9-captions": lambda: inputs_for(
        ARTICLE_DATA, "zh", "light", captions=True
    ),
    "article-en-light-9:16": lambda: inputs_for(ARTICLE_DATA, "en", "light", "9:16"),
    "article-zh-dark-9:16": lambda: FilmOptions(language="zh", aspect="9:16").inputs(),
    "1000-points-2-positive-near-1e6": lambda: inputs_for(imbalanced_near_a_million()),
    "100000-points-9:16": lambda: inputs_for(a_hundred_thousand(), aspect="9:16"),
    "capped-loss-tex-specials": lambda: inputs_for(outlier(HOSTILE[2], "plain")),
    "latex-and-markup-names": lambda: inputs_for(named(*HOSTILE[:2])),
    "x-at-1e300": lambda: inputs_for(far_apart()),
    "long-names-en": lambda: inputs_for(named(*LONG_EN), "en", "dark", "9:16"),
    "long-names-zh": lambda: inputs_for(named(*LONG_ZH), "zh", "light"),
    "words-not-0-1": lambda: inputs_for(named("spam", "ham"), "zh", "dark", "9:16"),
    "x-in-thousands-long-zh-name": lambda: inputs_for(thousands_with_a_long_chinese_name(), "zh"),
}

for name in LONG_EN + LONG_ZH:
    assert len(name) == 40, name


@pytest.fixture(scope="module")
def preflight(request) -> Preflight:
    """The film of the case ``request.param`` checked once; the tests that look at it
    take it by ``cases(...)`` and share it (one process runs them: tests/conftest.py)."""
    cache = RENDER_CACHE if RENDER_CACHE.is_dir() else None
    return run_preflight(CASES[request.param](), cache)


def cases(*names: str):
    return pytest.mark.parametrize("preflight", names, indirect=True)


def texts_of(preflight: Preflight, chapter: str) -> list:
    return [text for screen in preflight.chapter(chapter).screens for text in screen.texts]


@cases(*CASES)
def test_the_preflight_passes(preflight):
    assert [check.name for check in preflight.chapters] == list(ORDER)
    problems = [f"{c.name}: {p}" for c in preflight.chapters for p in c.problems]
    assert problems == [], preflight.report()


@cases("article-zh-dark-9:16")
def test_a_vertical_film_is_checked_in_a_vertical_frame(preflight):
    heading = load_words("zh").get("fit", "heading")
    box = next(t.box for t in texts_of(preflight, "fit") if t.words == heading)
    # The heading sits in the top-left corner of an 8-unit-wide frame.
    assert box.left == pytest.approx(-4.0 + 0.35, abs=0.05)
    assert box.top > 6.5


@cases("article-en-dark-16:9", "article-en-light-9:16")
def test_the_main_objects_fill_the_frame(preflight):
    """The plot and the chart span most of the content area's width in 16:9, and its
    width and most of its height (the upper two thirds of the safe area) in 9:16."""
    for chapter in ("fit", "stand_bars", "mean_loss", "training"):
        check = preflight.chapter(chapter)
        assert check.width_share > 0.85, (chapter, check.width_share)
        if preflight.layout.vertical:
            assert check.height_share > 0.75, (chapter, check.height_share)


@cases("1000-points-2-positive-near-1e6")
def test_a_sampled_film_says_how_many_points_it_draws(preflight):
    shown = [t.words for t in texts_of(preflight, "mean_loss")]
    assert any("30" in text and "1000" in text for text in shown), shown


@pytest.mark.parametrize(
    ("preflight", "names"),
    [
        ("latex-and-markup-names", HOSTILE[:2]),
        ("capped-loss-tex-specials", (HOSTILE[2],)),
    ],
    indirect=["preflight"],
)
def test_class_names_are_shown_literally_and_never_reach_latex(preflight, names):
    for name in names:
        # Under its bar in the distribution chapter, as a Text of its own, literally (cut
        # with an ellipsis if too long for its bar): one glyph per visible character
        # (interpreted markup would leave a single "x").
        shown = [
            t
            for t in texts_of(preflight, "distribution")
            if len(t.words.rstrip("…")) >= 4 and name.startswith(t.words.rstrip("…"))
        ]
        assert shown, f"{name!r} is not shown as it is"
        assert shown[0].glyphs == len(shown[0].words.replace(" ", "")), name
    # Nothing the film sent to LaTeX mentions the names (so nothing was read either).
    for tex_file in (RENDER_CACHE / "Tex").glob("*.tex"):
        assert "passwd" not in tex_file.read_text(errors="replace"), tex_file


# ---------------------------------------------------------------- data the film has not seen

#: Class names of 1 to 40 characters, in Latin or CJK script.
CLASS_NAMES = st.one_of(
    st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=40),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=40),
)


@st.composite
def user_data(draw) -> dict:
    """What a user may bring: 10 to 100,000 rows, x spread over 1e-3 to 1e6 and offset
    by up to 1e6 either way, two class names, either language and frame shape."""
    positive = draw(CLASS_NAMES)
    return {
        "rows": round(10 ** draw(st.floats(1, 5))),
        "spread": 10 ** draw(st.floats(-3, 6)),
        "offset": draw(st.sampled_from([-1, 0, 1])) * 10 ** draw(st.floats(-3, 6)),
        "seed": draw(st.integers(0, 2**32 - 1)),
        "positive": positive,
        "negative": draw(CLASS_NAMES.filter(lambda name: name != positive)),
        "language": draw(st.sampled_from(["en", "zh"])),
        "aspect": draw(st.sampled_from(["16:9", "9:16"])),
    }


def drawn_dataset(data: dict) -> Dataset:
    rng = np.random.default_rng(data["seed"])
    z = rng.normal(size=data["rows"])
    y = (rng.uniform(size=z.size) < 1 / (1 + np.exp(-rng.uniform(0.5, 4) * z))).astype(int)
    y[:2] = (0, 1)  # both classes
    x = data["offset"] + data["spread"] * z / 4
    return Dataset(x, y, data["positive"], data["negative"], source="drawn")


#: BCE_LAYOUT_EXAMPLES=N draws N new cases: a search for layouts that fail, a preflight
#: each (10 to 40 s). What it finds becomes a case above, or a known failure below.
EXPLORE = os.environ.get("BCE_LAYOUT_EXAMPLES")


@pytest.mark.skipif(EXPLORE is None, reason="a search: BCE_LAYOUT_EXAMPLES=N draws N cases")
@settings(
    max_examples=int(EXPLORE or 1),
    phases=[Phase.explicit, Phase.generate],  # a preflight takes seconds: no shrinking
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=user_data())
def test_the_preflight_passes_on_data_it_has_not_seen(data):
    film = inputs_for(drawn_dataset(data), data["language"], "dark", data["aspect"])
    preflight = run_preflight(film, RENDER_CACHE if RENDER_CACHE.is_dir() else None)
    problems = [f"{c.name}: {p}" for c in preflight.chapters for p in c.problems]
    assert problems == [], preflight.report()


def test_a_sampled_film_with_a_long_class_name_keeps_its_note_clear_of_the_legend():
    """Found by the search: in 16:9 the note and a legend widened by a long class name
    share the row under the heading; the note is wrapped in the frame's left half."""
    data = {
        "rows": 19953,
        "spread": 4255.36152726433,
        "offset": 100000.0,
        "seed": 301,
        "positive": "乷五乐乂乷乥乷五乐乂乷乥乷五乐乂乷乥乷五乐乂",
        "negative": "b",
        "language": "en",
        "aspect": "16:9",
    }
    film = inputs_for(drawn_dataset(data), data["language"], "dark", data["aspect"])
    preflight = run_preflight(film, RENDER_CACHE if RENDER_CACHE.is_dir() else None)
    problems = [f"{c.name}: {p}" for c in preflight.chapters for p in c.problems]
    assert problems == [], preflight.report()
