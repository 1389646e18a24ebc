"""The bar chart's y range: 0..1 while its bars are probabilities, the losses' range once
they are losses. A loss cut at the cap (3 nats) must not squeeze the probability bars into
the bottom third of the chart from drop_axis to log_curve."""

from __future__ import annotations

import pytest
from film_helpers import outlier, run_probe

from bce_core import build_lesson
from scenes.components.bars import LOSS_CAP, BarChart
from scenes.inputs import FilmInputs
from scenes.style import current_style
from scenes.words import load_words


@pytest.fixture(scope="module")
def ends():
    style = current_style("dark", "16:9")
    inputs = FilmInputs(build_lesson(outlier()), style, load_words("en"))
    return run_probe(inputs).ends


def test_probability_bars_fill_the_chart_when_a_loss_is_capped(ends):
    cap = LOSS_CAP
    for chapter in ("drop_axis", "stand_bars", "log_curve"):
        assert ends[chapter].chart_y_max == 1.0, chapter
        assert ends[chapter].chart_y_top == pytest.approx(1.0, abs=1e-6), chapter
    tallest = max(top for _, top in ends["stand_bars"].spans)
    assert tallest > 0.9  # the surest point's bar reaches near the chart's top
    assert ends["mean_loss"].chart_y_max == cap
    assert ends["mean_loss"].chart_y_top == pytest.approx(cap, abs=1e-6)
    assert max(top for _, top in ends["mean_loss"].spans) == pytest.approx(cap, abs=1e-6)


@pytest.mark.parametrize("y_max", [1.0, 1.2, 1.37, 2.9, 3.0])
def test_the_y_axis_numbers_stop_at_its_top(y_max):
    """No number past the axis's top: on an axis to 1.37, a "1.5" stood above it, where
    the chart's name goes (found by the layout search, a sampled film in 9:16)."""
    chart = BarChart(current_style("dark", "16:9"), y_max, 10)
    top = chart.axes.y_axis.get_end()[1]
    for label in chart.tick_labels:
        assert label.get_center()[1] <= top + 1e-6, (y_max, label.get_center()[1], top)
    assert len(chart.tick_labels) >= 2
