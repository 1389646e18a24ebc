"""The voice and the recordings: clips made ready for the film (trimmed, at -16 LUFS, true
peaks under -1 dBTP, faded), measured with FFmpeg's ebur128 and pyloudnorm; recordings
of any format, rate and channel count; every bad recording named; the synthesis cache;
which voices a language gets; the soundtrack muxed beside an untouched video.
"""

from __future__ import annotations

import subprocess
import sys
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from audio_helpers import ebur128
from film_helpers import run_bce_video
from paths import REPO_ROOT

from bce_voice import audio
from bce_voice.cache import KeptSound, SpeechCache
from bce_voice.narrator import Cue, narrate
from bce_voice.recordings import NarrationError, find_recordings
from bce_voice.soundtrack import Soundtrack, add_soundtrack
from bce_voice.speech import VoiceError
from bce_voice.voices import VOICES, check_voice, default_voice

CODECS = {".wav": "pcm_s16le", ".flac": "flac", ".mp3": "libmp3lame", ".m4a": "aac"}
needs_espeak = pytest.mark.skipif(not VOICES["espeak"].available(), reason="no espeak-ng")


def tone(seconds: float, rate: int, level: float = 0.3, pitch: float = 220.0) -> np.ndarray:
    """A voiced-sounding signal: a tone with a few harmonics, syllable-like bursts."""
    t = np.arange(round(seconds * rate)) / rate
    wave = sum(np.sin(2 * np.pi * pitch * k * t) / k for k in (1, 2, 3))
    syllables = 0.6 + 0.4 * np.sin(2 * np.pi * 4.0 * t) ** 2
    return (level * wave * syllables / 1.8).astype(np.float32)


def write_sound(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    """Encode mono ``samples`` (repeated on each channel) into ``path`` by its suffix."""
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(CODECS[path.suffix], rate=rate, layout=layout)
        planar = np.repeat(samples.reshape(1, -1), channels, axis=0).astype(np.float32)
        for first in range(0, planar.shape[1], 4096):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(planar[:, first : first + 4096]), format="fltp", layout=layout
            )
            frame.sample_rate, frame.pts, frame.time_base = rate, first, Fraction(1, rate)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def take(seconds: float, rate: int = 44_100, before: float = 0.5, after: float = 0.7):
    """A recording: silence, ``seconds`` of sound, silence."""
    quiet = [np.zeros(round(s * rate), np.float32) for s in (before, after)]
    return np.concatenate([quiet[0], tone(seconds, rate), quiet[1]])


def write_clip(path: Path, clip: np.ndarray) -> Path:
    return write_sound(path, clip, audio.RATE)


# ------------------------------------------------------------------------ clips, measured


@pytest.mark.parametrize("suffix", list(CODECS))
@pytest.mark.parametrize(("rate", "channels"), [(44_100, 1), (22_050, 2), (48_000, 2)])
def test_a_recording_lasts_as_long_as_its_sound(tmp_path, suffix, rate, channels):
    path = write_sound(tmp_path / f"title.what{suffix}", take(2.0, rate), rate, channels)
    narration = narrate(
        [Cue("title.what", "...")], "en", "none", SpeechCache(tmp_path / "c"), tmp_path
    )
    seconds = narration.seconds()["title.what"]
    # The sound, a breath before it and the tail after, to within a window and the
    # codec's padding (MP3 and AAC add a frame of silence that is trimmed too).
    expected = 2.0 + audio.LEAD_IN + audio.TAIL
    assert abs(seconds - expected) < 0.03, (path.name, seconds)
    assert narration.sources == {"title.what": path.name}


@pytest.mark.parametrize("level", [0.02, 0.3, 0.99])
def test_a_clip_is_at_the_target_loudness_with_peaks_under_the_ceiling(tmp_path, level):
    """Quiet, normal and clipping-loud takes all come out at -16 LUFS (FFmpeg's meter,
    not ours) with true peaks held under -1 dBTP."""
    rate = 44_100
    loud = take(4.0, rate) * (level / 0.3)
    clip = audio.prepare_clip(audio.at_rate(loud, rate))
    integrated, peak = ebur128(write_sound(tmp_path / "clip.flac", clip, audio.RATE))
    assert abs(integrated - audio.TARGET_LUFS) < 0.5
    assert peak <= -1.0


