"""The film's geometry and words, without pixels.

One run of the whole film with every section skipped (about 40 s, no video written)
snapshots each chapter's end; the tests read those snapshots. The bars must show the
Lesson's numbers exactly, everything on screen must lie inside the frame, no two texts
may overlap, and every subtitle cue must fit on two lines.
"""

from __future__ import annotations

import inspect
import itertools
import re

import numpy as np
import pytest
from film_helpers import ProbeResult, run_probe

from bce_film.options import FilmOptions
from scenes.chapters import ORDER
from scenes.components.bars import LOSS_CAP
from scenes.film import film_chapters
from scenes.narration import narration_script
from scenes.words import load_words

CHAPTERS = list(ORDER)
BAR_CHAPTERS = ["positive_bars", "hanging_bars", "stand_bars", "mean_loss", "training"]
SPAN_TOLERANCE = 1e-6  # scene geometry is exact up to float rounding
#: The curve is a polyline through 200 samples of the sigmoid; at the data's x values
#: it is within ~1e-5 of the exact sigmoid.
CURVE_TOLERANCE = 1e-4
TEXT_OVERLAP = 0.02  # scene units two text boxes may run into each other (both ways)
MAX_CUE_CHARACTERS = 100  # two subtitle lines at 854x480
#: Chapters that show no heading: the title card names the film instead.
NO_HEADING = {"title"}


@pytest.fixture(scope="session")
def probe() -> ProbeResult:
    return run_probe(FilmOptions().inputs())


def test_probe_runs_every_chapter_in_order(probe):
    assert probe.order == CHAPTERS


def test_every_chapter_has_a_scene_class(monkeypatch):
    monkeypatch.setenv("BCE_VOICE", "none")  # importing it narrates: not here
    import scenes.chapter  # builds one Scene class per chapter

    names = {name: scenes.chapter.scene_class_name(name) for name in CHAPTERS}
    assert names["mean_loss"] == "MeanLoss"
    missing = [name for name, scene in names.items() if not hasattr(scenes.chapter, scene)]
    assert not missing, f"scenes/chapter.py has no Scene for {missing}"


# ---------------------------------------------------------------------------------- bars


@pytest.mark.parametrize("chapter", BAR_CHAPTERS)
def test_one_bar_per_point(probe, chapter):
    end, n = probe.ends[chapter], probe.lesson.n_points
    assert end.n_bars == n
    assert sorted(end.bar_points) == list(range(n)), "each point has its own bar"


def test_positive_bars_reach_the_curve(probe):
    """Figure 4: each positive point's bar runs from 0 up to p, the curve's height at x."""
    end, lesson = probe.ends["positive_bars"], probe.lesson
    assert end.bars_axes == "plot"
    positive = [k for k, i in enumerate(end.bar_points) if lesson.y[i] == 1]
    assert end.bars_on_screen == positive, "exactly the positive bars have grown"
    for k in positive:
        i = end.bar_points[k]
        p = float(lesson.probabilities[i])
        assert end.spans[k] == pytest.approx((0.0, p), abs=SPAN_TOLERANCE), f"point {i}"
        assert end.bar_x[k] == pytest.approx(float(lesson.x[i]), abs=SPAN_TOLERANCE), f"point {i}"
    # The curve drawn on screen passes through the bars' tops.
    heights = np.array(end.curve_heights)
    np.testing.assert_allclose(heights, lesson.probabilities, rtol=0, atol=CURVE_TOLERANCE)


def test_negative_bars_hang_from_one(probe):
    """Figure 5: each negative point's bar hangs from 1 down to p: its length is 1 - p."""
    end, lesson = probe.ends["hanging_bars"], probe.lesson
    assert end.bars_axes == "plot"
    assert end.bars_on_screen == list(range(end.n_bars)), "every bar is shown"
    for k, i in enumerate(end.bar_points):
        p = float(lesson.probabilities[i])
        assert end.bar_x[k] == pytest.approx(float(lesson.x[i]), abs=SPAN_TOLERANCE), f"point {i}"
        if lesson.y[i] == 1:  # as positive_bars left them
            assert end.spans[k] == pytest.approx((0.0, p), abs=SPAN_TOLERANCE), f"point {i}"
            continue
        bottom, top = end.spans[k]
        assert (bottom, top) == pytest.approx((p, 1.0), abs=SPAN_TOLERANCE), f"point {i}"
        assert top - bottom == pytest.approx(1 - p, abs=SPAN_TOLERANCE), f"point {i}"


