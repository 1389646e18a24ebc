"""``bce-video batch MANIFEST``: a manifest's films (its groups' products), a bad
manifest refused before anything renders, and a small real batch: one folder per film,
batch.json, a bad dataset failing alone, and a second run taking everything from the
cache."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from film_helpers import run_bce_video
from test_parallel_render import drawn_chapters

from bce_video.batch import ManifestError, read_manifest

GOOD = "x,y\n-2,0\n-1,0\n0,1\n1,0\n2,1\n3,1\n"
OTHER = "x,y\n10,0\n20,0\n30,1\n40,0\n50,1\n"
ONE_CLASS = "x,y\n0,0\n1,0\n2,0\n"


def _manifest(folder: Path, text: str) -> Path:
    path = folder / "films.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the manifest


def test_the_issue_s_manifest_expands_to_its_films(tmp_path):
    (tmp_path / "cohort").mkdir()
    (tmp_path / "scores.csv").write_text(GOOD)
    (tmp_path / "cohort" / "ann.csv").write_text(GOOD)
    (tmp_path / "cohort" / "bob.json").write_text('{"x": [0, 1, 2, 3], "y": [0, 1, 0, 1]}')
    (tmp_path / "cohort" / "notes.txt").write_text("not data")
    manifest = _manifest(
        tmp_path,
        """
[defaults]
quality = "l"
voice = "none"

[[films]]
data = ["scores.csv", "cohort/"]
positive = "1"
lang = ["en", "zh"]
aspect = ["16:9", "9:16"]
chapter = ["fit", "mean_loss"]

[[films]]
theme = "light"
""",
    )
    films = read_manifest(manifest)
    assert len(films) == 3 * 2 * 2 + 1
    grouped = films[:-1]
    assert {Path(str(f.options["data"])).name for f in grouped} == {
        "scores.csv",
        "ann.csv",
        "bob.json",
    }
    for film in grouped:
        assert film.request.chapters == ("fit", "mean_loss"), "one value, not two films"
        assert film.request.quality == "l" and film.request.options.voice == "none"
        assert Path(str(film.request.options.data)).parent in (tmp_path, tmp_path / "cohort")
    assert {(f.request.options.language, f.request.options.aspect) for f in grouped} == {
        ("en", "16:9"),
        ("en", "9:16"),
        ("zh", "16:9"),
        ("zh", "9:16"),
    }
    assert len({film.name for film in films}) == len(films), "a folder each"
    assert "scores_positive-1_lang-zh_aspect-9x16_chapter-fit+mean_loss" in {
        film.name for film in films
    }
    article = films[-1]
    assert article.name == "article_theme-light"
    assert article.request.options.data is None and article.request.options.theme == "light"
    assert article.request.chapters is None, "the whole film"


def test_a_list_of_lists_gives_one_film_per_chapter_list(tmp_path):
    manifest = _manifest(tmp_path, '[[films]]\nchapter = [["title"], ["fit", "training"]]\n')
    assert [film.request.chapters for film in read_manifest(manifest)] == [
        ("title",),
        ("fit", "training"),
    ]


def test_flags_without_values_take_true_or_false(tmp_path):
    manifest = _manifest(tmp_path, "[[films]]\nno-penalty = [true, false]\ndraft = true\n")
    films = read_manifest(manifest)
    assert [film.request.options.C for film in films] == [None, 1.0]
    assert all(film.request.draft for film in films)


BAD_MANIFESTS = {
    "unknown option": ("[[films]]\nlanguage = 'en'\n", "unknown option 'language'"),
    "missing data file": ("[[films]]\ndata = ['nowhere.csv']\n", "data 'nowhere.csv'"),
    "empty product": ("[[films]]\nlang = []\n", "lang is an empty list"),
    "bad value": ("[[films]]\nlang = ['en', 'fr']\n", "'fr'"),
    "bad chapter": ("[[films]]\nchapter = ['nope']\n", "no chapter named 'nope'"),
    "flag given a value": ("[[films]]\ndraft = 'yes'\n", "draft is 'yes'"),
    "out is the batch's": ("[[films]]\nout = 'elsewhere'\n", "unknown option 'out'"),
    "unknown table": ("[film]\ntheme = 'light'\n", "'film'"),
    "no films": ("[defaults]\ntheme = 'light'\n", "no films"),
    "not TOML": ("[[films]\n", "not valid TOML"),
    "empty data folder": ("[[films]]\ndata = 'empty/'\n", "no .csv or .json"),
}


@pytest.mark.parametrize(("text", "named"), BAD_MANIFESTS.values(), ids=BAD_MANIFESTS)
def test_a_bad_manifest_is_refused_naming_the_problem(tmp_path, text, named):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ManifestError, match=re.escape(named)):
        read_manifest(_manifest(tmp_path, text))


def test_a_bad_manifest_exits_2_before_anything_is_written(tmp_path):
    """The second group's missing file is found before the first group's film renders."""
    (tmp_path / "one.csv").write_text(GOOD)
    manifest = _manifest(
        tmp_path,
        "[[films]]\ndata = 'one.csv'\nvoice = 'none'\n\n"
        "[[films]]\ndata = ['one.csv', 'gone.csv']\nvoice = 'none'\n",
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    done = run_bce_video("batch", str(manifest), "--out", str(out), cache=cache, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "[[films]] 2" in done.stderr and "'gone.csv'" in done.stderr
    assert not out.exists() and not cache.exists(), "nothing written"


# ------------------------------------------------------------------ a real batch

BATCH = """
[defaults]
quality = "l"
voice = "none"
chapter = ["feature"]
jobs = 1

