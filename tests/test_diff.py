"""``aidstats diff``: two small packages written here, with their differences worked out by hand."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from server import serve

from aidstats.loader import list_tables
from aidstats.remote.diff import DiffError, diff_packages, render_json, render_text

DONORS_OLD = "code,name\nCHN,China\nPOL,Poland\nROU,Romania\n"
DONORS_NEW = "code,name\nCHN,China\nPOL,Poland\nHUN,Hungary\n"  # ROU removed, HUN added
# Keyed by donor and commodity together: POL has two rows.
DELIVERIES_OLD = "donor_code,commodity,quantity,unit\nCHN,coal,240000,t\nPOL,locomotive,22,item\nPOL,żelazo,,t\n"
DELIVERIES_NEW = "donor_code,commodity,quantity,unit\nCHN,coal,240000.0,t\nPOL,locomotive,22,item\nPOL,żelazo,700000,t\n"
UNITS = "unit,title\nt,tonne\nitem,item\n"
KEY = ["donor_code", "commodity"]

OLD = {"donors": (["code"], DONORS_OLD), "deliveries": (KEY, DELIVERIES_OLD)}
NEW = {"donors": (["code"], DONORS_NEW), "deliveries": (KEY, DELIVERIES_NEW), "units": (["unit"], UNITS)}


def write_package(folder: Path, version: str, tables: dict, **descriptor) -> Path:
    """A package like a release: per table a CSV and its Parquet copy, with sizes and hashes."""
    resources = []
    for name, (key, text) in tables.items():
        files = {f"clean/{name}.csv": text.encode(), f"clean/{name}.parquet": b"PAR1 (diff reads only the CSV)"}
        for path, data in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
            resource = {"name": name if path.endswith(".csv") else f"{name}-parquet", "path": path, "bytes": len(data)}
            resource |= {"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "schema": {"primaryKey": key}}
            resources.append(resource)
    package = {"name": "demo", "version": version, "resources": resources, **descriptor}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return folder


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    return write_package(tmp_path / "old", "0.1.0", OLD), write_package(tmp_path / "new", "0.2.0", NEW)


def empty_lists(**lists) -> dict:
    base = {"rows_added": [], "rows_removed": [], "cells_changed": [], "columns_added": [], "columns_removed": []}
    return base | lists


EXPECTED_TEXT = [
    "old: demo 0.1.0",
    "new: demo 0.2.0",
    "~ table donors changed (primary key: code)",
    '    + row code="HUN"',
    '    - row code="ROU"',
    "~ table deliveries changed (primary key: donor_code, commodity)",
    '    ~ row donor_code="CHN", commodity="coal"',
    '        quantity: "240000" → "240000.0"',  # the same number, printed differently: a change as published
    '    ~ row donor_code="POL", commodity="żelazo"',
    '        quantity: "" → "700000"',  # missing before
    "+ table units added: 2 rows, columns unit, title",
    "tables: 1 added, 0 removed, 2 changed, 0 unchanged",
]

EXPECTED_JSON = {
    "old": {"name": "demo", "version": "0.1.0", "created": None},
    "new": {"name": "demo", "version": "0.2.0", "created": None},
    "tables": {
        "donors": {
            "status": "changed",
            "primary_key": ["code"],
            **empty_lists(rows_added=[{"code": "HUN"}], rows_removed=[{"code": "ROU"}]),
        },
        "deliveries": {
            "status": "changed",
            "primary_key": KEY,
            **empty_lists(
                cells_changed=[
                    {"key": {"donor_code": "CHN", "commodity": "coal"}, "column": "quantity", "old": "240000", "new": "240000.0"},
                    {"key": {"donor_code": "POL", "commodity": "żelazo"}, "column": "quantity", "old": "", "new": "700000"},
                ]
            ),
        },
        "units": {
            "status": "added",
            "primary_key": ["unit"],
            **empty_lists(rows_added=[{"unit": "t"}, {"unit": "item"}], columns_added=["unit", "title"]),
        },
    },
}


def test_the_text_lists_every_difference(pair):
    result = run_cli("diff", str(pair[0]), str(pair[1]))
    assert result.exit_code == 0, result.output  # differences are not an error
    assert result.stdout.splitlines() == EXPECTED_TEXT
    assert result.stderr == ""


def test_the_json_file_holds_every_difference_and_is_byte_identical(pair, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for out in (first, second):
        assert run_cli("diff", str(pair[0]), str(pair[1]), "--json", str(out)).exit_code == 0
    assert json.loads(first.read_bytes()) == EXPECTED_JSON
    assert list(json.loads(first.read_bytes())["tables"]) == ["donors", "deliveries", "units"]  # the new package's order
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == render_json(EXPECTED_JSON).encode()
    text = first.read_text(encoding="utf-8")
    assert text.startswith('{\n  "old": {\n    "name": "demo",\n    "version": "0.1.0",\n    "created": null\n  },\n')  # indented by two
    assert '"commodity": "żelazo"' in text  # UTF-8, not \\u escapes
    assert text.endswith("\n}\n")


def test_the_python_api_returns_the_same(pair):
    assert diff_packages(*pair) == EXPECTED_JSON
    assert diff_packages(pair[0] / "datapackage.json", str(pair[1] / "datapackage.json")) == EXPECTED_JSON


def test_swapped_packages_give_the_reverse(pair):
    result = diff_packages(pair[1], pair[0])
    assert result["tables"]["donors"]["rows_added"] == [{"code": "ROU"}]
    assert result["tables"]["donors"]["rows_removed"] == [{"code": "HUN"}]
    assert result["tables"]["deliveries"]["cells_changed"][1] == {
        "key": {"donor_code": "POL", "commodity": "żelazo"},
        "column": "quantity",
        "old": "700000",
        "new": "",
    }
    assert result["tables"]["units"] == {
        "status": "removed",
        "primary_key": ["unit"],
        **empty_lists(rows_removed=[{"unit": "t"}, {"unit": "item"}], columns_removed=["unit", "title"]),
    }
    assert "- table units removed: 2 rows" in render_text(result).splitlines()


def test_columns_added_and_removed_and_a_table_removed(tmp_path):
    old = write_package(
        tmp_path / "old",
        "1",
        {"donors": (["code"], "code,name,colour\nCHN,China,red\n"), "units": (["unit"], UNITS), "notes": ("id", "id,text\n1,a\n")},
    )
    new = write_package(tmp_path / "new", "2", {"donors": (["code"], "code,name,iso3\nCHN,China,CHN\n"), "units": (["unit"], UNITS)})
    result = diff_packages(old, new)
    # colour and iso3 are in one package each, so their cells are not compared.
    assert result["tables"]["donors"] == {
        "status": "changed",
        "primary_key": ["code"],
        **empty_lists(columns_added=["iso3"], columns_removed=["colour"]),
    }
    assert result["tables"]["units"] == {"status": "unchanged", "primary_key": ["unit"], **empty_lists()}
    assert result["tables"]["notes"] == {
        "status": "removed",
        "primary_key": ["id"],
        **empty_lists(rows_removed=[{"id": "1"}], columns_removed=["id", "text"]),
    }
    assert render_text(result).splitlines() == [
        "old: demo 1",
        "new: demo 2",
        "~ table donors changed (primary key: code)",
        "    + column iso3",
        "    - column colour",
        "= table units unchanged",
        "- table notes removed: 1 row",
        "tables: 0 added, 1 removed, 1 changed, 1 unchanged",
    ]


def test_cells_are_listed_per_row_in_file_and_header_order(tmp_path):
    old = write_package(tmp_path / "old", "1", {"t": (["k"], "k,a,b\n1,x,y\n2,x,y\n")})
    new = write_package(tmp_path / "new", "2", {"t": (["k"], "k,b,a\n2,Y,X\n1,Y,x\n")})  # rows and columns reordered
    cells = [(c["key"]["k"], c["column"], c["old"], c["new"]) for c in diff_packages(old, new)["tables"]["t"]["cells_changed"]]
    assert cells == [("2", "b", "y", "Y"), ("2", "a", "x", "X"), ("1", "b", "y", "Y")]
    assert render_text(diff_packages(old, new)).splitlines()[3:8] == [
        '    ~ row k="2"',
        '        b: "y" → "Y"',
        '        a: "x" → "X"',
        '    ~ row k="1"',
        '        b: "y" → "Y"',
    ]


def test_quoting_blank_lines_and_line_endings_are_not_changes(tmp_path):
    old = write_package(tmp_path / "old", "1", {"t": (["k"], 'k,v\n1,a "b"\n2,\n3,c\n')})
    new = write_package(tmp_path / "new", "1", {"t": (["k"], '"k","v"\r\n"1","a ""b"""\r\n\r\n"2",""\r\n"3","c"\r\n\r\n')})
    assert diff_packages(old, new)["tables"]["t"] == {"status": "unchanged", "primary_key": ["k"], **empty_lists()}


