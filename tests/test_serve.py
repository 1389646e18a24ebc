"""``bce-video serve`` and the embed snippet: the two ways a page leaves the teacher's
disk.

- serve: the page's folder on 127.0.0.1, answering byte ranges (checked with raw HTTP
  requests against the file's own bytes) so that Chromium can seek the film, where
  ``python -m http.server`` lets it seek nowhere; a folder that is not a page is bad input.
- the embed snippet: the iframe points at ``--base-url`` when the page was made with one;
  served, at where it is served from; opened from a file, at a placeholder the hint names.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium
from film_helpers import run_bce_video, without_bce_variables
from paths import REPO_ROOT
from test_film_files import ENGLISH, FPS, grey_film, rendered_film

from bce_core.cli import EXIT_BAD_INPUT
from bce_film.options import FilmOptions
from bce_video.page import PageFilm, build_page
from scenes.words import load_words

#: A film long enough that a seek to its middle means something.
SECONDS = 8
VIDEO = "document.querySelector('video')"


@pytest.fixture(scope="module")
def film_folder(tmp_path_factory) -> Path:
    """A page-like folder: index.html with a <video> of an 8 s film beside it."""
    folder = tmp_path_factory.mktemp("served")
    grey_film(folder / "film.mp4", frames=SECONDS * FPS)
    (folder / "index.html").write_text(
        '<!doctype html><title>film</title><video src="film.mp4" preload="metadata"></video>',
        encoding="utf-8",
    )
    return folder


class Served:
    """``bce-video serve FOLDER --port 0 --no-open`` running; ``url`` where it answers."""

    def __init__(self, folder: Path) -> None:
        command = ("serve", str(folder), "--port", "0", "--no-open")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bce_video.cli", *command],
            cwd=REPO_ROOT,
            env=without_bce_variables({}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines = [self.process.stdout.readline() for _ in range(2)]
        address = [line.split(None, 1)[1].strip() for line in lines if line.startswith("address:")]
        assert address, lines
        self.url = address[0]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(film_folder):
    server = Served(film_folder)
    yield server
    server.close()


def test_serve_answers_a_byte_range_with_exactly_those_bytes(served, film_folder):
    whole = (film_folder / "film.mp4").read_bytes()
    request = urllib.request.Request(served.url + "film.mp4", headers={"Range": "bytes=100-1099"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 206
        assert answer.headers["Content-Range"] == f"bytes 100-1099/{len(whole)}"
        assert answer.read() == whole[100:1100]
    with urllib.request.urlopen(served.url, timeout=10) as answer:
        assert answer.status == 200
        assert b"<video" in answer.read()


def test_serve_listens_on_the_loopback_address_only(served):
    assert served.url.startswith("http://127.0.0.1:")


def seekable_and_seek(url: str, to: float) -> tuple[float, float]:
    """In Chromium: how far the served film is seekable, and where a seek to ``to`` lands."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function(f"() => {VIDEO}.readyState >= 1", timeout=20_000)
        seekable = page.evaluate(f"() => {VIDEO}.seekable.length ? {VIDEO}.seekable.end(0) : 0")
        page.evaluate(f"() => {{ {VIDEO}.currentTime = {to}; }}")
        page.wait_for_function(f"() => !{VIDEO}.seeking", timeout=20_000)
        landed = page.evaluate(f"() => {VIDEO}.currentTime")
        page.close()
    return seekable, landed


def test_chromium_can_seek_a_served_film_where_python_s_http_server_cannot(served, film_folder):
    seekable, landed = seekable_and_seek(served.url, SECONDS / 2)
    assert seekable == pytest.approx(SECONDS, abs=1 / FPS)
    assert landed == pytest.approx(SECONDS / 2, abs=1 / FPS)
    # The reason for the command: the same folder from Python's own server, no ranges.
    plain = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1"],
        cwd=film_folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = plain.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N (http://...)"
        port = line.split(" port ")[1].split()[0]
        _, landed = seekable_and_seek(f"http://127.0.0.1:{port}/", SECONDS / 2)
        assert landed == 0
    finally:
        plain.terminate()
        plain.wait(timeout=10)


@pytest.mark.parametrize("make", ["missing", "no index"])
def test_serve_refuses_a_folder_that_is_not_a_page(make, tmp_path):
    folder = tmp_path / "site"
    if make == "no index":
        folder.mkdir()
        (folder / "notes.txt").write_text("mine")
    result = run_bce_video("serve", str(folder), "--no-open", cache=tmp_path / "cache")
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    assert str(folder) in result.stderr
    assert "Traceback" not in result.stderr


# --- the embed snippet ----------------------------------------------------------------------


class IframeSource(HTMLParser):
    def __init__(self, code: str) -> None:
        super().__init__()
        self.src = None
        self.feed(code)

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.src = dict(attrs)["src"]


def made_up_site(root: Path, base_url: str | None) -> Path:
    """A page of one made-up English film (no render), built as ``bce-video page``
    builds it."""
    film = rendered_film(root / "renders", "bce-en-dark", ENGLISH, times=1.0)
    data = root / "points.csv"
    data.write_text("x,y\n1,a\n2,b\n3,a\n4,b\n")
    options = FilmOptions(language="en", data=str(data), positive="b")
    build_page([PageFilm(options, film, "script")], root / "site", base_url)
    return root / "site"


def embed_of(url: str) -> tuple[str, str]:
    """The embed snippet's iframe address, and the hint above it, as the page shows them."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function("() => document.querySelector('#embed-code').value")
        code, hint = page.input_value("#embed-code"), page.inner_text("#embed-hint")
        page.close()
    return IframeSource(code).src, hint


def test_the_embed_snippet_points_at_the_base_url_given(tmp_path):
    site = made_up_site(tmp_path, "https://courses.example.edu/ml/bce/")
    src, hint = embed_of(site.joinpath("index.html").as_uri())
    assert src == "https://courses.example.edu/ml/bce/embed.html"
    assert hint == load_words("en").table["page"]["embed_hint"]


def test_from_a_file_the_embed_snippet_holds_a_placeholder_and_says_so(tmp_path):
    site = made_up_site(tmp_path, None)
    src, hint = embed_of(site.joinpath("index.html").as_uri())
    assert not src.startswith("file:"), src
    placeholder = src.removesuffix("embed.html")
    assert placeholder in hint and "--base-url" in hint


def test_served_the_embed_snippet_points_where_the_page_is_served(tmp_path):
    site = made_up_site(tmp_path, None)
    server = Served(site)
    try:
        src, hint = embed_of(server.url + "index.html")
    finally:
        server.close()
    assert src == server.url + "embed.html"
    assert hint == load_words("en").table["page"]["embed_hint"]


@pytest.mark.parametrize("url", ["courses.example.edu/ml", "ftp://example.org/", "/ml/bce"])
def test_a_base_url_that_is_not_an_address_is_bad_input(url, tmp_path):
    result = run_bce_video(
        *("page", "--chapter", "title", "--base-url", url),
        *("--out", str(tmp_path / "out")),
        cache=tmp_path / "cache",
    )
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    assert f"--base-url {url!r}" in result.stderr
    assert not (tmp_path / "out").exists()
