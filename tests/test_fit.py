"""fit_logistic, sigmoid and log_sigmoid against scikit-learn, scipy and hand-checked numbers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import ARTICLE_X, ARTICLE_Y, random_dataset, reference_fit, sklearn_fit
from scipy.special import expit
from sklearn.metrics import log_loss

from bce_core import (
    ARTICLE_DATA,
    Dataset,
    FitError,
    LogisticFit,
    binary_cross_entropy,
    build_lesson,
    fit_logistic,
    log_sigmoid,
    sigmoid,
)

# --------------------------------------------------------------------------- the article


def test_article_data_is_the_articles_ten_points():
    np.testing.assert_array_equal(ARTICLE_DATA.x, ARTICLE_X)
    np.testing.assert_array_equal(ARTICLE_DATA.y, ARTICLE_Y)


def test_article_fit_with_default_penalty():
    fit = fit_logistic(ARTICLE_X, ARTICLE_Y, C=1.0)
    assert fit.weight == pytest.approx(0.97193, abs=1e-5)
    assert fit.intercept == pytest.approx(0.65554, abs=1e-5)
    # scikit-learn's default tol=1e-4 stops lbfgs early, at 0.97164 / 0.65550; with
    # tol=1e-12 it reaches the optimum the core computes.
    model = sklearn_fit(ARTICLE_X, ARTICLE_Y, C=1.0)
    assert fit.weight == pytest.approx(model.coef_[0, 0], abs=1e-6)
    assert fit.intercept == pytest.approx(model.intercept_[0], abs=1e-6)


def test_article_probabilities_and_loss():
    fit = fit_logistic(ARTICLE_X, ARTICLE_Y, C=1.0)
    p = fit.predict_proba(ARTICLE_X)
    np.testing.assert_array_equal(
        np.round(p, 2), [0.19, 0.33, 0.47, 0.70, 0.74, 0.81, 0.86, 0.94, 0.97, 0.99]
    )
    true_class = np.where(ARTICLE_Y == 1, p, 1 - p)
    np.testing.assert_array_equal(
        np.round(true_class, 3),
        [0.815, 0.669, 0.470, 0.299, 0.740, 0.807, 0.861, 0.942, 0.970, 0.994],
    )
    assert round(binary_cross_entropy(ARTICLE_Y, p), 4) == 0.3329


def test_article_fit_without_penalty():
    fit = fit_logistic(ARTICLE_X, ARTICLE_Y, C=None)
    assert round(fit.weight, 4) == 1.6424
    assert round(fit.intercept, 4) == 0.8028
    assert round(binary_cross_entropy(ARTICLE_Y, fit.predict_proba(ARTICLE_X)), 4) == 0.3052
    # C=np.inf is "no penalty" in scikit-learn 1.9 (penalty=None is deprecated).
    model = sklearn_fit(ARTICLE_X, ARTICLE_Y, C=np.inf)
    assert fit.weight == pytest.approx(model.coef_[0, 0], abs=1e-6)
    assert fit.intercept == pytest.approx(model.intercept_[0], abs=1e-6)


# --------------------------------------------------------------------------- random data

SIZES = [5, 40, 300, 1000]
CS = [0.01, 0.1, 1.0, 10.0, 100.0]
#: (scale, offset) of x: unit, wide, narrow, and two offset by 1e3.
GEOMETRIES = [(1.0, 0.0), (100.0, 0.0), (0.01, 0.0), (1.0, 1e3), (10.0, 1e3)]
CASES = [
    pytest.param(seed, n, C, scale, offset, id=f"n{n}-C{C:g}-scale{scale:g}-offset{offset:g}")
    for seed, (n, C, (scale, offset)) in enumerate(itertools.product(SIZES, CS, GEOMETRIES))
]


@pytest.mark.parametrize(("seed", "n", "C", "scale", "offset"), CASES)
def test_random_data_matches_sklearn(seed, n, C, scale, offset):
    x, y = random_dataset(seed, n, scale, offset)
    # lbfgs works on the raw, uncentred feature; with x near 1e3 its Hessian is badly
    # conditioned and it stops up to 0.07 away in probability even at tol=1e-12.
    # newton-cholesky solves that case to machine precision.
    solver = "newton-cholesky" if offset else "lbfgs"
    sk_probs = sklearn_fit(x, y, C, solver=solver).predict_proba(x[:, None])[:, 1]

    fit = fit_logistic(x, y, C=C)
    np.testing.assert_allclose(fit.predict_proba(x), sk_probs, rtol=0, atol=1e-5)

    expected_loss = log_loss(y, sk_probs, labels=[0, 1])
    assert binary_cross_entropy(y, sk_probs) == pytest.approx(expected_loss, rel=0, abs=1e-6)
    assert build_lesson(Dataset(x, y), C).loss == pytest.approx(expected_loss, rel=0, abs=1e-6)


@pytest.mark.parametrize(("seed", "n", "C", "scale", "offset"), CASES)
def test_random_data_newton_iterates(seed, n, C, scale, offset):
    x, y = random_dataset(seed, n, scale, offset)
    fit = fit_logistic(x, y, C=C)
    assert all(isinstance(step.objective, float) for step in fit.iterates)
    objectives = np.array([step.objective for step in fit.iterates])
    # Step 0 is the start w = b = 0, where every p is 1/2: C * n * log 2.
    assert (fit.iterates[0].weight, fit.iterates[0].intercept) == (0.0, 0.0)
    assert objectives[0] == pytest.approx(C * n * np.log(2), rel=1e-12)
    assert np.all(np.diff(objectives) <= 0), objectives
    last = fit.iterates[-1]
    assert (last.weight, last.intercept) == (fit.weight, fit.intercept)
    # The recorded objective is scikit-learn's, evaluated independently here.
    t = fit.weight * x + fit.intercept
    explicit = C * np.sum(np.logaddexp(0, -(2 * y - 1) * t)) + fit.weight**2 / 2
    assert last.objective == pytest.approx(explicit, rel=1e-12)
    assert fit.n_iterations == len(fit.iterates) - 1
    assert fit.n_iterations < 30, f"{fit.n_iterations} Newton iterations"


def test_newton_stops_once_the_objective_stops_improving():
    # A dataset on which the objective reaches its floating-point minimum at iteration 5,
    # after which Newton keeps taking roundoff-sized steps (the objective unchanged).
    x, y = random_dataset(1210, 400, 8.0)
    fit = fit_logistic(x, y, C=1.0)
    objectives = [step.objective for step in fit.iterates]
    last_decrease = max(i for i in range(1, len(objectives)) if objectives[i] < objectives[i - 1])
    assert fit.n_iterations < 30, (
        f"{fit.n_iterations} Newton iterations; the objective last decreased at "
        f"iteration {last_decrease}"
    )


def test_fit_is_a_stationary_point_of_sklearns_objective():
    """Optimality conditions, checked without any optimiser: intercept unpenalised."""
    x, y = random_dataset(1234, 200, 3.0, 5.0)
    for C in CS:
        fit = fit_logistic(x, y, C=C)
        residual = expit(fit.weight * x + fit.intercept) - y
        # Zero gradient, to a tolerance far below what a wrong objective would leave
        # (penalising the intercept, say, leaves sum(p - y) = -b / C).
        assert abs(residual.sum()) < 1e-8 * len(x)
        assert abs(C * residual @ x + fit.weight) < 1e-8 * C * len(x) * np.max(np.abs(x))


def test_constant_x_predicts_the_share_of_positives():
    x = np.full(8, 3.5)
    y = np.array([0, 1, 1, 0, 1, 1, 1, 0])
    for C in (None, 1.0):
        fit = fit_logistic(x, y, C=C)
        assert fit.weight == pytest.approx(0.0, abs=1e-12)
        np.testing.assert_allclose(fit.predict_proba(x), 5 / 8, rtol=1e-9)


def test_fit_returns_a_logistic_fit_whose_probabilities_are_the_sigmoid():
    fit = fit_logistic(ARTICLE_X, ARTICLE_Y)
    assert isinstance(fit, LogisticFit)
    assert fit.C == 1.0
    grid = np.linspace(-10, 10, 41)
    np.testing.assert_allclose(
        fit.predict_proba(grid), expit(fit.weight * grid + fit.intercept), rtol=1e-14
    )


@pytest.mark.parametrize(
    ("x", "y", "C"),
    [
        ([0.0, 1.0], [0, 1, 1], 1.0),  # length mismatch
        ([], [], 1.0),
        ([[0.0, 1.0]], [[0, 1]], 1.0),
        ([0.0, np.nan, 1.0], [0, 1, 1], 1.0),
        ([0.0, np.inf, 1.0], [0, 1, 1], 1.0),
        ([0.0, 1.0, 2.0], [0, 2, 1], 1.0),
        ([0.0, 1.0, 2.0], [0, 0.5, 1], 1.0),
        ([0.0, 1.0, 2.0], [0, 1, 0], 0.0),
        ([0.0, 1.0, 2.0], [0, 1, 0], -1.0),
        ([0.0, 1.0, 2.0], [0, 1, 0], np.inf),
        ([0.0, 1.0, 2.0], [0, 1, 0], np.nan),
    ],
)
def test_fit_rejects_bad_arguments(x, y, C):
    with pytest.raises(ValueError):
        fit_logistic(np.array(x), np.array(y), C=C)


# --------------------------------------------------------------------------- separation


@pytest.mark.parametrize(
    ("x", "y"),
    [
        pytest.param([-3, -2, -1, 1, 2, 3], [0, 0, 0, 1, 1, 1], id="complete"),
        pytest.param([-3, -2, -1, 1, 2, 3], [1, 1, 1, 0, 0, 0], id="complete-reversed"),
        pytest.param([5, 1, 4, 2], [1, 0, 1, 0], id="unsorted"),
        pytest.param([-2, -1, 0, 0, 1, 2], [0, 0, 0, 1, 1, 1], id="quasi-tie"),
        pytest.param([-2, -1, 0, 0, 0, 2], [0, 0, 1, 0, 1, 1], id="quasi-tie-mixed"),
        pytest.param([0, 0, 0, 1], [1, 0, 0, 1], id="quasi-at-one-end"),
    ],
)
def test_separated_data_without_penalty_raises(x, y):
    x, y = np.array(x, dtype=float), np.array(y)
    with pytest.raises(FitError) as raised:
        fit_logistic(x, y, C=None)
    message = str(raised.value)
    assert "separat" in message
    assert "infinite" in message
    assert isinstance(raised.value, ValueError)
    with pytest.raises(FitError):
        build_lesson(Dataset(x, y), C=None)


def test_separated_data_with_penalty_gives_a_finite_steep_sigmoid():
    x = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    fit = fit_logistic(x, y, C=1.0)
    assert np.isfinite(fit.weight) and np.isfinite(fit.intercept)
    model = sklearn_fit(x, y, 1.0)
    assert fit.weight == pytest.approx(model.coef_[0, 0], abs=1e-6)
    assert fit.intercept == pytest.approx(model.intercept_[0], abs=1e-6)
    p = fit.predict_proba(x)
    assert np.all((p > 0.5) == (y == 1))
    # Steeper than the article's overlapping data, and steeper still with a weaker penalty.
    assert fit.weight > fit_logistic(ARTICLE_X, ARTICLE_Y, C=1.0).weight
    assert fit_logistic(x, y, C=100.0).weight > fit.weight


@pytest.mark.parametrize(
    ("x", "y"),
    [
        pytest.param([-2, -1, 0, 1, 2], [0, 1, 0, 1, 1], id="interleaved"),
        pytest.param([0, 0, 1, 1], [0, 1, 0, 1], id="ties-both-classes-at-both-ends"),
        pytest.param([1, 1, 1], [0, 1, 1], id="constant-x"),
    ],
)
def test_overlapping_data_without_penalty_fits(x, y):
    x, y = np.array(x, dtype=float), np.array(y)
    fit = fit_logistic(x, y, C=None)
    assert np.isfinite(fit.weight) and np.isfinite(fit.intercept)
    p = fit.predict_proba(x)
    assert abs(np.sum(p - y)) < 1e-8 * len(x)  # the maximum-likelihood intercept equation


# --------------------------------------------------------------------------- stability


def test_sigmoid_and_log_sigmoid_at_large_arguments():
    # filterwarnings = error::RuntimeWarning turns any overflow warning into a failure.
    t = np.linspace(-1e4, 1e4, 20001)
    s = sigmoid(t)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(np.diff(s) >= 0)
    assert sigmoid(1e4) == 1.0
    assert sigmoid(-1e4) == 0.0
    assert log_sigmoid(-1e4) == pytest.approx(-1e4, rel=1e-12)
    assert log_sigmoid(1e4) == 0.0
    # (atol: below 1e-300 the core returns subnormals where expit flushes to 0.)
    np.testing.assert_allclose(s, expit(t), rtol=1e-15, atol=1e-300)
    # log sigmoid t = -log(1 + e^-t), checked against log1p where that is exact enough.
    moderate = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(
        log_sigmoid(moderate), -np.log1p(np.exp(-moderate)), rtol=1e-14, atol=1e-300
    )
    assert np.all(np.isfinite(log_sigmoid(t)))


def test_sigmoid_symmetry():
    t = np.linspace(-50, 50, 1001)
    np.testing.assert_allclose(sigmoid(t) + sigmoid(-t), 1.0, rtol=1e-15)


def test_fit_with_logits_up_to_1e4_raises_no_warning():
    far = np.linspace(3.6e4, 10.0, 30)
    x = np.concatenate([-far, [-1.0, 1.0], far[::-1]])
    y = np.concatenate([np.zeros(30), [1, 0], np.ones(30)]).astype(int)
    for C in (None, 1.0, 100.0):
        fit = fit_logistic(x, y, C=C)
        logits = fit.decision_function(x)
        assert 5e3 < np.max(np.abs(logits)) < 2e4
        lesson = build_lesson(Dataset(x, y), C=C)
        assert np.all(np.isfinite(lesson.point_losses))
        model = sklearn_fit(x, y, np.inf if C is None else C, solver="newton-cholesky")
        np.testing.assert_allclose(
            fit.predict_proba(x), model.predict_proba(x[:, None])[:, 1], atol=1e-5
        )


@pytest.mark.parametrize("C", [0.1, 1.0, 100.0, None])
@pytest.mark.parametrize("noise", [1.0, 1e-2])
def test_x_near_1e6(C, noise):
    # scikit-learn fits the raw feature and is 0.3 to 0.6 off in probability here
    # (any solver), so the reference is an independent scipy minimisation of the
    # same objective in a shifted parametrisation (conftest.reference_fit).
    rng = np.random.default_rng(7)
    z = rng.normal(size=300)
    y = (rng.random(300) < expit(1.5 * z)).astype(int)
    x = 1e6 + noise * z
    fit = fit_logistic(x, y, C=C)
    w, b = reference_fit(x, y, C)
    np.testing.assert_allclose(fit.predict_proba(x), expit(w * x + b), rtol=0, atol=1e-5)
    assert np.all(np.isfinite(fit.predict_proba(x)))


@pytest.mark.parametrize("C", [1.0, 1e6, 1e12])
def test_x_near_1e_minus_6(C):
    rng = np.random.default_rng(11)
    z = rng.normal(size=300)
    y = (rng.random(300) < expit(2.0 * z - 0.3)).astype(int)
    x = 1e-6 * z
    fit = fit_logistic(x, y, C=C)
    sk_probs = sklearn_fit(x, y, C).predict_proba(x[:, None])[:, 1]
    np.testing.assert_allclose(fit.predict_proba(x), sk_probs, rtol=0, atol=1e-5)
    if C == 1e12:  # weak penalty: a real slope of about 2e6, not a constant
        assert np.ptp(fit.predict_proba(x)) > 0.5
