"""bce-video renders a whole film end to end: here in Chinese on the light theme (one
render covers both; English on dark is the film test's render)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from paths import REPO_ROOT

from scenes.chapters import ORDER

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def zh_light(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("zh-light")
    command = ["render", "--lang", "zh", "--theme", "light", "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "bce_video.cli", *command],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        # A cache of its own: the render starts cold, and leaves the user's cache alone.
        env={**os.environ, "BCE_CACHE_DIR": str(out.parent / "zh-light-cache")},
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_the_command_says_where_everything_went(zh_light):
    out, result = zh_light
    for kind, name in (("film", "mp4"), ("subtitles", "srt"), ("chapters", "chapters.json")):
        line = next(line for line in result.stdout.splitlines() if line.startswith(kind))
        path = Path(line.split(":", 1)[1].strip())
        assert path == out / f"bce-zh-light.{name}"
        assert path.stat().st_size > 0
    # Progress, chapter by chapter, on stderr (in the order the workers finish them).
    total = len(ORDER)
    for name in ORDER:
        assert re.search(rf"\[\s*\d+/{total}\] {name} ", result.stderr), name


def test_only_finished_files_are_left(zh_light):
    out, _ = zh_light
    assert sorted(p.name for p in out.iterdir()) == [
        "bce-zh-light.chapters.json",
        "bce-zh-light.mp4",
        "bce-zh-light.srt",
    ]


def test_the_film_is_a_whole_low_quality_film_on_white(zh_light):
    out, _ = zh_light
    with av.open(str(out / "bce-zh-light.mp4")) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
        assert float(stream.average_rate) == pytest.approx(15, rel=1e-3)
        duration = float(container.duration) / 1e6
        frame = next(container.decode(stream)).to_ndarray(format="rgb24")
    assert 200 < duration < 420
    # The light theme: the first frame is (almost all) white.
    assert np.mean(frame) > 240


def test_subtitles_are_chinese_and_chapters_are_all_there(zh_light):
    out, _ = zh_light
    subtitles = (out / "bce-zh-light.srt").read_text(encoding="utf-8")
    assert "二元交叉熵" in subtitles
    assert "0.3329" in subtitles  # the numbers come from the Lesson in any language
    chapters = json.loads((out / "bce-zh-light.chapters.json").read_text())
    assert [chapter["name"] for chapter in chapters] == list(ORDER)
