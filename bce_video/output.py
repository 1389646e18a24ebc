"""What a render writes: the joined MP4, the subtitles and the chapter list (both from the
timeline), published so that files appear at their final paths only when complete."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import srt

from bce_film.timeline import Timeline

from .request import RenderedFilm, RenderError


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


def compose_srt(subtitles: list[tuple[float, float, str]]) -> str:
    return srt.compose(
        srt.Subtitle(number, timedelta(seconds=start), timedelta(seconds=end), text)
        for number, (start, end, text) in enumerate(subtitles, start=1)
    )


def subtitles_of(timeline: Timeline) -> str:
    """SubRip: one subtitle per cue."""
    return compose_srt([(cue.start, cue.end, cue.text) for cue in timeline.cues])


def chapters_of(timeline: Timeline) -> str:
    """JSON: each chapter's name, start and end in seconds."""
    chapters = [
        {"name": chapter.name, "start": round(chapter.start, 6), "end": round(chapter.end, 6)}
        for chapter in timeline.chapters
    ]
    return json.dumps(chapters, indent=2) + "\n"


def publish(movie: Path, subtitles: Path, chapters: Path, targets: RenderedFilm, copy: bool):
    """Subtitles and chapters first, the MP4 last: its presence means all is there."""
    for source, target in ((subtitles, targets.subtitles), (chapters, targets.chapters)):
        _place(source, target, copy)
    _place(movie, targets.movie, copy)


def _place(source: Path, target: Path, copy: bool) -> None:
    part = target.with_name(f".{target.name}.part")
    (shutil.copyfile if copy else shutil.move)(str(source), str(part))
    part.replace(target)
