"""What every chapter works with: the scene, the Lesson, the style, the words, its cues
and its hand-offs.

A chapter is a module in ``scenes.chapters`` with a ``CHAPTER`` declaration
(``scenes.contract.Chapter``: its cues, what it takes, leaves and drops) and a
``play(film)`` function. ``play_chapters`` checks the declarations of the chapters it will
play, then runs them in order, each in its own section; to render one chapter alone it
runs the earlier ones with animations skipped, so the chapter starts from exactly the
state the full film reaches.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from types import ModuleType

import numpy as np
from manim import (
    DOWN,
    UP,
    Animation,
    FadeIn,
    FadeOut,
    FadeTransform,
    ManimColor,
    Mobject,
    Scene,
    Text,
    Transform,
    VGroup,
    Wait,
    config,
    linear,
)
from manim.animation.animation import prepare_animation

from .captions import CaptionPage, paginate, shorten, wrap
from .chapters import ORDER, load_chapters
from .contract import Chapter, FilmError, HandOffs, check_chain, check_cues
from .inputs import FilmInputs
from .narration import drawn_points, format_numbers, reading_time
from .style import Style
from .words import Words, cue_id


@dataclass(frozen=True)
class SaidCue:
    """A cue as the film said it: its id and its words, numbers filled in."""

    id: str
    text: str


def plain_text(style: Style, words: str, size: float | None = None, colour=None) -> Text:
    """Plain Text: user data (class names) is never read as markup or LaTeX."""
    return Text(
        words,
        font=style.fonts.text,
        font_size=size or style.sizes.body,
        color=colour or style.palette.ink,
    )


class _TurnPages(Animation):
    """Shows each page of a caption while its time has come and not gone: played beside
    a cue's steps, so a page turns (or the caption goes) within a step if it must."""

    def __init__(
        self,
        caption: VGroup,
        pages: list[CaptionPage],
        offset: float,
        run_time: float,
        until: float | None,
    ) -> None:
        super().__init__(caption, run_time=max(run_time, 1e-3), rate_func=linear)
        self.pages, self.offset = pages, offset
        self.until = 1e9 if until is None else until  # None: up while the steps play

    @staticmethod
    def show_at(caption: VGroup, pages: list[CaptionPage], t: float, until: float = 1e9) -> None:
        for drawn, page in zip(caption, pages, strict=True):
            visible = page.start <= t < min(page.end if page is not pages[-1] else 1e9, until)
            drawn.set_opacity(1.0 if visible else 0.0)

    def interpolate_mobject(self, alpha: float) -> None:
        self.show_at(self.mobject, self.pages, self.offset + alpha * self.run_time, self.until)


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


def with_note_row(style: Style) -> Style:
    """The style of a sampled film: the pictures under the heading lower by ``note_room``,
    leaving a row for the note that says how many points are drawn. The plot's box and the
    log curve are that much shorter; stacked (9:16), the log curve keeps its place."""
    layout = style.layout
    room = layout.note_room
    down = np.array((0.0, -room, 0.0))
    curve_room = 0.0 if layout.vertical else room
    layout = replace(
        layout,
        plot_center=layout.plot_center + down / 2,
        plot_height=layout.plot_height - room,
        left_center=layout.left_center + down / 2,
        right_center=layout.right_center + down / 2 * (not layout.vertical),
        log_curve_height=layout.log_curve_height - curve_room,
        training_top=layout.training_top - room,
        legend_drop=layout.legend_drop + room,
    )
    return replace(style, layout=layout)


