"""The film's words as its chapters show them: from the language file, with the lesson's
numbers filled in, drawn as plain Text in the film's style."""

from __future__ import annotations

from manim import DOWN, Text, VGroup

from bce_core import Lesson

from .captions import shorten, wrap
from .narration import format_numbers
from .style import Style
from .words import Words


def plain_text(style: Style, words: str, size: float | None = None, colour=None) -> Text:
    """Plain Text: user data (class names) is never read as markup or LaTeX."""
    return Text(
        words,
        font=style.fonts.text,
        font_size=size or style.sizes.body,
        color=colour or style.palette.ink,
    )


class ScreenWords:
    """The words of a language and the numbers of a lesson, for a chapter to show: each
    method takes the chapter whose words (``[chapter]`` in the language file) it wants."""

    def __init__(self, lesson: Lesson, words: Words, style: Style) -> None:
        self.words, self.style = words, style
        self.numbers = format_numbers(lesson, words, style)
        # On screen, class names too long for an axis or a legend are cut with an
        # ellipsis; the cues (subtitles, captions, the voice) say them in full.
        self.screen_numbers = self._screen_numbers()

    def _screen_numbers(self) -> dict[str, str]:
        style = self.style
        width = style.layout.class_name_width

        def short(name: str) -> str:
            return shorten(name, width, style.fonts.text, style.sizes.label)

        names = {key: short(self.numbers[key]) for key in ("positive", "negative", "worst_label")}
        return {**self.numbers, **names}

    def cue(self, chapter: str, name: str) -> str:
        """The words of a cue, said in full."""
        return self.words.cue(chapter, name, **self.numbers)

    def word(self, chapter: str, key: str, **extra: object) -> str:
        return self.words.get(chapter, key, **{**self.screen_numbers, **extra})

    def text(
        self, chapter: str, key: str, size: float | None = None, colour=None, **extra: object
    ) -> Text:
        return plain_text(self.style, self.word(chapter, key, **extra), size, colour)

    def lines(
        self,
        chapter: str,
        key: str,
        size: float,
        colour=None,
        width: float | None = None,
        align=None,
    ) -> VGroup:
        """The words of ``key`` in lines no wider than ``width`` (default: the frame's,
        less its margin), never shrunk below their size, centred or aligned to ``align``."""
        words = self.words.get(chapter, key, **self.screen_numbers)
        room = width or self.style.layout.frame_width - self.style.layout.wide_text_margin
        lines = wrap(words, room, self.style.fonts.text, size)
        group = VGroup(*(plain_text(self.style, line, size, colour) for line in lines))
        if align is None:
            return group.arrange(DOWN, buff=self.style.layout.buff_tight)
        return group.arrange(DOWN, aligned_edge=align, buff=self.style.layout.buff_tight)

    def text_maker(self, chapter: str, key: str, size: float | None = None, colour=None):
        """A function that makes the text ``key`` from values given later, for an updater.
        It holds the words, the style and this chapter's name, not the film: an updater
        runs at every frame, when the film may be in a later chapter (the film's words
        would then be that chapter's); and Manim's cache, on in a plain manim run, hashes
        everything an updater holds at every animation."""
        style, words, numbers = self.style, self.words, self.screen_numbers

        def make(**values: object) -> Text:
            return plain_text(style, words.get(chapter, key, **{**numbers, **values}), size, colour)

        return make
