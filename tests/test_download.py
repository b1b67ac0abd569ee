"""Publishing and downloading the package, against a real HTTP server on 127.0.0.1.

No test here touches the network beyond 127.0.0.1 (a name under the reserved
``.invalid`` domain fails in the local resolver) or the user's real cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pooch
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, made_once, run_cli
from server import closed_port, serve

import aidstats
from aidstats import metadata
from aidstats.remote.fetch import DownloadError, download, verify

PARQUET = "clean/mineral_exports.parquet"
ARCHIVE = f"aidstats-data-{metadata.VERSION}.zip"


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    """The download cache, in this test's own folder; no URL from the environment."""
    monkeypatch.setenv("AIDSTATS_CACHE_DIR", str(tmp_path / "cache"))
    # Where pooch's cache folder would be without AIDSTATS_CACHE_DIR: never the user's real cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("AIDSTATS_DATA_URL", raising=False)
    return tmp_path / "cache" / metadata.VERSION


@pytest.fixture(autouse=True)
def sleeps(monkeypatch) -> list:
    """The waits pooch makes between retries, recorded instead of slept."""
    waited = []
    monkeypatch.setattr(pooch.core, "time", types.SimpleNamespace(sleep=waited.append))
    return waited


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The release archive, built once per run (made_once, conftest.py), in its own folder; tests copy it to change it."""

    def package(out: Path) -> None:
        result = run_cli("package", "--out", str(out))
        assert result.exit_code == 0, result.output

    return made_once(tmp_path_factory, "release", package)


@pytest.fixture
def published(tmp_path) -> Path:
    """A copy of the package as a web server would hold it."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "datapackage.json", site)
    shutil.copytree(ROOT / "clean", site / "clean")
    return site


