"""The output-path contract (issue 22, item 1), checked over every command that writes × every kind of target.

A regular file or a missing path is written (atomically, see :mod:`aidstats.package`); a folder
where a file belongs, a symbolic link, a named pipe, a device are refused in one ``Error:`` line
that names the path, before anything is written; a folder output refuses anything but a folder (a
link to a folder is written into and kept); an unwritable folder is one line; and no run leaves a
temporary file behind.

:data:`TABLE` gives the expected exit status of every output × kind of target; :data:`SCENARIOS`
are the runs that check it.  A refusal is checked by a run of its own, and must leave every path
under the test's folder exactly as it was.  A success of the slow commands (``build``, ``site``,
``package``, the release script) is checked in runs that plant several compatible kinds at once.

No target is ever a path under ``/dev``: the character device is made with ``mknod`` inside the
test's own folder, so a command that still replaced its target would replace only that.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from aidstats.loader import list_tables
from aidstats.metadata import VERSION
from aidstats.package import verify

ARCHIVE = f"aidstats-data-{VERSION}.zip"
KINDS = ["missing", "file", "folder", "link-file", "link-folder", "fifo", "device", "unwritable", "part"]
KIND_WORDS = {
    "missing": "nothing there",
    "file": "a regular file",
    "folder": "a folder",
    "link-file": "a symbolic link to a file",
    "link-folder": "a symbolic link to a folder",
    "fifo": "a named pipe",
    "device": "a character device (made with mknod in the test's folder)",
    "unwritable": "a folder that cannot be written (chattr +i)",
    "part": "a file <name>.part beside it (someone else's)",
}

# What a refusal in one line says it found at the target, for each kind planted there.
FOUND = {
    "file": "a regular file",
    "folder": "a folder",
    "link-file": "a symbolic link",
    "link-folder": "a symbolic link",
    "fifo": "a named pipe",
    "device": "a character device",
}

# Exit status of each output for each kind of target: 0 written, 1 refused by aidstats in one
# line, 2 refused by the command line's own check of the option (click: "is a directory", "is a
# file"), "." not a case.  A row "(inside)" plants the kind at the last file the command writes in
# its folder: every target is checked before the first is written.  For a folder output, "file"
# is a file where the folder belongs (inside: the previous output, replaced), and "part" a stray
# <file>.part beside the file inside.
TABLE = """
output                   missing  file  folder  link-file  link-folder  fifo  device  unwritable  part
dashboard                0        0     2       1          2            1     1       1           0
diff --json              0        0     2       1          2            1     1       1           0
export xlsx              0        2     0       2          0            1     1       1           .
export xlsx (inside)     .        0     1       1          1            1     1       .           0
export stata             0        2     0       2          0            1     1       1           .
export stata (inside)    .        0     1       1          1            1     1       .           0
export sqlite            0        2     0       2          0            1     1       1           .
export sqlite (inside)   .        0     1       1          1            1     1       .           0
package                  0        2     0       2          0            1     1       1           .
package (inside)         .        0     1       1          1            1     1       .           0
release                  0        1     0       1          0            1     1       1           .
release (inside)         .        0     1       1          1            1     1       .           0
download                 0        2     0       2          0            1     1       1           .
download (inside)        .        0     1       1          1            1     1       .           0
site                     0        2     0       2          0            1     1       1           .
site (inside)            .        0     1       1          1            1     1       .           0
build clean              0        1     0       1          0            1     1       1           .
build datapackage.json   0        0     1       1          1            1     1       1           0
"""


def _parse(table: str) -> dict[tuple[str, str], int]:
    lines = table.strip().splitlines()
    assert lines[0].split()[1:] == KINDS
    expected = {}
    for line in lines[1:]:
        words = line.split()
        output, statuses = " ".join(words[: -len(KINDS)]), words[-len(KINDS) :]
        expected |= {(output, kind): int(status) for kind, status in zip(KINDS, statuses, strict=True) if status != "."}
    return expected


EXPECTED = _parse(TABLE)

OLD, LINKED, STRAY, KEPT = b"an older output\n", b"the file a link leads to\n", b"someone else's .part\n", b"a file of the user's\n"


# --- the commands -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One output of a command: where it goes under a run's folder, and how to run and check it."""

    command: str  # the key of RUNNERS
    path: str  # relative to the run's folder
    folder: bool  # a folder output?
    inner: str | None = None  # for the "(inside)" row: the last file written in the folder
    whole: bool = False  # a folder the command owns whole (build's clean/): replaced, not written into


