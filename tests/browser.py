"""The browser the page tests look through: Debian's Chromium driven by Playwright, and
axe-core's verdict on a page (axe-playwright-python bundles it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
]


@contextmanager
def chromium() -> Iterator:
    """A Chromium browser (Playwright's Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), f"the page tests need Debian's Chromium at {CHROMIUM}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[tuple]:
    """axe-core's violations on ``page`` (a Playwright Page): (rule, impact, the first
    three elements' selectors) each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
    ]


def screenshot_folder(tmp_path_factory, name: str) -> Path:
    """Where a module's page tests keep their screenshots: BCE_SCREENSHOTS, to look at
    them, else a new temporary folder ``name``."""
    chosen = os.environ.get("BCE_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp(name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