class Film:
    """The context a chapter plays in: ``film.say`` its cues, ``film.take`` and
    ``film.leave`` its hand-offs, ``film.text`` its words."""

    def __init__(self, scene: Scene, inputs: FilmInputs) -> None:
        self.scene = scene
        self.lesson, self.style, self.words = inputs.lesson, inputs.style, inputs.words
        self.shown = drawn_points(self.lesson, self.style)
        self.is_sampled = len(self.shown) < self.lesson.n_points
        if self.is_sampled:  # a row under the heading says so (the feature chapter)
            self.style = with_note_row(self.style)
        self.numbers = format_numbers(self.lesson, self.words, self.style)
        # On screen, class names too long for an axis or a legend are cut with an
        # ellipsis; the cues (subtitles, captions, the voice) say them in full.
        self.screen_numbers = self._screen_numbers()
        self.speech = inputs.speech  # seconds of the voice by cue id; empty: silent
        self.captions = inputs.captions  # draw each cue's words in the caption band
        self.caption: VGroup | None = None  # the caption on screen, all its pages
        self.handoffs = HandOffs()
        self.said: list[SaidCue] = []  # every cue said so far, skipped chapters' included
        self.rendered = True  # False while earlier chapters are skipped (not in the video)
        self.heading: Text | None = None
        self._leaving_heading: Text | None = None
        self.skipped_time = 0.0  # scene time spent in skipped chapters
        self.contract: Chapter | None = None  # the chapter playing
        self._cues_left: list[str] = []
        # Called with the film and the cue after each cue has played (the preflight).
        self.on_cue_end: Callable[[Film, SaidCue], None] | None = None

    def _screen_numbers(self) -> dict[str, str]:
        style = self.style
        width = style.layout.class_name_width

        def short(name: str) -> str:
            return shorten(name, width, style.fonts.text, style.sizes.label)

        names = {key: short(self.numbers[key]) for key in ("positive", "negative", "worst_label")}
        return {**self.numbers, **names}

    @property
    def chapter(self) -> str:
        """The name of the chapter playing."""
        return self.contract.name if self.contract else ""

    def begin(self, contract: Chapter) -> None:
        self.contract = contract
        self._cues_left = list(contract.cues)
        self.handoffs.begin(contract)

    def end(self) -> None:
        if self._cues_left:
            raise FilmError(
                f"chapter {self.chapter!r} did not say {', '.join(map(repr, self._cues_left))}"
            )
        self.handoffs.end()

    # --- hand-offs ----------------------------------------------------------------------

    def take(self, name: str):
        """A hand-off an earlier chapter left (declared in this chapter's takes)."""
        return self.handoffs.take(name)

    def leave(self, name: str, value) -> None:
        """Leave ``value`` for later chapters as ``name`` (declared in this chapter's leaves)."""
        self.handoffs.leave(name, value)

    # --- words ------------------------------------------------------------------------

    def word(self, key: str, **extra: object) -> str:
        return self.words.get(self.chapter, key, **{**self.screen_numbers, **extra})

    def text(self, key: str, size: float | None = None, colour=None, **extra: object) -> Text:
        """On-screen words of this chapter from the language file."""
        return plain_text(self.style, self.word(key, **extra), size, colour)

    def lines(
        self,
        key: str,
        size: float,
        colour=None,
        common: bool = False,
        width: float | None = None,
        align=None,
    ) -> VGroup:
        """Words too long for one line of ``width`` (default: the frame's), broken into
        lines (never shrunk below their size), centred or aligned to ``align`` (LEFT,
        RIGHT). ``common``: from [common] in the language file."""
        words = self.words.get("common" if common else self.chapter, key, **self.screen_numbers)
        room = width or self.style.layout.frame_width - self.style.layout.wide_text_margin
        lines = wrap(words, room, self.style.fonts.text, size)
        group = VGroup(*(plain_text(self.style, line, size, colour) for line in lines))
        if align is None:
            return group.arrange(DOWN, buff=self.style.layout.buff_tight)
        return group.arrange(DOWN, aligned_edge=align, buff=self.style.layout.buff_tight)

    def text_maker(self, key: str, size: float | None = None, colour=None):
        """A function that makes this chapter's text ``key`` from values given later, for
        an updater. It holds the words and the style but not the film: Manim's cache
        hashes everything an updater holds, and the film's bookkeeping (how much of it
        was skipped) differs between a single-process and a parallel render."""
        style, words, numbers, chapter = self.style, self.words, self.screen_numbers, self.chapter

        def make(**values: object) -> Text:
            return plain_text(style, words.get(chapter, key, **{**numbers, **values}), size, colour)

        return make

    # --- time -------------------------------------------------------------------------

    def say(self, cue: str, *steps) -> None:
        """Say the cue named ``cue`` (its words: ``[chapter.cues]`` in the language file) as
        a subtitle while playing ``steps`` one after another.

        A step is an animation, a list of animations played together, or a function
        that returns either: it is called only when its turn comes, so it can build
        targets from where the previous step left the mobjects.

        In a narrated film the voice sets the pace: the subtitle is up exactly while the
        cue is spoken, and the cue lasts as long as its speech and a short pause, or as
        the steps, if longer. In a silent film the cue stays up as long as it takes to
        read (or as the steps last), then a short gap. A chapter says its declared cues
        once each, in order.
        """
        if not self._cues_left or self._cues_left[0] != cue:
            expected = repr(self._cues_left[0]) if self._cues_left else "no more cues"
            raise FilmError(
                f"chapter {self.chapter!r} says {cue!r}; its CHAPTER declares {expected} next"
            )
        self._cues_left.pop(0)
        text = self.words.cue(self.chapter, cue, **self.numbers)
        said = SaidCue(cue_id(self.chapter, cue), text)
        self.said.append(said)
        scene = self.scene
        start = scene.time  # where the subtitle goes: the clock counts rendered frames
        timing = self.style.timing
        spoken = self.speech.get(said.id)
        # How long the words are up: the speech, or the reading time (or the steps, if
        # longer: known once they have played).
        expected = reading_time(text, self.words, self.style) if spoken is None else spoken
        pages = self.caption_pages(text, expected) if self.captions else []
        caption = self._show_caption(pages)
        # The wait is timed by the steps' own run times, not by the clock: the clock sums
        # whole frames when rendering and exact run times when skipping, and its absolute
        # value carries rounding from every chapter before. A wait that differs in its
        # last bits is a new animation to Manim's cache: a chapter rendered after skipped
        # ones (as in a parallel render) would not be found there.
        played = 0.0
        for step in steps:
            if inspect.isroutine(step):  # not .animate builders, which are callable too
                step = step()
            animations = step if isinstance(step, list) else [step]
            if caption is not None:
                animations = [prepare_animation(a) for a in animations]
                lasting = max(a.get_run_time() for a in animations)
                animations.append(_TurnPages(caption, pages, played, lasting, spoken))
            scene.play(*animations)
            played += scene.duration
        if spoken is None:
            shown = max(expected, played)
            lasts = shown + timing.cue_gap
        else:
            shown = spoken
            lasts = max(spoken + timing.speech_pause, played)
        if caption is not None and self.on_cue_end is not None:
            self.on_cue_end(self, said)  # while the caption is up
        if caption is None:
            if lasts - played > 1e-3:
                scene.wait(lasts - played)
        else:
            self._hold_caption(caption, pages, start, shown, lasts)
        if self.rendered:
            # Skipped chapters still advance the scene's clock; the video does not hold
            # them, so neither may the subtitles.
            offset = start - scene.time - self.skipped_time
            scene.add_subcaption(text, duration=shown, offset=offset)
        if caption is None and self.on_cue_end is not None:
            self.on_cue_end(self, said)

    # --- captions ---------------------------------------------------------------------

    def caption_pages(self, text: str, duration: float) -> list[CaptionPage]:
        """A cue's words as caption pages that fit the band, over ``duration`` seconds."""
        style = self.style
        width = style.layout.caption_band.width
        return paginate(wrap(text, width, style.fonts.text, style.sizes.caption), duration)

    def caption_page(self, page: CaptionPage) -> VGroup:
        """One page drawn: its lines centred, in the caption band."""
        style, layout = self.style, self.style.layout
        lines = VGroup(*(plain_text(style, line, style.sizes.caption) for line in page.lines))
        lines.arrange(DOWN, buff=layout.caption_line_gap)
        band = layout.caption_band
        if layout.caption_at_top:
            lines.move_to(band.center).align_to(band.top * UP, UP).shift(
                layout.caption_padding * DOWN
            )
        else:
            lines.move_to(band.center).align_to(band.bottom * UP, DOWN).shift(
                layout.caption_padding * UP
            )
        return lines

    def _show_caption(self, pages: list[CaptionPage]) -> VGroup | None:
        if not pages:
            return None
        caption = VGroup(*(self.caption_page(page) for page in pages))
        _TurnPages.show_at(caption, pages, 0.0)
        self.caption = caption
        self.scene.add(caption)
        return caption

    def _hold_caption(self, caption, pages, start: float, shown: float, lasts: float) -> None:
        """Wait until ``lasts`` seconds into the cue (which began at ``start`` on the
        scene's clock), turning the caption's pages when their time comes and taking it
        away at ``shown``, when its subtitle ends. Each stretch is a plain wait (a still
        frame, encoded once), measured in whole frames on the clock, which counts the
        frames the steps rendered: the caption goes on the frame its subtitle ends."""
        frame = 1 / config.frame_rate

        def into_cue() -> float:
            return self.scene.time - start

        _TurnPages.show_at(caption, pages, into_cue(), shown)
        turns = sorted({p.start for p in pages[1:]} | {shown})
        for turn in [t for t in turns if into_cue() < t < lasts] + [lasts]:
            hold_frames(self.scene, round((turn - into_cue()) / frame))
            _TurnPages.show_at(caption, pages, turn, shown)
        self.scene.remove(caption)
        self.caption = None

    # --- common moves -----------------------------------------------------------------

    def fit_width(self, mobject: Mobject) -> Mobject:
        """Shrink ``mobject`` (never enlarge it) to fit across the frame with a margin."""
        room = self.style.layout.frame_width - self.style.layout.wide_text_margin
        if mobject.width > room:
            mobject.scale_to_fit_width(room)
        return mobject

    def resize(
        self, group: Mobject, scale: float, to, hidden: Iterable = (), shown: Iterable = ()
    ) -> Animation:
        """``group`` scaled by ``scale`` and moved to ``to``, its parts ``hidden`` fading
        out (too small to read at the new size) and its parts ``shown`` fading back in.
        The parts stay in the group, so a later resize brings them back."""
        target = group.copy().scale(scale).move_to(to)
        for opacity, parts in ((0.0, hidden), (1.0, shown)):
            chosen = {id(m) for part in parts for m in part.get_family()}
            for mobject, moved in zip(group.get_family(), target.get_family(), strict=True):
                if id(mobject) in chosen:
                    moved.set_opacity(opacity)
        return Transform(group, target)

    def on_floor(self, mobject: Mobject) -> Mobject:
        """Centre ``mobject`` across the frame on the floor of the content area (just
        above the caption band)."""
        area = self.style.layout.content_area
        return mobject.set_x(0).align_to(area.bottom * UP, DOWN)

    def set_heading(self) -> Animation:
        """The chapter's heading in the top-left corner, replacing the previous one."""
        layout = self.style.layout
        heading = self.text("heading", size=self.style.sizes.heading)
        self.fit_width(heading)
        heading.to_corner(layout.heading_corner, buff=layout.heading_buff)
        previous, self.heading = self.heading, heading
        self._leaving_heading = previous  # clear() must leave it to the FadeTransform
        if previous is None:
            return FadeIn(heading, shift=0.2 * UP)
        return FadeTransform(previous, heading)

    def clear(self, *keep: Mobject) -> Animation:
        """Fade out everything on screen except ``keep`` and the heading."""
        kept = {id(m) for m in keep} | {id(self.heading), id(self._leaving_heading)}
        kept.add(id(self.caption))  # the caption of the cue being said stays
        leaving = [m for m in self.scene.mobjects if id(m) not in kept]
        return FadeOut(*leaving) if leaving else Wait(0.01)


