"""What a render writes beside the MP4 (WebVTT captions and chapters, the poster and a
thumbnail per chapter), and the page's folder built from them: checked on a small film
made here with PyAV (each frame one grey level, so a still says which frame it is), read
back with webvtt-py and Pillow. One render test checks that the timeline counts the
video's frames when animations come from Manim's cache."""

from __future__ import annotations

import html
import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import webvtt
from film_helpers import run_bce_video
from PIL import Image

from bce_film.options import FilmOptions
from bce_film.timeline import CueSpan, RenderedChapter, Timeline, assemble_timeline
from bce_video.output import captions_of, chapter_track_of, join_movies, write_film_files
from bce_video.page import PageError, PageFilm, build_page
from bce_video.request import RenderedFilm
from bce_video.stills import (
    THUMBNAIL_SIZE,
    chapter_still,
    frames_at,
    poster_chapter,
    still_time,
    write_thumbnail,
)
from scenes.chapters import ORDER
from scenes.narration import chapter_headings

FPS = 15
HOSTILE = "<img src=x onerror=alert(1)> & </script>"


def grey_film(path: Path, frames: int, size=(160, 90), first: int = 0) -> None:
    """An MP4 whose frame k is grey level 3(first + k) (so a still says which frame of a
    film it is: level / 3, up to frame 85), at FPS."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "0", "preset": "ultrafast"}  # near-lossless greys
        stream.codec_context.time_base = Fraction(1, FPS)
        for k in range(frames):
            pixels = np.full((size[1], size[0], 3), min(3 * (first + k), 255), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = k
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def frame_shown(image: Image.Image) -> int:
    return round(float(np.asarray(image.convert("L")).mean()) / 3)


def small_timeline(texts: dict[str, str], times: float = 1.0):
    """Three chapters of 1.2, 1.6 and 1.2 s (x ``times``: whole frames for 1 and 1.5, as a
    render's chapters are), two cues in the middle one, which is at its fullest after the
    first (as the render measured it); the first chapter was measured by no render."""
    return assemble_timeline(
        [
            RenderedChapter(
                "title", 1.2 * times, (CueSpan("title.what", texts["a"], 0.0, 0.8),), "T"
            ),
            RenderedChapter(
                "mean_loss",
                1.6 * times,
                (
                    CueSpan("mean_loss.one", texts["b"], 0.0, 0.6),
                    CueSpan("mean_loss.two", texts["c"], 0.6, 1.2),
                ),
                "Finally, the loss",
                fullest_cue="mean_loss.one",
            ),
            RenderedChapter("closing", 1.2 * times, (), HOSTILE),
        ]
    )


ENGLISH = {"a": "One.", "b": f"The class {HOSTILE} is positive.", "c": "Two\n\nlines"}


def test_captions_are_one_cue_per_cue_identified_by_id_and_escaped():
    timeline = small_timeline(ENGLISH)
    captions = webvtt.from_string(captions_of(timeline))
    assert [c.identifier for c in captions] == ["title.what", "mean_loss.one", "mean_loss.two"]
    assert [(c.start, c.end) for c in captions] == [
        ("00:00:00.000", "00:00:00.800"),
        ("00:00:01.200", "00:00:01.800"),
        ("00:00:01.800", "00:00:02.400"),
    ]
    hostile = captions[1].raw_text
    assert "<" not in hostile and ">" not in hostile  # no tag a player would interpret
    assert html.unescape(hostile) == ENGLISH["b"]
    # A blank line would end the cue early: the two lines stay one cue.
    assert captions[2].raw_text == "Two\nlines"


def test_the_chapter_track_is_each_chapter_by_its_heading():
    timeline = small_timeline(ENGLISH)
    chapters = webvtt.from_string(chapter_track_of(timeline))
    assert [c.identifier for c in chapters] == ["title", "mean_loss", "closing"]
    assert [c.start for c in chapters] == ["00:00:00.000", "00:00:01.200", "00:00:02.800"]
    assert chapters[-1].end == "00:00:04.000"
    assert html.unescape(chapters[-1].raw_text) == HOSTILE


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_chapter_has_a_heading_and_the_title_card_the_film_s_title(language):
    options = FilmOptions(language=language)
    inputs = options.inputs()
    headings = chapter_headings(inputs.lesson, inputs.words, inputs.style)
    assert list(headings) == list(ORDER)
    assert all(headings.values())
    assert headings["title"] == inputs.words.table["title"]["title"]
    assert headings["fit"] == inputs.words.table["fit"]["heading"]


def write_grey_film(folder: Path, timeline: Timeline) -> None:
    """As a render writes a film in ``folder``: each chapter drawn as its own movies (two,
    as Manim's partial movies: a quarter and the rest), joined into film.mp4 (frame k of
    the film grey level 3k); each chapter's thumbnail and the poster from its chapter's
    movies; the other files from the timeline."""
    first, movies, thumbnails = 0, {}, []
    for chapter in timeline.chapters:
        frames = round((chapter.end - chapter.start) * FPS)
        assert frames == pytest.approx((chapter.end - chapter.start) * FPS), "whole frames"
        movies[chapter.name] = []
        for part, count in enumerate((frames // 4, frames - frames // 4)):
            movie = folder / f"{chapter.name}-{part}.mp4"
            grey_film(movie, count, first=first)
            movies[chapter.name].append(str(movie))
            first += count
        thumbnails.append(folder / f"{chapter.name}.jpg")
        write_thumbnail(chapter_still(movies[chapter.name], chapter), thumbnails[-1])
    join_movies([movie for chapter in movies.values() for movie in chapter], folder / "film.mp4")
    poster = poster_chapter(timeline)
    write_film_files(folder, timeline, chapter_still(movies[poster.name], poster), thumbnails)
    for chapter in movies.values():
        for movie in chapter:
            Path(movie).unlink()
    for thumbnail in thumbnails:
        thumbnail.unlink()


def test_stills_are_the_frames_just_before_each_chapter_s_fullest_cue_ends(tmp_path):
    timeline = small_timeline(ENGLISH)
    write_grey_film(tmp_path, timeline)
    thumbnails = sorted((tmp_path / "thumbnails").iterdir())
    assert [p.name for p in thumbnails] == ["01-title.jpg", "02-mean_loss.jpg", "03-closing.jpg"]
    # title (no fullest cue recorded): its last cue ends at 0.8 s -> 0.7 s, frame 10;
    # mean_loss (from 1.2 s): its fullest cue, the first, ends at 1.8 s -> 1.7 s, frame 25
    # (its last ends at 2.4 s); closing (no cues): its end 4.0 s -> 3.9 s, frame 58. Each
    # is in its chapter's second movie.
    expected = [10, 25, 58]
    assert [frame_shown(Image.open(p)) for p in thumbnails] == expected
    for path in thumbnails:
        assert max(Image.open(path).size) <= THUMBNAIL_SIZE
    poster = Image.open(tmp_path / "poster.png")
    assert poster.size == (160, 90)  # the film's own size
    assert frame_shown(poster) == 25  # the mean-loss chapter's
    chapters = json.loads((tmp_path / "chapters.json").read_text())
    assert [chapter["fullest_cue"] for chapter in chapters] == [None, "mean_loss.one", None]
    # The oracle: the joined film, decoded at the timeline's still times, shows the same.
    times = [still_time(chapter) for chapter in timeline.chapters]
    assert [frame_shown(image) for image in frames_at(tmp_path / "film.mp4", times)] == expected


def rendered_film(folder: Path, stem: str, texts: dict[str, str], times: float) -> RenderedFilm:
    """A film's files under their render names, as ``bce-video render`` leaves them."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f".{stem}"
    scratch.mkdir()
    write_grey_film(scratch, small_timeline(texts, times))
    film = RenderedFilm.named(folder, stem)
    for name, target in film.files().items():
        (scratch / name).rename(target)
    scratch.rmdir()
    return film


def page_data(site: Path) -> dict:
    script = (site / "assets" / "page-data.js").read_text(encoding="utf-8")
    prefix = "window.BCE_PAGE = "
    assert script.startswith(prefix) and script.rstrip().endswith(";")
    return json.loads(script[len(prefix) :].rstrip().rstrip(";"))


@pytest.fixture
def two_films(tmp_path):
    """An English film and a Chinese one whose cues last longer (other times)."""
    chinese = {"a": "一。", "b": f"类别 {HOSTILE} 是正类。", "c": "二"}
    renders = tmp_path / "renders"
    english = rendered_film(renders, "bce-en-dark", ENGLISH, times=1.0)
    zh = rendered_film(renders, "bce-zh-dark", chinese, times=1.5)
    data = tmp_path / f"{HOSTILE.replace('/', '')}.csv"
    # Data a render accepts (the page builds the lab from the films' lesson): the classes
    # overlap, and the positive one is named.
    data.write_text("x,y\n1,a\n2,b\n3,a\n4,b\n")
    films = [
        PageFilm(FilmOptions(language=language, data=str(data), positive="b"), film, script)
        for language, film, script in (("en", english, "script en"), ("zh", zh, "script zh"))
    ]
    return films, tmp_path / "site"


def test_the_page_puts_each_language_on_each_film_s_times_by_cue_id(two_films):
    films, site = two_films
    build_page(films, site)
    for film, other in ((films[0], films[1]), (films[1], films[0])):
        folder = site / film.rendered.movie.stem
        own = webvtt.read(str(folder / f"captions.{film.options.language}.vtt"))
        moved = webvtt.read(str(folder / f"captions.{other.options.language}.vtt"))
        theirs = {c.identifier: c.raw_text for c in webvtt.read(str(other.rendered.captions))}
        assert [(c.identifier, c.start, c.end) for c in moved] == [
            (c.identifier, c.start, c.end) for c in own
        ]
        assert [c.raw_text for c in moved] == [theirs[c.identifier] for c in own]
    data = page_data(site)
    english = data["films"][0]
    assert [t["language"] for t in english["tracks"]] == ["en", "zh"]  # its own first
    assert english["tracks"][1]["vtt"] == (site / "bce-en-dark" / "captions.zh.vtt").read_text()
    assert [c["start"] for c in english["chapters"]] == [0.0, 1.2, 2.8]
    assert english["duration"] == pytest.approx(4.0)
    assert english["chapters"][2]["heading"] == HOSTILE  # unescaped: the page sets it as text


def test_the_page_is_self_contained_and_escapes_what_the_data_names(two_films):
    films, site = two_films
    index = build_page(films, site)
    assert index == site / "index.html"
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "embed.html", "assets/player.js", "assets/player.css"} <= names
    assert {"bce-en-dark/film.mp4", "bce-zh-dark/thumbnails/01-title.jpg"} <= names
    data = page_data(site)
    assert data["films"][0]["source"] == Path(films[0].options.data).name
    for page in ("index.html", "embed.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "<img" not in text and "alert" not in text  # nothing of the data in the HTML
        assert 'src="bce-en-dark/film.mp4"' in text
        assert "http://" not in text and "https://" not in text  # no CDN
    # Every file the page data points to is in the site.
    for film in data["films"]:
        linked = [film["video"], film["poster"]]
        linked += [chapter["thumbnail"] for chapter in film["chapters"]]
        linked += [download["href"] for download in film["downloads"]]
        assert set(linked) <= names


def test_a_page_that_fails_leaves_the_previous_one_and_no_scraps(two_films):
    films, site = two_films
    build_page(films, site)
    before = (site / "assets" / "page-data.js").read_bytes()
    for thumbnail in films[1].rendered.thumbnails.iterdir():
        thumbnail.unlink()  # the Chinese film's chapters no longer match its thumbnails
    with pytest.raises(ValueError):
        build_page(films, site)
    assert (site / "assets" / "page-data.js").read_bytes() == before
    assert not [p.name for p in site.parent.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- a real render


@pytest.mark.render
def test_the_timeline_counts_frames_when_chapters_come_from_the_cache(tmp_path):
    """Two chapters rendered, then three: the second render takes the first two chapters
    from the chapter cache. Every chapter still starts on a whole frame, and the chapters
    add up to the video's frames."""
    out = tmp_path / "out"
    for chapters in (["title", "feature"], ["title", "feature", "labels"]):
        command = ["render", "--voice", "none", "--out", str(out), "--chapter", *chapters]
        result = run_bce_video(*command, cache=tmp_path / "cache", timeout=600)
        assert result.returncode == 0, result.stderr[-2000:]
    assert "2 of 3 chapters came from the cache" in result.stderr
    stem = out / "bce-en-dark-title-feature-labels"
    chapters = json.loads(stem.with_suffix(".chapters.json").read_text())
    with av.open(str(stem.with_suffix(".mp4"))) as container:
        frames = container.streams.video[0].frames
    for chapter in chapters:
        for edge in (chapter["start"], chapter["end"]):
            assert edge * FPS == pytest.approx(round(edge * FPS), abs=1e-3), chapter
    assert chapters[-1]["end"] * FPS == pytest.approx(frames, abs=1e-3)
    # Each chapter's fullest cue, measured as it was drawn, kept with it in the chapter
    # cache, is one of its own.
    said = [cue.identifier for cue in webvtt.read(str(stem.with_suffix(".vtt")))]
    for chapter in chapters:
        assert chapter["fullest_cue"] in said, chapter
        assert chapter["fullest_cue"].startswith(f"{chapter['name']}."), chapter


def test_the_page_never_replaces_a_folder_it_did_not_write(two_films):
    films, site = two_films
    site.mkdir()
    (site / "notes.txt").write_text("a teacher's notes")
    with pytest.raises(PageError, match="not a page bce-video wrote"):
        build_page(films, site)
    assert (site / "notes.txt").read_text() == "a teacher's notes"
    site_file = site.parent / "file"
    site_file.write_text("")
    with pytest.raises(PageError, match="is a file"):
        build_page(films, site_file)


def test_the_command_refuses_such_a_folder_before_rendering(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "mine.txt").write_text("keep me")
    result = run_bce_video("page", "--site", str(site), cache=tmp_path / "cache", timeout=120)
    assert result.returncode == 2, result.stderr
    assert f"--site {site}" in result.stderr and "not a page bce-video wrote" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no cache either"