@pytest.mark.parametrize("before", [1.0, 0.0], ids=["silence before", "sound at once"])
def test_a_clip_starts_and_ends_at_zero_and_its_silence_is_trimmed(before):
    """Every clip's sound starts a breath after the clip, however the take starts."""
    clip = audio.prepare_clip(take(1.5, audio.RATE, before=before, after=1.0))
    fade = round(audio.FADE * audio.RATE)
    assert clip[0] == 0 and abs(clip[-1]) < 1e-6
    assert np.all(np.abs(np.diff(clip[:fade])) < 0.05), "fades in, no step"
    # The sound begins a breath (LEAD_IN) after the clip does.
    first = np.flatnonzero(np.abs(clip) > 0.01)[0] / audio.RATE
    assert abs(first - audio.LEAD_IN) < 0.011


def test_the_limiter_holds_a_square_wave_under_the_ceiling():
    square = np.sign(tone(2.0, audio.RATE)).astype(np.float32)
    held = audio.limit_true_peak(square)
    assert audio.dbfs(audio.true_peak(held)) <= audio.PEAK_CEILING_DBTP + 0.3
    assert np.max(np.abs(np.diff(held))) <= 2.0, "no new steps beyond the square's own"


# ------------------------------------------------------------------------ bad recordings


def test_every_missing_cue_is_named_at_once(tmp_path):
    write_sound(tmp_path / "title.what.wav", take(1.0), 44_100)
    cues = [Cue("title.what", ""), Cue("title.source", ""), Cue("feature.points", "")]
    with pytest.raises(NarrationError) as error:
        narrate(cues, "en", "none", SpeechCache(tmp_path / "c"), tmp_path)
    message = str(error.value)
    assert "2 cue(s) have no recording" in message
    assert "title.source" in message and "feature.points" in message
    assert "title.what," not in message


@needs_espeak
def test_a_voice_given_speaks_the_missing_cues_with_a_warning(tmp_path):
    write_sound(tmp_path / "title.what.wav", take(1.0), 44_100)
    cues = [Cue("title.what", ""), Cue("title.source", "Here it is built up.")]
    warnings = []
    narration = narrate(
        cues, "en", "espeak", SpeechCache(tmp_path / "c"), tmp_path, voice_given=True,
        film_cues=[cue.id for cue in cues], warn=warnings.append,
    )  # fmt: skip
    assert narration.sources == {"title.what": "title.what.wav", "title.source": "espeak"}
    assert warnings == ["no recording of title.source: spoken by espeak"]


def test_files_that_match_no_cue_are_named_in_a_warning(tmp_path):
    write_sound(tmp_path / "title.what.wav", take(1.0), 44_100)
    write_sound(tmp_path / "title.wht.wav", take(1.0), 44_100)  # a typo
    (tmp_path / "notes.txt").write_text("take 2 was better")
    warnings = []
    narrate(
        [Cue("title.what", "")], "en", "none", SpeechCache(tmp_path / "c"), tmp_path,
        film_cues=["title.what", "title.source"], warn=warnings.append,
    )  # fmt: skip
    assert len(warnings) == 1
    assert "notes.txt" in warnings[0] and "title.wht.wav" in warnings[0]


