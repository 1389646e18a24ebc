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

from collections.abc import Callable, Iterable
from dataclasses import replace
from types import ModuleType

from manim import Animation, ManimColor, Mobject, Scene, Text, VGroup

from .burnt_captions import BurntCaptions
from .chapters import ORDER, load_chapters
from .contract import Chapter, FilmError, HandOffs, check_chain, check_cues
from .cue_clock import CueClock, SaidCue
from .inputs import FilmInputs
from .narration import drawn_points
from .screen_words import ScreenWords
from .stage import Stage
from .style import Style
from .words import Words, cue_id


def with_note_row(style: Style) -> Style:
    """The style of a sampled film: the pictures under the heading lower by ``note_room``,
    leaving a row for the note that says how many points are drawn (each composition
    moves by the layout's ``note_drop``)."""
    return replace(style, layout=replace(style.layout, note_drop=style.layout.note_room))


class Film:
    """The context a chapter plays in: ``film.say`` its cues, ``film.take`` and
    ``film.leave`` its hand-offs, ``film.text`` its words.

    It keeps the chapter playing and the cues it has left to say, and hands the rest to
    its parts: ``handoffs`` (``HandOffs``), ``screen_words`` (``ScreenWords``: the words
    and numbers shown), ``clock`` (``CueClock``: when each cue starts and ends),
    ``burnt_captions`` (``BurntCaptions``: the caption pages in the picture, when
    ``captions`` burns them in) and ``stage`` (``Stage``: the heading and the layout's
    moves)."""

    def __init__(self, scene: Scene, inputs: FilmInputs) -> None:
        self.scene = scene
        self.lesson, self.style, self.words = inputs.lesson, inputs.style, inputs.words
        self.shown = drawn_points(self.lesson)
        self.is_sampled = len(self.shown) < self.lesson.n_points
        if self.is_sampled:  # a row under the heading says so (the feature chapter)
            self.style = with_note_row(self.style)
        self.screen_words = ScreenWords(self.lesson, self.words, self.style)
        self.handoffs = HandOffs()
        self.clock = CueClock(scene, self.style, self.words, inputs.speech)
        self.captions = inputs.captions  # draw each cue's words in the caption band
        self.burnt_captions = BurntCaptions(scene, self.style)
        self.stage = Stage(scene, self.style.layout)
        self.contract: Chapter | None = None  # the chapter playing
        self._cues_left: list[str] = []
        # Called with the film and the cue after each cue has played (the preflight).
        self.on_cue_end: Callable[[Film, SaidCue], None] | None = None

    # --- what the parts keep, under the names chapters, hooks and tests read ----------

    @property
    def numbers(self) -> dict[str, str]:
        """The lesson's numbers as the cues say them."""
        return self.screen_words.numbers

    @property
    def screen_numbers(self) -> dict[str, str]:
        """The numbers as the screen shows them (long class names cut)."""
        return self.screen_words.screen_numbers

    @property
    def said(self) -> list[SaidCue]:
        """Every cue said so far, skipped chapters' included."""
        return self.clock.said

    @property
    def rendered(self) -> bool:
        """False while earlier chapters are skipped (not in the video)."""
        return self.clock.rendered

    @rendered.setter
    def rendered(self, rendered: bool) -> None:
        self.clock.rendered = rendered

    @property
    def skipped_time(self) -> float:
        """Scene time spent in skipped chapters."""
        return self.clock.skipped_time

    @skipped_time.setter
    def skipped_time(self, seconds: float) -> None:
        self.clock.skipped_time = seconds

    @property
    def caption(self) -> VGroup | None:
        """The caption on screen, all its pages."""
        return self.burnt_captions.shown.drawn if self.burnt_captions.shown is not None else None

    @property
    def heading(self) -> Text | None:
        return self.stage.heading

    # --- the chapter ------------------------------------------------------------------

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
        return self.screen_words.word(self.chapter, key, **extra)

    def text(self, key: str, size: float | None = None, colour=None, **extra: object) -> Text:
        """On-screen words of this chapter from the language file."""
        return self.screen_words.text(self.chapter, key, size, colour, **extra)

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
        chapter = "common" if common else self.chapter
        return self.screen_words.lines(chapter, key, size, colour, width, align)

    def text_maker(self, key: str, size: float | None = None, colour=None):
        """A function that makes this chapter's text ``key`` from values given later, for
        an updater. It holds the words and the style but not the film: Manim's cache
        hashes everything an updater holds, and the film's bookkeeping (how much of it
        was skipped) differs between a single-process and a parallel render."""
        return self.screen_words.text_maker(self.chapter, key, size, colour)

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
        said = SaidCue(cue_id(self.chapter, cue), self.screen_words.cue(self.chapter, cue))
        clock = self.clock
        timed = clock.start(said)
        if not self.captions:
            clock.play(timed, steps)
            clock.wait_out(timed)
            clock.add_subtitle(timed)
            if self.on_cue_end is not None:
                self.on_cue_end(self, said)
            return
        # Burnt in: the pages turn beside the steps, and the hold after them stops at
        # each turn, so a page turns (and the caption goes with its subtitle) on its frame.
        caption = self.burnt_captions.put_up(said.text, timed.expected)
        clock.play(
            timed, steps, beside=lambda at, lasting: caption.turning(at, lasting, timed.spoken)
        )
        if self.on_cue_end is not None:
            self.on_cue_end(self, said)  # while the caption is up
        caption.show_at(clock.into(timed), timed.shown)
        clock.hold(timed, caption.turns(timed.shown), lambda at: caption.show_at(at, timed.shown))
        self.burnt_captions.take_down()
        clock.add_subtitle(timed)

    # --- common moves -----------------------------------------------------------------

    def fit_width(self, mobject: Mobject) -> Mobject:
        """Shrink ``mobject`` (never enlarge it) to fit across the frame with a margin."""
        return self.stage.fit_width(mobject)

    def resize(
        self, group: Mobject, scale: float, to, hidden: Iterable = (), shown: Iterable = ()
    ) -> Animation:
        """``group`` scaled by ``scale`` and moved to ``to``, its parts ``hidden`` fading
        out (too small to read at the new size) and its parts ``shown`` fading back in.
        The parts stay in the group, so a later resize brings them back."""
        return self.stage.resize(group, scale, to, hidden, shown)

    def on_floor(self, mobject: Mobject) -> Mobject:
        """Centre ``mobject`` across the frame on the floor of the content area (just
        above the caption band)."""
        return self.stage.on_floor(mobject)

    def set_heading(self) -> Animation:
        """The chapter's heading in the top-left corner, replacing the previous one."""
        return self.stage.set_heading(self.text("heading", size=self.style.sizes.heading))

    def clear(self, *keep: Mobject) -> Animation:
        """Fade out everything on screen except ``keep``, the heading and the caption of
        the cue being said."""
        return self.stage.clear(*keep, caption=self.caption)


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
