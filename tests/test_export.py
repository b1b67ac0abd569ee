"""`aidstats export xlsx|stata|sqlite`: what Excel, Stata and Datasette users open.

The tests that only read an export share one written once per run (``written``);
under mutation testing, which runs only the tests that call the mutated function,
each of them writes its own (conftest.mutating()), so that mutmut runs them.
"""

from __future__ import annotations

import datetime
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, made_once, mutating, run_cli

from aidstats.loader import descriptor, list_tables, load, resource
from aidstats.publish.export import FORMATS
from aidstats.publish.tables import unit_symbols
from aidstats.text.numbers import heading

TABLES = list_tables(ROOT)


def _export(fmt: str, folder: Path) -> Path:
    result = run_cli("export", fmt, "--out", str(folder))
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """``written(fmt, folder)``: the folder `aidstats export FMT` wrote, once per run (made_once, conftest.py: also
    under pytest-xdist, whichever worker asks first), for the tests that only read it; under mutmut, ``folder``,
    written afresh for the test that asks."""

    def get(fmt: str, folder: Path) -> Path:
        if mutating():
            return _export(fmt, folder)
        return made_once(tmp_path_factory, f"export-{fmt}", lambda out: _export(fmt, out))

    return get


@pytest.fixture
def workbook(written, tmp_path):
    import openpyxl

    return openpyxl.load_workbook(written("xlsx", tmp_path) / "aidstats.xlsx")


@pytest.fixture
def stata(written, tmp_path) -> Path:
    return written("stata", tmp_path)


@pytest.fixture
def sqlite_export(written, tmp_path) -> Path:
    return written("sqlite", tmp_path)


@pytest.mark.slow  # every format written a second time (as the release archive's and the site's twice-written tests are)
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_byte_identical_when_written_twice(written, tmp_path, fmt):
    first, second = written(fmt, tmp_path / "first"), _export(fmt, tmp_path / "second")
    files = {
        "xlsx": ["aidstats.xlsx"],
        "stata": sorted(f"{name}.dta" for name in TABLES),
        "sqlite": ["aidstats.db", "metadata.json"],
    }[fmt]
    assert sorted(p.name for p in first.iterdir()) == files
    assert [name for name in files if (first / name).read_bytes() != (second / name).read_bytes()] == []


