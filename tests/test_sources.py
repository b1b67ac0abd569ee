"""One notion of a source (issue 22, items 2, 3, 7 and 8): every entry point that takes a package takes
the same kinds, and checks the files against datapackage.json the same way.

The contract is one table: every entry point (``load``, ``list_tables``, ``download`` and
``diff_packages`` from Python; ``aidstats list --source``, ``show --source``, ``diff`` and ``download``)
× every kind of source (a folder, its ``datapackage.json``, a local ``.zip``, a ``file://`` URL of either,
an ``http://`` URL of either, served from 127.0.0.1) × {intact, tampered}. An intact package gives what
the bundled one gives; a package with one byte of one CSV changed is refused by every entry point, with a
message that names the source and the file that failed.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ROOT, mutating, run_cli
from server import serve

import aidstats
from aidstats.errors import AidstatsError
from aidstats.metadata import VERSION
from aidstats.package import verify
from aidstats.remote.diff import diff_packages

TAMPERED = "clean/units.csv"
KINDS = ["folder", "datapackage.json", "local zip", "file zip", "file datapackage.json", "http zip", "http datapackage.json"]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    """The download cache, in this test's own folder (never the user's)."""
    monkeypatch.setenv("AIDSTATS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("AIDSTATS_DATA_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "cache"


def package_copy(folder: Path, tampered: bool) -> Path:
    """A copy of the bundled package; tampered: one byte of clean/units.csv changed, its descriptor not."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "datapackage.json", folder)
    shutil.copytree(ROOT / "clean", folder / "clean")
    if tampered:
        data = bytearray((folder / TAMPERED).read_bytes())
        data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")  # the same size: only the hash tells
        (folder / TAMPERED).write_bytes(bytes(data))
    return folder