def unusable(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name.startswith("garbage"):
        path.write_bytes(b"RIFF\x00\x00not really a wave file" * 10)
    elif name.startswith("empty"):  # a well-formed WAV with no samples in it
        with wave.open(str(path), "wb") as empty:
            empty.setnchannels(1), empty.setsampwidth(2), empty.setframerate(44_100)
    elif name.startswith("silent"):
        write_sound(path, np.zeros(2 * 44_100, np.float32), 44_100)
    elif name.startswith("long"):
        write_sound(path, tone(61.0, 8_000), 8_000)
    return path


BAD = {
    "garbage.wav": "cannot be decoded",
    "empty.wav": "is empty",
    "silent.flac": "is silent",
    "long.flac": "is 61.0 s long; a take may last 60 s",
}


def test_each_unusable_recording_is_named_with_its_reason(tmp_path):
    folder = tmp_path / "takes"
    folder.mkdir()
    cues = []
    for number, name in enumerate(BAD):
        cue = f"chapter.cue{number}"
        unusable(folder, name).rename(folder / f"{cue}{Path(name).suffix}")
        cues.append(Cue(cue, ""))
    with pytest.raises(NarrationError) as error:
        narrate(
            cues, "en", "none", SpeechCache(tmp_path / "c"), folder, film_cues=[c.id for c in cues]
        )
    lines = str(error.value).splitlines()
    for number, (name, reason) in enumerate(BAD.items()):
        assert any(f"chapter.cue{number}{Path(name).suffix} {reason}" in line for line in lines)


def test_two_recordings_of_one_cue_are_refused(tmp_path):
    write_sound(tmp_path / "title.what.wav", take(1.0), 44_100)
    write_sound(tmp_path / "title.what.flac", take(1.0), 44_100)
    with pytest.raises(NarrationError, match=r"title.what: title.what.flac and title.what.wav"):
        find_recordings(tmp_path, ["title.what"])


def test_the_command_refuses_bad_recordings_before_rendering(tmp_path):
    """Exit 2, every problem named, nothing written: the cues of the chapters rendered
    that have no file, the files that cannot be used, a typo in a file name."""
    takes = tmp_path / "takes"
    takes.mkdir()
    write_sound(takes / "title.what.wav", take(1.0), 44_100)
    unusable(takes, "silent.flac").rename(takes / "title.source.flac")
    write_sound(takes / "feature.pionts.wav", take(1.0), 44_100)
    out = tmp_path / "out"
    args = ("render", "--narration", str(takes), "--chapter", "title", "feature", "--out", str(out))
    done = run_bce_video(*args, cache=tmp_path / "cache")
    assert done.returncode == 2, done.stderr
    assert "feature.pionts.wav" in done.stderr, "the typo is named"
    assert "feature.points, feature.only_x" in done.stderr, "both missing cues, at once"
    assert not out.exists(), "nothing written"
    # With the missing ones recorded, the silent take is named.
    for cue in ("feature.points", "feature.only_x"):
        write_sound(takes / f"{cue}.m4a", take(1.0), 44_100)
    done = run_bce_video(*args, cache=tmp_path / "cache")
    assert done.returncode == 2, done.stderr
    assert "title.source.flac is silent" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", list(BAD))
def test_the_command_names_each_unusable_recording(tmp_path, name):
    takes = tmp_path / "takes"
    takes.mkdir()
    write_sound(takes / "title.what.wav", take(1.0), 44_100)
    unusable(takes, name).rename(takes / f"title.source{Path(name).suffix}")
    out = tmp_path / "out"
    args = ("render", "--narration", str(takes), "--chapter", "title", "--out", str(out))
    done = run_bce_video(*args, cache=tmp_path / "cache")
    assert done.returncode == 2, done.stderr
    assert f"title.source{Path(name).suffix} {BAD[name]}" in done.stderr
    assert not out.exists(), "nothing written"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--voice", "piper", "--lang", "zh"], "cannot speak 'zh'; voices that can: fastspeech2"),
        (["--voice", "robot"], "invalid choice: 'robot'"),
        (["--narration", "/no/such/folder"], "'/no/such/folder' is not a folder"),
    ],
)
def test_the_command_refuses_a_voice_that_cannot_speak(tmp_path, args, expected):
    done = run_bce_video("render", *args, "--out", str(tmp_path / "out"), cache=tmp_path / "cache")
    assert done.returncode == 2
    assert expected in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_plain_manim_run_refuses_an_unknown_voice(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "--media_dir", str(tmp_path), "scenes/bce.py"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "BCE_VOICE": "robot", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "voice 'robot' is unknown; voices for 'en':" in done.stderr
    assert "espeak" in done.stderr and "none (silent)" in done.stderr
    assert not list(tmp_path.rglob("*.mp4"))


# ------------------------------------------------------------------------- the voices


def test_each_language_gets_its_most_natural_installed_voice():
    piper = VOICES["piper"].available()
    assert default_voice("en") == ("piper" if piper else "none")
    fastspeech2 = VOICES["fastspeech2"].available()
    assert default_voice("zh") == ("fastspeech2" if fastspeech2 else "none"), "not eSpeak's"
    with pytest.raises(VoiceError, match=r"voices that can: fastspeech2 .*; espeak"):
        check_voice("piper", "zh")
    with pytest.raises(VoiceError, match="unknown"):
        check_voice("robot", "en")
    check_voice("none", "zh")


@needs_espeak
@pytest.mark.parametrize(
    ("language", "text"), [("en", "The mean is 0.3329."), ("zh", "平均损失是 0.3329。")]
)
def test_espeak_speaks_both_languages(tmp_path, language, text):
    narration = narrate([Cue("a.b", text)], language, "espeak", SpeechCache(tmp_path))
    clip = narration.clips["a.b"]
    assert 1.0 < len(clip) / audio.RATE < 6.0
    assert abs(audio.integrated_loudness(clip) - audio.TARGET_LUFS) < 0.5


@pytest.mark.skipif(not VOICES["piper"].available(), reason="piper is not installed")
def test_piper_says_the_same_words_with_the_same_samples():
    """No noise in Piper's generator: a render is deterministic, and a clip does not
    depend on which cues were synthesised with it."""
    piper = VOICES["piper"]
    first = piper.synthesize(["The mean is 0.3329.", "Hello."], "en")
    again = piper.synthesize(["Hello.", "The mean is 0.3329."], "en")
    assert np.array_equal(first[0].samples, again[1].samples)
    assert np.array_equal(first[1].samples, again[0].samples)


@needs_espeak
def test_synthesis_is_cached_by_voice_and_text(tmp_path):
    """Nothing changed: nothing synthesised. One cue's words changed: that cue alone.
    The caller hears once of a voice about to speak (a render then starts a worker), and
    not at all when nothing is spoken."""
    cache = SpeechCache(tmp_path)
    cues = [Cue("a.one", "One."), Cue("a.two", "Two."), Cue("a.three", "Three.")]
    heard = []
    first = narrate(cues, "en", "espeak", cache, while_speaking=lambda: heard.append("first"))
    again = narrate(cues, "en", "espeak", cache, while_speaking=lambda: heard.append("again"))
    assert (first.synthesised, again.synthesised) == (3, 0)
    assert all(np.array_equal(first.clips[c.id], again.clips[c.id]) for c in cues)
    edited = narrate(
        [cues[0], Cue("a.two", "Two, again."), cues[2]],
        "en",
        "espeak",
        cache,
        while_speaking=lambda: heard.append("edited"),
    )
    assert heard == ["first", "edited"]
    assert edited.synthesised == 1
    assert len(edited.clips["a.two"]) > len(first.clips["a.two"])
    assert edited.fingerprint() != first.fingerprint()
    assert narrate(cues, "zh", "espeak", cache).synthesised == 3, "the language is in the key"


# ------------------------------------------------------------------------ the soundtrack


def tiny_video(path: Path, seconds: float, fps: int = 15) -> Path:
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for number in range(round(seconds * fps)):
            pixels = np.full((48, 64, 3), number * 3 % 256, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode(None))
    return path


def test_the_soundtrack_is_one_aac_track_as_long_as_the_untouched_video(tmp_path):
    video = tiny_video(tmp_path / "video.mp4", 6.0)
    clips = [
        (0.5, audio.prepare_clip(take(1.5, audio.RATE))),
        (3.0, audio.prepare_clip(take(2.0, audio.RATE))),
    ]
    film = tmp_path / "film.mp4"
    kept = KeptSound(tmp_path / "kept", 10**9)
    add_soundtrack(video, Soundtrack.of([(0.0, 2.0), (2.0, 6.0)], clips, kept), film)
    with av.open(str(video)) as before, av.open(str(film)) as after:
        packets = [bytes(p) for p in before.demux(video=0) if p.size]
        assert [bytes(p) for p in after.demux(video=0) if p.size] == packets, "video untouched"
    with av.open(str(film)) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate, stream.channels) == ("aac", 48_000, 1)
        decoded = np.concatenate([f.to_ndarray()[0] for f in container.decode(stream)])
    assert abs(len(decoded) / 48_000 - 6.0) < 0.05
    levels = np.abs(decoded)
    assert levels[: round(0.49 * 48_000)].max() < 1e-3, "silent before the first cue"
    assert levels[round(0.55 * 48_000) : round(0.6 * 48_000)].max() > 0.05, "speaks at 0.5 s"
    integrated, peak = ebur128(film)
    assert abs(integrated - audio.TARGET_LUFS) < 1.0 and peak <= -1.0


