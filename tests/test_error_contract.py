"""The error contract of the command line: every mistake a user can make gives
one line on stderr starting "Error:", exit status 1 (the command could not do
its work) or 2 (the command line is wrong), and never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

CLI = Path(sys.executable).parent / "aidstats"  # the installed console script


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# (case, command line, exit status, words the message must hold). In the command
# lines, {tmp} is an empty folder, {file} a regular file in it, {port} a closed port.
CASES = [
    # build: its input folder (--root) is also its output folder.
    ("build: missing input folder", "build --root {tmp}/missing", 1, "no such folder: {tmp}/missing"),
    ("build: folder without raw/", "build --root {tmp}", 1, "no raw/ folder in {tmp}"),
    ("build: input is a file", "build --root {file}", 2, "is a file"),
    ("build: unknown option", "build --rot {tmp}", 2, "No such option: --rot"),
    ("validate: missing input folder", "validate --root {tmp}/missing", 1, "no such folder: {tmp}/missing"),
    ("validate: folder without raw/", "validate --root {tmp}", 1, "no raw/ folder in {tmp}"),
    ("validate: input is a file", "validate --root {file}", 2, "is a file"),
    ("list: missing input folder", "list --source {tmp}/missing", 1, "no such folder or file: {tmp}/missing"),
    ("list: folder without a package", "list --source {tmp}", 1, "{tmp}"),
    ("list: unknown option", "list --rows 3", 2, "No such option: --rows"),
    ("show: unknown table", "show railways", 2, "no table named 'railways'; the tables are: sources,"),
    ("show: unknown table in another package", f"show railways --source {ROOT}", 2, "railway_damage"),
    ("show: missing input folder", "show caveats --source {tmp}/missing", 1, "no such folder or file: {tmp}/missing"),
    ("show: negative row count", "show caveats --rows -1", 2, "'--rows'"),
    ("show: row count not a number", "show caveats --rows many", 2, "'--rows'"),
    ("cite: unknown table", "cite railways", 2, "no table named 'railways'; the tables are: sources,"),
    ("cite: unknown option", "cite --bibtext", 2, "No such option: --bibtext"),
    ("dashboard: missing output folder", "dashboard -o {tmp}/missing/x.html", 1, "{tmp}/missing is no such folder"),
    ("dashboard: output folder is a file", "dashboard -o {file}/x.html", 1, "{file} is a file, not a folder"),
    ("dashboard: output is a folder", "dashboard -o {tmp}", 2, "is a directory"),
    ("package: output folder is a file", "package --out {file}", 2, "is a file"),
    ("package: output inside a file", "package --out {file}/dist", 1, "cannot make the release archive: Not a directory: {file}/dist"),
    ("download: connection refused", "download http://127.0.0.1:{port}/datapackage.json --dest {tmp}/data", 1, "download failed:"),
    ("download: output folder is a file", "download --dest {file}", 2, "is a file"),
    ("download: no time to wait", "download --timeout 0", 2, "'--timeout'"),
    ("download: time not a number", "download --timeout soon", 2, "'--timeout'"),
    ("site: output folder is a file", "site -o {file}", 2, "is a file"),
    ("site: output inside a file", "site -o {file}/site", 1, "cannot make the site: Not a directory: {file}/site"),
    ("diff: missing input folder", "diff {tmp}/missing {tmp}", 1, "no such folder or file: {tmp}/missing"),
    ("diff: folder without a package", "diff {tmp} {tmp}", 1, "no data package at {tmp}: expected a data package folder"),
    ("diff: input is a plain file", "diff {file} {tmp}", 1, "no data package at {file}"),
    ("diff: one package only", "diff {tmp}", 2, "Missing argument 'new'"),
    ("diff: JSON output inside a file", f"diff {ROOT} {ROOT} --json {{file}}/d.json", 1, "cannot write {file}/d.json: Not a directory"),
    ("diff: JSON output is a folder", f"diff {ROOT} {ROOT} --json {{tmp}}", 2, "is a directory"),
    ("export: unknown format", "export pdf --out {tmp}/out", 2, "no export format 'pdf'; expected one of: xlsx, stata, sqlite"),
    ("export: no format", "export --out {tmp}/out", 2, "Missing argument 'format'"),
    ("export: output folder is a file", "export stata --out {file}", 2, "is a file"),
    ("export: output inside a file", "export sqlite --out {file}/out", 1, "cannot export sqlite: Not a directory: {file}/out"),
    ("export: missing input folder", "export xlsx --source {tmp}/missing --out {tmp}/out", 1, "no such folder or file: {tmp}/missing"),
    ("export: folder without a package", "export stata --source {tmp} --out {tmp}/out", 1, "no data package at {tmp}"),
    ("unknown command", "nonsense", 2, "No such command 'nonsense'"),
]


def filled(text: str, tmp: Path, port: int) -> str:
    return text.format(tmp=tmp, file=tmp / "notes.txt", port=port)


@pytest.fixture
def sleeps(monkeypatch) -> list:
    """The waits pooch makes between retries (1 s, then 2 s), recorded instead of slept: a refused download is
    still tried three times, without three seconds of waiting (as in test_download.py)."""
    import pooch.core

    waited = []
    monkeypatch.setattr(pooch.core, "time", types.SimpleNamespace(sleep=waited.append))
    return waited


@pytest.mark.parametrize(("args", "status", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_mistake_gives_one_line_and_a_status(tmp_path, args, status, words, sleeps):
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    port = free_port()
    result = run_cli(*filled(args, tmp_path, port).split())
    assert result.exit_code == status, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert filled(words, tmp_path, port) in lines[0]
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"], "a failed command leaves nothing behind"


def test_the_table_covers_every_command():
    from aidstats.cli import app

    commands = {command.name or command.callback.__name__ for command in app.registered_commands}
    assert commands == {case[1].split()[0] for case in CASES} - {"nonsense"}


@pytest.mark.slow  # the installed entry point, a fresh interpreter each
@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["dashboard", "-o", "/nonexistent-aidstats-folder/dir/x.html"], 1, "/nonexistent-aidstats-folder/dir is no such folder"),
        (["build", "--root", "/nonexistent-aidstats-folder"], 1, "no such folder: /nonexistent-aidstats-folder"),
        (["show", "mineral_exports", "--rows", "x"], 2, "'--rows'"),
        (["show", "railways"], 2, "no table named 'railways'"),
    ],
)
def test_the_installed_command_shows_no_traceback_in_a_terminal(args, status, words):
    done = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: ") and words in done.stderr, done.stderr


@pytest.mark.parametrize(
    "args", [["list"], ["show", "caveats"], ["cite", "caveats"], ["package", "--out", "{tmp}/dist"], ["dashboard", "-o", "{tmp}/x.html"]]
)
def test_a_missing_bundled_package_is_one_line(tmp_path, monkeypatch, args):
    message = f"no datapackage.json in {tmp_path}; run 'aidstats build' in a checkout"

    def nowhere():
        raise FileNotFoundError(message)

    monkeypatch.setattr("aidstats.loader.data_root", nowhere)
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"


def test_version():
    from aidstats.metadata import VERSION

    result = run_cli("--version")
    assert result.exit_code == 0 and result.stdout == f"aidstats {VERSION}\n"
    done = subprocess.run([CLI, "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == f"aidstats {VERSION}\n"