def zip_of(folder: Path, archive: Path) -> Path:
    """``folder`` as a release archive does it: every file under one top folder."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            zipped.write(file, f"aidstats-data-{VERSION}/{file.relative_to(folder).as_posix()}")
    return archive


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """``packages(tampered, tmp)``: a package folder and its release .zip (in a folder of its own, with no .sha256
    beside it), made once per module for the table's tests, which only read them; under mutmut (conftest.mutating()),
    made afresh in ``tmp``."""
    made: dict[bool, tuple[Path, Path]] = {}

    def get(tampered: bool, tmp: Path) -> tuple[Path, Path]:
        if mutating() or tampered not in made:
            where = tmp if mutating() else tmp_path_factory.mktemp("tampered" if tampered else "intact")
            folder = package_copy(where / "pkg", tampered)
            made[tampered] = folder, zip_of(folder, where / "zips" / "pkg.zip")
        return made[tampered]

    return get


def make_source(kind: str, tampered: bool, tmp: Path, stack: ExitStack, packages) -> tuple[str, str]:
    """The source of ``kind`` (as a user would type it) and a text every refusal must name."""
    folder, archive = packages(tampered, tmp)
    if kind == "folder":
        return str(folder), str(folder)
    if kind == "datapackage.json":
        return str(folder / "datapackage.json"), str(folder)
    if kind == "file datapackage.json":
        return (folder / "datapackage.json").as_uri(), str(folder)
    # The archive has no .sha256 beside it: checked file by file.
    if kind == "local zip":
        return str(archive), str(archive)
    if kind == "file zip":
        return archive.as_uri(), str(archive)
    base = stack.enter_context(serve(archive.parent if kind == "http zip" else folder))
    return (base + "pkg.zip" if kind == "http zip" else base + "datapackage.json"), base


# --- the entry points: each returns the error message (None if it worked, after checking what it gave) ---


def api(call) -> str | None:
    try:
        call()
    except AidstatsError as err:  # an error a user can act on; anything else escapes and fails the test
        return str(err)
    except FileNotFoundError as err:
        return str(err)
    return None


def cli(*args: str, check) -> str | None:
    result = run_cli(*args)
    if result.exit_code == 0:
        check(result.stdout)
        return None
    assert result.exit_code == 1 and result.stdout == "", result.output
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def by_load(source, tmp):
    def call():
        frame = aidstats.load("units", source=source)
        assert frame.equals(aidstats.load("units")) and frame.attrs["name"] == "units"

    return api(call)


def by_list_tables(source, tmp):
    def call():
        assert aidstats.list_tables(source) == aidstats.list_tables()

    return api(call)


def by_download(source, tmp):
    def call():
        assert verify(aidstats.download(source, tmp / "dest")) == []

    return api(call)


def by_diff(source, tmp):
    def call():
        result = diff_packages(source, ROOT)
        assert {t["status"] for t in result["tables"].values()} == {"unchanged"}

    return api(call)


def by_cli_list(source, tmp):
    return cli("list", "--source", source, check=lambda out: all(name in out for name in aidstats.list_tables()) or pytest.fail(out))


def by_cli_show(source, tmp):
    return cli("show", "units", "--source", source, check=lambda out: out.startswith("Units (") or pytest.fail(out))


def by_cli_diff(source, tmp):
    tables = len(aidstats.list_tables())
    expected = f"tables: 0 added, 0 removed, 0 changed, {tables} unchanged"
    return cli("diff", source, str(ROOT), check=lambda out: out.splitlines()[-1] == expected or pytest.fail(out))


def by_cli_download(source, tmp):
    def check(out):
        assert out.startswith("downloaded ") and f" into {tmp / 'dest'}" in out and out.count("\n") == 1, out
        assert verify(tmp / "dest") == []

    return cli("download", source, "--dest", str(tmp / "dest"), check=check)


ENTRY_POINTS = {
    "load": by_load,
    "list_tables": by_list_tables,
    "download": by_download,
    "diff_packages": by_diff,
    "aidstats list": by_cli_list,
    "aidstats show": by_cli_show,
    "aidstats diff": by_cli_diff,
    "aidstats download": by_cli_download,
}


def _matrix() -> list:
    """Every entry point × every kind of source × intact or tampered (112 cases), all run by the whole suite.

    The fast loop runs half: each entry point on each kind of source once, intact and tampered alternating
    (so that each entry point and each kind of source meets both). Measured with coverage, a context per
    case, over the whole fast loop: the half runs every line and branch of aidstats/ the whole matrix runs."""
    cases = []
    for e, entry in enumerate(ENTRY_POINTS):
        for k, kind in enumerate(KINDS):
            for tampered in (False, True):
                in_fast_loop = (e + k) % 2 == int(tampered)
                cases.append(
                    pytest.param(
                        entry,
                        kind,
                        tampered,
                        id=f"{entry}-{kind}-{'tampered' if tampered else 'intact'}",
                        marks=() if in_fast_loop else pytest.mark.slow,
                    )
                )
    return cases


@pytest.mark.parametrize("entry, kind, tampered", _matrix())
def test_every_entry_point_takes_every_source_and_refuses_a_tampered_one(entry, kind, tampered, tmp_path, packages):
    with ExitStack() as stack:
        source, named = make_source(kind, tampered, tmp_path, stack, packages)
        message = ENTRY_POINTS[entry](source, tmp_path)
    if not tampered:
        assert message is None, message
        return
    assert message is not None, f"{entry} used a tampered package from a {kind}"
    assert named in message, message  # the source
    assert TAMPERED in message and "sha256 mismatch" in message, message  # the file, and what is wrong with it
    assert not (tmp_path / "dest").exists(), "a refused download leaves nothing"
    cached = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert cached == [], f"a refused package is not kept in the cache: {cached}"


# --- the cases of the issue, one by one -------------------------------------------------------


def test_list_tables_of_a_url_keeps_the_url(tmp_path):
    folder = package_copy(tmp_path / "pkg", tampered=False)
    with serve(folder) as base:
        assert aidstats.list_tables(base + "datapackage.json") == aidstats.list_tables()


@pytest.mark.parametrize("call", [aidstats.list_tables, lambda s: aidstats.load("units", source=s)], ids=["list_tables", "load"])
def test_a_path_that_does_not_exist_is_named_in_one_sentence(call):
    with pytest.raises(FileNotFoundError) as err:
        call("/nonexistent")
    assert str(err.value) == (
        "no such folder or file: /nonexistent; expected a data package folder, its datapackage.json, a release .zip or a URL"
    )


def test_a_local_release_zip_loads_like_its_folder_and_is_unpacked_once(tmp_path, cache):
    archive = zip_of(package_copy(tmp_path / "pkg", tampered=False), tmp_path / "pkg.zip")
    frame = aidstats.load("aid_deliveries", source=archive)
    assert frame.equals(aidstats.load("aid_deliveries"))
    (unpacked,) = (cache / VERSION / "archives").iterdir()  # named by the archive's sha256
    assert verify(unpacked) == []
    before = {p: p.stat().st_mtime_ns for p in unpacked.rglob("*")}
    assert aidstats.list_tables(str(archive)) == aidstats.list_tables()
    assert {p: p.stat().st_mtime_ns for p in unpacked.rglob("*")} == before, "the verified copy is used again"


def test_a_tampered_copy_in_the_cache_is_replaced_from_the_archive(tmp_path, cache):
    archive = zip_of(package_copy(tmp_path / "pkg", tampered=False), tmp_path / "pkg.zip")
    aidstats.load("units", source=archive)
    (unpacked,) = (cache / VERSION / "archives").iterdir()
    (unpacked / TAMPERED).write_bytes(b"unit,title\nt,changed\n")
    assert aidstats.load("units", source=archive).equals(aidstats.load("units"))
    assert verify(unpacked) == []


def test_a_changed_folder_is_refused_after_it_was_used(tmp_path):
    # Verification is remembered only while no file of the package changes.
    folder = package_copy(tmp_path / "pkg", tampered=False)
    assert aidstats.list_tables(folder) == aidstats.list_tables()
    data = bytearray((folder / TAMPERED).read_bytes())
    data[-2] ^= 0x01
    (folder / TAMPERED).write_bytes(bytes(data))
    with pytest.raises(AidstatsError, match=f"{TAMPERED}: sha256 mismatch"):
        aidstats.load("units", source=folder)


def test_verification_is_remembered_only_while_the_files_are_unchanged(tmp_path, monkeypatch):
    import time

    from aidstats import package

    folder = package_copy(tmp_path / "pkg", tampered=False)
    calls = []
    monkeypatch.setattr(package, "verify", lambda root: calls.append(root) or [])
    # Files changed within the last two seconds are hashed every time (a second change in the same clock tick
    # would leave every time stamp as it was) ...
    assert package.verified(folder) == package.verified(folder) == [] and len(calls) == 2
    # ... settled files once, until one of them changes.
    later = time.time_ns() + 10**10
    monkeypatch.setattr(package.time, "time_ns", lambda: later)
    package.verified(folder)
    package.verified(folder)
    assert len(calls) == 3
    (folder / TAMPERED).write_bytes(b"unit,title\n")
    package.verified(folder)
    assert len(calls) == 4


def test_a_file_the_descriptor_names_only_since_it_was_rewritten_is_watched_too(tmp_path, monkeypatch):
    import os
    import time

    from aidstats import package

    folder = package_copy(tmp_path / "pkg", tampered=False)
    calls = []
    monkeypatch.setattr(package, "verify", lambda root: calls.append(root) or [])
    later = time.time_ns() + 10**10
    monkeypatch.setattr(package.time, "time_ns", lambda: later)  # every file settled
    package.verified(folder)
    # The descriptor rewritten in place to name clean/unitz.csv instead of clean/units.csv: the same size, the
    # same inode, its modification time put back; only its change time tells.
    descriptor = folder / "datapackage.json"
    before = descriptor.stat()
    shutil.copy(folder / TAMPERED, folder / "clean" / "unitz.csv")
    with descriptor.open("r+b") as file:
        text = file.read().replace(b'"clean/units.csv"', b'"clean/unitz.csv"')
        file.seek(0)
        file.write(text)
    os.utime(descriptor, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (descriptor.stat().st_size, descriptor.stat().st_ino) == (before.st_size, before.st_ino)
    package.verified(folder)
    package.verified(folder)
    assert len(calls) == 2  # hashed again once, for the new descriptor
    (folder / "clean" / "unitz.csv").write_bytes(b"unit,title\n")  # the file it names now
    package.verified(folder)
    assert len(calls) == 3


def test_a_descriptor_that_cannot_be_read_is_reported_as_verify_reports_it(tmp_path):
    from aidstats import package

    (tmp_path / "datapackage.json").write_text("{broken", encoding="utf-8")
    problems = package.verified(tmp_path)
    assert problems == package.verify(tmp_path) and len(problems) == 1
    assert problems[0].startswith("datapackage.json cannot be read (JSONDecodeError: ")


def test_the_memory_of_verified_packages_holds_at_most_64(tmp_path, monkeypatch):
    # A process that opens many packages (a test suite, a notebook over many releases) does not keep them all.
    import time

    from aidstats import package

    monkeypatch.setattr(package, "_VERIFIED", {})
    monkeypatch.setattr(package, "verify", lambda root: [])
    later = time.time_ns() + 10**10
    monkeypatch.setattr(package.time, "time_ns", lambda: later)  # every file settled, so each is remembered
    sizes = []
    for i in range(65):
        folder = tmp_path / f"pkg{i}"
        folder.mkdir()
        (folder / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
        package.verified(folder)
        sizes.append(len(package._VERIFIED))
    assert sizes[:64] == list(range(1, 65))  # one more each time, up to 64 ...
    assert sizes[64] == 1  # ... then forgotten all at once, and the 65th remembered


def test_check_package_gives_the_folder_or_refuses_with_the_kind_hash(tmp_path):
    from aidstats.errors import PackageError
    from aidstats.package import check_package

    intact = package_copy(tmp_path / "intact", tampered=False)
    assert check_package(intact, "my copy") == intact
    with pytest.raises(PackageError) as err:
        check_package(package_copy(tmp_path / "tampered", tampered=True), "my copy")
    assert err.value.kind == "hash"
    head, problem = str(err.value).split("\n")
    assert head == "my copy: the package failed verification, so it was not used"
    assert problem.startswith(f"  {TAMPERED}: sha256 mismatch: expected ")


def test_locate_says_what_a_local_path_holds(tmp_path):
    from aidstats.package import locate

    folder = package_copy(tmp_path / "pkg", tampered=False)
    assert locate(folder) == ("folder", folder)
    assert locate(folder / "datapackage.json") == ("folder", folder)
    for name in ["release.zip", "RELEASE.ZIP"]:
        (tmp_path / name).write_bytes(b"PK")
        assert locate(tmp_path / name) == ("archive", tmp_path / name)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for path in [tmp_path / "empty", tmp_path / "notes.txt"]:
        with pytest.raises(FileNotFoundError, match=f"^no data package at {path}: "):
            locate(path)
    with pytest.raises(FileNotFoundError, match=f"^no such folder or file: {tmp_path / 'gone'}; "):
        locate(tmp_path / "gone")


def test_a_refusal_lists_every_file_that_failed_under_one_line(tmp_path):
    folder = package_copy(tmp_path / "pkg", tampered=True)
    (folder / "clean" / "donors.csv").unlink()
    result = run_cli("list", "--source", str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    head, *problems = result.stderr.splitlines()
    assert head == f"Error: {folder}: the package failed verification, so it was not used"
    assert problems[0] == "  clean/donors.csv: missing"
    assert problems[1].startswith(f"  {TAMPERED}: sha256 mismatch: expected ") and len(problems) == 2


def test_a_local_zip_that_is_not_a_package_is_named(tmp_path):
    (tmp_path / "bad.zip").write_text("not a zip")
    with pytest.raises(AidstatsError, match=f"^{tmp_path}/bad.zip is not a readable zip archive"):
        aidstats.load("units", source=tmp_path / "bad.zip")
    assert not (tmp_path / "cache").exists()


def test_show_refuses_the_name_of_a_parquet_copy_naming_its_table():
    result = run_cli("show", "sources-parquet")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "Error: no table named 'sources-parquet': it is the Parquet copy of the table 'sources'; the tables are: sources,"
    )
    assert "sources-parquet-parquet" not in result.stderr
    with pytest.raises(KeyError, match="the Parquet copy of the table 'units'"):
        aidstats.load("units-parquet")


# --- aidstats download says what happened (README: "`aidstats download` prints it") -----------


def test_download_prints_what_happened_each_time(tmp_path):
    from aidstats.remote.fetch import retrieve

    archive = zip_of(package_copy(tmp_path / "pkg", tampered=False), tmp_path / "site" / "pkg.zip")
    dest = tmp_path / "data"
    with serve(archive.parent) as base:
        url = base + "pkg.zip"
        first = run_cli("download", url, "--dest", str(dest))
        again = run_cli("download", url, "--dest", str(dest))
        forced = run_cli("download", url, "--dest", str(dest), "--force")
        (archive.parent / "pkg.zip.sha256").write_text(f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  pkg.zip\n")
        checked = run_cli("download", url, "--dest", str(dest), "--force")
        assert retrieve(url, dest).message == again.stdout.strip()
    for result in (first, again, forced, checked):
        assert result.exit_code == 0 and result.stderr == "", result.output
        assert result.stdout.count("\n") == 1 and "verified package in" not in result.stdout
    assert first.stdout.startswith(
        f"downloaded {url} into {dest}: no {url}.sha256 is published, so the archive as a whole was not checked;"
    )
    assert again.stdout == (
        f"used the verified copy of {url} in {dest} (nothing downloaded): every file's size and sha256 match datapackage.json\n"
    )
    assert forced.stdout.startswith(f"downloaded {url} into {dest}: no {url}.sha256 is published")
    assert checked.stdout.startswith(f"downloaded {url} into {dest}: the archive's sha256 matches {url}.sha256")


def test_a_local_archive_rebuilt_in_place_is_downloaded_again(tmp_path):
    # The same path, other bytes: the copy of the old archive does not answer for the new one.
    archive = zip_of(package_copy(tmp_path / "pkg", tampered=False), tmp_path / "pkg.zip")
    first = run_cli("download", str(archive))
    assert first.exit_code == 0 and first.stdout.startswith(f"downloaded {archive.as_uri()} into "), first.output
    same = run_cli("download", str(archive))
    assert same.stdout.startswith(f"used the verified copy of {archive.as_uri()}"), same.output
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr(f"aidstats-data-{VERSION}/NOTES.txt", "added")
    again = run_cli("download", str(archive))
    assert again.exit_code == 0 and again.stdout.startswith(f"downloaded {archive.as_uri()} into "), again.output
    assert "changed after it was copied" in again.stdout
