"""The page ``bce-video page`` writes, in a real browser: Debian's Chromium, headless,
driven by Playwright, from ``file://`` and over HTTP (with byte ranges, as a static host
serves it). Everything asserted is measured in the browser (the video's clock, its text
tracks, the DOM) and compared with what the render wrote beside the MP4 (its WebVTT
captions and chapters, read with webvtt-py; its duration, read with PyAV).

Two pages: one from data whose class names and file name are HTML (two languages, three
chapters, silent: one short render), and the whole Chinese film on the light theme in
9:16, made from the session's ``zh_light`` render through the film cache.

Screenshots go to $BCE_SCREENSHOTS when set (else a temporary folder); their paths are
printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import av
import pytest
import webvtt
from browser import chromium, screenshot_folder
from film_helpers import run_bce_video

from scenes.chapters import ORDER
from scenes.style import PALETTES
from scenes.words import load_words

pytestmark = pytest.mark.render

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Class names and a file name that are markup: any of them run as HTML opens a dialog.
POSITIVE = "<img src=x onerror=alert(1)>"
NEGATIVE = "</script><script>alert(2)</script>"
DATA_NAME = "<img src=x onerror=alert(3)>.csv"
# The article's ten points, under those names.
POINTS = ((-2.2, 0), (-1.4, 0), (-0.8, 1), (0.2, 0), (0.4, 1))
POINTS += ((0.8, 1), (1.2, 1), (2.2, 1), (2.9, 1), (4.6, 1))
CHAPTERS = ("title", "feature", "labels")

VIDEO = "document.getElementById('film')"
#: The indexes of the chapter list's entries marked as playing.
CURRENT_JS = """() => Array.from(document.querySelectorAll('#chapters li'))
    .flatMap((item, index) => (item.classList.contains('current') ? [index] : []))"""
#: Every image in the viewport loaded (the thumbnails load lazily: only those in view).
IMAGES_IN_VIEW_LOADED = """() => Array.from(document.images)
    .filter((i) => i.getBoundingClientRect().top < innerHeight)
    .every((i) => i.complete && i.naturalWidth > 0)"""
MODES_JS = f"""() => Object.fromEntries(
    Array.from({VIDEO}.textTracks).map((track) => [track.language, track.mode]))"""


# --- the sites ------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    root: Path  # the page's folder
    out: Path  # the renders' folder: the MP4s and what was written beside them
    stems: dict[str, str]  # language -> the film's file stem
    result: subprocess.CompletedProcess

    def url(self, page: str = "index.html", query: str = "") -> str:
        return (self.root / page).as_uri() + query

    def movie(self, language: str) -> Path:
        return self.out / f"{self.stems[language]}.mp4"

    def chapters(self, language: str) -> list[dict]:
        """name, start, end (chapters.json) and heading (chapters.vtt) of each chapter."""
        stem = self.out / self.stems[language]
        chapters = json.loads(stem.with_name(f"{stem.name}.chapters.json").read_text())
        headings = {
            cue.identifier: html.unescape(cue.raw_text)
            for cue in webvtt.read(str(stem.with_name(f"{stem.name}.chapters.vtt")))
        }
        return [{**chapter, "heading": headings[chapter["name"]]} for chapter in chapters]

    def cues(self, language: str) -> list[tuple[str, float, float, str]]:
        """The captions beside the MP4: (id, start, end, text as written)."""
        path = self.out / f"{self.stems[language]}.vtt"
        return [
            (cue.identifier, seconds(cue.start), seconds(cue.end), cue.raw_text)
            for cue in webvtt.read(str(path))
        ]

    def frame(self, language: str) -> float:
        with av.open(str(self.movie(language))) as container:
            return 1 / float(container.streams.video[0].average_rate)


def seconds(stamp: str) -> float:
    """A WebVTT time stamp (HH:MM:SS.mmm) in seconds (webvtt-py's are whole seconds)."""
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def films_of(result: subprocess.CompletedProcess, languages: tuple[str, ...]) -> dict[str, str]:
    """The stems of the films the command printed, one per language, in order."""
    films = [
        Path(line.split(":", 1)[1].strip())
        for line in result.stdout.splitlines()
        if line.startswith("film:")
    ]
    assert len(films) == len(languages), result.stdout
    return {language: film.stem for language, film in zip(languages, films, strict=True)}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    """English and Chinese, three chapters, silent, from data whose names are markup."""
    root = tmp_path_factory.mktemp("hostile-page")
    data = root / DATA_NAME
    rows = "".join(f"{x},{POSITIVE if y else NEGATIVE}\n" for x, y in POINTS)
    data.write_text(f"x,y\n{rows}", encoding="utf-8")
    result = run_bce_video(
        *("page", "--lang", "en", "zh", "--chapter", *CHAPTERS, "--voice", "none"),
        *("--data", str(data), "--positive", POSITIVE),
        *("--out", str(root / "out"), "--site", str(root / "site")),
        cache=root / "cache",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return Site(root / "site", root / "out", films_of(result, ("en", "zh")), result)


@pytest.fixture(scope="module")
def light_vertical_site(zh_light, zh_light_cache, tmp_path_factory) -> Site:
    """The page of the session's whole zh light 9:16 film, taken from the film cache."""
    out, _ = zh_light
    site = tmp_path_factory.mktemp("light-vertical-page") / "site"
    args = ("--lang", "zh", "--theme", "light", "--aspect", "9:16", "--out", str(out))
    # With zh_light's default voice, or it would be another film, not one from the cache.
    result = run_bce_video("page", *args, "--site", str(site), cache=zh_light_cache, silent=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(from the cache)" in result.stderr, result.stderr[-3000:]
    assert "done in" not in result.stderr, "the film was rendered again"
    return Site(site, out, films_of(result, ("zh",)), result)


# --- the browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


class Tab:
    """A page in its own browser context, with everything that went wrong in it: console
    errors and warnings, uncaught errors, failed requests and dialogs (dismissed)."""

    def __init__(self, page):
        self.page = page
        # Media events do not bubble, but a capture listener on the document sees them
        # (before the page's own listeners on the video).
        page.add_init_script(
            """document.addEventListener(
                "loadedmetadata", () => (window.saw_loadedmetadata = true), true);"""
        )
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            where = message.location.get("url", "")
            self.problems.append(f"console {message.type}: {message.text} ({where})")

    def _failed(self, request) -> None:
        # Chromium cancels fetches it no longer needs (its own media fetch once it has
        # buffered the small film; an image or track superseded while loading) and
        # reports them as aborted: not the page's failure. A missing file fails otherwise
        # (ERR_FILE_NOT_FOUND, a 404), and the tests check the video's readyState and
        # that the images in view loaded.
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    # what the page shows

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def when_it_changes(self, marked_js: str, limit_ms: int = 4000) -> list:
        """[what ``marked_js`` (a function of no argument) gives, the video's time] at the
        first animation frame where it gives something else (or after ``limit_ms``)."""
        return self.js(
            f"""() => new Promise((resolve) => {{
                const marked = {marked_js};
                const was = JSON.stringify(marked());
                const started = performance.now();
                const check = () => {{
                    const now = marked();
                    if (JSON.stringify(now) !== was || performance.now() - started > {limit_ms})
                        resolve([now, {VIDEO}.currentTime]);
                    else requestAnimationFrame(check);
                }};
                check();
            }})"""
        )

    def video(self, expression: str):
        """``expression`` of the video (as ``v``), e.g. ``v.currentTime``."""
        return self.page.evaluate(f"() => {{ const v = {VIDEO}; return {expression}; }}")

    def current(self) -> list[int]:
        return self.js(CURRENT_JS)

    def modes(self) -> dict[str, str]:
        return self.js(MODES_JS)

    def text(self, selector: str) -> str:
        return self.page.text_content(selector)

    def wait(self, expression: str, arg=None, timeout: float = 5000) -> None:
        self.page.wait_for_function(expression, arg=arg, timeout=timeout)

    def wait_ready(self) -> None:
        """The page filled in, the film's metadata and the shown captions loaded; from
        then on every seek's landing time is recorded (``window.seeks``)."""
        self.wait(
            f"""() => {{
                const v = {VIDEO};
                const showing = Array.from(v.textTracks).filter((t) => t.mode === "showing");
                return window.BCE_PAGE && window.saw_loadedmetadata
                    && document.querySelectorAll("#chapters li").length > 0
                    && showing.every((t) => t.cues && t.cues.length > 0);
            }}""",
            timeout=15000,
        )
        # One more task: the page's own loadedmetadata listener has run.
        self.js("() => new Promise((resolve) => setTimeout(resolve, 0))")
        self.js(
            f"""() => {{
                window.seeks = [];
                {VIDEO}.addEventListener("seeked", (e) => window.seeks.push(e.target.currentTime));
            }}"""
        )

    # what the reader does

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def seek(self, time: float) -> float:
        """Set the video's currentTime; its value once seeked."""
        return self.seeked_after(lambda: self.js(f"(t) => {{ {VIDEO}.currentTime = t; }}", time))

    def seeked_after(self, action) -> float:
        """Do ``action``, which must seek the video; the time it lands on."""
        count = self.js("() => window.seeks.length")
        action()
        self.wait("(n) => window.seeks.length > n", arg=count)
        return self.js("() => window.seeks[window.seeks.length - 1]")

    def play(self) -> None:
        self.js(f"() => {VIDEO}.play()")
        self.wait(f"() => !{VIDEO}.paused")

    def pause(self) -> None:
        self.js(f"() => {VIDEO}.pause()")

    def screenshot(self, folder: Path, name: str, **options) -> Path:
        # Chromium's loading spinner stays on the picture for a second or so after the
        # film can play.
        self.wait(f"() => {VIDEO}.readyState >= 2")
        self.page.wait_for_timeout(1500)
        path = folder / name
        self.page.screenshot(path=str(path), **options)
        print(f"screenshot: {path}")
        return path


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport=DESKTOP) -> a Tab, its page loaded and ready."""
    contexts = []

    def open_(url: str, viewport: dict = DESKTOP, ready: bool = True) -> Tab:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        tab = Tab(context.new_page())
        tab.page.goto(url)
        if ready:
            tab.wait_ready()
        return tab

    yield open_
    for context in contexts:
        context.close()


class Server:
    """A static host with byte ranges (RangeHTTPServer), recording every request."""

    def __init__(self, root: Path):
        from RangeHTTPServer import RangeRequestHandler

        self.requests: list[tuple[str, str | None, int]] = []  # path, Range header, status
        server = self

        class Handler(RangeRequestHandler):
            def log_message(self, format, *args):
                pass

            def log_request(self, code="-", size="-"):
                server.requests.append((self.path, self.headers.get("Range"), int(code)))

        class Quiet(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # Chromium hangs up on media responses it has enough of

        self.httpd = Quiet(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, page: str = "index.html", query: str = "") -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/{page}{query}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    server = Server(hostile_site.root)
    yield server
    server.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return screenshot_folder(tmp_path_factory, "screenshots")


# --- loading --------------------------------------------------------------------------


def test_the_page_loads_from_a_file_without_errors(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    # Every thumbnail and the poster are there, the film plays from its middle.
    tab.wait("""() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0)""")
    middle = tab.video("v.duration") / 2
    assert tab.seek(middle) == pytest.approx(middle, abs=1e-3)
    tab.wait(f"() => {VIDEO}.readyState >= 2")
    assert tab.video("v.error") is None
    assert len(tab.js("() => Array.from(document.images).map((i) => i.src)")) == len(CHAPTERS)
    assert tab.problems == []


def test_over_http_the_page_loads_without_errors(hostile_server, open_page):
    tab = open_page(hostile_server.url())
    tab.wait(IMAGES_IN_VIEW_LOADED)
    tab.page.wait_for_load_state("networkidle")
    tab.page.wait_for_timeout(500)
    assert tab.problems == []
    # Everything the browser asked for was there. (Chromium asks for some files once per
    # browser, the first time it sees a host: this is the first page from this server.)
    refused = [(path, code) for path, _, code in hostile_server.requests if code >= 400]
    assert refused == []


def test_over_http_a_seek_to_the_middle_uses_byte_ranges(hostile_site, hostile_server, open_page):
    tab = open_page(hostile_server.url())
    middle = tab.video("v.duration") / 2
    assert tab.seek(middle) == pytest.approx(middle, abs=1e-3)
    tab.wait(f"() => {VIDEO}.readyState >= 2")
    assert tab.video("v.currentTime") == pytest.approx(middle, abs=1e-3)
    film = f"/{hostile_site.stems['en']}/film.mp4"
    ranges = [(range_, code) for path, range_, code in hostile_server.requests if path == film]
    assert any(range_ and code == 206 for range_, code in ranges), ranges
    assert tab.problems == []


# --- the film's clock -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "language"),
    [("hostile_site", "en"), ("hostile_site", "zh"), ("light_vertical_site", "zh")],
)
def test_the_video_lasts_as_long_as_the_film(site, language, request, open_page):
    site = request.getfixturevalue(site)
    tab = open_page(site.url(query=f"?lang={language}"))
    assert site.stems[language] in tab.video("v.currentSrc")
    in_browser = tab.video("v.duration")
    with av.open(str(site.movie(language))) as container:
        pyav = container.duration / av.time_base
    last_end = site.chapters(language)[-1]["end"]
    frame = site.frame(language)
    assert in_browser == pytest.approx(pyav, abs=frame)
    assert in_browser == pytest.approx(last_end, abs=frame)


def test_each_chapter_entry_seeks_to_its_start_and_is_marked(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    chapters, frame = hostile_site.chapters("en"), hostile_site.frame("en")
    buttons = tab.page.locator("#chapters li button.chapter")
    assert buttons.count() == len(chapters)
    for index, chapter in enumerate(chapters):
        # From the middle of another chapter, so that every click must move.
        other = chapters[(index + 1) % len(chapters)]
        tab.seek((other["start"] + other["end"]) / 2)
        assert tab.current() == [(index + 1) % len(chapters)]
        button = buttons.nth(index)
        # The chapters' WebVTT times, in whole milliseconds.
        assert float(button.get_attribute("data-start")) == pytest.approx(
            chapter["start"], abs=1e-3
        )
        assert button.get_attribute("data-index") == str(index)
        landed = tab.seeked_after(button.click)
        assert landed == pytest.approx(chapter["start"], abs=frame)
        assert tab.current() == [index]
        marked = tab.js(
            """() => Array.from(document.querySelectorAll('#chapters button.chapter'))
                .map((b) => b.getAttribute('aria-current'))"""
        )
        assert marked == ["step" if k == index else None for k in range(len(chapters))]
        assert tab.video("v.paused")  # a click while paused seeks only
    assert tab.problems == []


def test_the_marked_chapter_follows_playback(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    chapters = hostile_site.chapters("en")
    for index in range(len(chapters) - 1):
        boundary = chapters[index + 1]["start"]
        tab.seek(boundary - 1.0)
        assert tab.current() == [index]
        tab.play()
        # The time at which the mark moves, watched on every animation frame.
        moved = tab.when_it_changes(CURRENT_JS)
        tab.pause()
        marked, at = moved
        assert marked == [index + 1]
        # Not before the boundary, and within a few frames after it.
        assert boundary - 0.02 <= at <= boundary + 0.3, (boundary, at)
    assert tab.problems == []


# --- captions -------------------------------------------------------------------------


def cues_of(tab: Tab, language: str) -> list[tuple[str, float, float, str]]:
    """The cues of the video's text track in ``language`` (loaded first if disabled)."""
    return tab.js(
        f"""async (language) => {{
            const track = Array.from({VIDEO}.textTracks).find((t) => t.language === language);
            if (track.mode === "disabled") track.mode = "hidden";
            while (!track.cues || track.cues.length === 0)
                await new Promise((r) => setTimeout(r, 20));
            return Array.from(track.cues).map((c) => [c.id, c.startTime, c.endTime, c.text]);
        }}""",
        language,
    )


def assert_same_cues(seen, expected) -> None:
    assert [cue[0] for cue in seen] == [cue[0] for cue in expected]
    for (id_, start, end, text), (_, start_, end_, text_) in zip(seen, expected, strict=True):
        assert (start, end) == (pytest.approx(start_, abs=1e-3), pytest.approx(end_, abs=1e-3)), id_
        assert text == text_, id_


@pytest.mark.parametrize(("language", "other"), [("en", "zh"), ("zh", "en")])
def test_the_caption_tracks_are_the_films_cues_in_each_language(
    hostile_site, open_page, language, other
):
    tab = open_page(hostile_site.url(query=f"?lang={language}"))
    # Once the film can play, after the browser's own choice of tracks: only the film's
    # language is showing.
    tab.wait(f"() => {VIDEO}.readyState >= 2")
    tab.js("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert tab.modes() == {language: "showing", other: "disabled"}

    own = hostile_site.cues(language)
    assert_same_cues(cues_of(tab, language), own)
    # The other language's words on this film's times, matched by cue id.
    words = {id_: text for id_, _, _, text in hostile_site.cues(other)}
    assert set(words) == {cue[0] for cue in own}
    expected = [(id_, start, end, words[id_]) for id_, start, end, _ in own]
    assert_same_cues(cues_of(tab, other), expected)
    assert tab.problems == []


# --- presenter mode -------------------------------------------------------------------


def stop_at_end_of(tab: Tab, chapter: dict, lead: float = 1.5) -> None:
    """Play into ``chapter``'s end from ``lead`` seconds before it; wait until the film
    stops."""
    tab.seek(chapter["end"] - lead)
    tab.play()
    tab.wait(f"() => {VIDEO}.paused && !{VIDEO}.seeking", timeout=4000)
    tab.page.wait_for_timeout(100)  # the seeked event of a seek made on stopping


def assert_stopped_at_end(tab: Tab, chapters: list[dict], index: int, words: dict) -> None:
    chapter, following = chapters[index], chapters[index + 1]
    assert tab.video("v.paused")
    assert abs(tab.video("v.currentTime") - chapter["end"]) < 0.25
    assert tab.page.is_visible("#presenter-card")
    assert tab.text("#presenter-next") == f"{index + 2}. {following['heading']}"
    assert tab.text("#presenter-next-label") == words["next"]
    chapter_of = words["chapter_of"].format(n=index + 1, total=len(chapters))
    assert tab.text("#presenter-chapter") == chapter_of


def assert_plays_on_into(
    tab: Tab, chapters: list[dict], index: int, words: dict, within: float = 5000
) -> None:
    """Playing in chapter ``index``, past its start (the previous chapter's end)."""
    start = chapters[index]["start"]
    tab.wait(f"(t) => !{VIDEO}.paused && {VIDEO}.currentTime > t", arg=start + 0.3, timeout=within)
    assert tab.page.is_hidden("#presenter-card")
    assert tab.current() == [index]
    chapter_of = words["chapter_of"].format(n=index + 1, total=len(chapters))
    assert tab.text("#presenter-chapter") == chapter_of


def assert_replays(tab: Tab, key: str, chapter: dict, frame: float) -> None:
    landed = tab.seeked_after(lambda: tab.press(key))
    assert landed == pytest.approx(chapter["start"], abs=frame)
    tab.wait(f"() => !{VIDEO}.paused")
    assert tab.video("v.currentTime") < chapter["start"] + 1.0
    assert tab.page.is_hidden("#presenter-card")


def test_presenter_mode_stops_at_each_chapter_end(hostile_site, open_page, screenshots):
    tab = open_page(hostile_site.url())
    chapters, frame = hostile_site.chapters("en"), hostile_site.frame("en")
    words = load_words("en").table["page"]
    tab.press("p")
    turned_on = time.monotonic()
    assert tab.js("() => document.body.classList.contains('presenting')")
    assert tab.page.is_visible("#presenter-bar")
    assert tab.page.is_hidden("#presenter-card")
    assert tab.text("#presenter-timer") == "0:00"
    assert tab.text("#presenter-chapter") == words["chapter_of"].format(n=1, total=3)

    # The first chapter: ← replays it, → goes on into the next.
    stop_at_end_of(tab, chapters[0])
    assert_stopped_at_end(tab, chapters, 0, words)
    tab.screenshot(screenshots, "presenter-stopped.png", full_page=True)
    assert_replays(tab, "ArrowLeft", chapters[0], frame)
    stop_at_end_of(tab, chapters[0])
    assert_stopped_at_end(tab, chapters, 0, words)
    tab.press("ArrowRight")
    assert_plays_on_into(tab, chapters, 1, words)

    # The second: Page Up replays it, Page Down goes on.
    stop_at_end_of(tab, chapters[1])
    assert_stopped_at_end(tab, chapters, 1, words)
    assert_replays(tab, "PageUp", chapters[1], frame)
    stop_at_end_of(tab, chapters[1])
    assert_stopped_at_end(tab, chapters, 1, words)
    tab.press("PageDown")
    assert_plays_on_into(tab, chapters, 2, words)
    tab.pause()

    # The timer counts the time since presenter mode was turned on.
    tab.page.wait_for_timeout(600)  # the timer ticks every 250 ms
    minutes, secs = tab.text("#presenter-timer").split(":")
    shown = int(minutes) * 60 + int(secs)
    elapsed = time.monotonic() - turned_on
    assert shown >= 3
    assert elapsed - 1.5 <= shown <= elapsed + 0.5

    # Off again: no stop at the next chapter's end.
    tab.press("p")
    assert not tab.js("() => document.body.classList.contains('presenting')")
    assert tab.page.is_hidden("#presenter-bar")
    end = chapters[0]["end"]
    tab.seek(end - 1.0)
    tab.play()
    tab.wait(f"(t) => {VIDEO}.currentTime > t", arg=end + 0.5, timeout=4000)
    assert not tab.video("v.paused")
    assert tab.page.is_hidden("#presenter-card")
    tab.pause()
    assert tab.problems == []


def test_presenter_mode_space_plays_on_from_a_chapter_end(hostile_site, open_page):
    """Space, a while after the film stopped (the presenter talks), plays on into the next
    chapter. Six times over: the failure this catches is a race in the browser."""
    tab = open_page(hostile_site.url())
    chapters = hostile_site.chapters("en")
    words = load_words("en").table["page"]
    tab.press("p")
    for index in (0, 1) * 3:
        stop_at_end_of(tab, chapters[index], lead=0.6)
        assert_stopped_at_end(tab, chapters, index, words)
        tab.page.wait_for_timeout(1000)
        tab.press(" ")
        assert_plays_on_into(tab, chapters, index + 1, words, within=2000)
        tab.pause()
    assert tab.problems == []


def test_presenter_mode_says_the_end_after_the_last_chapter(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    chapters = hostile_site.chapters("en")
    words = load_words("en").table["page"]
    tab.press("p")
    stop_at_end_of(tab, chapters[-1])
    assert abs(tab.video("v.currentTime") - chapters[-1]["end"]) < 0.25
    assert tab.page.is_visible("#presenter-card"), "no card at the film's end"
    assert tab.text("#presenter-next") == words["the_end"]
    assert tab.text("#presenter-chapter") == words["chapter_of"].format(n=3, total=3)


# --- keys -----------------------------------------------------------------------------


def test_space_plays_and_pauses(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    assert tab.video("v.paused")
    tab.press(" ")
    tab.wait(f"() => !{VIDEO}.paused && {VIDEO}.currentTime > 0.2")
    tab.press(" ")
    tab.wait(f"() => {VIDEO}.paused")
    stopped = tab.video("v.currentTime")
    tab.page.wait_for_timeout(300)
    assert tab.video("v.currentTime") == stopped
    assert tab.problems == []


def test_a_pause_that_interrupts_play_is_no_error(hostile_site, open_page):
    # Space twice within one task, just after a seek: the film has no picture to play yet,
    # so play() is pending when the pause comes, and the browser rejects it with an
    # AbortError. Seen in CI as an uncaught page error when the presenter view's commands
    # crossed a seek.
    tab = open_page(hostile_site.url())
    tab.js(
        f"""() => {{
            {VIDEO}.currentTime = {VIDEO}.duration / 2;
            for (const _ of [1, 2])
                document.dispatchEvent(new KeyboardEvent("keydown", {{key: " ", bubbles: true}}));
        }}"""
    )
    tab.wait(f"() => {VIDEO}.paused")
    tab.page.wait_for_timeout(300)
    assert tab.problems == []


def test_space_on_a_focused_chapter_button_plays_without_clicking_it(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    chapters = hostile_site.chapters("en")
    tab.seek(3.0)
    tab.page.focus('#chapters button[data-index="2"]')
    seeks = tab.js("() => window.seeks.length")
    tab.press(" ")
    tab.wait(f"() => !{VIDEO}.paused")
    tab.page.wait_for_timeout(400)
    # A click would have gone to the third chapter's start.
    assert tab.video("v.currentTime") < chapters[1]["start"]
    assert tab.js("() => window.seeks.length") == seeks
    tab.press(" ")
    tab.wait(f"() => {VIDEO}.paused")
    assert tab.video("v.currentTime") < chapters[1]["start"]
    assert tab.current() == [0]
    assert tab.problems == []


def test_the_arrows_go_from_chapter_to_chapter(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    chapters, frame = hostile_site.chapters("en"), hostile_site.frame("en")
    starts = [chapter["start"] for chapter in chapters]
    tab.seek(3.0)
    for index in (1, 2):
        assert tab.seeked_after(lambda: tab.press("ArrowRight")) == pytest.approx(
            starts[index], abs=frame
        )
        assert tab.current() == [index]
    # From the last chapter, → goes nowhere.
    seeks = tab.js("() => window.seeks.length")
    tab.press("ArrowRight")
    tab.page.wait_for_timeout(200)
    assert tab.js("() => window.seeks.length") == seeks
    assert tab.video("v.currentTime") == pytest.approx(starts[2], abs=frame)
    # ← at a chapter's start: the chapter before; inside a chapter: back to its start.
    assert tab.seeked_after(lambda: tab.press("ArrowLeft")) == pytest.approx(starts[1], abs=frame)
    tab.seek(starts[1] + 3.0)
    assert tab.seeked_after(lambda: tab.press("ArrowLeft")) == pytest.approx(starts[1], abs=frame)
    assert tab.seeked_after(lambda: tab.press("ArrowLeft")) == pytest.approx(starts[0], abs=frame)
    assert tab.current() == [0]
    assert tab.video("v.paused")  # moving while paused does not start the film
    assert tab.problems == []


def test_c_turns_the_captions_off_and_on(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    assert tab.modes() == {"en": "showing", "zh": "disabled"}
    tab.press("c")
    assert tab.modes() == {"en": "disabled", "zh": "disabled"}
    tab.press("c")
    assert tab.modes() == {"en": "showing", "zh": "disabled"}
    # A track chosen in the video's own menu is the one c turns off and on again.
    tab.js(
        f"""() => Array.from({VIDEO}.textTracks).forEach(
            (t) => (t.mode = t.language === "zh" ? "showing" : "disabled"))"""
    )
    tab.press("c")
    assert tab.modes() == {"en": "disabled", "zh": "disabled"}
    tab.press("c")
    assert tab.modes() == {"en": "disabled", "zh": "showing"}
    assert tab.problems == []


def test_f_puts_the_player_in_full_screen(hostile_site, open_page):
    # Headless Chromium grants full screen to a key press (a user gesture).
    tab = open_page(hostile_site.url())
    tab.press("f")
    tab.wait("() => document.fullscreenElement && document.fullscreenElement.id === 'player'")
    tab.press("f")
    tab.wait("() => document.fullscreenElement === null")
    assert tab.problems == []


def test_p_turns_presenter_mode_on_and_off(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    presenting = "() => document.body.classList.contains('presenting')"
    assert not tab.js(presenting)
    assert tab.page.is_hidden("#presenter-bar")
    tab.press("p")
    assert tab.js(presenting)
    assert tab.page.is_visible("#presenter-bar")
    assert tab.page.is_visible("#presenter-state")
    tab.press("P")  # with Shift (or Caps Lock) too
    assert not tab.js(presenting)
    assert tab.page.is_hidden("#presenter-bar")
    assert tab.page.is_hidden("#presenter-state")
    assert tab.problems == []


# --- names that are markup ------------------------------------------------------------


def assert_no_markup_got_in(tab: Tab) -> None:
    assert tab.dialogs == []
    assert tab.js("""() => document.querySelectorAll('img[src="x"]').length""") == 0
    # No image points at "x" at all, and the only scripts are the page's three.
    sources = tab.js("() => Array.from(document.images).map((i) => i.getAttribute('src'))")
    assert all("thumbnails/" in source for source in sources), sources
    scripts = tab.js(
        """() => Array.from(document.scripts).map((s) => [s.getAttribute('src'), s.text])"""
    )
    assert scripts == [
        ["assets/page-data.js", ""],
        ["assets/link.js", ""],  # the line to the presenter view
        ["assets/player.js", ""],
    ]
    # As markup, the names would be elements: in the serialised DOM they are text only.
    serialised = tab.js("() => document.documentElement.outerHTML")
    for name in (POSITIVE, NEGATIVE, DATA_NAME):
        assert name not in serialised


def test_names_that_are_markup_stay_text(hostile_site, open_page, screenshots):
    tab = open_page(hostile_site.url())
    assert tab.text("#source") == load_words("en").table["page"]["data"].format(source=DATA_NAME)
    assert_no_markup_got_in(tab)

    # Their captions, shown while the film plays over them.
    cues = tab.js(
        f"""() => Array.from({VIDEO}.textTracks[0].cues)
            .map((c) => [c.id, c.getCueAsHTML().textContent])"""
    )
    labels = dict(cues)["labels.labels"]
    assert POSITIVE in labels and NEGATIVE in labels
    start = next(cue[1] for cue in hostile_site.cues("en") if cue[0] == "labels.labels")
    tab.seek(start + 0.2)
    tab.play()
    tab.page.wait_for_timeout(2500)
    shown = tab.js(
        f"""() => Array.from({VIDEO}.textTracks[0].activeCues)
            .map((c) => c.getCueAsHTML().textContent)"""
    )
    tab.pause()
    assert tab.modes()["en"] == "showing"
    assert any(POSITIVE in text for text in shown), shown
    tab.page.locator("#player").screenshot(path=str(screenshots / "captions-markup-names.png"))
    print(f"screenshot: {screenshots / 'captions-markup-names.png'}")

    # Through every chapter, then the other language and back.
    for button in tab.page.locator("#chapters button.chapter").all():
        tab.seeked_after(button.click)
    tab.page.click('#languages button[data-lang="zh"]')
    tab.wait(f"() => {VIDEO}.currentSrc.includes('bce-zh')")
    tab.wait(f"() => {VIDEO}.readyState >= 1")
    assert DATA_NAME in tab.text("#source")
    tab.page.click('#languages button[data-lang="en"]')
    tab.wait(f"() => {VIDEO}.currentSrc.includes('bce-en') && {VIDEO}.readyState >= 1")
    assert_no_markup_got_in(tab)
    assert tab.problems == []


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(("start", tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.seen.append(("end", tag))

    def handle_data(self, data):
        self.seen.append(("data", data))


def iframe_of(code: str) -> dict:
    """The attributes of the one iframe that ``code`` must be, and nothing else."""
    parser = Tags()
    parser.feed(code)
    parser.close()
    assert len(parser.seen) == 2, parser.seen
    (start, tag, attributes), end = parser.seen
    assert (start, tag, end) == ("start", "iframe", ("end", "iframe"))
    return attributes


def test_the_embed_code_is_one_iframe_of_the_embed_page(
    hostile_site, hostile_server, open_page, tmp_path
):
    tab = open_page(hostile_server.url())
    title = load_words("en").table["title"]["title"]
    attributes = iframe_of(tab.page.input_value("#embed-code"))
    assert attributes["src"] == hostile_server.url("embed.html", "?lang=en")
    assert attributes["title"] == title
    assert "fullscreen" in attributes["allow"]
    with av.open(str(hostile_site.movie("en"))) as container:
        stream = container.streams.video[0]
        assert f"aspect-ratio: {stream.width} / {stream.height}" in attributes["style"]
    tab.page.click('#languages button[data-lang="zh"]')
    zh = iframe_of(tab.page.input_value("#embed-code"))
    assert zh["src"] == hostile_server.url("embed.html", "?lang=zh")

    # Pasted into a page elsewhere, it shows the film.
    host = tmp_path / "course.html"
    code = tab.page.input_value("#embed-code")
    host.write_text(f"<!doctype html><title>A course</title>\n{code}\n", encoding="utf-8")
    course = open_page(host.as_uri(), ready=False)
    course.wait("() => document.querySelector('iframe')")
    frame = course.page.frame_locator("iframe")
    frame.locator("video#film").wait_for()
    embedded = course.page.frames[1]
    embedded.wait_for_function(f"() => {VIDEO}.readyState >= 1")
    assert "bce-zh" in embedded.evaluate(f"() => {VIDEO}.currentSrc")
    assert course.problems == []
    assert tab.problems == []


# --- languages, embed, look -----------------------------------------------------------


def test_the_language_buttons_load_the_other_film(hostile_site, open_page):
    tab = open_page(hostile_site.url())
    en, zh = hostile_site.chapters("en"), hostile_site.chapters("zh")
    frame = hostile_site.frame("zh")
    pressed = """() => Object.fromEntries(
        Array.from(document.querySelectorAll("#languages button[data-lang]"))
            .map((b) => [b.dataset.lang, b.getAttribute("aria-pressed")]))"""
    assert tab.js(pressed) == {"en": "true", "zh": "false"}
    tab.seek((en[1]["start"] + en[1]["end"]) / 2)  # in the second chapter

    tab.page.click('#languages button[data-lang="zh"]')
    tab.wait(f"() => {VIDEO}.readyState >= 1 && {VIDEO}.currentSrc.includes('bce-zh')")
    assert tab.video("v.currentSrc").endswith(f"/{hostile_site.stems['zh']}/film.mp4")
    # The same chapter, in the other film.
    tab.wait(f"(t) => Math.abs({VIDEO}.currentTime - t) < 0.1", arg=zh[1]["start"])
    assert tab.video("v.currentTime") == pytest.approx(zh[1]["start"], abs=frame)
    assert tab.current() == [1]
    headings = tab.page.locator("#chapters .chapter-heading").all_text_contents()
    assert headings == [f"{k + 1}. {chapter['heading']}" for k, chapter in enumerate(zh)]
    assert all(re.search(r"[\u4e00-\u9fff]", heading) for heading in headings), headings
    assert tab.js(pressed) == {"en": "false", "zh": "true"}
    # Its BCP 47 tag ([page] language_tag): screen readers read the page as Chinese.
    assert tab.js("() => document.documentElement.lang") == "zh-Hans"
    assert tab.video("v.textTracks.length") == 2
    tab.wait(f"() => {VIDEO}.readyState >= 2")
    assert tab.modes() == {"zh": "showing", "en": "disabled"}
    downloads = tab.page.locator("#downloads a[download]")
    assert all(
        href.startswith(f"{hostile_site.stems['zh']}/")
        for href in (link.get_attribute("href") for link in downloads.all())
    )
    assert tab.problems == []


def test_the_embed_page_is_the_player_alone_and_plays(hostile_site, open_page):
    tab = open_page(
        hostile_site.url("embed.html", "?lang=en"), viewport={"width": 800, "height": 450}
    )
    assert tab.js("() => document.body.className") == "embed"
    for hidden in ("#chapters", "#embed-code", "#downloads", "#keys", "#lab-link"):
        assert tab.page.is_hidden(hidden), hidden
    # The title stays for assistive technology (axe: a page has a heading), out of sight.
    title = tab.page.locator("#title").bounding_box()
    assert title["width"] <= 1 and title["height"] <= 1, title
    box = tab.page.locator("video#film").bounding_box()
    assert (box["width"], box["height"]) == (800, 450)
    assert tab.js("() => document.scrollingElement.scrollHeight") <= 450
    tab.press(" ")
    tab.wait(f"() => !{VIDEO}.paused && {VIDEO}.currentTime > 0.5")
    assert tab.modes() == {"en": "showing", "zh": "disabled"}
    assert tab.problems == []


def rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[k : k + 2], 16) for k in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize(
    ("site", "theme"), [("hostile_site", "dark"), ("light_vertical_site", "light")]
)
def test_the_page_has_the_films_background(site, theme, request, open_page, screenshots):
    site = request.getfixturevalue(site)
    tab = open_page(site.url())
    tab.wait(IMAGES_IN_VIEW_LOADED)
    background = tab.js("() => getComputedStyle(document.body).backgroundColor")
    assert background == rgb(PALETTES[theme].background)
    stem = next(iter(site.stems.values()))
    tab.screenshot(screenshots, f"page-{stem}.png", full_page=True)
    phone = open_page(site.url(), viewport=PHONE)
    phone.wait(IMAGES_IN_VIEW_LOADED)
    phone.screenshot(screenshots, f"page-{stem}-phone.png", full_page=True)
    assert tab.problems == [] and phone.problems == []


BOXES_JS = """() => Object.fromEntries(['film', 'chapters', 'keys'].map((id) => {
    const box = document.getElementById(id).getBoundingClientRect();
    return [id, {x: box.x, y: box.y, width: box.width, height: box.height}];
}))"""


@pytest.mark.parametrize("site", ["hostile_site", "light_vertical_site"])
def test_the_film_fills_its_place_with_the_chapters_beside_it_or_under_it(site, request, open_page):
    """On a desktop the film is large and the chapter list beside it; on a phone the film
    spans the screen and the list is under it. In its own proportions, always."""
    site = request.getfixturevalue(site)
    for viewport in (DESKTOP, PHONE):
        tab = open_page(site.url(), viewport=viewport)
        boxes = tab.js(BOXES_JS)
        film, chapters = boxes["film"], boxes["chapters"]
        width, height = tab.video("v.videoWidth"), tab.video("v.videoHeight")
        assert film["width"] / film["height"] == pytest.approx(width / height, rel=0.02)
        if viewport is PHONE:
            assert film["width"] >= 0.9 * PHONE["width"]
            assert chapters["y"] >= film["y"] + film["height"]
        else:
            tall = height > width
            # A tall film: most of the window's height; a wide one: most of its width.
            assert (
                film["height" if tall else "width"] >= 0.6 * viewport["height" if tall else "width"]
            ), boxes
            assert chapters["x"] >= film["x"] + film["width"]  # beside it, not over it
            assert chapters["y"] < film["y"] + film["height"]
            assert boxes["keys"]["width"] <= film["width"] + 1  # the hints under the film
        assert tab.problems == []


def test_the_vertical_page_shows_the_whole_chinese_film(light_vertical_site, open_page):
    site = light_vertical_site
    tab = open_page(site.url())
    assert (tab.video("v.videoWidth"), tab.video("v.videoHeight")) == (480, 854)
    chapters = site.chapters("zh")
    assert [chapter["name"] for chapter in chapters] == list(ORDER)
    headings = tab.page.locator("#chapters .chapter-heading").all_text_contents()
    assert headings == [f"{k + 1}. {chapter['heading']}" for k, chapter in enumerate(chapters)]
    assert tab.page.is_hidden("#languages")  # one film: nothing to switch to
    # Its captions are burnt into the 9:16 picture: the caption track starts off, and c
    # turns it on.
    tab.wait(f"() => {VIDEO}.readyState >= 2")
    assert tab.modes() == {"zh": "disabled"}
    tab.press("c")
    assert tab.modes() == {"zh": "showing"}
    assert_same_cues(cues_of(tab, "zh"), site.cues("zh"))
    assert tab.problems == []
