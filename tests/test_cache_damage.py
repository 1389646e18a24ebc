"""A damaged cache entry is never published or joined: each kept file's size and SHA-256
are recorded when it is kept and checked when it is used; an entry that fails (or an
older bce-video's, which recorded none) is said in one line, dropped and rendered again.
And the one way files are written whole or not at all (``bce_voice.files``).

The tests marked ``render`` render two short chapters (about 5 s) from a copy of the
project (``project_copy``: the cache keys hash the code, which must not change between
the renders), damage one entry and render again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from film_helpers import run_bce_video
from test_film_files import grey_film
from test_parallel_render import assert_same_pictures, drawn_chapters, project_copy

from bce_film.timeline import CueSpan
from bce_video.film_cache import keep_chapter, keep_film, kept_chapter, kept_film
from bce_video.messages import ChapterPiece
from bce_voice.files import unfinished_name, written_atomically

__all__ = ["project_copy"]  # a fixture, used by name

# ---------------------------------------------------------------- written atomically


def test_a_file_written_atomically_appears_only_when_whole(tmp_path):
    target = tmp_path / "film.mp4"
    target.write_bytes(b"the last one")
    with written_atomically(target) as part:
        assert part == unfinished_name(target)
        part.write_bytes(b"the new one")
        assert target.read_bytes() == b"the last one"
    assert target.read_bytes() == b"the new one"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_failed_write_leaves_the_last_file_and_no_scraps(tmp_path):
    target = tmp_path / "film.mp4"
    target.write_bytes(b"the last one")
    with pytest.raises(RuntimeError), written_atomically(target) as part:
        part.write_bytes(b"half of the")
        raise RuntimeError("a full disk")
    assert target.read_bytes() == b"the last one"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_folder_written_atomically_replaces_the_folder_there(tmp_path):
    target = tmp_path / "thumbnails"
    target.mkdir()
    (target / "old.jpg").write_bytes(b"old")
    with written_atomically(target) as part:
        part.mkdir()
        (part / "new.jpg").write_bytes(b"new")
    assert [path.name for path in target.iterdir()] == ["new.jpg"]
    assert sorted(tmp_path.iterdir()) == [target]


def test_the_unfinished_name_says_whose_it_is_and_keeps_the_suffix():
    assert unfinished_name(Path("a/0abc.mp4"), 42) == Path("a/.0abc.42.part.mp4")


# ------------------------------------------------------------- entries, without a render


def _kept_fit(tmp_path, monkeypatch) -> Path:
    """A chapter entry of three pieces, kept under "k" * 32: its folder."""
    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path / "cache"))
    pieces = []
    for index in range(3):
        pieces.append(tmp_path / f"piece_{index}.mp4")
        grey_film(pieces[-1], frames=20, first=20 * index)
    cues = [CueSpan("fit.curve", "Now fit.", 0.0, 2.5)]
    keep_chapter("k" * 32, ChapterPiece("fit", 4.25, [str(p) for p in pieces], cues, rendered=True))
    return tmp_path / "cache" / "chapters" / ("k" * 32)


def _edit_record(folder: Path, edit) -> None:
    record = folder / "chapter.json"
    record.write_text(json.dumps(edit(json.loads(record.read_text()))))


def _without(mapping: dict, name: str) -> dict:
    return {key: value for key, value in mapping.items() if key != name}


def _forget_a_piece(record: dict) -> dict:
    return record | {"files": _without(record["files"], "001.mp4")}


CHAPTER_DAMAGE = {
    "cut short": (
        lambda folder: (folder / "001.mp4").write_bytes((folder / "001.mp4").read_bytes()[:7]),
        "is damaged (001.mp4: 7 bytes, expected {size})",
    ),
    "the same size, other bytes": (
        lambda folder: (folder / "002.mp4").write_bytes((folder / "002.mp4").read_bytes()[::-1]),
        "is damaged (002.mp4: not the SHA-256 recorded)",
    ),
    "a piece gone": (
        lambda folder: (folder / "000.mp4").unlink(),
        "is damaged (000.mp4: missing)",
    ),
    "the record cut short": (
        lambda folder: (folder / "chapter.json").write_text('{"name": "fi'),
        "is damaged (chapter.json: not valid JSON)",
    ),
    "the record gone": (
        lambda folder: (folder / "chapter.json").unlink(),
        "is damaged, or older than its checks (chapter.json: missing)",
    ),
    "the record not a record": (
        lambda folder: (folder / "chapter.json").write_text("[1, 2]"),
        "is damaged (chapter.json: not a record of its files)",
    ),
    "a piece not recorded": (
        lambda folder: _edit_record(folder, _forget_a_piece),
        "is damaged (001.mp4: no size and hash recorded)",
    ),
    "a cue not [id, text, start, end]": (
        lambda folder: _edit_record(folder, lambda r: r | {"cues": [["fit.curve", "Now fit."]]}),
        "is damaged (chapter.json: not a chapter's record)",
    ),
    "kept by an older bce-video": (
        lambda folder: _edit_record(folder, lambda r: _without(r, "files")),
        "was kept by an older bce-video (chapter.json: no sizes and hashes)",
    ),
    "kept before chapters kept their thumbnail": (
        lambda folder: (
            (folder / "thumbnail.jpg").unlink(),
            _edit_record(folder, lambda r: r | {"files": _without(r["files"], "thumbnail.jpg")}),
        ),
        "was kept by an older bce-video (thumbnail.jpg: missing)",
    ),
    "kept before chapters kept their length": (
        lambda folder: _edit_record(folder, lambda r: _without(r, "length")),
        "was kept by an older bce-video (chapter.json: no length)",
    ),
    "a length that is not a fraction": (
        lambda folder: _edit_record(folder, lambda r: r | {"length": [1, 0]}),
        "is damaged (chapter.json: not a chapter's record)",
    ),
}


@pytest.mark.parametrize("damage", list(CHAPTER_DAMAGE))
def test_a_damaged_chapter_entry_is_said_once_and_dropped(damage, tmp_path, monkeypatch):
    folder = _kept_fit(tmp_path, monkeypatch)
    said = []
    assert kept_chapter("k" * 32, "fit", said.append) is not None
    assert said == [], "a whole entry says nothing"
    harm, problem = CHAPTER_DAMAGE[damage]
    problem = problem.format(size=(folder / "001.mp4").stat().st_size)
    harm(folder)
    assert kept_chapter("k" * 32, "fit", said.append) is None
    assert said == [f"chapter cache: fit's entry {problem}; rendering it again"]
    assert not folder.exists(), "dropped, to be kept again"


def test_a_chapter_entry_keeps_its_cues_as_lists_and_reads_them_back(tmp_path, monkeypatch):
    """The record's format on disk is the one kept before cues had a type (CueSpan): an
    entry kept then is still a hit."""
    folder = _kept_fit(tmp_path, monkeypatch)
    record = json.loads((folder / "chapter.json").read_text())
    assert record["cues"] == [["fit.curve", "Now fit.", 0.0, 2.5]]
    kept = kept_chapter("k" * 32, "fit", [].append)
    assert kept is not None
    assert kept.cues == (CueSpan("fit.curve", "Now fit.", 0.0, 2.5),)


def test_a_damaged_film_entry_is_said_once_and_dropped(tmp_path, monkeypatch):
    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path / "cache"))
    scratch = tmp_path / "scratch"
    (scratch / "thumbnails").mkdir(parents=True)
    (scratch / "film.mp4").write_bytes(b"a film" * 50)
    (scratch / "thumbnails" / "01-title.jpg").write_bytes(b"a picture")
    keep_film(scratch, ["film.mp4", "thumbnails"], "f" * 32)
    said = []
    kept = kept_film("f" * 32, "bce-en-dark", said.append)
    assert (kept / "thumbnails" / "01-title.jpg").read_bytes() == b"a picture"
    (kept / "thumbnails" / "01-title.jpg").write_bytes(b"a pictur")
    assert kept_film("f" * 32, "bce-en-dark", said.append) is None
    assert said == [
        "film cache: bce-en-dark's entry is damaged "
        "(thumbnails/01-title.jpg: 8 bytes, expected 9); rendering it again"
    ]
    assert not kept.exists()


# ------------------------------------------------------------------- rendered, then damaged

SHORT = ["title", "feature"]  # the two shortest chapters: about 5 s from a cold cache
STEM = "bce-en-dark-title-feature"


def _chapter_entry(cache: Path, name: str) -> Path:
    return next(
        folder
        for folder in (cache / "chapters").iterdir()
        if json.loads((folder / "chapter.json").read_text())["name"] == name
    )


def _cut(path: Path) -> str:
    """Cut ``path`` to half its size: "<name>: <bytes> bytes, expected <bytes>"."""
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return f"{path.name}: {len(whole) // 2} bytes, expected {len(whole)}"


def _cut_the_film(cache: Path) -> tuple[str, set[str]]:
    (film,) = (cache / "films").glob("*/film.mp4")
    return f"film cache: {STEM}'s entry is damaged ({_cut(film)})", set()


def _cut_a_piece(cache: Path) -> tuple[str, set[str]]:
    shutil.rmtree(cache / "films")  # else the film entry, untouched, is published
    problem = _cut(_chapter_entry(cache, "feature") / "003.mp4")
    return f"chapter cache: feature's entry is damaged ({problem})", {"feature"}


def _spoil_a_record(cache: Path) -> tuple[str, set[str]]:
    shutil.rmtree(cache / "films")
    record = _chapter_entry(cache, "title") / "chapter.json"
    record.write_text(record.read_text()[:40])
    return "chapter cache: title's entry is damaged (chapter.json: not valid JSON)", {"title"}


def _entries_are_whole(cache: Path) -> None:
    """Every entry's files as its record says (checked here, not by the code under test)."""
    for kind, record_name in (("films", "film.json"), ("chapters", "chapter.json")):
        for folder in (cache / kind).iterdir():
            recorded = json.loads((folder / record_name).read_text())["files"]
            for name, (size, digest) in recorded.items():
                content = (folder / name).read_bytes()
                assert (len(content), hashlib.sha256(content).hexdigest()) == (size, digest)


