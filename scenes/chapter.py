"""One chapter alone, from the state the film reaches before it:

    manim -ql scenes/chapter.py Fit
    BCE_CHAPTER=fit manim -ql scenes/chapter.py Chapter

There is one Scene class per chapter (named after it in CamelCase), generated from the
chapter list, so that a new chapter needs no edit here. BCE_* variables apply as for
scenes/bce.py; a narrated chapter is spoken (and its recordings checked) for the chapter
rendered only.
"""

import os

from bce_film.scene import FilmScene
from scenes.chapters import ORDER, scene_class_name


def _scene_for(name: str) -> type[FilmScene]:
    members = {"chapters": (name,), "__doc__": f"The {name} chapter."}
    return type(scene_class_name(name), (FilmScene,), members)


# Manim looks for Scene classes among the module's names: one per chapter, by name.
globals().update({scene_class_name(name): _scene_for(name) for name in ORDER})


class Chapter(FilmScene):
    """The chapter named by ``BCE_CHAPTER`` (the first if unset)."""

    chapters = (os.environ.get("BCE_CHAPTER", ORDER[0]),)