def _last_clean_file() -> str:
    resources = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    return sorted(r["path"] for r in resources)[-1]


OUTPUTS = {
    "dashboard": Output("dashboard", "out/dashboard.html", folder=False),
    "diff --json": Output("diff", "out/diff.json", folder=False),
    **{
        f"export {fmt}": Output(f"export {fmt}", "out/exports", folder=True, inner=inner)
        for fmt, inner in [
            ("xlsx", "aidstats.xlsx"),
            ("stata", f"{list_tables(ROOT)[-1]}.dta"),
            ("sqlite", "metadata.json"),
        ]
    },
    "package": Output("package", "out/dist", folder=True, inner=f"{ARCHIVE}.sha256"),
    "release": Output("release", "out/dist", folder=True, inner=f"{ARCHIVE}.sha256"),
    "download": Output("download", "out/data", folder=True, inner=_last_clean_file()),
    "site": Output("site", "out/site", folder=True, inner="index.html"),
    "build clean": Output("build", "project/clean", folder=True, whole=True),
    "build datapackage.json": Output("build", "project/datapackage.json", folder=False),
}
for _name in list(OUTPUTS):
    if OUTPUTS[_name].inner:
        OUTPUTS[f"{_name} (inside)"] = OUTPUTS[_name]


@dataclass
class Ran:
    status: int
    stdout: str
    stderr: str


