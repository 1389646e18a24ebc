"""The chapter contract: what each chapter declares, and the checks of those declarations.

A chapter declares, in its module's ``CHAPTER``:

- ``cues``: the names of the cues it says, in order (the words are in the language files,
  ``[chapter.cues]``; a cue's id is ``chapter.name``);
- ``takes``: the hand-offs it needs from earlier chapters (named mobjects they left);
- ``leaves``: the hand-offs it leaves for later chapters (new ones, or a new value of one
  it took, as when a formula morphs into the next);
- ``drops``: the hand-offs that end with it (their mobjects leave the screen);
- ``fills``: the least share of the content area that the box around its content
  covers at its fullest, in either frame shape: the preflight (``bce-video check``)
  holds it to this floor, so that no picture leaves most of the screen empty.

``check_chain`` walks the declarations of the chapters a render plays, without drawing, so
a film whose chapters were reordered or skipped fails before its first frame, naming the
chapter that needs a hand-off and the one expected to leave it. ``check_cues`` holds the
words of a language to the cues the chapters say. ``HandOffs`` holds the hand-offs while
the film plays and refuses anything undeclared. No Manim here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .words import Words, cue_id


class FilmError(ValueError):
    """A chapter or a language file breaks the chapter contract."""


@dataclass(frozen=True)
class Chapter:
    """What a chapter says, takes, leaves and drops (see the module's docstring)."""

    name: str
    cues: tuple[str, ...]
    takes: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()
    fills: float = 0.5

    def __post_init__(self) -> None:
        for kind in ("cues", "takes", "leaves", "drops"):
            names = getattr(self, kind)
            if len(set(names)) != len(names):
                raise FilmError(f"chapter {self.name!r} declares a name twice in its {kind}")
        if both := set(self.leaves) & set(self.drops):
            raise FilmError(f"chapter {self.name!r} both leaves and drops {sorted(both)}")


def check_chain(chapters: Sequence[Chapter], film: Sequence[Chapter] | None = None) -> None:
    """Every hand-off a chapter takes was left by an earlier one and not dropped since.

    ``chapters``: those a render plays, in order. ``film``: every chapter of the film (by
    default the same), to say which chapter leaves a missing hand-off.
    """
    film = chapters if film is None else film
    live: dict[str, str] = {}  # hand-off -> the chapter that left it
    for chapter in chapters:
        for name in chapter.takes:
            if name not in live:
                raise FilmError(_missing(chapter.name, name, film, played=chapters))
        for name in chapter.drops:
            live.pop(name, None)
        for name in chapter.leaves:
            live[name] = chapter.name


def _missing(needing: str, name: str, film: Sequence[Chapter], played) -> str:
    leavers = [chapter.name for chapter in film if name in chapter.leaves]
    order = [chapter.name for chapter in played]
    message = f"chapter {needing!r} takes {name!r}, which no earlier chapter left"
    where = []
    for leaver in leavers:
        if leaver == needing:  # it leaves a new value of what it takes
            continue
        if leaver not in order:
            where.append(f"{leaver!r} leaves it but is not played")
        elif order.index(leaver) > order.index(needing):
            where.append(f"{leaver!r} leaves it but comes later")
        else:
            dropper = [
                c.name
                for c in played[order.index(leaver) + 1 : order.index(needing)]
                if name in c.drops
            ]
            where.append(f"{leaver!r} leaves it but {dropper[-1]!r} drops it")
    return f"{message}: {'; '.join(where)}" if where else f"{message}; no other chapter leaves it"


def check_cues(words: Words, chapters: Iterable[Chapter]) -> None:
    """The language file has exactly the cues the chapters say, in their order."""
    chapters = list(chapters)
    known = {chapter.name for chapter in chapters}
    for chapter in chapters:
        in_file = list(words.cue_templates(chapter.name))
        for name in chapter.cues:
            if name not in in_file:
                raise FilmError(
                    f"{words.path}: no cue {cue_id(chapter.name, name)!r}, which the "
                    f"{chapter.name} chapter says (add it to [{chapter.name}.cues])"
                )
        for name in in_file:
            if name not in chapter.cues:
                raise FilmError(
                    f"{words.path}: cue {cue_id(chapter.name, name)!r} is said by no chapter "
                    f"(the {chapter.name} chapter says {', '.join(chapter.cues)})"
                )
        if in_file != list(chapter.cues):
            raise FilmError(
                f"{words.path}: the cues of [{chapter.name}.cues] are in the order "
                f"{', '.join(in_file)}; the chapter says them {', '.join(chapter.cues)}"
            )
    for name in words.chapters():
        if name not in known and words.cue_templates(name):
            first = next(iter(words.cue_templates(name)))
            raise FilmError(f"{words.path}: cue {cue_id(name, first)!r} is said by no chapter")


@dataclass
class HandOffs:
    """The hand-offs while the film plays: only the current chapter's declared ones can be
    taken or left, and a chapter must leave what it declares."""

    chapter: Chapter | None = None
    _live: dict[str, object] = field(default_factory=dict)
    _left: set[str] = field(default_factory=set)
    _taken: set[str] = field(default_factory=set)

    def begin(self, chapter: Chapter) -> None:
        self.chapter, self._left, self._taken = chapter, set(), set()

    def take(self, name: str):
        chapter = self._current()
        if name not in chapter.takes:
            raise FilmError(
                f"chapter {chapter.name!r} takes {name!r} without declaring it "
                f"(add it to its CHAPTER's takes)"
            )
        if name not in self._live:  # check_chain rules this out before the film starts
            raise FilmError(f"chapter {chapter.name!r} takes {name!r}, which no chapter left")
        self._taken.add(name)
        return self._live[name]

    def leave(self, name: str, value: object) -> None:
        chapter = self._current()
        if name not in chapter.leaves:
            raise FilmError(
                f"chapter {chapter.name!r} leaves {name!r} without declaring it "
                f"(add it to its CHAPTER's leaves)"
            )
        self._live[name] = value
        self._left.add(name)

    def end(self) -> None:
        """The chapter is over: it must have taken and left what it declared."""
        chapter = self._current()
        if unused := [name for name in chapter.takes if name not in self._taken]:
            raise FilmError(f"chapter {chapter.name!r} declares it takes {unused} but did not")
        if missing := [name for name in chapter.leaves if name not in self._left]:
            raise FilmError(f"chapter {chapter.name!r} declares it leaves {missing} but did not")
        for name in chapter.drops:
            self._live.pop(name, None)
        self.chapter = None

    def peek(self, name: str):
        """A hand-off's current value, or None: for tests and probes, not for chapters."""
        return self._live.get(name)

    def _current(self) -> Chapter:
        if self.chapter is None:
            raise FilmError("hand-offs are taken and left only while a chapter plays")
        return self.chapter
