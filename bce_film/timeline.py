"""The film's timeline: each chapter's and each cue's start and end, in seconds of the
rendered video, and each chapter's heading. Computed once, by a pure function, from what
was rendered; the subtitles, the chapter lists, the stills, the narration track and the
web page are written from it. No Manim here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CueSpan:
    id: str  # chapter.name
    text: str  # as shown, numbers filled in
    start: float
    end: float


@dataclass(frozen=True)
class ChapterSpan:
    name: str
    start: float
    end: float
    cues: tuple[CueSpan, ...]
    heading: str = ""  # as a viewer reads it (a chapter list's entry)


@dataclass(frozen=True)
class RenderedChapter:
    """What the timeline needs of a rendered chapter: its length, and its cues timed from
    the chapter's own start (id, text, start, end)."""

    name: str
    seconds: float
    cues: tuple[tuple[str, str, float, float], ...]
    heading: str = ""


@dataclass(frozen=True)
class Timeline:
    chapters: tuple[ChapterSpan, ...]

    @property
    def cues(self) -> list[CueSpan]:
        return [cue for chapter in self.chapters for cue in chapter.cues]

    @property
    def duration(self) -> float:
        return self.chapters[-1].end if self.chapters else 0.0


def assemble_timeline(chapters: Iterable[RenderedChapter]) -> Timeline:
    """Lay the chapters end to end, in the order given (the film's)."""
    spans, offset = [], 0.0
    for chapter in chapters:
        cues = tuple(
            CueSpan(cue_id, text, offset + start, offset + end)
            for cue_id, text, start, end in chapter.cues
        )
        spans.append(
            ChapterSpan(chapter.name, offset, offset + chapter.seconds, cues, chapter.heading)
        )
        offset += chapter.seconds
    return Timeline(tuple(spans))
