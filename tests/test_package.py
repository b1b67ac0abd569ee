"""The published package, opened by readers nobody here wrote."""

from __future__ import annotations

import hashlib
import json

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pycountry
import pytest
from conftest import ROOT

import aidstats

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
TABLES = aidstats.list_tables()


def errors(report) -> list[tuple[str, str]]:
    return [(task.name, error.type) for task in report.tasks for error in task.errors]


def test_frictionless_finds_the_package_valid():
    report = frictionless.validate(str(ROOT / "datapackage.json"))
    assert report.valid, errors(report)


def test_frictionless_rejects_a_changed_byte(project_copy):
    path = project_copy / "clean" / "mineral_exports.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    report = frictionless.validate(str(project_copy / "datapackage.json"))
    assert not report.valid
    assert ("mineral_exports-parquet", "hash-count") in errors(report)


def test_package_metadata_is_complete():
    for key in ("name", "title", "description", "version", "licenses", "sources", "contributors", "created", "keywords"):
        assert DESCRIPTOR[key], key
    assert DESCRIPTOR["version"] == aidstats.__version__
    for resource in DESCRIPTOR["resources"]:
        for key in ("name", "title", "description", "path", "format", "mediatype", "bytes", "hash", "schema"):
            assert resource[key], (resource["name"], key)
        path = ROOT / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        assert resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["description"], (resource["name"], field["name"])


def test_foreign_keys_point_to_the_registers():
    keys = {r["name"]: r["schema"]["foreignKeys"] for r in DESCRIPTOR["resources"] if r["format"] == "csv"}
    for name in ("railway_damage", "mineral_exports", "aid_deliveries"):
        assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} in keys[name]
    assert {"fields": ["donor_code", "donor"], "reference": {"resource": "donors", "fields": ["code", "name"]}} in keys["aid_deliveries"]
    assert {"fields": ["unit"], "reference": {"resource": "units", "fields": ["unit"]}} in keys["aid_deliveries"]


def test_frictionless_reports_a_broken_foreign_key(project_copy):
    path = project_copy / "clean" / "aid_deliveries.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"fn53"', '"fn99"', 1), encoding="utf-8")
    package = json.loads((project_copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:  # the hash would fail first; test the key itself
        resource.pop("hash"), resource.pop("bytes")
    (project_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(project_copy / "datapackage.json"))
    assert ("aid_deliveries", "foreign-key") in errors(report)


@pytest.mark.parametrize("name", TABLES)
def test_duckdb_reads_the_parquet_file(name):
    rows = duckdb.connect().execute(f"select count(*) from read_parquet('{ROOT / 'clean' / name}.parquet')").fetchone()[0]
    assert rows == len(aidstats.load(name))


def test_duckdb_sums_the_mineral_tonnage():
    total = (
        duckdb.connect().execute(f"select sum(delivered_t) from read_parquet('{ROOT / 'clean' / 'mineral_exports.parquet'}')").fetchone()[0]
    )
    assert total == pytest.approx(aidstats.load("mineral_exports").delivered_t.sum())


@pytest.mark.parametrize("name", TABLES)
def test_polars_reads_parquet_and_csv_alike(name):
    parquet = pl.read_parquet(ROOT / "clean" / f"{name}.parquet")
    csv = pl.read_csv(ROOT / "clean" / f"{name}.csv", infer_schema=False)
    assert parquet.columns == csv.columns
    assert parquet.height == csv.height


@pytest.mark.parametrize("name", TABLES)
def test_pandas_reads_the_csv_with_the_same_values(name):
    loaded = aidstats.load(name)
    csv = pd.read_csv(ROOT / "clean" / f"{name}.csv", dtype=str, keep_default_na=False)
    assert list(csv.columns) == list(loaded.columns)
    for column in loaded.columns:
        if pd.api.types.is_float_dtype(loaded[column]):
            assert pd.to_numeric(csv[column].replace("", None)).tolist() == pytest.approx(loaded[column].tolist(), nan_ok=True)
        elif pd.api.types.is_datetime64_any_dtype(loaded[column]):
            assert csv[column].tolist() == loaded[column].dt.strftime("%Y-%m-%d").fillna("").tolist()
        else:
            assert csv[column].tolist() == loaded[column].astype(object).where(loaded[column].notna(), "").astype(str).tolist()


def test_donor_codes_are_real_iso_codes():
    for row in aidstats.load("donors").itertuples():
        if row.iso_status == "current":
            assert pycountry.countries.get(alpha_3=row.code) is not None, row.code
        else:
            historic = pycountry.historic_countries.get(alpha_3=row.code)
            assert historic is not None and historic.alpha_4 == row.iso3166_3_code, row.code
            assert pycountry.countries.get(alpha_3=row.code) is None
