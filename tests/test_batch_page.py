"""``bce-video page --batch DIR``: one site with a film picker over the films a batch
made, in Chromium (Playwright) from ``file://``: a real small batch (two datasets, one
named as HTML, in two languages, two chapters, silent, -ql; a third dataset that fails),
then its page, which renders nothing; the presenter view opened from it, following the
film picked; the same page with --handout, each film's PDF read by pypdf. Bad batch folders
exit 2 and write nothing.

Screenshots go to $BCE_SCREENSHOTS when set (else a temporary folder); their paths are
printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import html
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import webvtt
from browser import axe_violations, chromium, screenshot_folder
from film_helpers import run_bce_video
from test_handout import compact
from test_page import DESKTOP, PHONE, seconds
from test_teacher_kit import Kit

from bce_video.page import clock
from scenes.words import load_words

# The same names test_page.py's hostile page uses: run as HTML, it opens a dialog.
DATA_NAME = "<img src=x onerror=alert(3)>.csv"
GOOD = "x,y\n-2,0\n-1,0\n0,1\n1,0\n2,1\n3,1\n"
# Seven points to GOOD's six: the films' narrations differ ("Start with 7 points ...").
OTHER = "x,y\n10,0\n20,0\n30,1\n40,0\n50,1\n35,1\n45,1\n"
ONE_CLASS = "x,y\n0,0\n1,0\n2,0\n"
MANIFEST = f"""
[defaults]
quality = "l"
voice = "none"
chapter = ["title", "feature"]
jobs = 1

[[films]]
data = ["one.csv", "{DATA_NAME}", "one-class.csv"]
lang = ["en", "zh"]
"""
#: The films the picker offers (batch.film_name of each dataset's options), in order.
IDS = ["one", "-img-src-x-onerror-alert-3-"]

VIDEO = "document.getElementById('film')"


@dataclass(frozen=True)
class BatchSite:
    out: Path  # the batch's folder
    site: Path  # the page's folder
    cache: Path  # the batch's caches (BCE_CACHE_DIR)
    record: list[dict]  # batch.json
    page: subprocess.CompletedProcess
    again: subprocess.CompletedProcess  # a second page, to the default site

    def url(self, query: str = "", page: str = "index.html") -> str:
        return (self.site / page).as_uri() + query

    def film(self, data: str, language: str) -> dict:
        """The film's entry in batch.json."""
        [film] = [
            f
            for f in self.record
            if Path(f["options"]["data"]).name == data and f["options"]["lang"] == language
        ]
        return film

    def file(self, data: str, language: str, kind: str) -> Path:
        """One of the film's files, as batch.json lists it (movie, captions, ...)."""
        return self.out / self.film(data, language)["files"][kind]

    def chapters_end(self, data: str, language: str) -> float:
        """The film's end as its chapters.json says."""
        return json.loads(self.file(data, language, "chapters").read_text())[-1]["end"]

    def cues(self, data: str, language: str, chapter: str) -> list[tuple[str, float, str]]:
        """The chapter's cues as the film's captions beside its MP4 say them, read by
        webvtt-py: (id, start, words as a reader sees them)."""
        return [
            (cue.identifier, seconds(cue.start), html.unescape(cue.text))
            for cue in webvtt.read(str(self.file(data, language, "captions")))
            if cue.identifier.startswith(f"{chapter}.")
        ]


