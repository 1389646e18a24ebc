"""The chapters of the film, in the article's order.

Each is a module here named after the chapter, with a ``CHAPTER`` declaration (its cues,
what it takes from earlier chapters and what it leaves for later ones: see
``scenes.contract``) and a ``play(film)`` function. ``ORDER`` is the film; importing this
package imports no chapter (and no Manim), so the narration script can read it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

ORDER = (
    "title",
    "feature",
    "labels",
    "formula",
    "split",
    "fit",
    "positive_bars",
    "hanging_bars",
    "all_bars",
    "drop_axis",
    "stand_bars",
    "log_curve",
    "mean_loss",
    "training",
    "code",
    "distribution",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "point_by_point",
    "back_to_formula",
    "baseline",
    "closing",
)


def scene_class_name(chapter: str) -> str:
    """The Scene class of a chapter rendered alone (scenes/chapter.py): fit -> Fit,
    mean_loss -> MeanLoss."""
    return "".join(part.capitalize() for part in chapter.split("_"))


def load_chapters(names=ORDER) -> list[ModuleType]:
    """The chapter modules, in the order given (that of the film by default)."""
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
