"""Logistic regression with one feature, fitted exactly as scikit-learn fits it.

scikit-learn's ``LogisticRegression(C=C)`` minimises

    C * sum_i logloss(y_i, sigmoid(w x_i + b)) + w**2 / 2

(L2 penalty on the weight only, intercept not penalised). With two parameters,
Newton's method reaches the optimum to machine precision in a handful of steps, and
each step is a picture the film can show, so the iterates are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

#: Newton stops when a step moves the parameters by less than this (relative).
STEP_TOLERANCE = 1e-14
MAX_ITERATIONS = 100


class FitError(ValueError):
    """The requested fit has no finite solution."""


def sigmoid(t: np.ndarray | float) -> np.ndarray:
    """1 / (1 + exp(-t)) without overflow for any finite t."""
    t = np.asarray(t, dtype=np.float64)
    e = np.exp(-np.abs(t))  # in (0, 1]: never overflows
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_sigmoid(t: np.ndarray | float) -> np.ndarray:
    """log(sigmoid(t)) = -log(1 + exp(-t)), exact for large |t| (-t for t << 0)."""
    return -np.logaddexp(0.0, -np.asarray(t, dtype=np.float64))


def logit_losses(y: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """Per-point log loss -log p(true class) from the logits, with no clipping.

    For y = 1 that is -log sigmoid(t); for y = 0 it is -log(1 - sigmoid(t)) =
    -log sigmoid(-t). Both are log(1 + exp(-s t)) with s = +1 or -1.
    """
    signs = 2.0 * np.asarray(y, dtype=np.float64) - 1.0
    return np.logaddexp(0.0, -signs * logits)


@dataclass(frozen=True)
class NewtonStep:
    """The parameters and the objective after a Newton iteration (step 0 is the start)."""

    weight: float
    intercept: float
    objective: float


@dataclass(frozen=True)
class LogisticFit:
    """A fitted one-feature logistic regression: p(y = 1 | x) = sigmoid(weight x + intercept)."""

    weight: float
    intercept: float
    C: float | None
    iterates: tuple[NewtonStep, ...]

    def decision_function(self, x: np.ndarray | float) -> np.ndarray:
        return self.weight * np.asarray(x, dtype=np.float64) + self.intercept

    def predict_proba(self, x: np.ndarray | float) -> np.ndarray:
        """Probability of the positive class (y = 1) at each x."""
        return sigmoid(self.decision_function(x))

    @property
    def n_iterations(self) -> int:
        return len(self.iterates) - 1


def fit_logistic(x: np.ndarray, y: np.ndarray, C: float | None = 1.0) -> LogisticFit:
    """Fit p(y=1|x) = sigmoid(w x + b) as ``sklearn.linear_model.LogisticRegression(C=C)``.

    ``C=None`` fits without a penalty (maximum likelihood); that has no finite solution
    when the classes are separated by a threshold on x, and :class:`FitError` says so.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or len(x) == 0:
        raise ValueError(
            f"x and y must be 1-D of equal, non-zero length, got {x.shape} and {y.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x must be finite")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold only 0 and 1")
    if C is not None and not (np.isfinite(C) and C > 0):
        raise ValueError(f"C must be a positive finite number or None, got {C!r}")
    if C is None:
        _require_overlap(x, y)

    problem = newton_problem(x, y, C)
    u, v = 0.0, 0.0
    current = problem.objective(u, v)
    iterates = [NewtonStep(*problem.to_original(u, v), current * (C or 1.0))]
    for _ in range(MAX_ITERATIONS):
        moved = problem.step(u, v, current)
        if moved is None:
            break  # no step improves the objective in floating point: we are there
        u, v, current = moved.u, moved.v, moved.objective
        iterates.append(NewtonStep(*problem.to_original(u, v), current * (C or 1.0)))
        if moved.size <= STEP_TOLERANCE * (1.0 + max(abs(u), abs(v))):
            break
    else:  # pragma: no cover - Newton on a strictly convex 2-D problem does not get here
        raise FitError(f"Newton did not converge in {MAX_ITERATIONS} iterations")
    weight, intercept = problem.to_original(u, v)
    return LogisticFit(weight=weight, intercept=intercept, C=C, iterates=tuple(iterates))


class NewtonMove(NamedTuple):
    """Where one Newton step lands, in standardised coordinates."""

    u: float
    v: float
    objective: float
    size: float  # the largest change of u or v: the fit stops when it is tiny