@pytest.fixture(scope="module")
def batch_site(tmp_path_factory) -> BatchSite:
    folder = tmp_path_factory.mktemp("batch-page")
    (folder / "one.csv").write_text(GOOD)
    (folder / DATA_NAME).write_text(OTHER)
    (folder / "one-class.csv").write_text(ONE_CLASS)
    manifest = folder / "films.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    out, cache, site = folder / "out", folder / "cache", folder / "site"
    batch = run_bce_video("batch", str(manifest), "--out", str(out), cache=cache)
    assert batch.returncode == 1, batch.stderr[-3000:]  # one-class.csv's two films failed
    record = json.loads((out / "batch.json").read_text())
    assert [f["status"] for f in record].count("failed") == 2
    # silent=False: run_bce_video would add --voice, which --batch refuses.
    command = ("page", "--batch", str(out))
    page = run_bce_video(*command, "--site", str(site), cache=cache, silent=False)
    assert page.returncode == 0, page.stderr[-3000:]
    again = run_bce_video(*command, cache=cache, silent=False)
    return BatchSite(out, site, cache, record, page, again)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return screenshot_folder(tmp_path_factory, "screenshots")


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport=DESKTOP) -> a Kit (a Tab that opens the presenter view), its
    film's metadata loaded."""
    contexts = []

    def open_(url: str, viewport: dict = DESKTOP) -> Kit:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        tab = Kit(context.new_page(), context)
        tab.page.goto(url)
        wait_loaded(tab)
        return tab

    yield open_
    for context in contexts:
        context.close()


def wait_loaded(tab: Kit) -> None:
    """The page filled in and its film's metadata in (for the film it shows now)."""
    tab.wait(
        f"""() => window.BCE_PAGE && {VIDEO}.readyState >= 1
            && document.querySelectorAll("#chapters li").length > 0""",
        timeout=15000,
    )


def shown(tab: Kit) -> dict:
    """What the page shows: the picker's choice, the video's film and duration, the
    language buttons, the address's query."""
    return tab.js(
        f"""() => ({{
            choice: document.getElementById("film-choice").value,
            video: {VIDEO}.getAttribute("src") || {VIDEO}.src,
            duration: {VIDEO}.duration,
            lang: document.documentElement.lang,
            languages: Array.from(document.querySelectorAll("#languages button"),
                (b) => [b.dataset.lang, b.getAttribute("aria-pressed")]),
            query: location.search,
            lab: document.getElementById("lab-link").getAttribute("href"),
        }})"""
    )


def choose(tab: Kit, film_id: str) -> None:
    tab.page.select_option("#film-choice", film_id)
    tab.wait(f"(id) => {VIDEO}.getAttribute('src').includes(`films/${{id}}/`)", arg=film_id)
    wait_loaded(tab)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- the command ------------------------------------------------------------------------


@pytest.mark.render
def test_the_page_renders_nothing_and_says_which_films_it_left_out(batch_site):
    for run in (batch_site.page, batch_site.again):
        assert run.returncode == 0, run.stderr[-3000:]
        assert "done in" not in run.stderr, "nothing rendered"
        assert "left out 2 film(s) that failed:" in run.stderr
        for language in ("en", "zh"):
            assert f"one-class_lang-{language}: " in run.stderr
        assert "both classes" in run.stderr, "each failure's error"
    assert (batch_site.out / "site" / "index.html").is_file(), "the default site: DIR/site"
    films = sorted(p.name for p in (batch_site.site / "films").iterdir())
    assert films == sorted(IDS)
    for film_id in IDS:
        folder = batch_site.site / "films" / film_id
        for name in ("lab.html", "index.html", "assets/page-data.js"):
            assert (folder / name).is_file(), (film_id, name)
    # One presenter view, the site's, beside the page: it follows the film picked there.
    assert (batch_site.site / "presenter.html").is_file()
    assert not list((batch_site.site / "films").glob("*/presenter.html"))
    data = (batch_site.site / "assets" / "page-data.js").read_text()
    assert "one-class" not in data, "a failed film is nowhere on the page"


# --- the page, in Chromium ------------------------------------------------------------------


@pytest.mark.render
def test_the_picker_names_each_film_by_its_data(batch_site, open_page):
    tab = open_page(batch_site.url())
    options = tab.js(
        """() => Array.from(document.querySelectorAll("#film-choice option"),
            (o) => [o.value, o.textContent])"""
    )
    assert options == [["one", "one.csv"], [IDS[1], DATA_NAME]], "text, never markup"
    label = tab.js("() => document.querySelector('label[for=film-choice]').textContent")
    assert label == "Film"
    assert tab.js("() => document.querySelectorAll('#film-choice img').length") == 0
    assert shown(tab)["choice"] == "one", "the first film leads"
    assert tab.problems == [] and tab.dialogs == []


