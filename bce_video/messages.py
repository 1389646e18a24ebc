"""What a worker tells the parent, through its pipe, in order: Ready, then for each of
its chapters ChapterStarted and ChapterRendered, then Finished; or Failed at any point."""

from __future__ import annotations

from dataclasses import dataclass, field

from bce_film.timeline import CueSpan


@dataclass
class ChapterPiece:
    """What one worker made of one chapter."""

    name: str
    scene_seconds: float  # the chapter's length in scene time
    movies: list[str] = field(default_factory=list)  # partial movies, in order
    # seconds from the chapter's start in the rendered video
    cues: list[CueSpan] = field(default_factory=list)
    fullest_cue: str | None = None  # the id of the cue it shows the most after
    rendered: bool = False  # False: played skipped, only to reach a later chapter
    render_seconds: float = 0.0  # wall time the worker spent on it


@dataclass(frozen=True)
class Ready:
    """Python has started and Ctrl-C now ends the worker quietly."""


@dataclass(frozen=True)
class ChapterStarted:
    chapter: str


@dataclass(frozen=True)
class ChapterRendered:
    piece: ChapterPiece


@dataclass(frozen=True)
class Finished:
    pieces: list[ChapterPiece]  # every chapter the worker played, rendered or skipped


@dataclass(frozen=True)
class Failed:
    chapter: str | None  # None: outside any chapter
    detail: str  # the exception, one line
    trace: str  # its traceback
