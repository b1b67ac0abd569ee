from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, run_cli

import aidstats
from aidstats.package import file_facts


@pytest.mark.parametrize("command", ["build", "validate", "list", "show", "cite", "dashboard", "package", "download", "site"])
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_list_shows_every_table_with_its_rows():
    result = run_cli("list")
    assert result.exit_code == 0
    for name in aidstats.list_tables():
        assert name in result.output
    assert "84" in result.output


def test_show_prints_title_rows_and_source():
    result = run_cli("show", "mineral_exports")
    assert result.exit_code == 0
    assert "Mineral deliveries" in result.output and "beryllium concentrate" in result.output
    assert "Akimov" in result.output  # footnote 48's document


def test_show_unknown_table_lists_the_valid_ones():
    result = run_cli("show", "railways")
    assert result.exit_code == 2
    assert "railway_damage" in result.output


MARKUP = "[bold red]x[/bold red]"


@pytest.fixture
def marked_up(tmp_path):
    """A copy of the package whose caveats carry rich markup in their title, a cell and a source."""
    shutil.copytree(ROOT / "clean", tmp_path / "clean")
    path = tmp_path / "clean" / "caveats.parquet"
    table = pq.read_table(path)
    issues = table.column("issue").to_pylist()
    issues[0] = MARKUP
    where = table.schema.get_field_index("issue")
    pq.write_table(table.set_column(where, table.schema.field(where), pa.array(issues, table.schema.field(where).type)), path)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] in ("caveats", "caveats-parquet"):
            resource["title"] = f"Caveats {MARKUP}"
            resource["sources"][0]["title"] = f"The paper {MARKUP}"
        if resource["name"] == "caveats-parquet":  # the changed file's size and hash, as a build would write them
            resource.update(file_facts(path))
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return tmp_path


def _given(package, how, monkeypatch):
    """Point the command at the package: with --source, or as the bundled package."""
    if how == "source":
        return ["--source", str(package)]
    monkeypatch.setattr("aidstats.loader.data_root", lambda: package)
    return []


@pytest.mark.parametrize("how", ["source", "bundled"])
def test_show_prints_markup_in_the_data_as_typed(marked_up, monkeypatch, how):
    result = run_cli("show", "caveats", *_given(marked_up, how, monkeypatch))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = pq.read_metadata(marked_up / "clean" / "caveats.parquet").num_rows
    assert lines[0] == f"Caveats {MARKUP} ({rows} rows)"  # the title
    assert lines[-1] == f"Sources: The paper {MARKUP}"
    assert sum(line.split() == ["issue", *MARKUP.split()] for line in lines) == 1  # the cell


@pytest.mark.parametrize("how", ["source", "bundled"])
def test_list_prints_markup_in_a_title_as_typed(marked_up, monkeypatch, how):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no title wraps
    result = run_cli("list", *_given(marked_up, how, monkeypatch))
    assert result.exit_code == 0, result.output
    assert f"Caveats {MARKUP}" in result.stdout


def test_show_reads_a_package_given_by_its_descriptor(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = run_cli("show", "mineral_exports", "--rows", "2", "--source", str(ROOT / "datapackage.json"))
    assert result.exit_code == 0, result.output
    assert "Mineral deliveries" in result.stdout and "(16 rows)" in result.stdout
    # --rows 2: the first two minerals of footnote 48's list, and no third.
    shown = [line.split(None, 1)[1].strip() for line in result.stdout.splitlines() if line.split()[:1] == ["commodity"]]
    assert shown == ["gold/silver ore", "copper ore"]
