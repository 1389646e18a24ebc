"""The film's one audio track: each cue's clip placed where its subtitle starts, each
chapter's part normalised to -16 LUFS on its own, the whole with true peaks under -1 dBTP
*as decoded*, encoded as AAC at 48 kHz and muxed beside the video, whose packets are
copied untouched.

Mastered chapter by chapter: a chapter's part depends only on its own clips, their places
and its length, so it is kept (``KeptSound``, by a key of those) and a film whose one cue
changed masters that cue's chapter alone. Measuring the loudness of a whole five-minute
track took 5 s of every render, edits included. Each chapter at the target makes the whole
film at it too (the gate measures speech, and every chapter's speech is at -16).

Each chapter has its own peak ceiling too, kept with its part: first from the AAC coding's
overshoot on its own loudest seconds, then lowered for a chapter whose decoded part still
went over. A ceiling for the whole track, from its loudest seconds, moved with edits
anywhere (which seconds are loudest is a near tie among limited speech), and each move
mastered every chapter again: 7 s of a one-cue edit."""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .audio import PEAK_CEILING_DBTP, RATE, dbfs, decode_audio, normalise, true_peak
from .cache import PREPARATION, KeptSound, cache_dir
from .files import unfinished_name, written_atomically

AUDIO_CODEC = "aac"  # FFmpeg's own AAC encoder: in every FFmpeg, and deterministic
AUDIO_BIT_RATE = 128_000  # mono speech at 48 kHz: transparent
# Its "fast" coder, not the perceptual "twoloop" (FFmpeg 8's default): twice as fast on
# a five-minute track, and at 128 kb/s FFmpeg's own authors found it sounds better (they
# made it the default for that reason in 2018: FFmpeg commit fcb681ac).
AUDIO_CODER = "fast"
CHUNK = 48_000  # samples handed to the encoder at a time
# The promise, measured on the decoded AAC: coding adds overshoot (up to 2 dB seen with
# eSpeak's buzzy voice), so the limiter's ceiling is lowered by what was measured until
# the decoded track keeps under it, with a little room.
MAX_TRUE_PEAK_DBTP = -1.0
PEAK_ROOM_DB = 0.2
PEAK_ATTEMPTS = 4
PROBE_SECONDS = 8  # the loudest seconds on which the coding's overshoot is measured first


# The mastered chapters kept: about four films' worth (a five-minute film's are 60 MB).
MAX_MASTERED_BYTES = 256 * 1024 * 1024
# How a chapter's part is mastered: a change here is a different part. The clips' own
# preparation (the target, the limiter) is how a chapter's part is normalised too; its
# ceiling is its own (kept beside it), from the coding's overshoot and the promise.
MASTERING = json.dumps(
    [
        *("chapter", "own ceiling", PREPARATION),
        *(AUDIO_CODEC, AUDIO_BIT_RATE, AUDIO_CODER),
        *(MAX_TRUE_PEAK_DBTP, PEAK_ROOM_DB, PROBE_SECONDS),
    ]
)
#: Samples either side of a chapter counted as its own when its decoded peak is checked:
#: AAC codes 1024-sample frames that straddle the chapters' edges.
EDGE_SAMPLES = 2048


@dataclass(frozen=True)
class ChapterSound:
    """One chapter's part of the film's track: ``length`` samples from sample ``first`` of
    the film, and its clips, each at its first sample counted from the chapter's start."""

    first: int
    length: int
    placed: tuple[tuple[int, np.ndarray], ...]

    def mixed(self) -> np.ndarray:
        """The clips in place, as they are (a clip is cut at the chapter's end)."""
        part = np.zeros(self.length, np.float32)
        for first, clip in self.placed:
            room = max(0, self.length - first)
            part[first : first + min(room, len(clip))] += clip[:room]
        return part

    def key(self) -> str:
        """What its mastered part depends on: its length, its clips and their places, and
        the mastering."""
        digest = hashlib.sha256(json.dumps([MASTERING, self.length]).encode())
        for first, clip in self.placed:
            digest.update(np.int64(first).tobytes())
            digest.update(np.ascontiguousarray(clip, np.float32).tobytes())
        return digest.hexdigest()

    def first_ceiling(self) -> float:
        """The ceiling it is first mastered to: the promise, less the room and the AAC
        coding's overshoot on its own loudest seconds, in whole tenths of a dB down."""
        allowed = MAX_TRUE_PEAK_DBTP - PEAK_ROOM_DB
        return min(PEAK_CEILING_DBTP, tenths_down(allowed - coding_overshoot(self.mixed())))


