"""The whole film: ``manim -pql scenes/bce.py`` (one Scene in this file, so no name is needed).

Data, language, theme, aspect and voice come from BCE_* environment variables (see the
README and ``bce-video render --help``), so a plain manim run makes the same film as the
``bce-video`` command.
"""

from bce_film.scene import FilmScene


class BinaryCrossEntropyFilm(FilmScene):
    """Every chapter of the article in order, each in its own section."""
