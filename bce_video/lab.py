"""The lab beside the film: ``lab.html``, where the viewer drags the sigmoid and watches
every point's loss and the mean answer, with the core's own numbers.

``bce-video page`` writes it into the site (``build_page`` calls :func:`write_lab`)::

    site/lab.html               the lab (bce_video/site/lab.html, lab.js, lab.css)
    site/assets/lab-data.js     window.BCE_LAB: the data (every row, in file order), the
                                film's states (flat guess, Newton's steps, fit, fit without
                                a penalty, baseline), the standardisation and penalty of
                                bce_core's Newton method, and the film's formatted numbers
    site/assets/lab-golden.js   window.BCE_LAB_GOLDEN: values computed by bce_core that the
                                browser test holds lab.js to (the lab does not load it)

The JavaScript computes with the core's formulas (logistic.py, losses.py); nothing in it
is a number of the data typed by hand: every state, range and format comes from here.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from bce_core import (
    EPSILON,
    Lesson,
    binary_cross_entropy,
    newton_problem,
    point_losses,
    sigmoid,
)
from bce_core.logistic import STEP_TOLERANCE, logit_losses
from scenes.narration import drawn_points, format_numbers, loss_text
from scenes.style import Style, current_style
from scenes.words import load_words

#: lab.html's own files, copied beside the player's into assets/.
LAB_ASSETS = ("lab.js", "lab.css")

#: The state each chapter's picture shows, by chapter name: the lab opens there from the
#: chapter (``lab.html#state=<name>``). "fit": the fitted curve and its bars (hanging,
#: standing, their mean); "flat": the training chapter's start, from which the lab's
#: Newton steps are the chapter's; "baseline": w = 0 with the best b, whose loss is H(q).
CHAPTER_STATES = {
    "fit": "fit",
    "positive_bars": "fit",
    "hanging_bars": "fit",
    "all_bars": "fit",
    "stand_bars": "fit",
    "mean_loss": "fit",
    "training": "flat",
    "baseline": "baseline",
}

#: The loss surface's window reaches this far past the states it must hold (a share of
#: their span on each side), and spans at least MIN_SPAN in each parameter.
SURFACE_MARGIN = 0.6
MIN_SPAN = 1.0
#: The logit the extreme golden values reach: |w x + b| up to this (exp(-700) is still a
#: normal float64; a logit past 745 underflows p to 0, which the goldens also cover).
EXTREME_LOGIT = 700.0
BEYOND_UNDERFLOW = 800.0
#: Golden values per point are given for the first rows only (the mean uses every row).
GOLDEN_ROWS = 600
#: Golden grid: this many values of w and of b across the surface's window.
GOLDEN_GRID = 5
#: Probabilities the clipped loss (losses.point_losses) is checked at: 0, 1 and beside.
CLIPPED_PROBABILITIES = (0.0, EPSILON / 2, EPSILON, 0.5, 1.0 - EPSILON, 1.0)


def _pair(weight: float, intercept: float) -> dict:
    return {"w": float(weight), "b": float(intercept)}


def film_states(lesson: Lesson) -> dict:
    """The (w, b) of each state the film shows."""
    share = lesson.baseline_probability
    free = lesson.fit_without_penalty
    return {
        "flat": _pair(lesson.training[0].weight, lesson.training[0].intercept),
        "steps": [_pair(step.weight, step.intercept) for step in lesson.training],
        "fit": _pair(lesson.weight, lesson.intercept),
        "free": None if free is None else _pair(free.weight, free.intercept),
        # w = 0 and p = the share of positives everywhere: b = logit(share).
        "baseline": _pair(0.0, math.log(share) - math.log1p(-share)),
    }


def _window(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    centre = (low + high) / 2
    half = max(high - low, MIN_SPAN) / 2 * (1 + 2 * SURFACE_MARGIN)
    return [centre - half, centre + half]


def lab_data(lesson: Lesson, languages: list[str], theme: str, aspect: str) -> dict:
    """window.BCE_LAB: what lab.js needs, all from the core and the film's own functions."""
    style = current_style(theme, aspect)
    states = film_states(lesson)
    shown = [state for state in (*states["steps"], states["fit"], states["free"]) if state]
    shown.append(states["baseline"])
    problem = newton_problem(lesson.x, lesson.y, lesson.C)
    free = lesson.fit_without_penalty
    # The film's numbers as it writes them, in each language: the lab shows the same text.
    keys = ("positive", "negative", "loss", "weight", "intercept", "baseline_loss", "flat_loss")
    film_numbers = {}
    for language in languages:
        numbers = format_numbers(lesson, load_words(language), style)
        film_numbers[language] = {key: numbers[key] for key in keys}
        film_numbers[language]["free_loss"] = numbers.get("free_loss")
        film_numbers[language]["steps"] = [loss_text(step.loss) for step in lesson.training]
    x = lesson.x
    return {
        # The data file's name, not its path: a published site must not show the
        # folders of the machine it was made on.
        "source": Path(lesson.dataset.source).name,
        "x": x.tolist(),
        "y": lesson.y.astype(int).tolist(),
        # The points the film's pictures draw (a stratified sample beyond a few dozen).
        "drawn": [int(index) for index in drawn_points(lesson)],
        "C": lesson.C,
        # bce_core's Newton method: z = (x - centre) / scale, penalty u^2 / 2 in z's units,
        # with the film's C ("film") and without one.
        "standardisation": {"centre": problem.centre, "scale": problem.scale},
        "penalty": problem.penalty,
        "step_tolerance": STEP_TOLERANCE,
        "states": states,
        "free_exists": free is not None,
        "baseline_loss": lesson.baseline_loss,
        "share": lesson.baseline_probability,
        "epsilon": EPSILON,
        "window": {
            "w": _window([state["w"] for state in shown]),
            "b": _window([state["b"] for state in shown]),
            "x": [float(x.min()), float(x.max())],
        },
        # The film writes a mean loss to this many decimals (scenes.narration.loss_text)
        # and a weight or intercept to this many significant digits (format_numbers).
        "formats": {
            "loss_decimals": len(loss_text(math.pi).partition(".")[2]),
            "parameter_digits": _significant_digits(lesson, style),
        },
        "film_numbers": film_numbers,
        "chapter_states": CHAPTER_STATES,
    }