@pytest.mark.render
@pytest.mark.parametrize("damage", [_cut_the_film, _cut_a_piece, _spoil_a_record])
def test_a_damaged_entry_is_rendered_again_into_the_same_film(damage, project_copy):
    cache, out = project_copy / "cache", project_copy / "out"
    args = ["render", "--chapter", *SHORT, "--jobs", "1", "--out", str(out)]
    first = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert first.returncode == 0, first.stderr[-3000:]
    clean = project_copy / "clean.mp4"
    shutil.copyfile(out / f"{STEM}.mp4", clean)

    said, redrawn = damage(cache)
    # The published film gone too: else the render finds it in place, as it was published
    # (film_cache.still_published), and uses no cache entry.
    (out / f"{STEM}.mp4").unlink()
    again = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{said}; rendering it again" in again.stderr.splitlines()
    assert again.stderr.count("cache: ") == 1, "one line"
    assert "Traceback" not in again.stderr
    assert "unchanged since the last render" not in again.stderr
    assert drawn_chapters(again.stderr) == redrawn
    assert f"{len(SHORT) - len(redrawn)} of {len(SHORT)} chapters came from the cache" in (
        again.stderr
    )
    if redrawn:  # drawn again: the same pictures (x264 may code a few a little otherwise)
        assert_same_pictures(out / f"{STEM}.mp4", clean)
    else:  # joined again from the same pieces: the same bytes
        assert (out / f"{STEM}.mp4").read_bytes() == clean.read_bytes()
    _entries_are_whole(cache)


