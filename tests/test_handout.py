"""The handout ``bce-video handout`` writes, read back by a PDF reader (pypdf) and drawn by
another (poppler's pdftoppm), and compared with what the render wrote beside the film: its
WebVTT captions and chapters (read with webvtt-py), its frames (PyAV) and the numbers
``bce-video numbers`` prints.

Two handouts of three short chapters, silent: English on the dark theme (16:9) and
Chinese on the light theme (9:16), both from data whose class names and file name are
HTML, which must stay text. The PDFs' pages are drawn as PNG into $BCE_SCREENSHOTS when
set (else a temporary folder), to be looked at; their paths are printed (``pytest -s``).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

import av
import numpy as np
import pytest
import webvtt
from film_helpers import run_bce_video, seed_caches

from scenes.words import load_words

pytestmark = pytest.mark.render

# Class names and a file name that are markup: they must reach the handout as text.
POSITIVE = "<img src=x onerror=alert(1)>"
NEGATIVE = "</script><script>alert(2)</script>"
DATA_NAME = "<b>scores&amp;.csv"
# Not the article's points: the handout's numbers must be this data's.
POINTS = ((-2.5, 0), (-1.7, 0), (-1.1, 1), (-0.3, 0), (0.1, 0), (0.6, 1))
POINTS += ((1.0, 1), (1.9, 1), (2.4, 0), (3.3, 1), (4.1, 1), (5.0, 1))
# Short chapters that say the data's numbers: its size, its classes, the fit.
CHAPTERS = ("feature", "split", "fit")
FILMS = {
    "en": ("--lang", "en", "--theme", "dark"),
    "zh": ("--lang", "zh", "--theme", "light", "--aspect", "9:16"),
}
LANGUAGE_TAGS = {"en": "en", "zh": "zh-Hans"}
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def compact(text: str, language: str) -> str:
    """Text as compared: whitespace runs as one space (a PDF's lines break where the page
    did); none at all in Chinese, whose lines break between any two characters."""
    return re.sub(r"\s+", "" if language == "zh" else " ", text).strip()


def seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


@dataclass(frozen=True)
class Handout:
    language: str
    args: tuple[str, ...]  # the command's arguments
    out: Path
    cache: Path
    result: subprocess.CompletedProcess

    @property
    def stem(self) -> Path:
        """The film's path without its suffix: its files are named from it."""
        films = [line for line in self.result.stdout.splitlines() if line.startswith("handout:")]
        assert len(films) == 1, self.result.stdout
        pdf = Path(films[0].split(":", 1)[1].strip())
        return pdf.with_name(pdf.name.removesuffix(".handout.pdf"))

    def beside(self, suffix: str) -> Path:
        return self.stem.with_name(self.stem.name + suffix)

    @cached_property
    def reader(self):
        from pypdf import PdfReader

        return PdfReader(self.beside(".handout.pdf"))

    @cached_property
    def text(self) -> str:
        """The PDF's text as compared (``compact``)."""
        return compact(self.words_apart, self.language)

    @cached_property
    def words_apart(self) -> str:
        """The PDF's text, whitespace runs as one space: numbers stay apart from the times
        before them, in Chinese too."""
        return compact("\n".join(page.extract_text() for page in self.reader.pages), "en")

    def cues(self) -> list[tuple[str, str]]:
        """The film's captions: (id, words as written)."""
        return [
            (cue.identifier, html.unescape(cue.raw_text))
            for cue in webvtt.read(str(self.beside(".vtt")))
        ]

    def headings(self) -> list[tuple[str, str]]:
        """The film's chapters: (name, heading), in order."""
        return [
            (cue.identifier, html.unescape(cue.raw_text))
            for cue in webvtt.read(str(self.beside(".chapters.vtt")))
        ]

    def stills(self) -> list[Path]:
        return sorted(self.beside(".handout").iterdir())


def handout(args: tuple[str, ...], out: Path, cache: Path) -> subprocess.CompletedProcess:
    return run_bce_video("handout", *args, "--out", str(out), cache=cache)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("handout-data") / DATA_NAME
    rows = "".join(f"{x},{POSITIVE if y else NEGATIVE}\n" for x, y in POINTS)
    path.write_text(f"x,y\n{rows}", encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=list(FILMS))
