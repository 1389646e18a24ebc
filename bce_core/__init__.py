"""bce_core: every number of "Understanding Binary Cross-Entropy / Log Loss", numpy only.

>>> from bce_core import ARTICLE_DATA, build_lesson
>>> round(build_lesson(ARTICLE_DATA).loss, 4)
0.3329
"""

from .data import ARTICLE_DATA, MAX_FILE_BYTES, DataError, Dataset, dataset_from, load_dataset
from .lesson import Lesson, TrainingStep, build_lesson, stratified_sample
from .logistic import (
    FitError,
    LogisticFit,
    NewtonMove,
    NewtonProblem,
    NewtonStep,
    fit_logistic,
    log_sigmoid,
    newton_problem,
    sigmoid,
)
from .losses import (
    EPSILON,
    binary_cross_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    point_losses,
    true_class_probabilities,
)

__all__ = [
    "ARTICLE_DATA",
    "EPSILON",
    "MAX_FILE_BYTES",
    "DataError",
    "Dataset",
    "FitError",
    "Lesson",
    "LogisticFit",
    "NewtonMove",
    "NewtonProblem",
    "NewtonStep",
    "TrainingStep",
    "binary_cross_entropy",
    "build_lesson",
    "cross_entropy",
    "dataset_from",
    "entropy",
    "fit_logistic",
    "kl_divergence",
    "load_dataset",
    "log_sigmoid",
    "newton_problem",
    "point_losses",
    "sigmoid",
    "stratified_sample",
    "true_class_probabilities",
]
