"""The cue clock: when each cue starts and ends, and the waits and holds between.

A cue starts where the scene's clock stands when it is said. In a narrated film the voice
sets the pace: its words are up exactly while it is spoken, and it lasts as long as its
speech and a short pause, or as its steps, if longer. In a silent film its words stay up
as long as they take to read (or as the steps last), then a short gap. The subtitle the
film adds for it is placed on the rendered video's time, which skipped chapters are not in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from manim import Animation, Scene, config
from manim.animation.animation import prepare_animation

from .narration import reading_time
from .style import Style
from .words import Words


@dataclass(frozen=True)
class SaidCue:
    """A cue as the film said it: its id and its words, numbers filled in."""

    id: str
    text: str


@dataclass
class TimedCue:
    """A cue on the scene's clock, in seconds from its start."""

    said: SaidCue
    start: float  # the scene's clock when it began (the clock counts rendered frames)
    spoken: float | None  # how long its voice speaks it; None: not spoken
    expected: float  # how long its words are up, as known before its steps play
    played: float = 0.0  # how long its steps took (their run times, summed)
    shown: float = 0.0  # how long its words are up: its subtitle and its caption
    lasts: float = 0.0  # how long until the next cue starts


def hold_frames(scene: Scene, frames: int) -> None:
    """Hold the picture for exactly ``frames`` frames. Manim writes int(duration * rate)
    frames for a still wait, so ``frames / rate`` seconds can give one frame fewer (31/15
    s is 30.999... frames: 30, and a caption went a frame early); a wait that updates
    mobjects writes one frame per step of arange(0, duration, 1 / rate) instead. Half a
    frame above the whole number for the first, half a frame below for the second, gives
    the whole number either way."""
    if frames <= 0:
        return
    still = not (
        scene.always_update_mobjects
        or scene.updaters
        or any(mobject.has_time_based_updater() for mobject in scene.get_mobject_family_members())
    )
    scene.wait((frames + (0.5 if still else -0.5)) / config.frame_rate, frozen_frame=still)


class CueClock:
    """Times the cues of a film on its scene: ``start`` a cue, ``play`` its steps, then
    ``wait_out`` the rest of it (or ``hold`` it, frame by frame), and ``add_subtitle``."""

    def __init__(
        self, scene: Scene, style: Style, words: Words, speech: Mapping[str, float]
    ) -> None:
        self.scene, self.style, self.words = scene, style, words
        self.speech = speech  # seconds of the voice by cue id; empty: silent
        self.said: list[SaidCue] = []  # every cue said so far, skipped chapters' included
        self.rendered = True  # False while earlier chapters are skipped (not in the video)
        self.skipped_time = 0.0  # scene time spent in skipped chapters

    def start(self, said: SaidCue) -> TimedCue:
        """Start ``said`` now. How long its words are up is known once its steps have
        played; until then: its speech, or the time it takes to read."""
        self.said.append(said)
        spoken = self.speech.get(said.id)
        expected = reading_time(said.text, self.words, self.style) if spoken is None else spoken
        return TimedCue(said, self.scene.time, spoken, expected)

    def into(self, cue: TimedCue) -> float:
        """Seconds from the start of ``cue`` to now on the scene's clock."""
        return self.scene.time - cue.start

    def play(
        self,
        cue: TimedCue,
        steps: Iterable,
        beside: Callable[[float, float], Animation] | None = None,
    ) -> None:
        """Play ``steps`` one after another, then time the end of ``cue``.

        A step is an animation, a list of animations played together, or a function
        that returns either, called only when its turn comes. ``beside(played, lasting)``,
        if given, makes an animation played beside each step: ``played`` seconds into the
        cue, for the ``lasting`` seconds of the step's longest animation.

        The cue is timed by the steps' own run times, not by the clock: the clock sums
        whole frames when rendering and exact run times when skipping, and its absolute
        value carries rounding from every chapter before. A wait timed by it could differ
        by a frame between a chapter drawn after skipped ones (a bce-video worker,
        scenes/chapter.py) and the same chapter in the whole film: the parallel film would
        differ from one process's (and a plain run's Manim cache would miss it)."""
        scene = self.scene
        played = 0.0
        for step in steps:
            if inspect.isroutine(step):  # not .animate builders, which are callable too
                step = step()
            animations = step if isinstance(step, list) else [step]
            if beside is not None:
                animations = [prepare_animation(a) for a in animations]
                lasting = max(a.get_run_time() for a in animations)
                animations.append(beside(played, lasting))
            scene.play(*animations)
            played += scene.duration
        timing = self.style.timing
        cue.played = played
        if cue.spoken is None:
            cue.shown = max(cue.expected, played)
            cue.lasts = cue.shown + timing.cue_gap
        else:
            cue.shown = cue.spoken
            cue.lasts = max(cue.spoken + timing.speech_pause, played)

    def wait_out(self, cue: TimedCue) -> None:
        """Wait from the end of the steps to the end of ``cue`` (timed by run times, as
        ``play`` says why)."""
        if cue.lasts - cue.played > 1e-3:
            self.scene.wait(cue.lasts - cue.played)

    def hold(self, cue: TimedCue, marks: Iterable[float], at_mark: Callable[[float], None]) -> None:
        """Hold the picture until the end of ``cue``, calling ``at_mark(mark)`` at each of
        ``marks`` (seconds into the cue) on the way, and at its end. Each stretch is a plain
        wait (a still frame, encoded once), measured in whole frames on the clock, which
        counts the frames the steps rendered: what changes at a mark, changes on its
        frame."""
        frame = 1 / config.frame_rate
        stops = [t for t in sorted(marks) if self.into(cue) < t < cue.lasts] + [cue.lasts]
        for stop in stops:
            hold_frames(self.scene, round((stop - self.into(cue)) / frame))
            at_mark(stop)

    def add_subtitle(self, cue: TimedCue) -> None:
        """The subtitle of ``cue``, up while its words are, if the chapter is rendered.
        Skipped chapters still advance the scene's clock; the video does not hold them,
        so neither may the subtitles."""
        if self.rendered:
            offset = cue.start - self.scene.time - self.skipped_time
            self.scene.add_subcaption(cue.said.text, duration=cue.shown, offset=offset)