def _cli(*args) -> Ran:
    result = run_cli(*map(str, args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    return Ran(result.exit_code, result.stdout, result.stderr)


def _release(base: Path, target: Path, monkeypatch) -> Ran:
    """``python -m aidstats.publish.release --out TARGET``, in this process, recording into a registry of the test's own."""
    from aidstats.publish import release

    monkeypatch.setattr(release, "REGISTRY", base / "registry.txt")
    out, err, status = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            release.main(["--out", str(target)])
        except SystemExit as done:
            status = done.code
    return Ran(status, out.getvalue(), err.getvalue())


# How to run each command: (the run's folder, the target, monkeypatch, a copy of the package) -> what it did.
RUNNERS: dict[str, Callable[[Path, Path, object, Path], Ran]] = {
    "dashboard": lambda base, target, mp, pkg: _cli("dashboard", "-o", target),
    "diff": lambda base, target, mp, pkg: _cli("diff", pkg, pkg, "--json", target),
    "export xlsx": lambda base, target, mp, pkg: _cli("export", "xlsx", "--out", target),
    "export stata": lambda base, target, mp, pkg: _cli("export", "stata", "--out", target),
    "export sqlite": lambda base, target, mp, pkg: _cli("export", "sqlite", "--out", target),
    "package": lambda base, target, mp, pkg: _cli("package", "--out", target),
    "release": lambda base, target, mp, pkg: _release(base, target, mp),
    "download": lambda base, target, mp, pkg: _cli("download", (pkg / "datapackage.json").as_uri(), "--dest", target),
    "site": lambda base, target, mp, pkg: _cli("site", "-o", target),
    "build": lambda base, target, mp, pkg: _cli("build", "--root", base / "project"),
}


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    """The bundled package, copied once, for diff and download to read (not the checkout, which may be rebuilt meanwhile)."""
    folder = tmp_path_factory.mktemp("package")
    shutil.copytree(ROOT / "clean", folder / "clean")
    shutil.copy(ROOT / "datapackage.json", folder)
    assert verify(folder) == []
    return folder


def _produced(output: Output, target: Path, base: Path) -> None:
    """What a successful run must have written at ``target``."""
    command = output.command
    if command == "dashboard":
        assert b"<html" in target.read_bytes()[:2000] and target.stat().st_size > 100_000
    elif command == "diff":
        assert isinstance(json.loads(target.read_text(encoding="utf-8")), dict)
    elif command == "export xlsx":
        assert zipfile.is_zipfile(target / "aidstats.xlsx")
    elif command == "export stata":
        assert {p.name for p in target.glob("*.dta")} == {f"{name}.dta" for name in list_tables(ROOT)}
    elif command == "export sqlite":
        assert (target / "aidstats.db").read_bytes().startswith(b"SQLite format 3\0")
        assert "databases" in json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    elif command in ("package", "release"):
        digest = hashlib.sha256((target / ARCHIVE).read_bytes()).hexdigest()
        assert (target / f"{ARCHIVE}.sha256").read_text(encoding="utf-8") == f"{digest}  {ARCHIVE}\n"
        if command == "release":
            assert (base / "registry.txt").read_text(encoding="utf-8").strip().endswith(f"{ARCHIVE} {digest}")
    elif command == "download":
        assert verify(target) == [] and (target / ".aidstats-origin.json").is_file()
    elif command == "site":
        for name in ("index.html", "assets/site.js", "data/datapackage.json", "exports/xlsx/aidstats.xlsx", ARCHIVE):
            assert (target / name).is_file(), name
    elif command == "build":
        project = base / "project"
        assert json.loads((project / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        assert {p.name for p in (project / "clean").glob("*.csv")} == {f"{name}.csv" for name in list_tables(ROOT)}
    else:
        raise AssertionError(f"no check for {command}")


# --- the runs that check the table ------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One run: the kinds planted (output row, kind), and what each must give (the table's status)."""

    plants: tuple[tuple[str, str], ...]

    @property
    def id(self) -> str:
        return " + ".join(f"{row}: {kind}" for row, kind in self.plants)


SLOW = {"site", "package", "release", "build"}


def _scenarios() -> list[Scenario]:
    runs: list[Scenario] = []
    grouped: set[tuple[str, str]] = set()
    # The successes of the slow commands, several kinds to a run.
    for name in ("site", "package", "release"):
        inside = f"{name} (inside)"
        runs += [
            Scenario(((name, "missing"),)),
            Scenario(((name, "folder"), (inside, "file"), (inside, "part"))),
            Scenario(((name, "link-folder"),)),
        ]
        grouped |= {(name, "missing"), (name, "folder"), (inside, "file"), (inside, "part"), (name, "link-folder")}
    runs += [
        Scenario((("build clean", "missing"), ("build datapackage.json", "missing"))),  # a fresh clone
        Scenario((("build clean", "folder"), ("build datapackage.json", "file"), ("build datapackage.json", "part"))),  # a rebuild
        Scenario((("build clean", "link-folder"), ("build datapackage.json", "file"))),
    ]
    grouped |= {("build clean", k) for k in ("missing", "folder", "link-folder")}
    grouped |= {("build datapackage.json", k) for k in ("missing", "file", "part")}
    for row, kind in EXPECTED:
        if (row, kind) in grouped:
            continue
        if row.endswith("(inside)"):
            # The folder exists (with a file of the user's); the kind is planted at the file inside.
            runs.append(Scenario(((row.removesuffix(" (inside)"), "folder"), (row, kind))))
        else:
            runs.append(Scenario(((row, kind),)))
    return runs


SCENARIOS = _scenarios()


def _status(scenario: Scenario) -> int:
    """The status the table gives a run: the worst of its plants (a folder planted to hold a refused file is not refused)."""
    return max(EXPECTED[plant] for plant in scenario.plants)


# --- planting the kinds -----------------------------------------------------------------------


@cache
def _can(what: str) -> str | None:
    """None if ``what`` ("chattr" or "mknod") works here, else why not."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        try:
            if what == "mknod":
                os.mknod(probe, stat.S_IFCHR | 0o666, os.makedev(1, 3))
                return None
            probe.mkdir()
            done = subprocess.run(["chattr", "+i", probe], capture_output=True, text=True)
            if done.returncode:
                return f"chattr +i fails here ({done.stderr.strip()})"
            subprocess.run(["chattr", "-i", probe], check=True)
            return None
        except OSError as err:
            return f"{what} is not possible here ({err})"


def _plant(path: Path, kind: str, base: Path, output: Output, inside: bool) -> None:
    elsewhere = base / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    if kind in ("missing", "unwritable"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        return
    if kind == "part":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_name(path.name + ".part").write_bytes(STRAY)
        return
    _plant(path, "missing", base, output, inside)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "file":
        path.write_bytes(OLD)
    elif kind == "folder":
        path.mkdir()
        if not output.whole:
            (path / "kept.txt").write_bytes(KEPT)
        else:
            (path / "stale.csv").write_bytes(OLD)  # a folder the command owns: replaced whole
    elif kind == "link-file":
        (elsewhere / "linked.txt").write_bytes(LINKED)
        path.symlink_to(elsewhere / "linked.txt")
    elif kind == "link-folder":
        (elsewhere / "linked-folder").mkdir()
        (elsewhere / "linked-folder" / "kept.txt").write_bytes(KEPT)
        path.symlink_to(elsewhere / "linked-folder", target_is_directory=True)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # inside the test's folder, never /dev
    else:
        raise AssertionError(kind)


def _state(base: Path) -> dict[str, tuple]:
    """Every path under ``base``: its kind and content (a file's sha256, a link's target, a device's number); nothing is opened but regular files."""
    state = {}
    for path in [base, *sorted(base.rglob("*"))]:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode):
            detail = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            detail = os.readlink(path)
        elif stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            detail = info.st_rdev
        else:
            detail = None
        state[str(path.relative_to(base))] = (stat.S_IFMT(info.st_mode), detail)
    return state


def _leftovers(base: Path) -> list[str]:
    """Temporary files and staging folders under ``base`` (a .part, or a hidden .build-/.aidstats- folder)."""
    return sorted(
        str(p.relative_to(base))
        for p in base.rglob("*")
        if p.name.endswith(".part") or p.name.startswith((".build-", ".aidstats-site-", ".aidstats-download-"))
    )


@contextlib.contextmanager
def _frozen(folder: Path):
    """``folder`` immutable (chattr +i: as root, permissions alone would not stop a write), for the ``with`` block."""
    subprocess.run(["chattr", "+i", folder], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", folder], check=True)


# --- the test ---------------------------------------------------------------------------------


def _marks(scenario: Scenario) -> tuple:
    """A run that writes a whole site, package, release, build, dashboard, workbook or set of .dta files
    takes seconds: slow (TESTING.md). The refusals, and the quick writers, stay in the fast loop."""
    (command,) = {OUTPUTS[row].command for row, _ in scenario.plants}
    quick = {"diff", "download", "export sqlite"}
    return (pytest.mark.slow,) if _status(scenario) == 0 and command not in quick else ()


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.id, marks=_marks(s)) for s in SCENARIOS])
def test_every_output_and_kind_of_target(scenario: Scenario, tmp_path: Path, monkeypatch, package_copy) -> None:
    kinds = {kind for _, kind in scenario.plants}
    for kind, tool in (("unwritable", "chattr"), ("device", "mknod")):
        if kind in kinds and (why := _can(tool)):
            pytest.skip(f"{why}: as root, nothing else makes a folder unwritable or a device file" if kind == "unwritable" else why)
    outputs = [OUTPUTS[row] for row, _ in scenario.plants]
    (command,) = {output.command for output in outputs}
    base = tmp_path
    (base / "out").mkdir()
    if command == "build":
        for name in ("raw", "clean"):
            shutil.copytree(ROOT / name, base / "project" / name)
        shutil.copy(ROOT / "datapackage.json", base / "project" / "datapackage.json")
    main = outputs[0]
    target = base / main.path
    planted = {}  # the path each plant is at, by (row, kind)
    for (row, kind), output in zip(scenario.plants, outputs, strict=True):
        inside = row.endswith("(inside)")
        path = base / output.path / output.inner if inside else base / output.path
        _plant(path, kind, base, output, inside)
        planted[row, kind] = path
    strays = sorted(str(p.with_name(p.name + ".part").relative_to(base)) for (_, kind), p in planted.items() if kind == "part")
    expected = _status(scenario)

    frozen = contextlib.nullcontext()
    if "unwritable" in kinds:
        if command == "build":
            frozen = _frozen(base / "project")
        elif main.folder:
            target.mkdir()
            frozen = _frozen(target)
        else:
            frozen = _frozen(target.parent)
    pipes = [os.open(p, os.O_RDWR | os.O_NONBLOCK) for (_, kind), p in planted.items() if kind == "fifo"]  # no open() can block
    before = _state(base)
    try:
        with frozen:
            ran = RUNNERS[command](base, target, monkeypatch, package_copy)
            after = _state(base)
        for pipe in pipes:
            with pytest.raises(BlockingIOError):
                os.read(pipe, 1)  # nothing was written into the pipe
    finally:
        for pipe in pipes:
            os.close(pipe)

    assert ran.status == expected, f"{scenario.id}: expected status {expected}, got {ran.status}\n{ran.stdout}{ran.stderr}"
    assert _leftovers(base) == strays, "a temporary file or staging folder was left behind"
    if expected:
        lines = ran.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), ran.stderr
        (row, kind), path = next((p, path) for p, path in planted.items() if EXPECTED[p])
        named = (base / "project" if command == "build" else target) if kind == "unwritable" else path
        assert str(named) in lines[0], f"the message does not name {named}: {lines[0]}"
        if expected == 1 and kind in FOUND:  # and says what it found there (an unwritable folder: the system's words)
            assert f"it is {FOUND[kind]}" in lines[0], f"the message does not say what is at {named}: {lines[0]}"
        assert "Traceback" not in ran.stderr and ran.stdout == ""
        assert after == before, "a refused command changed something"
        return

    _produced(main, target, base)
    for (row, kind), path in planted.items():
        output = OUTPUTS[row]
        if kind == "part":
            assert path.with_name(path.name + ".part").read_bytes() == STRAY, "someone else's .part was touched"
        if kind == "file":
            assert path.read_bytes() != OLD, f"{path} was not replaced"
        if kind == "folder" and not output.whole:
            assert (path / "kept.txt").read_bytes() == KEPT, "a file of the user's in the folder was touched"
        if kind == "folder" and output.whole:
            assert not (path / "stale.csv").exists(), "the folder the command owns was not replaced whole"
        if kind == "link-folder":
            assert path.is_symlink() and os.readlink(path) == str(base / "elsewhere" / "linked-folder"), "the link was replaced"
            if not output.whole:
                assert (path / "kept.txt").read_bytes() == KEPT


def test_the_table_covers_every_command_that_writes_and_every_kind():
    from aidstats.cli import app

    commands = {command.name or command.callback.__name__ for command in app.registered_commands}
    writing = commands - {"validate", "list", "show", "cite"}  # these write nothing
    assert {output.command.split()[0] for output in OUTPUTS.values()} == writing | {"release"}
    assert {row for row, _ in EXPECTED} == set(OUTPUTS)
    for row, output in OUTPUTS.items():
        # "missing" and "unwritable" inside are the folder's own; a stray .part sits beside a file.
        inside = row.endswith("(inside)")
        want = set(KINDS) - ({"missing", "unwritable"} if inside else {"part"} if output.folder else set())
        assert {kind for r, kind in EXPECTED if r == row} == want, row
    covered = {plant for scenario in SCENARIOS for plant in scenario.plants}
    assert set(EXPECTED) == covered, sorted(set(EXPECTED) ^ covered)
    for scenario in SCENARIOS:
        refused = [plant for plant in scenario.plants if EXPECTED[plant]]
        assert len(refused) <= 1, f"{scenario.id}: one refusal to a run, so that each is seen"


def test_a_temporary_file_has_a_name_of_its_own(tmp_path):
    """aidstats' temporary files are ``.<name>.<random>.part``: never <name>.part, which may be someone else's."""
    from aidstats.package import output_file

    (tmp_path / "x.csv.part").write_bytes(STRAY)
    with output_file(tmp_path / "x.csv") as partial:
        assert partial.parent == tmp_path and partial.name.startswith(".x.csv.") and partial.name.endswith(".part")
        partial.write_bytes(b"new\n")
    assert (tmp_path / "x.csv").read_bytes() == b"new\n" and (tmp_path / "x.csv.part").read_bytes() == STRAY


def test_a_failed_move_puts_every_output_back(tmp_path, monkeypatch):
    """move_in is all or none: a failure at the last move puts back every file and folder already moved."""
    from aidstats.errors import OutputError
    from aidstats.package import move_in

    out, staging = tmp_path / "out", tmp_path / "staging"
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "old.js").write_bytes(OLD)
    (out / "page.html").write_bytes(OLD)
    (staging / "assets").mkdir(parents=True)
    (staging / "assets" / "new.js").write_bytes(b"new\n")
    (staging / "page.html").write_bytes(b"new\n")
    (staging / "index.html").write_bytes(b"new\n")
    before = _state(out)
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if Path(dst) == out / "index.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    moves = [(staging / name, out / name) for name in ("assets", "page.html", "index.html")]
    with pytest.raises(OutputError, match=f"cannot write {out / 'index.html'}: No space left on device") as err:
        move_in(moves, staging / "old")
    assert _state(out) == before
    assert (err.value.errno, err.value.filename) == (errno.ENOSPC, str(out / "index.html"))  # the user's path


