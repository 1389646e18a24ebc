"""Stills of a rendered film, chosen on its timeline: a poster (a frame that shows the
film's idea) and one small thumbnail per chapter (a chapter list's pictures). A chapter's
still is decoded from the chapter's own movies (``chapter_still``), its thumbnail kept
with the chapter (``film_cache``): the film is never decoded for them."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from bce_film.timeline import ChapterSpan, Timeline

#: The poster's chapter: every point's loss as a bar, and their mean, the loss itself.
POSTER_CHAPTER = "mean_loss"
#: A thumbnail's longer side, in pixels (a chapter list shows them about 120 px wide:
#: this is sharp on a high-density screen and about 10 kB as JPEG).
THUMBNAIL_SIZE = 320
THUMBNAIL_QUALITY = 80
#: How far before its cue ends a chapter's still is taken.
BEFORE_THE_END = 0.1
#: A frame shown at a time a float's error after it still counts as shown then.
TIME_SLACK = 1e-6


def still_time(chapter: ChapterSpan) -> float:
    """A chapter's still (its thumbnail, the handout's picture, the poster): just before
    its fullest cue ends (``ChapterSpan.fullest_cue``: after it, the chapter shows the
    most, as the render measured it; the formula and the code fade out on their
    chapter's last cue), when what the cue brings is all on screen. A chapter measured
    by no render: its last cue's end; no cues: its end."""
    cue = next((cue for cue in chapter.cues if cue.id == chapter.fullest_cue), None)
    cue = cue or (chapter.cues[-1] if chapter.cues else None)
    end = cue.end if cue else chapter.end
    return max(chapter.start, min(end, chapter.end) - BEFORE_THE_END)


def poster_chapter(timeline: Timeline) -> ChapterSpan:
    """The mean-loss chapter, or, in a film without it, its last chapter."""
    by_name = {chapter.name: chapter for chapter in timeline.chapters}
    return by_name.get(POSTER_CHAPTER, timeline.chapters[-1])


def thumbnail_name(index: int, chapter: ChapterSpan) -> str:
    """``01-title.jpg``: in film order, named by the chapter."""
    return f"{index + 1:02d}-{chapter.name}.jpg"


def frames_at(film: Path, times: Sequence[float]):
    """The frames (PIL images) shown at ``times`` seconds, in the order given. Each is
    found by seeking to the keyframe before it and decoding forward."""
    import av

    images = []
    with av.open(str(film)) as container:
        stream = container.streams.video[0]
        for time in times:
            container.seek(int(time / stream.time_base), stream=stream, backward=True)
            shown = None
            for frame in container.decode(stream):
                if frame.time > time + TIME_SLACK:
                    break
                shown = frame
            if shown is None:  # before the first frame's time: the first frame
                container.seek(0, stream=stream)
                shown = next(container.decode(stream))
            images.append(shown.to_image())
    return images


def movie_seconds(movie: str | Path) -> Fraction:
    """How long a movie lasts, read from its header (``video_length``)."""
    import av

    from bce_voice.soundtrack import video_length

    with av.open(str(movie)) as container:
        return video_length(container.streams.video[0])


def chapter_still(movies: Sequence[str], chapter: ChapterSpan):
    """The frame (a PIL image) a chapter shows at its still time (``still_time``), from
    its own movies played one after another: the frame the joined film shows then, whose
    packets are these movies' own, but found without the film (a film whose one chapter
    changed decodes that chapter's still alone)."""

    into = still_time(chapter) - chapter.start
    passed = Fraction(0)
    for index, movie in enumerate(movies):
        length = movie_seconds(movie)
        if into + TIME_SLACK < passed + length or index == len(movies) - 1:
            return frames_at(Path(movie), [into - float(passed)])[0]
        passed += length
    raise ValueError(f"chapter {chapter.name} has no movies")


def write_thumbnail(image, path: Path) -> None:
    """A chapter's thumbnail: ``image`` no larger than THUMBNAIL_SIZE, as JPEG."""
    from PIL import Image

    image = image.copy()
    image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    image.save(path, quality=THUMBNAIL_QUALITY)


def write_stills(
    timeline: Timeline,
    poster_image,
    chapter_thumbnails: Sequence[Path],
    poster: Path,
    thumbnails: Path,
) -> None:
    """``poster``: ``poster_image`` (the poster chapter's still, ``poster_chapter``) as a
    PNG at the film's size; ``thumbnails``: a folder of the chapters' thumbnails (made by
    ``write_thumbnail``, one per chapter of the timeline, in its order), each named by
    ``thumbnail_name``."""
    poster_image.save(poster, optimize=True)
    thumbnails.mkdir(parents=True, exist_ok=True)
    for index, (chapter, made) in enumerate(
        zip(timeline.chapters, chapter_thumbnails, strict=True)
    ):
        shutil.copyfile(made, thumbnails / thumbnail_name(index, chapter))
