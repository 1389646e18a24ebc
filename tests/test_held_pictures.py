"""A held frame's repeats written as skipped P pictures (bce_film.held_pictures): decoded
by FFmpeg with every error fatal, each repeat is the picture before it bit for bit, the
stream keeps one frame per tick, and joined films play through. The oracle is FFmpeg's
own H.264 decoder (through PyAV), which knows nothing of how the pictures were made."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from film_helpers import encoder_spec

from bce_film import encoding
from bce_film.encoding import (
    DRAFT_ENCODER_OPTIONS,
    FINAL_ENCODER_OPTIONS,
    HELD_CODING,
    HeldFrameEncoder,
)
from bce_film.held_pictures import (
    NAL_IDR_SLICE,
    NAL_SLICE,
    SLICE_TYPE_P,
    BitReader,
    BitWriter,
    PictureCount,
    SkippedPictures,
    StreamFacts,
    UnsupportedStream,
    escaped,
    nal_units,
    rbsp_of,
)
from bce_video.output import join_movies

RATE = 30


def _picture(seed: int, width: int, height: int) -> np.ndarray:
    """Flat shapes and some noise: x264 refines such a picture over a few frames."""
    rng = np.random.default_rng(seed)
    frame = np.zeros((height, width, 4), np.uint8)
    frame[..., 3] = 255
    for _ in range(6):
        x, y = rng.integers(0, width - 16), rng.integers(0, height - 16)
        frame[y : y + 40, x : x + 60, :3] = rng.integers(0, 255, 3)
    frame[: height // 4, : width // 3, :3] = rng.integers(0, 255, (height // 4, width // 3, 3))
    return frame


def _write(target: Path, options, plan, width=320, height=192, held=HELD_CODING):
    """Encode ``plan`` [(seed, repeat), ...]; the frames expected, the encoder."""
    encoder = HeldFrameEncoder(
        target=target, spec=encoder_spec(options, width, height, RATE), held=held
    )
    expected = []
    for seed, repeat in plan:
        picture = _picture(seed, width, height)
        encoder.write_frame(picture, repeat=repeat)
        expected += [picture] * repeat
    encoder.finish()
    return expected, encoder


def _strict_decode(path: Path) -> list[np.ndarray]:
    """Every frame, decoded by FFmpeg with any error in the stream fatal."""
    checked = subprocess.run(
        ["ffmpeg", "-v", "error", "-err_detect", "explode", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and not checked.stderr, checked.stderr
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="yuv420p") for frame in container.decode(video=0)]


def _timestamps(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [round(frame.pts * stream.time_base * RATE) for frame in container.decode(stream)]


@pytest.mark.parametrize(
    "options", [FINAL_ENCODER_OPTIONS, DRAFT_ENCODER_OPTIONS], ids=["final", "draft"]
)
@pytest.mark.parametrize("held", [9, 40, 700])  # 700: frame_num and picture order wrap
def test_a_wait_s_repeats_are_skipped_pictures_equal_to_the_last_coded(tmp_path, options, held):
    target = tmp_path / "segment.mp4"
    expected, encoder = _write(target, options, [(3, held)])
    assert encoder.skipped_pictures == held - HELD_CODING.x264_frames
    decoded = _strict_decode(target)
    assert len(decoded) == len(expected)
    assert _timestamps(target) == list(range(len(expected))), "one frame per tick"
    last_coded = HELD_CODING.x264_frames - 1
    for index in range(last_coded + 1, len(decoded)):
        assert np.array_equal(decoded[index], decoded[last_coded]), f"frame {index}"
    # And the picture is the one drawn: x264's own coding of it, within its quality.
    rgb = av.VideoFrame.from_ndarray(expected[-1], format="rgba").reformat(format="yuv420p")
    drawn = rgb.to_ndarray()
    assert np.abs(decoded[-1].astype(int) - drawn).mean() < 2.0


def _psnr(decoded: list[np.ndarray], picture: np.ndarray) -> float:
    wanted = av.VideoFrame.from_ndarray(picture, format="rgba").reformat(format="yuv420p")
    wanted = wanted.to_ndarray().astype(float)
    mse = np.mean([np.mean((frame - wanted) ** 2) for frame in decoded])
    return 10 * np.log10(255**2 / mse)


def test_a_wait_looks_at_least_as_good_as_with_x264_coding_every_repeat(tmp_path):
    """The same wait, every repeat coded by x264 (Manim's stream) and as the film codes
    it: measured against the drawn picture, at least as good; the picture that x264
    flickers between its repeats now holds still."""
    width, height = 640, 360
    plan = [(5, 120)]
    _, ours = _write(tmp_path / "ours.mp4", FINAL_ENCODER_OPTIONS, plan, width, height)
    _, theirs = _write(tmp_path / "x264.mp4", FINAL_ENCODER_OPTIONS, plan, width, height, None)
    assert ours.skipped_pictures == 120 - HELD_CODING.x264_frames
    assert theirs.skipped_pictures == 0
    mine, x264s = _strict_decode(tmp_path / "ours.mp4"), _strict_decode(tmp_path / "x264.mp4")
    picture = _picture(5, width, height)
    assert _psnr(mine, picture) >= _psnr(x264s, picture) - 0.1


@pytest.mark.parametrize(
    "options", [FINAL_ENCODER_OPTIONS, DRAFT_ENCODER_OPTIONS], ids=["final", "draft"]
)
def test_a_wait_skipped_pictures_cannot_continue_is_coded_by_x264(tmp_path, options, monkeypatch):
    """Skipped pictures that cannot continue the stream say so before x264 is flushed,
    while it can still code the waiting repeats: the segment is written, and each frame
    is the one x264 codes when it codes every repeat (a stream whose headers skipped
    pictures cannot follow at all)."""
    held = 40
    with monkeypatch.context() as patch:
        patch.setattr(encoding.StreamFacts, "of", _refuse)
        _, theirs = _write(tmp_path / "x264.mp4", options, [(3, held)])
    assert theirs.skipped_pictures == 0
    target = tmp_path / "segment.mp4"
    monkeypatch.setattr(encoding, "SkippedPictures", _refuse)
    expected, ours = _write(target, options, [(3, held)])
    assert ours.skipped_pictures == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["segment.mp4", "x264.mp4"]
    decoded, x264s = _strict_decode(target), _strict_decode(tmp_path / "x264.mp4")
    assert len(decoded) == len(expected) == held
    assert _timestamps(target) == list(range(held)), "one frame per tick"
    for index, (frame, x264s_frame) in enumerate(zip(decoded, x264s, strict=True)):
        assert np.array_equal(frame, x264s_frame), f"frame {index}"


def _refuse(*_args, **_kwargs):
    raise UnsupportedStream("refused by the test")


def _slice(facts: StreamFacts, frame_num: int, poc_lsb: int, *, idr: bool, reference: bool):
    """A slice's NAL unit, as far as PictureCount reads it (then padding)."""
    header = BitWriter()
    header.ue(0)  # first_mb_in_slice
    header.ue(SLICE_TYPE_P + 2 if idr else SLICE_TYPE_P)  # I or P
    header.ue(facts.pps_id)
    header.u(facts.log2_max_frame_num, frame_num)
    if idr:
        header.ue(0)  # idr_pic_id
    header.u(facts.log2_max_poc_lsb, poc_lsb)
    header.u(1, 1)
    header.u(-len(header.bits) % 8, 0)
    kind = NAL_IDR_SLICE if idr else NAL_SLICE
    nal_header = bytes([(3 if reference else 0) << 5 | kind])
    return b"\0\0\0\1" + nal_header + escaped(header.to_bytes() + bytes(64))


def test_the_repeats_show_the_reference_picture_shown_last():
    """x264 never ends a stream on a non-reference picture; were the last picture shown
    one, the repeats (after x264 is flushed, when it can no longer code them) show the
    reference picture shown last, and continue the count past the last picture."""
    facts = StreamFacts(
        macroblocks=20,
        log2_max_frame_num=4,
        poc_type=0,
        log2_max_poc_lsb=6,
        pps_id=0,
        cabac=True,
        weighted_prediction=False,
        chroma=True,
        deblocking_control=True,
        slice_qp=26,
    )
    count = PictureCount(facts)
    pictures = SkippedPictures(facts)  # before: only the stream's headers
    for frame_num, poc, idr, reference in [(0, 0, True, True), (1, 2, False, True)]:
        count.read_packet(_slice(facts, frame_num, poc, idr=idr, reference=reference))
    count.read_packet(_slice(facts, 2, 4, idr=False, reference=False))
    assert count.reference_shown_last() == (2, 1) and count.last_poc == 4
    pictures.continue_after(count)
    written = nal_units(pictures.next_picture())[0]
    assert written[0] >> 5 != 0 and written[0] & 0x1F == NAL_SLICE  # a reference P
    header = BitReader(rbsp_of(written[1:]))
    assert [header.ue(), header.ue(), header.ue()] == [0, SLICE_TYPE_P, facts.pps_id]
    assert header.u(facts.log2_max_frame_num) == 2  # after the last reference's 1
    assert header.u(facts.log2_max_poc_lsb) == 6  # shown after the last picture (4)
    assert (header.u(1), header.ue()) == (1, 0)  # one reference
    # its list 0 begins with frame_num 2 - 1 - 0 = 1: the reference shown last
    assert (header.u(1), header.ue(), header.ue(), header.ue()) == (1, 0, 0, 3)
    count.read_packet(b"\0\0\0\1" + written)  # the next repeats refer to this one
    assert count.reference_shown_last() == (6, 2)
    with pytest.raises(UnsupportedStream):
        PictureCount(facts).reference_shown_last()


def test_the_zone_changes_no_header_so_pieces_still_join(tmp_path):
    """The held frame's x264 zone is rate control only: the same SPS and PPS as a piece
    coded without it, which the joined film's one set of headers must serve."""
    _write(tmp_path / "wait.mp4", FINAL_ENCODER_OPTIONS, [(1, 30)])
    _write(tmp_path / "play.mp4", FINAL_ENCODER_OPTIONS, [(1, 1), (2, 1)])
    headers = []
    for name in ("wait.mp4", "play.mp4"):
        with av.open(str(tmp_path / name)) as container:
            headers.append(container.streams.video[0].codec_context.extradata)
    assert headers[0] == headers[1]


@pytest.mark.parametrize("plan", [[(1, 50), (2, 1)], [(1, 1), (2, 50)]], ids=["then", "after"])
def test_a_held_frame_in_a_segment_with_others_is_coded_by_x264_alone(tmp_path, plan):
    """Not a wait: another frame follows the hold, or comes before it."""
    expected, encoder = _write(tmp_path / "s.mp4", FINAL_ENCODER_OPTIONS, plan)
    assert encoder.skipped_pictures == 0
    assert len(_strict_decode(tmp_path / "s.mp4")) == len(expected)


def test_films_joined_from_such_segments_play_through(tmp_path):
    """Pieces as the film joins them: a drawn one, a held one, a drawn one again."""
    pieces = []
    for index, plan in enumerate([[(1, 1), (2, 1), (3, 1)], [(3, 90)], [(4, 1), (5, 1)]]):
        pieces.append(tmp_path / f"{index}.mp4")
        _write(pieces[-1], FINAL_ENCODER_OPTIONS, plan)
    join_movies([str(piece) for piece in pieces], tmp_path / "film.mp4")
    decoded = _strict_decode(tmp_path / "film.mp4")
    assert len(decoded) == 3 + 90 + 2
    assert _timestamps(tmp_path / "film.mp4") == list(range(95))
    assert np.array_equal(decoded[3 + 89], decoded[3 + 50])  # within the held piece


def test_the_bit_tools_round_trip():
    writer = BitWriter()
    for value in (0, 1, 2, 7, 8, 254, 255, 256, 8159, 70000):
        writer.ue(value)
    writer.u(5, 0b10110)
    writer.u(-len(writer.bits) % 8, 0)
    reader = BitReader(writer.to_bytes())
    assert [reader.ue() for _ in range(10)] == [0, 1, 2, 7, 8, 254, 255, 256, 8159, 70000]
    assert reader.u(5) == 0b10110
    payload = bytes([0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 7, 0, 0])
    assert b"\0\0\0" not in escaped(payload)[:-1] and rbsp_of(escaped(payload)) == payload
    stream = b"\0\0\0\1\x67\1\2" + b"\0\0\1\x68\3" + b"\0\0\0\1\x65" + escaped(payload)
    assert nal_units(stream) == [b"\x67\1\2", b"\x68\3", b"\x65" + escaped(payload)]