def test_a_failed_move_puts_back_what_it_removed_the_folders_it_made_and_a_file_kept_by_copy(tmp_path, monkeypatch):
    """The same, for a record removed first, a folder made for a target, and an old file kept by copying it
    (where the file system makes no hard links), with the folder for the old outputs already there."""
    from aidstats.errors import OutputError
    from aidstats.package import move_in

    out, staging = tmp_path / "out", tmp_path / "staging"
    out.mkdir()
    (out / "page.html").write_bytes(OLD)
    (out / "record.json").write_bytes(OLD)
    (staging / "old").mkdir(parents=True)
    for name in ("page.html", "extra.txt", "index.html"):
        (staging / name).write_bytes(b"new\n")
    before = _state(out)
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == out / "index.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    def no_link(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "link", no_link)
    moves = [
        (staging / "page.html", out / "page.html"),
        (staging / "extra.txt", out / "new" / "extra.txt"),
        (staging / "index.html", out / "index.html"),
    ]
    with pytest.raises(OutputError, match=f"cannot write {out / 'index.html'}: No space left on device"):
        move_in(moves, staging / "old", remove=[out / "record.json"])
    assert _state(out) == before


def test_move_in_takes_away_what_it_is_asked_to_remove(tmp_path):
    from aidstats.package import move_in

    out, staging = tmp_path / "out", tmp_path / "staging"
    out.mkdir()
    (out / "page.html").write_bytes(OLD)
    (out / "record.json").write_bytes(OLD)
    (staging / "old").mkdir(parents=True)
    (staging / "page.html").write_bytes(b"new\n")
    move_in([(staging / "page.html", out / "page.html")], staging / "old", remove=[out / "record.json", out / "never.json"])
    assert sorted(p.name for p in out.iterdir()) == ["page.html"] and (out / "page.html").read_bytes() == b"new\n"
    assert sorted(p.read_bytes() for p in (staging / "old").iterdir()) == [OLD, OLD]  # the old page and record, aside


