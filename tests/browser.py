"""Debian's Chromium driven by Playwright, offline, for the dashboard and site tests.

The tests share one Chromium per session (the ``chromium`` fixture in
conftest.py) and one tab in it (the ``page`` fixture), which :func:`reset_page`
blanks before each test: starting Chromium costs about a second, and a page
with charts loads in about 1.4 s in a new tab or context but in about 0.4 s in
a tab that has loaded one before (Chromium keeps the plotly.js it compiled).
``offline_page()`` starts a Chromium of its own, for scripts such as
tools/readme_images.py.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


def require_chromium() -> None:
    """Skip the test (fail it on CI) when Debian's chromium is not installed."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def launch(playwright):
    """Start headless Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def new_offline_page(browser, viewport: dict = VIEWPORT, javascript: bool = True):
    """A page in a new context with no network: any request other than file:// is aborted and recorded.

    ``page.errors`` collects uncaught exceptions and console errors, ``page.network``
    the URLs that were refused.  Close it with ``page.context.close()``.
    ``javascript=False`` loads pages without running their scripts (plotly.js
    takes most of a page's load time), for tests that read only the HTML.
    """
    context = browser.new_context(offline=True, viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.errors, page.network = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)

    def block(route):
        page.network.append(route.request.url)
        route.abort()

    page.route("http*://**/*", block)
    return page


def reset_page(page, viewport: dict = VIEWPORT) -> None:
    """Make a page made by new_offline_page() as a test expects a new one: a blank document (so that the
    next ``goto`` loads its page afresh even if only the #fragment differs from the page it showed), the
    viewport it was made with, the mouse at the top left corner (where Playwright starts it), and no
    errors or refused requests recorded."""
    page.goto("about:blank")
    if page.viewport_size != viewport:  # setting it lays the page out again: a few hundredths of a second, 300 tests
        page.set_viewport_size(viewport)
    page.mouse.move(0, 0)
    page.errors.clear()
    page.network.clear()


@contextmanager
def offline_page():
    """An offline page in a Chromium of its own, closed on exit."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield new_offline_page(browser)
        finally:
            browser.close()
