"""Writing the outputs: all or nothing, and the same bytes in any locale.

`build._swap_in` makes three renames: the old clean/ aside, the new clean/ in,
the new datapackage.json in.  Most tests here make one of them fail and check
that the project folder is exactly as it was before the build: the same
entries, and the same bytes in every output file.
"""

from __future__ import annotations

import errno
import fnmatch
import locale
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

import aidstats.build.run

SWAP_STEPS = ["the old clean/ aside", "the new clean/ in", "the new datapackage.json in"]

pytestmark = pytest.mark.slow  # a whole build each, most with a rename made to fail; test_build keeps one in the fast loop


def _stale_outputs(root: Path) -> None:
    """Make the outputs already in ``root`` differ from what a build writes, so
    that finding the old bytes after a failure proves they were put back
    (a fresh build of the same raw/ would give the committed bytes again)."""
    (root / "clean" / "stale.txt").write_text("left by an earlier build\n", encoding="utf-8")
    with (root / "clean" / "units.csv").open("a", encoding="utf-8") as f:
        f.write("an,edited,line\n")
    (root / "datapackage.json").write_text('{"name": "an earlier build"}\n', encoding="utf-8")


def _fail_rename(monkeypatch, step: int, error: BaseException) -> list:
    """Make the ``step``-th os.replace of the build raise ``error``; the others
    (including the ones that roll back) do what they always do."""
    calls = []
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        calls.append((Path(src), Path(dst)))
        if len(calls) == step:
            raise error
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)  # the one os module: aidstats.package makes the renames
    return calls


def _entries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("step", [1, 2, 3], ids=SWAP_STEPS)
def test_a_failed_rename_puts_the_previous_outputs_back(project_copy, monkeypatch, step):
    _stale_outputs(project_copy)
    before, entries = snapshot(project_copy), _entries(project_copy)
    calls = _fail_rename(monkeypatch, step, OSError(errno.ENOSPC, "No space left on device"))

    with pytest.raises(OSError) as caught:
        aidstats.build.run.build(project_copy)

    assert len(calls) >= step, "the build reached the swap"
    assert snapshot(project_copy) == before
    assert _entries(project_copy) == entries, "nothing added (no staging folder) and nothing lost"
    assert str(caught.value) == (
        f"could not move the new clean/ and datapackage.json into {project_copy} ([Errno 28] No space left on device); "
        "clean/ and datapackage.json are as they were before the build"
    )


def test_a_real_failure_of_the_last_rename_puts_the_old_clean_back(project_copy):
    """No simulation: a folder where datapackage.json should go (once it made the last rename fail; now it is refused up front)."""
    _stale_outputs(project_copy)
    (project_copy / "datapackage.json").unlink()
    (project_copy / "datapackage.json").mkdir()
    (project_copy / "datapackage.json" / "kept.txt").write_text("a user's file\n", encoding="utf-8")
    clean_before = {p.name: p.read_bytes() for p in (project_copy / "clean").iterdir()}
    entries = _entries(project_copy)

    with pytest.raises(OSError, match=r"datapackage.json: it is a folder"):  # refused before anything is written
        aidstats.build.run.build(project_copy)

    assert {p.name: p.read_bytes() for p in (project_copy / "clean").iterdir()} == clean_before
    assert _entries(project_copy) == entries


@pytest.mark.parametrize("step", [2, 3], ids=SWAP_STEPS[1:])
def test_a_first_build_that_fails_to_swap_leaves_no_outputs(tmp_path, monkeypatch, step):
    """A fresh clone has raw/ but no clean/: a failed build must not leave a clean/
    without its datapackage.json (the first rename, of an old clean/, does not happen)."""
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    # With no old clean/ to move aside, the swap's n-th step is its (n-1)-th rename.
    _fail_rename(monkeypatch, step - 1, OSError(errno.EIO, "Input/output error"))

    with pytest.raises(OSError, match="Input/output error"):
        aidstats.build.run.build(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"], "no clean/, no datapackage.json, no staging folder"


def test_an_interrupt_during_the_swap_rolls_back_and_is_not_disguised(project_copy, monkeypatch):
    """Ctrl-C between the renames: the old outputs come back and the interrupt still stops the program."""
    _stale_outputs(project_copy)
    before, entries = snapshot(project_copy), _entries(project_copy)
    _fail_rename(monkeypatch, 3, KeyboardInterrupt())

    with pytest.raises(KeyboardInterrupt):
        aidstats.build.run.build(project_copy)

    assert snapshot(project_copy) == before
    assert _entries(project_copy) == entries


def test_a_successful_build_replaces_both_outputs_and_leaves_no_staging(project_copy):
    _stale_outputs(project_copy)
    aidstats.build.run.build(project_copy)
    assert snapshot(project_copy) == snapshot(ROOT), "stale.txt gone, units.csv and datapackage.json rewritten"
    assert sorted(p.name for p in project_copy.iterdir()) == ["clean", "datapackage.json", "raw"]


def test_the_staging_folder_is_in_the_project_and_ignored_by_git(project_copy, monkeypatch):
    """Staging inside the project keeps the renames on one file system (so each is
    atomic); its name is one .gitignore ignores, so a build killed outright
    leaves nothing that shows up as a change."""
    seen = []
    real_write_csv = aidstats.build.run.write_csv

    def write_csv(table, path):
        seen.append(Path(path).parent.parent)
        real_write_csv(table, path)

    monkeypatch.setattr(aidstats.build.run, "write_csv", write_csv)
    aidstats.build.run.build(project_copy)

    staging = seen[0]
    assert staging.parent == project_copy
    patterns = [line.rstrip("/") for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    assert any(fnmatch.fnmatch(staging.name, pattern) for pattern in patterns), staging.name
    assert not staging.exists()


def test_the_command_reports_a_failed_swap_in_one_line(project_copy, monkeypatch):
    _stale_outputs(project_copy)
    before = snapshot(project_copy)
    _fail_rename(monkeypatch, 3, OSError(errno.ENOSPC, "No space left on device"))

    result = run_cli("build", "--root", str(project_copy))

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert (
        f"could not move the new clean/ and datapackage.json into {project_copy} ([Errno 28] No space left on device); "
        "clean/ and datapackage.json are as they were before the build"
    ) in line
    assert snapshot(project_copy) == before


def test_outputs_are_utf8_whatever_the_locale(project_copy):
    """A user whose locale is not UTF-8 (here the C locale, ASCII) gets the same
    bytes: datapackage.json holds curly quotes and other non-ASCII text."""
    before = snapshot(project_copy)
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
        assert locale.getpreferredencoding(False) != "UTF-8", "the test really runs in a non-UTF-8 locale"
        aidstats.build.run.build(project_copy)
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert snapshot(project_copy) == before
