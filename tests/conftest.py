"""Shared helpers: random datasets, scikit-learn and scipy oracles, and the CLI runner.

The oracles here never call bce_core: they are what the core is checked against.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings
from pathlib import Path

import numpy as np
import pytest
from film_helpers import run_bce_video
from hypothesis import settings
from paths import REPO_ROOT
from scipy.optimize import minimize, root
from scipy.special import expit, log_expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

# No deadline (sklearn's log_loss validation is slow on a cold start); no example
# database, so that running the suite writes nothing into the repository.
settings.register_profile("bce", deadline=None, max_examples=150, database=None)
settings.load_profile("bce")

#: The article's ten points, typed in again here rather than read from bce_core.
ARTICLE_X = np.array([-2.2, -1.4, -0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6])
ARTICLE_Y = np.array([0, 0, 1, 0, 1, 1, 1, 1, 1, 1])


def random_dataset(
    seed: int, n: int, scale: float = 1.0, offset: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """n points x = offset + scale * z, z ~ N(0, 1), labels drawn from a random sigmoid of z.

    The first two labels are forced to 0 and 1 so that both classes are always present.
    """
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    slope = rng.uniform(0.3, 3.0) * rng.choice([-1.0, 1.0])
    shift = rng.uniform(-1.0, 1.0)
    y = (rng.random(n) < expit(slope * z + shift)).astype(np.int64)
    y[0], y[1] = 0, 1
    return offset + scale * z, y


def sklearn_fit(x: np.ndarray, y: np.ndarray, C: float, solver: str = "lbfgs"):
    """scikit-learn's LogisticRegression run to (near) machine precision.

    ``C=np.inf`` means no penalty (``penalty=None`` is deprecated in scikit-learn 1.9).
    """
    model = LogisticRegression(C=C, tol=1e-12, max_iter=10000, solver=solver)
    with warnings.catch_warnings():
        # At tol=1e-12 lbfgs may report that it stopped on its line search; the
        # comparison that follows is what decides whether it was precise enough.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(np.asarray(x, dtype=np.float64)[:, None], y)
    return model


def reference_fit(x: np.ndarray, y: np.ndarray, C: float | None) -> tuple[float, float]:
    """High-precision (weight, intercept) minimising C * sum(logloss) + w**2 / 2 with scipy.

    Written independently of bce_core for data where scikit-learn is inaccurate (x near
    1e6: its Hessian in (w, b) has a condition number of about 1e12 / var(x)). The
    problem is solved in a shifted, scaled parametrisation t = a z + b', z = (x - m) / s
    (m the median, s the range), with exact gradient and Hessian; the objective is divided
    by C * n to keep it O(1). Only the coordinates change, not the minimiser: w = a / s,
    b = b' - a m / s.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    m = float(np.median(x))
    s = float(np.ptp(x))
    z = (x - m) / s
    signs = 2.0 * y - 1.0
    ridge = 0.0 if C is None else 1.0 / (C * s * s)  # (w**2 / 2) / C in terms of a

    def fun(params: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = params
        t = a * z + b
        value = (-np.sum(log_expit(signs * t)) + 0.5 * ridge * a * a) / n
        residual = expit(t) - y
        return value, np.array([residual @ z + ridge * a, residual.sum()]) / n

    def hess(params: np.ndarray) -> np.ndarray:
        a, b = params
        p = expit(a * z + b)
        h = p * (1.0 - p)
        return np.array([[h @ (z * z) + ridge, h @ z], [h @ z, h.sum()]]) / n

    # trust-exact gets close; it may stop at a gradient of about 1e-9 ("a bad
    # approximation caused failure to predict improvement"), so the stationarity
    # equations are then solved to machine precision by scipy's hybrid Powell root finder.
    coarse = minimize(
        fun, np.zeros(2), jac=True, hess=hess, method="trust-exact", options={"gtol": 1e-8}
    )
    result = root(lambda params: fun(params)[1], coarse.x, jac=hess, method="hybr", tol=1e-15)
    assert np.max(np.abs(fun(result.x)[1])) < 1e-13, result
    a, b = result.x
    return a / s, b - a * m / s


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bce_core", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes) -> path of a new file under tmp_path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write


# ------------------------------------------------------------------------ the film render

FILM_TIMEOUT = 3600  # seconds


@pytest.fixture(scope="session")
def narrated_cache(tmp_path_factory) -> Path:
    """The caches (BCE_CACHE_DIR) of the session's film: its speech is under speech/."""
    return tmp_path_factory.getbasetemp() / "narrated-cache"


@pytest.fixture(scope="session")
def film(tmp_path_factory, narrated_cache):
    """The whole film rendered once per session as the README's first command makes it:
    ``manim -ql --save_sections scenes/bce.py``, spoken by Piper (the English film's
    voice). The reference the bce-video render (``parallel``) is compared with."""
    from film_helpers import (
        FILM_SCENE,
        RENDER_DIR_VARIABLE,
        FilmRender,
        media_output,
        run_manim,
        seed_caches,
        video_info,
    )

    chosen = os.environ.get(RENDER_DIR_VARIABLE)
    if chosen:
        media_dir = Path(chosen)
        media_dir = media_dir if media_dir.is_absolute() else REPO_ROOT / media_dir
    else:
        media_dir = tmp_path_factory.mktemp("film-render")
    video = media_output(media_dir, "bce", FILM_SCENE)
    subtitles = video.with_suffix(".srt")
    sections = video.parent / "sections" / f"{FILM_SCENE}.json"
    # A previous render in the same folder must not pass for this one.
    for stale in (video, subtitles, sections):
        stale.unlink(missing_ok=True)
    seed_caches(media_dir)
    spoken = {"BCE_VOICE": "piper", "BCE_CACHE_DIR": str(narrated_cache)}
    failure = run_manim(["--save_sections", "scenes/bce.py"], media_dir, FILM_TIMEOUT, spoken)
    if failure:
        pytest.fail(f"the film did not render: {failure}")
    assert video.is_file(), f"no {video}"
    return FilmRender(video, subtitles, sections, video_info(video))


@pytest.fixture(scope="session")
def narrated(film) -> Path:
    """The session's film (spoken by Piper): its MP4."""
    return film.video


@pytest.fixture(scope="session")
def parallel(tmp_path_factory, film, narrated_cache):
    """The same film by ``bce-video render --voice piper --jobs 2``, from empty film and
    chapter caches and the plain run's speech and mastered sound: (its cache, its folder,
    the command). A chapter's mastered sound is kept by its length and its clips' places,
    in samples: every chapter's taken from the plain run's says that each is timed alike
    to the sample (test_narrated_render compares the two films' audio)."""
    from scenes.chapters import ORDER

    root = tmp_path_factory.mktemp("parallel")
    cache, out = root / "cache", root / "out"
    for kept in ("speech", "soundtrack"):
        shutil.copytree(narrated_cache / kept, cache / kept)
    done = run_bce_video(
        *("render", "--voice", "piper", "--jobs", "2", "--out", str(out)), cache=cache
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "piper: 0 synthesised" in done.stderr, "every clip from the plain run's"
    assert f"sound: 0 of {len(ORDER)} chapters mastered" in done.stderr, done.stderr[-2000:]
    return cache, out, done


@pytest.fixture(scope="session")
def zh_light_cache(tmp_path_factory) -> Path:
    """The film cache (BCE_CACHE_DIR) of the zh_light render: a later command run with it
    takes that film from the cache in seconds."""
    return tmp_path_factory.getbasetemp() / "zh-light-cache"


@pytest.fixture(scope="session")
def zh_light(tmp_path_factory, zh_light_cache) -> tuple[Path, subprocess.CompletedProcess]:
    """The whole film rendered once per session in Chinese on the light theme, 9:16
    (``bce-video render``): its files in the returned folder, and the command's output.
    No voice is asked: the film is spoken by the language's default voice (test_heard.py
    hears it)."""
    out = tmp_path_factory.mktemp("zh-light")
    command = ["render", "--lang", "zh", "--theme", "light", "--aspect", "9:16", "--out", str(out)]
    result = run_bce_video(*command, cache=zh_light_cache, silent=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


# ------------------------------------------------------------ two processes (pytest-xdist)
#
# ``./run test`` runs pytest-xdist (``-n auto --dist loadgroup``). The tests that share a
# session or module fixture (a whole film rendered, a preflight of one case, a site, a
# browser) must run in one process, or each process makes the fixture again. xdist's
# own groups (the ``xdist_group`` mark) name each test's group in its node id, which
# pytest 9 no longer lets a plugin change; so the workers, which collect, write each
# test's group to a file, and the controller's scheduler reads it.

#: Shared fixtures that take minutes (whole films rendered, a preflight): the tests that
#: share one go first (the longest first keep both processes busy to the end).
LONG_SHARED = ("film", "narrated", "zh_light", "preflight")


def _groups_file(testrunuid: str) -> Path:
    return Path(tempfile.gettempdir()) / f"bce-test-groups-{testrunuid}.json"


def pytest_configure(config):
    # The controller names the run, so that it and its workers agree on the groups file.
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        config.option.testrunuid = config.option.testrunuid or uuid.uuid4().hex


def pytest_unconfigure(config):
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        _groups_file(config.option.testrunuid).unlink(missing_ok=True)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """In a worker: group each test with every other test that shares a session or
    module fixture of ours with it, put the groups that share a long fixture first, and
    write the groups for the controller (``pytest_xdist_make_scheduler``)."""
    if not hasattr(config, "workerinput"):
        return (yield)  # one process: nothing to group
    parent: dict = {}

    def root(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    shared_by_item = {}
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        shared = []
        params = item.callspec.params if hasattr(item, "callspec") else {}
        for name in info.names_closure if info else ():
            definitions = info.name2fixturedefs.get(name)
            # Ours only: pytest's and its plugins' own (tmp_path_factory, ...) cost nothing.
            mine = definitions and definitions[-1].baseid
            if mine and definitions[-1].scope in ("session", "package", "module"):
                # A parametrised fixture is made once per value: each is shared apart.
                shared.append((definitions[-1].baseid, name, str(params.get(name, ""))))
        shared_by_item[item] = shared
        for key in shared[1:]:
            parent[root(key)] = root(shared[0])
    heavy = {root(key) for key in parent if key[1] in LONG_SHARED}
    group_of = {item: root(shared[0]) for item, shared in shared_by_item.items() if shared}
    items.sort(key=lambda item: group_of.get(item) not in heavy)  # stable: order kept within
    result = yield  # pytest's own reordering keeps a shared fixture's tests together
    groups = {
        item.nodeid: "::".join(part for part in group if part) for item, group in group_of.items()
    }
    target = _groups_file(config.workerinput["testrunuid"])
    part = target.with_name(f".{target.name}.{os.getpid()}")
    part.write_text(json.dumps(groups))
    part.replace(target)  # every worker writes the same groups: the last one stays
    return result


def pytest_xdist_make_scheduler(config, log):
    """xdist's scheduler by scope, each test's scope its group (or the test alone)."""
    from xdist.scheduler import LoadScopeScheduling

    groups: dict[str, str] = {}

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if not groups:  # read once every worker has collected (and written it)
                groups.update(json.loads(_groups_file(config.option.testrunuid).read_text()))
            return groups.get(nodeid, nodeid)

    return SharedFixtureScheduling(config, log)
