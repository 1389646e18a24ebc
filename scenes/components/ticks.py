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
