"""``python -m bce_core``: print what the article's "show me the code" section prints."""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np

from .data import DataError, dataset_from
from .lesson import Lesson, build_lesson
from .logistic import FitError

#: Exit code for unusable input (a bad file, an impossible fit), as argparse uses for bad options.
EXIT_BAD_INPUT = 2


def positive_number(text: str) -> float:
    """An argparse type: a positive finite number (for C)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive finite number")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bce_core",
        description="Fit a one-feature logistic regression as scikit-learn does and print "
        "its probabilities and log loss (binary cross-entropy). Without --data: the "
        "article's ten points.",
    )
    parser.add_argument(
        "--data", metavar="FILE", help='CSV with columns x,y or JSON {"x": [...], "y": [...]}'
    )
    parser.add_argument(
        "--positive", metavar="LABEL", help="the label of the positive class (y = 1)"
    )
    penalty = parser.add_mutually_exclusive_group()
    penalty.add_argument(
        "--C",
        type=positive_number,
        default=1.0,
        metavar="VALUE",
        help="inverse strength of the L2 penalty, as in scikit-learn (default 1.0)",
    )
    penalty.add_argument("--no-penalty", action="store_true", help="maximum likelihood, no penalty")
    parser.add_argument("--json", action="store_true", help="print every number as one JSON object")
    return parser


def lesson_from_args(args: argparse.Namespace) -> Lesson:
    """The Lesson the options describe; raises DataError or FitError on bad input."""
    dataset = dataset_from(args.data, positive=args.positive)
    return build_lesson(dataset, C=None if args.no_penalty else args.C)


def format_report(lesson: Lesson, linewidth: int = 88) -> str:
    """x, y, p(y) to 2 places and the loss to 4, as the article's code prints them;
    arrays wrapped at ``linewidth`` characters."""
    with np.printoptions(threshold=12, edgeitems=5, linewidth=linewidth):
        lines = [
            f"x = {lesson.x}",
            f"y = {lesson.y}",
            f"p(y) = {np.round(lesson.probabilities, 2)}",
            f"Log Loss / Cross Entropy = {lesson.loss:.4f}",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        lesson = lesson_from_args(args)
    except (DataError, FitError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(lesson.as_dict(), indent=2))
    else:
        print(format_report(lesson))
    return 0
