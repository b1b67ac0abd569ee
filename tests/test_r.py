"""R reads the package as the documentation's R page (docs/r.md) says: datapackage.json with jsonlite, every CSV with readr.

The R script (tests/r/read_package.R) reads each CSV with the column types its
Table Schema declares; these tests check that R then holds what Python's
``aidstats.load`` holds (from the Parquet files), cell for cell, and a few values
worked out from the paper.  They need Rscript with the readr and jsonlite
packages (Debian: r-base-core, r-cran-readr, r-cran-jsonlite; .ci/run installs
them) and are skipped only where Rscript is absent, never on CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import aidstats

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "r" / "read_package.R"
RSCRIPT = shutil.which("Rscript")
# The R class readr gives each Table Schema type.
R_CLASS = {"string": "character", "integer": "integer", "number": "numeric", "boolean": "logical", "date": "Date"}

pytestmark = pytest.mark.slow  # each test starts R (seconds, with readr)


@pytest.fixture(autouse=True, scope="module")
def _require_r():
    if RSCRIPT is None:
        if os.environ.get("CI"):
            pytest.fail("Rscript is missing; .ci/run installs r-base-core, r-cran-readr and r-cran-jsonlite")
        pytest.skip("R is not installed (apt-get install --no-install-recommends r-base-core r-cran-readr r-cran-jsonlite)")


def run_r(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([RSCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def r_tables(_require_r, tmp_path_factory) -> dict:
    """Every CSV table as R read it: rows, each column's R class, and the data by column."""
    out = tmp_path_factory.mktemp("r") / "summary.json"
    done = run_r(str(SCRIPT), str(ROOT / "datapackage.json"), str(out))
    assert done.returncode == 0, done.stderr
    tables = json.loads(out.read_text(encoding="utf-8"))
    for table in tables.values():  # the script writes doubles as text, to keep all 17 digits
        for column, r_class in table["classes"].items():
            if r_class == "numeric":
                table["data"][column] = [None if v is None else float(v) for v in table["data"][column]]
    return tables


def csv_resources() -> list[dict]:
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    return [r for r in package["resources"] if r["format"] == "csv"]


def python_cell(value):
    """A cell of aidstats.load as JSON would hold it: dates as ISO strings, missing as None."""
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value.item() if hasattr(value, "item") else value


def test_r_reads_every_table_with_its_declared_types(r_tables):
    resources = csv_resources()
    assert sorted(r_tables) == sorted(r["name"] for r in resources)
    for resource in resources:
        fields = resource["schema"]["fields"]
        table = r_tables[resource["name"]]
        assert list(table["classes"]) == [f["name"] for f in fields], resource["name"]
        assert table["classes"] == {f["name"]: R_CLASS[f["type"]] for f in fields}, resource["name"]


@pytest.mark.parametrize("name", aidstats.list_tables(ROOT))
def test_r_holds_what_python_loads(r_tables, name):
    """R's reading of the CSV equals aidstats.load's of the Parquet file, row count and every cell."""
    frame = aidstats.load(name, source=ROOT)
    table = r_tables[name]
    assert table["rows"] == len(frame)
    for column in frame.columns:
        r_values, py_values = table["data"][column], [python_cell(v) for v in frame[column]]
        if table["classes"][column] == "numeric":
            # readr's parser can round a decimal to the double one bit away from the nearest
            # (tidyverse/readr#1188), e.g. 0.9302325581395349 (40/43): allow 1e-15 relative.
            assert [v is None for v in r_values] == [v is None for v in py_values], f"{name}.{column}"
            assert [v for v in r_values if v is not None] == pytest.approx([v for v in py_values if v is not None], rel=1e-15)
        else:
            assert r_values == py_values, f"{name}.{column}"


def test_r_values_read_by_hand_from_the_paper(r_tables):
    aid = r_tables["aid_deliveries"]
    # The goods list of footnote 53 has 84 printed lines (China's first: "240,000 tons of coal").
    assert aid["rows"] == 84
    assert (aid["data"]["donor_code"][0], aid["data"]["commodity"][0], aid["data"]["quantity"][0]) == ("CHN", "coal", 240000)

    rail = r_tables["railway_damage"]["data"]
    # "452 of the prewar total of 559 factory buildings", in the first half of 1951.
    i = rail["asset"].index("factory buildings")
    assert (rail["lost"][i], rail["prewar_total"][i]) == (452, 559)
    assert rail["share_lost"][i] == pytest.approx(452 / 559, rel=1e-15)
    assert (rail["period_start"][i], rail["period_end"][i]) == ("1951-01-01", "1951-06-30")

    minerals = r_tables["mineral_exports"]["data"]
    # "5,346 tons of gold/silver ore (52.7% of the planned amount for 1951)": the plan is 5,346 / 0.527 t.
    i = minerals["commodity"].index("gold/silver ore")
    assert (minerals["delivered_t"][i], minerals["percent_of_plan"][i]) == (5346, 52.7)
    assert minerals["plan_t"][i] == pytest.approx(5346 / 0.527, rel=1e-12)

    sources = r_tables["sources"]["data"]
    # The paper itself has no footnote number (missing, not 0); footnote 53 is the goods list.
    assert sources["footnote"][sources["source_id"].index("weathersby")] is None
    assert sources["footnote"][sources["source_id"].index("fn53")] == 53
    # UTF-8 read as UTF-8: footnote 49 prints "Democratic Peoples’ Republic" with a curly apostrophe.
    assert "Peoples\u2019 Republic" in sources["title"][sources["source_id"].index("fn49")]


