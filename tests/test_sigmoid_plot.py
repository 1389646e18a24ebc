"""The sigmoid plot's p numbers (0.5, 1.0) stand left of the axes, clear of the data.

Manim stands the y axis at x = 0, and its numbers beside it: with the article's points
(x from -2.2 to 4.6) a point at p = 1 near x = 0 touched the "1.0" (issue 21). Built
without playing the film: a few seconds.
"""

from __future__ import annotations

import numpy as np
import pytest

from bce_core import ARTICLE_DATA, Dataset, build_lesson
from scenes.components.plots import SigmoidPlot
from scenes.narration import drawn_points
from scenes.style import LAYOUTS, current_style

#: Where the data lie against x = 0: across it (the article), right of it, left of it,
#: and far from it (x near 1e6, the axis counted in units of a power of ten there).
DATASETS = {
    "article": ARTICLE_DATA,
    "right_of_zero": Dataset(
        np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), np.array([0, 0, 1, 0, 1, 1]), source="right"
    ),
    "left_of_zero": Dataset(
        np.array([-6.0, -5.0, -4.0, -3.0, -2.0, -1.0]),
        np.array([0, 0, 1, 0, 1, 1]),
        source="left",
    ),
    "near_a_million": Dataset(
        1e6 + np.array([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]), np.array([0, 1, 0, 1, 1, 1]), source="1e6"
    ),
}


@pytest.mark.parametrize("aspect", list(LAYOUTS))
@pytest.mark.parametrize("data", list(DATASETS))
def test_the_p_numbers_stand_left_of_the_axes(data, aspect):
    style = current_style("light", aspect)
    lesson = build_lesson(DATASETS[data], C=1.0)
    plot = SigmoidPlot(lesson, style, drawn_points(lesson))
    axes, layout = plot.axes, style.layout
    labels = list(axes.y_axis.labels)
    assert [label.text for label in labels] == ["0.5", "1.0"]
    left_edge = axes.x_axis.get_start()[0]
    data_left = min(dot.get_left()[0] for dot in plot.dots)
    safe = layout.safe_area
    for label, p in zip(labels, (0.5, 1.0), strict=True):
        # Left of the axes' left end, a tight gap apart, and so of every point.
        assert label.get_right()[0] == pytest.approx(left_edge - layout.buff_tight)
        assert label.get_right()[0] < data_left
        # At its height, and inside the safe area.
        assert label.get_y() == pytest.approx(axes.c2p(0, p)[1])
        assert label.get_left()[0] >= safe.left
    # The points at p = 1 (and the curve) are all right of the numbers.
    assert plot.curve.get_left()[0] > labels[-1].get_right()[0]
