"""bce-video renders a whole film end to end: here in Chinese on the light theme, in the
phone's 9:16 frame with its captions burnt in (one render covers all four; English on
dark in 16:9 is the film test's render)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import av
import numpy as np
import pytest
from film_helpers import parse_srt

from scenes.chapters import ORDER

pytestmark = pytest.mark.render


def test_the_command_says_where_everything_went(zh_light):
    out, result = zh_light
    said = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert {kind: Path(path.strip()) for kind, path in said.items()} == {
        kind: out / f"bce-zh-light-vertical.{name}"
        for kind, name in (
            ("film", "mp4"),
            ("subtitles", "srt"),
            ("captions", "vtt"),
            ("chapters", "chapters.json"),
            ("chapter track", "chapters.vtt"),
            ("poster", "poster.png"),
            ("thumbnails", "thumbnails"),
        )
    }
    for path in said.values():
        assert Path(path.strip()).exists()
    # Progress, chapter by chapter, on stderr (in the order the workers finish them).
    total = len(ORDER)
    for name in ORDER:
        assert re.search(rf"\[\s*\d+/{total}\] {name} ", result.stderr), name


def test_only_finished_files_are_left(zh_light):
    out, _ = zh_light
    assert sorted(p.name for p in out.iterdir()) == [
        "bce-zh-light-vertical.chapters.json",
        "bce-zh-light-vertical.chapters.vtt",
        "bce-zh-light-vertical.mp4",
        "bce-zh-light-vertical.poster.png",
        "bce-zh-light-vertical.srt",
        "bce-zh-light-vertical.thumbnails",
        "bce-zh-light-vertical.vtt",
    ]
    thumbnails = sorted(p.name for p in (out / "bce-zh-light-vertical.thumbnails").iterdir())
    assert thumbnails == [f"{k + 1:02d}-{name}.jpg" for k, name in enumerate(ORDER)]


def test_the_film_is_a_whole_low_quality_vertical_film_on_white(zh_light):
    out, _ = zh_light
    with av.open(str(out / "bce-zh-light-vertical.mp4")) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (480, 854)
        assert float(stream.average_rate) == pytest.approx(15, rel=1e-3)
        duration = float(container.duration) / 1e6
        frame = next(container.decode(stream)).to_ndarray(format="rgb24")
    assert 200 < duration < 420
    # The light theme: the first frame is (almost all) white.
    assert np.mean(frame) > 240


def test_subtitles_are_chinese_and_chapters_are_all_there(zh_light):
    out, _ = zh_light
    subtitles = (out / "bce-zh-light-vertical.srt").read_text(encoding="utf-8")
    assert "二元交叉熵" in subtitles
    assert "0.3329" in subtitles  # the numbers come from the Lesson in any language
    chapters = json.loads((out / "bce-zh-light-vertical.chapters.json").read_text())
    assert [chapter["name"] for chapter in chapters] == list(ORDER)


def caption_band_rows(height: int) -> slice:
    """The pixel rows of the 9:16 layout's caption band at this frame height."""
    from scenes.style import LAYOUTS

    layout = LAYOUTS["9:16"]
    units = layout.frame_units * height / 480  # the frame's height in scene units

    def row(y: float) -> int:
        return round((units / 2 - y) * height / units)

    band = layout.caption_band
    return slice(row(band.top), row(band.bottom))


def test_captions_are_in_the_picture_exactly_while_their_subtitles_are_up(zh_light):
    """Frame by frame: ink in the caption band while a subtitle is up, none between
    (the layout keeps content out of the band), to within a frame at each edge."""
    out, _ = zh_light
    cues = parse_srt((out / "bce-zh-light-vertical.srt").read_text(encoding="utf-8"))
    inked, times = [], []
    with av.open(str(out / "bce-zh-light-vertical.mp4")) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            # The luma plane as decoded, no conversion to RGB (20 times slower over the
            # film's 5,000 frames). Dark ink on white: a caption's strokes, not x264's faint
            # noise. Text in the light theme reaches AA contrast on white (test_colours),
            # which puts its luma under 128.
            plane = frame.planes[0]
            luma = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
            band = luma[caption_band_rows(plane.height), : plane.width]
            inked.append(int((band < 128).sum()))
            times.append(float(frame.time))
    step = 1 / 15
    wrong = []
    for t, ink in zip(times, inked, strict=True):
        up = any(cue.start <= t < cue.end for cue in cues)
        near_an_edge = any(min(abs(t - cue.start), abs(t - cue.end)) < step for cue in cues)
        if not near_an_edge and up != (ink > 50):
            wrong.append((round(t, 3), up, ink))
    assert wrong == [], f"{len(wrong)} frames disagree, first: {wrong[:5]}"
    assert sum(ink > 50 for ink in inked) > 0.5 * len(inked)  # captions were there
