"""The source distribution carries the whole project a contributor works on, not only the package."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
# Left out of the list on purpose: hatch always writes pyproject.toml into an sdist, and reads .gitignore.
LEFT_OUT = {"pyproject.toml", ".gitignore"}


def test_every_tracked_top_level_path_is_in_the_sdist_or_left_out_on_purpose():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout, not an unpacked sdist")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    top = {path.split("/")[0] for path in tracked}
    assert sorted(top - set(INCLUDE) - LEFT_OUT) == []
    # And nothing is listed that does not exist (a renamed folder would silently drop out of the sdist).
    assert sorted(name for name in INCLUDE if not (ROOT / name).exists()) == []