def test_a_line_break_inside_a_value_is_compared_as_published(tmp_path):
    old = write_package(tmp_path / "old", "1", {"t": (["k"], 'k,v\n1,"a\r\nb"\n')})
    new = write_package(tmp_path / "new", "1", {"t": (["k"], 'k,v\n1,"a\nb"\n')})
    assert diff_packages(old, new)["tables"]["t"]["cells_changed"] == [{"key": {"k": "1"}, "column": "v", "old": "a\r\nb", "new": "a\nb"}]
    assert render_text(diff_packages(old, new)).splitlines()[4] == '        v: "a\\r\\nb" → "a\\nb"'  # escaped: one line per cell


def test_rows_are_matched_by_the_new_primary_key(tmp_path):
    # The key grew a column: old row (1) and new row (1, 2021) share k but not the whole key.
    old = write_package(tmp_path / "old", "1", {"t": (["k"], "k,year,v\n1,2020,a\n"), "s": (["k"], "k,v\n1,a\n")})
    new = write_package(tmp_path / "new", "2", {"t": (["k", "year"], "k,year,v\n1,2021,a\n"), "s": (["k"], "k,v\n1,b\n")})
    table = diff_packages(old, new)["tables"]["t"]
    assert table["rows_added"] == [{"k": "1", "year": "2021"}]
    assert table["rows_removed"] == [{"k": "1", "year": "2020"}]
    assert table["cells_changed"] == []


