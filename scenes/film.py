"""What every chapter works with: the scene, the Lesson, the style, the words, and the
stage (the mobjects one chapter hands to the next).

A chapter is a module in ``scenes.chapters`` with a ``NAME`` and a ``play(film)``
function. ``play_film`` runs them in order, each in its own section; to render one
chapter alone it runs the earlier ones with animations skipped, so the chapter starts
from exactly the state the full film reaches.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np
from manim import (
    UP,
    Animation,
    FadeIn,
    FadeOut,
    FadeTransform,
    Mobject,
    Scene,
    Text,
    Wait,
)

from bce_core import ARTICLE_DATA, Lesson, build_lesson, stratified_sample

from .style import Style, current_style
from .words import Words, load_words

MINUS = "\N{MINUS SIGN}"  # typeset minus, as in the formulas


@dataclass
class Stage:
    """Mobjects that outlive the chapter that made them, by role."""

    heading: Text | None = None
    feature_line: Mobject | None = None
    legend: Mobject | None = None
    rows: Mobject | None = None
    plot: Mobject | None = None
    bars: Mobject | None = None
    chart: Mobject | None = None
    loss_curve: Mobject | None = None
    formula: Mobject | None = None
    distribution: Mobject | None = None
    extras: dict = field(default_factory=dict)


def format_numbers(lesson: Lesson, words: Words) -> dict[str, str]:
    """Every number and name the words may mention, formatted once, from the Lesson."""
    dataset = lesson.dataset
    positive, negative = dataset.positive_label, dataset.negative_label
    if dataset.source == ARTICLE_DATA.source:  # the article's labels, in the film's language
        positive, negative = words.article_label(positive), words.article_label(negative)
    worst = int(np.argmax(lesson.point_losses))
    sign = "+" if lesson.intercept >= 0 else MINUS
    return {
        "n": str(lesson.n_points),
        "n_positive": str(lesson.n_positive),
        "n_negative": str(lesson.n_negative),
        "positive": positive,
        "negative": negative,
        "weight": f"{lesson.weight:.4g}",
        "intercept": f"{lesson.intercept:.4g}",
        "intercept_term": f"{sign} {abs(lesson.intercept):.4g}",
        "loss": f"{lesson.loss:.4f}",
        "entropy": f"{lesson.entropy:.4f}",
        "half_half": f"{lesson.half_half_entropy:.4f}",
        "half_half_cross": f"{lesson.half_half_cross_entropy:.4f}",
        "half_half_kl": f"{lesson.half_half_kl_divergence:.4f}",
        "cross_entropy": f"{lesson.cross_entropy:.4f}",
        "kl": f"{lesson.kl_divergence:.4f}",
        "mean_prediction": f"{lesson.mean_prediction:.2f}",
        "q_negative": f"{lesson.class_distribution[0]:.2f}",
        "q_positive": f"{lesson.class_distribution[1]:.2f}",
        "baseline_p": f"{lesson.baseline_probability:.2f}",
        "baseline_loss": f"{lesson.baseline_loss:.4f}",
        "gap": f"{lesson.information_from_x:.4f}",
        "positive_sum": f"{lesson.positive_loss_sum:.3f}",
        "negative_sum": f"{lesson.negative_loss_sum:.3f}",
        "worst_label": positive if lesson.y[worst] else negative,
        "worst_x": f"{lesson.x[worst]:.4g}",
        "worst_loss": f"{lesson.point_losses[worst]:.3f}",
    }


def plain_text(style: Style, words: str, size: float | None = None, colour=None) -> Text:
    """Plain Text: user data (class names) is never read as markup or LaTeX."""
    return Text(
        words,
        font=style.fonts.text,
        font_size=size or style.sizes.body,
        color=colour or style.palette.ink,
    )


class Film:
    """The context a chapter plays in."""

    def __init__(self, scene: Scene, lesson: Lesson, style: Style, words: Words) -> None:
        self.scene = scene
        self.lesson = lesson
        self.style = style
        self.words = words
        self.stage = Stage()
        # The points the pictures draw: all of them up to a few dozen, else a stratified
        # sample (every number on screen still uses all points) that holds the worst
        # point, which the mean_loss chapter points at.
        worst = int(np.argmax(lesson.point_losses))
        self.shown = stratified_sample(
            lesson.y, style.layout.max_points_drawn, lesson.x, include=(worst,)
        )
        self.is_sampled = len(self.shown) < lesson.n_points
        self.numbers = format_numbers(lesson, words) | {"shown": str(len(self.shown))}
        self.narrate = True  # False while earlier chapters are skipped
        self._leaving_heading: Text | None = None
        self.skipped_time = 0.0  # scene time spent in skipped chapters
        self.chapter = ""

    # --- words ------------------------------------------------------------------------

    def word(self, key: str, **extra: object) -> str:
        return self.words.get(self.chapter, key, **{**self.numbers, **extra})

    def common_text(self, key: str, size: float, colour=None) -> Text:
        """Words shared by several chapters ([common] in the language file)."""
        words = self.words.get("common", key, **self.numbers)
        return plain_text(self.style, words, size, colour)

    def cues(self, **extra: object) -> list[str]:
        return self.words.cues(self.chapter, **{**self.numbers, **extra})

    def text(self, key: str, size: float | None = None, colour=None, **extra: object) -> Text:
        """On-screen words of this chapter from the language file."""
        return plain_text(self.style, self.word(key, **extra), size, colour)

    def text_maker(self, key: str, size: float | None = None, colour=None):
        """A function that makes this chapter's text ``key`` from values given later, for
        an updater. It holds the words and the style but not the film: Manim's cache
        hashes everything an updater holds, and the film's bookkeeping (how much of it
        was skipped) differs between a single-process and a parallel render."""
        style, words, numbers, chapter = self.style, self.words, self.numbers, self.chapter

        def make(**values: object) -> Text:
            return plain_text(style, words.get(chapter, key, **{**numbers, **values}), size, colour)

        return make

    # --- time -------------------------------------------------------------------------

    def reading_time(self, cue: str) -> float:
        return max(self.style.timing.min_cue, len(cue) / self.words.reading_chars_per_second)

    def say(self, cue: str, *steps) -> None:
        """Show ``cue`` as a subtitle while playing ``steps`` one after another.

        A step is an animation, a list of animations played together, or a function
        that returns either: it is called only when its turn comes, so it can build
        targets from where the previous step left the mobjects.

        The cue stays up as long as it takes to read (or as the steps last, if longer);
        the scene then holds still until it has been read, plus a short gap.
        """
        scene = self.scene
        start = scene.time  # where the subtitle goes: the clock counts rendered frames
        # The wait is timed by the steps' own run times, not by the clock: the clock sums
        # whole frames when rendering and exact run times when skipping, and its absolute
        # value carries rounding from every chapter before. A wait that differs in its
        # last bits is a new animation to Manim's cache: a chapter rendered after skipped
        # ones (as in a parallel render) would not be found there.
        played = 0.0
        for step in steps:
            if inspect.isroutine(step):  # not .animate builders, which are callable too
                step = step()
            scene.play(*(step if isinstance(step, list) else [step]))
            played += scene.duration
        shown = max(self.reading_time(cue), played)
        remaining = shown + self.style.timing.cue_gap - played
        if remaining > 1e-3:
            scene.wait(remaining)
        if self.narrate:
            # Skipped chapters still advance the scene's clock; the video does not hold
            # them, so neither may the subtitles.
            offset = start - scene.time - self.skipped_time
            scene.add_subcaption(cue, duration=shown, offset=offset)

    # --- common moves -----------------------------------------------------------------

    def fit_width(self, mobject: Mobject) -> Mobject:
        """Shrink ``mobject`` (never enlarge it) to fit across the frame with a margin."""
        room = self.style.layout.frame_width - self.style.layout.wide_text_margin
        if mobject.width > room:
            mobject.scale_to_fit_width(room)
        return mobject

    def set_heading(self) -> Animation:
        """The chapter's heading in the top-left corner, replacing the previous one."""
        layout = self.style.layout
        heading = self.text("heading", size=self.style.sizes.heading)
        self.fit_width(heading)
        heading.to_corner(layout.heading_corner, buff=layout.heading_buff)
        previous, self.stage.heading = self.stage.heading, heading
        self._leaving_heading = previous  # clear() must leave it to the FadeTransform
        if previous is None:
            return FadeIn(heading, shift=0.2 * UP)
        return FadeTransform(previous, heading)

    def clear(self, *keep: Mobject) -> Animation:
        """Fade out everything on screen except ``keep`` and the heading."""
        kept = {id(m) for m in keep} | {id(self.stage.heading), id(self._leaving_heading)}
        leaving = [m for m in self.scene.mobjects if id(m) not in kept]
        return FadeOut(*leaving) if leaving else Wait(0.01)