def package_copy(tmp_path: Path, table: str, edit) -> Path:
    """A copy of datapackage.json and clean/ with ``edit(lines)`` applied to the lines of one CSV."""
    shutil.copytree(ROOT / "clean", tmp_path / "clean")
    shutil.copy(ROOT / "datapackage.json", tmp_path)
    path = tmp_path / "clean" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    edit(lines)
    path.write_text("".join(lines), encoding="utf-8")
    return tmp_path


def _replace(index: int, old: str, new: str):
    def edit(lines: list[str]) -> None:
        assert old in lines[index]
        lines[index] = lines[index].replace(old, new, 1)

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # The second data row's seq, an integer.
        (_replace(2, "2,", "2x,"), "data row 2, column seq: found '2x'; expected an integer (1 such values)"),
        # The third data row's donor, a required column, left empty.
        (_replace(3, '3,"China",', "3,,"), "data row 3, column donor: found a missing value; expected one, the column is required"),
        # The header renamed: every later column would be read with another's type.
        (_replace(0, '"donor",', '"donor_name",'), "found the columns seq, donor_name, donor_code"),
    ],
    ids=["type", "required", "header"],
)
def test_r_stops_where_the_csv_differs_from_its_schema(tmp_path, edit, message):
    folder = package_copy(tmp_path, "aid_deliveries", edit)
    done = run_r(str(SCRIPT), "datapackage.json", cwd=folder)
    assert done.returncode == 1
    assert f"Error: ./clean/aid_deliveries.csv: {message}" in done.stderr


def test_r_keeps_text_that_only_looks_missing_or_padded(tmp_path):
    """Only an empty field is missing (missingValues); "NA" and spaces are text, kept as written."""
    folder = package_copy(tmp_path, "donors", _replace(1, '"current",,', '"current"," NA ",NA'))  # China's iso3166_3_code, note
    out = folder / "summary.json"
    done = run_r(str(SCRIPT), "datapackage.json", str(out), cwd=folder)
    assert done.returncode == 0, done.stderr
    donors = json.loads(out.read_text(encoding="utf-8"))["donors"]["data"]
    assert (donors["code"][0], donors["iso3166_3_code"][0], donors["note"][0]) == ("CHN", " NA ", "NA")
    assert donors["note"][1] is None  # Poland's empty note


def readme_r_code() -> str:
    """The R block of docs/r.md (the README's R section moved there)."""
    text = (ROOT / "docs" / "r.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```r\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, f"expected one R code block in docs/r.md; found {len(blocks)}"
    return blocks[0]


def test_readme_r_code_reads_a_table_with_its_types(tmp_path):
    """The R page's lines, run as written beside datapackage.json, give the typed table they promise."""
    script = tmp_path / "readme.R"
    script.write_text(readme_r_code() + 'cat(nrow(aid), class(aid$quantity), class(aid$quantity_base), "\\n")\n', encoding="utf-8")
    done = run_r(str(script))
    assert done.returncode == 0, done.stderr
    # 84 lines in the goods list; quantity is declared integer, quantity_base number (the last line: the block prints its own first).
    assert done.stdout.splitlines()[-1].split() == ["84", "integer", "numeric"]


def test_readme_r_code_keeps_text_that_only_looks_missing(tmp_path):
    # The first line's implausible_reason, empty in the package, set to the text "NA".
    folder = package_copy(tmp_path, "aid_deliveries", _replace(1, ',,"3"', ',"NA","3"'))
    script = folder / "readme.R"
    script.write_text(readme_r_code() + "cat(aid$implausible_reason[[1]], is.na(aid$implausible_reason[1:2]))\n", encoding="utf-8")
    done = run_r(str(script), cwd=folder)
    assert done.returncode == 0, done.stderr
    # The text "NA" (not missing), then the second line's empty field (missing).
    assert done.stdout.splitlines()[-1].split() == ["NA", "FALSE", "TRUE"]


def test_r_takes_a_resource_without_a_format_by_its_path(tmp_path):
    """Data Package infers a resource's format from its path when it names none."""
    shutil.copytree(ROOT / "clean", tmp_path / "clean")
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        del resource["format"]
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    done = run_r(str(SCRIPT), "datapackage.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == aidstats.list_tables(ROOT)
