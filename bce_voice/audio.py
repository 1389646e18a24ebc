"""Sound made ready for the film: any audio file decoded to 48 kHz mono, silence at its
ends trimmed, loudness normalised (ITU-R BS.1770 with ``pyloudnorm``), true peaks held
under the ceiling, and its edges faded so that no cue starts or ends with a click."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from math import gcd
from pathlib import Path

import av
import numpy as np

# scipy (through pyloudnorm too) is imported where it is used: it is most of the import
# time of every bce-video command, and most of them (check, script, a silent render's
# parent) never touch a sound.

RATE = 48_000  # of every clip and of the film's track
TARGET_LUFS = -16.0  # integrated loudness of the track (the podcast and web norm)
# True peaks are held at this ceiling, below the -1 dBTP the film promises: AAC coding
# adds a few tenths of a dB of overshoot.
PEAK_CEILING_DBTP = -2.0
OVERSAMPLING = 4  # true peak as BS.1770 estimates it: the peak of the 4x oversampled signal
LIMITER_WINDOW = 0.005  # seconds the limiter holds and smooths its gain over
# Silence: 10 ms windows quieter than the loudest one by this much, or than this floor.
WINDOW = 0.010
SILENCE_BELOW_LOUDEST_DB = 40.0
SILENCE_FLOOR_DBFS = -60.0
# Kept around the speech when trimming: a breath before (onsets are soft), the tail of
# the last word after.
LEAD_IN, TAIL = 0.020, 0.060
FADE = 0.005  # the raised-cosine fade at both ends of a clip


class AudioError(ValueError):
    """A sound that cannot be used: the reason, for a message that names the file."""


def decode_audio(path: Path) -> tuple[np.ndarray, int]:
    """Any file FFmpeg reads (WAV, FLAC, MP3, M4A, ...), any rate, mono or stereo, as
    float32 mono samples at RATE. Raises AudioError."""
    chunks = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioError("has no audio in it")
            stream = container.streams.audio[0]
            if _as_decoded(stream):  # the film's own track, read back: 6 times faster
                chunks = [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
            else:
                resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
                for frame in container.decode(stream):
                    chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
                chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    except av.FFmpegError as error:
        raise AudioError(f"cannot be decoded ({error.strerror or error})") from None
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    return samples.astype(np.float32), RATE


def warm_up() -> None:
    """Import what loudness and peaks need (scipy, pyloudnorm), ahead of the first use:
    started in a thread while a voice speaks in its own process."""
    import pyloudnorm  # noqa: F401
    from scipy.ndimage import minimum_filter1d  # noqa: F401
    from scipy.signal import resample_poly  # noqa: F401


def _as_decoded(stream) -> bool:
    """The stream decodes to float32 mono at RATE already: no resampling is needed (the
    resampler would hand the same samples back, at six times the cost)."""
    context = stream.codec_context
    return (
        context.sample_rate == RATE
        and context.layout.nb_channels == 1
        and context.format is not None
        and context.format.name in ("flt", "fltp")
    )


def at_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    """Samples at ``rate`` resampled to RATE."""
    if rate == RATE:
        return samples
    from scipy.signal import resample_poly

    step = gcd(RATE, rate)
    return resample_poly(samples, RATE // step, rate // step).astype(np.float32)


def dbfs(level: float) -> float:
    return 20.0 * float(np.log10(max(level, 1e-12)))


def window_levels(samples: np.ndarray) -> np.ndarray:
    """The RMS level of each 10 ms window, in dBFS."""
    size = round(WINDOW * RATE)
    count = len(samples) // size
    windows = samples[: count * size].reshape(count, size).astype(np.float64)
    return 10.0 * np.log10(np.maximum(np.mean(windows**2, axis=1), 1e-24))


def is_silent(samples: np.ndarray) -> bool:
    levels = window_levels(samples)
    return len(levels) == 0 or float(levels.max()) < SILENCE_FLOOR_DBFS


def trim_silence(samples: np.ndarray) -> np.ndarray:
    """The samples from LEAD_IN before the first sound to TAIL after the last, padded
    with silence where the recording starts or ends closer to its sound than that (so
    that every clip's speech starts the same short breath after the clip does)."""
    levels = window_levels(samples)
    if len(levels) == 0:
        return samples
    threshold = max(float(levels.max()) - SILENCE_BELOW_LOUDEST_DB, SILENCE_FLOOR_DBFS)
    loud = np.flatnonzero(levels >= threshold)
    if len(loud) == 0:
        return samples[:0]
    size, lead, tail = round(WINDOW * RATE), round(LEAD_IN * RATE), round(TAIL * RATE)
    start, end = loud[0] * size - lead, (loud[-1] + 1) * size + tail
    kept = samples[max(0, start) : min(len(samples), end)]
    return np.pad(kept, (max(0, -start), max(0, end - len(samples))))


def integrated_loudness(samples: np.ndarray) -> float:
    """BS.1770 integrated loudness in LUFS; a clip shorter than one 400 ms gating block
    is measured with silence after it (which the gate leaves out)."""
    import pyloudnorm

    block = round(0.4 * RATE)
    padded = np.pad(samples, (0, max(0, block - len(samples)))).astype(np.float64)
    return float(pyloudnorm.Meter(RATE).integrated_loudness(padded))


@cache
def _oversampling_filter() -> tuple[np.ndarray, float]:
    """The interpolation filter scipy's resample_poly designs for 4x oversampling (its
    own defaults), made once, and its bound: each oversampled value is a weighted sum of
    the samples within about 11 of it, so it is at most the bound times the largest."""
    from scipy.signal import firwin

    taps = firwin(20 * OVERSAMPLING + 1, 1.0 / OVERSAMPLING, window=("kaiser", 5.0))
    phases = (np.abs(taps[phase::OVERSAMPLING]).sum() for phase in range(OVERSAMPLING))
    return taps, float(max(phases) * OVERSAMPLING)


_BLOCK = 256  # samples per block in which the oversampled peaks are computed or skipped
_MARGIN = 64  # samples of context around a stretch: the filter reaches 11


def oversampled_stretches(
    samples: np.ndarray, floor: float
) -> Iterator[tuple[int, int, np.ndarray]]:
    """``(first, end, peaks)`` for each stretch of samples whose 4x oversampled values may
    reach ``floor``: per sample from ``first`` to ``end``, the largest magnitude of its
    oversampled values, as ``resample_poly`` over the whole signal gives them. Elsewhere
    they cannot (the filter's bound times the largest sample near them is under
    ``floor``). A film's track is minutes long and mostly quiet or far under the ceiling:
    oversampling only what may reach it costs a fraction, and nothing the size of the
    whole track is made but its magnitudes (at its own precision)."""
    from scipy.signal import resample_poly

    taps, bound = _oversampling_filter()
    count = len(samples)
    magnitudes = np.abs(samples)
    whole = count - count % _BLOCK
    blocks = magnitudes[:whole].reshape(-1, _BLOCK).max(axis=1)
    if whole < count:
        blocks = np.append(blocks, magnitudes[whole:].max())
    near = np.maximum(blocks, np.maximum(np.roll(blocks, 1), np.roll(blocks, -1)))
    near[0], near[-1] = max(blocks[:2]), max(blocks[-2:])  # no wrapping round
    candidate = near * bound >= floor
    edges = np.flatnonzero(np.diff(np.concatenate(([0], candidate.astype(np.int8), [0]))))
    for first_block, end_block in zip(edges[::2], edges[1::2], strict=True):
        first, end = first_block * _BLOCK, min(count, end_block * _BLOCK)
        start, stop = max(0, first - _MARGIN), min(count, end + _MARGIN)
        stretch = samples[start:stop].astype(np.float64)
        over = np.abs(resample_poly(stretch, OVERSAMPLING, 1, window=taps.copy()))
        over = over[: (stop - start) * OVERSAMPLING].reshape(stop - start, OVERSAMPLING)
        yield first, end, over[first - start : end - start].max(axis=1)


def oversampled_peaks(samples: np.ndarray, floor: float) -> np.ndarray:
    """Per sample, the largest magnitude of its 4x oversampled values wherever they may
    reach ``floor`` (``oversampled_stretches``); 0 where they cannot."""
    peaks = np.zeros(len(samples))
    for first, end, stretch in oversampled_stretches(samples, floor):
        peaks[first:end] = stretch
    return peaks


def true_peak(samples: np.ndarray, at_least: float = 0.0) -> float:
    """The largest magnitude of the 4x oversampled signal (BS.1770 Annex 2). With
    ``at_least``, a check against a ceiling: exact where the true peak reaches it, and
    otherwise some value under it (only the stretches that may reach it are oversampled:
    a fifth of the time on a mastered five-minute track)."""
    if len(samples) == 0:
        return 0.0
    # The true peak is near the largest sample or above it: nothing far under it counts.
    sample_peak = float(np.max(np.abs(samples)))
    if sample_peak == 0.0:
        return 0.0
    floor = max(0.5 * sample_peak, at_least)
    return max(
        (float(stretch.max()) for _, _, stretch in oversampled_stretches(samples, floor)),
        default=0.0,
    )


def limit_true_peak(samples: np.ndarray, ceiling_dbtp: float = PEAK_CEILING_DBTP) -> np.ndarray:
    """A look-ahead peak limiter: the gain each sample needs to keep its oversampled
    neighbourhood under the ceiling, held over a short window on both sides and then
    smoothed over half of it, so that the smoothed gain never exceeds what any sample
    near it needs and changes slowly enough not to click."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10.0 ** (ceiling_dbtp / 20.0)
    peaks = oversampled_peaks(samples, ceiling)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if needed.min() >= 1.0:
        return samples
    half = max(1, round(LIMITER_WINDOW * RATE))
    # The gain is 1 but within the filters' reach of a sample that needs less: filtered
    # in those stretches only (with a margin, so each is filtered as in the whole).
    reach = 2 * half + 2
    limited = np.flatnonzero(needed < 1.0)
    breaks = np.flatnonzero(np.diff(limited) > 4 * reach)  # margins apart
    gain = np.ones(len(samples))
    for first, last in zip(
        limited[np.concatenate(([0], breaks + 1))],
        limited[np.concatenate((breaks, [-1]))],
        strict=True,
    ):
        start, stop = max(0, first - 2 * reach), min(len(samples), last + 2 * reach + 1)
        held = minimum_filter1d(needed[start:stop], size=2 * half + 1, mode="nearest")
        gain[start:stop] = uniform_filter1d(held, size=half, mode="nearest")
    return (samples * gain).astype(np.float32)


def normalise(
    samples: np.ndarray, target_lufs: float = TARGET_LUFS, ceiling_dbtp: float = PEAK_CEILING_DBTP
) -> np.ndarray:
    """Gain to the target loudness, then the true-peak limiter; repeated while the
    limiter took more than a tenth of a dB of loudness away."""
    out = samples.astype(np.float32)
    ceiling = 10.0 ** (ceiling_dbtp / 20.0) * 1.0001
    for _ in range(6):
        loudness = integrated_loudness(out)
        if not np.isfinite(loudness):
            return out  # nothing loud enough to measure: silence stays silence
        if abs(loudness - target_lufs) < 0.1 and true_peak(out, at_least=ceiling) <= ceiling:
            break
        gain = np.float32(10.0 ** ((target_lufs - loudness) / 20.0))
        out = limit_true_peak(out * gain, ceiling_dbtp)
    return out


def fade_edges(samples: np.ndarray) -> np.ndarray:
    """Raised-cosine fades in and out, so that a clip starts and ends at zero."""
    count = min(round(FADE * RATE), len(samples) // 2)
    if count == 0:
        return samples
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, count))).astype(np.float32)
    out = samples.copy()
    out[:count] *= ramp
    out[-count:] *= ramp[::-1]
    return out


def prepare_clip(samples: np.ndarray) -> np.ndarray:
    """A cue's sound ready to be placed on the track (see the module's docstring)."""
    return fade_edges(normalise(trim_silence(samples)))
