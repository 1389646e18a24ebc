"""How the film's frames become video: the encoder settings, in one place, and a segment
encoder that pays for a held frame once instead of once per repeat.

At 1080p60 most of a render's time is spent encoding (measured in benchmarks/README.md),
and most of the film's frames are held: a ``wait`` repeats one picture while a cue is
read or spoken. Manim converts every repeat from RGBA to YUV again, and x264 analyses,
codes and filters every repeat again, at about 80% of a drawn frame's cost.
``HeldFrameEncoder`` converts a held frame once (the same swscale call and arguments as
Manim's encoder) and, for a ``wait``, lets x264 code only its first few repeats (at the
quality x264 would have given them had it seen the whole hold) and writes the rest itself
as P pictures whose every macroblock is skipped (``held_pictures``): each decodes to the
picture before it, bit for bit, in a standard constant-frame-rate stream.

Draft and final pieces never mix: bce-video's film and chapter keys include ``--draft``
(bce_video/film_cache.py); a plain ``manim`` run encodes with the final options (manim.cfg,
held to FINAL_ENCODER_OPTIONS by a test), and Manim's per-animation cache, on in such
runs, keys its pieces by the encoder settings too.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from bce_voice.files import unfinished_name

from .held_pictures import PictureCount, SkippedPictures, StreamFacts, UnsupportedStream

# What users expect of a final render: Manim's own choice (x264, CRF 23, preset medium),
# with x264's frame threads instead of PyAV's default slice threads: the same quality
# per bit, encoded about 1.2x faster on two cores (benchmarks/README.md).
FINAL_ENCODER_OPTIONS = {"crf": "23", "thread_type": "frame"}
# --draft: for checking timing and layout while editing. "ultrafast" encodes 1080p
# roughly 2x faster than "medium"; flat areas and text edges show more artefacts.
DRAFT_ENCODER_OPTIONS = {"crf": "23", "preset": "ultrafast", "thread_type": "frame"}


@dataclass(frozen=True)
class HeldCoding:
    """How a wait's held frame is coded: x264 codes its first ``x264_frames`` repeats, at
    ``bitrate_factor`` times its usual rate (an x264 zone; it changes no header), and the
    rest are skipped pictures. x264 gives a picture held for long a lower QP by itself
    (its macroblock tree sees every later frame refer to it); seeing only a few frames,
    it would not, and the hold would look worse than with Manim's encoder."""

    x264_frames: int
    bitrate_factor: float

    def zone(self) -> str:
        return f"zones=0,{self.x264_frames - 1},b={self.bitrate_factor:g}"


# Chosen on the encoder front (benchmarks/encoder_front.py --held-repeats): as good as
# x264 coding every repeat, no larger (benchmarks/README.md).
HELD_CODING = HeldCoding(x264_frames=8, bitrate_factor=2.0)
# Encoders running while the scene draws on: 2 lets the next animation start while the
# previous one's encoder drains its look-ahead; each costs about 0.4 GB at 1080p.
INFLIGHT_ENCODERS = 2


def encoder_options(draft: bool) -> dict[str, str]:
    return dict(DRAFT_ENCODER_OPTIONS if draft else FINAL_ENCODER_OPTIONS)