[[films]]
data = ["one.csv", "other.csv", "one-class.csv"]

[[films]]
data = "one.csv"
theme = "light"
"""
FOLDERS = ["one", "other", "one-class", "one_theme-light"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The batch run twice: the first renders, the second takes it all from the cache."""
    folder = tmp_path_factory.mktemp("batch")
    (folder / "one.csv").write_text(GOOD)
    (folder / "other.csv").write_text(OTHER)
    (folder / "one-class.csv").write_text(ONE_CLASS)
    manifest = _manifest(folder, BATCH)
    out, cache = folder / "out", folder / "cache"
    first = run_bce_video("batch", str(manifest), "--out", str(out), cache=cache)
    record = json.loads((out / "batch.json").read_text())
    movies = {f["folder"]: (out / f["files"]["movie"]).read_bytes() for f in record if f["files"]}
    second = run_bce_video("batch", str(manifest), "--out", str(out), cache=cache)
    return out, first, record, movies, second


def ffprobe(movie: Path) -> dict:
    """The video stream and the container's duration, as FFmpeg's own prober reads them."""
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(movie)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(probed.stdout)
    [video] = [s for s in found["streams"] if s["codec_type"] == "video"]
    seconds = float(found["format"]["duration"])
    return {"size": (video["width"], video["height"]), "seconds": seconds}


@pytest.mark.render
def test_a_bad_dataset_fails_its_film_alone_and_the_batch_exits_1(batch):
    out, first, record, _, _ = batch
    assert first.returncode == 1, first.stderr[-3000:]
    assert [film["folder"] for film in record] == FOLDERS
    assert [film["status"] for film in record] == ["rendered", "rendered", "failed", "rendered"]
    [failed] = [film for film in record if film["status"] == "failed"]
    assert "one-class.csv" in failed["error"] and "both classes" in failed["error"]
    assert failed["files"] == {} and failed["duration"] is None
    assert f"failed: one-class: {failed['error']}" in first.stderr
    assert "4 films: 3 rendered, 0 cached, 1 failed" in first.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["batch.json", *(f for f in FOLDERS if f != "one-class")]
    ), "no folder for the failed film, nothing half-written"


@pytest.mark.render
def test_each_film_is_written_with_its_options_and_times(batch):
    out, _, record, _, _ = batch
    for film in record:
        assert film["options"]["chapter"] == ["feature"] and film["options"]["quality"] == "l"
        if film["status"] == "failed":
            continue
        assert film["render_seconds"] > 0
        assert film["error"] is None
        assert film["options"]["data"] == "one.csv" or film["folder"] == "other"
        for path in film["files"].values():
            assert (out / path).exists(), path
            assert path.startswith(film["folder"] + "/")
        probed = ffprobe(out / film["files"]["movie"])
        assert probed["size"] == (854, 480)
        assert film["duration"] == pytest.approx(probed["seconds"], abs=0.1)
    light = record[-1]
    assert light["files"]["movie"] == "one_theme-light/bce-en-light-feature.mp4"


@pytest.mark.render
def test_progress_counts_films_and_chapters(batch):
    _, first, _, _, _ = batch
    for done in range(1, 5):
        assert re.search(
            rf"films {done}/4, chapters {done}/4, \d+:\d\d elapsed, about \d+:\d\d left",
            first.stderr,
        ), done
    assert drawn_chapters(first.stderr) == {"feature"}


@pytest.mark.render
def test_a_second_run_renders_nothing_new(batch):
    out, _, _, movies, second = batch
    assert second.returncode == 1, second.stderr[-3000:]
    record = json.loads((out / "batch.json").read_text())
    assert [film["status"] for film in record] == ["cached", "cached", "failed", "cached"]
    assert drawn_chapters(second.stderr) == set()
    assert "4 films: 0 rendered, 3 cached, 1 failed" in second.stdout
    for film in record:
        if film["files"]:
            assert (out / film["files"]["movie"]).read_bytes() == movies[film["folder"]]
