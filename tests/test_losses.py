"""Log loss, entropy, cross-entropy and KL divergence against scipy, scikit-learn and math."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.metrics import log_loss

from bce_core import (
    EPSILON,
    binary_cross_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    point_losses,
    true_class_probabilities,
)


def _normalised(weights: list[float]) -> np.ndarray:
    v = np.array(weights)
    return v / v.sum()


#: Probability distributions over 1 to 8 outcomes; entries may be exactly 0.
distributions = (
    st.lists(st.floats(0.0, 100.0, allow_subnormal=False), min_size=1, max_size=8)
    .filter(lambda v: sum(v) > 1e-3)
    .map(_normalised)
)


@st.composite
def distribution_pairs(draw, p_min: float = 0.0):
    """(q, p) on the same outcomes; p's entries are at least about p_min / 100 / k."""
    k = draw(st.integers(1, 8))
    q = draw(
        st.lists(st.floats(0.0, 100.0, allow_subnormal=False), min_size=k, max_size=k).filter(
            lambda v: sum(v) > 1e-3
        )
    )
    p = draw(st.lists(st.floats(p_min, 100.0, allow_subnormal=False), min_size=k, max_size=k))
    assume(sum(p) > 1e-3)
    return _normalised(q), _normalised(p)


@st.composite
def labels_and_probabilities(draw, probabilities=None):
    n = draw(st.integers(1, 30))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    if probabilities is None:
        probabilities = st.one_of(
            st.sampled_from([0.0, 1.0, EPSILON, 1.0 - EPSILON, 1e-300, 0.5]),
            st.floats(0.0, 1.0),
        )
    p = np.array(draw(st.lists(probabilities, min_size=n, max_size=n)), dtype=np.float64)
    return y, p


# --------------------------------------------------------------------------- the article


def test_article_entropies():
    assert round(entropy([0.3, 0.7]), 4) == 0.6109
    assert entropy([0.3, 0.7]) == pytest.approx(-(0.3 * math.log(0.3) + 0.7 * math.log(0.7)))
    assert entropy([0.5, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0, rel=1e-15)
    assert entropy([1.0, 0.0]) == 0.0
    assert entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0, rel=1e-15)


def test_cross_entropy_and_kl_by_hand():
    q, p = [0.3, 0.7], [0.5, 0.5]
    assert cross_entropy(q, p) == pytest.approx(math.log(2), rel=1e-15)
    assert kl_divergence(q, p) == pytest.approx(math.log(2) - entropy(q), rel=1e-12)
    assert cross_entropy(q, p, base=2) == pytest.approx(1.0, rel=1e-15)


def test_zero_probability_where_q_has_mass_is_infinite():
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    # ... but an outcome q never produces costs nothing, whatever p says about it.
    assert cross_entropy([1.0, 0.0], [0.25, 0.75]) == pytest.approx(math.log(4))
    assert kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0


# --------------------------------------------------------------------------- scipy


@given(distributions)
def test_entropy_matches_scipy(q):
    assert entropy(q) == pytest.approx(scipy.stats.entropy(q), rel=1e-12, abs=1e-12)
    assert entropy(q, base=2) == pytest.approx(scipy.stats.entropy(q, base=2), rel=1e-12, abs=1e-12)
    assert 0.0 <= entropy(q) <= math.log(len(q)) + 1e-12


@given(distribution_pairs(p_min=1e-3))
def test_kl_and_cross_entropy_match_scipy(pair):
    q, p = pair
    assert kl_divergence(q, p) == pytest.approx(scipy.stats.entropy(q, p), rel=1e-9, abs=1e-12)
    assert kl_divergence(q, p, base=2) == pytest.approx(
        scipy.stats.entropy(q, p, base=2), rel=1e-9, abs=1e-12
    )
    assert cross_entropy(q, p) == pytest.approx(entropy(q) + kl_divergence(q, p), abs=1e-12)
    assert cross_entropy(q, p, base=2) == pytest.approx(
        entropy(q, base=2) + kl_divergence(q, p, base=2), abs=1e-12
    )


@given(distribution_pairs())
def test_gibbs_inequality(pair):
    q, p = pair
    assert cross_entropy(q, p) >= entropy(q) - 1e-12
    assert kl_divergence(q, p) >= 0.0


@given(distributions)
def test_kl_of_a_distribution_with_itself_is_zero(q):
    assert kl_divergence(q, q) == 0.0
    assert cross_entropy(q, q) == pytest.approx(entropy(q), abs=1e-12)


@given(distribution_pairs())
def test_kl_is_positive_when_distributions_differ(pair):
    q, p = pair
    assume(np.max(np.abs(q - p)) > 1e-3)
    # Pinsker: KL >= (sum |q - p|)^2 / 2 >= (2e-3)^2 / 2 = 2e-6.
    assert kl_divergence(q, p) > 0.0


# --------------------------------------------------------------------------- log loss


