"""The build: deterministic, atomic, and clear about bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

import aidstats.build.run


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_committed_package_equals_a_fresh_build():
    result = run_cli("validate", "--root", str(ROOT))
    assert result.exit_code == 0, result.output


@pytest.mark.slow  # two builds, each in a fresh interpreter
def test_build_is_deterministic_across_folders_and_environments(tmp_path):
    """Two builds in different folders, time zones, locales and hash seeds."""
    outputs = []
    for i, (tz, lang, seed) in enumerate([("UTC", "C.UTF-8", "1"), ("Asia/Pyongyang", "en_US.UTF-8", "4242")]):
        folder = tmp_path / f"build{i}"
        folder.mkdir()
        (folder / "raw").symlink_to(ROOT / "raw")
        env = os.environ | {"TZ": tz, "LANG": lang, "LC_ALL": lang, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "aidstats", "build", "--root", str(folder)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append(snapshot(folder))
    assert outputs[0] == outputs[1]
    assert outputs[0] == snapshot(ROOT)  # and both equal what is committed


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_all_problems_are_reported_at_once(project_copy):
    edit(project_copy / "raw" / "railway_damage.csv", "tunnels,track_and_structures,67,", "tunnels,track_and_structures,6x7,")
    edit(project_copy / "raw" / "aid_deliveries.csv", "5,China,CHN,nails", "5,China,CHX,nails")
    result = run_cli("build", "--root", str(project_copy))
    assert "raw/railway_damage.csv:10:" in result.output and "raw/aid_deliveries.csv:6:" in result.output


def test_a_failure_while_writing_leaves_the_previous_outputs(project_copy, monkeypatch):
    before = snapshot(project_copy)
    written = []

    def write_then_fail(table, path, **kwargs):
        written.append(path)
        if len(written) == 3:
            raise OSError("disk full (simulated)")
        original(table, path, **kwargs)

    original = aidstats.build.run.pq.write_table
    monkeypatch.setattr(aidstats.build.run.pq, "write_table", write_then_fail)
    with pytest.raises(OSError, match="simulated"):
        aidstats.build.run.build(project_copy)
    assert snapshot(project_copy) == before
    assert not list(project_copy.glob(".build-*")), "the staging folder is removed"


def test_validate_catches_a_changed_committed_file(project_copy):
    path = project_copy / "clean" / "railway_damage.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1036", "1037"), encoding="utf-8")
    result = run_cli("validate", "--root", str(project_copy))
    assert result.exit_code == 1
    assert "clean/railway_damage.csv differs from a fresh build" in result.output
    assert "clean/railway_damage.csv: " in result.output and "sha256" in result.output