@dataclass(frozen=True)
class NewtonProblem:
    """The fit's objective in standardised coordinates, and one step of Newton's method on it.

    Newton runs on a standardised feature z = (x - centre) / scale so that the 2x2 system
    stays well conditioned whether x lives near 1e-6 or 1e6. The objective is the same
    function of (w, b); only the coordinates change: t = w x + b = u z + v with
    w = u / scale and b = v - u centre / scale. It is divided by C (which leaves the
    optimum where it is and keeps it O(n)): sum_i logloss_i + penalty u^2 / 2 with
    penalty = 1 / (C scale^2), 0 without a penalty.
    """

    centre: float
    scale: float
    z: np.ndarray
    y: np.ndarray
    penalty: float

    def objective(self, u: float, v: float) -> float:
        signs = 2.0 * self.y - 1.0
        losses = np.logaddexp(0.0, -signs * (u * self.z + v))
        return float(np.sum(losses) + 0.5 * self.penalty * u * u)

    def to_original(self, u: float, v: float) -> tuple[float, float]:
        """(w, b) of the standardised (u, v)."""
        intercept = v - u * self.centre / self.scale
        if not np.isfinite(intercept):  # u * centre overflowed (x near 1e308)
            intercept = v - u * (self.centre / self.scale)
        return u / self.scale, intercept

    def from_original(self, weight: float, intercept: float) -> tuple[float, float]:
        """(u, v) of (w, b): u = w scale, v = b + w centre."""
        return weight * self.scale, intercept + weight * self.centre

    def step(self, u: float, v: float, current: float) -> NewtonMove | None:
        """One Newton iteration from (u, v), whose objective is ``current``; None where no
        step improves it in floating point (the optimum)."""
        z, y, penalty = self.z, self.y, self.penalty
        p = sigmoid(u * z + v)
        residual = p - y
        curvature = p * (1.0 - p)
        gradient = np.array([residual @ z + penalty * u, residual.sum()])
        hessian = np.array(
            [
                [curvature @ (z * z) + penalty, curvature @ z],
                [curvature @ z, curvature.sum()],
            ]
        )
        # lstsq: when x takes a single value without a penalty, the Hessian is singular
        # and the minimum-norm step still leads to an optimum.
        step = np.linalg.lstsq(hessian, -gradient, rcond=None)[0]
        # Backtracking keeps every iterate an improvement; a full step is taken near
        # the optimum, where Newton converges quadratically.
        rate = 1.0
        candidate = self.objective(u + step[0], v + step[1])
        while candidate > current and rate > 1e-10:
            rate *= 0.5
            candidate = self.objective(u + rate * step[0], v + rate * step[1])
        if candidate >= current:
            return None
        size = float(np.max(np.abs(rate * step)))
        return NewtonMove(u + rate * step[0], v + rate * step[1], candidate, size)


def newton_problem(x: np.ndarray, y: np.ndarray, C: float | None) -> NewtonProblem:
    """The problem :func:`fit_logistic` solves for (x, y) and C (None: no penalty); x and y
    as it checks them."""
    x = np.asarray(x, dtype=np.float64)
    centre, scale, z = _standardise(x)
    # (w^2 / 2) / C in u; nil (0) when the scale squared overflows float64.
    scale_squared = scale**2 if scale < 1e150 else np.inf
    penalty = 0.0 if C is None else 1.0 / (C * scale_squared)
    return NewtonProblem(centre, scale, z, np.asarray(y, dtype=np.float64), penalty)


def _standardise(x: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(centre, scale, z): the mean and standard deviation of x, and z = (x - centre) / scale.

    Any finite x: beyond about 1e154, x squared overflows float64, and x = -1e308 and
    1e308 lie further apart than any float64. There everything is computed on x divided
    by a power of two above its largest magnitude (exact), in (-1, 1), and scaled back.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        centre, scale = float(np.mean(x)), float(np.std(x))
    if np.isfinite(centre) and np.isfinite(scale):
        scale = scale or 1.0
        return centre, scale, (x - centre) / scale
    exponent = int(np.frexp(np.max(np.abs(x)))[1])  # every |x| < 2**exponent
    small = np.ldexp(x, -exponent)  # in (-1, 1), exactly
    small_centre, small_scale = float(np.mean(small)), float(np.std(small)) or 1.0
    z = (small - small_centre) / small_scale
    # Both below 1 before scaling back: finite.
    return float(np.ldexp(small_centre, exponent)), float(np.ldexp(small_scale, exponent)), z


def _require_overlap(x: np.ndarray, y: np.ndarray) -> None:
    """Without a penalty the likelihood has no maximum if a threshold separates the classes.

    Complete or quasi-complete separation (Albert and Anderson, 1984): some t has every
    negative x <= t <= every positive x (or the reverse) with at least one point off t.
    Then the likelihood keeps growing as |w| grows, and the maximum-likelihood weight is
    infinite.
    """
    positives, negatives = x[y == 1], x[y == 0]
    if len(positives) == 0 or len(negatives) == 0 or x.min() == x.max():
        return
    if negatives.max() <= positives.min():
        gap = f"every negative x <= {negatives.max():g} <= every positive x ({positives.min():g})"
    elif positives.max() <= negatives.min():
        gap = f"every positive x <= {positives.max():g} <= every negative x ({negatives.min():g})"
    else:
        return
    raise FitError(
        f"the classes are perfectly separated by x ({gap}): without a penalty the "
        "maximum-likelihood weight is infinite. Use a penalty (a finite C) instead."
    )
