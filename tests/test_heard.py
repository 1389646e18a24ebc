"""The whole narrated film, heard: Whisper transcribes the film's sound, cue by cue (runs
of consecutive cues, from the first's subtitle start to the last's end, that fit in one
of Whisper's 30 s windows: a cue alone would be padded to one), and the transcript is
scored against what the voice was given, the cues' spoken forms: words for English
(Piper, under 5%), characters for Chinese (fastspeech2, under 25%). The scorer and the
recogniser live in tests/speech_recognition.py, independent of the voice code;
scripts/intelligibility.py prints the same figures for any film.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import srt
from audio_helpers import film_sound
from speech_recognition import error_counts, error_rate, transcribe

from bce_film.options import FilmOptions
from bce_film.voicing import film_voicing
from scenes.narration import ScriptLine, narration_script

pytestmark = pytest.mark.render

MARGIN = 0.15  # seconds of sound either side of a subtitle: a voice's soft first sound
WINDOW = 28.0  # seconds heard at once, at most (Whisper's window is 30 s)
WORST = 5  # runs of cues named when the film is not understood


def script(options: FilmOptions) -> list[ScriptLine]:
    inputs = options.inputs()
    return narration_script(inputs.lesson, inputs.words, inputs.style, film_voicing(options))


def heard_cues(film: Path, lines: list[ScriptLine], language: str) -> list[tuple[str, str, str]]:
    """(cue ids, their spoken forms, what Whisper heard) for each run of consecutive
    subtitles of the film, which must be the script's cues, in order, in their written
    words."""
    subtitles = list(srt.parse(film.with_suffix(".srt").read_text(encoding="utf-8")))
    assert [cue.content for cue in subtitles] == [line.text for line in lines]
    spans = [(c.start.total_seconds() - MARGIN, c.end.total_seconds() + MARGIN) for c in subtitles]
    runs: list[list[int]] = []
    for index, (_, end) in enumerate(spans):
        if runs and end - spans[runs[-1][0]][0] <= WINDOW:
            runs[-1].append(index)
        else:
            runs.append([index])
    sound = film_sound(film)
    heard = []
    for run in runs:
        first = max(0, round(spans[run[0]][0] * sound.rate))
        last = round(spans[run[-1]][1] * sound.rate)
        text = transcribe(sound.samples[first:last], sound.rate, language)
        cues = ", ".join(lines[index].id for index in run)
        heard.append((cues, " ".join(lines[index].spoken for index in run), text))
    return heard


def assert_understood(heard: list[tuple[str, str, str]], language: str, limit: float) -> None:
    errors, length = error_counts([h[1] for h in heard], [h[2] for h in heard], language)
    worst = sorted(heard, key=lambda h: -error_rate(h[1], h[2], language))[:WORST]
    lines = "\n".join(f"  {cue}: {spoken!r} heard as {text!r}" for cue, spoken, text in worst)
    assert errors / length < limit, f"error rate {errors / length:.3f}; worst cues:\n{lines}"


def test_the_english_film_is_heard_word_for_word(narrated):
    """Piper's film, by a plain manim run (conftest's ``narrated``)."""
    lines = script(FilmOptions(language="en", voice="piper"))
    assert_understood(heard_cues(narrated, lines, "en"), "en", 0.05)


def test_the_chinese_film_is_heard_character_for_character(zh_light):
    """The Chinese film on white, 9:16 (conftest's ``zh_light``): no voice was asked
    for, so Chinese's default, the natural Mandarin voice, speaks it."""
    folder, done = zh_light
    assert "fastspeech2:" in done.stderr, "the Mandarin voice spoke the film"
    lines = script(FilmOptions(language="zh", theme="light", aspect="9:16"))
    film = folder / "bce-zh-light-vertical.mp4"
    assert_understood(heard_cues(film, lines, "zh"), "zh", 0.25)