@pytest.mark.render
def test_choosing_a_film_loads_it_and_the_address_says_which(batch_site, open_page):
    tab = open_page(batch_site.url())
    first = shown(tab)
    assert first["duration"] == pytest.approx(batch_site.chapters_end("one.csv", "en"), abs=0.05)
    choose(tab, IDS[1])
    now = shown(tab)
    assert now["video"] == f"films/{IDS[1]}/bce-en-dark-title-feature/film.mp4"
    assert tab.video("v.readyState") >= 1
    assert now["duration"] == pytest.approx(batch_site.chapters_end(DATA_NAME, "en"), abs=0.05)
    assert query_of(now["query"]) == {"film": [IDS[1]], "lang": ["en"]}
    source = tab.text("#source")
    assert DATA_NAME in source, source
    assert tab.problems == [] and tab.dialogs == []


@pytest.mark.render
def test_the_language_buttons_switch_within_the_chosen_film(batch_site, open_page):
    tab = open_page(batch_site.url())
    choose(tab, IDS[1])
    assert shown(tab)["languages"] == [["en", "true"], ["zh", "false"]]
    tab.page.click("#languages button[data-lang=zh]")
    tab.wait(f"() => {VIDEO}.getAttribute('src').includes('bce-zh-')")
    wait_loaded(tab)
    now = shown(tab)
    assert now["video"] == f"films/{IDS[1]}/bce-zh-dark-title-feature/film.mp4"
    assert now["choice"] == IDS[1], "the same film"
    assert now["lang"] == "zh-Hans"
    assert now["languages"] == [["en", "false"], ["zh", "true"]]
    assert now["duration"] == pytest.approx(batch_site.chapters_end(DATA_NAME, "zh"), abs=0.05)
    assert query_of(now["query"]) == {"film": [IDS[1]], "lang": ["zh"]}
    # Another film, in the language being watched.
    choose(tab, "one")
    assert shown(tab)["video"] == "films/one/bce-zh-dark-title-feature/film.mp4"
    assert tab.problems == [] and tab.dialogs == []


@pytest.mark.render
def test_the_address_opens_that_film(batch_site, open_page):
    tab = open_page(batch_site.url(f"?film={IDS[1]}&lang=zh"))
    now = shown(tab)
    assert now["choice"] == IDS[1]
    assert now["video"] == f"films/{IDS[1]}/bce-zh-dark-title-feature/film.mp4"
    assert now["duration"] == pytest.approx(batch_site.chapters_end(DATA_NAME, "zh"), abs=0.05)
    embed = tab.js("() => document.getElementById('embed-code').value")
    assert f"embed.html?film={IDS[1]}&amp;lang=zh" in embed, embed
    player = open_page(batch_site.url(f"?film={IDS[1]}&lang=zh", page="embed.html"))
    assert shown(player)["video"] == now["video"], "the embedded player shows the same film"
    unknown = open_page(batch_site.url("?film=nobody"))
    assert shown(unknown)["choice"] == "one", "an unknown film: the first"
    for each in (tab, player, unknown):
        assert each.problems == [] and each.dialogs == []


@pytest.mark.render
def test_the_lab_link_goes_to_that_film_s_lab_and_back(batch_site, open_page):
    tab = open_page(batch_site.url())
    choose(tab, IDS[1])
    link = shown(tab)["lab"]
    assert link.startswith(f"films/{IDS[1]}/lab.html?lang=en"), link
    tab.page.click("#lab-link")
    tab.wait("() => window.BCE_LAB && document.querySelectorAll('#point option').length > 0")
    # The lab's data is that film's: its file, its rows.
    assert tab.js("() => window.BCE_LAB.source").endswith(DATA_NAME)
    assert tab.js("() => window.BCE_LAB.x") == [10, 20, 30, 40, 50, 35, 45]
    assert DATA_NAME in tab.text("#source")
    # Its way back: the site's page, showing this film.
    tab.page.click("#back")
    tab.page.wait_for_url("**/index.html?*")
    wait_loaded(tab)
    assert shown(tab)["choice"] == IDS[1]
    assert query_of(tab.page.url)["film"] == [IDS[1]]
    assert tab.problems == [] and tab.dialogs == []