@pytest.mark.parametrize(("kind", "words"), [("file", "a file"), ("fifo", "a named pipe")])
def test_something_other_than_a_folder_above_an_output_is_named(tmp_path, kind, words):
    from aidstats.errors import OutputError
    from aidstats.package import check_output_file, check_output_folder

    blocking = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(blocking)
    else:
        blocking.write_bytes(KEPT)
    for check, path in [(check_output_file, blocking / "page.html"), (check_output_folder, blocking / "site")]:
        with pytest.raises(OutputError, match=f": {blocking} is {words}, not a folder$"):
            check(path)


# --- the site: its extras first, staged, and the exports written once ---------------------------


def test_the_site_names_the_export_extra_before_writing_anything(tmp_path, monkeypatch):
    """Issue 22, item 4: with only the viz extra, ``aidstats site`` wrote assets/ and data/ and then failed naming an internal function."""
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed: importing it fails
    result = run_cli("site", "-o", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert result.stderr == 'Error: this command needs openpyxl: pip install "aidstats[export]"\n'
    assert list(tmp_path.iterdir()) == []


def test_a_site_that_fails_part_way_leaves_the_previous_one_as_it_was(tmp_path, monkeypatch):
    from aidstats.web import site

    out = tmp_path / "site"
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "site.js").write_bytes(OLD)
    (out / "data").mkdir()
    (out / "data" / "datapackage.json").write_bytes(OLD)
    (out / "index.html").write_bytes(OLD)
    (out / "notes.txt").write_bytes(KEPT)  # not aidstats': left alone in any case
    before = _state(tmp_path)

    def broken(out, root):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(site, "_write_charts", broken)  # after the assets and data are written
    with pytest.raises(OSError, match="No space left on device"):
        site.build_site(out)
    assert _state(tmp_path) == before
    assert _leftovers(tmp_path) == []


