"""The training chapter's board on its own (scenes/components/training.py): the plot and
the loss chart each in its box, in either aspect, and the rows above the plot. Built
without playing the film: a few seconds."""

from __future__ import annotations

import pytest
from manim import Text

from bce_core import ARTICLE_DATA, build_lesson
from scenes.components.training import TrainingBoard, boxes, training_top
from scenes.narration import drawn_points
from scenes.style import LAYOUTS, current_style


def board(aspect: str, y_max: float = 2.0) -> TrainingBoard:
    style = current_style("dark", aspect)
    lesson = build_lesson(ARTICLE_DATA, C=1.0)
    shown = drawn_points(lesson)
    return TrainingBoard(lesson, style, shown, y_max, len(shown))


@pytest.mark.parametrize("aspect", list(LAYOUTS))
def test_the_boxes_split_the_content_under_the_heading(aspect):
    layout = LAYOUTS[aspect]
    plot_box, chart_box = boxes(layout)
    content = layout.content_area
    for box in (plot_box, chart_box):
        assert content.left < box.left < box.right < content.right
        assert content.bottom <= box.bottom < box.top <= min(content.top, training_top(layout))
    if layout.vertical:  # the plot above the chart
        assert plot_box.bottom > chart_box.top
    else:  # the plot left of the chart
        assert plot_box.right < chart_box.left


@pytest.mark.parametrize("aspect", list(LAYOUTS))
def test_each_axes_start_at_their_box_corner(aspect):
    drawn = board(aspect)
    for axes, box in ((drawn.plot.axes, drawn.plot_box), (drawn.chart.axes, drawn.chart_box)):
        corner = axes.c2p(axes.x_range[0], axes.y_range[0])
        assert corner[0] == pytest.approx(box.left)
        assert corner[1] == pytest.approx(box.bottom)


def test_the_mean_line_spans_the_chart_and_is_cut_at_its_top():
    drawn = board("16:9", y_max=2.0)
    axes = drawn.chart.axes
    line = drawn.mean_line(5.0)
    assert line.get_left()[0] == pytest.approx(axes.c2p(axes.x_range[0], 0)[0], abs=1e-6)
    assert line.get_right()[0] == pytest.approx(axes.c2p(axes.x_range[1], 0)[0], abs=1e-6)
    assert line.get_y() == pytest.approx(axes.c2p(0, 2.0)[1])
    label = drawn.mean_label(Text("mean"), line)
    assert label.get_bottom()[1] == pytest.approx(line.get_y(), abs=1e-6)
    assert label.get_right()[0] == pytest.approx(line.get_right()[0], abs=1e-6)


def test_the_row_above_the_plot_is_above_the_y_axis_name():
    drawn = board("16:9")
    with pytest.raises(ValueError, match="name_y_axis"):
        drawn.above_plot(Text("step"))
    name = drawn.name_y_axis(Text("p"))
    counter = drawn.above_plot(Text("step"))
    assert counter.get_bottom()[1] > name.get_top()[1]
    assert counter.get_right()[0] == pytest.approx(drawn.plot.axes.get_right()[0])
