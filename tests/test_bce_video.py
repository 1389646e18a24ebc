"""The bce-video command and the film's options: defaults, BCE_* variables, the narration
script, and bad input."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from film_helpers import run_bce_video, without_bce_variables
from paths import REPO_ROOT

from bce_core import ARTICLE_DATA, build_lesson
from bce_core.cli import format_report
from bce_film.options import DEFAULTS, FilmOptions, OptionsError

# --------------------------------------------------------------------------- options


def test_no_variables_and_no_flags_make_the_article_film_in_english_dark_16_9():
    from bce_video.cli import build_parser

    from_environment = FilmOptions.from_environment({})
    flags = build_parser().parse_args(["render"])
    from_flags = FilmOptions.from_arguments(flags)
    assert from_environment == from_flags == DEFAULTS
    assert (DEFAULTS.language, DEFAULTS.theme, DEFAULTS.aspect) == ("en", "dark", "16:9")
    assert DEFAULTS.lesson().loss == pytest.approx(0.3329, abs=5e-5)


def test_valid_values_come_from_the_palettes_layouts_and_language_files(tmp_path, monkeypatch):
    """A theme, an aspect or a language is added where it lives, and the options take it."""
    import bce_film.options as options
    import scenes.style as style
    import scenes.words as words

    monkeypatch.setitem(style.PALETTES, "sepia", style.LIGHT)
    monkeypatch.setitem(style.LAYOUTS, "1:1", style.Layout())
    shutil.copy(words.TEXT_DIR / "en.toml", tmp_path / "en.toml")
    shutil.copy(words.TEXT_DIR / "en.toml", tmp_path / "fr.toml")
    monkeypatch.setattr(words, "TEXT_DIR", tmp_path)
    chosen = FilmOptions(theme="sepia", aspect="1:1", language="fr")
    assert chosen.inputs().words.language == "fr"
    assert "sepia" in options.themes() and "1:1" in options.aspects()
    assert "fr" in options.languages()


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
    options = FilmOptions.from_environment(env)
    assert options == FilmOptions(str(data), "spam", 0.5, "zh", "light", "9:16")
    assert options.lesson().dataset.positive_label == "spam"


def test_no_penalty_variable_wins_over_C():
    assert FilmOptions.from_environment({"BCE_NO_PENALTY": "1", "BCE_C": "3"}).C is None
    assert FilmOptions.from_environment({"BCE_NO_PENALTY": "0", "BCE_C": "3"}).C == 3.0


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
def test_bad_options_name_the_option(env, named):
    with pytest.raises(OptionsError, match=named):
        FilmOptions.from_environment(env)


# --------------------------------------------------------------------------- numbers


def test_numbers_prints_what_the_core_prints(tmp_path):
    result = run_bce_video("numbers", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == format_report(build_lesson(ARTICLE_DATA))


def test_numbers_json_with_user_data(tmp_path):
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"x": [1, 2, 3, 4, 5], "y": ["b", "a", "b", "a", "a"]}))
    args = ("--data", str(data), "--positive", "a", "--C", "2", "--json")
    result = run_bce_video("numbers", *args, cache=tmp_path / "cache")
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
    result = run_bce_video("numbers", "--data", str(data), "--json", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n_points"] == 100_000


# --------------------------------------------------------------------------- script


def test_script_json_lists_every_cue_with_its_words_and_reading_time(tmp_path):
    from scenes.words import load_words

    result = run_bce_video("script", "--format", "json", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    lines = json.loads(result.stdout)
    words = load_words("en")
    ids = [f"{c}.{n}" for c in words.chapters() for n in words.cue_templates(c)]
    assert [line["id"] for line in lines] == ids
    assert all(line["id"].startswith(line["chapter"] + ".") for line in lines)
    settle = next(line for line in lines if line["id"] == "mean_loss.settle")
    assert settle["text"] == "The average of the 10 losses is the binary cross-entropy: 0.3329."
    # Read at the language's 14 characters a second, never less than the minimum.
    assert settle["seconds"] == pytest.approx(len(settle["text"]) / 14.0)
    assert min(line["seconds"] for line in lines) >= 2.5


def test_script_in_chinese_with_user_data_fills_in_their_numbers(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,ham\n2,spam\n3,ham\n4,spam\n5,spam\n")
    data_args = ("--data", str(data), "--positive", "spam")
    result = run_bce_video("script", *data_args, "--lang", "zh", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    numbers = json.loads(
        run_bce_video("numbers", *data_args, "--json", cache=tmp_path / "cache").stdout
    )
    assert f"{numbers['loss']:.4f}" in result.stdout
    assert "spam" in result.stdout and "二元交叉熵" in result.stdout
    assert "## mean_loss: " in result.stdout and "mean_loss.settle" in result.stdout
    assert "{" not in result.stdout


def test_script_srt_is_timed_by_reading_time(tmp_path):
    from film_helpers import parse_srt

    cues = parse_srt(run_bce_video("script", "--format", "srt", cache=tmp_path / "cache").stdout)
    lines = json.loads(run_bce_video("script", "--format", "json", cache=tmp_path / "cache").stdout)
    assert [cue.text for cue in cues] == [line["text"] for line in lines]
    for cue, line in zip(cues, lines, strict=True):
        assert cue.duration == pytest.approx(line["seconds"], abs=0.002)
    assert all(b.start > a.end for a, b in itertools.pairwise(cues))


def test_script_starts_without_importing_manim():
    probe = (
        "import sys\n"
        "from bce_video.cli import main\n"
        "main(['script', '--format', 'json'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'manim' or m.startswith('manim.'))\n"
        "print('MANIM', loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "MANIM []" in done.stderr
    assert json.loads(done.stdout)[0]["id"] == "title.what"


def test_script_refuses_bad_data_like_render(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,0\nabc,1\n")
    result = run_bce_video("script", "--data", str(data), cache=tmp_path / "cache")
    assert result.returncode == 2
    assert "line 3" in result.stderr and result.stdout == ""


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
    result = run_bce_video(
        "render", "--data", str(data), "--out", str(out), *extra, cache=tmp_path / "cache"
    )
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
    result = run_bce_video(
        "render", "--data", str(data), "--out", str(tmp_path / "out"), cache=tmp_path / "cache"
    )
    assert result.returncode == 2
    assert "larger than" in result.stderr
    assert _files_under(tmp_path / "out") == []


@pytest.mark.parametrize("option", [["--C", "-1"], ["--C", "abc"], ["--lang", "fr"]])
def test_bad_options_are_usage_errors(option, tmp_path):
    result = run_bce_video(
        "render", *option, "--out", str(tmp_path / "out"), cache=tmp_path / "cache"
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert _files_under(tmp_path / "out") == []


def test_plain_manim_run_refuses_bad_environment_with_exit_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "--media_dir", str(tmp_path), "scenes/bce.py"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "BCE_LANG": "fr"},
        timeout=600,
    )
    assert result.returncode == 2
    assert "'fr'" in result.stderr
    assert not list(tmp_path.rglob("*.mp4"))


def test_plain_manim_run_refuses_a_broken_words_file_with_exit_2(tmp_path):
    """A language file the film cannot read is bad input in a plain manim run too: its
    message names the file, exit 2, no traceback, before anything renders."""
    text = tmp_path / "text"
    text.mkdir()
    for path in Path(REPO_ROOT / "scenes" / "text").glob("*.toml"):
        shutil.copy(path, text / path.name)
    broken = text / "en.toml"
    broken.write_text(broken.read_text() + "\nthis is = not toml =\n")
    media = tmp_path / "media"
    # Manim run in a process whose words are read from the copies.
    run = (
        "import sys; from pathlib import Path; import scenes.words as words; "
        f"words.TEXT_DIR = Path({str(text)!r}); "
        "from manim.__main__ import main; "
        f"sys.argv = ['manim', '-ql', '--media_dir', {str(media)!r}, 'scenes/bce.py']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", run],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=without_bce_variables({"BCE_VOICE": "none"}),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert f"error: {broken}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(media.rglob("*.mp4"))