@pytest.mark.slow  # a whole site
def test_the_site_writes_the_exports_once_and_its_archive_is_the_release_archive(tmp_path, monkeypatch):
    from aidstats.publish import export
    from aidstats.publish.release import build_archive
    from aidstats.web.site import build_site

    calls, write_exports = [], export.write_exports
    monkeypatch.setattr(export, "write_exports", lambda out, root=None: calls.append(out) or write_exports(out, root))
    out = build_site(tmp_path / "site")
    assert calls == [calls[0]] and calls[0].name == "exports", "the exports are written once, into the site's exports/"
    with zipfile.ZipFile(out / ARCHIVE) as archive:
        members = {name.partition("/exports/")[2]: archive.read(name) for name in archive.namelist() if "/exports/" in name}
    assert members == {str(p.relative_to(out / "exports")): p.read_bytes() for p in (out / "exports").rglob("*") if p.is_file()}
    _, digest = build_archive(ROOT, tmp_path / "dist")  # writing its own exports, as `aidstats package` does
    assert (out / f"{ARCHIVE}.sha256").read_text(encoding="utf-8") == f"{digest}  {ARCHIVE}\n", "the same bytes either way"


def test_a_socket_where_an_output_belongs_is_named_as_one(tmp_path):
    # The matrix above plants no socket (a server's, say): refused in the same words, never replaced.
    import socket

    from aidstats.errors import OutputError
    from aidstats.package import check_output_file, check_output_folder

    path = tmp_path / "out.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        for check, words in [(check_output_file, f"cannot write {path}: "), (check_output_folder, f"cannot write into {path}: ")]:
            with pytest.raises(OutputError, match=f"^{words}it is a socket; expected "):
                check(path)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_block_device_where_an_output_belongs_is_named_as_one(tmp_path):
    # Device number 0:0 is no device: opening the node fails (ENXIO), so even a wrong write reaches no disk.
    from aidstats.errors import OutputError
    from aidstats.package import check_output_file, check_output_folder

    if why := _can("mknod"):
        pytest.skip(why)
    path = tmp_path / "disk"
    os.mknod(path, stat.S_IFBLK | 0o600, os.makedev(0, 0))
    for check, words in [(check_output_file, f"cannot write {path}: "), (check_output_folder, f"cannot write into {path}: ")]:
        with pytest.raises(OutputError, match=f"^{words}it is a block device; expected "):
            check(path)
    assert stat.S_ISBLK(os.lstat(path).st_mode)