def test_bars_stand_on_the_floor(probe):
    """Figure 8: in the bar chart every bar is p(true class), from 0."""
    end, lesson = probe.ends["stand_bars"], probe.lesson
    assert end.bars_axes == "chart"
    assert end.bars_on_screen == list(range(end.n_bars))
    for k, i in enumerate(end.bar_points):
        want = (0.0, float(lesson.true_class_probabilities[i]))
        assert end.spans[k] == pytest.approx(want, abs=SPAN_TOLERANCE), f"point {i}"
    # One slot per bar (1, 2, ...), the points in x order from left to right.
    slots = np.array(end.bar_x)
    np.testing.assert_allclose(np.sort(slots), np.arange(1, end.n_bars + 1), atol=SPAN_TOLERANCE)
    xs_left_to_right = lesson.x[np.array(end.bar_points)[np.argsort(slots)]]
    assert np.all(np.diff(xs_left_to_right) >= 0)


def test_the_chart_is_probabilities_then_grows_to_the_losses(probe):
    """Probability bars stand on 0..1, the whole height of the chart (the sigmoid plot's
    scale); when they become losses the y range grows to the largest loss (to the cap)."""
    for chapter in ("drop_axis", "stand_bars", "log_curve"):
        end = probe.ends[chapter]
        assert end.chart_y_max == 1.0, chapter
        assert end.chart_y_top == pytest.approx(1.0, abs=SPAN_TOLERANCE), chapter
    lesson = probe.lesson
    losses = max(1.0, min(float(lesson.point_losses.max()), LOSS_CAP))
    assert losses > 1.0  # the article's largest loss is 1.2: the range grows
    end = probe.ends["mean_loss"]
    assert end.chart_y_max == pytest.approx(losses)
    assert end.chart_y_top == pytest.approx(losses, abs=SPAN_TOLERANCE)


@pytest.mark.parametrize("chapter", ["mean_loss", "training"])
def test_bars_become_losses_and_the_mean_line_is_the_loss(probe, chapter):
    """Figure 10: every bar is -log p(true class); the dashed line sits at their mean. The
    training chapter replays the fit and ends there again, the chart beside the plot."""
    end, lesson = probe.ends[chapter], probe.lesson
    assert end.bars_axes == "chart"
    assert end.bars_on_screen == list(range(end.n_bars))
    # The article's data has no loss above the chart's top, so no bar is cut.
    assert float(lesson.point_losses.max()) <= end.chart_y_max
    for k, i in enumerate(end.bar_points):
        want = (0.0, float(lesson.point_losses[i]))
        assert end.spans[k] == pytest.approx(want, abs=SPAN_TOLERANCE), f"point {i}"
    assert end.mean_line_y is not None, "no mean line on the stage"
    assert end.mean_line_y == pytest.approx((lesson.loss, lesson.loss), abs=SPAN_TOLERANCE)
    # It runs across the bars.
    left, right = end.mean_line_x
    assert left < min(end.bar_x) and right > max(end.bar_x)


def test_training_ends_on_the_fit_with_the_unpenalised_fit_beside_it(probe):
    """The plot's curve is the fit again; the faint curve is the fit without a penalty."""
    end, lesson = probe.ends["training"], probe.lesson
    np.testing.assert_allclose(end.curve_heights, lesson.probabilities, atol=CURVE_TOLERANCE)
    free = lesson.fit_without_penalty
    np.testing.assert_allclose(
        end.unpenalised_heights, free.predict_proba(lesson.x), rtol=0, atol=CURVE_TOLERANCE
    )
    # Steeper than the fit: the penalty held the weight back.
    assert abs(free.weight) > abs(lesson.weight)


