"""Components on their own: what they put on screen, without playing the film."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from scenes.components.distribution import DistributionChart, baseline_offset
from scenes.style import current_style

STYLE = current_style("dark", "16:9")


def chart(values, names=("red", "green")) -> DistributionChart:
    return DistributionChart(STYLE, values, names).place_floor([-3.9, -2.36, 0])


def test_class_names_share_one_baseline():
    """ "red" and "green" centred would not line up: the g hangs below the line."""
    red, green = chart((0.3, 0.7)).names
    # The r of each sits on the baseline.
    assert red[0].get_bottom()[1] == pytest.approx(green[1].get_bottom()[1], abs=1e-3)
    assert green.get_bottom()[1] < red.get_bottom()[1] - 0.03, "the g hangs lower"
    # Both clear the floor, the taller one by the chart's gap.
    floor_y = -2.36
    assert max(red.get_top()[1], green.get_top()[1]) == pytest.approx(floor_y - 0.2, abs=1e-3)


@pytest.mark.parametrize("names", [("no", "yes"), ("阴性", "阳性"), ("spam", "ham")])
def test_any_names_keep_to_their_bars_and_below_the_floor(names):
    drawn = chart((0.25, 0.75), names)
    for name, bar in zip(drawn.names, drawn.bars, strict=True):
        assert name.get_x() == pytest.approx(bar.get_x(), abs=1e-6)
        assert name.get_top()[1] < drawn.floor.get_y()


def test_the_floor_and_the_names_stay_put_whatever_the_values():
    """The entropy chapter morphs the chart through (0, 1), (0.5, 0.5) and the labels'
    distribution; what is written under the names must not be run into."""
    charts = [chart(values) for values in [(0.0, 1.0), (0.5, 0.5), (0.3, 0.7)]]
    for other in charts[1:]:
        np.testing.assert_allclose(other.floor.get_center(), charts[0].floor.get_center())
        np.testing.assert_allclose(
            other.names.get_center(), charts[0].names.get_center(), atol=1e-9
        )


def test_baseline_offset_is_the_depth_of_the_hanging_letters():
    size = STYLE.sizes.label
    flat = Text("red", font=STYLE.fonts.text, font_size=size)
    hanging = Text("gyp", font=STYLE.fonts.text, font_size=size)
    assert baseline_offset(flat) == pytest.approx(0.0, abs=0.01)
    assert baseline_offset(hanging) > 0.05
