"""Log loss, and the information theory behind it: entropy, cross-entropy, KL divergence."""

from __future__ import annotations

import numpy as np

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before taking logs, as
#: ``sklearn.metrics.log_loss`` does (machine epsilon of float64, about 2.2e-16). A
#: prediction of exactly 0 for the true class therefore costs -log(EPSILON) = 36.04
#: nats instead of infinity.
EPSILON = float(np.finfo(np.float64).eps)

#: How far from 1 a distribution's sum may be (floating-point sums of many terms).
SUM_TOLERANCE = 1e-9


def _labels_and_probabilities(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    if y.ndim != 1 or y.shape != p.shape or len(y) == 0:
        raise ValueError(
            f"y and p must be 1-D of equal, non-zero length, got {y.shape} and {p.shape}"
        )
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold only 0 and 1")
    if not np.all((p >= 0) & (p <= 1)):  # also rejects NaN
        raise ValueError("p must hold probabilities in [0, 1]")
    return y, p


def true_class_probabilities(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """p(true class): p where y = 1, 1 - p where y = 0."""
    y, p = _labels_and_probabilities(y, p)
    return np.where(y == 1, p, 1.0 - p)


def point_losses(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Each point's log loss -log p(true class), in nats, p clipped to [EPSILON, 1 - EPSILON]."""
    y, p = _labels_and_probabilities(y, p)
    clipped = np.clip(p, EPSILON, 1.0 - EPSILON)
    # log1p(-p) keeps 1 - p exact for p near 0, where the y = 0 term needs it.
    return -np.where(y == 1, np.log(clipped), np.log1p(-clipped))


def binary_cross_entropy(y: np.ndarray, p: np.ndarray) -> float:
    """Mean log loss -1/N sum [y log p + (1 - y) log(1 - p)], in nats.

    ``p`` is the predicted probability of y = 1; it is clipped to [EPSILON, 1 - EPSILON]
    as in ``sklearn.metrics.log_loss``, so the result is finite at p = 0 and p = 1.
    """
    return float(np.mean(point_losses(y, p)))


# --------------------------------------------------------------------------- distributions


def _distribution(values: np.ndarray, name: str) -> np.ndarray:
    q = np.asarray(values, dtype=np.float64)
    if q.ndim != 1 or len(q) == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D array of probabilities, got shape {q.shape}"
        )
    if not np.all(np.isfinite(q)):
        raise ValueError(f"{name} has a non-finite entry: {q.tolist()}")
    if np.any(q < 0):
        raise ValueError(f"{name} has a negative entry: {q.tolist()}")
    if abs(q.sum() - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{name} sums to {q.sum()!r}, expected 1: {q.tolist()}")
    return q


def _log(values: np.ndarray, base: float | None) -> np.ndarray:
    with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer here
        logs = np.log(values)
    return logs if base is None else logs / np.log(base)


def _check_base(base: float | None) -> None:
    if base is not None and not (base > 0 and base != 1):
        raise ValueError(f"base must be positive and not 1, got {base!r}")


def entropy(q: np.ndarray, base: float | None = None) -> float:
    """H(q) = -sum q log q (0 log 0 = 0); nats by default, ``base=2`` for bits."""
    _check_base(base)
    q = _distribution(q, "q")
    support = q > 0
    # + 0.0 turns the -0.0 of a certain outcome into 0.0 (it would print as "-0.0000").
    return float(-np.sum(q[support] * _log(q[support], base))) + 0.0


def cross_entropy(q: np.ndarray, p: np.ndarray, base: float | None = None) -> float:
    """H_p(q) = -sum q log p: the average surprise of q's outcomes under p.

    Infinite when p gives probability 0 to an outcome q can produce.
    """
    _check_base(base)
    q, p = _distribution(q, "q"), _distribution(p, "p")
    if q.shape != p.shape:
        raise ValueError(f"q and p must have the same length, got {len(q)} and {len(p)}")
    support = q > 0
    return float(-np.sum(q[support] * _log(p[support], base))) + 0.0


def kl_divergence(q: np.ndarray, p: np.ndarray, base: float | None = None) -> float:
    """D_KL(q || p) = sum q (log q - log p) = H_p(q) - H(q) >= 0.

    Rounding can push a sum of exactly-cancelling terms a few ulps below 0; the result
    is clamped at 0 because the divergence cannot be negative.
    """
    _check_base(base)
    q, p = _distribution(q, "q"), _distribution(p, "p")
    if q.shape != p.shape:
        raise ValueError(f"q and p must have the same length, got {len(q)} and {len(p)}")
    support = q > 0
    terms = q[support] * (_log(q[support], base) - _log(p[support], base))
    return float(max(0.0, np.sum(terms)))