NOTES_JS = """() => Array.from(document.querySelectorAll('#pv-notes li'),
    (l) => [l.dataset.id, l.querySelector('.pv-cue-text').textContent])"""


def next_thumbnail_of(view: Kit, folder: str) -> None:
    """Wait until the presenter view's next chapter is shown by a thumbnail under
    ``folder`` (a film's language's folder in the site), loaded."""
    view.wait(
        """(folder) => { const i = document.getElementById('pv-next-thumbnail');
            return !i.hidden && i.getAttribute('src').startsWith(folder)
                && i.complete && i.naturalWidth > 0; }""",
        arg=folder,
    )


@pytest.mark.render
def test_the_presenter_view_follows_the_film_picked(batch_site, open_page, screenshots):
    """The presenter view (S) opened from the batch's page hears the film's window, and
    once another film is picked there, shows that one: its notes (its own words, from the
    captions beside its MP4), its next chapter, its clock; its controls drive it."""
    tab = open_page(batch_site.url())
    view = tab.open_presenter_view()  # its status line says nothing: the film's window speaks
    assert query_of(view.page.url) == {"film": ["one"], "lang": ["en"]}
    first = batch_site.cues("one.csv", "en", "title")
    assert view.js(NOTES_JS) == [[cue_id, words] for cue_id, _, words in first]
    next_thumbnail_of(view, "films/one/bce-en-dark-title-feature/thumbnails/")
    view.page.wait_for_timeout(500)
    view.page.screenshot(path=str(screenshots / "batch-presenter-before.png"))

    choose(tab, IDS[1])
    # The film picked, from its start: its first chapter, the next one's picture its own.
    next_thumbnail_of(view, f"films/{IDS[1]}/bce-en-dark-title-feature/thumbnails/")
    title = batch_site.cues(DATA_NAME, "en", "title")
    assert view.js(NOTES_JS) == [[cue_id, words] for cue_id, _, words in title]
    view.page.wait_for_timeout(500)
    view.page.screenshot(path=str(screenshots / "batch-presenter-picked.png"))
    # Into its second chapter: the notes are its words (7 points), not the first film's (6).
    feature = batch_site.cues(DATA_NAME, "en", "feature")
    assert feature != batch_site.cues("one.csv", "en", "feature")
    tab.js(f"(t) => {{ {VIDEO}.currentTime = t; }}", feature[0][1] + 0.2)
    expected = [[cue_id, words] for cue_id, _, words in feature]
    view.wait(f"(notes) => JSON.stringify(({NOTES_JS})()) === JSON.stringify(notes)", expected)
    assert view.text("#pv-next-heading") == load_words("en").table["page"]["the_end"]
    duration = clock(tab.js(f"() => {VIDEO}.duration"))
    view.wait(
        "(end) => document.getElementById('pv-film-time').textContent.endsWith(end)",
        f" / {duration}",
    )
    # A note clicked there takes the film picked to that cue.
    view.page.click("#pv-notes li:nth-child(2) button")
    tab.wait(f"(t) => Math.abs({VIDEO}.currentTime - t) < 0.05", arg=feature[1][1])
    view.wait("() => document.querySelector('#pv-notes li.current') !== null")
    view.page.wait_for_timeout(500)
    view.page.screenshot(path=str(screenshots / "batch-presenter-after.png"))
    print(f"screenshots: {screenshots}/batch-presenter-{{before,picked,after}}.png")
    # Its other language, at the same cue: the view follows within the film picked.
    tab.page.click("#languages button[data-lang=zh]")
    view.wait("() => document.documentElement.lang === 'zh-Hans'")
    expected = [[cue_id, words] for cue_id, _, words in batch_site.cues(DATA_NAME, "zh", "feature")]
    view.wait(f"(notes) => JSON.stringify(({NOTES_JS})()) === JSON.stringify(notes)", expected)
    assert tab.problems == [] and view.problems == [] and tab.dialogs == []


@pytest.mark.render
def test_the_page_with_the_picker_passes_axe(batch_site, open_page):
    tab = open_page(batch_site.url(f"?film={IDS[1]}"))
    assert axe_violations(tab.page) == []
    phone = open_page(batch_site.url(), viewport=PHONE)
    assert axe_violations(phone.page) == []