class _CountingContainer:
    """The segment's output container, following the pictures muxed into it
    (``PictureCount``, once the encoder's headers exist) and the last packet's decoding
    time, so that skipped pictures can continue the stream. ``count`` stays None for a
    stream they cannot continue."""

    def __init__(self, container, stream) -> None:
        self.container, self.stream = container, stream
        self.count: PictureCount | None = None
        self.last_dts = -1
        self._followed = False

    def follow(self) -> None:
        """Start following, once the encoder is open (its headers exist)."""
        if not self._followed:
            self._followed = True
            with contextlib.suppress(UnsupportedStream):
                extradata = self.stream.codec_context.extradata or b""
                self.count = PictureCount(StreamFacts.of(extradata))

    def mux(self, packet) -> None:
        if packet.size:
            self.follow()
        if self.count is not None and packet.size:
            self.count.read_packet(bytes(packet))
            self.last_dts = packet.dts  # in the encoder's time base, before muxing
        self.container.mux(packet)

    def close(self) -> None:
        self.container.close()


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, paying for a frame repeated ``repeat`` times once.

    The frame is converted to YUV once. A held frame that begins the segment (a ``wait``
    is a segment of its own) is coded as ``held`` says: x264 codes its first repeats,
    and the others wait. If nothing else is written to the segment, ``finish`` writes
    them as skipped pictures after x264's last (unless the stream is one they cannot
    continue); if another frame follows, x264 codes them after all. ``held`` = None, or
    a held frame later in a segment: x264 codes every repeat (the stream Manim's own
    encoder writes, byte for byte).

    It also writes under a temporary name that carries its process id
    (``bce_voice.files.unfinished_name``) and renames at the end, so a file under the
    target's name is always whole. A plain ``manim`` run keeps Manim's cache on, which
    takes a piece named by its animation's hash for finished: a run stopped
    mid-animation (Ctrl-C) must not leave a truncated one there for later runs to join.
    In a parallel render, what a stopped or killed worker left half-written is named by
    its process, and the supervisor deletes exactly that (``bce_film.pieces``).
    """

    def __init__(self, *, target: Path, spec, held: HeldCoding | None = HELD_CODING) -> None:
        self._writing = unfinished_name(target)
        super().__init__(target=self._writing, spec=spec)
        self.target = target
        self.held = held
        self._container = _CountingContainer(self._container, self._stream)
        self._waiting: tuple[av.VideoFrame, int] | None = None  # (picture, repeats)
        self.skipped_pictures = 0  # written here, not by x264

    def finish(self) -> None:
        if self._waiting is not None and not self._closed:
            if self._container.count is None:  # a stream skipped pictures cannot continue
                self._encode_waiting()
            else:
                self._finish_with_skipped_pictures()
        super().finish()
        os.replace(self._writing, self.target)

    def abort(self) -> None:
        self.target = self._writing  # what Manim's abort deletes: never a finished file
        super().abort()

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        self._encode_waiting()
        if repeat == 1:  # nothing to share: Manim's own path (which validates)
            super().write_frame(pixels, repeat=1)
            return
        self._validate_frame(pixels, repeat)
        context = self._stream.codec_context
        try:
            # The call PyAV makes inside encode() for an RGBA frame, made once here.
            held = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
                width=context.width,
                height=context.height,
                format=context.format,
                threads=context.thread_count,
            )
        except BaseException as error:
            raise self._operation_error("encode", error) from error
        if self.held is None or self._next_pts > 0 or repeat <= self.held.x264_frames:
            self._encode(held, repeat)
            return
        context.options = {**context.options, **self._zoned(context.options)}
        self._encode(held, self.held.x264_frames)
        self._waiting = (held, repeat - self.held.x264_frames)

    def _zoned(self, options: dict[str, str]) -> dict[str, str]:
        """x264's own parameters with the held frame's zone added (the encoder opens at
        the first frame it is sent: it has not yet)."""
        params = [p for p in options.get("x264-params", "").split(":") if p]
        return {"x264-params": ":".join([*params, self.held.zone()])}

    def _encode(self, held: av.VideoFrame, repeat: int) -> None:
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            for _ in range(repeat):
                # The encoder copies the picture before send returns, so one frame can
                # be sent again with the next timestamp.
                held.pts = self._next_pts
                held.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(held):
                    self._container.mux(packet)
                self._container.follow()  # x264 may hold back its first packets
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def _encode_waiting(self) -> None:
        """A frame follows the held one: x264 codes its waiting repeats after all."""
        if self._waiting is not None:
            held, repeat = self._waiting
            self._waiting = None
            self._encode(held, repeat)

    def _finish_with_skipped_pictures(self) -> None:
        """x264's last pictures, then the waiting repeats as skipped pictures, and the file
        closed (Manim's ``finish`` then has nothing left to do).

        Once flushed, x264 takes no more frames, so whether skipped pictures can continue
        the stream is decided before: all they need of its headers is known (the stream
        facts, read when x264 opened), and if they cannot, x264 codes the repeats. Of its
        pictures they need only the reference picture shown last, which the flush's
        packets tell; a flushed stream always has one (x264 has been sent a frame, and
        its first picture is an IDR picture, a reference)."""
        try:
            pictures = SkippedPictures(self._container.count.facts)
        except UnsupportedStream:
            self._encode_waiting()  # Manim's ``finish`` flushes x264 and closes the file
            return
        _, repeat = self._waiting
        self._waiting = None
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            for packet in self._stream.encode():
                self._container.mux(packet)
            pictures.continue_after(self._container.count)
            dts = self._container.last_dts
            for _ in range(repeat):
                packet = av.Packet(pictures.next_picture())
                dts += 1
                packet.pts, packet.dts = self._next_pts, dts
                packet.time_base = time_base
                packet.stream = self._stream
                self._next_pts += 1
                self._container.container.mux(packet)
            self._closed = True
            self._container.close()
        except BaseException as error:
            raise self._operation_error("finish", error) from error
        self.skipped_pictures += repeat


class FilmFileWriter(SceneFileWriter):
    """Manim's file writer with ``HeldFrameEncoder`` for every partial movie (its waits
    coded as ``held`` says: the class attribute, which a benchmark sets). Given a
    ``soundtrack`` (``bce_voice.soundtrack.Soundtrack``: the clips in their chapters), it
    adds the film's audio track to the movie once Manim has joined it, before a preview
    opens it."""

    soundtrack = None
    held: HeldCoding | None = HELD_CODING

    def finish(self) -> None:
        super().finish()
        if self.soundtrack is None or not self.output_spec.is_video or self.output_spec.is_gif:
            return
        from bce_voice.soundtrack import add_soundtrack

        movie = Path(self.movie_file_path)
        if movie.is_file():
            add_soundtrack(movie, self.soundtrack, movie)

    def _create_segment_encoder(self, target):
        if self.video_encoder is None:
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return HeldFrameEncoder(target=Path(target), spec=self.video_encoder, held=self.held)


class PiecesFileWriter(FilmFileWriter):
    """For a worker of a parallel render: encodes the partial movies and stops there;
    the parent joins every worker's pieces into the film."""

    def finish(self) -> None:  # no movie, so no soundtrack: the parent adds it
        self.join_all_encode_jobs()
