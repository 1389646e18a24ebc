"""The narration without the pictures: the numbers the words mention, which points the
pictures draw, how long a cue stays up, and the script a narrator reads from.

No Manim here: ``bce-video script`` prints the script from this module in a fraction of a
second, and the film (``scenes.film``) fills its cues and paces them with the same
functions, so the script and the film say the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bce_core import ARTICLE_DATA, Lesson, point_losses, stratified_sample

from .chapters import ORDER
from .spoken import Speaker, SpokenError
from .style import Style
from .words import Words, cue_id

MINUS = "\N{MINUS SIGN}"  # typeset minus, as in the formulas

#: Beyond this many points, the pictures draw a stratified sample (numbers use all).
MAX_POINTS_DRAWN = 30
#: Where the log-curve chapter's probe stops sliding down: its words say the loss there.
PROBE_LOW_P = 0.01


def drawn_points(lesson: Lesson) -> np.ndarray:
    """The points the pictures draw: all of them up to a few dozen, else a stratified
    sample (every number on screen still uses all points) that holds the worst point,
    which the mean_loss chapter points at."""
    worst = int(np.argmax(lesson.point_losses))
    return stratified_sample(lesson.y, MAX_POINTS_DRAWN, lesson.x, include=(worst,))


def loss_text(value: float) -> str:
    """A mean loss as the film writes it (the binary cross-entropy, a training step's)."""
    return f"{value:.4f}"


def format_numbers(lesson: Lesson, words: Words, style: Style) -> dict[str, str]:
    """Every number and name the words may mention, formatted once, from the Lesson."""
    dataset = lesson.dataset
    positive, negative = dataset.positive_label, dataset.negative_label
    if dataset.source == ARTICLE_DATA.source:  # the article's labels, in the film's language
        positive, negative = words.article_label(positive), words.article_label(negative)
    worst = int(np.argmax(lesson.point_losses))
    sign = "+" if lesson.intercept >= 0 else MINUS
    # Where the log-curve chapter's probe stops, and the loss it reads there.
    p_low = PROBE_LOW_P
    loss_low = float(point_losses(np.array([1]), np.array([p_low]))[0])
    numbers = {
        "n": str(lesson.n_points),
        "n_positive": str(lesson.n_positive),
        "n_negative": str(lesson.n_negative),
        "shown": str(len(drawn_points(lesson))),
        "positive": positive,
        "negative": negative,
        "weight": f"{lesson.weight:.4g}",
        "intercept": f"{lesson.intercept:.4g}",
        "intercept_term": f"{sign} {abs(lesson.intercept):.4g}",
        "loss": loss_text(lesson.loss),
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
        "p_low": f"{p_low:.2f}",
        "loss_low": f"{loss_low:.2f}",
        # The training chapter: the flat start, the steps, the fit without a penalty.
        "flat_loss": loss_text(lesson.training[0].loss),
        "n_steps": str(lesson.fit.n_iterations),
    }
    free = lesson.fit_without_penalty
    if free is not None:
        numbers["free_weight"] = f"{free.weight:.4g}"
        numbers["free_loss"] = loss_text(lesson.loss_without_penalty)
    # What the training chapter says of the fit without a penalty, as the data allow.
    if lesson.C is None:
        case = "free_is_the_fit"
    elif free is None:
        case = "free_separable"
    else:
        case = "free_finite"
    numbers["free_case"] = case
    numbers["free_fit"] = words.get("training", case, **numbers)
    return numbers


def reading_time(text: str, words: Words, style: Style) -> float:
    """How long a cue stays up when nothing else sets its pace: the time it takes to read
    at the language's speed, and never less than the style's minimum."""
    return max(style.timing.min_cue, len(text) / words.reading_chars_per_second)


@dataclass(frozen=True)
class ScriptLine:
    """One cue of the narration script."""

    id: str  # chapter.name
    chapter: str
    heading: str  # the chapter's heading on screen ("" for the title card)
    text: str  # with the numbers filled in: what the screen and the subtitles show
    seconds: float  # its estimated reading time
    spoken: str  # what a voice says (scenes.spoken): numbers and symbols as words


def chapter_headings(lesson: Lesson, words: Words, style: Style) -> dict[str, str]:
    """Each chapter's name as a viewer reads it, in the film's language: its heading on
    screen, or the film's title for the title card (a chapter list's entries)."""
    numbers = format_numbers(lesson, words, style)
    headings = {}
    for chapter in ORDER:
        table = words.table.get(chapter, {})
        heading = table.get("heading") or table.get("title") or chapter
        headings[chapter] = heading.format(**numbers)
    return headings


def narration_script(
    lesson: Lesson,
    words: Words,
    style: Style,
    voice: Voicing | None = None,
) -> list[ScriptLine]:
    """Every cue of the film, in the order it is spoken, with its words filled in, as
    written and as spoken. With ``voice``, the spoken forms are checked against what it
    can say: a class name it cannot say is said by its role (``voice.warn`` says so);
    anything else it cannot say raises SpokenError, naming each cue and character."""
    numbers = format_numbers(lesson, words, style)
    speaker = Speaker(
        words,
        numbers,
        cannot_say=voice.cannot_say if voice else None,
        voice=voice.name if voice else "",
    )
    lines = []
    for chapter in ORDER:
        table = words.table.get(chapter, {})
        heading = table.get("heading", "").format(**numbers)
        for name in words.cue_templates(chapter):
            text = words.cue(chapter, name, **numbers)
            seconds = reading_time(text, words, style)
            spoken = speaker.cue(chapter, name)
            lines.append(ScriptLine(cue_id(chapter, name), chapter, heading, text, seconds, spoken))
    recorded = voice.recorded if voice else frozenset()
    voiced = {line.id: line.spoken for line in lines if line.id not in recorded}
    problems = speaker.unsayable(voiced)
    if problems:
        raise SpokenError(
            f"{len(problems)} cue(s) the {voice.name} voice cannot say:\n  " + "\n  ".join(problems)
        )
    if voice:
        for warning in speaker.warnings():
            voice.warn(warning)
    return lines


@dataclass(frozen=True)
class Voicing:
    """The voice a script is checked against: its name, what it cannot say in the film's
    language (``bce_voice.speech.Voice.cannot_say``), and where warnings go."""

    name: str
    cannot_say: Callable[[str], str]
    warn: Callable[[str], None]
    recorded: frozenset[str] = frozenset()  # cue ids a narrator's recording says instead
