"""build_lesson: every number of the film, against scipy, scikit-learn and the article."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
import scipy.stats
from conftest import ARTICLE_X, ARTICLE_Y, random_dataset, sklearn_fit
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, log_expit
from sklearn.metrics import log_loss

from bce_core import ARTICLE_DATA, Dataset, FitError, Lesson, build_lesson, stratified_sample

ARRAY_FIELDS = ["logits", "probabilities", "true_class_probabilities", "point_losses", "x", "y"]

#: Random datasets (seed, n, C, scale, offset), and the article at C = 1 and without penalty.
RANDOM_CASES = [
    (101, 10, 1.0, 1.0, 0.0),
    (102, 60, 0.1, 5.0, -3.0),
    (103, 250, 10.0, 0.5, 2.0),
    (104, 1000, 100.0, 20.0, 0.0),
    (105, 7, 0.01, 1.0, 0.0),
]


@pytest.fixture(scope="module")
def article() -> Lesson:
    return build_lesson(ARTICLE_DATA)


def lessons() -> list:
    cases = [
        pytest.param(ARTICLE_DATA, 1.0, id="article"),
        pytest.param(ARTICLE_DATA, None, id="article-no-penalty"),
    ]
    for seed, n, C, scale, offset in RANDOM_CASES:
        x, y = random_dataset(seed, n, scale, offset)
        cases.append(pytest.param(Dataset(x, y), C, id=f"random-n{n}-C{C:g}"))
    return cases


# --------------------------------------------------------------------------- the article


def test_article_numbers(article):
    assert round(article.weight, 5) == 0.97193
    assert round(article.intercept, 5) == 0.65554
    np.testing.assert_array_equal(
        np.round(article.probabilities, 2),
        [0.19, 0.33, 0.47, 0.70, 0.74, 0.81, 0.86, 0.94, 0.97, 0.99],
    )
    np.testing.assert_array_equal(
        np.round(article.true_class_probabilities, 3),
        [0.815, 0.669, 0.470, 0.299, 0.740, 0.807, 0.861, 0.942, 0.970, 0.994],
    )
    assert round(article.loss, 4) == 0.3329
    assert article.class_distribution == pytest.approx((0.3, 0.7), abs=1e-15)
    assert round(article.entropy, 4) == 0.6109
    assert article.baseline_loss == pytest.approx(article.entropy, rel=1e-12)
    assert article.baseline_probability == pytest.approx(0.7)
    assert article.half_half_entropy == pytest.approx(math.log(2), rel=1e-15)
    assert round(article.loss_without_penalty, 4) == 0.3052
    assert (article.n_points, article.n_positive, article.n_negative) == (10, 7, 3)
    np.testing.assert_array_equal(article.x, ARTICLE_X)
    np.testing.assert_array_equal(article.y, ARTICLE_Y)


def test_article_without_penalty():
    lesson = build_lesson(ARTICLE_DATA, C=None)
    assert lesson.C is None
    assert round(lesson.loss, 4) == 0.3052
    assert lesson.loss_without_penalty == pytest.approx(lesson.loss, rel=1e-15)
    assert round(lesson.weight, 4) == 1.6424
    assert round(lesson.intercept, 4) == 0.8028


def test_article_loss_split_over_classes(article):
    # The article's formula: -(1/N) [sum over positives log p + sum over negatives log(1-p)].
    p = article.probabilities
    positives = -np.sum(np.log(p[ARTICLE_Y == 1]))
    negatives = -np.sum(np.log(1 - p[ARTICLE_Y == 0]))
    assert article.positive_loss_sum == pytest.approx(positives, rel=1e-12)
    assert article.negative_loss_sum == pytest.approx(negatives, rel=1e-12)


# --------------------------------------------------------------------------- any dataset


@pytest.mark.parametrize(("dataset", "C"), lessons())
def test_lesson_relations(dataset, C):
    lesson = build_lesson(dataset, C)
    y = np.asarray(dataset.y)
    n = len(y)

    assert lesson.loss == pytest.approx(np.mean(lesson.point_losses), rel=1e-12)
    tcp = lesson.true_class_probabilities
    ordinary = tcp > 1e-12
    np.testing.assert_allclose(
        lesson.point_losses[ordinary], -np.log(tcp[ordinary]), rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        tcp, np.where(y == 1, lesson.probabilities, 1 - lesson.probabilities)
    )
    assert lesson.positive_loss_sum + lesson.negative_loss_sum == pytest.approx(
        n * lesson.loss, rel=1e-12
    )

    share = np.mean(y == 1)
    assert lesson.class_distribution == pytest.approx((1 - share, share), abs=1e-15)
    assert lesson.baseline_probability == pytest.approx(share, abs=1e-15)
    assert lesson.entropy == pytest.approx(scipy.stats.entropy([1 - share, share]), rel=1e-12)
    assert lesson.baseline_loss == pytest.approx(lesson.entropy, rel=1e-12)
    baseline = log_loss(y, np.full(n, share), labels=[0, 1])
    assert lesson.baseline_loss == pytest.approx(baseline, rel=1e-12)
    assert lesson.half_half_entropy == pytest.approx(math.log(2), rel=1e-15)
    assert lesson.entropy <= lesson.half_half_entropy

    mean_p = np.mean(lesson.probabilities)
    assert lesson.model_distribution == pytest.approx((1 - mean_p, mean_p), abs=1e-15)
    q, m = lesson.class_distribution, lesson.model_distribution
    assert lesson.cross_entropy == pytest.approx(scipy.stats.entropy(q) + scipy.stats.entropy(q, m))
    assert lesson.kl_divergence == pytest.approx(scipy.stats.entropy(q, m), abs=1e-12)
    assert lesson.cross_entropy == pytest.approx(lesson.entropy + lesson.kl_divergence, abs=1e-12)
    # The intercept is not penalised, so at the optimum the mean prediction is the share
    # of positives: the model's class distribution is q, and the divergence is ~0.
    assert mean_p == pytest.approx(share, abs=1e-9)
    assert lesson.kl_divergence < 1e-12


@pytest.mark.parametrize(("dataset", "C"), lessons())
def test_lesson_matches_sklearn(dataset, C):
    lesson = build_lesson(dataset, C)
    sk_C = np.inf if C is None else C
    model = sklearn_fit(dataset.x, dataset.y, sk_C, solver="newton-cholesky")
    sk_probs = model.predict_proba(dataset.x[:, None])[:, 1]
    np.testing.assert_allclose(lesson.probabilities, sk_probs, rtol=0, atol=1e-5)
    assert lesson.loss == pytest.approx(log_loss(dataset.y, sk_probs), abs=1e-6)
    np.testing.assert_allclose(
        lesson.logits, model.decision_function(dataset.x[:, None]), atol=1e-4
    )
    # The unpenalised loss is never above the penalised one (it minimises the loss alone).
    free = sklearn_fit(dataset.x, dataset.y, np.inf, solver="newton-cholesky")
    free_loss = log_loss(dataset.y, free.predict_proba(dataset.x[:, None])[:, 1])
    assert lesson.loss_without_penalty == pytest.approx(free_loss, abs=1e-6)
    assert lesson.loss_without_penalty <= lesson.loss + 1e-12


def test_lesson_is_read_only(article):
    for name in ARRAY_FIELDS:
        array = getattr(article, name)
        assert isinstance(array, np.ndarray)
        with pytest.raises(ValueError):
            array[0] = 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.loss = 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.probabilities = np.zeros(10)
    assert isinstance(article.class_distribution, tuple)


# --------------------------------------------------------------------------- separable data


def test_separable_data_has_no_loss_without_penalty():
    dataset = Dataset(np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]), np.array([0, 0, 0, 1, 1, 1]))
    lesson = build_lesson(dataset, C=1.0)
    assert lesson.loss_without_penalty is None
    assert math.isfinite(lesson.loss)
    assert json.loads(json.dumps(lesson.as_dict()))["loss_without_penalty"] is None
    with pytest.raises(FitError):
        build_lesson(dataset, C=None)


def test_extreme_logits_give_finite_exact_losses():
    # Points up to 3.6e4 from the boundary, logits up to about 1e4: p(true class) is 1
    # to double precision, yet every loss is finite, non-negative and accurate.
    far = np.linspace(3.6e4, 10.0, 30)
    x = np.concatenate([-far, [-1.0, 1.0], far[::-1]])
    y = np.concatenate([np.zeros(30), [1, 0], np.ones(30)]).astype(int)
    lesson = build_lesson(Dataset(x, y), C=1.0)
    assert np.max(np.abs(lesson.logits)) > 5e3
    assert np.all(np.isfinite(lesson.point_losses))
    assert np.all(lesson.point_losses >= 0)
    # -log p(true class) = -log sigmoid(s t), s = +1 for positives and -1 for negatives,
    # with scipy's log_expit, which is exact where 1 - p rounds to 0.
    expected = -log_expit((2 * y - 1) * lesson.logits)
    np.testing.assert_allclose(lesson.point_losses, expected, rtol=1e-12, atol=0)


# --------------------------------------------------------------------------- training


def test_article_training_from_log_2_to_the_loss(article):
    """The training chapter's numbers: a flat 50% guess (0.6931), the fit (0.3329), and the
    fit without a penalty beside it (0.3052)."""
    first, last = article.training[0], article.training[-1]
    assert (first.weight, first.intercept) == (0.0, 0.0)
    assert first.loss == math.log(2)  # exactly: every point's loss is log 2
    np.testing.assert_array_equal(first.point_losses, np.full(10, math.log(2)))
    assert round(first.loss, 4) == 0.6931
    assert last.loss == article.loss  # exactly: the last step is the fit
    np.testing.assert_array_equal(last.point_losses, article.point_losses)
    assert round(last.loss, 4) == 0.3329
    assert len(article.training) == article.fit.n_iterations + 1
    free = article.fit_without_penalty
    assert round(free.weight, 4) == 1.6424 and round(free.intercept, 4) == 0.8028
    assert round(article.loss_without_penalty, 4) == 0.3052


@pytest.mark.parametrize(("dataset", "C"), lessons())
def test_training_steps_match_sklearn_log_loss(dataset, C):
    lesson = build_lesson(dataset, C)
    y = np.asarray(dataset.y)
    assert [(s.weight, s.intercept) for s in lesson.training] == [
        (it.weight, it.intercept) for it in lesson.fit.iterates
    ]
    for k, step in enumerate(lesson.training):
        logits = step.weight * dataset.x + step.intercept
        p = expit(logits)
        want = -log_expit((2 * y - 1) * logits)  # -log p(true class), exact at any logit
        np.testing.assert_allclose(step.point_losses, want, rtol=1e-12, atol=0, err_msg=f"{k}")
        assert step.loss == pytest.approx(np.mean(step.point_losses), rel=1e-15)
        if np.all((p > 1e-12) & (p < 1 - 1e-12)):  # log_loss clips at float epsilon
            assert step.loss == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-10)
        with pytest.raises(ValueError):
            step.point_losses[0] = 0.0
    # From the flat start (log 2 at every point, to rounding of the mean) to the fit.
    assert lesson.training[0].loss == pytest.approx(math.log(2), rel=1e-15, abs=0)
    assert lesson.training[-1].loss == lesson.loss
    np.testing.assert_array_equal(lesson.training[-1].point_losses, lesson.point_losses)


@pytest.mark.parametrize(("dataset", "C"), lessons())
def test_fit_without_penalty_matches_sklearn(dataset, C):
    lesson = build_lesson(dataset, C)
    free = lesson.fit_without_penalty
    if C is None:
        assert free is lesson.fit
        assert lesson.loss_without_penalty == lesson.loss
    model = sklearn_fit(dataset.x, dataset.y, np.inf, solver="newton-cholesky")
    assert free.C is None
    assert free.weight == pytest.approx(model.coef_[0, 0], rel=1e-5, abs=1e-6)
    assert free.intercept == pytest.approx(model.intercept_[0], rel=1e-5, abs=1e-6)
    p = free.predict_proba(dataset.x)
    assert lesson.loss_without_penalty == pytest.approx(log_loss(dataset.y, p), rel=1e-12)
    # The penalty only ever shrinks the weight.
    assert abs(lesson.weight) <= abs(free.weight) + 1e-12


def test_separable_data_has_no_fit_without_penalty():
    dataset = Dataset(np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]), np.array([0, 0, 0, 1, 1, 1]))
    lesson = build_lesson(dataset, C=1.0)
    assert lesson.fit_without_penalty is None and lesson.loss_without_penalty is None
    # Training still runs from log 2 down to the penalised fit.
    assert lesson.training[0].loss == pytest.approx(math.log(2), rel=1e-15)
    assert lesson.training[-1].loss == lesson.loss < math.log(2)
    document = json.loads(json.dumps(lesson.as_dict(), allow_nan=False))
    assert document["weight_without_penalty"] is None
    assert document["intercept_without_penalty"] is None


# --------------------------------------------------------------------------- as_dict


@pytest.mark.parametrize(("dataset", "C"), lessons())
def test_as_dict_is_json_serialisable(dataset, C):
    lesson = build_lesson(dataset, C)
    document = lesson.as_dict()
    text = json.dumps(document, allow_nan=False)
    back = json.loads(text)
    assert back["loss"] == lesson.loss
    assert back["weight"] == lesson.weight
    assert back["C"] == C
    assert back["probabilities"] == lesson.probabilities.tolist()
    assert back["class_distribution"] == list(lesson.class_distribution)
    assert back["x"] == dataset.x.tolist()
    assert back["y"] == dataset.y.tolist()
    assert back["n_points"] == len(dataset)
    assert back["newton_iterations"] == lesson.fit.n_iterations
    assert [step["loss"] for step in back["training"]] == [s.loss for s in lesson.training]
    assert back["training"][-1]["point_losses"] == lesson.point_losses.tolist()
    assert back["loss_without_penalty"] == lesson.loss_without_penalty
    if lesson.fit_without_penalty is not None:
        assert back["weight_without_penalty"] == lesson.fit_without_penalty.weight


# --------------------------------------------------------------------------- the drawn sample


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 400),
    k=st.integers(6, 40),
    share=st.floats(0.005, 0.995),
    seed=st.integers(0, 2**16),
)
def test_the_drawn_sample_keeps_both_classes_spans_x_and_includes_the_worst(n, k, share, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < share).astype(int)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    worst = int(rng.integers(n))
    sample = stratified_sample(y, k, x, include=(worst,))
    assert len(sample) == min(n, k)
    assert len(set(sample.tolist())) == len(sample)
    assert worst in sample
    assert np.all(np.diff(x[sample]) >= 0)  # drawn left to right
    assert set(y[sample]) == {0, 1}  # a rare class is never lost
    if n <= k:
        assert sorted(sample.tolist()) == list(range(n))
    else:
        # Each class is drawn roughly in proportion (a rare one gets a few points).
        for label in (0, 1):
            expected = k * np.mean(y == label)
            assert abs(np.sum(y[sample] == label) - expected) <= max(3, 0.1 * k) + 1
