"""A chapter's fullest cue: the rule that picks it (``bce_film.preflight.fullest_cue``),
the render that measures it as it draws and keeps it with the chapter (the chapter
cache's record, ``.chapters.json``), and the one moment it gives the page's thumbnail and
the handout's still. The render's own choice in the film's chapters is checked in
tests/test_handout.py (``test_a_chapter_s_still_is_taken_before_it_clears``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from film_helpers import run_bce_video
from PIL import Image
from test_film_files import ENGLISH, frame_shown, grey_film, rendered_film
from test_parallel_render import drawn_chapters, project_copy

from bce_film.options import FilmOptions
from bce_film.preflight import AS_FULL, Box, Screen, fullest_cue
from bce_film.timeline import CueSpan
from bce_video.film_cache import keep_chapter, kept_chapter
from bce_video.handout import HandoutFiles, read_timeline, write_handout
from bce_video.messages import ChapterPiece
from bce_video.stills import BEFORE_THE_END, still_time
from scenes.style import LAYOUTS

__all__ = ["project_copy"]  # a fixture, used by name

LAYOUT = LAYOUTS["16:9"]


def screen(cue: str, share: float | None) -> Screen:
    """The screen after ``cue``: content whose box covers ``share`` of the content area
    (a square root of it across and up; None: nothing but the heading)."""
    if share is None:
        return Screen(cue, (), None, ())
    area = LAYOUT.content_area
    side = share**0.5
    box = Box(
        area.left, area.bottom, area.left + side * area.width, area.bottom + side * area.height
    )
    return Screen(cue, (), box, ())


# --------------------------------------------------------------------------- the rule


def test_the_fullest_cue_is_the_last_as_full_as_the_fullest():
    screens = [screen("a.one", 0.3), screen("a.two", 0.8), screen("a.three", 0.8 - AS_FULL / 2)]
    assert fullest_cue(screens, LAYOUT) == "a.three", "as full, and it has said more"
    screens.append(screen("a.four", 0.8 - 2 * AS_FULL))
    assert fullest_cue(screens, LAYOUT) == "a.three", "less full"


def test_a_chapter_that_clears_on_its_last_cue_is_fullest_before_it():
    screens = [screen("formula.shown", 0.6), screen("formula.gone", None)]
    assert fullest_cue(screens, LAYOUT) == "formula.shown"


def test_a_chapter_with_no_screens_has_no_fullest_cue():
    assert fullest_cue([], LAYOUT) is None


# --------------------------------------------------------------------- the chapter cache


def kept_fit(tmp_path: Path, monkeypatch, fullest: str | None) -> Path:
    """A chapter entry of one piece, kept under "k" * 32: its folder."""
    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path / "cache"))
    piece = tmp_path / "piece.mp4"
    grey_film(piece, frames=60)
    cues = [CueSpan("fit.curve", "Now fit.", 0.0, 2.5), CueSpan("fit.done", "Done.", 2.5, 4.0)]
    keep_chapter(
        "k" * 32,
        ChapterPiece("fit", 4.25, [str(piece)], cues, fullest_cue=fullest, rendered=True),
    )
    return tmp_path / "cache" / "chapters" / ("k" * 32)


@pytest.mark.parametrize("fullest", ["fit.curve", None])
def test_a_kept_chapter_keeps_its_fullest_cue(fullest, tmp_path, monkeypatch):
    folder = kept_fit(tmp_path, monkeypatch, fullest)
    assert json.loads((folder / "chapter.json").read_text())["fullest_cue"] == fullest
    kept = kept_chapter("k" * 32, "fit", [].append)
    assert kept is not None and kept.fullest_cue == fullest
    # Its thumbnail is its still: just before its fullest cue ends (fit.curve: 2.5 s), or
    # its last (4.0 s); at 15 frames a second, 2.4 s is frame 36 and 3.9 s frame 58.
    assert frame_shown(Image.open(kept.thumbnail)) == (36 if fullest else 58)


def test_a_chapter_kept_before_the_render_measured_it_is_said_and_dropped(tmp_path, monkeypatch):
    folder = kept_fit(tmp_path, monkeypatch, "fit.curve")
    record = json.loads((folder / "chapter.json").read_text())
    del record["fullest_cue"]
    (folder / "chapter.json").write_text(json.dumps(record))
    said = []
    assert kept_chapter("k" * 32, "fit", said.append) is None
    assert said == [
        "chapter cache: fit's entry was kept by an older bce-video (chapter.json: no fullest "
        "cue); rendering it again"
    ]
    assert not folder.exists(), "dropped, to be kept again"


@pytest.mark.render
def test_a_chapter_kept_before_the_render_measured_it_is_rendered_again(project_copy):
    """The whole command: the entry is said, drawn again and kept with its fullest cue,
    which .chapters.json gives."""
    cache, out = project_copy / "cache", project_copy / "out"
    args = ("render", "--chapter", "title", "--jobs", "1", "--out", str(out))
    first = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert first.returncode == 0, first.stderr[-3000:]
    shutil.rmtree(cache / "films")  # else the film entry is published as it is
    (out / "bce-en-dark-title.mp4").unlink()  # else the film is found in place
    (entry,) = (cache / "chapters").iterdir()
    record = json.loads((entry / "chapter.json").read_text())
    fullest = record.pop("fullest_cue")
    (entry / "chapter.json").write_text(json.dumps(record))

    again = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Traceback" not in again.stderr
    said = "chapter cache: title's entry was kept by an older bce-video (chapter.json: no "
    assert f"{said}fullest cue); rendering it again" in again.stderr.splitlines()
    assert drawn_chapters(again.stderr) == {"title"}
    assert json.loads((entry / "chapter.json").read_text())["fullest_cue"] == fullest
    (chapter,) = json.loads((out / "bce-en-dark-title.chapters.json").read_text())
    assert chapter["fullest_cue"] == fullest and fullest.startswith("title.")


# --------------------------------------------------------------------- one moment


def test_the_page_s_thumbnail_and_the_handout_s_still_are_the_same_frame(tmp_path):
    """On a film whose frame k is grey level 3k: the middle chapter's fullest cue is its
    first, and both stills show the frame just before it ends, not its last cue's."""
    film = rendered_film(tmp_path / "renders", "bce-en-dark", ENGLISH, times=1.0)
    handout = write_handout(FilmOptions(), film)
    assert handout == HandoutFiles.of(film)
    thumbnails = sorted(film.thumbnails.iterdir())
    stills = sorted(handout.stills.iterdir())
    assert [p.name for p in stills] == [p.name for p in thumbnails]
    shown = [frame_shown(Image.open(p)) for p in thumbnails]
    assert [frame_shown(Image.open(p)) for p in stills] == shown
    assert shown[1] == 25, "mean_loss's first cue ends at 1.8 s: 1.7 s, frame 25"


def test_a_film_written_before_the_render_measured_it_has_its_last_cue_s_still(tmp_path):
    film = rendered_film(tmp_path / "renders", "bce-en-dark", ENGLISH, times=1.0)
    spans = json.loads(film.chapters.read_text())
    film.chapters.write_text(
        json.dumps([{k: v for k, v in s.items() if k != "fullest_cue"} for s in spans])
    )
    middle = read_timeline(film).chapters[1]
    assert middle.fullest_cue is None
    assert still_time(middle) == pytest.approx(middle.cues[-1].end - BEFORE_THE_END)
