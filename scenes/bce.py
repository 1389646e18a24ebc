"""The whole film: ``manim -pql scenes/bce.py`` (one Scene in this file, so no name is needed).

Data, language and theme come from the environment (``BCE_THEME``, ``BCE_LANG``); see
the README.
"""

from manim import Scene

from scenes.film import play_film


class BinaryCrossEntropyFilm(Scene):
    """Every chapter of the article in order, each in its own section."""

    def construct(self) -> None:
        play_film(self)