def film_chapters(names: Iterable[str] = ORDER) -> list[ModuleType]:
    """The chapter modules, each checked to declare itself under its module's name."""
    modules = load_chapters(tuple(names))
    for module in modules:
        declared, name = getattr(module, "CHAPTER", None), module.__name__.rsplit(".", 1)[-1]
        if not isinstance(declared, Chapter) or declared.name != name:
            raise FilmError(f"{module.__file__} needs CHAPTER = Chapter({name!r}, cues=...)")
    return modules


def check_film(words: Words, chosen: Iterable[str] = ORDER) -> None:
    """The declarations of a render of the ``chosen`` chapters (the film by default),
    which plays every chapter up to the last of them: the hand-offs chain up and
    ``words`` has exactly the cues the chapters say. Raises FilmError; draws nothing."""
    last = max(ORDER.index(name) for name in chosen)
    _check_declarations(film_chapters(ORDER[: last + 1]), words)


def _check_declarations(played: list[ModuleType], words: Words) -> None:
    film = [module.CHAPTER for module in film_chapters()]
    check_chain([module.CHAPTER for module in played], film)
    check_cues(words, film)


def play_chapters(
    scene: Scene,
    inputs: FilmInputs,
    only: str | Iterable[str] | None = None,
    upto: str | None = None,
    on_chapter_end: Callable[[Film], None] | None = None,
    on_chapter_start: Callable[[Film], None] | None = None,
    chapters: Iterable[str] = ORDER,
    on_cue_end: Callable[[Film, SaidCue], None] | None = None,
) -> Film:
    """Play the chapters in order, each in its own section.

    ``inputs``: the lesson, style and words (``bce_film.options.FilmOptions().inputs()``).
    ``only``: render just that chapter (or those chapters); the others before it run
    with animations skipped, so it starts from the state the full film reaches.
    ``upto``: run (skipped, nothing rendered) up to the end of that chapter, for tests.
    ``on_chapter_start(film)`` and ``on_chapter_end(film)`` are called before and after
    each chapter, ``film.chapter`` naming it; ``on_cue_end(film, cue)`` after each cue.
    ``chapters``: the film's chapters (its ORDER); another list is for tests of the
    contract.
    """
    names = list(chapters)
    chosen = {only} if isinstance(only, str) else set(only) if only is not None else None
    for name in [*(chosen or ()), upto]:
        if name is not None and name not in names:
            raise ValueError(f"no chapter {name!r}; chapters: {', '.join(names)}")
    last = upto or (max(chosen, key=names.index) if chosen else names[-1])
    played = names[: names.index(last) + 1]
    modules = film_chapters(played)
    # Before the first frame: the hand-offs chain up and the words match the cues.
    _check_declarations(modules, inputs.words)
    scene.camera.background_color = ManimColor(inputs.style.palette.background)
    film = Film(scene, inputs)
    film.on_cue_end = on_cue_end
    for chapter in modules:
        name = chapter.CHAPTER.name
        skipping = upto is not None or (chosen is not None and name not in chosen)
        scene.next_section(name, skip_animations=skipping)
        film.begin(chapter.CHAPTER)
        film.rendered = not skipping
        if on_chapter_start is not None:
            on_chapter_start(film)
        started = scene.time
        chapter.play(film)
        if skipping:
            film.skipped_time += scene.time - started
        film.end()
        if on_chapter_end is not None:
            on_chapter_end(film)
    return film
