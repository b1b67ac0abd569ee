"""The README.md of the release archive, written from the package it describes.

The archive does not carry the repository's README: that one is for people with
a checkout, and it changes with every improvement of its wording, which would
change the archive's bytes and the sha256 recorded for a release.  This README is
made from the archived package itself (``datapackage.json``: titles, row counts,
citation, licences, which columns quote the paper) and from the list of the
archive's files, so it names exactly what the archive holds and changes only when
the data or its files do.  It reads no clock: its one date is the package's.

Text from the package is Markdown-escaped where it is written, with the README's
helpers, so a ``|`` or ``<tag>`` in a title shows as typed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from aidstats import metadata
from aidstats.loader import descriptor, list_tables, load
from aidstats.package import PARQUET_SUFFIX
from aidstats.publish.readme import markdown_code, markdown_text

# What each folder of exports/ is for; a test holds the keys to aidstats.publish.export.FORMATS.
EXPORTS = {
    "xlsx": "an Excel workbook: an About sheet (title, version, citation, licence, the tables and their caveats), "
    "a sheet per table named as the table, with titles and units in the header row, and a Columns sheet describing every column",
    "stata": "a `.dta` file per table (format 118, Stata 14 or later) with a dataset label, variable labels (title and unit) "
    "and value labels",
    "sqlite": "`aidstats.db`, a SQLite database with every table and its primary and foreign keys, "
    "and `metadata.json`, its titles and descriptions for Datasette",
}
# The columns that hold the paper's own words (LICENSE-DATA: "the quote columns"), and the table of its passages.
QUOTE_COLUMN, PASSAGES = "quote", "passages"
REPOSITORY = metadata.RELEASE_URL.split("/releases/")[0]


def archive_readme(root: Path, members: list[str]) -> str:
    """The archive's README for the package in ``root``, whose archive holds ``members`` (paths, ``/``-separated)."""
    package = descriptor(root)
    # Rows counted as records, not text lines: a line break inside a value is not a row.
    rows = {name: len(load(name, root)) for name in list_tables(root)}
    sections = [
        f"# aidstats data {markdown_text(package['version'])}",
        markdown_text(package["title"]),
        markdown_text(package["description"]),
        f"Version {markdown_text(package['version'])} of the aidstats data package, released {markdown_text(package['created'][:10])}, "
        f"made by aidstats ({REPOSITORY}) from the paper's text. Reading it needs none of aidstats' software.",
        "## What this archive holds",
        _holdings(members),
        "## The tables",
        _tables(package, rows, members),
        "## Load a table",
        _loading(package, rows, members),
        "## Cite",
        f"> {markdown_text(package['citation'])}",
        "`CITATION.cff` holds the same in Citation File Format. Credit the study the figures come from as well: "
        f"{markdown_text(package['sources'][0]['title'])}.",
        "## Licences",
        _licences(root, package),
        "## The quoted excerpts",
        _excerpts(package, rows),
    ]
    return "\n\n".join(sections) + "\n"


def _holdings(members: list[str]) -> str:
    exports = sorted({m.split("/")[1] for m in members if m.startswith("exports/")})
    renamed = "exports/stata/renamed.csv" in members  # only when a column name had to change for Stata
    lines = [
        "- `datapackage.json`: the [Frictionless Data Package](https://datapackage.org) descriptor: each table's title, "
        "description, columns (type, unit, description, constraints), keys, sources and caveats, and each file's size and sha256.",
        "- `clean/`: every table as CSV (UTF-8 without a byte-order mark; an empty field is a missing value) and as Parquet (typed columns).",
        *(f"- `exports/{fmt}/`: {EXPORTS.get(fmt, 'the tables in this format')}." for fmt in exports),
        *(["- `exports/stata/renamed.csv`: the columns renamed for Stata, with their names in the other files."] if renamed else []),
        "- `README.md` (this file), `CITATION.cff`, `LICENSE` and `LICENSE-DATA`: how to cite the data, and the licences.",
    ]
    return "\n".join(lines)


def _tables(package: dict, rows: dict[str, int], members: list[str]) -> str:
    """One row per table: its name, rows, title, and every file of the archive that holds it."""
    lines = ["| table | rows | what it holds | files |", "|---|---|---|---|"]
    for name, count in rows.items():
        cell = ", ".join(markdown_code(f, in_table=True) for f in _files(package, name, members))
        lines.append(
            f"| {markdown_code(name, in_table=True)} | {count} | {markdown_text(_resource(package, name).get('title', ''))} | {cell} |"
        )
    return "\n".join(lines)


def _resource(package: dict, name: str) -> dict | None:
    return next((r for r in package["resources"] if r["name"] == name), None)


def _files(package: dict, name: str, members: list[str]) -> list[str]:
    """The table's CSV and Parquet files, then its own file among the exports (the other exports hold every table)."""
    own = [r["path"] for r in (_resource(package, name), _resource(package, name + PARQUET_SUFFIX)) if r]
    return own + [path for path in [f"exports/stata/{name}.dta"] if path in members]