def test_versions_and_names_that_are_missing_are_said_so(tmp_path):
    old = write_package(tmp_path / "old", "1", {"t": (["k"], "k\n1\n")}, created="2026-01-01T00:00:00Z")
    package = json.loads((old / "datapackage.json").read_text())
    del package["name"], package["version"]
    new = tmp_path / "new"
    new.mkdir()
    (new / "datapackage.json").write_text(json.dumps(package))
    (new / "clean").symlink_to(old / "clean")
    result = diff_packages(old, new)
    assert result["old"] == {"name": "demo", "version": "1", "created": "2026-01-01T00:00:00Z"}
    assert result["new"] == {"name": None, "version": None, "created": "2026-01-01T00:00:00Z"}
    assert render_text(result).splitlines()[:2] == ["old: demo 1", "new: (no name) (no version)"]


def zip_of(folder: Path, archive: Path, top: str | None) -> Path:
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = file.relative_to(folder).as_posix()
            zipped.write(file, f"{top}/{name}" if top else name)
    return archive


@pytest.mark.parametrize("top", ["demo-0.2.0", None])
def test_a_release_archive_is_compared_like_its_folder_and_leaves_nothing(pair, tmp_path, monkeypatch, top):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    archive = zip_of(pair[1], tmp_path / "new.zip", top)
    assert diff_packages(pair[0], archive) == EXPECTED_JSON
    assert list(scratch.iterdir()) == []  # the extracted copy is gone


def test_a_url_is_downloaded_verified_and_compared(pair, tmp_path, monkeypatch):
    monkeypatch.setenv("AIDSTATS_CACHE_DIR", str(tmp_path / "cache"))
    with serve(tmp_path) as base:
        assert diff_packages(pair[0], f"{base}new/datapackage.json") == EXPECTED_JSON
        result = run_cli("diff", str(pair[0]), f"{base}missing/datapackage.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: download failed: ") and "not found" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_bundled_package_against_itself_has_no_differences(tmp_path):
    out = tmp_path / "same.json"
    result = run_cli("diff", str(ROOT), str(ROOT / "datapackage.json"), "--json", str(out))
    assert result.exit_code == 0, result.output
    tables = list_tables(ROOT)
    assert result.stdout.splitlines()[2:] == [f"= table {name} unchanged" for name in tables] + [
        f"tables: 0 added, 0 removed, 0 changed, {len(tables)} unchanged"
    ]
    written = json.loads(out.read_bytes())
    assert written["old"] == written["new"]
    assert {name: (t["status"], *(t[f] for f in empty_lists())) for name, t in written["tables"].items()} == {
        name: ("unchanged", [], [], [], [], []) for name in tables
    }


