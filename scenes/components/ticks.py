"""Axis ranges and tick steps chosen from the data."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

#: Up to this magnitude an axis counts in x itself. Beyond it, in units of a power of ten:
#: Manim squares an axis' ends as it builds it (overflowing float64 past 1.3e154), and the
#: ends (on ticks, past the data) and their distance must stay finite for any finite x.
LARGEST_PLAIN_X = 1e100
#: A whole-number tick label longer than this is written in scientific notation.
LONGEST_WHOLE_LABEL = 9


def nice_step(span: float, target_ticks: int = 8) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about ``target_ticks`` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / target_ticks
    power = 10.0 ** math.floor(math.log10(raw))  # a float: an int would be exact and huge
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return multiple * power
    return 10.0 * power  # pragma: no cover


def nice_range(values: np.ndarray, target_ticks: int = 8) -> tuple[float, float, float]:
    """(low, high, step) covering ``values`` with at least a small margin, on tick marks."""
    low, high = float(np.min(values)), float(np.max(values))
    span = high - low
    if span == 0:
        span = abs(low) or 1.0
    margin = 0.05 * span
    step = nice_step(span + 2 * margin, target_ticks)
    return (
        math.floor((low - margin) / step) * step,
        math.ceil((high + margin) / step) * step,
        step,
    )


def format_tick(value: float, step: float, unit: float = 1.0) -> str:
    """A tick label with just the digits the step needs: 2, 0.5, 1000002, 1.5e-06, 2e+300.

    ``value`` and ``step`` are in units of ``unit`` (1, or a power of ten for x near the
    ends of float64); the label is the exact product, which may lie beyond float64.
    """
    if abs(value) < step * 1e-9:
        return "0"
    if unit != 1.0:
        exact = (Decimal(repr(value)) * Decimal(repr(unit))).normalize()  # 1e+308, not 1.0e+308
        digits = exact.adjusted() - (Decimal(repr(step)) * Decimal(repr(unit))).adjusted() + 1
        return f"{exact:.{max(1, digits)}g}"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{value:.{decimals}f}"
    # Tiny numbers, and huge ones: scientific, as many digits as needed.
    if (len(text) > 7 and decimals > 0) or len(text) > LONGEST_WHOLE_LABEL:
        digits = math.floor(math.log10(abs(value))) - math.floor(math.log10(step) + 1e-9) + 1
        text = f"{value:.{max(1, digits)}g}"
    return text


def axis_unit(values: np.ndarray) -> float:
    """1, or for values beyond LARGEST_PLAIN_X the power of ten of the largest."""
    largest = float(np.max(np.abs(values)))
    if largest <= LARGEST_PLAIN_X:
        return 1.0
    return 10.0 ** math.floor(math.log10(largest))


def axis_ticks(
    values: np.ndarray, length: float, char_width: float, gap: float = 0.35
) -> tuple[tuple[float, float, float], dict[float, str], float]:
    """An axis range over ``values``, its tick labels (as many ticks as fit) and its unit.

    The range and the labels' positions are in units of ``unit`` (see ``axis_unit``):
    a value x sits at x / unit on the axis. ``char_width`` is the width of one label
    character in scene units; labels never come closer than ``gap``.
    """
    unit = axis_unit(values)
    scaled = np.asarray(values, dtype=np.float64) / unit
    for target in (8, 6, 5, 4, 3, 2):
        low, high, step = nice_range(scaled, target)
        ticks = np.arange(low, high + step / 2, step)
        labels = {float(t): format_tick(float(t), step, unit) for t in ticks}
        widest = max(len(label) for label in labels.values()) * char_width
        if widest + gap <= length * step / (high - low):
            break
    return (low, high, step), labels, unit
