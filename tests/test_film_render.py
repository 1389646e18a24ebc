"""The film as rendered by manim at -ql: the whole film with its sections and subtitles;
each chapter starts on the picture the previous one ends on; a chapter renders alone.

Slow (several minutes of rendering): every test here is marked ``render``; deselect
them with ``-m "not render"``. Each video is rendered once per session.

The renders are of the default film (the article, English, dark, 16:9), the whole film
spoken by Piper as a user's first render is (conftest's ``film``): the shell's BCE_* film
settings are not passed to manim.

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

import numpy as np
import pytest
from film_helpers import (
    QUALITY_FOLDER,
    UPDATE_CONTROL_VARIABLE,
    FilmRender,
    first_and_last_frames,
    frame_difference,
    media_output,
    parse_srt,
    read_png,
    read_sections,
    run_bce_video,
    run_manim,
    seed_caches,
    video_info,
    write_png,
)
from paths import CONTROL_DIR, REPO_ROOT

from scenes.chapters import ORDER, scene_class_name
from scenes.words import load_words

pytestmark = pytest.mark.render

CHAPTERS = list(ORDER)
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


# ----------------------------------------------------------------------- the whole film


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
    expected = sum(len(words.cue_templates(name)) for name in CHAPTERS)
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


def test_a_silent_film_s_subtitles_can_be_read(tmp_path):
    """Unspoken, a cue is up for its reading time (a spoken one, while it is spoken:
    tests/test_narrated_render.py): bce-video script's timeline, which renders take."""
    script = run_bce_video("script", "--voice", "none", "--format", "srt", cache=tmp_path)
    assert script.returncode == 0, script.stderr
    too_fast = [
        f"{cue.index}: {len(cue.text) / cue.duration:.1f} chars/s "
        f"({len(cue.text)} chars in {cue.duration:.2f} s): {cue.text!r}"
        for cue in parse_srt(script.stdout)
        if len(cue.text) / cue.duration > MAX_READING_SPEED
    ]
    assert not too_fast, "cues shown too briefly:\n  " + "\n  ".join(too_fast)


# ------------------------------------------------------------------------ chapters alone


class ChapterClips:
    """The first and last frame of each chapter, from the film's section clips."""

    def __init__(self, film: FilmRender) -> None:
        self.film = film
        self.clips = {
            section["name"]: film.sections.parent / section["video"]
            for section in read_sections(film.sections)
        }
        self._frames: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def frames(self, chapter: str) -> tuple[np.ndarray, np.ndarray]:
        if chapter not in self._frames:
            self._frames[chapter] = first_and_last_frames(self.clips[chapter])
        return self._frames[chapter]


@pytest.fixture(scope="session")
def chapters(film) -> ChapterClips:
    return ChapterClips(film)


#: Rendered alone with scenes/chapter.py: the first chapter (nothing to skip) and one
#: after several skipped ones. That every chapter rendered after skipped ones starts
#: exactly where the film has it is tested frame by frame in test_parallel_render.py,
#: where half the chapters are rendered that way.
ALONE = ["title", "split"]


@pytest.mark.parametrize("chapter", ALONE)
def test_chapter_renders_alone(tmp_path, film, chapters, chapter):
    scene = scene_class_name(chapter)
    seed_caches(tmp_path)
    failure = run_manim(["--disable_caching", "scenes/chapter.py", scene], tmp_path, 900)
    assert failure is None, failure
    alone = media_output(tmp_path, "chapter", scene)
    info = video_info(alone)
    assert (info.width, info.height) == (854, 480)
    assert alone.parent.name == QUALITY_FOLDER
    first, last = first_and_last_frames(alone)
    film_first, film_last = chapters.frames(chapter)
    for mine, theirs, which in ((first, film_first, "first"), (last, film_last, "last")):
        difference = frame_difference(mine, theirs, JOIN_THRESHOLD)
        assert difference.mean < JOIN_MEAN and difference.share_over < JOIN_SHARE, (
            f"the {which} frame of {chapter} alone is not the film's: {difference}"
        )


@pytest.mark.parametrize(
    ("before", "after"),
    list(itertools.pairwise(CHAPTERS)),
    ids=[f"{a}-{b}" for a, b in itertools.pairwise(CHAPTERS)],
)
def test_chapters_join_up(chapters, before, after):
    """Chapter k + 1 starts on the picture chapter k ends on: nothing pops in or out
    at a cut."""
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