def made(request, data, tmp_path_factory) -> Handout:
    """The handout of one language's film of CHAPTERS, made from nothing (a new cache)."""
    language = request.param
    root = tmp_path_factory.mktemp(f"handout-{language}")
    cache, out = root / "cache", root / "out"
    seed_caches(cache)  # the repository's LaTeX and text renderings, if any
    args = (*FILMS[language], "--chapter", *CHAPTERS, "--quality", "l")
    args += ("--data", str(data), "--positive", POSITIVE)
    result = handout(args, out, cache)
    assert result.returncode == 0, result.stderr[-3000:]
    return Handout(language, args, out, cache, result)


def drawn_images(reader) -> list[list]:
    """Per page, the images it draws (pypdf's, with ``.image`` as PIL's), in order: a
    WeasyPrint page's resources list every image of the document, and only its content's
    ``Do`` operators say which it shows."""
    from pypdf.generic import ContentStream

    pages = []
    for page in reader.pages:
        images = page.images
        names = set(images.keys())
        shown = [
            images[operands[0]]
            for operands, operator in ContentStream(page.get_contents(), reader).operations
            if operator == b"Do" and operands[0] in names
        ]
        pages.append(shown)
    return pages


def outline_pages(reader) -> list[tuple[str, int, list]]:
    """The PDF's outline: (title, page number, its children, likewise)."""

    def entries(items) -> list:
        found = []
        for item in items:
            if isinstance(item, list):  # the children of the entry before it
                title, page, _ = found[-1]
                found[-1] = (title, page, entries(item))
            else:
                found.append((item.title, reader.get_destination_page_number(item), []))
        return found

    return entries(reader.outline)


# --- what the PDF says ---------------------------------------------------------------


def test_every_heading_and_cue_is_in_the_pdf_as_the_captions_say_it(made):
    missing = [
        words
        for _, words in made.headings() + made.cues()
        if compact(words, made.language) not in made.text
    ]
    assert not missing, f"not in the PDF's text: {missing}\n\nits text: {made.text}"
    assert len(made.cues()) >= len(CHAPTERS)


def test_class_names_that_are_markup_stay_text(made):
    for name in (POSITIVE, NEGATIVE, DATA_NAME):
        assert compact(name, made.language) in made.text, name


def test_the_numbers_are_the_data_s(made, data):
    result = run_bce_video(
        "numbers", "--data", str(data), "--positive", POSITIVE, "--json", cache=made.cache
    )
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    assert numbers["n_points"] == len(POINTS)
    # As the film writes them: counts whole, the fit to four significant digits.
    said = [str(numbers[key]) for key in ("n_points", "n_positive", "n_negative")]
    said += [f"{numbers[key]:.4g}" for key in ("weight", "intercept")]
    for number in said:
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", made.words_apart), number


def test_one_section_per_chapter_titled_by_its_heading(made):
    from scenes.words import load_words

    (title, first_page, chapters), *others = outline_pages(made.reader)
    assert not others, "one entry at the top: the film's title"
    assert title == load_words(made.language).table["title"]["title"]
    assert first_page == 0
    assert [entry[0] for entry in chapters] == [heading for _, heading in made.headings()]
    assert [name for name, _ in made.headings()] == list(CHAPTERS)
    pages = [page for _, page, _ in chapters]
    assert pages == sorted(pages)


def test_the_pdf_is_in_the_film_s_language_and_tagged(made):
    """Its language, for a reader's voice and its glyphs; tagged (a structure a screen
    reader follows) by a WeasyPrint that can (62 cannot)."""
    from weasyprint import DEFAULT_OPTIONS

    catalog = made.reader.trailer["/Root"]
    assert catalog["/Lang"] == LANGUAGE_TAGS[made.language]
    if "pdf_tags" in DEFAULT_OPTIONS:
        assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog


def test_each_still_is_the_film_s_frame_on_its_heading_s_page(made):
    """As many images as chapters; chapter k's still on the page its heading is on (a page
    break never parts them), at the film's size, the picture of its still file."""
    from PIL import Image

    pages = drawn_images(made.reader)
    placed = [(number, image) for number, shown in enumerate(pages) for image in shown]
    chapters = outline_pages(made.reader)[0][2]
    stills = made.stills()
    assert len(placed) == len(chapters) == len(stills) == len(CHAPTERS)
    with av.open(str(made.beside(".mp4"))) as container:
        stream = container.streams.video[0]
        size = (stream.width, stream.height)
    for (heading, heading_page, _), (page, image), still in zip(
        chapters, placed, stills, strict=True
    ):
        assert page == heading_page, f"{heading!r}: its still is on page {page + 1}"
        shown = np.asarray(image.image.convert("RGB"))
        assert (shown.shape[1], shown.shape[0]) == size
        with Image.open(still) as kept:
            expected = np.asarray(kept.convert("RGB"))
        assert np.abs(shown.astype(int) - expected.astype(int)).mean() < 2, still.name


