"""Axis ranges and tick steps chosen from the data."""

from __future__ import annotations

import math

import numpy as np


def nice_step(span: float, target_ticks: int = 8) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about ``target_ticks`` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return multiple * power
    return 10 * power  # pragma: no cover


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


def format_tick(value: float, step: float) -> str:
    """A tick label with just the digits the step needs: 2, 0.5, 1000002, 1.5e-06."""
    if abs(value) < step * 1e-9:
        return "0"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{value:.{decimals}f}"
    if len(text) > 7 and decimals > 0:  # tiny numbers: scientific, as many digits as needed
        digits = math.floor(math.log10(abs(value))) - math.floor(math.log10(step) + 1e-9) + 1
        text = f"{value:.{max(1, digits)}g}"
    return text


def axis_ticks(
    values: np.ndarray, length: float, char_width: float, gap: float = 0.35
) -> tuple[tuple[float, float, float], dict[float, str]]:
    """An axis range over ``values`` and its tick labels, with as many ticks as fit.

    ``char_width`` is the width of one label character in scene units; labels never
    come closer than ``gap``.
    """
    for target in (8, 6, 5, 4, 3, 2):
        low, high, step = nice_range(values, target)
        ticks = np.arange(low, high + step / 2, step)
        labels = {float(t): format_tick(float(t), step) for t in ticks}
        widest = max(len(label) for label in labels.values()) * char_width
        if widest + gap <= length * step / (high - low):
            break
    return (low, high, step), labels