def test_training_says_and_shows_the_core_numbers(probe):
    """From the flat start (log 2 at every point) to the fit, and the loss without a
    penalty: the article's 0.6931, 0.3329 and 0.3052, all from the Lesson."""
    end, lesson = probe.ends["training"], probe.lesson
    flat, fitted, free = (
        f"{v:.4f}" for v in (lesson.training[0].loss, lesson.loss, lesson.loss_without_penalty)
    )
    assert (flat, fitted, free) == ("0.6931", "0.3329", "0.3052")
    said = " ".join(end.cue_texts)
    for number in (flat, fitted, free, probe.numbers["free_weight"], probe.numbers["weight"]):
        assert number in said, number
    # The mean label follows the steps: the flat start's mean first, the fit's last.
    means = [text for text in end.made_text if re.search(r"\d\.\d{4}$", text)]
    step_means = [text.rsplit(" ", 1)[-1] for text in means if text.startswith("mean =")]
    assert step_means[1] == flat and step_means[-1] == fitted, step_means
    shown_losses = {f"{step.loss:.4f}" for step in lesson.training}
    assert set(step_means) <= shown_losses
    # The step counter runs from the flat start to the last Newton step, the fit.
    counters = [text for text in end.made_text if text.startswith("Newton step")]
    assert counters[0] == "Newton step 0"
    assert counters[-1] == f"Newton step {lesson.fit.n_iterations}"
    on_screen = [text.text for text in end.texts]
    assert f"mean = {fitted}" in on_screen
    assert f"no penalty: loss {free}" in on_screen


# ------------------------------------------------------------------------------- screen


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_everything_inside_the_frame(probe, chapter):
    width, height = probe.frame
    offenders = probe.ends[chapter].outside_frame
    assert not offenders, (
        f"at the end of {chapter}, outside the {width:.2f} x {height:.2f} frame:\n  "
        + "\n  ".join(offenders)
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_texts_overlap(probe, chapter):
    texts = probe.ends[chapter].texts
    overlaps = []
    for a, b in itertools.combinations(texts, 2):
        dx, dy = a.box.overlap(b.box)
        if dx > TEXT_OVERLAP and dy > TEXT_OVERLAP:
            overlaps.append(
                f"{a.text!r} ({a.box}) and {b.text!r} ({b.box}) overlap by {dx:.3f} x {dy:.3f}"
            )
    assert not overlaps, f"at the end of {chapter}:\n  " + "\n  ".join(overlaps)


_NUMBER = re.compile(r"[-\u2212]\d+(?:\.\d+)?")


def test_no_negative_zero_on_screen(probe):
    """A formatted -0.0 reads as a sign error ("H(q) = -0.0000")."""
    shown = [
        f"{chapter}: {text!r}"
        for chapter in CHAPTERS
        for text in probe.ends[chapter].made_text
        if any(float(number.replace("\u2212", "-")) == 0 for number in _NUMBER.findall(text))
    ]
    assert not shown, "negative zero in on-screen text:\n  " + "\n  ".join(shown)


# -------------------------------------------------------------------------------- words


@pytest.fixture(scope="module")
def english():
    return load_words("en")


def test_every_chapter_has_words(english):
    problems = []
    for name in CHAPTERS:
        table = english.table.get(name)
        if not isinstance(table, dict):
            problems.append(f"no [{name}] table")
            continue
        if name not in NO_HEADING and not (
            isinstance(table.get("heading"), str) and table["heading"].strip()
        ):
            problems.append(f"[{name}] has no heading")
    assert not problems, f"{english.path}: " + "; ".join(problems)


def test_chapters_that_set_a_heading_have_one(english):
    for chapter in film_chapters():
        if "set_heading" in inspect.getsource(chapter):
            assert english.table[chapter.CHAPTER.name].get("heading"), chapter.CHAPTER.name


def test_every_chapter_says_its_declared_cues_once_in_order(probe):
    for chapter in film_chapters():
        contract = chapter.CHAPTER
        said = probe.ends[contract.name].cues
        assert said == [f"{contract.name}.{cue}" for cue in contract.cues], contract.name


def test_every_cue_fits_two_lines(probe):
    too_long = [
        f"{name}: {len(c)} chars: {c!r}"
        for name in CHAPTERS
        for c in probe.ends[name].cue_texts
        if len(c) > MAX_CUE_CHARACTERS
    ]
    assert not too_long, f"cues over {MAX_CUE_CHARACTERS} characters:\n  " + "\n  ".join(too_long)


def test_the_film_says_the_narration_script(probe, english):
    """The script (made without Manim, for a narrator) has the film's words, cue for cue:
    the film and bce-video script fill the same templates from the same numbers."""
    script = narration_script(probe.lesson, english, probe.inputs.style)
    said = [
        (cue, text)
        for name in CHAPTERS
        for cue, text in zip(probe.ends[name].cues, probe.ends[name].cue_texts, strict=True)
    ]
    assert [(line.id, line.text) for line in script] == said
    # Every placeholder was filled: no braces left in what the film said.
    assert not [text for _, text in said if "{" in text or "}" in text]