def test_each_still_is_a_frame_of_its_own_chapter(made):
    """Decoded with PyAV, the film has a frame equal to each still (up to JPEG's loss),
    shown within the still's chapter, before its last cue ends (the fullest moment is
    a cue's end, never the pause after the chapter's words)."""
    from PIL import Image

    chapters = json.loads(made.beside(".chapters.json").read_text(encoding="utf-8"))
    last_ends = {}
    for cue in webvtt.read(str(made.beside(".vtt"))):
        last_ends[cue.identifier.partition(".")[0]] = seconds(cue.end)
    stills = []
    for path in made.stills():
        with Image.open(path) as still:
            stills.append(np.asarray(still.convert("RGB")).astype(np.int16))
    closest = [(np.inf, -1.0)] * len(stills)  # (mean difference, time) of the likest frame
    with av.open(str(made.beside(".mp4"))) as container:
        for frame in container.decode(video=0):
            pixels = frame.to_ndarray(format="rgb24").astype(np.int16)
            closest = [
                min(best, (float(np.abs(pixels - still).mean()), float(frame.time)))
                for best, still in zip(closest, stills, strict=True)
            ]
    for chapter, (difference, time) in zip(chapters, closest, strict=True):
        assert difference < 2, f"{chapter['name']}: no frame like its still ({difference:.1f})"
        assert chapter["start"] <= time <= last_ends[chapter["name"]], (chapter, time)


