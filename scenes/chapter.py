"""One chapter alone, from the state the film reaches before it:

    manim -ql scenes/chapter.py Fit
    BCE_CHAPTER=fit manim -ql scenes/chapter.py Chapter

There is one Scene class per chapter (named after it in CamelCase), generated from the
chapter list, so that a new chapter needs no edit here. BCE_* variables apply as for
scenes/bce.py; a narrated chapter is spoken (and its recordings checked) for the chapters
named on the command line only.
"""

import os

from manim import Scene, config

from bce_film.scene import FilmScene, ManimFilm, film_for_manim
from scenes.chapters import ORDER, scene_class_name

CHOSEN = os.environ.get("BCE_CHAPTER", ORDER[0])
# Manim has read the command line before it imports this file: the scenes it will render.
_BY_CLASS = {scene_class_name(name): name for name in ORDER} | {"Chapter": CHOSEN}
_ASKED = ORDER if config.write_all else [_BY_CLASS.get(n) for n in config.scene_names or ()]
FILM = film_for_manim([name for name in ORDER if name in _ASKED] or [CHOSEN])


def _scene_for(name: str) -> type[Scene]:
    def construct(self) -> None:
        self.play_film(ManimFilm(FILM.inputs, FILM.narration, (name,)))

    members = {"construct": construct, "__doc__": f"The {name} chapter."}
    return type(scene_class_name(name), (FilmScene,), members)


for _name in ORDER:
    _scene = _scene_for(_name)
    globals()[_scene.__name__] = _scene


class Chapter(FilmScene):
    """The chapter named by ``BCE_CHAPTER``."""

    def construct(self) -> None:
        self.play_film(ManimFilm(FILM.inputs, FILM.narration, (CHOSEN,)))