def film_chapters() -> list[ModuleType]:
    from .chapters import CHAPTERS

    return CHAPTERS


def chapter_names() -> list[str]:
    return [chapter.NAME for chapter in film_chapters()]


@dataclass(frozen=True)
class FilmInputs:
    """What a film is made of: the numbers, the look and the words."""

    lesson: Lesson
    style: Style
    words: Words

    @classmethod
    def article(cls, theme: str = "dark", language: str = "en", aspect: str = "16:9") -> FilmInputs:
        style = current_style(theme, aspect)
        return cls(build_lesson(ARTICLE_DATA), style, load_words(language))


def play_film(
    scene: Scene,
    inputs: FilmInputs | None = None,
    only: str | Iterable[str] | None = None,
    upto: str | None = None,
    on_chapter_end: Callable[[Film], None] | None = None,
    on_chapter_start: Callable[[Film], None] | None = None,
) -> Film:
    """Play every chapter in order, each in its own section.

    ``inputs``: the lesson, style and words (default: the article, dark, English).
    ``only``: render just that chapter (or those chapters); the others before it run
    with animations skipped, so it starts from the state the full film reaches.
    ``upto``: run (skipped, nothing rendered) up to the end of that chapter, for tests.
    ``on_chapter_start(film)`` and ``on_chapter_end(film)`` are called before and after
    each chapter, ``film.chapter`` naming it.
    """
    names = chapter_names()
    chosen = {only} if isinstance(only, str) else set(only) if only is not None else None
    for name in [*(chosen or ()), upto]:
        if name is not None and name not in names:
            raise ValueError(f"no chapter {name!r}; chapters: {', '.join(names)}")
    last = upto or (max(chosen, key=names.index) if chosen else names[-1])
    inputs = inputs or FilmInputs.article()
    scene.camera.background_color = inputs.style.palette.background
    film = Film(scene, inputs.lesson, inputs.style, inputs.words)
    for chapter in film_chapters():
        skipping = upto is not None or (chosen is not None and chapter.NAME not in chosen)
        scene.next_section(chapter.NAME, skip_animations=skipping)
        film.chapter = chapter.NAME
        film.narrate = not skipping
        if on_chapter_start is not None:
            on_chapter_start(film)
        started = scene.time
        chapter.play(film)
        if skipping:
            film.skipped_time += scene.time - started
        if on_chapter_end is not None:
            on_chapter_end(film)
        if chapter.NAME == last:
            break
    return film