@pytest.fixture
def other(tmp_path) -> Path:
    """Another package of the same version: lead's delivered_t is 9999 t, with its size and hash updated."""
    site = tmp_path / "other"
    site.mkdir()
    shutil.copy(ROOT / "datapackage.json", site)
    shutil.copytree(ROOT / "clean", site / "clean")
    table = pq.read_table(site / PARQUET)
    column = table.schema.get_field_index("delivered_t")
    delivered = [
        9999.0 if c == "lead" else d for c, d in zip(table["commodity"].to_pylist(), table["delivered_t"].to_pylist(), strict=True)
    ]
    pq.write_table(table.set_column(column, table.schema.field(column), pa.array(delivered, pa.float64())), site / PARQUET)
    descriptor = json.loads((site / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["path"] == PARQUET:
            resource["bytes"] = (site / PARQUET).stat().st_size
            resource["hash"] = "sha256:" + hashlib.sha256((site / PARQUET).read_bytes()).hexdigest()
    (site / "datapackage.json").write_text(json.dumps(descriptor))
    return site


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def lead(folder: Path) -> float:
    frame = aidstats.load("mineral_exports", source=folder)
    return frame.loc[frame.commodity == "lead", "delivered_t"].item()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the release archive -------------------------------------------------------------


@pytest.mark.slow  # writes the release archive again (every export in it)
def test_package_twice_gives_the_same_sha256(release, tmp_path):
    again = run_cli("package", "--out", str(tmp_path))
    assert again.exit_code == 0
    first = (release / f"{ARCHIVE}.sha256").read_text()
    assert (tmp_path / f"{ARCHIVE}.sha256").read_text() == first
    assert first == f"{sha256(release / ARCHIVE)}  {ARCHIVE}\n" and sha256(release / ARCHIVE) in again.output


def test_archive_holds_the_package_docs_and_licences(release):
    with zipfile.ZipFile(release / ARCHIVE) as archive:
        names = set(archive.namelist())
    for name in (
        "datapackage.json",
        "README.md",
        "LICENSE",
        "LICENSE-DATA",
        "CITATION.cff",
        "clean/aid_deliveries.parquet",
        "clean/aid_deliveries.csv",
    ):
        assert f"aidstats-data-{metadata.VERSION}/{name}" in names


def test_the_installed_registry_knows_the_sha256_of_a_fresh_archive(release):
    from aidstats.publish.release import known_hashes

    assert known_hashes().get(ARCHIVE) == sha256(release / ARCHIVE), (
        "aidstats/registry.txt does not hold the sha256 of the archive the committed data make; "
        "run `python -m aidstats.publish.release` in the checkout to record it"
    )


def test_a_registry_digest_may_carry_pooch_s_algorithm_prefix(tmp_path):
    # pooch's registry format allows "sha256:<hex>" as well as the bare hex record_hash writes; a hand-edited
    # registry in that form must still give the bare digest downloads compare against.
    from aidstats.package import known_hashes

    registry = tmp_path / "registry.txt"
    registry.write_text(f"# comment\nold.zip sha256:{'a' * 64}\nnew.zip {'b' * 64}\n", encoding="utf-8")
    assert known_hashes(registry) == {"old.zip": "a" * 64, "new.zip": "b" * 64}
    assert known_hashes(tmp_path / "none.txt") == {}  # no registry: no known hashes


def test_unpack_names_the_archive_and_keeps_the_kind_of_an_unsafe_member(tmp_path):
    # A member that would land outside the folder is refused as "unsafe" (a caller tells it from a broken
    # archive by that word), with the archive's name leading the message.
    from aidstats.errors import PackageError
    from aidstats.package import unpack

    archive = tmp_path / "old.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("datapackage.json", "{}")
        zipped.writestr("../outside.txt", "x")
    with pytest.raises(PackageError) as err:
        unpack(archive, tmp_path / "unpacked", "the old archive")
    assert str(err.value).startswith("the old archive: ") and "outside.txt" in str(err.value)
    assert err.value.kind == "unsafe" and not (tmp_path / "outside.txt").exists()


@pytest.mark.slow  # writes the release archive again (every export in it)
def test_build_archive_records_its_hash_in_the_registry_it_is_given(tmp_path):
    from aidstats.publish.release import build_archive, known_hashes

    registry = tmp_path / "registry.txt"
    registry.write_text(f"# a comment stays\naidstats-data-0.0.9.zip {'a' * 64}\n{ARCHIVE} {'b' * 64}\n")
    _, digest = build_archive(ROOT, tmp_path / "out", registry=registry)
    assert known_hashes(registry) == {"aidstats-data-0.0.9.zip": "a" * 64, ARCHIVE: digest}
    assert registry.read_text().startswith("# a comment stays\n")
    # Without a registry, none is written.
    build_archive(ROOT, tmp_path / "again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "out", "registry.txt"]


@pytest.mark.slow  # writes the release archive again (every export in it)
def test_python_m_aidstats_release_builds_and_records(tmp_path, monkeypatch, capsys):
    from aidstats.publish import release as release

    monkeypatch.setattr(release, "REGISTRY", tmp_path / "registry.txt")
    release.main(["--out", str(tmp_path / "out")])
    digest = sha256(tmp_path / "out" / ARCHIVE)
    assert release.known_hashes(tmp_path / "registry.txt") == {ARCHIVE: digest}
    assert capsys.readouterr().out == f"{digest}  {tmp_path / 'out' / ARCHIVE}\nrecorded in {tmp_path / 'registry.txt'}\n"


def test_python_m_aidstats_release_names_what_is_missing(tmp_path, monkeypatch, capsys):
    from aidstats.publish import release as release

    monkeypatch.setattr("aidstats.loader.data_root", lambda: tmp_path)
    with pytest.raises(SystemExit) as done:
        release.main(["--out", str(tmp_path / "out")])
    assert done.value.code == 1
    assert capsys.readouterr().err == (
        f"Error: cannot package {tmp_path}: missing datapackage.json, LICENSE, LICENSE-DATA, CITATION.cff; "
        "run 'aidstats build' in a checkout\n"
    )


# --- what a download answers ---------------------------------------------------------


def test_a_second_url_is_not_answered_from_the_first_urls_cache(published, other):
    with serve(published) as first, serve(other) as second:
        a = download(first + "datapackage.json")
        b = download(second + "datapackage.json")
    assert a != b
    assert (b / PARQUET).read_bytes() == (other / PARQUET).read_bytes()
    assert (a / PARQUET).read_bytes() == (published / PARQUET).read_bytes()


def test_load_from_a_second_url_gives_that_urls_data(published, other):
    with serve(published) as first, serve(other) as second:
        frame_a = aidstats.load("mineral_exports", source=first + "datapackage.json")
        frame_b = aidstats.load("mineral_exports", source=second + "datapackage.json")
    assert frame_a.loc[frame_a.commodity == "lead", "delivered_t"].item() == 8443  # "8,443 tons of lead" (footnote 48)
    assert frame_b.loc[frame_b.commodity == "lead", "delivered_t"].item() == 9999  # the other package's value


def test_a_folder_holding_another_urls_copy_is_replaced(published, other, tmp_path):
    dest = tmp_path / "data"
    with serve(published) as first, serve(other) as second:
        download(first + "datapackage.json", dest)
        download(second + "datapackage.json", dest)
    assert lead(dest) == 9999 and verify(dest) == []


def test_the_same_url_again_uses_the_verified_copy_without_the_network(published, tmp_path, caplog):
    from aidstats.remote.fetch import retrieve

    dest, log = tmp_path / "data", []
    with serve(published, log=log) as base:
        first = retrieve(base + "datapackage.json", dest)
        asked = len(log)
        with caplog.at_level(logging.INFO, logger="aidstats"):
            again = download(base + "datapackage.json", dest)
        assert len(log) == asked  # nothing fetched the second time
    assert first.cached is False and first.stale is None
    assert first.message == f"downloaded {base}datapackage.json into {dest}: every file's size and sha256 match datapackage.json"
    assert again == dest and f"used the verified copy of {base}datapackage.json in {dest}" in caplog.text
    # The server is gone: the same URL is still answered from the copy, another URL is not.
    assert retrieve(base + "datapackage.json", dest).cached
    with pytest.raises(DownloadError, match="refused"):
        download(f"http://127.0.0.1:{closed_port()}/datapackage.json", dest)
    assert lead(dest) == 8443 and verify(dest) == []  # the copy that was there is untouched


def test_force_downloads_again(published, tmp_path):
    from aidstats.remote.fetch import retrieve

    log = []
    with serve(published, log=log) as base:
        retrieve(base + "datapackage.json")
        asked = len(log)
        assert not retrieve(base + "datapackage.json", force=True).cached
    # datapackage.json and every resource, twice.
    assert len(log) == 2 * asked == 2 * (1 + len(json.loads((published / "datapackage.json").read_text())["resources"]))


@pytest.mark.parametrize("damage", ["change a byte", "delete a file", "edit the descriptor"])
def test_a_damaged_cached_copy_is_not_used(published, damage):
    from aidstats.remote.fetch import retrieve

    with serve(published) as base:
        folder = download(base + "datapackage.json")
        if damage == "change a byte":
            data = bytearray((folder / PARQUET).read_bytes())
            data[100] ^= 0x01
            (folder / PARQUET).write_bytes(bytes(data))
        elif damage == "delete a file":
            (folder / PARQUET).unlink()
        else:  # a descriptor edited to match a changed file would pass verify(); the recorded hash catches it
            descriptor = json.loads((folder / "datapackage.json").read_text())
            descriptor["title"] = "changed"
            (folder / "datapackage.json").write_text(json.dumps(descriptor))
        again = retrieve(base + "datapackage.json")
    assert not again.cached and "the copy there was not used" in again.message
    assert files(folder) == sorted([".aidstats-origin.json", *files(published)]) and verify(folder) == []
    assert (folder / "datapackage.json").read_bytes() == (published / "datapackage.json").read_bytes()


def test_download_descriptor_then_load_it(published, tmp_path):
    dest = tmp_path / "data"
    with serve(published) as base:
        folder = download(base + "datapackage.json", dest)
    assert folder == dest and verify(dest) == []
    for name in files(published):
        assert (dest / name).read_bytes() == (published / name).read_bytes(), name
    assert len(aidstats.load("aid_deliveries", source=dest)) == 84


@pytest.mark.slow  # frictionless validates in a fresh interpreter
def test_download_archive_and_validate_it_with_frictionless(release, tmp_path):
    dest = tmp_path / "data"
    with serve(release) as base:
        result = run_cli("download", base + ARCHIVE, "--dest", str(dest))
    assert result.exit_code == 0, result.output
    assert not [p for p in tmp_path.rglob(".aidstats-download*")]
    done = subprocess.run(
        [Path(sys.executable).parent / "frictionless", "validate", str(dest / "datapackage.json")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_cache_keeps_one_folder_per_url_under_the_version(monkeypatch, tmp_path, published):
    from aidstats.remote.fetch import cache_dir, cache_folder

    url = (published / "datapackage.json").as_uri()
    assert download(url) == tmp_path / "cache" / metadata.VERSION / hashlib.sha256(url.encode()).hexdigest()
    # Without AIDSTATS_CACHE_DIR, pooch's user cache folder (XDG_CACHE_HOME/aidstats on Linux).
    monkeypatch.delenv("AIDSTATS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "aidstats" / metadata.VERSION
    assert cache_folder(url) == cache_dir() / hashlib.sha256(url.encode()).hexdigest()


def test_each_file_is_given_thirty_seconds_by_default(published, tmp_path, monkeypatch):
    from aidstats.remote.fetch import retrieve

    given, real = [], pooch.HTTPDownloader
    monkeypatch.setattr(pooch, "HTTPDownloader", lambda **options: (given.append(options["timeout"]), real(**options))[1])
    with serve(published) as base:
        download(base + "datapackage.json", tmp_path / "a")
        retrieve(base + "datapackage.json", tmp_path / "b")
    # One downloader per file (the descriptor and each resource), each told to wait 30 s.
    resources = len(json.loads((published / "datapackage.json").read_text())["resources"])
    assert given == [30] * 2 * (1 + resources)


def test_download_with_force_fetches_again(published, tmp_path):
    log = []
    with serve(published, log=log) as base:
        download(base + "datapackage.json", tmp_path / "data")
        download(base + "datapackage.json", tmp_path / "data", force=True)
    assert log.count("/datapackage.json") == 2


def test_a_copy_that_does_not_record_its_url_is_not_used(published, tmp_path):
    from aidstats.remote.fetch import retrieve

    dest = tmp_path / "data"
    shutil.copytree(published, dest)  # a verified package, but nobody knows where from
    with serve(published) as base:
        result = retrieve(base + "datapackage.json", dest)
    assert not result.cached
    assert f"downloaded {base}datapackage.json into {dest} (the copy there was not used: it does not record the URL it came from)" in (
        result.message
    )


def test_a_copy_with_two_missing_files_says_both(published, tmp_path):
    from aidstats.remote.fetch import retrieve

    dest = tmp_path / "data"
    with serve(published) as base:
        download(base + "datapackage.json", dest)
        (dest / "clean" / "donors.csv").unlink()
        (dest / "clean" / "units.csv").unlink()
        result = retrieve(base + "datapackage.json", dest)
    assert "(the copy there was not used: clean/donors.csv: missing; clean/units.csv: missing)" in result.message


def test_a_cached_copy_says_so(published, tmp_path):
    from aidstats.remote.fetch import retrieve

    url = (published / "datapackage.json").as_uri()
    folder = download(url, tmp_path / "data")
    result = retrieve(url, tmp_path / "data")
    assert result.cached and result.folder == folder and result.stale is None
    assert result.message == (
        f"used the verified copy of {url} in {folder} (nothing downloaded): every file's size and sha256 match datapackage.json"
    )


def test_a_package_that_fails_verification_lists_every_problem(published, tmp_path):
    # An archive is not checked file by file while it downloads: verification catches it.
    site = tmp_path / "zips"
    site.mkdir()
    with zipfile.ZipFile(site / "pkg.zip", "w") as archive:
        for name in files(published):
            data = (published / name).read_bytes()
            if name == "clean/donors.csv":
                data += b"extra"
            if name != "clean/units.csv":
                archive.writestr(name, data)
    size = (published / "clean/donors.csv").stat().st_size
    with serve(site) as base, pytest.raises(DownloadError) as err:
        download(base + "pkg.zip", tmp_path / "data")
    first, *problems = str(err.value).split("\n")
    assert first == f"the package from {base}pkg.zip failed verification; nothing was saved in {tmp_path / 'data'}"
    assert problems[0] == f"  clean/donors.csv: expected {size} bytes, found {size + len(b'extra')} (truncated or changed)"
    assert problems[1].startswith("  clean/donors.csv: sha256 mismatch: expected ")
    assert problems[2] == "  clean/units.csv: missing" and len(problems) == 3
    assert err.value.kind == "hash" and not (tmp_path / "data").exists()


def tiny_package(folder: Path, extra: dict | None = None) -> None:
    """A one-table package in ``folder`` whose file lies two folders deep."""
    data = b"x\n1\n"
    (folder / "data" / "deep").mkdir(parents=True)
    (folder / "data" / "deep" / "x.csv").write_bytes(data)
    resource = {"name": "x", "path": "data/deep/x.csv", "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource], **(extra or {})}))


@pytest.mark.parametrize("layout", ["flat, with folder entries", "one top folder", "only a descriptor"])
def test_archives_with_and_without_a_top_folder(tmp_path, layout):
    source, site = tmp_path / "source", tmp_path / "site"
    source.mkdir(), site.mkdir()
    if layout == "only a descriptor":
        (source / "datapackage.json").write_text('{"resources": []}')
    else:
        tiny_package(source)
    prefix = "top/" if layout == "one top folder" else ""
    with zipfile.ZipFile(site / "pkg.zip", "w") as archive:
        if layout.startswith("flat"):
            archive.writestr("data/", "")  # a folder entry, as zip tools write them
            archive.writestr("data/deep/", "")
        for name in files(source):
            archive.write(source / name, prefix + name)
    with serve(site) as base:
        folder = download(base + "pkg.zip", tmp_path / "data")
    assert sorted(files(folder)) == sorted([".aidstats-origin.json", *files(source)]) and verify(folder) == []


def test_a_folder_that_cannot_be_written_is_named(published, tmp_path, monkeypatch):
    def refuse(**kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("aidstats.remote.fetch.tempfile.mkdtemp", refuse)
    with pytest.raises(DownloadError) as err:
        download((published / "datapackage.json").as_uri(), tmp_path / "new" / "data")
    assert str(err.value).startswith(f"cannot write in {tmp_path} (Permission denied)") and err.value.kind == "local"


def test_a_progress_bar_is_shown_on_a_terminal(published, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with serve(published) as base:
        download(base + "datapackage.json", tmp_path / "data")
    assert "100%" in capsys.readouterr().err


# --- verify() and safe_path() --------------------------------------------------------


def test_verify_names_each_problem(tmp_path):
    tiny_package(tmp_path)
    assert verify(tmp_path) == []
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    good = descriptor["resources"][0]
    descriptor["resources"] = [
        {**good, "bytes": 99},
        {**good, "hash": "sha256:" + "0" * 64},
        {**good, "path": "data/gone.csv"},
        {"name": "no path"},
        {**good, "path": "../x"},
    ]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    digest = good["hash"].removeprefix("sha256:")
    assert verify(tmp_path) == [
        "data/deep/x.csv: expected 99 bytes, found 4 (truncated or changed)",  # "x\n1\n" is 4 bytes
        f"data/deep/x.csv: sha256 mismatch: expected {'0' * 64}, found {digest}",
        "data/gone.csv: missing",
        "refused the path '': a package may only name files inside its own folder (no absolute paths, '..' or URLs)",
        "refused the path '../x': a package may only name files inside its own folder (no absolute paths, '..' or URLs)",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, "datapackage.json cannot be read (FileNotFoundError: "),
        ("not json", "datapackage.json cannot be read (JSONDecodeError: "),
        ("{}", "datapackage.json cannot be read (KeyError: 'resources')"),
        ("[]", "datapackage.json cannot be read (TypeError: "),
        ('{"resources": {"a": 1}}', "datapackage.json has no list of resources"),
        ('{"resources": ["a"]}', "datapackage.json has no list of resources"),
    ],
)
def test_verify_names_a_descriptor_it_cannot_use(tmp_path, text, problem):
    if text is not None:
        (tmp_path / "datapackage.json").write_text(text)
    (found,) = verify(tmp_path)
    assert found.startswith(problem)


@pytest.mark.parametrize("path", ["", "a\\b.csv", "https://example.org/x.csv", "/etc/passwd", "../x.csv", "clean/../../x.csv"])
def test_safe_path_refuses_what_could_leave_the_package(path):
    from aidstats.errors import PackageError
    from aidstats.package import safe_path  # the one check, shared by download, diff and verify

    with pytest.raises(PackageError, match=re.escape(f"refused the path {path!r}")) as err:
        safe_path(path)
    assert err.value.kind == "unsafe"


def test_safe_path_keeps_a_path_inside_the_package():
    from pathlib import PurePosixPath

    from aidstats.remote.fetch import safe_path

    assert safe_path("clean/x.csv") == PurePosixPath("clean", "x.csv")


def test_a_descriptor_without_a_files_hash_is_refused(published, tmp_path):
    descriptor = json.loads((published / "datapackage.json").read_text())
    (resource,) = [r for r in descriptor["resources"] if r["path"] == PARQUET]
    del resource["hash"]
    (published / "datapackage.json").write_text(json.dumps(descriptor))
    with serve(published) as base, pytest.raises(DownloadError) as err:
        download(base + "datapackage.json", tmp_path / "data")
    assert f"{PARQUET}: datapackage.json gives no sha256 hash, so the file cannot be verified" in str(err.value)
    assert err.value.kind == "hash" and not (tmp_path / "data").exists()


# --- load(source=...) ----------------------------------------------------------------


@pytest.mark.parametrize("form", ["folder", "descriptor path", "descriptor path as str", "file URL", "http URL"])
def test_load_accepts_a_folder_a_descriptor_path_and_a_url(published, form):
    sources = {
        "folder": published,
        "descriptor path": published / "datapackage.json",
        "descriptor path as str": str(published / "datapackage.json"),
        "file URL": (published / "datapackage.json").as_uri(),
    }
    if form == "http URL":
        with serve(published) as base:
            frame = aidstats.load("railway_damage", source=base + "datapackage.json")
    else:
        frame = aidstats.load("railway_damage", source=sources[form])
    assert len(frame) == 16 and frame.attrs["name"] == "railway_damage"  # 16 assets in footnote 45's account


def test_load_from_a_path_without_a_package_names_it(tmp_path):
    # The words of every entry point that takes a package (aidstats.package.locate).
    expected = "expected a data package folder, its datapackage.json, a release .zip or a URL"
    with pytest.raises(FileNotFoundError, match=re.escape(f"no such folder or file: {tmp_path / 'nowhere'}; {expected}")):
        aidstats.load("railway_damage", source=tmp_path / "nowhere")
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match=re.escape(f"no data package at {tmp_path / 'other.json'}: {expected}")):
        aidstats.load("railway_damage", source=tmp_path / "other.json")


# --- the default release, the registry and the published .sha256 ---------------------


def test_default_url_comes_from_the_environment(monkeypatch):
    from aidstats.remote.fetch import default_url

    assert (
        default_url() == f"https://github.com/aidstats/aidstats/releases/download/v{metadata.VERSION}/aidstats-data-{metadata.VERSION}.zip"
    )
    monkeypatch.setenv("AIDSTATS_DATA_URL", "http://127.0.0.1:1/x.zip")
    assert default_url() == "http://127.0.0.1:1/x.zip"


@pytest.fixture
def local_release(release, monkeypatch, tmp_path):
    """The default release URL pointed at a local server holding the archive; yields the served folder."""
    served = tmp_path / "served"
    shutil.copytree(release, served)
    with serve(served) as base:
        monkeypatch.setattr(metadata, "RELEASE_URL", base + "aidstats-data-{version}.zip")
        yield served


def test_the_default_release_is_checked_against_the_installed_registry(local_release, monkeypatch, tmp_path):
    from aidstats.remote.fetch import retrieve

    registry = tmp_path / "registry.txt"
    registry.write_text(f"{ARCHIVE} {sha256(local_release / ARCHIVE)}\n")
    monkeypatch.setattr("aidstats.package.REGISTRY", registry)
    (local_release / f"{ARCHIVE}.sha256").write_text("0" * 64)  # the registry wins over the server's word
    result = retrieve()
    assert f"matches the sha256 recorded for this release in aidstats {metadata.VERSION}" in result.message and verify(result.folder) == []


def test_a_default_release_unlike_the_registry_is_refused(local_release, monkeypatch, tmp_path, cache):
    wrong = "f" * 64
    registry = tmp_path / "registry.txt"
    registry.write_text(f"{ARCHIVE} {wrong}\n")
    monkeypatch.setattr("aidstats.package.REGISTRY", registry)
    with pytest.raises(DownloadError) as err:
        download()
    message = str(err.value)
    assert f"expected {wrong}, found {sha256(local_release / ARCHIVE)}" in message
    assert (
        f"recorded for this release in aidstats {metadata.VERSION}" in message
        and "nothing was saved" in message
        and err.value.kind == "hash"
    )
    assert "AIDSTATS_DATA_URL" not in message  # the URL was not taken from it
    assert not cache.parent.exists()


def test_the_published_sha256_beside_an_archive_is_used(release, tmp_path):
    from aidstats.remote.fetch import retrieve

    log = []
    with serve(release, log=log) as base:
        result = retrieve(base + ARCHIVE, tmp_path / "data")
    assert f"/{ARCHIVE}.sha256" in log
    assert f"the archive's sha256 matches {base}{ARCHIVE}.sha256" in result.message


def test_an_archive_unlike_its_published_sha256_is_refused(release, tmp_path):
    served = tmp_path / "served"
    shutil.copytree(release, served)
    (served / f"{ARCHIVE}.sha256").write_text(f"{'0' * 64}  {ARCHIVE}\n")
    with serve(served) as base, pytest.raises(DownloadError) as err:
        download(base + ARCHIVE, tmp_path / "data")
    assert f"expected {'0' * 64}, found {sha256(release / ARCHIVE)}" in str(err.value)
    assert f"{base}{ARCHIVE}.sha256" in str(err.value)
    assert not (tmp_path / "data").exists()


def test_an_archive_without_a_published_sha256_is_checked_file_by_file(release, tmp_path):
    from aidstats.remote.fetch import retrieve

    served = tmp_path / "served"
    shutil.copytree(release, served)
    (served / f"{ARCHIVE}.sha256").unlink()
    with serve(served) as base:
        result = retrieve(base + ARCHIVE, tmp_path / "data")
    assert f"no {base}{ARCHIVE}.sha256 is published, so the archive as a whole was not checked" in result.message
    assert "every file's size and sha256 match datapackage.json" in result.message and verify(result.folder) == []


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"<html>not here</html>\n", "b'<html>not'"),
        (b"", "an empty file"),
        (b"\xff\xfe", "b'\\xff\\xfe'"),
        (b"abc123  x.zip", "b'abc123'"),
        (b"x" * 100, repr(b"x" * 70)),
    ],
)
def test_a_published_sha256_that_holds_no_hash_is_refused(release, tmp_path, content, found):
    served = tmp_path / "served"
    shutil.copytree(release, served)
    (served / f"{ARCHIVE}.sha256").write_bytes(content)
    with serve(served) as base, pytest.raises(DownloadError) as err:
        download(base + ARCHIVE, tmp_path / "data")
    assert str(err.value).startswith(
        f"{base}{ARCHIVE}.sha256 does not hold a sha256: expected 64 hexadecimal digits, found {found}; nothing was saved"
    )


def test_a_published_sha256_in_capitals_is_accepted(release, tmp_path):
    served = tmp_path / "served"
    shutil.copytree(release, served)
    (served / f"{ARCHIVE}.sha256").write_text(f"{sha256(release / ARCHIVE).upper()}  {ARCHIVE}\n")
    with serve(served) as base:
        assert verify(download(base + ARCHIVE, tmp_path / "data")) == []


@pytest.mark.slow  # three tries of half a second each; test_server_faults_are_named_and_leave_nothing times out in the fast loop
@pytest.mark.parametrize("stalled", [ARCHIVE, f"{ARCHIVE}.sha256", "datapackage.json"])
def test_an_archive_its_sha256_or_a_descriptor_not_sent_in_time_is_a_time_out(release, published, tmp_path, stalled):
    site, asked = (published, "datapackage.json") if stalled == "datapackage.json" else (release, ARCHIVE)
    with serve(site, faults={f"/{stalled}": "stall"}, stall_seconds=2) as base, pytest.raises(DownloadError) as err:
        download(base + asked, tmp_path / "data", timeout=0.5)
    assert str(err.value).startswith(f"timed out: no answer within 0.5 s from 127.0.0.1 for {base}{stalled} (tried 3 times)")


def test_a_published_sha256_the_server_refuses_stops_the_download(release, tmp_path):
    with serve(release, faults={f"/{ARCHIVE}.sha256": 403}) as base, pytest.raises(DownloadError) as err:
        download(base + ARCHIVE, tmp_path / "data")
    assert str(err.value).startswith(f"the server answered HTTP 403 Forbidden for {base}{ARCHIVE}.sha256")


@pytest.mark.parametrize("failure", [404, "refused", "unresolved"])
def test_a_missing_default_release_says_so_and_how_to_choose_another(failure, release, monkeypatch, cache):
    with serve(release, faults={f"/{ARCHIVE}": 404}) as base:
        url = {404: base, "refused": f"http://127.0.0.1:{closed_port()}/", "unresolved": "http://aidstats-test.invalid/"}[failure]
        monkeypatch.setattr(metadata, "RELEASE_URL", url + "aidstats-data-{version}.zip")
        result = run_cli("download")
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert f"the release archive of aidstats {metadata.VERSION} is not available at {url}{ARCHIVE}" in message
    assert "aidstats download URL" in message and "AIDSTATS_DATA_URL" in message
    assert "Traceback" not in result.output and not cache.parent.exists()


def test_a_failing_url_from_the_environment_says_where_it_came_from(monkeypatch):
    url = f"http://127.0.0.1:{closed_port()}/{ARCHIVE}"
    monkeypatch.setenv("AIDSTATS_DATA_URL", url)
    with pytest.raises(DownloadError, match=re.escape(f"(the URL {url} is from AIDSTATS_DATA_URL)")):
        download()


def test_a_url_passed_while_the_environment_names_another_is_not_blamed_on_it(monkeypatch):
    monkeypatch.setenv("AIDSTATS_DATA_URL", "http://127.0.0.1:1/elsewhere.zip")
    with pytest.raises(DownloadError) as err:
        download(f"http://127.0.0.1:{closed_port()}/{ARCHIVE}")
    assert "AIDSTATS_DATA_URL" not in str(err.value)


# --- failures: each named, each leaving nothing behind --------------------------------


def test_one_changed_byte_fails_with_a_hash_mismatch_and_leaves_nothing(published, tmp_path):
    data = bytearray((published / PARQUET).read_bytes())
    data[100] ^= 0x01
    (published / PARQUET).write_bytes(bytes(data))
    dest = tmp_path / "data"
    with serve(published) as base:
        result = run_cli("download", base + "datapackage.json", "--dest", str(dest))
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert f"sha256 mismatch for {base}{PARQUET}" in message
    assert f"expected {sha256(ROOT / PARQUET)}, found {hashlib.sha256(bytes(data)).hexdigest()}" in message
    assert "The expected hash is the one datapackage.json gives" in message
    assert "nothing was saved" in message and "Traceback" not in result.output
    assert not dest.exists()


SIZE = (ROOT / PARQUET).stat().st_size
FAULTS = {
    404: ("not-found", "{url} was not found on the server (HTTP 404)"),
    410: ("not-found", "{url} was not found on the server (HTTP 410)"),
    403: ("http", "the server answered HTTP 403 Forbidden for {url}; nothing"),
    500: ("http", "the server answered HTTP 500 Internal Server Error for {url} (tried 3 times)"),
    # The server sends the first half of the file and closes the connection.
    "truncate": (
        "truncated",
        f"the connection closed after {SIZE // 2} of {SIZE} bytes of {{url}}: the body was truncated (tried 3 times)",
    ),
    "stall": ("timeout", "timed out: no answer within 0.5 s from 127.0.0.1 for {url} (tried 3 times)"),
    "stall-body": ("timeout", "timed out: no answer within 0.5 s from 127.0.0.1 for {url} (tried 3 times)"),
}


# "stall-body" waits three half-second time-outs: slow; "stall" keeps a time-out in the fast loop.
@pytest.mark.parametrize("fault", [pytest.param(f, marks=pytest.mark.slow) if f == "stall-body" else f for f in FAULTS])
def test_server_faults_are_named_and_leave_nothing(published, tmp_path, fault, sleeps):
    dest = tmp_path / "new" / "data"
    log = []
    with serve(published, faults={"/" + PARQUET: fault}, stall_seconds=2, log=log) as base, pytest.raises(DownloadError) as err:
        download(base + "datapackage.json", dest, timeout=0.5)
    kind, words = FAULTS[fault]
    assert words.format(url=base + PARQUET) in str(err.value) and err.value.kind == kind
    assert f"nothing was saved in {dest}" in str(err.value)
    assert not (tmp_path / "new").exists() and not list(tmp_path.glob(".aidstats-download*"))
    # Transient failures are tried 1 + 2 times with pooch's waits of 1 s then 2 s; a final answer once.
    tries = 3 if "tried 3 times" in words else 1
    assert log.count("/" + PARQUET) == tries
    # Each file asked n times was waited for n - 1 times (on a busy machine the descriptor itself
    # may miss the 0.5 s and be asked again, so its waits are counted too).
    assert sorted(sleeps) == sorted(wait for path in set(log) for wait in [1, 2][: log.count(path) - 1])


# Request Timeout, Too Early, Too Many Requests, and the server errors that may pass: 500, 502, 503, 504.
@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_every_status_that_may_pass_is_asked_again(published, tmp_path, status, sleeps):
    log = []
    with serve(published, faults={"/" + PARQUET: status}, log=log) as base, pytest.raises(DownloadError) as err:
        download(base + "datapackage.json", tmp_path / "data")
    assert log.count("/" + PARQUET) == 1 + 2 and err.value.kind == "http"
    assert f"the server answered HTTP {status} " in str(err.value) and "(tried 3 times)" in str(err.value)


def test_a_refused_connection_is_named_and_leaves_no_cache_folder(cache):
    port = closed_port()
    with pytest.raises(DownloadError) as err:
        download(f"http://127.0.0.1:{port}/datapackage.json")
    assert str(err.value).startswith(f"the connection to 127.0.0.1:{port} was refused (nothing listens there, or a firewall refused it)")
    assert "(tried 3 times)" in str(err.value) and err.value.kind == "refused"
    assert not cache.parent.exists()


def test_an_https_url_is_accepted_and_its_failure_named(tmp_path):
    port = closed_port()
    with pytest.raises(DownloadError) as err:
        download(f"https://127.0.0.1:{port}/datapackage.json", tmp_path / "data")
    assert str(err.value).startswith(f"the connection to 127.0.0.1:{port} was refused") and err.value.kind == "refused"


def test_a_name_that_does_not_resolve_is_named(tmp_path, sleeps):
    host = "aidstats-test.invalid"
    with pytest.raises(socket.gaierror) as answer:
        socket.getaddrinfo(host, 80)
    # "No such name" is final; a resolver that cannot be reached ("try again") is asked again.
    temporary = answer.value.errno == socket.EAI_AGAIN
    with pytest.raises(DownloadError) as err:
        download(f"http://{host}/datapackage.json", tmp_path / "data")
    assert str(err.value).startswith(f"the host name '{host}' does not resolve (no such host, or no network)")
    assert err.value.kind == "unresolved" and ("(tried 3 times)" in str(err.value)) == temporary
    assert not (tmp_path / "data").exists() and sleeps == ([1, 2] if temporary else [])


@pytest.mark.parametrize(("errno", "tries"), [(socket.EAI_NONAME, 1), (socket.EAI_AGAIN, 1 + 2)])
def test_a_resolver_that_may_answer_later_is_asked_again(tmp_path, monkeypatch, sleeps, errno, tries):
    # Whatever this machine's resolver says: "no such name" is final, "try again" is retried.
    asked = []

    def resolver(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror(errno, "from the test")

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(DownloadError) as err:
        download("http://aidstats-test.invalid/datapackage.json", tmp_path / "data")
    assert err.value.kind == "unresolved" and asked == ["aidstats-test.invalid"] * tries
    assert sleeps == [1, 2][: tries - 1] and ("(tried 3 times)" in str(err.value)) == (tries == 3)


def test_another_network_failure_is_reported_with_its_cause(tmp_path):
    url = "http://127.0.0.1:99999/datapackage.json"  # no such port
    with pytest.raises(DownloadError) as err:
        download(url, tmp_path / "data")
    assert str(err.value).startswith(f"the download of {url} failed (") and err.value.kind == "network"
    assert "99999" in str(err.value) and "(tried 3 times)" in str(err.value)


def test_a_transient_failure_is_retried(published, tmp_path, sleeps):
    log = []
    with serve(published, faults={"/" + PARQUET: "flaky"}, log=log) as base:
        folder = download(base + "datapackage.json", tmp_path / "data")
    assert verify(folder) == [] and log.count("/" + PARQUET) == 2 and sleeps == [1]


def test_a_missing_file_url_is_named(tmp_path):
    missing = tmp_path / "site" / "datapackage.json"
    with pytest.raises(DownloadError, match=re.escape(f"{missing} does not exist (from {missing.as_uri()})")) as err:
        download(missing.as_uri(), tmp_path / "data")
    assert not (tmp_path / "data").exists() and err.value.kind == "not-found"


def test_a_file_url_archive_without_its_sha256_is_checked_file_by_file(release, tmp_path):
    from aidstats.remote.fetch import retrieve

    shutil.copy(release / ARCHIVE, tmp_path / ARCHIVE)  # no .sha256 beside it
    url = (tmp_path / ARCHIVE).as_uri()
    result = retrieve(url, tmp_path / "data")
    assert f"no {url}.sha256 is published, so the archive as a whole was not checked" in result.message
    assert verify(result.folder) == []


def test_a_descriptor_naming_files_folders_deep_is_downloaded(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    tiny_package(site)
    with serve(site) as base:
        folder = download(base + "datapackage.json", tmp_path / "data")
    assert (folder / "data" / "deep" / "x.csv").read_bytes() == b"x\n1\n" and verify(folder) == []


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("<html><body>Not a package</body></html>", "JSONDecodeError: Expecting value: line 1 column 1 (char 0)"),
        ("{}", "KeyError: 'resources'"),
        ('{"resources": [{"name": "x"}]}', "KeyError: 'path'"),
        ("[1]", "TypeError: "),
    ],
)
def test_a_page_that_is_not_a_descriptor_is_named(tmp_path, body, why):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(body)
    with serve(site) as base, pytest.raises(DownloadError) as err:
        download(base + "index.html", tmp_path / "data")
    assert str(err.value).startswith(f"{base}index.html is not a datapackage.json ({why}")
    assert err.value.kind == "invalid" and not (tmp_path / "data").exists()


def test_a_dest_that_is_a_file_is_refused(published, tmp_path):
    dest = tmp_path / "file"
    dest.write_text("mine")
    with pytest.raises(DownloadError, match=re.escape(f"{dest} is a file, not a folder")) as err:
        download((published / "datapackage.json").as_uri(), dest)
    assert dest.read_text() == "mine" and err.value.kind == "local"


def test_files_are_staged_in_a_hidden_folder_beside_the_destination(published, tmp_path, monkeypatch):
    # Beside it, so moving in is a rename on one file system; hidden, so a listing does not show it meanwhile.
    from aidstats.remote import fetch as fetch

    staged, move_in = [], fetch._move_in
    monkeypatch.setattr(fetch, "_move_in", lambda staging, *rest: (staged.append(staging), move_in(staging, *rest)))
    download((published / "datapackage.json").as_uri(), tmp_path / "new" / "data")
    (staging,) = staged
    assert staging.parent.parent == tmp_path and staging.parent.name.startswith(".aidstats-download-")
    assert not staging.parent.exists()


def test_a_staging_folder_that_cannot_be_removed_changes_no_answer(published, tmp_path, monkeypatch):
    # Removing the staging folder is tidying up: if it fails, a good download still answers and a
    # failed one still says why, rather than either turning into the clean-up's own error.
    real_rmdir = os.rmdir

    def rmdir(path, *args, **kwargs):
        if Path(path).name.startswith(".aidstats-download-"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", rmdir)
    assert verify(download((published / "datapackage.json").as_uri(), tmp_path / "data")) == []
    with pytest.raises(DownloadError) as err:
        download((tmp_path / "nowhere" / "datapackage.json").as_uri(), tmp_path / "other")
    assert err.value.kind == "not-found"


def test_an_unsupported_scheme_is_refused(tmp_path):
    with pytest.raises(
        DownloadError, match=re.escape("cannot download 'ftp://127.0.0.1/x.zip': expected an https://, http:// or file:// URL")
    ):
        download("ftp://127.0.0.1/x.zip", tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_descriptor_path_with_dotdot_is_refused(published, tmp_path):
    descriptor = json.loads((published / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = "../../outside.csv"
    (published / "datapackage.json").write_text(json.dumps(descriptor))
    dest = tmp_path / "data"
    with serve(published) as base, pytest.raises(DownloadError, match=re.escape("refused the path '../../outside.csv'")):
        download(base + "datapackage.json", dest)
    assert not dest.exists() and not (tmp_path / "outside.csv").exists()


@pytest.mark.parametrize("member", ["../escape.txt", "/tmp/absolute.txt", "link"])
def test_archive_member_that_escapes_is_refused(tmp_path, member):
    site = tmp_path / "site"
    site.mkdir()
    with zipfile.ZipFile(site / "bad.zip", "w") as archive:
        archive.writestr("pkg/datapackage.json", "{}")
        if member == "link":
            info = zipfile.ZipInfo("pkg/link")
            info.external_attr = 0o120777 << 16  # a symbolic link
            archive.writestr(info, "/etc/passwd")
        else:
            archive.writestr(member, "x")
    dest = tmp_path / "data"
    with serve(site) as base, pytest.raises(DownloadError, match="refused") as err:
        download(base + "bad.zip", dest)
    assert not dest.exists() and err.value.kind == "unsafe"


def test_a_file_that_is_not_a_zip_is_named(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "x.zip").write_text("not a zip")
    with serve(site) as base, pytest.raises(DownloadError, match=re.escape(f"{base}x.zip is not a readable zip archive")):
        download(base + "x.zip", tmp_path / "data")
    assert not (tmp_path / "data").exists()


# --- readers nobody here wrote ------------------------------------------------------


def test_frictionless_reads_the_package_over_http(published):
    with serve(published) as base:
        package = frictionless.Package(base + "datapackage.json")
        rows = package.get_resource("mineral_exports").read_rows()
    assert len(rows) == 16 and rows[0]["commodity"] == "gold/silver ore"


def test_readers_nobody_here_wrote_open_the_downloaded_package(release, tmp_path):
    dest = tmp_path / "data"
    with serve(release) as base:
        download(base + ARCHIVE, dest)
    parquet = dest / "clean" / "aid_deliveries.parquet"
    # In a fresh interpreter: run in-process, DuckDB and polars made this test hang in a forked process
    # once the parent had run it (mutmut runs each mutant in a fork); and a user meets them in their own.
    code = (
        "import sys, duckdb, polars; p = sys.argv[1]; "
        "print(duckdb.connect().execute(f\"select count(*) from read_parquet('{p}')\").fetchone()[0], polars.read_parquet(p).height)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(parquet)], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["84", "84"], done.stderr  # 84 rows of goods in footnote 53's list
    assert len(pd.read_csv(dest / "clean" / "aid_deliveries.csv")) == 84
