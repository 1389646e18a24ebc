"""A real dataset: scikit-learn's 569 tumours ("mean radius" against the diagnosis), in
Chinese on the light theme, in both frame shapes. It draws a sample of 30 points (and says
so in a note), its worst losses are cut at the chart's top (an arrow and the value above
the bar), and its class names are words: at every chapter's end nothing lies outside the
frame and no two texts overlap.
"""

from __future__ import annotations

import itertools

import pytest
from film_helpers import run_probe
from sklearn.datasets import load_breast_cancer

from bce_core import Dataset, build_lesson
from scenes.chapters import ORDER
from scenes.inputs import FilmInputs
from scenes.style import current_style
from scenes.words import load_words

TEXT_OVERLAP = 0.02  # scene units two text boxes may run into each other (both ways)


def breast_cancer() -> Dataset:
    data = load_breast_cancer()
    x = data.data[:, list(data.feature_names).index("mean radius")]
    negative, positive = map(str, data.target_names)  # target 0 is malignant, 1 benign
    return Dataset(
        x, data.target, positive_label=positive, negative_label=negative, source="breast cancer"
    )


@pytest.fixture(scope="module", params=["16:9", "9:16"])
def ends(request):
    dataset = breast_cancer()
    inputs = FilmInputs(
        build_lesson(dataset), current_style("light", request.param), load_words("zh")
    )
    probe = run_probe(inputs)
    assert probe.order == list(ORDER)
    return probe.ends


def test_the_film_draws_a_sample_says_so_and_cuts_a_loss(ends):
    note = [t.text for t in ends["mean_loss"].texts if "569" in t.text and "30" in t.text]
    assert note, [t.text for t in ends["mean_loss"].texts]
    assert ends["mean_loss"].n_bars == 30
    assert ends["mean_loss"].chart_y_max == 3.0  # the largest loss, 3.9, is cut at the cap


def test_no_texts_overlap_at_any_chapters_end(ends):
    overlaps = []
    for name, end in ends.items():
        for a, b in itertools.combinations(end.texts, 2):
            dx, dy = a.box.overlap(b.box)
            if dx > TEXT_OVERLAP and dy > TEXT_OVERLAP:
                overlaps.append(f"{name}: {a.text!r} ({a.box}) and {b.text!r} ({b.box})")
    assert not overlaps, "\n  ".join(overlaps)


def test_everything_inside_the_frame(ends):
    offenders = {name: end.outside_frame for name, end in ends.items() if end.outside_frame}
    assert offenders == {}