@pytest.mark.render
def test_a_film_in_place_is_found_there_after_the_caches_let_it_go(project_copy):
    """A batch of more films than the film cache keeps, run again, goes on where it
    stopped: a film whose files are where it published them, as it published them, is
    neither rendered nor copied again. One of them changed there: published again."""
    cache, out = project_copy / "cache", project_copy / "out"
    args = ["render", "--chapter", *SHORT, "--jobs", "1", "--out", str(out)]
    first = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert first.returncode == 0, first.stderr[-3000:]
    movie, subtitles = out / f"{STEM}.mp4", out / f"{STEM}.srt"
    written = {path: path.stat().st_mtime_ns for path in (movie, subtitles)}
    shutil.rmtree(cache / "films")
    shutil.rmtree(cache / "chapters")

    again = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"unchanged since the last render, and in place: {movie} (from the cache)" in (
        again.stderr.splitlines()
    )
    assert "done in" not in again.stderr
    assert {path: path.stat().st_mtime_ns for path in written} == written

    words = subtitles.read_text(encoding="utf-8")
    subtitles.write_text(words.replace("1\n", "1\nedited by hand\n", 1), encoding="utf-8")
    third = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert third.returncode == 0, third.stderr[-3000:]
    assert "in place" not in third.stderr
    assert drawn_chapters(third.stderr) == set(SHORT), "the caches had let it go"
    assert subtitles.read_text(encoding="utf-8") == words