def test_the_command_says_what_it_wrote(tmp_path):
    result = run_cli("export", "sqlite", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    db, meta = tmp_path / "aidstats.db", tmp_path / "metadata.json"
    assert result.stdout == f"wrote {db} ({db.stat().st_size:,} bytes)\nwrote {meta} ({meta.stat().st_size:,} bytes)\n"


# --- the workbook ------------------------------------------------------------------------------


def test_the_workbook_has_about_first_then_a_sheet_per_table_then_columns(workbook):
    assert workbook.sheetnames == ["About", *TABLES, "Columns"]


def test_about_gives_title_version_citation_licence_and_caveats(workbook):
    package = descriptor(ROOT)
    facts = {row[0]: row[1] for row in workbook["About"].iter_rows(max_col=2, values_only=True) if row[0]}
    assert facts["Title"] == package["title"]
    assert facts["Version"] == package["version"]
    assert facts["Cite as"] == package["citation"]
    assert facts["Source"] == package["sources"][0]["title"]
    licence = package["licenses"][0]
    assert facts["Licence"] == f"{licence['title']} ({licence['path']})"
    assert facts["Description"] == package["description"]
    from aidstats.publish.workbook import READING

    assert facts["How to read"] == READING
    about = [row for row in workbook["About"].iter_rows(values_only=True)]
    issues = {row[3] for row in about}
    assert set(load("caveats", source=ROOT)["issue"]) <= issues, "every caveat is on the About sheet"
    start = about.index(("Table", "Rows", "Title", "Description", "Sources")) + 1
    listed = {row[0]: row[1] for row in about[start : about.index((None,) * 5, start)]}
    assert list(listed) == TABLES
    assert listed["aid_deliveries"] == 84 and listed["railway_damage"] == 16
    deliveries = next(row for row in about[start:] if row[0] == "aid_deliveries")
    meta = resource("aid_deliveries", ROOT)
    assert deliveries == ("aid_deliveries", 84, meta["title"], meta["description"], "; ".join(s["title"] for s in meta["sources"]))
    caveat = load("caveats", source=ROOT).iloc[0]
    shown = next(row for row in about if row[3] == caveat["issue"])
    missing = [None if pd.isna(caveat[c]) else caveat[c] for c in ("table", "row_key", "column_name")]
    assert shown == (*missing, caveat["issue"], caveat["treatment"])


def test_a_table_sheet_has_titled_headers_with_units_frozen_and_filtered(workbook):
    sheet = workbook["aid_deliveries"]
    fields = resource("aid_deliveries", ROOT)["schema"]["fields"]
    assert [cell.value for cell in sheet[1]] == [heading(f, fields, unit_symbols(ROOT)) for f in fields]
    assert sheet.max_row == 84 + 1  # 84 deliveries under one header row
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{84 + 1}"  # 15 columns: A to O
    mineral = [cell.value for cell in workbook["mineral_exports"][1]]
    assert mineral[:2] == ["Commodity", "Delivered (t)"]
    assert [cell.value for cell in workbook["railway_damage"][1]][2] == "Lost (see Unit)"  # its unit is in the unit column


def test_a_percentage_is_headed_alike_in_the_workbook_the_dta_and_the_database(workbook, stata, sqlite_export):
    # One heading function, with the units table's "%": not "Percent of plan (percent)" here and "(%)" on the site.
    header = [cell.value for cell in workbook["mineral_exports"][1]]
    assert header[:3] == ["Commodity", "Delivered (t)", "Percent of plan (%)"]
    with pd.io.stata.StataReader(stata / "mineral_exports.dta") as reader:
        assert reader.variable_labels()["percent_of_plan"] == "Percent of plan (%)"
    columns = json.loads((sqlite_export / "metadata.json").read_text(encoding="utf-8"))["databases"]["aidstats"]["tables"]
    assert columns["mineral_exports"]["columns"]["percent_of_plan"].endswith(" Unit: %.")
    units = {row[1]: row[3] for row in workbook["Columns"].iter_rows(min_row=2, values_only=True) if row[0] == "mineral_exports"}
    assert units["percent_of_plan"] == "%" and units["delivered_t"] == "t"


def test_a_figure_printed_as_a_phrase_shows_its_decimals(workbook):
    # "year and a half" is 1.5: one decimal, by the rule the build uses (it showed as "2" under "#,##0").
    sheet = workbook["key_figures"]
    names = [cell.value for cell in sheet[1]]
    value, printed = names.index("Value (see Unit)"), names.index("Value as printed")
    row = next(row for row in sheet.iter_rows(min_row=2) if row[printed].value == "year and a half")
    assert row[value].value == 1.5 and row[value].number_format == "#,##0.0"


def test_numbers_are_numbers_shown_in_their_printed_precision(workbook):
    rows = {row[0].value: row for row in workbook["mineral_exports"].iter_rows(min_row=2)}
    lead = rows["lead"]  # "8,443 tons of lead (120.4% of plan)"
    assert lead[1].value == 8443 and isinstance(lead[1].value, (int, float))
    assert lead[1].number_format == "#,##0"  # printed "8,443": no decimals
    assert lead[2].value == pytest.approx(120.4) and lead[2].number_format == "#,##0.0"  # printed with one decimal
    assert lead[6].value == datetime.datetime(1951, 1, 1) and lead[6].number_format == "yyyy-mm-dd"
    deliveries = workbook["aid_deliveries"]
    assert deliveries["A2"].value == 1 and deliveries["E2"].value == 240_000  # seq 1: "240,000 tons of coal"


def test_computed_numbers_keep_the_general_format(workbook):
    rows = {row[0].value: row for row in workbook["mineral_exports"].iter_rows(min_row=2)}
    plan = rows["lead"][3]  # plan_t: computed from two printed figures, so no printed precision of its own
    assert plan.value == pytest.approx(8443 / 1.204) and plan.number_format == "General"
    railway = {row[0].value: row for row in workbook["railway_damage"].iter_rows(min_row=2)}
    share = railway["factory buildings"][5]
    assert share.value == pytest.approx(452 / 559) and share.number_format == "General"
    assert railway["factory buildings"][0].number_format == "General"  # text
    assert railway["factory buildings"][2].number_format == "#,##0"  # lost, an integer read from print: "452"


def test_decimals_as_printed():
    from aidstats.publish.workbook import decimals

    assert [decimals(p) for p in ["0.84", "52.70", "1,250,000", "two", "1.5 million units", "2.5 Thousand"]] == [2, 2, 0, 0, 0, 0]


def test_every_zip_entry_of_the_workbook_is_compressed(tmp_path):
    import zipfile

    with zipfile.ZipFile(_export("xlsx", tmp_path) / "aidstats.xlsx") as book:
        assert {info.compress_type for info in book.infolist()} == {zipfile.ZIP_DEFLATED}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aidstats.xlsx"]  # no partial file left


def test_missing_values_are_empty_cells_and_long_text_wraps(workbook):
    sheet = workbook["aid_deliveries"]
    header = [cell.value for cell in sheet[1]]
    reason = header.index("Implausible because") + 1
    assert sheet.cell(row=2, column=reason).value is None  # coal from China: plausible, no reason
    commodity = header.index("Commodity") + 1
    assert not sheet.cell(row=2, column=commodity).alignment.wrap_text  # short names stay on one line
    caveats = workbook["caveats"]
    issue = [cell.value for cell in caveats[1]].index("Issue") + 1
    assert caveats.cell(row=2, column=issue).alignment.wrap_text
    assert caveats.cell(row=2, column=issue).alignment.vertical == "top"  # wrapped text reads from the top of its row
    assert not caveats.cell(row=2, column=1).alignment.wrap_text  # a short identifier is not wrapped


def test_headers_are_bold_and_columns_wide_enough_to_read(workbook):
    sheet = workbook["aid_deliveries"]
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    # "Sequence" (8 characters) is wider than any seq (84 has 2): 8 + 2 of margin.
    assert sheet.column_dimensions["A"].width == 8 + 2
    quote = [cell.value for cell in sheet[1]].index("Quote") + 1
    letter = sheet.cell(row=1, column=quote).column_letter
    assert sheet.column_dimensions[letter].width == 60  # the widest a column gets; longer quotes wrap
    about = workbook["About"]
    assert about["A1"].font.b and about["A3"].value == "Cite as" and about["A3"].font.b
    assert about.column_dimensions["B"].width == 60 and about["B3"].alignment.wrap_text
    caveats_header = next(row for row in about.iter_rows() if row[0].value == "Caveats")
    assert [cell.value for cell in caveats_header] == ["Caveats", "Row", "Column", "Issue", "Treatment"]
    assert all(cell.font.b for cell in caveats_header)
    columns = workbook["Columns"]
    assert columns.freeze_panes == "A2" and columns.auto_filter.ref == columns.dimensions
    assert all(cell.font.b for cell in columns[1]) and columns["E2"].alignment.wrap_text


def test_the_columns_sheet_describes_every_column(workbook):
    rows = list(workbook["Columns"].iter_rows(values_only=True))
    assert rows[0] == ("Table", "Column", "Title", "Unit", "Description")
    expected = sum(len(resource(name, ROOT)["schema"]["fields"]) for name in TABLES)
    assert len(rows) - 1 == expected
    assert ("mineral_exports", "delivered_t") in {row[:2] for row in rows}
    delivered = next(row for row in rows if row[:2] == ("mineral_exports", "delivered_t"))
    field = next(f for f in resource("mineral_exports", ROOT)["schema"]["fields"] if f["name"] == "delivered_t")
    assert delivered == ("mineral_exports", "delivered_t", field["title"], "t", field["description"])


# --- Stata ---------------------------------------------------------------------------------------


def test_every_dta_has_a_dataset_label_and_a_label_on_every_variable(stata):
    for name in TABLES:
        meta = resource(name, ROOT)
        with pd.io.stata.StataReader(stata / f"{name}.dta") as reader:
            data = reader.read()
            labels = reader.variable_labels()
            # Stata keeps 80 characters; a longer title is cut to 79 and marked with an ellipsis.
            title = meta["title"]
            assert reader.data_label == (title if len(title) <= 80 else title[:79] + "…"), name
        assert list(data.columns) == [f["name"] for f in meta["schema"]["fields"]], name
        # Format 118 (Stata 14 and later, Unicode), as the file's header says.
        assert (stata / f"{name}.dta").read_bytes().startswith(b"<stata_dta><header><release>118</release>"), name
        assert all(labels[column] for column in data.columns), labels
        assert len(data) == len(load(name, source=ROOT)), name


def test_dta_values_and_value_labels_read_back(stata):
    with pd.io.stata.StataReader(stata / "railway_damage.dta") as reader:
        data = reader.read()
        value_labels = reader.value_labels()
        labels = reader.variable_labels()
    enum = next(f for f in resource("railway_damage", ROOT)["schema"]["fields"] if f["name"] == "asset_group")
    assert sorted(value_labels["asset_group"].values()) == sorted(enum["constraints"]["enum"])
    assert labels["share_lost"] == "Share lost (fraction)"
    assert pd.api.types.is_integer_dtype(data["lost"]), "counts are stored as integers, not doubles"
    factory = data[data["asset"] == "factory buildings"].iloc[0]
    assert (factory["lost"], factory["prewar_total"]) == (452, 559)  # "452 of the prewar total of 559 factory buildings"
    assert factory["share_lost"] == pytest.approx(452 / 559)
    assert factory["period_start"] == pd.Timestamp("1951-01-01")
    # Stored as a Stata date (%td): days since 1 January 1960. 1951 to 1960 is 9 years and 2 leap days.
    raw = pd.read_stata(stata / "railway_damage.dta", convert_dates=False)
    assert raw["period_start"].iloc[0] == -(9 * 365 + 2)


def test_stata_names_fix_what_stata_refuses():
    from aidstats.publish.stata import stata_names

    # Only ASCII letters, digits and _, which every Stata and R reader takes.
    assert stata_names(["prix_é"]) == {"prix_é": "prix__"}
    long = "a" * 40
    assert stata_names(["if", "2nd", "unit price", long]) == {"if": "_if", "2nd": "_2nd", "unit price": "unit_price", long: "a" * 32}
    # Three names that are one once made valid: the second and third are numbered, not the first renamed.
    assert list(stata_names(["a b", "a_b", "a-b"]).values()) == ["a_b", "a_b_1", "a_b_2"]
    cut = stata_names(["x" * 33, "x" * 34])
    assert list(cut.values()) == ["x" * 32, "x" * 30 + "_1"]  # 30 + len("_1") = 32


def test_what_stata_cannot_take_as_is_is_renamed_cut_or_stored_long(monkeypatch, tmp_path):
    from aidstats.publish import export, stata

    title = "A table title of more than eighty characters, which is what Stata allows in a label"
    fields = [
        {"name": "unit price", "title": "Unit price", "type": "number", "unit": "rouble"},
        {"name": "note", "title": title, "type": "string"},
    ]
    frame = pd.DataFrame({"unit price": [1.5, None], "note": pd.array(["é" * 1500, None], dtype="string")})
    other = {"title": "Other", "schema": {"fields": [{"name": "if", "title": "If", "type": "integer"}]}}
    monkeypatch.setattr(
        stata,
        "tables",
        lambda root: [("prices", {"title": title, "schema": {"fields": fields}}, frame), ("other", other, pd.DataFrame({"if": [1]}))],
    )
    written = export.export("stata", tmp_path, ROOT)
    assert [p.name for p in written] == ["prices.dta", "other.dta", "renamed.csv"]
    renamed = (tmp_path / "renamed.csv").read_text(encoding="utf-8")
    assert renamed == "table,column,stata_name\nprices,unit price,unit_price\nother,if,_if\n"  # every table's renaming
    cut = title[:79] + "…"  # 79 characters and the ellipsis: Stata's 80
    with pd.io.stata.StataReader(tmp_path / "prices.dta") as reader:
        data = reader.read()
        assert reader.data_label == cut
        assert reader.variable_labels() == {"unit_price": "Unit price (rouble)", "note": cut}
    # 1,500 two-byte characters are 3,000 bytes, beyond a str's 2,045: stored whole as a strL.
    assert data["note"].tolist() == ["é" * 1500, ""]
    assert data["unit_price"].tolist()[0] == 1.5 and pd.isna(data["unit_price"].tolist()[1])


def test_a_label_of_eighty_characters_is_kept_whole(monkeypatch, tmp_path):
    from aidstats.publish import export, stata

    title = "x" * 80
    fields = [{"name": "a", "title": "A", "type": "integer"}]
    monkeypatch.setattr(stata, "tables", lambda root: [("t", {"title": title, "schema": {"fields": fields}}, pd.DataFrame({"a": [1]}))])
    assert [p.name for p in export.export("stata", tmp_path, ROOT)] == ["t.dta"]  # nothing renamed, no renamed.csv
    with pd.io.stata.StataReader(tmp_path / "t.dta") as reader:
        assert reader.data_label == title


# --- SQLite --------------------------------------------------------------------------------------


def test_the_database_holds_every_table_with_its_keys(sqlite_export):
    with sqlite3.connect(sqlite_export / "aidstats.db") as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        assert names == TABLES
        for name in TABLES:
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(load(name, source=ROOT))
            primary = [row[1] for row in sorted(db.execute(f'PRAGMA table_info("{name}")'), key=lambda r: r[5]) if row[5]]
            assert primary == resource(name, ROOT)["schema"]["primaryKey"]
        keys = {(row[2], row[3], row[4]) for row in db.execute('PRAGMA foreign_key_list("aid_deliveries")')}
        assert {("donors", "donor_code", "code"), ("donors", "donor", "name"), ("sitc_divisions", "sitc_division", "division")} <= keys
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        columns = {row[1]: (row[2], row[3]) for row in db.execute('PRAGMA table_info("aid_deliveries")')}
        assert columns["seq"] == ("INTEGER", 1) and columns["quantity_base"] == ("REAL", 1) and columns["donor"] == ("TEXT", 1)
        assert columns["implausible_reason"] == ("TEXT", 0)  # not required: may be NULL
        # (donor_code, donor) names donors by (code, name), so donors keeps that pair unique, as SQLite requires.
        unique = [row[1] for row in db.execute('PRAGMA index_list("donors")') if row[2] and row[3] == "u"]
        assert [[c[2] for c in db.execute(f'PRAGMA index_info("{index}")')] for index in unique] == [["code", "name"]]
        (delivered,) = db.execute("SELECT delivered_t FROM mineral_exports WHERE commodity = 'lead'").fetchone()
        assert delivered == 8443  # "8,443 tons of lead"
        assert db.execute("SELECT period_end FROM railway_damage LIMIT 1").fetchone() == ("1951-06-30",)


def test_a_broken_foreign_key_stops_the_export_and_names_the_row(monkeypatch, tmp_path):
    from aidstats.publish import database, tables

    real = tables.tables

    def with_a_stray_donor(root):
        everything = real(root)
        for name, _, frame in everything:
            if name == "aid_deliveries":
                frame.loc[frame["seq"] == 2, "donor_code"] = "XXX"
        return everything

    monkeypatch.setattr(database, "tables", with_a_stray_donor)
    result = run_cli("export", "sqlite", "--out", str(tmp_path))
    assert result.exit_code == 1
    line = result.stderr.splitlines()
    # Both keys that name the donor fail: donor_code alone, and donor_code with donor.
    assert line == [
        f"Error: cannot write {tmp_path / 'aidstats.db'}: "
        "aid_deliveries row seq=2: donor_code='XXX' names no row of donors (code); "
        "aid_deliveries row seq=2: donor_code='XXX', donor='China' names no row of donors (code, name)"
    ]
    assert list(tmp_path.iterdir()) == [], "nothing half-written is left"


def test_many_broken_keys_are_counted_not_all_listed(monkeypatch, tmp_path):
    from aidstats.publish import database, export, tables

    real = tables.tables

    def every_unit_unknown(root):
        everything = real(root)
        for name, _, frame in everything:
            if name == "railway_damage":
                frame["unit"] = "furlong"
        return everything

    monkeypatch.setattr(database, "tables", every_unit_unknown)
    with pytest.raises(export.ExportError) as caught:
        export.export("sqlite", tmp_path, ROOT)
    message = str(caught.value)
    assert message.count("names no row of units (unit)") == 5
    assert message.endswith(f"; and {16 - 5} more")  # 16 railway rows, each naming the unknown unit once


def test_five_broken_keys_are_all_listed(monkeypatch, tmp_path):
    from aidstats.publish import database, export, tables

    real = tables.tables

    def five_units_unknown(root):
        everything = real(root)
        for name, _, frame in everything:
            if name == "railway_damage":
                frame["unit"] = frame["unit"].astype("string")  # a categorical takes only its categories
                frame.loc[frame.index[:5], "unit"] = "furlong"
        return everything

    monkeypatch.setattr(database, "tables", five_units_unknown)
    with pytest.raises(export.ExportError) as caught:
        export.export("sqlite", tmp_path, ROOT)
    assert str(caught.value).count("names no row of units (unit)") == 5 and "more" not in str(caught.value)


def test_a_file_named_like_a_partial_database_is_left_alone(tmp_path):
    # Temporary files have names of their own (aidstats.package.output_file), so a file called
    # aidstats.db.part is someone else's: it is neither used nor removed.
    (tmp_path / "aidstats.db.part").write_bytes(b"not made by aidstats")
    _export("sqlite", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aidstats.db", "aidstats.db.part", "metadata.json"]
    assert (tmp_path / "aidstats.db.part").read_bytes() == b"not made by aidstats"
    with sqlite3.connect(tmp_path / "aidstats.db") as db:
        assert db.execute("SELECT count(*) FROM aid_deliveries").fetchone() == (84,)


def test_a_broken_key_names_the_row_by_its_primary_key_in_key_order():
    from aidstats.publish.database import _broken

    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("CREATE TABLE p (k TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE c (a INTEGER, b INTEGER, k TEXT, PRIMARY KEY (b, a), FOREIGN KEY (k) REFERENCES p (k))")
    db.execute("BEGIN")
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute("INSERT INTO c VALUES (1, 2, 'z')")
    (broken,) = db.execute("PRAGMA foreign_key_check").fetchall()
    assert _broken(db, *broken) == "c row b=2, a=1: k='z' names no row of p (k)"  # b first, as the key declares
    db.close()


def test_datasette_metadata_comes_from_the_descriptor(sqlite_export):
    meta = json.loads((sqlite_export / "metadata.json").read_text(encoding="utf-8"))
    package = descriptor(ROOT)
    assert (meta["title"], meta["license"], meta["source"]) == (package["title"], "CC-BY-4.0", package["sources"][0]["title"])
    table = meta["databases"]["aidstats"]["tables"]["mineral_exports"]
    assert table["title"] == resource("mineral_exports", ROOT)["title"]
    assert table["columns"]["delivered_t"].endswith("Unit: t.")
    assert meta["description"] == f"{package['description']} Cite as: {package['citation']}"
    assert meta["license_url"] == package["licenses"][0]["path"]
    assert (table["license"], table["license_url"]) == ("CC-BY-4.0", package["licenses"][0]["path"])
    assert table["source"] == "; ".join(s["title"] for s in resource("mineral_exports", ROOT)["sources"])
    assert table["description"] == resource("mineral_exports", ROOT)["description"]
    assert table["sort"] == "commodity"  # its primary key
    delivered = next(f for f in resource("mineral_exports", ROOT)["schema"]["fields"] if f["name"] == "delivered_t")
    assert table["columns"]["delivered_t"] == f"Delivered: {delivered['description']} Unit: t."
    commodity = next(f for f in resource("mineral_exports", ROOT)["schema"]["fields"] if f["name"] == "commodity")
    assert table["columns"]["commodity"] == f"Commodity: {commodity['description']}"  # no unit, none said
    # Enumerations and codes with more than one value are faceted; source_id, the same on every row, is not.
    tables = meta["databases"]["aidstats"]["tables"]
    assert tables["railway_damage"]["facets"] == ["asset_group", "unit"]
    deliveries = tables["aid_deliveries"]["facets"]
    assert {"donor", "donor_code", "unit", "base_unit", "sitc_division"} <= set(deliveries) and "source_id" not in deliveries


def test_a_package_with_only_what_frictionless_requires_still_exports():
    """Titles, descriptions, constraints and sources are optional in a Table Schema; the name is used instead."""
    from aidstats.publish.database import create_statement, datasette_metadata, facets

    fields = [{"name": "code", "type": "string"}, {"name": "n", "type": "number", "unitField": "u"}, {"name": "u", "type": "string"}]
    schema = {"fields": fields, "primaryKey": ["code"]}
    schema["foreignKeys"] = [
        {"fields": ["n"], "reference": {"resource": "gone", "fields": ["key"]}},  # a table this package does not hold: left out
        {"fields": "code", "reference": {"resource": "p", "fields": "key"}},  # the one-column form
    ]
    frame = pd.DataFrame({"code": ["x", "y"], "n": [1.0, 2.0], "u": ["t", "t"]})
    meta = {"name": "t", "title": "T", "description": "D", "schema": schema}
    assert [heading(f, fields) for f in fields] == ["code", "n (see u)", "u"]  # no titles: the names
    assert create_statement(meta, {"t": ["code"], "p": ["key"]}, []) == (
        'CREATE TABLE "t" (\n  "code" TEXT,\n  "n" REAL,\n  "u" TEXT,\n  PRIMARY KEY ("code"),\n'
        '  FOREIGN KEY ("code") REFERENCES "p" ("key")\n)'
    )
    assert facets(meta, frame, {"t": ["code"], "p": ["key"]}) == ["code"]  # a code: it names rows of p
    parent = {
        "name": "p",
        "title": "P",
        "description": "",
        "schema": {"fields": [{"name": "key", "type": "string"}], "primaryKey": ["key"]},
    }
    parent["schema"]["foreignKeys"] = []
    everything = [("t", meta, frame), ("p", parent, pd.DataFrame({"key": ["x", "y"]}))]
    described = datasette_metadata(ROOT, everything)["databases"]["aidstats"]["tables"]["t"]
    assert described["source"] == ""
    assert described["columns"] == {"code": "code", "n": "n Unit: see u.", "u": "u"}


def test_a_name_with_a_double_quote_is_quoted_for_sql():
    from aidstats.publish.database import _quote

    assert _quote('say "when"') == '"say ""when"""'


def test_metadata_json_is_indented_utf8_with_characters_as_printed(sqlite_export):
    text = (sqlite_export / "metadata.json").read_bytes().decode("utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert "“" in text  # the paper's curly quotes, not \u201c


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _wait_until_answering(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"datasette exited with status {server.returncode}: {server.stderr.read().decode()}")
        try:
            _get_json(url)
            return
        except OSError:
            time.sleep(0.2)  # not listening yet
    pytest.fail(f"datasette did not answer {url} within {seconds} s")


@pytest.mark.slow  # a Datasette server started in a fresh interpreter
def test_a_live_datasette_serves_rows_facets_and_labels(sqlite_export):
    folder, port = sqlite_export, _free_port()
    command = [sys.executable, "-m", "datasette", "serve", "aidstats.db", "-m", "metadata.json", "--port", str(port), "--host", "127.0.0.1"]
    server = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/aidstats"
    try:
        _wait_until_answering(f"{base}.json", server)
        table = _get_json(f"{base}/aid_deliveries.json?_labels=on&_size=max")
        assert table["filtered_table_rows_count"] == 84
        assert len(table["rows"]) == 84
        assert "donor_code" in table["facet_results"]  # a default facet from metadata.json, not asked for in the URL
        chinese = {facet["value"]: facet["count"] for facet in table["facet_results"]["donor_code"]["results"]}
        expected = int((load("aid_deliveries", source=ROOT)["donor_code"] == "CHN").sum())
        assert chinese["CHN"] == expected
        first = table["rows"][0]
        assert first["donor_code"] == {"value": "CHN", "label": "China"}  # the foreign key, labelled by donors.name
        sql = _get_json(f"{base}.json?sql=select+count(*)+as+n+from+railway_damage&_shape=array")
        assert sql == [{"n": 16}]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()


# --- the release archive and the site ----------------------------------------------------------


def test_write_exports_describes_each_file_with_its_size_and_hash(tmp_path):
    import hashlib

    from aidstats.publish.export import write_exports

    files = write_exports(tmp_path, ROOT)
    assert [(f.format, f.path.relative_to(tmp_path).as_posix()) for f in files][:2] == [
        ("xlsx", "xlsx/aidstats.xlsx"),
        ("stata", f"stata/{TABLES[0]}.dta"),
    ]
    for made in files:
        assert made.bytes == made.path.stat().st_size
        assert made.sha256 == hashlib.sha256(made.path.read_bytes()).hexdigest()


@pytest.mark.slow  # the whole release archive written
def test_the_release_archive_holds_the_exports(tmp_path):
    import zipfile

    from aidstats.publish.release import build_archive

    path, _ = build_archive(ROOT, tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    folder = path.name.removesuffix(".zip")
    assert f"{folder}/exports/xlsx/aidstats.xlsx" in names
    assert f"{folder}/exports/sqlite/metadata.json" in names
    assert {f"{folder}/exports/stata/{name}.dta" for name in TABLES} <= set(names)
    assert names == sorted(names), "members in a stable order"


# --- without the export extra ------------------------------------------------------------------


@pytest.mark.parametrize("args", [["export", "xlsx", "--out", "{tmp}/out"], ["package", "--out", "{tmp}/dist"]])
def test_a_command_needing_openpyxl_names_the_export_extra(monkeypatch, tmp_path, args):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed: importing it fails
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 1
    assert result.stderr == 'Error: this command needs openpyxl: pip install "aidstats[export]"\n'
    assert list(tmp_path.iterdir()) == [], "a command that cannot run writes nothing"


def test_from_python_the_message_names_the_function(monkeypatch, tmp_path):
    from aidstats.extras import MissingExtra
    from aidstats.publish.export import export

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingExtra, match=r"aidstats\.export\.export\('xlsx'\) needs openpyxl: pip install \"aidstats\[export\]\""):
        export("xlsx", tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["stata", "sqlite"])
def test_stata_and_sqlite_need_no_extra(monkeypatch, tmp_path, fmt):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert run_cli("export", fmt, "--out", str(tmp_path)).exit_code == 0


# --- from another package ------------------------------------------------------------------------


@pytest.fixture
def other_package(project_copy) -> Path:
    """A copy of the package with a new title, table title and date, and no units table (so a unit is written as
    its code, "percent" where the package has "%"): what an export must follow."""
    path = project_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["title"], package["created"] = "A package of another title", "2030-05-06T00:00:00Z"
    railway = next(r for r in package["resources"] if r["name"] == "railway_damage")
    railway["title"] = "Railway losses, retitled"
    railway["schema"]["fields"][2]["title"] = "Lost, retitled"  # lost
    del railway["sources"]  # optional in a data package
    package["resources"] = [r for r in package["resources"] if not r["name"].startswith("caveats")]  # so is a caveats table
    package["resources"] = [r for r in package["resources"] if r["name"] != "units"]  # and a units table
    path.write_text(json.dumps(package), encoding="utf-8")
    return project_copy


@pytest.mark.slow  # every format written twice over for another package
def test_every_format_follows_the_package_given(other_package, tmp_path):
    import openpyxl

    for fmt in FORMATS:
        result = run_cli("export", fmt, "--source", str(other_package), "--out", str(tmp_path / fmt))
        assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "aidstats.xlsx")
    assert book["About"]["B1"].value == "A package of another title"
    assert book["railway_damage"]["C1"].value == "Lost, retitled (see Unit)"
    assert book["mineral_exports"]["C1"].value == "Percent of plan (percent)"  # no units table: the unit's code, not "%"
    about = [row for row in book["About"].iter_rows(values_only=True)]
    assert next(row for row in about if row[0] == "railway_damage")[4] is None  # no sources to name: an empty cell
    assert "Caveats" not in {row[0] for row in about} and "caveats" not in book.sheetnames
    assert book.properties.created == book.properties.modified == datetime.datetime(2030, 5, 6)
    assert book.properties.creator == "aidstats"
    with pd.io.stata.StataReader(tmp_path / "stata" / "railway_damage.dta") as reader:
        assert reader.data_label == "Railway losses, retitled"
        assert reader.variable_labels()["lost"] == "Lost, retitled (see Unit)"
        assert reader.time_stamp == "06 May 2030 00:00"
    meta = json.loads((tmp_path / "sqlite" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == "A package of another title"
    from aidstats.publish.export import write_exports

    made = {f.path.name: f.path for f in write_exports(tmp_path / "all", other_package)}
    assert json.loads(made["metadata.json"].read_text(encoding="utf-8"))["title"] == "A package of another title"
    assert meta["databases"]["aidstats"]["tables"]["railway_damage"]["title"] == "Railway losses, retitled"


def test_every_zip_entry_of_the_workbook_carries_the_package_date(written, tmp_path):
    import zipfile

    with zipfile.ZipFile(written("xlsx", tmp_path) / "aidstats.xlsx") as book:
        dates = {info.date_time for info in book.infolist()}
    created = descriptor(ROOT)["created"]  # "2026-11-27T00:00:00Z"
    assert dates == {(int(created[:4]), int(created[5:7]), int(created[8:10]), 0, 0, 0)}


def test_an_unknown_format_from_python_says_which_there_are(tmp_path):
    from aidstats.publish.export import export

    with pytest.raises(ValueError, match=r"^no export format 'csv'; expected one of: xlsx, stata, sqlite$"):
        export("csv", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_control_characters_that_xml_cannot_hold_are_shown_as_symbols(monkeypatch, project_copy, tmp_path):
    """XML 1.0, and so a workbook, cannot hold most control characters; each is written as its
    Unicode control picture (U+2400 + its code) rather than failing the export or vanishing."""
    import openpyxl

    from aidstats.publish import export, tables, workbook

    path = project_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["title"] = "A title\x01"
    path.write_text(json.dumps(package), encoding="utf-8")
    real = tables.tables

    def hostile(root):
        everything = real(root)
        for name, _, frame in everything:
            if name == "aid_deliveries":
                frame.loc[frame["seq"] == 1, "commodity"] = "one\x00two\x07three\tfour"
        return everything

    monkeypatch.setattr(workbook, "tables", hostile)
    export.export("xlsx", tmp_path, project_copy)
    book = openpyxl.load_workbook(tmp_path / "aidstats.xlsx")
    assert book["About"]["B1"].value == "A title\u2401"
    assert book["aid_deliveries"]["D2"].value == "one\u2400two\u2407three\tfour"  # a tab is legal XML: kept


def test_text_that_begins_with_an_equals_sign_is_text_in_the_workbook_not_a_formula(monkeypatch, tmp_path):
    """Data is never code: a note reading "=HYPERLINK(...)" must open in Excel as those characters, not as a link it runs."""
    import openpyxl

    import aidstats.publish.workbook as workbook_module
    from aidstats.loader import data_root
    from aidstats.publish.tables import tables as real_tables

    formula = '=HYPERLINK("http://example.invalid/","click")'

    def tables(root):
        everything = real_tables(root)
        for name, _meta, frame in everything:
            if name == "sources":
                frame.loc[frame["source_id"] == "fn45", "note"] = formula
        return everything

    monkeypatch.setattr(workbook_module, "tables", tables)
    (path,) = workbook_module.write_workbook(data_root(), tmp_path)
    sheet = openpyxl.load_workbook(path)["sources"]
    header = [cell.value for cell in sheet[1]]
    note = header.index(next(h for h in header if h.startswith("Note")))
    cells = [row[note] for row in sheet.iter_rows(min_row=2) if row[0].value == "fn45"]
    assert [(cell.value, cell.data_type) for cell in cells] == [(formula, "s")]


@pytest.mark.parametrize(("longest", "wrapped"), [(50, False), (51, True)])
def test_a_column_is_as_wide_as_its_longest_value_and_wraps_only_above_fifty_characters(longest, wrapped):
    import openpyxl

    from aidstats.publish.workbook import WIDEST, WRAP_FROM, _fit

    assert (WIDEST, WRAP_FROM) == (60, 50)
    sheet = openpyxl.Workbook().active
    sheet.append(["Title", "x" * longest, "A heading alone"])
    sheet.append(["short", "y", None])
    _fit(sheet)
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [7, min(longest + 2, 60), 17]  # "Title" is 5 characters, the heading 15: each plus 2
    assert [bool(sheet.cell(row, 2).alignment.wrap_text) for row in (1, 2)] == [wrapped, wrapped]
    assert not any(cell.alignment.wrap_text for cell in sheet["A"]) and not sheet["C1"].alignment.wrap_text
    empty = openpyxl.Workbook().active  # a table without rows: its header alone
    empty.append(["Heading", "z" * longest])
    _fit(empty)
    assert [empty.column_dimensions[letter].width for letter in "AB"] == [9, min(longest + 2, 60)]
