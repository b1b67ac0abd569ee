"""Publishing and downloading the package, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pytest
from conftest import ROOT, run_cli
from server import serve

import aidstats
from aidstats.fetch import DownloadError, download, verify

PARQUET = "clean/mineral_exports.parquet"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The release archive, built once, in its own folder."""
    out = tmp_path_factory.mktemp("release")
    result = run_cli("package", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def published(tmp_path) -> Path:
    """A copy of the package as a web server would hold it."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "datapackage.json", site)
    shutil.copytree(ROOT / "clean", site / "clean")
    return site


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_package_twice_gives_the_same_sha256(release, tmp_path):
    again = run_cli("package", "--out", str(tmp_path))
    assert again.exit_code == 0
    first = (release / "aidstats-data-0.1.0.zip.sha256").read_text()
    assert (tmp_path / "aidstats-data-0.1.0.zip.sha256").read_text() == first
    digest = hashlib.sha256((release / "aidstats-data-0.1.0.zip").read_bytes()).hexdigest()
    assert first == f"{digest}  aidstats-data-0.1.0.zip\n" and digest in again.output


def test_archive_holds_the_package_docs_and_licences(release):
    with zipfile.ZipFile(release / "aidstats-data-0.1.0.zip") as archive:
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
        assert f"aidstats-data-0.1.0/{name}" in names


def test_download_descriptor_then_cache_without_the_server(published, tmp_path):
    dest = tmp_path / "data"
    with serve(published) as base:
        folder = download(base + "datapackage.json", dest)
    assert folder == dest and verify(dest) == []
    for name in files(published):
        assert (dest / name).read_bytes() == (published / name).read_bytes(), name
    # The server is gone: the verified copy is used without the network.
    assert download("http://127.0.0.1:9/datapackage.json", dest) == dest
    assert len(aidstats.load("aid_deliveries", source=dest)) == 84


def test_download_archive_and_validate_it_with_frictionless(release, tmp_path):
    dest = tmp_path / "data"
    with serve(release) as base:
        result = run_cli("download", base + "aidstats-data-0.1.0.zip", "--dest", str(dest))
    assert result.exit_code == 0, result.output
    assert not [p for p in dest.iterdir() if p.name.startswith(".aidstats-download")]
    done = subprocess.run(
        [Path(sys.executable).parent / "frictionless", "validate", str(dest / "datapackage.json")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_file_url_and_load_from_url(published, tmp_path, monkeypatch):
    monkeypatch.setattr("aidstats.fetch.cache_dir", lambda: tmp_path / "cache")
    frame = aidstats.load("railway_damage", source=(published / "datapackage.json").as_uri())
    assert len(frame) == 16 and (tmp_path / "cache" / "datapackage.json").is_file()


def test_default_url_comes_from_the_environment(monkeypatch):
    from aidstats.fetch import default_url

    assert default_url().endswith("/aidstats-data-0.1.0.zip")
    monkeypatch.setenv("AIDSTATS_DATA_URL", "http://127.0.0.1:1/x.zip")
    assert default_url() == "http://127.0.0.1:1/x.zip"


def test_one_changed_byte_fails_with_a_hash_mismatch_and_leaves_nothing(published, tmp_path):
    data = bytearray((published / PARQUET).read_bytes())
    data[100] ^= 0x01
    (published / PARQUET).write_bytes(bytes(data))
    dest = tmp_path / "data"
    with serve(published) as base:
        result = run_cli("download", base + "datapackage.json", "--dest", str(dest))
    assert result.exit_code == 1
    assert "sha256 mismatch" in result.output and "mineral_exports.parquet" in result.output
    assert "expected" in result.output and "found" in result.output and "nothing was saved" in result.output
    assert files(dest) == []


@pytest.mark.parametrize(("fault", "words"), [(404, "HTTP 404"), ("truncate", "broke off"), ("stall", "timed out")])
def test_server_faults_give_clear_errors_and_leave_nothing(published, tmp_path, fault, words):
    dest = tmp_path / "data"
    with serve(published, faults={"/" + PARQUET: fault}, stall_seconds=3) as base, pytest.raises(DownloadError, match=words) as err:
        download(base + "datapackage.json", dest, timeout=1)
    assert "nothing was saved" in str(err.value) or "discarded" in str(err.value)
    assert files(dest) == []


def test_descriptor_path_with_dotdot_is_refused(published, tmp_path):
    descriptor = json.loads((published / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = "../../outside.csv"
    (published / "datapackage.json").write_text(json.dumps(descriptor))
    dest = tmp_path / "data"
    with serve(published) as base, pytest.raises(DownloadError, match=re.escape("refused the path '../../outside.csv'")):
        download(base + "datapackage.json", dest)
    assert files(dest) == [] and not (tmp_path / "outside.csv").exists()


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
    with serve(site) as base, pytest.raises(DownloadError, match="refused"):
        download(base + "bad.zip", dest)
    assert files(dest) == []


def test_frictionless_reads_the_package_over_http(published):
    with serve(published) as base:
        package = frictionless.Package(base + "datapackage.json")
        rows = package.get_resource("mineral_exports").read_rows()
    assert len(rows) == 16 and rows[0]["commodity"] == "gold/silver ore"


def test_readers_nobody_here_wrote_open_the_downloaded_package(release, tmp_path):
    dest = tmp_path / "data"
    with serve(release) as base:
        download(base + "aidstats-data-0.1.0.zip", dest)
    parquet = dest / "clean" / "aid_deliveries.parquet"
    assert duckdb.connect().execute(f"select count(*) from read_parquet('{parquet}')").fetchone()[0] == 84
    assert pl.read_parquet(parquet).height == 84
    assert len(pd.read_csv(dest / "clean" / "aid_deliveries.csv")) == 84
