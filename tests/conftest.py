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
