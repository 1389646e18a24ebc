"""What a film's sound is, measured without bce_voice: decoded with PyAV, loudness by
pyloudnorm (ITU-R BS.1770), true peak by FFmpeg's ebur128 filter, speech onsets from
the energy of 10 ms windows."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pyloudnorm

WINDOW = 0.010  # seconds
SILENT_DBFS = -50.0  # a window quieter than this is silence
SPOKEN_DBFS = -40.0  # a window louder than this is speech
QUIET_BEFORE = 0.15  # seconds of silence before an onset


@dataclass(frozen=True)
class FilmSound:
    samples: np.ndarray  # float64 mono
    rate: int
    channels: int
    codec: str
    audio_seconds: float  # as decoded
    video_seconds: float  # frames / frame rate


def film_sound(path: Path) -> FilmSound:
    with av.open(str(path)) as container:
        assert len(container.streams.audio) == 1, "expected one audio stream"
        audio, video = container.streams.audio[0], container.streams.video[0]
        codec, rate, channels = audio.codec_context.name, audio.rate, audio.channels
        # At the rate the frames are stamped at: the average rate divides by the
        # container's duration, which can end a few ticks short of the last frame's end.
        video_seconds = float(video.frames / video.base_rate)
        chunks = [frame.to_ndarray().mean(axis=0) for frame in container.decode(audio)]
    samples = np.concatenate(chunks).astype(np.float64)
    return FilmSound(samples, rate, channels, codec, len(samples) / rate, video_seconds)


def loudness(sound: FilmSound) -> float:
    return float(pyloudnorm.Meter(sound.rate).integrated_loudness(sound.samples))


def ebur128(path: Path) -> tuple[float, float]:
    """FFmpeg's integrated loudness (LUFS) and true peak (dBTP) of the file's audio."""
    done = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-map", "0:a",
         "-filter:a", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = done.stderr[done.stderr.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1])
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)[1])
    return integrated, peak


def window_levels(sound: FilmSound) -> np.ndarray:
    size = round(WINDOW * sound.rate)
    count = len(sound.samples) // size
    windows = sound.samples[: count * size].reshape(count, size)
    return 10 * np.log10(np.maximum(np.mean(windows**2, axis=1), 1e-20))


def speech_onsets(sound: FilmSound) -> np.ndarray:
    """Seconds where speech starts after at least QUIET_BEFORE of silence."""
    levels = window_levels(sound)
    quiet = round(QUIET_BEFORE / WINDOW)
    onsets = []
    for index in np.flatnonzero(levels > SPOKEN_DBFS):
        # Before the film starts is silence too.
        before = np.concatenate([np.full(quiet, -200.0), levels])[index : index + quiet]
        # The onset is where the sound first rises out of the silence before it.
        if np.all(before[: quiet // 2] < SILENT_DBFS):
            rise = index
            while rise > 0 and levels[rise - 1] >= SILENT_DBFS:
                rise -= 1
            if not onsets or rise * WINDOW - onsets[-1] > QUIET_BEFORE:
                onsets.append(rise * WINDOW)
    return np.array(onsets)


def level_between(sound: FilmSound, start: float, end: float) -> float:
    """The loudest 10 ms window between two times, in dBFS."""
    levels = window_levels(sound)
    part = levels[int(start / WINDOW) : max(int(start / WINDOW) + 1, int(end / WINDOW))]
    return float(part.max()) if len(part) else -200.0
