"""The film's one audio track: each cue's clip placed where its subtitle starts, the whole
normalised to -16 LUFS with true peaks under -1 dBTP *as decoded*, encoded as AAC at
48 kHz and muxed beside the video, whose packets are copied untouched."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .audio import PEAK_CEILING_DBTP, RATE, dbfs, decode_audio, normalise, true_peak
from .files import unfinished_name, written_atomically

AUDIO_CODEC = "aac"  # FFmpeg's own AAC encoder: in every FFmpeg, and deterministic
AUDIO_BIT_RATE = 128_000  # mono speech at 48 kHz: transparent
CHUNK = 48_000  # samples handed to the encoder at a time
# The promise, measured on the decoded AAC: coding adds overshoot (up to 2 dB seen with
# eSpeak's buzzy voice), so the limiter's ceiling is lowered by what was measured until
# the decoded track keeps under it, with a little room.
MAX_TRUE_PEAK_DBTP = -1.0
PEAK_ROOM_DB = 0.2
PEAK_ATTEMPTS = 4
PROBE_SECONDS = 8  # the loudest seconds on which the coding's overshoot is measured first


def mix_track(
    placed: Iterable[tuple[float, np.ndarray]],
    seconds: float,
    ceiling_dbtp: float = PEAK_CEILING_DBTP,
    normalised: bool = True,
) -> np.ndarray:
    """Clips at their start times (seconds) on a track ``seconds`` long, normalised
    (``normalised``: else as placed)."""
    track = np.zeros(round(seconds * RATE), np.float32)
    for start, clip in placed:
        first = round(start * RATE)
        room = max(0, len(track) - first)
        track[first : first + min(room, len(clip))] += clip[:room]
    return normalise(track, ceiling_dbtp=ceiling_dbtp) if normalised else track


def video_seconds(stream: av.VideoStream) -> float:
    """The length of a constant-frame-rate video stream: its frames at its rate."""
    return float(stream.frames / stream.average_rate)


def encode_track(track: np.ndarray, target: Path) -> None:
    """The track as AAC in an M4A file."""
    with av.open(str(target), mode="w", format="mp4") as out:
        stream = out.add_stream(AUDIO_CODEC, rate=RATE, layout="mono")
        stream.bit_rate = AUDIO_BIT_RATE
        time_base = Fraction(1, RATE)
        for first in range(0, len(track), CHUNK):
            frame = av.AudioFrame.from_ndarray(
                track[first : first + CHUNK].reshape(1, -1), format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts, frame.time_base = RATE, first, time_base
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def coding_overshoot(track: np.ndarray, scratch: Path) -> float:
    """How many dB AAC's coding raises the true peak of the track's loudest seconds (the
    PROBE_SECONDS seconds with the largest samples, apart): measured on those alone, in a
    fraction of the time the whole track takes."""
    whole = len(track) // RATE
    if whole == 0:
        return 0.0
    loudest = np.abs(track[: whole * RATE]).reshape(whole, RATE).max(axis=1)
    gap = np.zeros(RATE // 4, np.float32)
    seconds = sorted(np.argsort(loudest)[-PROBE_SECONDS:])
    probe = np.concatenate(
        [part for s in seconds for part in (track[s * RATE : (s + 1) * RATE], gap)]
    )
    if true_peak(probe) == 0.0:
        return 0.0
    try:
        encode_track(probe, scratch)
        decoded, _ = decode_audio(scratch)
    finally:
        scratch.unlink(missing_ok=True)
    return max(0.0, dbfs(true_peak(decoded)) - dbfs(true_peak(probe)))


def encoded_track(placed: list[tuple[float, np.ndarray]], seconds: float, target: Path) -> None:
    """Mix, encode, and measure the decoded true peak; lower the ceiling and do it again
    while the coding pushed it over MAX_TRUE_PEAK_DBTP. The first ceiling already allows
    for the coding's overshoot measured on the loudest seconds (each clip is ready, so the
    plain mix is close to the mastered track): one pass is usually enough."""
    probe = target.with_name(f".{target.name}.probe.m4a")
    allowed = MAX_TRUE_PEAK_DBTP - PEAK_ROOM_DB
    overshoot = coding_overshoot(mix_track(placed, seconds, normalised=False), probe)
    ceiling = min(PEAK_CEILING_DBTP, allowed - overshoot)
    for _ in range(PEAK_ATTEMPTS):
        encode_track(mix_track(placed, seconds, ceiling), target)
        decoded, _ = decode_audio(target)
        over = dbfs(true_peak(decoded)) - allowed
        if over <= 0:
            return
        ceiling -= over


def add_soundtrack(video: Path, placed: Iterable[tuple[float, np.ndarray]], target: Path) -> None:
    """Write ``target``: the video stream of ``video`` (packets copied) and the clips
    ``placed`` at their start times on one track as long as the video, as AAC (see
    ``encoded_track``), interleaved by time, index at the front. ``target`` appears only
    when complete (it may be ``video`` itself)."""
    # The mixed track, a scratch file beside the film: read by the muxing, then deleted.
    sound = unfinished_name(target.with_suffix(".m4a"))
    try:
        with written_atomically(target) as part:
            with av.open(str(video)) as source:
                seconds = video_seconds(source.streams.video[0])
            encoded_track(list(placed), seconds, sound)
            with (
                av.open(str(video)) as source,
                av.open(str(sound)) as audio,
                av.open(str(part), mode="w", options={"movflags": "+faststart"}) as out,
            ):
                in_video, in_audio = source.streams.video[0], audio.streams.audio[0]
                out_video = out.add_stream_from_template(template=in_video)
                out_audio = out.add_stream_from_template(template=in_audio)
                # Interleaved by presentation time, as a player reads them.
                videos = (p for p in source.demux(in_video) if p.dts is not None)
                audios = (p for p in audio.demux(in_audio) if p.dts is not None)
                next_audio = next(audios, None)
                for packet in videos:
                    at = packet.pts * packet.time_base
                    while next_audio is not None and next_audio.pts * next_audio.time_base <= at:
                        next_audio.stream = out_audio
                        out.mux(next_audio)
                        next_audio = next(audios, None)
                    packet.stream = out_video
                    out.mux(packet)
                while next_audio is not None:
                    next_audio.stream = out_audio
                    out.mux(next_audio)
                    next_audio = next(audios, None)
    finally:
        sound.unlink(missing_ok=True)
