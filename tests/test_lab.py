"""The lab beside the film (lab.html, issue 22), in Debian's Chromium through Playwright.

Its numbers are held to golden values the page build exports from bce_core
(assets/lab-golden.js), and those golden values to independent oracles (scipy,
scikit-learn); the numbers it shows to the film's own formatting (scenes.narration) and to
what ``bce-video numbers`` prints. Dragging, keys, buttons, the URL, the links both ways
with the player, hostile names, file:// and HTTP, and axe-core's accessibility rules.

Most tests open lab-only sites: the lab's files and page data as ``bce-video page`` writes
them, without a film (``lab_only_site``): the article's data in the dark theme, a user's 569
points (scikit-learn's breast cancer data, one feature) in the light theme, hostile names,
and the 100,000-point benchmark, each in English and Chinese. What needs the player, or
the film's chapters in the lab, opens pages with films: one rendered site (four chapters,
silent, as tests/test_page.py's), the article's data in the dark theme, and the page the
user's data makes in the light theme, built from the same films. The lab-only sites' lab
is those pages' byte for byte (``test_the_lab_only_site_is_what_bce_video_page_writes``).

The tests of the pages with films and those of the lab-only sites share no module fixture
(each has its own browser), so that pytest-xdist (tests/conftest.py) can run the render
beside the lab-only tests.

Screenshots go to $BCE_SCREENSHOTS when set (else a temporary folder); ``pytest -s``
prints their paths.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from browser import BROWSER_ARGS, CHROMIUM, axe_violations, screenshot_folder
from film_helpers import run_bce_video
from test_page import DESKTOP, PHONE, Server, films_of

from bce_core import build_lesson, dataset_from, newton_problem
from bce_core.logistic import logit_losses
from bce_video.lab import CHAPTER_STATES, LAB_ASSETS
from bce_video.page import page_colours, write_lab_page, write_page_data
from scenes.chapters import ORDER
from scenes.narration import loss_text
from scenes.words import load_words

pytestmark = pytest.mark.render

#: The rendered site's chapters: the title (a chapter that shows no state of the lab), and
#: those that show the fit, the flat guess Newton's steps start from, and the baseline.
FILM_CHAPTERS = ("title", "fit", "training", "baseline")
LANGUAGES = ("en", "zh")
#: The training chapter's means after each Newton step, on the article's data (issue 22).
TRAINING_MEANS = ("0.4049", "0.3467", "0.3339", "0.3329")
# Class names and a file name that are markup: run as HTML, any of them opens a dialog.
POSITIVE = "<img src=x onerror=alert(1)>"
NEGATIVE = "</script><script>alert(2)</script>"
DATA_NAME = "<img src=x onerror=alert(3)>.csv"


# --- the sites ------------------------------------------------------------------------------


class LabSite:
    def __init__(self, root: Path, data: str | None, positive: str | None = None):
        self.root = root
        self.data = data
        # --data and --positive, as bce-video takes them.
        self.data_args = ("--data", data, "--positive", positive) if data else ()
        self.lesson = build_lesson(dataset_from(data, positive=positive))

    def url(self, page: str = "lab.html", rest: str = "") -> str:
        return (self.root / page).as_uri() + rest


class FilmSite(LabSite):
    """A site ``bce-video page`` rendered: its films' files in ``out``, by language."""

    def __init__(self, root: Path, out: Path, stems: dict[str, str], **site):
        super().__init__(root, **site)
        self.out = out
        self.stems = stems


def lab_only_site(root: Path, data: str | None, theme: str, positive: str | None = None):
    """The lab's files and page data as build_page writes them, without a film: the page
    data has no film's video, poster or chapters (the test that it is what bce-video page
    writes: test_the_lab_only_site_is_what_bce_video_page_writes)."""
    site = root / "site"
    (site / "assets").mkdir(parents=True)
    films = []
    for language in LANGUAGES:
        words = load_words(language).table
        source = Path(data).name if data else words["page"]["article_data"]
        films.append(
            {
                **{"language": language, "title": words["title"]["title"], "source": source},
                **{"words": dict(words["page"]), "video": "", "poster": "", "chapters": []},
            }
        )
    page = {"theme": theme, "aspect": "16:9", "colours": page_colours(theme), "films": films}
    for name in ("player.css",):
        shutil.copyfile(
            Path(__file__).parents[1] / "bce_video" / "site" / name, site / "assets" / name
        )
    write_page_data(site / "assets", page)
    lab = LabSite(site, data, positive)
    write_lab_page(site, page, lab.lesson)
    return lab


