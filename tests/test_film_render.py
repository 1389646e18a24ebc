"""The film as rendered by manim at -ql: the whole film with its sections and subtitles,
and each chapter alone, which must start exactly where the previous chapter ends.

Slow (several minutes of rendering): every test here is marked ``render``; deselect
them with ``-m "not render"``. Each video is rendered once per session.

The renders are of the default film (the article, English, dark, 16:9): the shell's
BCE_* film settings are not passed to manim.

Environment:
  BCE_TEST_RENDER_DIR         render the whole film into this folder (relative to the
                              repository; CI sets it to renders/ so the render is its
                              artifact) instead of a temporary one.
  BCE_UPDATE_CONTROL_FRAMES=1 write tests/control_frames/<chapter>.png from this render
                              instead of comparing (those tests then skip).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from film_helpers import (
    CONTROL_DIR,
    FILM_SCENE,
    QUALITY_FOLDER,
    RENDER_DIR_VARIABLE,
    REPO_ROOT,
    UPDATE_CONTROL_VARIABLE,
    Cue,
    VideoInfo,
    first_and_last_frames,
    frame_difference,
    media_output,
    parse_srt,
    read_png,
    read_sections,
    run_manim,
    scene_class_name,
    seed_caches,
    video_info,
    write_png,
)

from scenes.film import chapter_names
from scenes.words import load_words

pytestmark = pytest.mark.render

CHAPTERS = chapter_names()
FILM_SECONDS = (270.0, 360.0)
MIN_SECTIONS = 18
MIN_SUBTITLE_COVER = 0.70  # share of the film with a subtitle up
MAX_CUE_CHARACTERS = 100  # more would wrap to a third line in players
MAX_CUE_LINES = 2
MAX_READING_SPEED = 15.0  # characters per second a cue is shown
#: Last frame of chapter k alone against first frame of chapter k + 1 alone: mean absolute
#: difference, share of pixels off by more than the threshold, and (as those two let a
#: vanishing dot and word pass: ~0.25% of the pixels) the mean difference of the worst
#: 8x8 block. Video coding noise reaches about 18 there, a dot or a word popping 90.
JOIN_MEAN, JOIN_THRESHOLD, JOIN_SHARE, JOIN_BLOCK = 1.0, 40, 0.005, 40.0
#: Last frame of a chapter alone against its control frame.
CONTROL_CHAPTERS = ["fit", "stand_bars", "mean_loss", "entropy"]
CONTROL_MEAN, CONTROL_THRESHOLD, CONTROL_SHARE = 2.0, 48, 0.01
FILM_TIMEOUT = 3600  # seconds
CHAPTER_TIMEOUT = 900


# ----------------------------------------------------------------------- the whole film


@dataclass
class FilmRender:
    video: Path
    subtitles: Path
    sections: Path
    info: VideoInfo

    @property
    def cues(self) -> list[Cue]:
        return parse_srt(self.subtitles.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def film(tmp_path_factory) -> FilmRender:
    chosen = os.environ.get(RENDER_DIR_VARIABLE)
    if chosen:
        media_dir = Path(chosen)
        media_dir = media_dir if media_dir.is_absolute() else REPO_ROOT / media_dir
    else:
        media_dir = tmp_path_factory.mktemp("film-render")
    video = media_output(media_dir, "bce", FILM_SCENE)
    subtitles = video.with_suffix(".srt")
    sections = video.parent / "sections" / f"{FILM_SCENE}.json"
    # A previous render in the same folder must not pass for this one.
    for stale in (video, subtitles, sections):
        stale.unlink(missing_ok=True)
    seed_caches(media_dir)
    failure = run_manim(["--save_sections", "scenes/bce.py"], media_dir, FILM_TIMEOUT)
    if failure:
        pytest.fail(f"the film did not render: {failure}")
    assert video.is_file(), f"no {video}"
    return FilmRender(video, subtitles, sections, video_info(video))


def test_film_format_and_length(film):
    info = film.info
    assert (info.width, info.height) == (854, 480)
    assert info.fps == 15
    low, high = FILM_SECONDS
    assert low <= info.duration <= high, f"the film lasts {info.duration:.1f} s"


def test_sections_are_the_chapters_in_order(film):
    assert film.sections.is_file(), f"no {film.sections} (was --save_sections passed?)"
    sections = read_sections(film.sections)
    names = [section["name"] for section in sections]
    assert len(names) >= MIN_SECTIONS
    assert names == CHAPTERS


def test_section_clips_make_up_the_film(film):
    sections = read_sections(film.sections)
    total = 0.0
    for section in sections:
        clip = film.sections.parent / section["video"]
        assert clip.is_file(), f"no clip for {section['name']}"
        info = video_info(clip)
        assert info.frames > 0, f"{section['name']} has no frames"
        total += info.duration
    assert total == pytest.approx(film.info.duration, abs=0.5)


def test_subtitles_cover_the_film(film):
    assert film.subtitles.is_file(), f"no subtitles beside {film.video}"
    cues = film.cues
    shown = sum(cue.duration for cue in cues)
    assert shown / film.info.duration >= MIN_SUBTITLE_COVER, (
        f"subtitles are up {shown:.1f} s of {film.info.duration:.1f} s"
    )
    assert cues[-1].end <= film.info.duration + 0.1


def test_every_cue_is_subtitled_once(film):
    words = load_words("en")  # the renders are of the default film
    expected = sum(len(words.table[name]["cues"]) for name in CHAPTERS)
    assert len(film.cues) == expected
    assert [cue.index for cue in film.cues] == list(range(1, expected + 1))


def test_subtitles_do_not_overlap(film):
    cues = film.cues
    bad = [cue for cue in cues if cue.duration <= 0]
    assert not bad, f"cues with no duration: {[c.index for c in bad]}"
    overlapping = [
        f"{a.index} ends at {a.end:.3f} s, {b.index} starts at {b.start:.3f} s"
        for a, b in itertools.pairwise(cues)
        if b.start < a.end
    ]
    assert not overlapping, "overlapping cues:\n  " + "\n  ".join(overlapping)


def test_subtitles_fit_two_lines(film):
    too_long = [
        f"{cue.index}: {len(cue.text)} chars in {len(cue.lines)} lines: {cue.text!r}"
        for cue in film.cues
        if len(cue.lines) > MAX_CUE_LINES or len(cue.text) > MAX_CUE_CHARACTERS
    ]
    assert not too_long, "cues that would not fit two lines:\n  " + "\n  ".join(too_long)


def test_subtitles_can_be_read(film):
    too_fast = [
        f"{cue.index}: {len(cue.text) / cue.duration:.1f} chars/s "
        f"({len(cue.text)} chars in {cue.duration:.2f} s): {cue.text!r}"
        for cue in film.cues
        if len(cue.text) / cue.duration > MAX_READING_SPEED
    ]
    assert not too_fast, "cues shown too briefly:\n  " + "\n  ".join(too_fast)


# ------------------------------------------------------------------------ chapters alone


class ChapterRenders:
    """Each chapter rendered alone (scenes/chapter.py <Name>) on first use, then kept."""

    def __init__(self, media_dir: Path) -> None:
        self.media_dir = media_dir
        self._results: dict[str, Path | str] = {}
        self._frames: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        seed_caches(media_dir)

    def video(self, chapter: str) -> Path:
        if chapter not in self._results:
            scene = scene_class_name(chapter)
            # A fresh folder has no cached animations to reuse: hashing them is only cost.
            failure = run_manim(
                ["--disable_caching", "scenes/chapter.py", scene], self.media_dir, CHAPTER_TIMEOUT
            )
            path = media_output(self.media_dir, "chapter", scene)
            if failure is None and not path.is_file():
                failure = f"manim wrote no {path}"
            self._results[chapter] = failure or path
        result = self._results[chapter]
        if isinstance(result, str):
            pytest.fail(f"{chapter} did not render alone: {result}")
        return result

    def frames(self, chapter: str) -> tuple[np.ndarray, np.ndarray]:
        """(first, last) frame of the chapter alone."""
        if chapter not in self._frames:
            self._frames[chapter] = first_and_last_frames(self.video(chapter))
        return self._frames[chapter]


@pytest.fixture(scope="session")
def chapters(tmp_path_factory) -> ChapterRenders:
    return ChapterRenders(tmp_path_factory.mktemp("chapter-renders"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_renders_alone(chapters, chapter):
    info = video_info(chapters.video(chapter))
    assert info.frames > 0
    assert (info.width, info.height) == (854, 480)
    assert chapters.video(chapter).parent.name == QUALITY_FOLDER


@pytest.mark.parametrize(
    ("before", "after"),
    list(itertools.pairwise(CHAPTERS)),
    ids=[f"{a}-{b}" for a, b in itertools.pairwise(CHAPTERS)],
)
def test_chapters_join_up(chapters, before, after):
    """Chapter k + 1 alone starts on the picture chapter k alone ends on."""
    _, last = chapters.frames(before)
    first, _ = chapters.frames(after)
    difference = frame_difference(last, first, JOIN_THRESHOLD)
    assert (
        difference.mean < JOIN_MEAN
        and difference.share_over < JOIN_SHARE
        and difference.worst_block < JOIN_BLOCK
    ), f"the last frame of {before} and the first frame of {after} differ: {difference}"


@pytest.mark.parametrize("chapter", CONTROL_CHAPTERS)
def test_control_frame(chapters, chapter):
    """The end of a key chapter looks as it did when the control frame was made.

    Regenerate after an intended change of looks:
    BCE_UPDATE_CONTROL_FRAMES=1 .venv/bin/python -m pytest tests/test_film_render.py -k control
    """
    _, last = chapters.frames(chapter)
    reference = CONTROL_DIR / f"{chapter}.png"
    if os.environ.get(UPDATE_CONTROL_VARIABLE) == "1":
        write_png(reference, last)
        pytest.skip(f"wrote {reference.relative_to(REPO_ROOT)}")
    assert reference.is_file(), (
        f"no control frame {reference}; make it with {UPDATE_CONTROL_VARIABLE}=1"
    )
    difference = frame_difference(last, read_png(reference), CONTROL_THRESHOLD)
    assert difference.mean < CONTROL_MEAN and difference.share_over < CONTROL_SHARE, (
        f"the end of {chapter} no longer matches {reference.name}: {difference} "
        f"(if the change is intended, regenerate with {UPDATE_CONTROL_VARIABLE}=1)"
    )