# Breaking the new package, each in one way: (case, file to write, its text, words the error must hold).
BROKEN = [
    (
        "repeated key",
        "clean/deliveries.csv",
        DELIVERIES_NEW + "POL,locomotive,25,item\n",
        'clean/deliveries.csv line 5: the primary key donor_code="POL", commodity="locomotive" repeats line 3',
    ),
    (
        "short row",
        "clean/deliveries.csv",
        "donor_code,commodity,quantity,unit\nCHN,coal,1\n",
        "clean/deliveries.csv line 2: expected 4 fields, as in the header; found 3",
    ),
    ("bad quoting", "clean/donors.csv", 'code,name\nCHN,"China"x\n', "clean/donors.csv line 2: not valid CSV (',' expected after '\"')"),
    (
        "unclosed quote",
        "clean/donors.csv",
        'code,name\nCHN,"China\nPOL,Poland\n',
        "clean/donors.csv line 3: not valid CSV (unexpected end of data)",
    ),
    (
        "key columns missing",
        "clean/deliveries.csv",
        "a,b,quantity,unit\nCHN,coal,1,t\n",
        "no column donor_code, commodity for the primary key ['donor_code', 'commodity']; the header has a, b, quantity, unit",
    ),
    (
        "key column missing",
        "clean/donors.csv",
        "id,name\nCHN,China\n",
        "clean/donors.csv: no column code for the primary key ['code']; the header has id, name",
    ),
    ("empty file", "clean/units.csv", "", "clean/units.csv line 1: expected a header of column names, found none"),
    ("repeated columns", "clean/units.csv", "unit,title,unit,title\n", "clean/units.csv line 1: column title, unit appears more than once"),
    (
        "repeated column",
        "clean/units.csv",
        "unit,title,title\nt,a,b\n",
        "clean/units.csv line 1: column title appears more than once in the header",
    ),
    (
        "not UTF-8",
        "clean/units.csv",
        b"\nunit,title\nt,tonne\xff\nkg,kilogram\nm,metre\n",  # \xff on the third line, after 1 + 11 + 7 bytes
        "clean/units.csv line 3: not utf-8 text (invalid start byte at byte 19 of the file)",
    ),
    ("descriptor not JSON", "datapackage.json", "{resources", "datapackage.json cannot be read (JSONDecodeError"),
    ("descriptor without resources", "datapackage.json", '{"name": "demo"}', "datapackage.json cannot be read (KeyError: 'resources')"),
    (
        "resource without a name",
        "datapackage.json",
        '{"resources": [{"path": "clean/units.csv"}]}',
        "datapackage.json has no list of named resources",
    ),
    # Refused by the verification every source goes through (aidstats.package.verify), before diff reads it.
    ("resources not a list", "datapackage.json", '{"resources": {"name": "units"}}', "datapackage.json has no list of resources"),
]