def _significant_digits(lesson: Lesson, style: Style) -> int:
    """How many significant digits the film gives a weight: counted in its own text
    (format_numbers) of a weight whose digits never end in 0, pi."""
    probe = replace(lesson, fit=replace(lesson.fit, weight=math.pi))
    return len(format_numbers(probe, load_words("en"), style)["weight"].replace(".", ""))


def golden_values(lesson: Lesson) -> dict:
    """window.BCE_LAB_GOLDEN: bce_core's numbers at many (w, b), for the browser test."""
    x, y = lesson.x, lesson.y
    states = film_states(lesson)
    shown = [state for state in (*states["steps"], states["fit"], states["free"]) if state]
    shown.append(states["baseline"])
    ws = np.linspace(*_window([s["w"] for s in shown]), GOLDEN_GRID)
    bs = np.linspace(*_window([s["b"] for s in shown]), GOLDEN_GRID)
    reach = float(np.max(np.abs(x))) or 1.0
    pairs = [(float(w), float(b)) for w in ws for b in bs]
    # The extremes: every logit +-700 (w = 0), the largest |w x| = 700, and past underflow.
    extremes = [(0.0, EXTREME_LOGIT), (0.0, -EXTREME_LOGIT)]
    extremes += [(EXTREME_LOGIT / reach, 0.0), (-EXTREME_LOGIT / reach, 0.0)]
    extremes += [(0.0, BEYOND_UNDERFLOW), (0.0, -BEYOND_UNDERFLOW)]
    rows = slice(0, GOLDEN_ROWS)

    def at(weight: float, intercept: float, extreme: bool) -> dict:
        logits = weight * x + intercept
        losses = logit_losses(y, logits)
        return {
            "w": weight,
            "b": intercept,
            "extreme": extreme,
            "p": sigmoid(logits[rows]).tolist(),
            "losses": losses[rows].tolist(),
            "mean": float(np.mean(losses)),
        }

    grid = [at(w, b, False) for w, b in pairs] + [at(w, b, True) for w, b in extremes]
    # One Newton step from each grid point, with the film's penalty (as the fit's own).
    problem = newton_problem(x, y, lesson.C)
    steps = []
    for w, b in pairs:
        u, v = problem.from_original(w, b)
        moved = problem.step(u, v, problem.objective(u, v))
        landed = None if moved is None else _pair(*problem.to_original(moved.u, moved.v))
        steps.append({"from": _pair(w, b), "to": landed})
    clipped_p = np.array(CLIPPED_PROBABILITIES)
    return {
        "rows": min(len(x), GOLDEN_ROWS),
        "grid": grid,
        "newton_steps": steps,
        "training": [
            {**_pair(step.weight, step.intercept), "mean": step.loss} for step in lesson.training
        ],
        "fit": {**_pair(lesson.weight, lesson.intercept), "mean": lesson.loss},
        "free": (
            None
            if lesson.fit_without_penalty is None
            else {
                **_pair(lesson.fit_without_penalty.weight, lesson.fit_without_penalty.intercept),
                "mean": lesson.loss_without_penalty,
            }
        ),
        "baseline_loss": binary_cross_entropy(y, np.full(len(y), lesson.baseline_probability)),
        # losses.point_losses: p clipped to [EPSILON, 1 - EPSILON], for either class.
        "clipped": {
            "p": clipped_p.tolist(),
            "positive": point_losses(np.ones(len(clipped_p)), clipped_p).tolist(),
            "negative": point_losses(np.zeros(len(clipped_p)), clipped_p).tolist(),
        },
    }


def write_lab(assets: Path, lesson: Lesson, languages: list[str], theme: str, aspect: str):
    """lab-data.js and lab-golden.js into the site's ``assets`` folder."""
    data = lab_data(lesson, languages, theme, aspect)
    (assets / "lab-data.js").write_text(
        f"window.BCE_LAB = {json.dumps(data, ensure_ascii=False)};\n", encoding="utf-8"
    )
    (assets / "lab-golden.js").write_text(
        f"window.BCE_LAB_GOLDEN = {json.dumps(golden_values(lesson))};\n", encoding="utf-8"
    )
