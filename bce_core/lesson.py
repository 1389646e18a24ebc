"""The Lesson: every number the film shows, computed once from a dataset."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data import Dataset
from .logistic import FitError, LogisticFit, fit_logistic, logit_losses, sigmoid
from .losses import binary_cross_entropy, cross_entropy, entropy, kl_divergence


def _frozen(values: np.ndarray) -> np.ndarray:
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class TrainingStep:
    """The model after one Newton iteration of the fit (step 0: the flat start, w = b = 0,
    which gives every point probability 1/2 and so the loss log 2)."""

    weight: float
    intercept: float
    #: -log p(true class) at each point under this step's curve (read-only).
    point_losses: np.ndarray
    #: Their mean: the binary cross-entropy at this step.
    loss: float


@dataclass(frozen=True)
class Lesson:
    """Numbers of the article for one dataset and one fit. Arrays are read-only.

    Class distributions are ordered (negative, positive), as the article's Figure 11
    draws them: red 0.3, green 0.7.
    """

    dataset: Dataset
    C: float | None
    fit: LogisticFit
    #: w x + b at each point.
    logits: np.ndarray
    #: p(y = 1 | x) at each point: the sigmoid's height.
    probabilities: np.ndarray
    #: p(true class): the height of each point's bar in Figures 6 to 8.
    true_class_probabilities: np.ndarray
    #: -log p(true class), in nats, computed from the logits (exact, never clipped).
    point_losses: np.ndarray
    #: The binary cross-entropy: mean of ``point_losses``.
    loss: float
    #: Sums of the point losses over each class (the "split over classes" formula).
    positive_loss_sum: float
    negative_loss_sum: float
    #: q(y): the share of each class, (negative, positive).
    class_distribution: tuple[float, float]
    #: H(q) in nats.
    entropy: float
    #: The model's class distribution: its mean prediction, (1 - mean p, mean p).
    model_distribution: tuple[float, float]
    #: H_p(q) and D_KL(q || p) between the class distribution and the model's.
    cross_entropy: float
    kl_divergence: float
    #: The model that ignores x and always predicts the share of positives, and its loss
    #: (equal to the entropy of q).
    baseline_probability: float
    baseline_loss: float
    #: Entropy of a half-half split, log 2: the most uncertain two-class distribution.
    half_half_entropy: float
    #: H_p(q) and D_KL(q || p) for a model that guesses half-half: the film's example of
    #: a cross-entropy above the entropy.
    half_half_cross_entropy: float
    half_half_kl_divergence: float
    #: baseline_loss - loss: how much knowing x lowers the loss.
    information_from_x: float
    #: Training replayed: the loss at every Newton iterate of ``fit``, from the flat start
    #: (step 0, every loss log 2) to the fit itself (the last step, whose loss is ``loss``).
    training: tuple[TrainingStep, ...]
    #: The same data fitted with no penalty (maximum likelihood): ``fit`` itself when the
    #: lesson has no penalty (C is None); None where that has no finite fit (x separates
    #: the classes, so the best weight is infinite).
    fit_without_penalty: LogisticFit | None
    #: Its loss, None with it.
    loss_without_penalty: float | None

    @property
    def x(self) -> np.ndarray:
        return self.dataset.x

    @property
    def y(self) -> np.ndarray:
        return self.dataset.y

    @property
    def n_points(self) -> int:
        return len(self.dataset)

    @property
    def n_positive(self) -> int:
        return self.dataset.n_positive

    @property
    def n_negative(self) -> int:
        return self.dataset.n_negative

    @property
    def mean_prediction(self) -> float:
        """The model's average p(y = 1); equals the share of positives when the intercept
        is fitted without a penalty (its gradient is sum(p - y) = 0)."""
        return self.model_distribution[1]

    @property
    def weight(self) -> float:
        return self.fit.weight

    @property
    def intercept(self) -> float:
        return self.fit.intercept

    def as_dict(self) -> dict:
        """Plain JSON-ready values (what ``python -m bce_core --json`` prints)."""
        return {
            "source": self.dataset.source,
            "positive_label": self.dataset.positive_label,
            "negative_label": self.dataset.negative_label,
            "n_points": self.n_points,
            "n_positive": self.n_positive,
            "n_negative": self.n_negative,
            "C": self.C,
            "weight": self.weight,
            "intercept": self.intercept,
            "newton_iterations": self.fit.n_iterations,
            "x": self.x.tolist(),
            "y": self.y.tolist(),
            "probabilities": self.probabilities.tolist(),
            "true_class_probabilities": self.true_class_probabilities.tolist(),
            "point_losses": self.point_losses.tolist(),
            "loss": self.loss,
            "class_distribution": list(self.class_distribution),
            "entropy": self.entropy,
            "model_distribution": list(self.model_distribution),
            "cross_entropy": self.cross_entropy,
            "kl_divergence": self.kl_divergence,
            "baseline_probability": self.baseline_probability,
            "baseline_loss": self.baseline_loss,
            "half_half_entropy": self.half_half_entropy,
            "half_half_cross_entropy": self.half_half_cross_entropy,
            "half_half_kl_divergence": self.half_half_kl_divergence,
            "information_from_x": self.information_from_x,
            "training": [
                {
                    "weight": float(step.weight),
                    "intercept": float(step.intercept),
                    "loss": step.loss,
                    "point_losses": step.point_losses.tolist(),
                }
                for step in self.training
            ],
            "weight_without_penalty": _parameter(self.fit_without_penalty, "weight"),
            "intercept_without_penalty": _parameter(self.fit_without_penalty, "intercept"),
            "loss_without_penalty": self.loss_without_penalty,
        }


def _parameter(fit: LogisticFit | None, name: str) -> float | None:
    return None if fit is None else float(getattr(fit, name))


def build_lesson(dataset: Dataset, C: float | None = 1.0) -> Lesson:
    """Fit the dataset (as scikit-learn's ``LogisticRegression(C=C)``) and compute every number.

    ``C=None`` fits without a penalty; :class:`~bce_core.logistic.FitError` if that has
    no finite solution.
    """
    try:
        fit = fit_logistic(dataset.x, dataset.y, C=C)
    except FitError as error:
        raise FitError(f"{dataset.source}: {error}") from None
    logits = fit.decision_function(dataset.x)
    probabilities = sigmoid(logits)
    positive = dataset.y == 1
    # For y = 0 use sigmoid(-t) rather than 1 - sigmoid(t): exact when p is near 1.
    true_class = np.where(positive, probabilities, sigmoid(-logits))
    losses = logit_losses(dataset.y, logits)

    share = dataset.n_positive / len(dataset)
    q = np.array([1.0 - share, share])
    mean_prediction = float(np.mean(probabilities))
    model = np.array([1.0 - mean_prediction, mean_prediction])

    half_half = np.array([0.5, 0.5])
    loss = float(np.mean(losses))
    baseline_loss = binary_cross_entropy(dataset.y, np.full(len(dataset), share))
    free = fit if C is None else _fit_without_penalty(dataset)
    return Lesson(
        dataset=dataset,
        C=C,
        fit=fit,
        logits=_frozen(logits),
        probabilities=_frozen(probabilities),
        true_class_probabilities=_frozen(true_class),
        point_losses=_frozen(losses),
        loss=loss,
        positive_loss_sum=float(np.sum(losses[positive])),
        negative_loss_sum=float(np.sum(losses[~positive])),
        class_distribution=(float(q[0]), float(q[1])),
        entropy=entropy(q),
        model_distribution=(float(model[0]), float(model[1])),
        cross_entropy=cross_entropy(q, model),
        kl_divergence=kl_divergence(q, model),
        baseline_probability=share,
        baseline_loss=baseline_loss,
        half_half_entropy=math.log(2.0),
        half_half_cross_entropy=cross_entropy(q, half_half),
        half_half_kl_divergence=kl_divergence(q, half_half),
        information_from_x=baseline_loss - loss,
        training=tuple(_training_step(dataset, it.weight, it.intercept) for it in fit.iterates),
        fit_without_penalty=free,
        loss_without_penalty=(
            loss if free is fit else None if free is None else _mean_loss(dataset, free)
        ),
    )


def _mean_loss(dataset: Dataset, fit: LogisticFit) -> float:
    return float(np.mean(logit_losses(dataset.y, fit.decision_function(dataset.x))))


def _training_step(dataset: Dataset, weight: float, intercept: float) -> TrainingStep:
    """The losses under one iterate, computed as the lesson's own (the last step's equal
    ``loss`` exactly: the last iterate is the fit)."""
    losses = logit_losses(dataset.y, weight * dataset.x + intercept)
    return TrainingStep(
        weight=float(weight),
        intercept=float(intercept),
        point_losses=_frozen(losses),
        loss=float(np.mean(losses)),
    )


def _fit_without_penalty(dataset: Dataset) -> LogisticFit | None:
    try:
        return fit_logistic(dataset.x, dataset.y, C=None)
    except FitError:
        return None


def stratified_sample(
    y: np.ndarray, k: int, x: np.ndarray | None = None, include: tuple[int, ...] = ()
) -> np.ndarray:
    """Indices of at most ``k`` points that keep both classes in proportion, sorted by x.

    Each class gets its share of ``k`` (at least a few points, or all it has, so a rare
    class is never lost), and within a class the points are taken evenly along x, so the
    sample spans the data. Each index in ``include`` (the worst point, say) takes the
    place of the sampled point of its class nearest to it in x. Deterministic: the same
    data always gives the same sample.
    """
    y = np.asarray(y)
    n = len(y)
    order_key = np.arange(n) if x is None else np.asarray(x)
    if n <= k:
        return np.argsort(order_key, kind="stable")
    positives = np.flatnonzero(y == 1)
    negatives = np.flatnonzero(y == 0)
    # Each class its share of k, but at least a few (or all it has) for either class.
    minimum = min(3, k // 2)
    n_pos = min(len(positives), max(round(k * len(positives) / n), minimum))
    n_neg = min(len(negatives), max(k - n_pos, minimum))
    n_pos = min(len(positives), k - n_neg)
    chosen = []
    for members, count in ((positives, n_pos), (negatives, n_neg)):
        by_x = members[np.argsort(order_key[members], kind="stable")]
        picks = np.unique(np.round(np.linspace(0, len(by_x) - 1, count)).astype(int))
        chosen.append(by_x[picks])
    sample = np.concatenate(chosen)
    for wanted in include:
        if wanted in sample:
            continue
        same_class = np.flatnonzero(y[sample] == y[wanted])
        nearest = same_class[np.argmin(np.abs(order_key[sample[same_class]] - order_key[wanted]))]
        sample[nearest] = wanted
    return sample[np.argsort(order_key[sample], kind="stable")]
