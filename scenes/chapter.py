"""One chapter alone, from the state the film reaches before it:

    manim -ql scenes/chapter.py Fit
    BCE_CHAPTER=fit manim -ql scenes/chapter.py Chapter

There is one Scene class per chapter (named after it in CamelCase), generated from the
chapter list, so that a new chapter needs no edit here. BCE_* variables apply as for
scenes/bce.py.
"""

import os

from manim import Scene

from bce_video.encoding import FilmScene
from bce_video.settings import settings_for_manim
from scenes.film import chapter_names, play_film

SETTINGS = settings_for_manim()


def _scene_for(name: str) -> type[Scene]:
    def construct(self) -> None:
        play_film(self, SETTINGS.inputs(), only=name)

    class_name = "".join(part.capitalize() for part in name.split("_"))
    members = {"construct": construct, "__doc__": f"The {name} chapter."}
    return type(class_name, (FilmScene,), members)


for _name in chapter_names():
    _scene = _scene_for(_name)
    globals()[_scene.__name__] = _scene


class Chapter(FilmScene):
    """The chapter named by ``BCE_CHAPTER``."""

    def construct(self) -> None:
        play_film(self, SETTINGS.inputs(), only=os.environ.get("BCE_CHAPTER", "title"))