class Soundtrack:
    """The film's track as its chapters' parts: mastered one by one, each kept in
    ``kept`` (None: the cache's ``soundtrack/`` folder) by what it is made of, with the
    ceiling it was mastered to."""

    def __init__(self, chapters: Sequence[ChapterSound], kept: KeptSound | None = None) -> None:
        self.chapters = tuple(chapters)
        self.kept = kept or KeptSound(cache_dir() / "soundtrack", MAX_MASTERED_BYTES)
        self.mastered_now = 0  # chapters mastered by this track (the others were kept)
        self.ceilings: dict[int, float] = {}  # each chapter's, once mastered (dBTP)
        self._lowered: dict[int, float] = {}  # ceilings the decoded check asked for
        self._used: set[str] = set()

    @classmethod
    def of(
        cls,
        chapters: Sequence[tuple[float, float]],
        placed: Sequence[tuple[float, np.ndarray]],
        kept: KeptSound | None = None,
    ) -> Soundtrack:
        """From the chapters' (start, end) in seconds of the film and the clips at their
        start times: each clip in the chapter it starts in. Samples are counted from the
        film's start, so every clip lands on the sample it would on one whole track."""
        bounds = [(round(start * RATE), round(end * RATE)) for start, end in chapters]
        parts = []
        for first, end in bounds:
            here = tuple(
                (round(start * RATE) - first, clip)
                for start, clip in placed
                if first <= round(start * RATE) < end
            )
            parts.append(ChapterSound(first, end - first, here))
        return cls(parts, kept)

    def lasting(self, length: int) -> Soundtrack:
        """The same track ``length`` samples long (the video's): its last chapter's part
        ends where the video does (the timeline's sum of chapter times may round to
        another sample)."""
        if not self.chapters or length == self.length:
            return self
        last = self.chapters[-1]
        fitted = ChapterSound(last.first, max(0, length - last.first), last.placed)
        return Soundtrack((*self.chapters[:-1], fitted), self.kept)

    @property
    def length(self) -> int:
        return self.chapters[-1].first + self.chapters[-1].length if self.chapters else 0

    def mixed(self) -> np.ndarray:
        """The whole track, clips as they are."""
        return self._joined([chapter.mixed() for chapter in self.chapters])

    def mastered(self) -> np.ndarray:
        """The whole track, each chapter normalised alone to its own ceiling, taken from
        the kept parts where they are (and their ceiling was not lowered since)."""
        parts = []
        for index, chapter in enumerate(self.chapters):
            key = chapter.key()
            ceiling_key = f"{key}-ceiling"
            self._used |= {key, ceiling_key}
            part, kept_ceiling = self.kept.get(key), self.kept.get(ceiling_key)
            whole = part is not None and len(part) == chapter.length
            whole = whole and kept_ceiling is not None and kept_ceiling.shape == (1,)
            if whole and index not in self._lowered:
                # Kept as float32; ceilings are whole tenths of a dB.
                self.ceilings[index] = round(float(kept_ceiling[0]), 1)
            else:
                ceiling = self._lowered.get(index)
                ceiling = chapter.first_ceiling() if ceiling is None else ceiling
                part = normalise(chapter.mixed(), ceiling_dbtp=ceiling)
                self.kept.put(key, part)
                self.kept.put(ceiling_key, np.array([ceiling], np.float32))
                self.ceilings[index] = ceiling
                self.mastered_now += 1
            parts.append(part)
        self._lowered.clear()
        return self._joined(parts)

    def over(self, decoded: np.ndarray, allowed_dbtp: float) -> dict[int, float]:
        """The chapters whose part of ``decoded`` (the track coded and decoded, sample for
        sample) has a true peak over ``allowed_dbtp``, edges included: by how many dB."""
        allowed = 10.0 ** (allowed_dbtp / 20.0)
        over = {}
        for index, chapter in enumerate(self.chapters):
            start = max(0, chapter.first - EDGE_SAMPLES)
            end = chapter.first + chapter.length + EDGE_SAMPLES
            peak = true_peak(decoded[start:end], at_least=allowed)
            if peak > allowed:
                over[index] = dbfs(peak) - allowed_dbtp
        return over

    def lower(self, over: dict[int, float]) -> None:
        """Master those chapters again (``mastered``), each with its ceiling lowered by
        what it went over, in whole tenths of a dB down."""
        for index, by in over.items():
            self._lowered[index] = tenths_down(self.ceilings[index] - by)

    def _joined(self, parts: list[np.ndarray]) -> np.ndarray:
        track = np.zeros(self.length, np.float32)
        for chapter, part in zip(self.chapters, parts, strict=True):
            track[chapter.first : chapter.first + chapter.length] = part
        return track

    def prune(self) -> None:
        """Keep the parts this track used and the most recently used others."""
        self.kept.prune(self._used)