@pytest.mark.parametrize(("path", "text", "words"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_package_is_named_with_file_and_line(pair, path, text, words):
    file = pair[1] / path
    file.write_bytes(text if isinstance(text, bytes) else text.encode())
    rehash(pair[1])  # broken as published: its files match its descriptor, so it passes verification
    with pytest.raises(DiffError) as caught:
        diff_packages(*pair)
    assert str(caught.value).startswith(f"{pair[1]}: ")
    assert words in str(caught.value)


def edit_descriptor(folder: Path, change) -> None:
    package = json.loads((folder / "datapackage.json").read_text())
    change(package["resources"])
    (folder / "datapackage.json").write_text(json.dumps(package))


def rehash(folder: Path) -> None:
    """Give every file the descriptor names its present size and sha256, if the descriptor can be read."""
    try:
        package = json.loads((folder / "datapackage.json").read_text())
        resources = [r for r in package["resources"] if (folder / r["path"]).is_file()]
    except (ValueError, KeyError, TypeError):
        return
    for resource in resources:
        data = (folder / resource["path"]).read_bytes()
        resource.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (folder / "datapackage.json").write_text(json.dumps(package))


def test_a_table_without_a_primary_key_is_refused(pair):
    edit_descriptor(pair[1], lambda resources: resources[0].pop("schema"))
    with pytest.raises(DiffError, match=r"^.*/new: table donors has no schema\.primaryKey in datapackage\.json; found None"):
        diff_packages(*pair)


@pytest.mark.parametrize("key", [[1], {"code": "x"}, 5, []], ids=["not names", "an object", "a number", "empty"])
def test_a_primary_key_that_is_not_column_names_is_refused(pair, key):
    edit_descriptor(pair[1], lambda resources: resources[0]["schema"].update(primaryKey=key))
    with pytest.raises(
        DiffError,
        match=rf"table donors has no schema\.primaryKey in datapackage\.json; found {re.escape(repr(key))}, expected column names",
    ):
        diff_packages(*pair)


def test_a_removed_table_is_keyed_by_the_old_package(pair):
    edit_descriptor(pair[1], lambda resources: resources.clear())
    assert diff_packages(*pair)["tables"]["donors"]["rows_removed"] == [{"code": "CHN"}, {"code": "POL"}, {"code": "ROU"}]
    edit_descriptor(pair[0], lambda resources: resources[0].pop("schema"))
    with pytest.raises(DiffError, match=r"/old: table donors has no schema\.primaryKey"):
        diff_packages(*pair)


def test_the_encoding_the_descriptor_gives_is_used(pair):
    (pair[1] / "clean" / "deliveries.csv").write_bytes(DELIVERIES_OLD.replace("żelazo", "café").encode("latin-1"))
    (pair[0] / "clean" / "deliveries.csv").write_bytes(DELIVERIES_OLD.replace("żelazo", "café").encode("utf-8"))
    edit_descriptor(pair[1], lambda resources: resources[2].update(encoding="latin-1"))
    rehash(pair[0])
    rehash(pair[1])
    assert diff_packages(*pair)["tables"]["deliveries"]["status"] == "unchanged"
    edit_descriptor(pair[1], lambda resources: resources[2].update(encoding="klingon"))
    with pytest.raises(
        DiffError, match=r"clean/deliveries\.csv: datapackage\.json gives the encoding 'klingon', which Python does not know"
    ):
        diff_packages(*pair)


def test_a_missing_csv_is_named(pair):
    (pair[1] / "clean" / "units.csv").unlink()
    with pytest.raises(DiffError, match=r"/new: the package failed verification, so it was not used\n  clean/units\.csv: missing$"):
        diff_packages(*pair)


def test_a_package_whose_files_do_not_match_its_descriptor_is_refused(pair, tmp_path):
    (pair[1] / "clean" / "donors.csv").write_text(DONORS_NEW.replace("Hungary", "Hungarx"))  # the same size
    archive = zip_of(pair[1], tmp_path / "new.zip", "demo-0.2.0")
    for source in (pair[1], archive):
        with pytest.raises(DiffError) as caught:
            diff_packages(pair[0], source)
        head, problem = str(caught.value).split("\n")
        assert head == f"{source}: the package failed verification, so it was not used"
        assert problem.startswith("  clean/donors.csv: sha256 mismatch: expected ")


def test_a_path_outside_the_package_is_refused(pair, tmp_path):
    (tmp_path / "secret.csv").write_text("code,name\nX,x\n")
    edit_descriptor(pair[1], lambda resources: resources[0].update(path="../secret.csv"))
    with pytest.raises(DiffError, match=r"refused the path '\.\./secret\.csv'"):
        diff_packages(*pair)


@pytest.mark.parametrize(
    ("make", "status", "words"),
    [
        (lambda tmp: tmp / "missing", 1, "no such folder or file: {tmp}/missing; expected a data package folder"),
        (lambda tmp: tmp, 1, "no data package at {tmp}: expected a data package folder, its datapackage.json, a release .zip or a URL"),
        (
            lambda tmp: (tmp / "bad.zip").write_text("not a zip") and tmp / "bad.zip",
            1,
            "{tmp}/bad.zip is not a readable zip archive (File is not a zip file)",
        ),
        (lambda tmp: zip_of(tmp / "old" / "clean", tmp / "tables.zip", "x"), 1, "{tmp}/tables.zip holds no datapackage.json"),
    ],
    ids=["missing folder", "not a package", "bad zip", "zip without a descriptor"],
)
def test_an_input_that_is_not_a_package_is_one_line(pair, tmp_path, make, status, words):
    source = make(tmp_path)
    result = run_cli("diff", str(source), str(pair[1]))
    assert result.exit_code == status
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {words.format(tmp=tmp_path)}")
    assert result.stderr.count("\n") == 1


def test_an_archive_member_that_would_escape_is_refused(pair, tmp_path):
    archive = zip_of(pair[1], tmp_path / "new.zip", None)
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr("../evil.txt", "outside")
    with pytest.raises(DiffError, match=r"new\.zip: refused the path '\.\./evil\.txt'"):
        diff_packages(pair[0], archive)
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.slow  # the whole release archive written
def test_the_release_archive_against_the_folder_it_was_made_from_has_no_differences(tmp_path):
    assert run_cli("package", "--out", str(tmp_path)).exit_code == 0
    (archive,) = tmp_path.glob("*.zip")
    result = diff_packages(archive, ROOT)
    assert result["old"] == result["new"]
    assert {name: table["status"] for name, table in result["tables"].items()} == dict.fromkeys(list_tables(ROOT), "unchanged")


# A package can change between its verification and diff's reading of it (another process rewriting it).
# Verification is stood in for by a package_root that passes every folder, so the change comes "after" it.
CHANGED_AFTER_VERIFICATION = [
    (
        "a file removed",
        lambda f: (f / "clean/units.csv").unlink(),
        "{new}: clean/units.csv: missing, though datapackage.json names it for table units",
    ),
    (
        "the descriptor broken",
        lambda f: (f / "datapackage.json").write_text("{resources"),
        "{new}: datapackage.json cannot be read (JSONDecodeError: ",
    ),
    (
        "a path leaving the package",
        lambda f: edit_descriptor(f, lambda resources: resources[-2].update(path="../units.csv")),
        "{new}: refused the path '../units.csv': a package may only name files inside its own folder",
    ),
]


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in CHANGED_AFTER_VERIFICATION], ids=[c[0] for c in CHANGED_AFTER_VERIFICATION])
def test_a_package_changed_after_its_verification_is_named_not_half_read(pair, monkeypatch, change, words):
    monkeypatch.setattr("aidstats.loader.package_root", lambda source, unpack_into=None: Path(source))
    change(pair[1])
    with pytest.raises(DiffError) as caught:
        diff_packages(*pair)
    assert str(caught.value).startswith(words.format(new=pair[1]))