@given(labels_and_probabilities())
def test_binary_cross_entropy_matches_sklearn_log_loss(data):
    y, p = data
    value = binary_cross_entropy(y, p)
    assert math.isfinite(value)
    assert value >= 0.0
    assert value <= -math.log(EPSILON) + 1e-12
    assert value == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-12, abs=1e-12)


@given(labels_and_probabilities(st.floats(1e-6, 1 - 1e-6)))
def test_binary_cross_entropy_is_the_formula(data):
    y, p = data
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert binary_cross_entropy(y, p) == pytest.approx(expected, rel=1e-9)
    np.testing.assert_allclose(point_losses(y, p), -np.log(np.where(y == 1, p, 1 - p)), rtol=1e-9)


# Probabilities k / 2**20: 1 - p is then exact in floating point, so the flipped problem
# is the same problem (for a general float p, 1 - p rounds, and near 0 that changes the
# loss by far more than 1e-12).
grid_probabilities = st.integers(0, 2**20).map(lambda k: k / 2**20)


@given(labels_and_probabilities(grid_probabilities))
def test_flipping_labels_and_probabilities_leaves_the_loss_unchanged(data):
    y, p = data
    assert binary_cross_entropy(1 - y, 1 - p) == pytest.approx(
        binary_cross_entropy(y, p), rel=0, abs=1e-12
    )


@given(labels_and_probabilities())
def test_true_class_probabilities_of_complementary_labels_sum_to_one(data):
    y, p = data
    total = true_class_probabilities(y, p) + true_class_probabilities(1 - y, p)
    np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("y", "p", "expected"),
    [
        ([1], [0.0], -math.log(EPSILON)),
        ([0], [1.0], -math.log(EPSILON)),
        ([1], [1.0], -math.log1p(-EPSILON)),
        ([0], [0.0], -math.log1p(-EPSILON)),
        ([1, 0], [0.0, 1.0], -math.log(EPSILON)),
        ([1, 0], [0.5, 0.5], math.log(2)),
    ],
)
def test_binary_cross_entropy_is_finite_at_0_and_1(y, p, expected):
    value = binary_cross_entropy(np.array(y), np.array(p))
    assert value == pytest.approx(expected, rel=1e-12)
    assert value == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-12)
    assert round(-math.log(EPSILON), 2) == 36.04


# --------------------------------------------------------------------------- rejections

DISTRIBUTION_FUNCTIONS = [
    pytest.param(lambda q: entropy(q), id="entropy"),
    pytest.param(lambda q: cross_entropy(q, [0.5, 0.5]), id="cross_entropy-q"),
    pytest.param(lambda p: cross_entropy([0.5, 0.5], p), id="cross_entropy-p"),
    pytest.param(lambda q: kl_divergence(q, [0.5, 0.5]), id="kl-q"),
    pytest.param(lambda p: kl_divergence([0.5, 0.5], p), id="kl-p"),
]


@pytest.mark.parametrize("function", DISTRIBUTION_FUNCTIONS)
@pytest.mark.parametrize(
    "bad",
    [
        pytest.param([0.5, 0.6], id="sums-to-1.1"),
        pytest.param([0.3, 0.3], id="sums-to-0.6"),
        pytest.param([0.5, 0.5 + 1e-6], id="sums-to-1-plus-1e-6"),
        pytest.param([1.2, -0.2], id="negative"),
        pytest.param([np.nan, 1.0], id="nan"),
        pytest.param([np.inf, 1.0], id="inf"),
        pytest.param([], id="empty"),
        pytest.param([[0.5, 0.5]], id="2-D"),
    ],
)
def test_bad_distributions_are_rejected(function, bad):
    with pytest.raises(ValueError):
        function(np.array(bad, dtype=np.float64))


@pytest.mark.parametrize("function", [cross_entropy, kl_divergence])
def test_length_mismatch_is_rejected(function):
    with pytest.raises(ValueError):
        function([0.5, 0.5], [0.2, 0.3, 0.5])


@pytest.mark.parametrize("base", [1, 0, -2, np.nan])
def test_bad_base_is_rejected(base):
    with pytest.raises(ValueError):
        entropy([0.5, 0.5], base=base)
    with pytest.raises(ValueError):
        kl_divergence([0.5, 0.5], [0.5, 0.5], base=base)


@pytest.mark.parametrize("function", [binary_cross_entropy, point_losses, true_class_probabilities])
@pytest.mark.parametrize(
    ("y", "p"),
    [
        pytest.param([0, 1], [0.5], id="length-mismatch"),
        pytest.param([], [], id="empty"),
        pytest.param([0, 1], [0.5, np.nan], id="nan"),
        pytest.param([0, 1], [0.5, 1.5], id="above-1"),
        pytest.param([0, 1], [-0.1, 0.5], id="negative"),
        pytest.param([0, 2], [0.5, 0.5], id="label-2"),
        pytest.param([[0, 1]], [[0.5, 0.5]], id="2-D"),
    ],
)
def test_bad_log_loss_inputs_are_rejected(function, y, p):
    with pytest.raises(ValueError):
        function(np.array(y, dtype=np.float64), np.array(p, dtype=np.float64))
