"""x at the ends of float64: the core fits it and the film draws it.

x at +-1e300 squares past float64 (the fit's standardisation used to overflow and give a
flat curve), and x = -1e308 and 1e308 lie further apart than any float64 (the axes'
ends, their span and their tick labels used to overflow). Every finite x the core
accepts must give the right numbers and a film whose every chapter ends inside the
frame, with tick labels a viewer can read.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import run_cli
from film_helpers import run_probe
from test_option_matrix import inputs_for

from bce_core import Dataset, build_lesson, load_dataset
from scenes.chapters import ORDER

#: Ordinary points among the extreme ones, with both classes on either side of 0.
MIDDLE_X = [-1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
MIDDLE_Y = [0, 1, 0, 1, 1, 0]
NUMBER = re.compile(r"-?\d+(\.\d+)?(e[+-]\d+)?")
#: A number on screen longer than this is unreadable (tick labels used to be 301 digits);
#: "-1.798e+308", a value written above its dot, is 11.
MAX_NUMBER_TEXT = 11


def test_the_fit_at_1e300_is_the_fit_of_x_over_1e300():
    """The penalty on w for x ~ 1e300 is nil (w ~ 1e-300), so the fit is the unpenalised
    fit of the same points in units of 1e300, with the weight divided by 1e300."""
    unit = 1e300
    x = np.array([-1.0, -0.6, -0.2, 0.1, 0.3, 0.7, 1.0])
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    big = build_lesson(Dataset(x * unit, y))
    small = build_lesson(Dataset(x, y), C=None)
    assert big.weight * unit == pytest.approx(small.weight, rel=1e-9)
    assert big.intercept == pytest.approx(small.intercept, rel=1e-9)
    assert big.loss == pytest.approx(small.loss, rel=1e-9)
    assert big.loss < big.baseline_loss  # x is used: the curve is not flat


def test_the_command_line_fits_x_at_plus_minus_1e308(tmp_path):
    path = tmp_path / "far.csv"
    rows = [(-1e308, 0), *zip(MIDDLE_X, MIDDLE_Y, strict=True), (1e308, 1)]
    path.write_text("x,y\n" + "".join(f"{x!r},{y}\n" for x, y in rows), encoding="utf-8")
    result = run_cli("--data", str(path), "--json")
    assert result.returncode == 0, result.stderr
    lesson = build_lesson(load_dataset(path))
    assert np.isfinite(lesson.weight) and np.isfinite(lesson.intercept)
    assert np.all(np.isfinite(lesson.point_losses))
    # The two far points are on their class's side: their losses are all but 0.
    assert lesson.point_losses[0] < 1e-6 and lesson.point_losses[-1] < 1e-6


def extreme_csv(tmp_path, far: float):
    path = tmp_path / f"far-{far:g}.csv"
    rows = [(-far, 0), *zip(MIDDLE_X, MIDDLE_Y, strict=True), (far, 1)]
    path.write_text("x,y\n" + "".join(f"{x!r},{y}\n" for x, y in rows), encoding="utf-8")
    return load_dataset(path)


@pytest.mark.parametrize("far", [1e300, 1e308, 1.7976931348623157e308])
def test_the_film_draws_x_at_the_ends_of_float64(far, tmp_path):
    probe = run_probe(inputs_for(extreme_csv(tmp_path, far)))
    assert probe.order == list(ORDER)
    offenders = {name: end.outside_frame for name, end in probe.ends.items() if end.outside_frame}
    assert offenders == {}
    # The feature line's numbers (ticks, values above the dots) are short.
    feature = probe.ends["feature"].made_text
    numbers = [text for text in feature if NUMBER.fullmatch(text)]
    assert "0" in numbers and any("e+30" in text for text in numbers), feature
    assert max(len(text) for text in numbers) <= MAX_NUMBER_TEXT, numbers
