"""What a render is asked for and what it gives back."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bce_film.options import FilmOptions

QUALITIES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "k": "fourk_quality",
}


class RenderError(RuntimeError):
    """A chapter failed to render; ``chapter`` names it (None: outside any chapter)."""

    def __init__(self, chapter: str | None, reason: str) -> None:
        where = f"chapter {chapter!r}" if chapter else "the render"
        super().__init__(f"{where} failed: {reason}")
        self.chapter = chapter
        self.reason = reason


@dataclass(frozen=True)
class RenderRequest:
    options: FilmOptions = field(default_factory=FilmOptions)
    quality: str = "l"
    chapters: tuple[str, ...] | None = None  # None: the whole film
    draft: bool = False
    jobs: int = os.cpu_count() or 1

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise ValueError(f"quality {self.quality!r}: expected one of {', '.join(QUALITIES)}")
        if self.jobs < 1:
            raise ValueError(f"jobs is {self.jobs}, expected 1 or more")


@dataclass(frozen=True)
class RenderedFilm:
    """A render's files, side by side in one folder."""

    movie: Path  # the MP4
    subtitles: Path  # SubRip (.srt)
    chapters: Path  # JSON: each chapter's name, start and end
    captions: Path  # WebVTT (.vtt): each cue, identified by its id
    chapter_track: Path  # WebVTT chapters (.chapters.vtt): each chapter, by its heading
    poster: Path  # PNG
    thumbnails: Path  # a folder: one JPEG per chapter, 01-title.jpg ...
    from_cache: bool = False

    @classmethod
    def named(cls, out: Path, stem: str) -> RenderedFilm:
        return cls(
            movie=out / f"{stem}.mp4",
            subtitles=out / f"{stem}.srt",
            chapters=out / f"{stem}.chapters.json",
            captions=out / f"{stem}.vtt",
            chapter_track=out / f"{stem}.chapters.vtt",
            poster=out / f"{stem}.poster.png",
            thumbnails=out / f"{stem}.thumbnails",
        )

    def files(self) -> dict[str, Path]:
        """Each file by the name it has in the film cache, the MP4 last: its presence
        means all the others are there."""
        return {
            "film.srt": self.subtitles,
            "chapters.json": self.chapters,
            "film.vtt": self.captions,
            "chapters.vtt": self.chapter_track,
            "poster.png": self.poster,
            "thumbnails": self.thumbnails,
            "film.mp4": self.movie,
        }


def output_stem(options: FilmOptions, chapters: Iterable[str] | None, draft: bool = False) -> str:
    """bce-en-dark, bce-zh-light-vertical, bce-en-dark-fit, bce-en-dark-draft ..."""
    parts = ["bce", options.language, options.theme]
    if options.aspect == "9:16":
        parts.append("vertical")
    if chapters:
        parts.append("-".join(chapters))
    if draft:
        parts.append("draft")
    return "-".join(parts)