def chapter_sounds(seconds_each: list[float], levels: list[float]) -> list[tuple]:
    """(chapters as (start, end), clips at their start times): one clip per chapter, 0.3 s
    into it, of a tone at each level."""
    chapters, placed, start = [], [], 0.0
    for seconds, level in zip(seconds_each, levels, strict=True):
        chapters.append((start, start + seconds))
        placed.append((start + 0.3, (level * audio.prepare_clip(take(1.0, audio.RATE)))))
        start += seconds
    return chapters, placed


def test_each_chapter_is_mastered_to_the_target_alone_and_the_film_with_them(tmp_path):
    """Chapters spoken at different levels each come out at -16 LUFS (pyloudnorm), so the
    whole track is at it too; every clip lands on the sample a whole track puts it on."""
    import pyloudnorm

    chapters, placed = chapter_sounds([2.0, 3.0, 2.5], [1.0, 0.3, 0.6])
    track = Soundtrack.of(chapters, placed, KeptSound(tmp_path, 10**9)).mastered()
    assert len(track) == round(7.5 * audio.RATE)
    meter = pyloudnorm.Meter(audio.RATE)
    for start, end in chapters:
        part = track[round(start * audio.RATE) : round(end * audio.RATE)].astype(np.float64)
        assert meter.integrated_loudness(part) == pytest.approx(audio.TARGET_LUFS, abs=0.1)
    assert meter.integrated_loudness(track.astype(np.float64)) == pytest.approx(
        audio.TARGET_LUFS, abs=0.1
    )
    # Where each clip's first sound is on a whole track, and nothing before it in its
    # chapter: mastering scales samples, so silence stays exactly 0.
    for (chapter_start, _), (start, clip) in zip(chapters, placed, strict=True):
        onset = round(start * audio.RATE) + int(np.flatnonzero(clip)[0])
        assert not track[round(chapter_start * audio.RATE) : onset].any()
        assert track[onset] != 0


