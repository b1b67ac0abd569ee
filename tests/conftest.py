from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidstats.cli import app

ROOT = Path(__file__).resolve().parent.parent
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


# Browser fixtures: one Chromium for the whole session, a fresh offline page per test.


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium, started once per session (per worker under xdist)."""
    from browser import launch, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh offline page (its own context) in the session's Chromium; see browser.new_offline_page."""
    from browser import new_offline_page

    tab = new_offline_page(chromium)
    yield tab
    tab.context.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of the bundled package, written once by ``aidstats site`` for the tests that only read it."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_cli("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def built_dashboard(tmp_path_factory) -> Path:
    """The dashboard of the bundled package, written once by ``aidstats dashboard``."""
    path = tmp_path_factory.mktemp("dash") / "dashboard.html"
    result = run_cli("dashboard", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path
