"""The film's one audio track: each cue's clip placed where its subtitle starts, the whole
normalised to -16 LUFS with true peaks under -1 dBTP, encoded as AAC at 48 kHz and
muxed beside the video, whose packets are copied untouched."""

from __future__ import annotations

import os
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .audio import RATE, normalise

AUDIO_CODEC = "aac"  # FFmpeg's own AAC encoder: in every FFmpeg, and deterministic
AUDIO_BIT_RATE = 128_000  # mono speech at 48 kHz: transparent
CHUNK = 48_000  # samples handed to the encoder at a time


def mix_track(placed: Iterable[tuple[float, np.ndarray]], seconds: float) -> np.ndarray:
    """Clips at their start times (seconds) on a track ``seconds`` long, normalised."""
    track = np.zeros(round(seconds * RATE), np.float32)
    for start, clip in placed:
        first = round(start * RATE)
        room = max(0, len(track) - first)
        track[first : first + min(room, len(clip))] += clip[:room]
    return normalise(track)


def video_seconds(stream: av.VideoStream) -> float:
    """The length of a constant-frame-rate video stream: its frames at its rate."""
    return float(stream.frames / stream.average_rate)


def add_soundtrack(video: Path, placed: Iterable[tuple[float, np.ndarray]], target: Path) -> None:
    """Write ``target``: the video stream of ``video`` (packets copied) and the clips
    ``placed`` at their start times on one track as long as the video (``mix_track``), as
    AAC, interleaved by time, index at the front. ``target`` appears only when complete
    (it may be ``video`` itself)."""
    part = target.with_name(f".{target.name}.{os.getpid()}.part.mp4")
    try:
        with (
            av.open(str(video)) as source,
            av.open(str(part), mode="w", options={"movflags": "+faststart"}) as out,
        ):
            in_video = source.streams.video[0]
            track = mix_track(placed, video_seconds(in_video))
            out_video = out.add_stream_from_template(template=in_video)
            out_audio = out.add_stream(AUDIO_CODEC, rate=RATE, layout="mono")
            out_audio.bit_rate = AUDIO_BIT_RATE
            audio_packets = _encode(out_audio, track)
            # Interleave by presentation time, as a player reads them.
            video_packets = (p for p in source.demux(in_video) if p.dts is not None)
            pending = iter(audio_packets)
            next_audio = next(pending, None)
            for packet in video_packets:
                at = packet.pts * packet.time_base
                while next_audio is not None and next_audio.pts * next_audio.time_base <= at:
                    out.mux(next_audio)
                    next_audio = next(pending, None)
                packet.stream = out_video
                out.mux(packet)
            while next_audio is not None:
                out.mux(next_audio)
                next_audio = next(pending, None)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def _encode(stream: av.AudioStream, track: np.ndarray) -> list:
    packets = []
    time_base = Fraction(1, RATE)
    for first in range(0, len(track), CHUNK):
        frame = av.AudioFrame.from_ndarray(
            track[first : first + CHUNK].reshape(1, -1), format="flt", layout="mono"
        )
        frame.sample_rate, frame.pts, frame.time_base = RATE, first, time_base
        packets += stream.encode(frame)
    packets += stream.encode(None)
    return packets