def test_a_changed_chapter_is_the_only_one_mastered_again(tmp_path):
    """The parts are kept by what they are made of: with one chapter's clip changed, that
    chapter alone is mastered, and the track equals one mastered from nothing."""
    kept = KeptSound(tmp_path / "kept", 10**9)
    chapters, placed = chapter_sounds([2.0, 3.0, 2.5], [1.0, 0.3, 0.6])
    first = Soundtrack.of(chapters, placed, kept)
    first.mastered()
    assert first.mastered_now == 3
    again = Soundtrack.of(chapters, placed, kept)
    assert np.array_equal(again.mastered(), first.mastered()) and again.mastered_now == 0
    edited_placed = [*placed[:2], (placed[2][0], 0.5 * placed[2][1][: audio.RATE // 2])]
    edited = Soundtrack.of(chapters, edited_placed, kept)
    track = edited.mastered()
    assert edited.mastered_now == 1
    cold = Soundtrack.of(chapters, edited_placed, KeptSound(tmp_path / "cold", 10**9))
    assert np.array_equal(track, cold.mastered())


@pytest.mark.parametrize("damaged", ["part", "ceiling"])
def test_a_damaged_kept_part_is_mastered_again(damaged, tmp_path):
    """A part, or the ceiling kept beside it, cut short (as a full disk leaves it)."""
    kept = KeptSound(tmp_path, 10**9)
    chapters, placed = chapter_sounds([2.0, 3.0], [1.0, 0.5])
    clean = Soundtrack.of(chapters, placed, kept).mastered()
    files = sorted(tmp_path.glob("*/*.npy"))
    assert len(files) == 4, "each chapter's part and its ceiling"
    victim = next(p for p in files if p.stem.endswith("-ceiling") == (damaged == "ceiling"))
    victim.write_bytes(victim.read_bytes()[: min(1000, victim.stat().st_size - 8)])
    again = Soundtrack.of(chapters, placed, kept)
    assert np.array_equal(again.mastered(), clean) and again.mastered_now == 1


def test_a_chapter_lowered_by_the_decoded_check_keeps_its_ceiling(tmp_path):
    """The check on the decoded track lowers one chapter's ceiling: that chapter alone is
    mastered again, quieter at its peaks, and a later track with another chapter changed
    takes it as lowered (one pass: no chapter over again, the other kept)."""
    kept = KeptSound(tmp_path, 10**9)
    chapters, placed = chapter_sounds([2.0, 3.0, 2.5], [1.0, 0.3, 0.6])
    first = Soundtrack.of(chapters, placed, kept)
    track = first.mastered()
    ceilings = dict(first.ceilings)
    assert all(c <= audio.PEAK_CEILING_DBTP for c in ceilings.values())
    # The tones' peaks are about -7 dBFS at -16 LUFS: far enough down to be limited.
    first.lower({1: 7.35})
    lowered = first.mastered()
    assert first.mastered_now == 4, "the middle chapter alone, again"
    assert first.ceilings[1] == pytest.approx(ceilings[1] - 7.4)  # in tenths, down
    middle = slice(round(2.0 * audio.RATE), round(5.0 * audio.RATE))
    assert audio.true_peak(lowered[middle]) < audio.true_peak(track[middle])
    assert np.array_equal(lowered[: middle.start], track[: middle.start])
    edited_placed = [*placed[:2], (placed[2][0], 0.5 * placed[2][1][: audio.RATE // 2])]
    later = Soundtrack.of(chapters, edited_placed, kept)
    again = later.mastered()
    assert later.mastered_now == 1 and later.ceilings[1] == first.ceilings[1]
    assert np.array_equal(again[middle], lowered[middle])


# --- the true peak and the limiter, computed only where they can matter ------------------


def _whole_signal_peaks(samples: np.ndarray) -> np.ndarray:
    """The oracle: scipy's 4x oversampling of the whole signal, per sample."""
    from scipy.signal import resample_poly

    over = np.abs(resample_poly(samples.astype(np.float64), 4, 1))
    return over[: len(samples) * 4].reshape(len(samples), 4).max(axis=1)


def _whole_signal_limiter(samples: np.ndarray, ceiling_dbtp: float) -> np.ndarray:
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    from bce_voice.audio import LIMITER_WINDOW, RATE

    needed = np.minimum(
        1.0, 10 ** (ceiling_dbtp / 20) / np.maximum(_whole_signal_peaks(samples), 1e-12)
    )
    half = max(1, round(LIMITER_WINDOW * RATE))
    held = minimum_filter1d(needed, size=2 * half + 1, mode="nearest")
    return (samples * uniform_filter1d(held, size=half, mode="nearest")).astype(np.float32)


def _sparse_bursts(seed: int) -> np.ndarray:
    """Bursts of noise and tones, loud and quiet, with silence between: a track's shape."""
    rng = np.random.default_rng(seed)
    track = np.zeros(48_000 * 6, np.float32)
    for _ in range(12):
        start, length = rng.integers(0, len(track) - 20_000), rng.integers(50, 20_000)
        level = rng.uniform(0.01, 1.4)
        burst = rng.standard_normal(length) * level / 3
        if rng.random() < 0.5:  # a tone near Nyquist: intersample peaks
            burst = level * np.sin(np.arange(length) * rng.uniform(2.5, 3.1) + rng.uniform(0, 6))
        track[start : start + length] += burst.astype(np.float32)
    return track


@pytest.mark.parametrize("seed", range(8))
def test_true_peak_and_limiter_equal_the_whole_signal_computation(seed):
    from bce_voice.audio import limit_true_peak, true_peak

    track = _sparse_bursts(seed)
    whole = float(_whole_signal_peaks(track).max())
    assert true_peak(track) == pytest.approx(whole, abs=1e-12)
    # Checked against a ceiling: exact when the peak reaches it, under it when it does not.
    for ceiling in (0.5 * whole, 0.99 * whole, whole):
        assert true_peak(track, at_least=ceiling) == pytest.approx(whole, abs=1e-12)
    for ceiling in (1.001 * whole, 2.0 * whole):
        assert true_peak(track, at_least=ceiling) < ceiling
    for ceiling in (-2.0, -4.3, -12.0):
        ours, oracle = limit_true_peak(track, ceiling), _whole_signal_limiter(track, ceiling)
        assert np.max(np.abs(ours - oracle)) < 1e-6, ceiling


def test_a_track_already_at_the_film_s_rate_is_decoded_as_the_resampler_gives_it(
    tmp_path, monkeypatch
):
    """The film's own AAC track, read back without resampling (it is float mono at RATE),
    is sample for sample what the resampler gives, and as long."""
    from bce_voice.soundtrack import encode_track

    coded = tmp_path / "track.m4a"
    encode_track(audio.prepare_clip(take(2.5, audio.RATE)), coded)
    direct, rate = audio.decode_audio(coded)
    monkeypatch.setattr(audio, "_as_decoded", lambda stream: False)
    resampled, _ = audio.decode_audio(coded)
    assert rate == audio.RATE and direct.dtype == np.float32
    assert len(direct) == len(resampled) and np.array_equal(direct, resampled)
