"""How the film's frames become video: the encoder settings, in one place, and a segment
encoder that converts a held frame to YUV once instead of once per repeat.

At 1080p60 most of a render's time is spent encoding (measured in benchmarks/README.md):
the RGBA -> YUV 4:2:0 conversion alone costs about as much as x264 itself, and Manim
converts every repeated frame of a ``wait`` again. ``HeldFrameEncoder`` does the same
conversion (same swscale call, same arguments) once per distinct frame, so the bytes it
writes are exactly those Manim's own encoder writes; only the time differs.

Manim's partial-movie cache includes the encoder settings in every animation's hash, so
draft and final renders never share (or spoil) each other's cached pieces.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from .pieces import unfinished_name

# What users expect of a final render: Manim's own choice (x264, CRF 23, preset medium),
# with x264's frame threads instead of PyAV's default slice threads: the same quality
# per bit, encoded about 1.2x faster on two cores (benchmarks/README.md).
FINAL_ENCODER_OPTIONS = {"crf": "23", "thread_type": "frame"}
# --draft: for checking timing and layout while editing. "ultrafast" encodes 1080p
# roughly 2x faster than "medium"; flat areas and text edges show more artefacts.
DRAFT_ENCODER_OPTIONS = {"crf": "23", "preset": "ultrafast", "thread_type": "frame"}
# Encoders running while the scene draws on: 2 lets the next animation start while the
# previous one's encoder drains its look-ahead; each costs about 0.4 GB at 1080p.
INFLIGHT_ENCODERS = 2


def encoder_options(draft: bool) -> dict[str, str]:
    return dict(DRAFT_ENCODER_OPTIONS if draft else FINAL_ENCODER_OPTIONS)


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, converting a frame repeated ``repeat`` times only once.

    It also writes under a temporary name and renames at the end: the cache takes a file
    named by its hash for finished, so a render killed mid-animation (a stopped worker,
    Ctrl-C) must not leave a truncated one there.
    """

    def __init__(self, *, target: Path, spec) -> None:
        self._writing = unfinished_name(target, os.getpid())
        super().__init__(target=self._writing, spec=spec)
        self.target = target

    def finish(self) -> None:
        super().finish()
        os.replace(self._writing, self.target)

    def abort(self) -> None:
        self.target = self._writing  # what Manim's abort deletes: never a finished file
        super().abort()

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        if repeat == 1:  # nothing to share: Manim's own path (which validates)
            super().write_frame(pixels, repeat=1)
            return
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        context = self._stream.codec_context
        try:
            # The call PyAV makes inside encode() for an RGBA frame, made once here.
            held = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
                width=context.width,
                height=context.height,
                format=context.format,
                threads=context.thread_count,
            )
            for _ in range(repeat):
                # The encoder copies the picture before send returns, so one frame can
                # be sent again with the next timestamp.
                held.pts = self._next_pts
                held.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(held):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class FilmFileWriter(SceneFileWriter):
    """Manim's file writer with ``HeldFrameEncoder`` for every partial movie; counts the
    animations it encodes (the others came from the cache or were skipped). Given a
    ``soundtrack`` (clips at their start times), it adds the film's audio track to the
    movie once Manim has joined it, before a preview opens it."""

    encoded = 0
    soundtrack: list | None = None

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
        self.encoded += 1
        return HeldFrameEncoder(target=Path(target), spec=self.video_encoder)


class PiecesFileWriter(FilmFileWriter):
    """For a worker of a parallel render: encodes the partial movies and stops there;
    the parent joins every worker's pieces into the film."""

    def finish(self) -> None:  # no movie, so no soundtrack: the parent adds it
        self.join_all_encode_jobs()
