"""Debian's Chromium driven by Playwright, offline, for the dashboard and site tests.

The tests drive Chromium's headless shell (Debian's ``chromium-headless-shell``,
the headless build Playwright itself runs by default): the same Blink and V8 at
the same version as Debian's ``chromium``, without the desktop browser's layers,
so it loads and draws the same pages with about a fifth less CPU (TESTING.md).
Where it is not installed they drive ``chromium``. The page-load benchmark and
tools/readme_images.py use ``chromium``, the browser readers have.

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
HEADLESS_SHELL = shutil.which("chromium-headless-shell") or "/usr/bin/chromium-headless-shell"
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


def require_chromium(executable: str = CHROMIUM) -> None:
    """Skip the test (fail it on CI) when Debian's chromium (or the given build of it) is not installed."""
    if not os.path.exists(executable):
        package = os.path.basename(executable)
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {executable}; .ci/run installs Debian's {package}")
        pytest.skip(f"Debian's {package} is not installed (apt-get install {package})")


def browser_for_tests() -> str:
    """The Chromium the tests drive: the headless shell where it is installed (always on CI), else chromium."""
    if os.path.exists(HEADLESS_SHELL) or os.environ.get("CI"):
        return HEADLESS_SHELL
    return CHROMIUM


def launch(playwright, executable: str = CHROMIUM):
    """Start headless Chromium (``executable``: chromium, or its headless shell)."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)


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


# The glob of the site's plotly.js that without_plotly() answers; a test's own route for "**/plotly.min.js"
# is another glob, so that its unroute() leaves this one alone.
SITE_PLOTLY = "**/assets/plotly.min.js"


def _empty_script(route) -> None:
    route.fulfill(status=200, body="", content_type="text/javascript")


def without_plotly(page, empty: bool) -> None:
    """Answer the site's plotly.js with an empty file (``empty``), or let the real one through again.

    After a table page is wired, charts.js fetches plotly.js when the browser is idle and draws every
    chart, whether or not it is on the screen: about a fifth of a second of CPU per page that a test of
    the table, the panel or the links never looks at. Measured on test_site_reader, test_site_links,
    test_site_phone, test_site_a11y, test_home and test_site_corroboration, two runs each way, alternating
    (2026-12-04, two cores): 97.2 and 97.0 s of CPU with the real file, 81.3 and 84.6 s with the empty
    one; 50.9 and 50.6 s of wall time against 42.6 and 44.2 s. Given an empty file, charts.js finds no
    ``Plotly`` and shows each chart's numbers as a table under a note that it could not be drawn, as when
    plotly.js cannot load; no request fails, so nothing reaches the console (tests/test_site.py holds
    this). The tests of the charts (marked ``charts``) get the real file."""
    if empty and not getattr(page, "plotly_emptied", False):
        page.route(SITE_PLOTLY, _empty_script)
    elif not empty and getattr(page, "plotly_emptied", False):
        page.unroute(SITE_PLOTLY, _empty_script)
    page.plotly_emptied = empty


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
