"""One chapter alone, from the state the film reaches before it:

    manim -ql scenes/chapter.py Fit
    BCE_CHAPTER=fit manim -ql scenes/chapter.py Chapter

There is one Scene class per chapter (named after it in CamelCase), generated from the
chapter list, so that a new chapter needs no edit here. BCE_* variables apply as for
scenes/bce.py.
"""

import os

from manim import Scene

from bce_film.scene import FilmScene, inputs_for_manim
from scenes.chapters import ORDER
from scenes.film import play_film

INPUTS = inputs_for_manim()


def scene_class_name(chapter: str) -> str:
    """fit -> Fit, mean_loss -> MeanLoss."""
    return "".join(part.capitalize() for part in chapter.split("_"))


def _scene_for(name: str) -> type[Scene]:
    def construct(self) -> None:
        play_film(self, INPUTS, only=name)

    members = {"construct": construct, "__doc__": f"The {name} chapter."}
    return type(scene_class_name(name), (FilmScene,), members)


for _name in ORDER:
    _scene = _scene_for(_name)
    globals()[_scene.__name__] = _scene


class Chapter(FilmScene):
    """The chapter named by ``BCE_CHAPTER``."""

    def construct(self) -> None:
        play_film(self, INPUTS, only=os.environ.get("BCE_CHAPTER", ORDER[0]))
