from __future__ import annotations

import fcntl
import gc
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from aidstats.cli import app

# No test asserts a time (TESTING.md): hypothesis's per-example deadline (200 ms) and its too-slow health check
# are timings, and failed test_properties on a loaded machine, so every hypothesis test runs without them.
settings.register_profile("aidstats", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("aidstats")

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The whole paper, as laid beside the project (../shared/source); CI has it too.
PAPER = ROOT.parent / "shared" / "source" / "000_f1b226380e4620e3.txt"


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of raw/ and the committed outputs in a temporary folder."""
    for name in ("raw", "clean"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    return tmp_path


def run_cli(*args: str):
    return CliRunner().invoke(app, list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes, to prove a failed build changed nothing."""
    files = [*sorted((folder / "clean").glob("*")), folder / "datapackage.json"]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


# Browser fixtures: one Chromium for the whole session, and one offline tab in it that every test's
# `page` is, reset to a blank page before each test (browser.reset_page).


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (its headless shell: browser.browser_for_tests), started once per session (per worker under xdist)."""
    from browser import browser_for_tests, launch, require_chromium

    executable = browser_for_tests()
    require_chromium(executable)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _tabs() -> dict:
    """The session's offline tab, made by the first test that asks for ``page``."""
    return {}


@pytest.fixture
def page(request, chromium, _tabs):
    """An offline page in the session's Chromium (see browser.new_offline_page), blank, at the default viewport,
    with no errors or refused requests recorded. It is the same tab for every test of the session: a tab that
    has loaded a page before loads the next in about a third of the time (Chromium keeps the plotly.js it
    compiled), while a new tab or context compiles it again (about a second a page). A tab that cannot be
    reset (closed, crashed) is replaced by a new one.

    The site's plotly.js reaches the tab only in a test marked ``charts``; any other test gets an empty file
    in its place (browser.without_plotly), and the charts of its pages say they could not be drawn."""
    from browser import new_offline_page, reset_page, without_plotly

    tab = _tabs.get("page")
    try:
        if tab is None or tab.is_closed():
            raise LookupError("no tab yet")
        reset_page(tab)
    except Exception:  # the previous test left the tab unusable: start afresh
        if tab is not None and not tab.is_closed():
            tab.context.close()
        tab = _tabs["page"] = new_offline_page(chromium)
        reset_page(tab)
    without_plotly(tab, request.node.get_closest_marker("charts") is None)
    yield tab


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of the bundled package, written once per run by ``aidstats site`` for the tests that only read it."""

    def write(folder: Path) -> None:
        result = run_cli("site", "-o", str(folder / "site"))
        assert result.exit_code == 0, result.output

    return made_once(tmp_path_factory, "site", write) / "site"


@pytest.fixture(scope="session")
def built_dashboard(tmp_path_factory) -> Path:
    """The dashboard of the bundled package, written once per run by ``aidstats dashboard``."""

    def write(folder: Path) -> None:
        result = run_cli("dashboard", "-o", str(folder / "dashboard.html"))
        assert result.exit_code == 0, result.output

    return made_once(tmp_path_factory, "dashboard", write) / "dashboard.html"


# Markers (registered in pyproject.toml; TESTING.md says what runs where). A test that asks for one of
# these fixtures, directly or through another fixture, gets the marker without writing it.
# slow: a wheel built, a fresh virtual environment installed, a whole site or dashboard written (test_escaping's too).
SLOW_FIXTURES = {"wheel", "light_env", "viz_env", "built_site", "built_dashboard", "hostile_site", "hostile_dashboard"}
BROWSER_FIXTURES = {"chromium", "page"}  # Debian's Chromium
# A whole build takes about half a second of CPU and validate about a second. The fast loop keeps these builds:
# the committed package against a fresh build, validate finding a changed file, build and validate without
# --root, a failure while writing (test_build.py, test_claims.py), invalid UTF-8 (test_bad_input.py), the
# damaged citation (test_crosscheck.py), the messages of test_build_messages.py and the hostile package
# (test_escaping.py). The other single-fault builds are marked slow where they are written ("a whole build of
# a faulty copy"), and so is writing each export a second time: under coverage (`coverage run --branch -m
# pytest -m "not slow and not browser" -n 0`, a context per test) no line or branch of aidstats/ that the fast
# loop ran before is run only by them.


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        asked = set(getattr(item, "fixturenames", ()))
        if asked & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        if asked & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


# The garbage collector. By the end of collection a process holds a few million objects (pandas, pyarrow,
# plotly's validators, pandera, the collected tests), none of them garbage. Frozen (gc.freeze), they are
# left out of every later collection: full collections during the tests walk only what the tests made,
# and the interpreter's last collection at exit, which walked them all for 2-3 s after the last test
# (while pytest-xdist waited for its workers), has little to do. Measured on the fast loop, alternating runs
# with and without: 5-6 s less wall time on two cores (TESTING.md).


def pytest_collection_finish(session):
    gc.freeze()


def pytest_unconfigure(config):
    gc.freeze()


# Made once per run: under pytest-xdist each worker is a process of its own, so a session fixture alone
# would build the same wheel, environment or site once per worker. made_once() lets the first worker
# that asks make it in the run's shared temporary folder while the others wait for it and then reuse it.


def mutating() -> bool:
    """Whether mutmut runs these tests (it sets MUTANT_UNDER_TEST). mutmut runs, for each mutant, only the
    tests that called the mutated function; so under mutmut every test writes what it reads afresh
    rather than reading what an earlier test wrote."""
    return "MUTANT_UNDER_TEST" in os.environ


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``name``, filled by ``make(folder)`` once per test run, whichever worker asks first."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, which holds each worker's own
    folder, done = base / name, base / f"{name}.done"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if make() fails
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def make_env(folder: Path, requirement: str) -> Path:
    """A fresh virtual environment at ``folder`` holding ``requirement`` and what it depends on, resolved
    from the package index; nothing of this environment. uv makes it where uv is installed (the test
    extra brings it: seconds, from its cache); otherwise venv without pip, and this environment's pip
    installs into it (``pip --python``), without compiling bytecode (Python compiles what it imports)."""
    python = folder / "bin" / "python"
    uv = shutil.which("uv", path=str(VENV_BIN))
    if uv:
        commands = [
            [uv, "venv", "-q", "--python", sys.executable, str(folder)],
            [uv, "pip", "install", "-q", "--python", str(python), requirement],
        ]
    else:
        venv.create(folder)
        commands = [[sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile", requirement]]
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, f"could not install {requirement} into a fresh virtual environment:\n{done.stderr}"
    return folder


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built once per run by pip as a user would, for every test that reads or installs it."""

    def build(folder: Path) -> None:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(ROOT)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr

    (built,) = made_once(tmp_path_factory, "wheel", build).glob("aidstats-*.whl")
    return built


@pytest.fixture(scope="session")
def light_env(wheel, tmp_path_factory) -> Path:
    """`pip install aidstats`: a fresh virtual environment with the wheel and its plain dependencies, no extra."""
    return made_once(tmp_path_factory, "light", lambda folder: make_env(folder / "venv", str(wheel))) / "venv"


@pytest.fixture(scope="session")
def viz_env(wheel, tmp_path_factory) -> Path:
    """`pip install "aidstats[viz,export]"`: a fresh virtual environment with the wheel, the viz and export extras and their dependencies."""
    return made_once(tmp_path_factory, "viz", lambda folder: make_env(folder / "venv", f"{wheel}[viz,export]")) / "venv"