def test_its_pages_open_as_png(made, tmp_path):
    """poppler, a second PDF reader, draws every page; where BCE_SCREENSHOTS says, they
    are kept to be looked at."""
    from PIL import Image

    folder = Path(os.environ.get("BCE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / f"handout-{made.language}"
    done = subprocess.run(
        [PDFTOPPM, "-r", "60", "-png", str(made.beside(".handout.pdf")), str(prefix)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    drawn = sorted(folder.glob(f"{prefix.name}-*.png"))
    assert len(drawn) == len(made.reader.pages)
    for path in drawn:
        print(f"handout page: {path}")
        with Image.open(path) as page:
            pixels = np.asarray(page.convert("L"))
        assert pixels.std() > 1, f"{path.name} is blank"


# --- the HTML handout ----------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag (name, attributes) of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_handout_has_the_same_words_its_stills_and_a_print_stylesheet(made):
    page = made.beside(".handout.html")
    source = page.read_text(encoding="utf-8")
    parsed = Elements()
    parsed.feed(source)
    tags = parsed.tags
    assert tags[0] == ("html", tags[0][1]) and tags[0][1]["lang"] == LANGUAGE_TAGS[made.language]
    images = [attributes["src"] for tag, attributes in tags if tag == "img"]
    assert [page.parent / src for src in images] == made.stills()
    assert not [tag for tag, _ in tags if tag in ("script", "b")], "markup from the data ran"
    text = compact(" ".join(parsed.text), made.language)
    for _, words in made.headings() + made.cues():
        assert compact(words, made.language) in text
    assert "@page" in source and "@media print" in source
    assert len([tag for tag, attributes in tags if attributes.get("class") == "chapter"]) == len(
        CHAPTERS
    )


def test_it_leaves_nothing_half_written(made):
    names = sorted(path.name for path in made.out.iterdir())
    assert not [name for name in names if name.startswith(".")], names
    stem = made.stem.name
    for suffix in (".handout.pdf", ".handout.html", ".handout"):
        assert stem + suffix in names


# --- again, and bad input ------------------------------------------------------------


def test_a_second_run_renders_nothing(made):
    pdf = made.beside(".handout.pdf")
    again = handout(made.args, made.out, made.cache)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "(from the cache)" in again.stderr, again.stderr
    assert "done in" not in again.stderr, "the film was rendered again"
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert compact(text, made.language) == made.text


BAD = {
    "a data file that is not numbers": ("--data", "{bad}"),
    "an unknown chapter": ("--chapter", "feature", "intermission"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_before_rendering_and_writes_nothing(case, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\nabc,1\n0.5,0\n", encoding="utf-8")
    args = tuple(arg.format(bad=bad) for arg in BAD[case])
    out = tmp_path / "out"
    result = handout(args, out, tmp_path / "cache")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.startswith("error: "), result.stderr
    assert ("intermission" if "chapter" in case else "bad.csv") in result.stderr
    assert not out.exists(), sorted(out.rglob("*"))


def test_without_weasyprint_it_says_how_to_install_it(tmp_path):
    """A Python with no WeasyPrint (one that cannot import it, first on its path)."""
    hidden = tmp_path / "path"
    (hidden / "weasyprint").mkdir(parents=True)
    (hidden / "weasyprint" / "__init__.py").write_text(
        "raise ImportError('No module named weasyprint')\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run_bce_video(
        *("handout", "--chapter", "feature", "--out", str(out)),
        cache=tmp_path / "cache",
        env={"PYTHONPATH": str(hidden)},
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "pip install 'bce-video[handout]'" in result.stderr, result.stderr
    assert "worker" not in result.stderr, "it rendered first"
    assert not out.exists()


# --- the still's moment --------------------------------------------------------------

#: Chapters whose fullest moment is not their end (formula, code, back_to_formula), and
#: one whose is (fit).
CLEARING = ("formula", "code", "back_to_formula", "fit")


def test_a_chapter_s_still_is_taken_before_it_clears(tmp_path):
    """The render measures each screen as it draws it (the preflight's measure) and
    writes each chapter's fullest cue into .chapters.json: the formula and the code fade
    out on their chapter's last cue, and back_to_formula ends on the formula alone; the
    fit is whole at its end."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    seed_caches(cache)
    # One worker: two would each play the film up to back_to_formula, skipped.
    args = ("--chapter", *CLEARING, "--quality", "l", "--jobs", "1", "--out", str(out))
    rendered = run_bce_video("render", *args, cache=cache)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    spans = json.loads((out / f"bce-en-dark-{'-'.join(CLEARING)}.chapters.json").read_text())
    chosen = {span["name"]: span["fullest_cue"] for span in spans}
    words = load_words("en")
    cues = {name: [f"{name}.{cue}" for cue in words.cue_templates(name)] for name in CLEARING}
    assert chosen["formula"] in cues["formula"][:-1]
    assert chosen["code"] == cues["code"][0]
    assert chosen["back_to_formula"] in cues["back_to_formula"][:-1]
    assert chosen["fit"] == cues["fit"][-1]


def test_the_page_s_thumbnails_are_the_handout_s_stills(made):
    """The page's chapter list and the handout show each chapter at the same moment: each
    still, made a thumbnail as the render makes one, is its chapter's thumbnail (up to
    JPEG's loss), and likest it of all the thumbnails."""
    from PIL import Image

    from bce_video.stills import THUMBNAIL_SIZE

    thumbnails = sorted(made.beside(".thumbnails").iterdir())
    stills = made.stills()
    assert [path.name for path in stills] == [path.name for path in thumbnails]

    def pixels(path: Path, shrink: bool) -> np.ndarray:
        with Image.open(path) as image:
            image = image.convert("RGB")
            if shrink:
                image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
            return np.asarray(image).astype(np.int16)

    shown = [pixels(path, shrink=False) for path in thumbnails]
    for index, still in enumerate(stills):
        small = pixels(still, shrink=True)
        differences = [float(np.abs(small - thumbnail).mean()) for thumbnail in shown]
        assert differences[index] < 3, (still.name, differences)
        assert differences[index] == min(differences), (still.name, differences)


def test_the_page_links_the_handout_it_writes(made):
    """``bce-video page --handout``: the film from the handout's cache, its handout written
    again beside it, and the PDF among the page's downloads under its [page] word."""
    site = made.out / "site"
    result = run_bce_video(
        "page",
        *made.args,
        "--handout",
        "--out",
        str(made.out),
        "--site",
        str(site),
        cache=made.cache,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "done in" not in result.stderr, "the film was rendered again"
    script = (site / "assets" / "page-data.js").read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.BCE_PAGE = ").rstrip().removesuffix(";"))
    (film,) = data["films"]
    label = load_words(made.language).table["page"]["download_handout"]
    (entry,) = [d for d in film["downloads"] if d["label"] == label]
    linked = site / entry["href"]
    assert linked.read_bytes() == made.beside(".handout.pdf").read_bytes()
    assert entry["file"].endswith(".handout.pdf")
