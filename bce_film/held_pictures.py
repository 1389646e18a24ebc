"""A held picture's repeats, written without an encoder: H.264 P pictures in which every
macroblock is skipped, so each shows exactly the picture before it.

A held frame (the film holding still while a cue is read or spoken) cost x264 about as
much as a drawn one: it still analyses, filters and codes every copy (benchmarks/README.md,
"What a held frame still costs x264"). Once x264 has coded the held picture and refined
it for a few frames, every further copy is the same tiny picture: "skip every macroblock".
This module writes those pictures itself, from the stream's own parameter sets:

- the slice header of a reference P picture (the next ``frame_num``, the next picture
  order count, one reference: the reference picture shown last, which in x264's stream
  is the last picture shown), then
- the slice data: one skip flag per macroblock and the end of the slice, coded with CABAC
  or CAVLC, whichever the stream's picture parameter set uses (H.264, 7.3.4 and 9.3.4).

A skipped macroblock of a P picture copies its place from the first reference with a zero
motion vector when its neighbours are skipped too (8.4.1.1), so the decoded picture is the
reference's, bit for bit; with no coefficients and equal motion the deblocking filter
leaves it alone, and it is turned off in these slices anyway. The result is a standard,
constant-frame-rate stream: the same frame count and timestamps, no container trickery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

# The H.264 NAL unit types this module reads and writes (Table 7-1).
NAL_SLICE, NAL_IDR_SLICE, NAL_SPS, NAL_PPS = 1, 5, 7, 8
SLICE_TYPE_P = 5  # "all slices of the picture are P" (Table 7-6)
REFERENCE_PRIORITY = 2  # nal_ref_idc of a reference picture, as x264 marks its P pictures

# CABAC tables (9.3.3.2.1.1, Tables 9-44 and 9-45).
RANGE_LPS = (
    (128, 176, 208, 240), (128, 167, 197, 227), (128, 158, 187, 216), (123, 150, 178, 205),
    (116, 142, 169, 195), (111, 135, 160, 185), (105, 128, 152, 175), (100, 122, 144, 166),
    (95, 116, 137, 158), (90, 110, 130, 150), (85, 104, 123, 142), (81, 99, 117, 135),
    (77, 94, 111, 128), (73, 89, 105, 122), (69, 85, 100, 116), (66, 80, 95, 110),
    (62, 76, 90, 104), (59, 72, 86, 99), (56, 69, 81, 94), (53, 65, 77, 89),
    (51, 62, 73, 85), (48, 59, 69, 80), (46, 56, 66, 76), (43, 53, 63, 72),
    (41, 50, 59, 69), (39, 48, 56, 65), (37, 45, 54, 62), (35, 43, 51, 59),
    (33, 41, 48, 56), (32, 39, 46, 53), (30, 37, 43, 50), (29, 35, 41, 48),
    (27, 33, 39, 45), (26, 31, 37, 43), (24, 30, 35, 41), (23, 28, 33, 39),
    (22, 27, 32, 37), (21, 26, 30, 35), (20, 24, 29, 33), (19, 23, 27, 31),
    (18, 22, 26, 30), (17, 21, 25, 28), (16, 20, 23, 27), (15, 19, 22, 25),
    (14, 18, 21, 24), (14, 17, 20, 23), (13, 16, 19, 22), (12, 15, 18, 21),
    (12, 14, 17, 20), (11, 14, 16, 19), (11, 13, 15, 18), (10, 12, 15, 17),
    (10, 12, 14, 16), (9, 11, 13, 15), (9, 11, 12, 14), (8, 10, 12, 14),
    (8, 9, 11, 13), (7, 9, 11, 12), (7, 9, 10, 12), (7, 8, 10, 11),
    (6, 8, 9, 11), (6, 7, 9, 10), (6, 7, 8, 9), (2, 2, 2, 2),
)  # fmt: skip
NEXT_STATE_LPS = (
    0, 0, 1, 2, 2, 4, 4, 5, 6, 7, 8, 9, 9, 11, 11, 12,
    13, 13, 15, 15, 16, 16, 18, 18, 19, 19, 21, 21, 22, 22, 23, 24,
    24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30, 31, 32, 32, 33,
    33, 33, 34, 34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
)  # fmt: skip
# (m, n) of mb_skip_flag's context for a P slice with cabac_init_idc 0, when neither
# neighbour is a coded macroblock (ctxIdx 11, Table 9-13).
SKIP_FLAG_INIT = (23, 33)


class UnsupportedStream(ValueError):
    """The stream uses a feature these pictures do not handle (interlace, slice groups,
    another picture order count type): the encoder codes every repeat itself."""


# --- bits ---------------------------------------------------------------------------------


class BitReader:
    def __init__(self, rbsp: bytes) -> None:
        self.data, self.position = rbsp, 0

    def u(self, bits: int) -> int:
        value = 0
        for _ in range(bits):
            byte = self.data[self.position >> 3]
            value = (value << 1) | ((byte >> (7 - (self.position & 7))) & 1)
            self.position += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code % 2 else -(code // 2)


class BitWriter:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, bits: int, value: int) -> None:
        self.bits.extend((value >> shift) & 1 for shift in range(bits - 1, -1, -1))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(code.bit_length() - 1, 0)
        self.u(code.bit_length(), code)

    def byte_aligned(self) -> bool:
        return len(self.bits) % 8 == 0

    def to_bytes(self) -> bytes:
        assert self.byte_aligned()
        return bytes(
            int("".join(map(str, self.bits[start : start + 8])), 2)
            for start in range(0, len(self.bits), 8)
        )


def rbsp_of(nal: bytes) -> bytes:
    """A NAL unit's payload without its emulation prevention bytes (7.4.1)."""
    out, zeros = bytearray(), 0
    for byte in nal:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def escaped(rbsp: bytes) -> bytes:
    """``rbsp`` with emulation prevention bytes, as a NAL unit's payload carries it."""
    out, zeros = bytearray(), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def nal_units(annex_b: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream (what x264 puts in a packet)."""
    units = []
    start = annex_b.find(b"\0\0\1")
    while start >= 0:
        start += 3
        end = annex_b.find(b"\0\0\1", start)
        units.append(annex_b[start:] if end < 0 else annex_b[start:end].rstrip(b"\0"))
        start = end
    return units


# --- what the stream's parameter sets say -------------------------------------------------


@dataclass(frozen=True)
class StreamFacts:
    """What a slice of this stream must say, from its sequence and picture parameter sets."""

    macroblocks: int
    log2_max_frame_num: int
    poc_type: int
    log2_max_poc_lsb: int
    pps_id: int
    cabac: bool
    weighted_prediction: bool
    chroma: bool  # ChromaArrayType != 0: the weight table has chroma flags
    deblocking_control: bool
    slice_qp: int  # of a slice with slice_qp_delta 0

    @classmethod
    def of(cls, extradata: bytes) -> StreamFacts:
        """From the encoder's extradata (Annex B SPS and PPS, as libx264 gives them)."""
        units = {nal[0] & 0x1F: nal for nal in nal_units(extradata)}
        if NAL_SPS not in units or NAL_PPS not in units:
            raise UnsupportedStream("no SPS and PPS in the encoder's extradata")
        sps = BitReader(rbsp_of(units[NAL_SPS][1:]))
        profile = sps.u(8)
        sps.u(16)  # constraint flags, level
        sps.ue()  # seq_parameter_set_id
        chroma_format = 1
        if profile in (100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135):
            chroma_format = sps.ue()
            if chroma_format == 3:
                sps.u(1)  # separate_colour_plane_flag
            sps.ue()  # bit depths
            sps.ue()
            sps.u(1)  # qpprime_y_zero_transform_bypass_flag
            if sps.u(1):
                raise UnsupportedStream("scaling matrices in the SPS")
        log2_max_frame_num = sps.ue() + 4
        poc_type = sps.ue()
        log2_max_poc_lsb = 0
        if poc_type == 0:
            log2_max_poc_lsb = sps.ue() + 4
        elif poc_type != 2:
            raise UnsupportedStream(f"picture order count type {poc_type}")
        sps.ue()  # max_num_ref_frames
        sps.u(1)  # gaps_in_frame_num_value_allowed_flag
        width_mbs = sps.ue() + 1
        height_units = sps.ue() + 1
        if not sps.u(1):
            raise UnsupportedStream("interlaced coding (frame_mbs_only_flag 0)")

        pps = BitReader(rbsp_of(units[NAL_PPS][1:]))
        pps_id = pps.ue()
        pps.ue()  # seq_parameter_set_id
        cabac = bool(pps.u(1))
        if pps.u(1):
            raise UnsupportedStream("bottom-field picture order in frame pictures")
        if pps.ue():
            raise UnsupportedStream("slice groups")
        pps.ue()  # num_ref_idx_l0_default_active_minus1
        pps.ue()
        weighted_prediction = bool(pps.u(1))
        pps.u(2)  # weighted_bipred_idc
        slice_qp = 26 + pps.se()
        pps.se()  # pic_init_qs_minus26
        pps.se()  # chroma_qp_index_offset
        deblocking_control = bool(pps.u(1))
        pps.u(1)  # constrained_intra_pred_flag
        if pps.u(1):
            raise UnsupportedStream("redundant pictures")
        return cls(
            macroblocks=width_mbs * height_units,
            log2_max_frame_num=log2_max_frame_num,
            poc_type=poc_type,
            log2_max_poc_lsb=log2_max_poc_lsb,
            pps_id=pps_id,
            cabac=cabac,
            weighted_prediction=weighted_prediction,
            chroma=chroma_format != 0,
            deblocking_control=deblocking_control,
            slice_qp=slice_qp,
        )


# --- the pictures the encoder wrote -------------------------------------------------------


@dataclass
class PictureCount:
    """Follows the encoder's pictures in decoding order: the last reference picture's
    ``frame_num``, and the picture order count (8.2.1) of each reference picture, so that
    the next written picture continues both and refers to the reference shown last."""

    facts: StreamFacts
    last_reference_frame_num: int = 0
    previous_msb: int = 0  # PicOrderCntMsb and lsb of the previous reference picture
    previous_lsb: int = 0
    # (picture order count, frame_num) of the reference pictures since the IDR picture.
    references: list[tuple[int, int]] = field(default_factory=list)
    last_poc: int = -1  # of the last picture shown (highest count)
    since_idr: int = 0  # pictures decoded since the IDR picture

    def read_packet(self, annex_b: bytes) -> None:
        for nal in nal_units(annex_b):
            kind, reference = nal[0] & 0x1F, (nal[0] >> 5) & 3
            if kind in (NAL_SLICE, NAL_IDR_SLICE):
                self._read_slice(nal, kind == NAL_IDR_SLICE, reference != 0)

    def _read_slice(self, nal: bytes, idr: bool, reference: bool) -> None:
        facts = self.facts
        header = BitReader(rbsp_of(nal[1 : 1 + 64]))  # the header's first fields suffice
        if header.ue() != 0:  # first_mb_in_slice: a later slice of the same picture
            return
        header.ue()  # slice_type
        header.ue()  # pic_parameter_set_id
        frame_num = header.u(facts.log2_max_frame_num)
        if idr:
            header.ue()  # idr_pic_id
            self.previous_msb = self.previous_lsb = self.since_idr = 0
            self.references.clear()
        else:
            self.since_idr += 1
        if facts.poc_type == 0:
            lsb = header.u(facts.log2_max_poc_lsb)
            poc = self._count(lsb)
            if reference:
                self.previous_msb, self.previous_lsb = poc - lsb, lsb
        else:  # type 2: pictures are shown in decoding order
            poc = 2 * self.since_idr
        if reference:
            self.last_reference_frame_num = frame_num
            self.references.append((poc, frame_num))
        self.last_poc = poc if idr else max(self.last_poc, poc)

    def _count(self, lsb: int) -> int:
        """PicOrderCnt of a frame from its lsb (8.2.1.1)."""
        maximum = 1 << self.facts.log2_max_poc_lsb
        if lsb < self.previous_lsb and self.previous_lsb - lsb >= maximum // 2:
            msb = self.previous_msb + maximum
        elif lsb > self.previous_lsb and lsb - self.previous_lsb > maximum // 2:
            msb = self.previous_msb - maximum
        else:
            msb = self.previous_msb
        return msb + lsb

    def reference_shown_last(self) -> tuple[int, int]:
        """(picture order count, frame_num) of the reference picture shown last: what the
        written pictures repeat. x264's last picture shown is one: it never ends a stream
        on a B picture (its lookahead makes the last frame P, slicetype.c), and P and I
        pictures are references. Were the last picture shown not a reference, the repeats
        would show the reference picture shown before it: for a held frame, x264's coding
        of the same picture some frames earlier."""
        if not self.references:
            raise UnsupportedStream("no reference picture to repeat")
        return max(self.references)


# --- the pictures written here ------------------------------------------------------------


@cache
def skipped_slice_data(facts: StreamFacts) -> tuple[tuple[int, ...], bytes]:
    """The slice data of a P picture with every macroblock skipped, the same for every
    such picture of the stream: (bits before the first byte boundary's data, for CAVLC;
    the aligned bytes that follow, for CABAC). CAVLC: a skip run of every macroblock and
    the stop bit; CABAC: the alignment bits, then each macroblock's mb_skip_flag 1 and
    end_of_slice_flag, arithmetic-coded (9.3.4), its flush ending in the stop bit."""
    if not facts.cabac:
        tail = BitWriter()
        tail.ue(facts.macroblocks)  # mb_skip_run
        tail.u(1, 1)  # rbsp_stop_one_bit
        return tuple(tail.bits), b""

    bits: list[int] = []
    low, width, outstanding, first = 0, 510, 0, True

    def put(bit: int) -> None:
        nonlocal outstanding, first
        if first:
            first = False
        else:
            bits.append(bit)
        bits.extend([1 - bit] * outstanding)
        outstanding = 0

    def renormalise() -> None:
        nonlocal low, width, outstanding
        while width < 256:
            if low < 256:
                put(0)
            elif low >= 512:
                low -= 512
                put(1)
            else:
                low -= 256
                outstanding += 1
            width <<= 1
            low <<= 1

    m, n = SKIP_FLAG_INIT
    pre = min(max(((m * min(max(facts.slice_qp, 0), 51)) >> 4) + n, 1), 126)
    state, most_probable = (63 - pre, 0) if pre <= 63 else (pre - 64, 1)
    for index in range(facts.macroblocks):
        # mb_skip_flag = 1, in its context (both neighbours skipped or absent: ctxIdx 11)
        lps = RANGE_LPS[state][(width >> 6) & 3]
        width -= lps
        if most_probable != 1:
            low += width
            width = lps
            if state == 0:
                most_probable = 1 - most_probable
            state = NEXT_STATE_LPS[state]
        else:
            state = min(state + 1, 62)
        renormalise()
        # end_of_slice_flag, coded by the terminating decision (9.3.4.5)
        width -= 2
        if index < facts.macroblocks - 1:
            renormalise()
        else:  # 1: flush
            low += width
            width = 2
            renormalise()
            put((low >> 9) & 1)
            bits.extend(((((low >> 7) & 3) | 1) >> shift) & 1 for shift in (1, 0))
    bits.extend([0] * (-len(bits) % 8))  # rbsp_alignment_zero_bit
    data = BitWriter()
    data.bits = bits
    return (), data.to_bytes()


class SkippedPictures:
    """Writes the repeats of the reference picture an encoder showed last, continuing its
    stream. Made from the stream's parameter sets alone, before the encoder is flushed
    (whatever these pictures cannot do is known then, while the encoder can still code
    the repeats itself); ``continue_after`` then takes the encoder's pictures, all of
    them muxed, from the count."""

    def __init__(self, facts: StreamFacts) -> None:
        self.facts = facts
        self.tail_bits, self.cabac_bytes = skipped_slice_data(facts)
        self.repeated_frame_num: int | None = None
        self.frame_num = self.poc = 0
        self.first = True

    def continue_after(self, count: PictureCount) -> None:
        """Repeat the reference picture shown last of those ``count`` has read. Raises
        UnsupportedStream only for a stream with no reference picture (no picture at
        all: an IDR picture is a reference)."""
        _, self.repeated_frame_num = count.reference_shown_last()
        self.frame_num = count.last_reference_frame_num
        self.poc = count.last_poc
        self.first = True

    def next_picture(self) -> bytes:
        """The next repeat: one NAL unit in Annex B form (after ``continue_after``)."""
        assert self.repeated_frame_num is not None, "continue_after comes first"
        facts = self.facts
        max_frame_num = 1 << facts.log2_max_frame_num
        self.frame_num = (self.frame_num + 1) % max_frame_num
        self.poc += 2
        header = BitWriter()
        header.ue(0)  # first_mb_in_slice
        header.ue(SLICE_TYPE_P)
        header.ue(facts.pps_id)
        header.u(facts.log2_max_frame_num, self.frame_num)
        if facts.poc_type == 0:
            header.u(facts.log2_max_poc_lsb, self.poc % (1 << facts.log2_max_poc_lsb))
        header.u(1, 1)  # num_ref_idx_active_override_flag: one reference
        header.ue(0)
        if self.first:
            # The first repeat refers to the reference picture shown last, which need not
            # be the last reference decoded (x264 decodes a referenced B picture after it).
            difference = (self.frame_num - self.repeated_frame_num) % max_frame_num
            header.u(1, 1)  # ref_pic_list_modification_flag_l0
            header.ue(0)  # modification_of_pic_nums_idc 0: subtract
            header.ue(difference - 1)  # abs_diff_pic_num_minus1
            header.ue(3)  # end of the list's modification
            self.first = False
        else:  # the one before, decoded last: list 0 begins with it
            header.u(1, 0)
        if facts.weighted_prediction:
            header.ue(0)  # luma_log2_weight_denom
            if facts.chroma:
                header.ue(0)  # chroma_log2_weight_denom
            header.u(1, 0)  # luma_weight_l0_flag
            if facts.chroma:
                header.u(1, 0)  # chroma_weight_l0_flag
        header.u(1, 0)  # adaptive_ref_pic_marking_mode_flag: sliding window
        if facts.cabac:
            header.ue(0)  # cabac_init_idc
        header.ue(0)  # slice_qp_delta (written se(v): 0 codes as ue 0)
        if facts.deblocking_control:
            header.ue(1)  # disable_deblocking_filter_idc: off
        if facts.cabac:
            while not header.byte_aligned():
                header.u(1, 1)  # cabac_alignment_one_bit
            rbsp = header.to_bytes() + self.cabac_bytes
        else:
            header.bits.extend(self.tail_bits)
            header.bits.extend([0] * (-len(header.bits) % 8))
            rbsp = header.to_bytes()
        nal_header = bytes([(REFERENCE_PRIORITY << 5) | NAL_SLICE])
        return b"\0\0\0\1" + nal_header + escaped(rbsp)