def test_a_line_ending_changed_inside_a_quoted_value_is_a_changed_cell(tmp_path):
    # The CSV is read as published: "\r\n" inside quotes is two characters that "\n" is not.
    old = write_package(tmp_path / "old", "0.1.0", {"units": (["unit"], 'unit,title\nt,"metric\r\nton"\n')})
    new = write_package(tmp_path / "new", "0.2.0", {"units": (["unit"], 'unit,title\nt,"metric\nton"\n')})
    table = diff_packages(old, new)["tables"]["units"]
    assert table["status"] == "changed"
    assert table["cells_changed"] == [{"key": {"unit": "t"}, "column": "title", "old": "metric\r\nton", "new": "metric\nton"}]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"old": 3, "new": None},
            "old must be None or a data package folder, its datapackage.json, a release .zip or a URL (a str or a path); got 3 (int)",
        ),
        (
            {"old": None, "new": b"x"},
            "new must be None or a data package folder, its datapackage.json, a release .zip or a URL (a str or a path); got b'x' (bytes)",
        ),
    ],
)
def test_a_side_that_is_no_kind_of_package_is_refused_saying_what_each_side_may_be(arguments, message):
    with pytest.raises(TypeError) as caught:
        diff_packages(**arguments)
    assert str(caught.value) == message


def test_a_csv_with_old_mac_line_ends_reads_as_the_same_rows(tmp_path):
    # A CSV may end its lines with "\r" alone (as classic Mac OS wrote them); its rows are the rows of the "\n" version.
    old = write_package(tmp_path / "old", "0.1.0", {"units": (["unit"], "unit,title\nt,tonne\nkg,kilogram\n")})
    new = write_package(tmp_path / "new", "0.2.0", {"units": (["unit"], "unit,title\rt,tonne\rkg,kilogram\r")})
    assert diff_packages(old, new)["tables"]["units"]["status"] == "unchanged"