def _refusal(call):
    from aidstats.errors import OutputError

    with pytest.raises(OutputError) as err:
        call()
    return err.value


def test_a_system_error_is_given_as_an_oserror_gives_it_naming_the_users_path(tmp_path, monkeypatch):
    # OutputError is an OSError: errno, strerror and filename say the system's error about the path the user
    # gave (the command line prints them; a script can test err.errno), never about a temporary file.
    from aidstats.package import check_output_file, check_output_folder, output_folder, write_bytes

    (tmp_path / "a-file").write_bytes(KEPT)
    a_file, missing = tmp_path / "a-file", tmp_path / "missing"
    cases = [
        (lambda: check_output_file(a_file / "x.html"), errno.ENOTDIR, a_file / "x.html", f"{a_file} is a file, not a folder"),
        (lambda: check_output_file(missing / "x.html"), errno.ENOENT, missing / "x.html", f"{missing} is no such folder; "),
        (lambda: check_output_folder(a_file / "site"), errno.ENOTDIR, a_file / "site", f"{a_file} is a file, not a folder"),
    ]
    for call, code, path, words in cases:
        err = _refusal(call)
        assert (err.errno, err.strerror, err.filename) == (code, os.strerror(code), str(path)), str(err)
        assert str(err).startswith(f"cannot write {'into ' if path.name == 'site' else ''}{path}: {words}"), str(err)

    real_replace = os.replace

    def full(src, dst):
        if Path(dst) == tmp_path / "page.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)
    err = _refusal(lambda: write_bytes(tmp_path / "page.html", b"new\n"))
    assert str(err) == f"cannot write {tmp_path / 'page.html'}: No space left on device"
    assert (err.errno, err.strerror, err.filename) == (errno.ENOSPC, "No space left on device", str(tmp_path / "page.html"))

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refused)
    err = _refusal(lambda: output_folder(tmp_path / "site"))
    assert str(err) == f"cannot write into {tmp_path / 'site'}: Permission denied"
    assert (err.errno, err.strerror, err.filename) == (errno.EACCES, "Permission denied", str(tmp_path / "site"))


