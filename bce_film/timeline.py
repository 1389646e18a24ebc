"""The film's timeline: each chapter's and each cue's start and end, in seconds of the
rendered video, each chapter's heading, and the cue after which it shows the most.
Computed once, by a pure function, from what was rendered; the subtitles, the chapter
lists, the stills, the narration track and the web page are written from it. No Manim
here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CueSpan:
    """A cue placed on the timeline: the one shape of it everywhere it is passed on (a
    worker's message, the chapter cache's record, the timeline, the subtitle writers, the
    page's cue lists). Its times are seconds of the rendered video: from the film's start
    on the timeline, from its chapter's start before the chapter is placed."""

    id: str  # chapter.name
    text: str  # as shown, numbers filled in (in a WebVTT file: as WebVTT cue text)
    start: float
    end: float

    def later(self, seconds: float) -> CueSpan:
        """The same cue ``seconds`` later (a chapter's cue placed on the film's time)."""
        return CueSpan(self.id, self.text, seconds + self.start, seconds + self.end)


@dataclass(frozen=True)
class ChapterSpan:
    name: str
    start: float
    end: float
    cues: tuple[CueSpan, ...]
    heading: str = ""  # as a viewer reads it (a chapter list's entry)
    # The id of the cue after which the chapter shows the most, as the render measured
    # it (``bce_film.preflight.fullest_cue``): its stills are taken as that cue ends.
    # None: not measured (a film written before it was), its last cue stands in.
    fullest_cue: str | None = None


@dataclass(frozen=True)
class RenderedChapter:
    """What the timeline needs of a rendered chapter: its length, its cues timed from
    the chapter's own start, and its fullest cue (``ChapterSpan.fullest_cue``)."""

    name: str
    seconds: float
    cues: tuple[CueSpan, ...]
    heading: str = ""
    fullest_cue: str | None = None


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
        cues = tuple(cue.later(offset) for cue in chapter.cues)
        end = offset + chapter.seconds
        spans.append(
            ChapterSpan(chapter.name, offset, end, cues, chapter.heading, chapter.fullest_cue)
        )
        offset += chapter.seconds
    return Timeline(tuple(spans))
