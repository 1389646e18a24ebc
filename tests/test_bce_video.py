"""The bce-video command and its settings: options, BCE_* variables, and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bce_core import ARTICLE_DATA, build_lesson
from bce_core.cli import format_report
from bce_video.settings import THEMES, Settings, SettingsError

REPO = Path(__file__).resolve().parent.parent


def bce_video(*args: str, env: dict | None = None, cwd: Path = REPO):
    return subprocess.run(
        [sys.executable, "-m", "bce_video.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


# --------------------------------------------------------------------------- settings


def test_settings_default_to_the_article_film():
    settings = Settings.from_environment({})
    assert settings == Settings()
    assert settings.lesson().loss == pytest.approx(build_lesson(ARTICLE_DATA).loss)


def test_settings_read_every_bce_variable(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,ham\n2,spam\n3,ham\n4,spam\n")
    env = {
        "BCE_DATA": str(data),
        "BCE_POSITIVE": "spam",
        "BCE_C": "0.5",
        "BCE_LANG": "zh",
        "BCE_THEME": "light",
        "BCE_ASPECT": "9:16",
    }
    settings = Settings.from_environment(env)
    assert settings == Settings(str(data), "spam", 0.5, "zh", "light", "9:16")
    assert settings.lesson().dataset.positive_label == "spam"
    # And back: the variables a plain manim run needs to make the same film.
    assert Settings.from_environment(settings.to_environment()) == Settings(
        str(data.resolve()), "spam", 0.5, "zh", "light", "9:16"
    )


def test_no_penalty_variable_wins_over_C():
    assert Settings.from_environment({"BCE_NO_PENALTY": "1", "BCE_C": "3"}).C is None
    assert Settings.from_environment({"BCE_NO_PENALTY": "0", "BCE_C": "3"}).C == 3.0


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BCE_C": "abc"}, "BCE_C"),
        ({"BCE_C": "-1"}, "C"),
        ({"BCE_NO_PENALTY": "maybe"}, "BCE_NO_PENALTY"),
        ({"BCE_LANG": "fr"}, "'fr'"),
        ({"BCE_THEME": "neon"}, "'neon'"),
        ({"BCE_ASPECT": "4:3"}, "'4:3'"),
    ],
)
def test_bad_settings_name_the_setting(env, named):
    with pytest.raises(SettingsError, match=named):
        Settings.from_environment(env)


def test_the_command_knows_the_same_themes_as_the_palettes():
    from scenes.style import PALETTES

    assert tuple(PALETTES) == THEMES


# --------------------------------------------------------------------------- numbers


def test_numbers_prints_what_the_core_prints():
    result = bce_video("numbers")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == format_report(build_lesson(ARTICLE_DATA))


def test_numbers_json_with_user_data(tmp_path):
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"x": [1, 2, 3, 4, 5], "y": ["b", "a", "b", "a", "a"]}))
    result = bce_video("numbers", "--data", str(data), "--positive", "a", "--C", "2", "--json")
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    assert numbers["positive_label"] == "a"
    assert numbers["C"] == 2.0
    assert numbers["n_positive"] == 3


def test_numbers_handles_100000_points(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=100_000)
    y = (x + rng.normal(size=100_000) > 0).astype(int)
    data = tmp_path / "big.csv"
    data.write_text("x,y\n" + "\n".join(f"{a:.6f},{b}" for a, b in zip(x, y, strict=True)))
    result = bce_video("numbers", "--data", str(data), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n_points"] == 100_000


# --------------------------------------------------------------------------- bad input


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


BAD_INPUTS = [
    ("missing-file", None, [], "no such file"),
    ("third-label", "x,y\n1,0\n2,1\n3,2\n", [], "line 4"),
    ("non-numeric-x", "x,y\n1,0\nabc,1\n", [], "line 3"),
    ("one-class", "x,y\n1,1\n2,1\n", [], "both classes"),
    ("words-without-positive", "x,y\n1,ham\n2,spam\n", [], "positive"),
    ("separable-no-penalty", "x,y\n1,0\n2,0\n3,1\n4,1\n", ["--no-penalty"], "separated"),
    ("binary-file", b"x,y\n\x00\x01\x02", [], "NUL"),
    ("unknown-chapter", "x,y\n1,0\n2,1\n3,0\n", ["--chapter", "nope"], "'nope'"),
]


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_stops_render_before_writing(tmp_path, content, extra, message):
    data = tmp_path / "data.csv"
    if isinstance(content, bytes):
        data.write_bytes(content)
    elif content is not None:
        data.write_text(content)
    out = tmp_path / "out"
    result = bce_video("render", "--data", str(data), "--out", str(out), *extra)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert _files_under(out) == []


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    from bce_core import MAX_FILE_BYTES

    data = tmp_path / "huge.csv"
    with data.open("wb") as handle:  # sparse: no disk is spent
        handle.truncate(MAX_FILE_BYTES + 1)
    result = bce_video("render", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "larger than" in result.stderr
    assert _files_under(tmp_path / "out") == []


@pytest.mark.parametrize("option", [["--C", "-1"], ["--C", "abc"], ["--lang", "fr"]])
def test_bad_options_are_usage_errors(option, tmp_path):
    result = bce_video("render", *option, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert _files_under(tmp_path / "out") == []


def test_plain_manim_run_refuses_bad_environment_with_exit_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "--media_dir", str(tmp_path), "scenes/bce.py"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "BCE_LANG": "fr"},
        timeout=600,
    )
    assert result.returncode == 2
    assert "'fr'" in result.stderr
    assert not list(tmp_path.rglob("*.mp4"))