def test_folder_outputs_where_they_cannot_simply_be_written(tmp_path, monkeypatch):
    # The branches the matrix (run as root, on one file system) cannot reach: a link that leads to no folder,
    # parents not made yet, and a folder the permissions forbid, as os.access reports it for a user who is not root.
    from aidstats import package

    (tmp_path / "a-file").write_bytes(KEPT)
    (tmp_path / "link").symlink_to(tmp_path / "a-file")
    err = _refusal(lambda: package.check_output_folder(tmp_path / "link"))
    assert str(err).startswith(f"cannot write into {tmp_path / 'link'}: it is a symbolic link that does not lead to a folder; ")
    made = package.output_folder(tmp_path / "new" / "deeper" / "site")
    assert made.is_dir() and made == tmp_path / "new" / "deeper" / "site"

    (tmp_path / "out").mkdir()
    assert package.staging_parent(tmp_path / "out") == tmp_path  # beside it
    assert package.staging_parent(tmp_path / "not-yet" / "site") == tmp_path  # the nearest folder above
    forbidden = {tmp_path}
    monkeypatch.setattr(os, "access", lambda path, mode: not (Path(path) in forbidden and mode & os.W_OK))
    assert package.staging_parent(tmp_path / "out") == tmp_path / "out"  # its parent cannot be written: in itself
    ending = "cannot be written (its permissions, a read-only file system, or an immutable flag)"
    err = _refusal(lambda: package.check_outputs(tmp_path / "site", writable=True))
    assert str(err) == f"cannot write into {tmp_path / 'site'}: the folder {tmp_path} {ending}"
    forbidden = {tmp_path / "out"}
    err = _refusal(lambda: package.check_outputs(tmp_path / "out", writable=True))
    assert str(err) == f"cannot write into {tmp_path / 'out'}: it {ending}"
    assert package.check_outputs(tmp_path / "out") == tmp_path / "out"  # unless asked, what is there is checked, not access