def _quoting(package: dict, rows: dict[str, int]) -> list[str]:
    """The tables with a quote column, in the package's order."""
    return [name for name in rows if any(f["name"] == QUOTE_COLUMN for f in _resource(package, name)["schema"]["fields"])]


def _loading(package: dict, rows: dict[str, int], members: list[str]) -> str:
    """How to read one table (the largest that quotes the paper) in pandas, R, Stata, Excel, SQL and DuckDB."""
    name = max(_quoting(package, rows) or rows, key=rows.get)
    csv, parquet = (_resource(package, table)["path"] for table in (name, name + PARQUET_SUFFIX))
    literal = json.dumps(name)  # a string literal in Python and in R
    sql = name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else f'"{name}"'
    parts = [
        "Run these in this folder (the unzipped archive).",
        "**pandas**, from the Parquet file (typed columns):",
        _fence("python", f'import pandas as pd\n\ndf = pd.read_parquet({json.dumps(parquet)})\nprint(len(df), "rows")\n'),
        _fence("text", f"{rows[name]} rows\n"),
        "or with aidstats (`pip install aidstats`), which first checks every file against the sha256 `datapackage.json` "
        "gives it, and puts the table's titles, units and sources in `df.attrs`:",
        _fence("python", f'import aidstats\n\ndf = aidstats.load({literal}, source=".")\n'),
        f"**R**, with readr and jsonlite, from {markdown_code(csv)}, each column read with the type its Table Schema declares "
        "(only an empty field is missing, not the text `NA`):",
        _fence("r", _R_RECIPE.replace("NAME", literal)),
        _fence("text", f"{rows[name]} rows\n"),
    ]
    dta = f"exports/stata/{name}.dta"
    if dta in members:
        parts += ["**Stata**:", _fence("stata", f'use "{dta}", clear\ndescribe\n')]
    if "exports/xlsx/aidstats.xlsx" in members:
        parts.append(
            "**Excel, LibreOffice, Google Sheets**: open `exports/xlsx/aidstats.xlsx`. (Excel on Windows may garble the "
            "paper's curly quotes if it opens the CSV files directly: it does not take them for UTF-8.)"
        )
    if "exports/sqlite/aidstats.db" in members:
        command = f"sqlite3 exports/sqlite/aidstats.db 'SELECT COUNT(*) FROM {sql}'"
        parts += [
            "**SQL**, with SQLite, or Datasette to browse, facet and query the tables in a web browser:",
            _fence("sh", f"{command}\ndatasette exports/sqlite/aidstats.db -m exports/sqlite/metadata.json\n"),
        ]
    parts += [
        "**DuckDB** reads the Parquet files directly:",
        _fence("python", f"import duckdb\n\nprint(duckdb.sql(\"SELECT COUNT(*) FROM '{parquet}'\").fetchall())\n"),
        _fence("text", f"[({rows[name]},)]\n"),
    ]
    return "\n\n".join(parts)


# The README's R recipe, for the table NAME.
_R_RECIPE = """library(jsonlite); library(readr)
package <- read_json("datapackage.json")
read_table <- function(name) {
  resource <- Find(function(r) r$name == name, package$resources)
  types <- c(string = "c", integer = "i", number = "d", boolean = "l", date = "D")
  spec <- paste(types[sapply(resource$schema$fields, `[[`, "type")], collapse = "")
  read_csv(resource$path, col_types = spec, na = "", trim_ws = FALSE)
}
table <- read_table(NAME)
cat(nrow(table), "rows\n")
"""


def _fence(language: str, code: str) -> str:
    """``code`` in a fenced block whose fence no run of backticks in it can close."""
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", code))])
    return f"{fence}{language}\n{code}{fence}"


def _licences(root: Path, package: dict) -> str:
    data = " and ".join(f"{markdown_text(lic['title'])} ({markdown_text(lic['path'])})" for lic in package["licenses"])
    code = (root / "LICENSE").read_text(encoding="utf-8").splitlines()[0].strip()
    return "\n".join(
        [
            f"- The tables and their descriptions (`datapackage.json`, `clean/`, and the same tables in `exports/`) are "
            f"under {data}, as `LICENSE-DATA` says, except the quoted excerpts below. Give credit by citing the package as above.",
            f"- `LICENSE` ({markdown_text(code)}) covers aidstats' code, which made these files; the code is not in this archive.",
        ]
    )


def _excerpts(package: dict, rows: dict[str, int]) -> str:
    """Which tables and columns quote the paper, and that the data licence does not cover them."""
    quoting = _quoting(package, rows)
    held = [f"the {markdown_code(PASSAGES)} table"] if PASSAGES in rows else []
    if quoting:
        held.append(f"the {markdown_code(QUOTE_COLUMN)} column of " + ", ".join(markdown_code(name) for name in quoting))
    what = " and ".join(held) or "the quotes"
    return (
        f"{what[0].upper()}{what[1:]} hold verbatim excerpts of {markdown_text(package['sources'][0]['title'])}, quoted so "
        "that every figure can be checked against its printed source. Their copyright stays with the paper's author and "
        "publisher: the data licence does not cover them, and they are no substitute for the paper (`LICENSE-DATA`)."
    )