def frame_rate(stream: av.VideoStream) -> Fraction:
    """A constant-frame-rate video stream's rate: the one its timestamps are written at.
    Not its average rate, which divides by the container's duration: a muxer may end that
    a few ticks short of the last frame's end (the plain manim film: 14.99997 frames a
    second), and the sound track cut to its length lost 47 samples of its last chapter."""
    return stream.base_rate or stream.average_rate


def video_length(stream: av.VideoStream) -> Fraction:
    """The exact length of a constant-frame-rate video stream: its frames at its rate."""
    return Fraction(stream.frames) / frame_rate(stream)


def video_seconds(stream: av.VideoStream) -> float:
    """The length of a constant-frame-rate video stream (``video_length``), in seconds."""
    return float(video_length(stream))


def encode_track(track: np.ndarray, target: Path) -> None:
    """The track as AAC in an M4A file."""
    with av.open(str(target), mode="w", format="mp4") as out:
        stream = out.add_stream(
            AUDIO_CODEC, rate=RATE, layout="mono", options={"aac_coder": AUDIO_CODER}
        )
        stream.bit_rate = AUDIO_BIT_RATE
        time_base = Fraction(1, RATE)
        for first in range(0, len(track), CHUNK):
            frame = av.AudioFrame.from_ndarray(
                track[first : first + CHUNK].reshape(1, -1), format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts, frame.time_base = RATE, first, time_base
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def coding_overshoot(track: np.ndarray) -> float:
    """How many dB AAC's coding raises the true peak of the track's loudest seconds (the
    PROBE_SECONDS seconds with the largest samples, apart): measured on those alone, in a
    fraction of the time the whole track takes. (A track shorter than a second: on the
    whole of it.)"""
    whole = max(1, len(track) // RATE)
    track = np.pad(track, (0, max(0, RATE - len(track))))
    loudest = np.abs(track[: whole * RATE]).reshape(whole, RATE).max(axis=1)
    gap = np.zeros(RATE // 4, np.float32)
    seconds = sorted(np.argsort(loudest)[-PROBE_SECONDS:])
    probe = np.concatenate(
        [part for s in seconds for part in (track[s * RATE : (s + 1) * RATE], gap)]
    )
    if true_peak(probe) == 0.0:
        return 0.0
    with tempfile.TemporaryDirectory(prefix="bce-probe-") as scratch:
        coded = Path(scratch) / "probe.m4a"
        encode_track(probe, coded)
        decoded, _ = decode_audio(coded)
    return max(0.0, dbfs(true_peak(decoded)) - dbfs(true_peak(probe)))


def encoded_track(soundtrack: Soundtrack, target: Path) -> None:
    """Master, encode, and measure each chapter's decoded true peak; master the chapters
    the coding pushed over MAX_TRUE_PEAK_DBTP again, lower, and encode again. Each
    chapter's first ceiling already allows for the coding's overshoot on its own loudest
    seconds (each clip is ready, so its plain mix is close to its mastered part), and a
    chapter lowered once keeps its lowered ceiling: one pass is usually enough."""
    allowed = MAX_TRUE_PEAK_DBTP - PEAK_ROOM_DB
    for _ in range(PEAK_ATTEMPTS):
        encode_track(soundtrack.mastered(), target)
        decoded, _ = decode_audio(target)
        if not (over := soundtrack.over(decoded, allowed)):
            break
        soundtrack.lower(over)
    soundtrack.prune()


def tenths_down(db: float) -> float:
    """``db`` rounded down to a whole tenth (a float's error aside: -2.3 stays -2.3)."""
    return math.floor(round(db * 10, 6)) / 10


def add_soundtrack(video: Path, soundtrack: Soundtrack, target: Path) -> Soundtrack:
    """Write ``target``: the video stream of ``video`` (packets copied) and the
    ``soundtrack``, as long as the video, as AAC (see ``encoded_track``), interleaved by
    time, index at the front. ``target`` appears only when complete (it may be ``video``
    itself). Returns the track as mastered (``mastered_now``: its chapters mastered)."""
    # The coded track, a scratch file beside the film: read by the muxing, then deleted.
    sound = unfinished_name(target.with_suffix(".m4a"))
    try:
        with av.open(str(video)) as source:
            samples = round(video_seconds(source.streams.video[0]) * RATE)
        soundtrack = soundtrack.lasting(samples)
        encoded_track(soundtrack, sound)
        mux_soundtrack(video, sound, target)
    finally:
        sound.unlink(missing_ok=True)
    return soundtrack


def mux_soundtrack(video: Path, sound: Path, target: Path) -> None:
    """Write ``target``: the video stream of ``video`` and the audio stream of ``sound``,
    packets copied, interleaved by time, index at the front; it appears only when
    complete (it may be ``video`` itself)."""
    with (
        written_atomically(target) as part,
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
