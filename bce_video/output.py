"""What a render writes: the joined MP4; from the timeline, the subtitles (SubRip and
WebVTT), the chapter lists (JSON and WebVTT), the poster and a thumbnail per chapter; all
published so that files appear at their final paths only when complete."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import srt
import webvtt

from bce_film.timeline import CueSpan, Timeline
from bce_voice.files import written_atomically

from .request import RenderedFilm, RenderError
from .stills import movie_seconds, write_stills


def join_movies(movies: list[str], target: Path) -> None:
    """Concatenate partial movies packet by packet (no re-encoding), as Manim does, into
    an MP4 whose index is at the front, so that a browser can start playing at once."""
    import av

    if not movies:
        raise RenderError(None, "no animations were rendered")
    manifest = target.with_suffix(".concat.txt")
    manifest.write_text("".join(f"file 'file:{Path(m).as_posix()}'\n" for m in movies))
    with (
        av.open(str(manifest), format="concat", options={"safe": "0"}) as source,
        av.open(str(target), mode="w", options={"movflags": "+faststart"}) as joined,
    ):
        stream = source.streams.video[0]
        output = joined.add_stream_from_template(template=stream)
        for packet in source.demux(stream):
            if packet.dts is None:  # the flushing packets demux adds
                continue
            packet.dts = None  # let the muxer recompute it across the joins
            packet.stream = output
            joined.mux(packet)
    manifest.unlink()


def movies_seconds(movies: list[str]) -> Fraction:
    """How long the movies last played one after another (as ``join_movies`` joins them):
    their frames at their rate, read from their headers."""
    return sum((movie_seconds(movie) for movie in movies), Fraction(0))


def compose_srt(cues: Iterable[CueSpan]) -> str:
    """SubRip from ``cues``, numbered from 1 (SubRip has no ids)."""
    return srt.compose(
        srt.Subtitle(number, timedelta(seconds=cue.start), timedelta(seconds=cue.end), cue.text)
        for number, cue in enumerate(cues, start=1)
    )


def subtitles_of(timeline: Timeline) -> str:
    """SubRip: one subtitle per cue."""
    return compose_srt(timeline.cues)


def chapters_of(timeline: Timeline) -> str:
    """JSON: each chapter's name, start and end in seconds, and its fullest cue (the id
    of the cue its stills are taken at, ``ChapterSpan.fullest_cue``)."""
    chapters = [
        {
            "name": chapter.name,
            "start": round(chapter.start, 6),
            "end": round(chapter.end, 6),
            "fullest_cue": chapter.fullest_cue,
        }
        for chapter in timeline.chapters
    ]
    return json.dumps(chapters, indent=2) + "\n"


def compose_vtt(cues: Iterable[CueSpan]) -> str:
    """WebVTT from ``cues``, their texts already WebVTT cue text (``vtt_text``)."""
    document = webvtt.WebVTT()
    for cue in cues:
        document.captions.append(
            webvtt.Caption(_stamp(cue.start), _stamp(cue.end), cue.text, cue.id)
        )
    return document.content


def captions_of(timeline: Timeline) -> str:
    """WebVTT: one cue per cue of the film, identified by its id (``chapter.name``), the
    joint by which a page puts another language's words on this film's times."""
    return compose_vtt(replace(cue, text=vtt_text(cue.text)) for cue in timeline.cues)


def chapter_track_of(timeline: Timeline) -> str:
    """WebVTT chapters: one cue per chapter, identified by its name, titled with its
    heading in the film's language."""
    return compose_vtt(
        CueSpan(chapter.name, vtt_text(chapter.heading or chapter.name), chapter.start, chapter.end)
        for chapter in timeline.chapters
    )


def vtt_text(text: str) -> str:
    """Words as WebVTT cue text: what would read as a tag or an entity is escaped (a
    class named ``<b>`` shows as ``<b>``), and no blank line ends the cue early."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(line for line in escaped.splitlines() if line.strip())


def _stamp(seconds: float) -> str:
    """HH:MM:SS.mmm, rounded to the millisecond."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis / 1000:06.3f}"


def write_film_files(
    folder: Path, timeline: Timeline, poster_image, chapter_thumbnails: Sequence[Path]
) -> None:
    """Beside the film in ``folder``, under their cache names (``RenderedFilm.files``):
    the subtitles, chapter lists, poster and thumbnails (``write_stills``: the poster
    chapter's still, and each chapter's thumbnail in the timeline's order)."""
    (folder / "film.srt").write_text(subtitles_of(timeline), encoding="utf-8")
    (folder / "chapters.json").write_text(chapters_of(timeline))
    (folder / "film.vtt").write_text(captions_of(timeline), encoding="utf-8")
    (folder / "chapters.vtt").write_text(chapter_track_of(timeline), encoding="utf-8")
    write_stills(
        timeline, poster_image, chapter_thumbnails, folder / "poster.png", folder / "thumbnails"
    )


def publish(folder: Path, targets: RenderedFilm, copy: bool) -> None:
    """The files named in ``folder`` (``RenderedFilm.files``) to their targets, the MP4
    last: its presence means all is there."""
    for name, target in targets.files().items():
        _place(folder / name, target, copy)


def _place(source: Path, target: Path, copy: bool) -> None:
    copied = shutil.copytree if source.is_dir() else shutil.copyfile
    with written_atomically(target) as part:
        (copied if copy else shutil.move)(str(source), str(part))
