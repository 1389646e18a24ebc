"""The narrated film, rendered: one AAC track as long as the video, speech starting with
each subtitle and ending with it, at -16 LUFS with true peaks under -1 dBTP, no clicks at
the cue edges; the same frames and the same audio from ``bce-video render --jobs 2`` and
a plain ``BCE_VOICE=piper manim -ql scenes/bce.py``; one cue's words edited: that cue
synthesised again and its chapter alone redrawn.

Piper, the English film's voice, speaks the whole film (and tests/test_heard.py listens
to it); the parallel render starts from the plain run's speech and mastered sound (no
second minute of synthesis, and every chapter's sound taken from there says each is timed
alike to the sample). eSpeak NG, instant, speaks where a test edits words.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import srt
from audio_helpers import (
    SILENT_DBFS,
    ebur128,
    film_sound,
    level_between,
    loudness,
    speech_onsets,
)
from film_helpers import FILM_SCENE, read_sections, run_bce_video
from test_parallel_render import (
    SOME,
    drawn_chapters,
    project_copy,
)

pytestmark = [pytest.mark.render]
__all__ = ["project_copy"]  # a fixture, used by name

ONSET_TOLERANCE = 0.080  # seconds between a subtitle's start and its speech's
LENGTH_TOLERANCE = 0.050  # seconds between the audio's length and the video's
EDGE = 0.010  # seconds around a cue's start and end where the track must not jump
EDGE_AT = 0.001  # seconds around them where it must be at zero


def subtitles(path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def narrated_parallel(parallel):
    """The session's film made by bce-video with two workers (conftest's ``parallel``)."""
    _, out, done = parallel
    return out / "bce-en-dark.mp4", done


def test_the_film_has_one_aac_track_as_long_as_its_video(narrated):
    sound = film_sound(narrated)
    assert (sound.codec, sound.rate, sound.channels) == ("aac", 48_000, 1)
    assert abs(sound.audio_seconds - sound.video_seconds) < LENGTH_TOLERANCE


def test_speech_starts_when_each_subtitle_starts_and_stops_when_it_ends(narrated):
    sound = film_sound(narrated)
    onsets = speech_onsets(sound)
    cues = subtitles(narrated.with_suffix(".srt"))
    late = []
    for cue in cues:
        start, end = cue.start.total_seconds(), cue.end.total_seconds()
        if np.min(np.abs(onsets - start)) > ONSET_TOLERANCE:
            late.append(f"{start:.2f} s {cue.content[:30]!r}")
        # Silence from just after the speech ends until the next cue begins.
        assert level_between(sound, end + 0.02, end + 0.2) < SILENT_DBFS, cue.content
    assert not late, f"no speech onset within 80 ms of: {late}"


def test_the_film_is_at_minus_16_lufs_with_true_peaks_under_minus_1_dbtp(narrated):
    assert loudness(film_sound(narrated)) == pytest.approx(-16.0, abs=1.0)
    integrated, peak = ebur128(narrated)
    assert integrated == pytest.approx(-16.0, abs=1.0)
    assert peak <= -1.0


def test_no_clicks_where_cues_start_and_end(narrated):
    """Each clip fades in and out (bce_voice.audio.FADE), so the track is at zero where a
    cue starts and ends, and moves there in small steps. Not silent around the edges: a
    clip keeps LEAD_IN before its first loud sound and TAIL after its last, and what is
    there (Piper's soft /h/ of "Here", a breath) can reach 0.02 five milliseconds in. A
    click is a jump: a clip cut at speech level (0.05 to 0.6 here) would start with one."""
    sound = film_sound(narrated)
    for cue in subtitles(narrated.with_suffix(".srt")):
        for edge in (cue.start.total_seconds(), cue.end.total_seconds()):
            at = [round((edge + d) * sound.rate) for d in (-EDGE_AT, EDGE_AT)]
            assert np.max(np.abs(sound.samples[max(0, at[0]) : at[1]])) < 0.005, (
                f"not at zero at {edge:.3f} s: {cue.content[:30]!r}"
            )
            around = [round((edge + d) * sound.rate) for d in (-EDGE, EDGE)]
            steps = np.abs(np.diff(sound.samples[max(0, around[0]) : around[1]]))
            assert np.max(steps) < 0.05, f"a jump at {edge:.3f} s: {cue.content[:30]!r}"


def test_the_voice_sets_the_pace(narrated, tmp_path):
    """Each subtitle is up while its cue is spoken, not for its reading time: the
    narrated film is not the silent one (``bce-video script``'s timing) stretched."""
    spoken = subtitles(narrated.with_suffix(".srt"))
    script = run_bce_video("script", "--voice", "none", "--format", "srt", cache=tmp_path)
    assert script.returncode == 0, script.stderr
    read = list(srt.parse(script.stdout))
    assert [cue.content for cue in spoken] == [cue.content for cue in read]
    durations = np.array([(c.end - c.start).total_seconds() for c in spoken])
    reading = np.array([(c.end - c.start).total_seconds() for c in read])
    assert not np.allclose(durations, reading, atol=0.1)


def test_parallel_and_single_process_give_the_same_audio(narrated, narrated_parallel):
    """The same audio, sample for sample (the same frames: test_parallel_render.py)."""
    joined, _ = narrated_parallel
    mine, theirs = film_sound(joined).samples, film_sound(narrated).samples
    assert len(mine) == len(theirs)
    assert np.array_equal(mine, theirs), "the audio differs"


def test_parallel_subtitles_and_chapters_match_the_audio(narrated, narrated_parallel):
    joined, _ = narrated_parallel
    mine, theirs = subtitles(joined.with_suffix(".srt")), subtitles(narrated.with_suffix(".srt"))
    assert [cue.content for cue in mine] == [cue.content for cue in theirs]
    for a, b in zip(mine, theirs, strict=True):
        assert abs((a.start - b.start).total_seconds()) < 0.002
        assert abs((a.end - b.end).total_seconds()) < 0.002
    chapters = json.loads((joined.parent / "bce-en-dark.chapters.json").read_text())
    sections = read_sections(narrated.parent / "sections" / f"{FILM_SCENE}.json")
    start = 0.0
    for chapter, section in zip(chapters, sections, strict=True):
        assert chapter["start"] == pytest.approx(start, abs=1 / 15), chapter["name"]
        start += float(section["duration"])


def test_a_narrated_rerender_synthesises_nothing(parallel, tmp_path):
    """The film cache aside (a subset of the chapters is a new film), every clip comes
    from the synthesis cache."""
    cache, _, _ = parallel
    args = ("render", "--voice", "piper", "--chapter", "title", "--out", str(tmp_path))
    again = run_bce_video(*args, cache=cache)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "narration: 2 cues (piper: 0 synthesised, 2 from the cache)" in again.stderr


def test_editing_one_cue_synthesises_it_alone_and_redraws_its_chapter_alone(project_copy):
    cache, out = project_copy / "cache", project_copy / "out"
    args = ["render", "--voice", "espeak", "--chapter", *SOME, "--jobs", "2", "--out", str(out)]
    first = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert first.returncode == 0, first.stderr[-3000:]
    words = project_copy / "scenes" / "text" / "en.toml"
    text = words.read_text(encoding="utf-8")
    cue = 'loss = "To judge predicted probabilities we need a loss.'
    assert cue in text
    words.write_text(text.replace(cue, cue.replace("a loss.", "a loss, a number.")))
    second = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert second.returncode == 0, second.stderr[-3000:]
    assert re.search(r"espeak: 1 synthesised, \d+ from the cache", second.stderr)
    assert drawn_chapters(second.stderr) == {"formula"}
    assert "2 of 3 chapters came from the cache" in second.stderr


def test_recorded_takes_set_the_length_of_their_cues(tmp_path):
    """A short take and a long one: each subtitle lasts as long as its take (trimmed),
    and the film waits for the long one."""
    from test_voice import take, write_sound

    from bce_voice.audio import LEAD_IN, TAIL

    takes = tmp_path / "takes"
    takes.mkdir()
    lengths = {"title.what": 1.5, "title.source": 9.0}
    write_sound(takes / "title.what.mp3", take(lengths["title.what"], 44_100), 44_100)
    write_sound(takes / "title.source.flac", take(lengths["title.source"], 22_050), 22_050, 2)
    out = tmp_path / "out"
    args = ("render", "--narration", str(takes), "--chapter", "title", "--out", str(out))
    done = run_bce_video(*args, cache=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "narration: 2 cues (2 recorded)" in done.stderr
    movie = out / "bce-en-dark-title.mp4"
    cues = subtitles(movie.with_suffix(".srt"))
    for cue, seconds in zip(cues, lengths.values(), strict=True):
        shown = (cue.end - cue.start).total_seconds()
        assert shown == pytest.approx(seconds + LEAD_IN + TAIL, abs=0.03)
    sound = film_sound(movie)
    assert sound.video_seconds >= cues[-1].end.total_seconds(), "the film waits for the take"
    onsets = speech_onsets(sound)
    for cue in cues:
        assert np.min(np.abs(onsets - cue.start.total_seconds())) < ONSET_TOLERANCE