@pytest.mark.render
def test_screenshots_of_the_picker(batch_site, open_page, screenshots):
    desktop = open_page(batch_site.url(f"?film={IDS[1]}"))
    desktop.screenshot(screenshots, "batch-page-desktop.png")
    phone = open_page(batch_site.url(), viewport=PHONE)
    phone.screenshot(screenshots, "batch-page-phone.png", full_page=True)
    # The picker fits the phone's width.
    width = phone.js("() => document.getElementById('film-choice').getBoundingClientRect().right")
    assert width <= PHONE["width"]
    assert desktop.problems == [] and phone.problems == []


# --- --handout: each film's handout, linked from the page --------------------------------------


@pytest.fixture(scope="module")
def handout_site(batch_site) -> tuple[Path, subprocess.CompletedProcess]:
    """The batch's page with --handout: its folder, and the run."""
    site = batch_site.site.parent / "handout-site"
    run = run_bce_video(
        *("page", "--batch", str(batch_site.out), "--handout", "--site", str(site)),
        cache=batch_site.cache,
        silent=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return site, run


@pytest.mark.render
def test_with_handout_each_film_made_gets_its_handout(batch_site, handout_site):
    """Each film the batch made: its PDF beside its MP4, read by pypdf, in its language with
    its data's name and its captions' words (the narration of its own numbers); in the
    site, the same file. The failed films have none, and nothing was rendered."""
    from pypdf import PdfReader

    site, run = handout_site
    assert "done in" not in run.stderr, "nothing rendered"
    assert "left out 2 film(s) that failed:" in run.stderr
    ids = {"one.csv": IDS[0], DATA_NAME: IDS[1]}
    for film in batch_site.record:
        folder = batch_site.out / film["folder"]
        if film["status"] == "failed":
            assert not list(folder.glob("*.handout.pdf")), film["folder"]
            continue
        data, language = Path(film["options"]["data"]).name, film["options"]["lang"]
        movie = batch_site.out / film["files"]["movie"]
        pdf = movie.with_name(f"{movie.stem}.handout.pdf")
        assert str(pdf) in run.stdout, run.stdout
        pages = PdfReader(pdf).pages
        text = compact("\n".join(page.extract_text() for page in pages), language)
        assert compact(data, language) in text, (film["folder"], text[:300])
        for chapter in ("title", "feature"):
            for _, _, words in batch_site.cues(data, language, chapter):
                assert compact(words, language) in text, (film["folder"], words)
        linked = site / "films" / ids[data] / movie.stem / "handout.pdf"
        assert linked.read_bytes() == pdf.read_bytes()
    data = (site / "assets" / "page-data.js").read_text()
    assert "one-class" not in data, "a failed film is nowhere on the page"


def handout_link(tab: Kit, label: str) -> list[list[str]]:
    """The page's downloads named ``label``: [href, download name] each."""
    return tab.js(
        """(label) => Array.from(document.querySelectorAll('#downloads a'))
            .filter((a) => a.textContent === label)
            .map((a) => [a.getAttribute('href'), a.getAttribute('download')])""",
        label,
    )


@pytest.mark.render
def test_the_handout_link_is_the_picked_film_s(batch_site, handout_site, open_page):
    site, _ = handout_site
    label = {lang: load_words(lang).table["page"]["download_handout"] for lang in ("en", "zh")}
    tab = open_page(site.joinpath("index.html").as_uri())
    stem = "bce-en-dark-title-feature"
    assert handout_link(tab, label["en"]) == [
        [f"films/one/{stem}/handout.pdf", f"{stem}.handout.pdf"]
    ]
    choose(tab, IDS[1])
    [[href, _]] = handout_link(tab, label["en"])
    assert href == f"films/{IDS[1]}/{stem}/handout.pdf"
    assert (site / href).read_bytes()[:5] == b"%PDF-"
    tab.page.click("#languages button[data-lang=zh]")
    tab.wait(f"() => {VIDEO}.getAttribute('src').includes('bce-zh-')")
    [[href, _]] = handout_link(tab, label["zh"])
    assert href == f"films/{IDS[1]}/bce-zh-dark-title-feature/handout.pdf"
    assert (site / href).is_file()
    # Without --handout, no such link.
    plain = open_page(batch_site.url())
    assert handout_link(plain, label["en"]) == []
    assert tab.problems == [] and plain.problems == []


# --- bad batch folders: exit 2, naming the problem, nothing written ---------------------------


def _record(folder: Path, entries: object) -> Path:
    out = folder / "out"
    out.mkdir()
    (out / "batch.json").write_text(json.dumps(entries))
    return out


def _made(folder: Path, **changes) -> dict:
    """An entry as batch writes it, for a film whose files are not there."""
    (folder / "one.csv").write_text(GOOD)
    (folder / "films.toml").write_text("")
    stem = "one/bce-en-dark"
    entry = {
        "folder": "one",
        "manifest": "../films.toml",
        "options": {"data": "one.csv", "voice": "none"},
        "status": "rendered",
        "files": {
            "movie": f"{stem}.mp4",
            "subtitles": f"{stem}.srt",
            "chapters": f"{stem}.chapters.json",
            "captions": f"{stem}.vtt",
            "chapter_track": f"{stem}.chapters.vtt",
            "poster": f"{stem}.poster.png",
            "thumbnails": f"{stem}.thumbnails",
        },
        "duration": 10.0,
        "render_seconds": 1.0,
        "error": None,
    }
    return {**entry, **changes}


FAILED = {"folder": "bad", "manifest": "../films.toml", "options": {}, "status": "failed"}
FAILED |= {"files": {}, "duration": None, "render_seconds": 0.1, "error": "it broke"}

BAD_BATCHES = {
    "no batch.json": (None, "no batch.json there"),
    "not a list": ({"films": []}, "expected the list of films bce-video batch writes"),
    "an entry of another shape": ([{"folder": "one"}], "no 'manifest'"),
    "an unknown status": ([{**FAILED, "status": "lost"}], "status 'lost'"),
    "a listed file missing": ("made", "its movie one/bce-en-dark.mp4 is missing"),
    "its data gone": ("gone", "its data 'gone.csv' is not there"),
    "a file outside the batch": ("outside", "is not a path inside"),
    "no film made": ([FAILED], "no film was made (1 failed)"),
}


@pytest.mark.parametrize(("entries", "named"), BAD_BATCHES.values(), ids=BAD_BATCHES)
def test_a_bad_batch_folder_exits_2_naming_the_problem(tmp_path, entries, named):
    if entries == "made":
        entries = [_made(tmp_path)]
    elif entries == "gone":
        entries = [_made(tmp_path, options={"data": "gone.csv"})]
    elif entries == "outside":
        entry = _made(tmp_path)
        entries = [{**entry, "files": {**entry["files"], "poster": "../one.csv"}}]
    if entries is None:
        out = tmp_path / "out"
        out.mkdir()
    else:
        out = _record(tmp_path, entries)
    site = tmp_path / "site"
    done = run_bce_video(
        "page", "--batch", str(out), "--site", str(site), cache=tmp_path / "cache", silent=False
    )
    assert done.returncode == 2, done.stderr
    assert named in done.stderr
    assert not site.exists() and not (out / "site").exists(), "nothing written"


REFUSED = {
    "--lang": (["--lang", "zh"], "--lang"),
    "--quality": (["--quality", "h"], "--quality"),
    "--handout and --quality": (["--handout", "--quality", "h"], "--quality"),
}


@pytest.mark.parametrize(("options", "named"), REFUSED.values(), ids=REFUSED)
def test_render_options_cannot_be_given_with_batch(tmp_path, options, named):
    out = _record(tmp_path, [FAILED])
    done = run_bce_video(
        "page", "--batch", str(out), *options, cache=tmp_path / "cache", silent=False
    )
    assert done.returncode == 2, done.stderr
    assert f"it: {named} cannot be given with it" in done.stderr, done.stderr
    assert "--handout" not in done.stderr, "--handout is taken with --batch"
    assert not (out / "site").exists()