def breast_cancer_csv(path: Path) -> str:
    """A user's data: scikit-learn's 569 breast cancer cases, the mean radius and the class."""
    from sklearn.datasets import load_breast_cancer

    cases = load_breast_cancer()
    names = cases.target_names  # 0: malignant, 1: benign
    rows = "".join(
        f"{float(x)!r},{names[t]}\n" for x, t in zip(cases.data[:, 0], cases.target, strict=True)
    )
    path.write_text(f"x,y\n{rows}", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def article_lab(tmp_path_factory) -> LabSite:
    return lab_only_site(tmp_path_factory.mktemp("lab-article"), None, "dark")


@pytest.fixture(scope="module")
def user_lab(tmp_path_factory) -> LabSite:
    root = tmp_path_factory.mktemp("lab-user")
    data = breast_cancer_csv(root / "cancer.csv")
    return lab_only_site(root, data, "light", positive="malignant")


@pytest.fixture
def labs(article_lab, user_lab) -> dict[str, LabSite]:
    """Both lab-only sites, for the tests parametrised over them: named in a signature,
    so that tests/conftest.py sees which module fixtures those tests share."""
    return {"article_lab": article_lab, "user_lab": user_lab}


@pytest.fixture(scope="module")
def hostile_lab(tmp_path_factory) -> LabSite:
    root = tmp_path_factory.mktemp("lab-hostile")
    points = ((-2.2, 0), (-1.4, 0), (-0.8, 1), (0.2, 0), (0.4, 1), (0.8, 1), (4.6, 1))
    data = root / DATA_NAME
    rows = "".join(f"{x},{POSITIVE if y else NEGATIVE}\n" for x, y in points)
    data.write_text(f"x,y\n{rows}", encoding="utf-8")
    return lab_only_site(root, str(data), "dark", positive=POSITIVE)


@pytest.fixture(scope="module")
def big_lab(tmp_path_factory) -> LabSite:
    """100,000 rows, the most the film accepts."""
    root = tmp_path_factory.mktemp("lab-big")
    rng = np.random.default_rng(22)
    x = rng.normal(size=100_000) * 3
    y = (rng.random(100_000) < 1 / (1 + np.exp(-(1.3 * x - 0.4)))).astype(int)
    data = root / "big.json"
    data.write_text(json.dumps({"x": x.tolist(), "y": y.tolist()}))
    return lab_only_site(root, str(data), "dark")


@pytest.fixture(scope="module")
def film_site(tmp_path_factory) -> FilmSite:
    """The article's data in the dark theme, rendered (silent, low quality, a draft's
    encoding: no test here looks at the pictures) in English and Chinese."""
    root = tmp_path_factory.mktemp("lab-film")
    args = ("page", "--lang", *LANGUAGES, "--chapter", *FILM_CHAPTERS, "--theme", "dark")
    args += ("--quality", "l", "--draft", "--jobs", "1")
    result = run_bce_video(
        *args, "--out", str(root / "out"), "--site", str(root / "site"), cache=root / "cache"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return FilmSite(root / "site", root / "out", films_of(result, LANGUAGES), data=None)


@pytest.fixture(scope="module")
def light_user_site(film_site, tmp_path_factory) -> FilmSite:
    """The page ``bce-video page --data cancer.csv --positive malignant --theme light``
    writes once its films are rendered (build_page), built from the film site's films: the
    lab, the page data and the pages are what that command writes; only the films (their
    pictures, times and words) are the article's dark ones, which no test of this site
    looks at (the chapters' headings in its lab and player are the same words)."""
    from bce_film.options import FilmOptions
    from bce_video.page import PageFilm, build_page
    from bce_video.request import RenderedFilm

    root = tmp_path_factory.mktemp("lab-user-light")
    data = breast_cancer_csv(root / "cancer.csv")
    films = [
        PageFilm(
            FilmOptions(
                data=data, positive="malignant", language=language, theme="light", voice="none"
            ),
            RenderedFilm.named(film_site.out, stem),
            (film_site.root / stem / "script.txt").read_text(encoding="utf-8"),
        )
        for language, stem in film_site.stems.items()
    ]
    build_page(films, root / "site")
    return FilmSite(root / "site", film_site.out, film_site.stems, data=data, positive="malignant")


@pytest.fixture
def film_sites(film_site, light_user_site) -> dict[str, FilmSite]:
    """The pages with films, for the tests parametrised over them: the article's data in
    the dark theme, a user's in the light theme."""
    return {"article_dark": film_site, "user_light": light_user_site}


# --- the browser ----------------------------------------------------------------------------

#: Playwright's sync API runs one driver per thread at a time: this module's two browsers
#: (one per group of tests, tests/conftest.py) share it, started by the first and stopped
#: with the last.
_DRIVER: dict = {"playwright": None, "users": 0}


@contextmanager
def chromium() -> Iterator:
    """A Chromium browser (Playwright's Browser), as tests/browser.py's chromium() launches
    it, closed afterwards."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), f"the page tests need Debian's Chromium at {CHROMIUM}"
    if not _DRIVER["users"]:
        _DRIVER["playwright"] = sync_playwright().start()
    _DRIVER["users"] += 1
    try:
        browser = _DRIVER["playwright"].chromium.launch(
            executable_path=str(CHROMIUM), args=BROWSER_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        _DRIVER["users"] -= 1
        if not _DRIVER["users"]:
            _DRIVER["playwright"].stop()


@pytest.fixture(scope="module")
def browser():
    """The lab-only sites' tests' browser."""
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def film_browser():
    """The rendered site's tests' browser."""
    with chromium() as browser:
        yield browser


class LabTab:
    """The lab in its own browser context, with every console error, page error, failed
    request and dialog it had."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _failed(self, request) -> None:
        if request.failure != "net::ERR_ABORTED":  # Chromium cancelling what it no longer needs
            self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def state(self) -> dict:
        return self.js("() => window.bceLab.state()")

    def shown_mean(self) -> str:
        return self.page.text_content("#mean")

    def settle(self) -> None:
        """One animation frame: what the last change draws is drawn."""
        self.js("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


LAB_READY = "() => window.bceLab !== undefined"
PLAYER_READY = "() => document.querySelectorAll('#chapters li').length > 0"


@contextmanager
def tabs_in(browser) -> Iterator:
    """open_(url, ...): a LabTab at ``url``, ready; every context closed afterwards."""
    contexts = []

    def open_(url: str, viewport: dict = DESKTOP, ready: str = LAB_READY, **options) -> LabTab:
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        tab = LabTab(context.new_page())
        tab.page.goto(url)
        tab.page.wait_for_function(ready)
        tab.settle()
        return tab

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_lab(browser):
    with tabs_in(browser) as open_:
        yield open_


@pytest.fixture
def open_film(film_browser):
    with tabs_in(film_browser) as open_:
        yield open_


@pytest.fixture
def screenshots(tmp_path_factory) -> Path:
    return screenshot_folder(tmp_path_factory, "lab-screenshots")


def core_mean(lesson, w: float, b: float) -> float:
    return float(np.mean(logit_losses(lesson.y, w * lesson.x + b)))


# --- the golden values against independent oracles -------------------------------------------


@pytest.mark.parametrize("site", ["article_lab", "user_lab"])
def test_the_golden_values_are_scipys_and_scikit_learns(site, labs):
    from scipy.special import expit, log_expit
    from sklearn.linear_model import LogisticRegression

    lab = labs[site]
    golden = read_golden(lab)
    x, y = lab.lesson.x, lab.lesson.y
    rows = golden["rows"]
    for point in golden["grid"]:
        t = point["w"] * x + point["b"]
        np.testing.assert_allclose(point["p"], expit(t[:rows]), rtol=1e-12, atol=0)
        signs = 2 * y - 1
        np.testing.assert_allclose(point["losses"], -log_expit(signs * t)[:rows], rtol=1e-12)
        assert point["mean"] == pytest.approx(float(np.mean(-log_expit(signs * t))), rel=1e-12)
    model = LogisticRegression(C=1.0, tol=1e-12, max_iter=1000).fit(x[:, None], y)
    assert golden["fit"]["w"] == pytest.approx(model.coef_[0, 0], rel=1e-6)
    assert golden["fit"]["b"] == pytest.approx(model.intercept_[0], rel=1e-6, abs=1e-9)


def test_the_site_names_the_data_file_and_not_its_folder(user_lab):
    """A published lab shows where its data came from by the file's name: the folders of
    the machine it was made on are nobody's business."""
    folder = str(Path(user_lab.data).parent)
    files = [path for path in user_lab.root.rglob("*") if path.suffix in (".js", ".html")]
    assert files
    assert [p.name for p in files if folder in p.read_text(encoding="utf-8")] == []


def read_golden(lab: LabSite) -> dict:
    text = (lab.root / "assets" / "lab-golden.js").read_text()
    return json.loads(text.removeprefix("window.BCE_LAB_GOLDEN = ").rstrip().removesuffix(";"))


def test_newton_steps_of_the_public_problem_are_the_fits_iterates():
    lesson = build_lesson(dataset_from(None))
    problem = newton_problem(lesson.x, lesson.y, lesson.C)
    u = v = 0.0
    current = problem.objective(u, v)
    for iterate in lesson.fit.iterates[1:]:
        moved = problem.step(u, v, current)
        u, v, current = moved.u, moved.v, moved.objective
        assert problem.to_original(u, v) == (iterate.weight, iterate.intercept)
    assert problem.from_original(*problem.to_original(u, v)) == pytest.approx((u, v), rel=1e-15)


# --- the browser's numbers against the golden values -----------------------------------------

COMPARE_JS = """(golden) => {
    const core = window.bceLab.core;
    const lab = window.BCE_LAB;
    const worst = { normal: 0, extreme: 0, zeros: [] };
    const note = (expected, got, extreme, what) => {
        if (expected === 0 || got === 0) {
            if (expected !== got) worst.zeros.push([what, expected, got]);
            return;
        }
        const error = Math.abs(got - expected) / Math.abs(expected);
        const key = extreme ? "extreme" : "normal";
        if (!(error <= worst[key])) worst[key] = Number.isNaN(error) ? Infinity : error;
    };
    for (const point of golden.grid) {
        for (let i = 0; i < golden.rows; i++) {
            const t = point.w * lab.x[i] + point.b;
            note(point.p[i], core.sigmoid(t), point.extreme, "p");
            note(point.losses[i], core.logitLoss(lab.y[i], t), point.extreme, "loss");
        }
        note(point.mean, core.meanLoss(point.w, point.b), point.extreme, "mean");
    }
    for (const move of golden.newton_steps) {
        const got = core.newtonStep(move.from.w, move.from.b, lab.penalty);
        if (move.to === null || got === null) {
            if (move.to !== got) worst.zeros.push(["step", move.to, got]);
            continue;
        }
        note(move.to.w, got.w, false, "step w");
        note(move.to.b, got.b, false, "step b");
    }
    let at = golden.training[0];
    for (const expected of golden.training.slice(1)) {
        const got = core.newtonStep(at.w, at.b, lab.penalty);
        note(expected.w, got.w, false, "training w");
        note(expected.b, got.b, false, "training b");
        note(expected.mean, core.meanLoss(got.w, got.b), false, "training mean");
        at = got;
    }
    note(golden.baseline_loss, core.baselineLoss(), false, "baseline");
    golden.clipped.p.forEach((p, k) => {
        note(golden.clipped.positive[k], core.clippedLoss(1, p), false, "clipped positive");
        note(golden.clipped.negative[k], core.clippedLoss(0, p), false, "clipped negative");
    });
    return worst;
}"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("site", ["article_lab", "user_lab"])
def test_every_number_equals_the_cores(site, language, labs, open_lab):
    lab = labs[site]
    tab = open_lab(lab.url(rest=f"?lang={language}"))
    worst = tab.js(COMPARE_JS, read_golden(lab))
    assert worst["zeros"] == []
    assert worst["normal"] < 1e-12, worst
    assert worst["extreme"] < 1e-9, worst
    # state(): full precision, one loss per row in file order.
    state = tab.state()
    assert len(state["losses"]) == lab.lesson.n_points
    expected = logit_losses(lab.lesson.y, state["w"] * lab.lesson.x + state["b"])
    np.testing.assert_allclose(state["losses"], expected, rtol=1e-12)
    assert tab.problems == []


FORMATTED = [0.03125, 0.5, 2.5, 0.00005, 1.00005, 0.33291141029216315, 9.99995, 123456.7]
FORMATTED += [1e-5, 1.5e-5, -0.0, -0.00001, 0.0, 1e21, 5e-324, 0.6931471805599453, 700.0]
FORMATTED += [2.675, 0.125, 0.375, 1234.5, 99999.5, 0.000123456, -3.14159e-7]


def test_the_lab_rounds_as_the_film(article_lab, open_lab):
    tab = open_lab(article_lab.url())
    shown = tab.js(
        """(values) => values.map((v) => [window.bceLab.format.loss(v),
            window.bceLab.format.parameter(v)])""",
        FORMATTED,
    )
    assert shown == [[loss_text(v), f"{v:.4g}"] for v in FORMATTED]


# --- what it shows ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_the_fit_the_lab_shows_the_films_loss(article_lab, language, open_lab):
    tab = open_lab(article_lab.url(rest=f"?lang={language}"))
    assert tab.shown_mean() == "0.3329" == loss_text(article_lab.lesson.loss)
    assert tab.page.input_value("#w-number") == f"{article_lab.lesson.weight:.4g}"
    assert tab.problems == []


def test_for_a_users_data_it_shows_what_bce_video_numbers_prints(user_lab, open_lab, tmp_path):
    result = run_bce_video("numbers", *user_lab.data_args, cache=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = re.search(r"Log Loss / Cross Entropy = (\S+)", result.stdout).group(1)
    for language in LANGUAGES:
        tab = open_lab(user_lab.url(rest=f"?lang={language}"))
        tab.js("() => window.bceLab.fit()")
        tab.settle()
        assert tab.shown_mean() == printed
    assert tab.problems == []


def test_newton_steps_from_the_flat_guess_are_the_training_chapters(article_lab, open_lab):
    tab = open_lab(article_lab.url())
    tab.page.click("#flat")
    tab.settle()
    assert tab.shown_mean() == loss_text(math.log(2))
    assert tab.state()["w"] == 0 and tab.state()["b"] == 0
    means = []
    for _ in TRAINING_MEANS:
        tab.page.click("#step")
        tab.settle()
        means.append(tab.shown_mean())
    assert tuple(means) == TRAINING_MEANS
    assert tab.problems == []


def test_the_buttons_go_to_the_films_states(article_lab, open_lab):
    lesson = article_lab.lesson
    tab = open_lab(article_lab.url("lab.html", "#w=3&b=-1"))
    tab.page.click("#fit")
    assert (tab.state()["w"], tab.state()["b"]) == (lesson.weight, lesson.intercept)
    tab.page.click("#free")
    free = lesson.fit_without_penalty
    assert (tab.state()["w"], tab.state()["b"], tab.state()["C"]) == (
        free.weight,
        free.intercept,
        None,
    )
    tab.settle()
    assert tab.shown_mean() == loss_text(lesson.loss_without_penalty)
    # No penalty: a Newton step from the flat guess is the unpenalised fit's first.
    tab.page.click("#flat")
    tab.page.click("#penalty")
    assert tab.state()["C"] is None
    tab.page.click("#step")
    first = free.iterates[1]
    assert tab.state()["w"] == pytest.approx(first.weight, rel=1e-12)
    assert tab.state()["b"] == pytest.approx(first.intercept, rel=1e-12)
    assert tab.problems == []


def drag(tab: LabTab, selector: str, dx: float, dy: float) -> None:
    box = tab.page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.page.mouse.move(x, y)
    tab.page.mouse.down()
    tab.page.mouse.move(x + dx / 2, y + dy / 2, steps=4)
    tab.page.mouse.move(x + dx, y + dy, steps=4)
    tab.page.mouse.up()
    tab.settle()


@pytest.mark.parametrize(
    ("handle", "dx", "dy", "moves"),
    [
        ("#midpoint-handle", 80, 0, "b"),
        ("#slope-handle", 0, -40, "w"),
        ("#surface-handle", 50, 30, "wb"),
    ],
)
def test_dragging_moves_w_or_b_and_the_mean_is_the_cores(user_lab, open_lab, handle, dx, dy, moves):
    tab = open_lab(user_lab.url())
    before = tab.state()
    drag(tab, handle, dx, dy)
    after = tab.state()
    if moves == "b":
        assert after["w"] == before["w"] and after["b"] != before["b"]
    else:
        assert after["w"] != before["w"]
    assert tab.shown_mean() == loss_text(core_mean(user_lab.lesson, after["w"], after["b"]))
    assert after["meanLoss"] == pytest.approx(
        core_mean(user_lab.lesson, after["w"], after["b"]), rel=1e-12
    )
    assert tab.problems == []


def test_the_midpoint_drag_puts_the_curves_middle_under_the_pointer(article_lab, open_lab):
    tab = open_lab(article_lab.url())
    box = tab.page.locator("#midpoint-handle").bounding_box()
    drag(tab, "#midpoint-handle", 60, 0)
    after = tab.page.locator("#midpoint-handle").bounding_box()
    assert after["x"] == pytest.approx(box["x"] + 60, abs=2)
    assert after["y"] == pytest.approx(box["y"], abs=2)


CONTROLS = ("midpoint-handle", "slope-handle", "surface-handle", "w-range", "w-number")
CONTROLS += ("b-range", "b-number", "flat", "step", "fit", "free", "penalty", "point")


def test_the_keyboard_alone_reaches_and_changes_every_control(article_lab, open_lab):
    tab = open_lab(article_lab.url())
    reached = []
    for _ in range(60):
        tab.page.keyboard.press("Tab")
        reached.append(tab.js("() => document.activeElement.id"))
    assert set(CONTROLS) <= set(reached), reached
    # Focus is visible: an outline (or the handle's ring) on each.
    for control in CONTROLS:
        tab.page.focus(f"#{control}")
        style = tab.js(
            """(id) => { const e = document.getElementById(id);
                const hit = e.querySelector('.hit');
                const s = getComputedStyle(hit || e);
                return [s.outlineStyle, s.stroke, e.matches(':focus-visible')]; }""",
            control,
        )
        assert style[2] or control in ("w-range", "b-range"), (control, style)

    def changed_by(control: str, *keys: str) -> dict:
        before = tab.state()
        tab.page.focus(f"#{control}")
        for key in keys:
            tab.page.keyboard.press(key)
        tab.settle()
        after = tab.state()
        return {k: after[k] != before[k] for k in ("w", "b", "C")}

    assert changed_by("midpoint-handle", "ArrowRight")["b"]
    assert changed_by("slope-handle", "ArrowUp")["w"]
    moved = changed_by("surface-handle", "ArrowRight", "ArrowUp")
    assert moved["w"] and moved["b"]
    assert changed_by("w-range", "ArrowRight")["w"]
    assert changed_by("b-range", "ArrowLeft")["b"]
    tab.page.focus("#w-number")
    tab.page.fill("#w-number", "1.5")
    tab.page.keyboard.press("Tab")
    assert tab.state()["w"] == 1.5
    tab.page.fill("#b-number", "-0.25")
    tab.page.keyboard.press("Enter")
    tab.page.keyboard.press("Tab")
    assert tab.state()["b"] == -0.25
    assert changed_by("flat", "Enter")["w"]
    assert changed_by("step", "Enter")["w"]
    assert changed_by("fit", "Enter")["w"]
    assert changed_by("free", "Enter")["w"]
    assert changed_by("penalty", "Space")["C"]
    before = tab.js("() => document.getElementById('point').value")
    tab.page.focus("#point")
    tab.page.keyboard.press("ArrowDown")
    assert tab.js("() => document.getElementById('point').value") != before
    assert tab.problems == []


def test_the_url_round_trips_the_state(article_lab, open_lab):
    tab = open_lab(article_lab.url())
    tab.js("() => window.bceLab.set({w: 0.123456789012345, b: -1.0000000000000002})")
    tab.js("() => document.getElementById('penalty').click()")
    state = tab.state()
    url = tab.js("() => location.href")
    again = open_lab(url)
    assert {k: again.state()[k] for k in ("w", "b", "C", "meanLoss")} == {
        k: state[k] for k in ("w", "b", "C", "meanLoss")
    }
    assert again.state()["C"] is None
    named = open_lab(article_lab.url(rest="#state=step2"))
    step = article_lab.lesson.training[2]
    assert (named.state()["w"], named.state()["b"]) == (step.weight, step.intercept)
    assert named.shown_mean() == "0.3467"
    assert tab.problems == again.problems == named.problems == []


def test_the_live_sentence_says_the_mean_and_the_chosen_points_loss(article_lab, open_lab):
    for language in LANGUAGES:
        tab = open_lab(article_lab.url(rest=f"?lang={language}"))
        tab.page.click("#flat")
        # The sentence is said once the change rests (400 ms), whole.
        tab.page.wait_for_function(
            "() => document.getElementById('live').textContent.includes('0.6931')"
        )
        live = tab.page.text_content("#live")
        words = load_words(language).table["page"]
        assert tab.page.get_attribute("#live", "aria-live") == "polite"
        assert live.startswith(words["lab_live"].split("{")[0])
        assert live.count("0.6931") == 2, live


# --- the lab-only sites against the page ---------------------------------------------------


def page_data(site: LabSite) -> dict:
    text = (site.root / "assets" / "page-data.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.BCE_PAGE = ").rstrip().removesuffix(";"))


@pytest.mark.parametrize("which", ["article_dark", "user_light"])
def test_the_lab_only_site_is_what_bce_video_page_writes(which, film_sites, tmp_path):
    """For the same data and theme, lab_only_site's lab is the page's byte for byte, and
    its page data the page's but for what only the player reads: no film's video, poster
    or chapters (the lab's list of the film's chapters and its link back to one are tested
    on the pages with films)."""
    site = film_sites[which]
    positive = "malignant" if site.data else None
    lab = lab_only_site(tmp_path, site.data, "light" if site.data else "dark", positive)
    assert (lab.lesson.x.tolist(), lab.lesson.y.tolist()) == (
        site.lesson.x.tolist(),
        site.lesson.y.tolist(),
    )
    files = ["lab.html", "assets/player.css"]
    files += [f"assets/{name}" for name in (*LAB_ASSETS, "lab-data.js", "lab-golden.js")]
    for name in files:
        assert (lab.root / name).read_bytes() == (site.root / name).read_bytes(), name
    ours, page = page_data(lab), page_data(site)
    assert page.pop("base_url") is None  # the embed snippet's, which the lab does not read
    assert {k: v for k, v in ours.items() if k != "films"} == {
        k: v for k, v in page.items() if k != "films"
    }
    assert [film["language"] for film in page["films"]] == list(LANGUAGES)
    for mine, real in zip(ours["films"], page["films"], strict=True):
        assert set(mine) <= set(real)
        assert (mine["video"], mine["poster"], mine["chapters"]) == ("", "", [])
        assert [chapter["name"] for chapter in real["chapters"]] == list(FILM_CHAPTERS)
        shared = set(mine) - {"video", "poster", "chapters"}
        assert {k: mine[k] for k in shared} == {k: real[k] for k in shared}


# --- the links both ways ---------------------------------------------------------------------


def test_every_chapter_state_is_a_chapter():
    assert set(CHAPTER_STATES) <= set(ORDER)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_chapter_opens_the_lab_at_the_state_it_shows(film_site, language, open_film):
    lesson = film_site.lesson
    expected = {
        "fit": ((lesson.weight, lesson.intercept), loss_text(lesson.loss)),
        "training": ((0.0, 0.0), loss_text(lesson.training[0].loss)),
        # w = 0 with the best b: the loss is H(q), the baseline's as the film writes it.
        "baseline": ((0.0, None), f"{lesson.baseline_loss:.4f}"),
    }
    player = open_film(film_site.url("index.html", f"?lang={language}"), ready=PLAYER_READY)
    for index, name in enumerate(FILM_CHAPTERS):
        start = player.js(
            "([language, index]) => window.BCE_PAGE.films"
            ".find((f) => f.language === language).chapters[index].start",
            [language, index],
        )
        player.js("(t) => { document.getElementById('film').currentTime = t + 0.5; }", start)
        player.page.wait_for_function(
            "(k) => document.querySelectorAll('#chapters li')[k].classList.contains('current')",
            arg=index,
        )
        href = player.page.get_attribute("#lab-link", "href")
        if name not in expected:
            assert "#state" not in href
            continue
        assert f"#state={CHAPTER_STATES[name]}&chapter={name}" in href
        assert href.startswith("lab.html")
        lab = open_film(film_site.url("lab.html", href.removeprefix("lab.html")))
        (w, b), mean = expected[name]
        state = lab.state()
        assert state["w"] == w and (b is None or state["b"] == b)
        assert lab.shown_mean() == mean
        # The lab links back to the chapter it came from.
        back = lab.page.get_attribute("#back", "href")
        assert back.endswith(f"#t={start}")
        assert lab.problems == []
    assert player.problems == []


def test_presenter_mode_offers_try_it_with_the_key_t(film_site, open_film):
    tab = open_film(film_site.url("index.html"), ready=PLAYER_READY)
    tab.page.wait_for_function("() => document.getElementById('film').readyState >= 1")
    tab.page.keyboard.press("p")
    fit = tab.js("() => window.BCE_PAGE.films[0].chapters.find((c) => c.name === 'fit')")
    tab.js(
        """(end) => { const v = document.getElementById('film');
            v.currentTime = end - 0.6; v.play(); }""",
        fit["end"],
    )
    tab.page.wait_for_function(
        "() => !document.getElementById('presenter-card').hidden", timeout=6000
    )
    assert tab.page.is_visible("#presenter-try")
    assert tab.page.text_content("#presenter-try") == load_words("en").table["page"]["lab_try_key"]
    with tab.page.expect_navigation():
        tab.page.keyboard.press("t")
    assert "lab.html" in tab.page.url and tab.page.url.endswith("#state=fit&chapter=fit")
    tab.page.wait_for_function("() => window.bceLab !== undefined")
    assert tab.page.text_content("#mean") == "0.3329"
    assert tab.problems == []


# --- hostile names, file:// and HTTP ---------------------------------------------------------


def test_names_that_are_markup_stay_text(hostile_lab, open_lab):
    for language in LANGUAGES:
        tab = open_lab(hostile_lab.url(rest=f"?lang={language}"))
        tab.page.wait_for_timeout(600)
        assert tab.dialogs == []
        assert tab.js("""() => document.querySelectorAll('img[src="x"]').length""") == 0
        assert DATA_NAME in tab.page.text_content("#source")
        options = tab.js(
            "() => Array.from(document.querySelectorAll('#point option'), o => o.text)"
        )
        assert any(POSITIVE in option for option in options)
        assert any(NEGATIVE in option for option in options)
        assert POSITIVE in tab.page.text_content("#live") or NEGATIVE in tab.page.text_content(
            "#live"
        )
        assert tab.problems == []


def test_over_http_the_lab_loads_without_errors(user_lab, open_lab):
    server = Server(user_lab.root)
    try:
        tab = open_lab(server.url("lab.html"))
        tab.page.wait_for_load_state("networkidle")
        assert tab.shown_mean() == loss_text(user_lab.lesson.loss)
        assert tab.problems == []
        assert [r for r in server.requests if r[2] >= 400] == []
    finally:
        server.close()


# --- accessibility ---------------------------------------------------------------------------
#
# The player's page (index.html) is checked in both themes and both languages by
# tests/test_teacher_kit.py's test_axe_finds_no_violations (with the lab's link, a search
# and a seek), as is presenter.html; embed.html and lab.html are checked here.


@pytest.mark.parametrize("page_name", ["embed.html", "lab.html"])
@pytest.mark.parametrize("site", ["article_dark", "user_light"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violations(site, page_name, language, film_sites, open_film):
    """embed.html, and the lab with the film's chapters: the article's data, dark, and a
    user's (569 points: a sample drawn, a note saying so), light."""
    site = film_sites[site]
    ready = LAB_READY if page_name == "lab.html" else PLAYER_READY
    tab = open_film(site.url(page_name, f"?lang={language}"), ready=ready)
    if page_name == "lab.html":
        assert tab.page.is_visible("#film-chapters a")
        assert tab.page.is_visible("#sample-note") == bool(site.data)
    assert axe_violations(tab.page) == []


# --- big data, screenshots ---------------------------------------------------


def test_the_big_data_lab_is_smooth(big_lab, open_lab, screenshots):
    """100,000 rows: one full recompute, and frames per second while dragging."""
    tab = open_lab(big_lab.url())
    assert tab.page.is_visible("#sample-note")
    assert tab.page.is_visible("#surface-note")
    recompute = tab.js(
        """() => { const core = window.bceLab.core; const t0 = performance.now();
            for (let k = 0; k < 20; k++) core.meanLoss(0.5 + k * 0.01, 0.1);
            return (performance.now() - t0) / 20; }"""
    )
    box = tab.page.locator("#surface-handle").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.js(
        """() => { window.frames_seen = 0; const count = () => { window.frames_seen++;
            if (window.counting) requestAnimationFrame(count); };
            window.counting = true; requestAnimationFrame(count); }"""
    )
    tab.page.mouse.move(x, y)
    tab.page.mouse.down()
    started = tab.js("() => performance.now()")
    for k in range(120):
        tab.page.mouse.move(x + 60 * math.sin(k / 10), y + 40 * math.cos(k / 10))
    tab.page.mouse.up()
    elapsed, frames = tab.js(
        "() => { window.counting = false; return [performance.now(), window.frames_seen]; }"
    )
    fps = frames / ((elapsed - started) / 1000)
    print(f"100,000 rows: one recompute {recompute:.2f} ms; {fps:.0f} frames/s while dragging")
    tab.settle()
    state = tab.state()
    assert state["meanLoss"] == pytest.approx(
        core_mean(big_lab.lesson, state["w"], state["b"]), rel=1e-12
    )
    assert recompute < 1000 / 60
    tab.page.screenshot(path=str(screenshots / "lab-100000-rows.png"), full_page=True)
    assert tab.problems == []


def screenshot_the_lab(open_, lab: LabSite, name: str, language: str, screenshots: Path):
    for viewport, shape in ((DESKTOP, "desktop"), (PHONE, "phone")):
        for state in ("flat", "fit"):
            tab = open_(
                lab.url(rest=f"?lang={language}#state={state}"),
                viewport=viewport,
                reduced_motion="reduce",
            )
            path = screenshots / f"lab-{name}-{language}-{shape}-{state}.png"
            tab.page.screenshot(path=str(path), full_page=True)
            print(f"screenshot: {path}")
            # Nothing wider than the screen.
            assert tab.js("() => document.documentElement.scrollWidth <= innerWidth + 1")
            assert tab.problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_beside_the_film(language, film_site, open_film, screenshots):
    """The article's lab, dark, with the film's chapters."""
    screenshot_the_lab(open_film, film_site, "article", language, screenshots)


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_of_a_users_lab(language, user_lab, open_lab, screenshots):
    """A user's data, light."""
    screenshot_the_lab(open_lab, user_lab, "user", language, screenshots)
