"""The SQLite export: ``aidstats.db`` with every table and its keys, and ``metadata.json`` for Datasette.

``datasette aidstats.db -m metadata.json`` then serves the tables with their
titles, descriptions, units, licence and source, facets on the enumerations
and codes, and each code linked to and labelled by the row it names.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd

from aidstats.errors import ExportError
from aidstats.loader import descriptor
from aidstats.package import check_output_file, output_file, write_text
from aidstats.publish.tables import tables, unit_symbols
from aidstats.text.numbers import unit_note

SHOWN = 5  # broken foreign keys listed in an error; the rest are counted
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}  # anything else is TEXT


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(names: list[str]) -> str:
    return ", ".join(map(_quote, names))


def _keys(meta: dict, primary_keys: dict[str, list[str]]) -> list[tuple[list[str], str, list[str]]]:
    """The table's foreign keys as (columns, table, columns), with each implied single-column key added.

    A key to a table the package does not hold is left out.

    A composite key such as (donor_code, donor) -> donors (code, name) also
    implies donor_code -> donors (code) when code alone is the primary key of
    donors.  The implied key is added because Datasette labels and links only
    single-column foreign keys.
    """
    keys = []
    for key in meta["schema"]["foreignKeys"]:
        fields, table, other = key["fields"], key["reference"]["resource"], key["reference"]["fields"]
        if table not in primary_keys:
            continue  # a table left out of this package: there is nothing to refer to
        fields, other = ([fields], [other]) if isinstance(fields, str) else (fields, other)
        keys.append((fields, table, other))
        parent_key = primary_keys[table]
        if len(fields) > 1 and len(parent_key) == 1 and parent_key[0] in other:
            keys.append(([fields[other.index(parent_key[0])]], table, parent_key))
    return keys


def create_statement(meta: dict, primary_keys: dict[str, list[str]], unique: list[list[str]]) -> str:
    """``CREATE TABLE`` with types, NOT NULL for required columns, the primary key and the foreign keys."""
    lines = [
        f"{_quote(f['name'])} {SQL_TYPES.get(f['type'], 'TEXT')}" + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
        for f in meta["schema"]["fields"]
    ]
    lines.append(f"PRIMARY KEY ({_columns(meta['schema']['primaryKey'])})")
    # SQLite enforces a foreign key only against a primary key or a unique set of columns.
    lines += [f"UNIQUE ({_columns(columns)})" for columns in unique]
    lines += [f"FOREIGN KEY ({_columns(f)}) REFERENCES {_quote(t)} ({_columns(o)})" for f, t, o in _keys(meta, primary_keys)]
    return f"CREATE TABLE {_quote(meta['name'])} (\n  " + ",\n  ".join(lines) + "\n)"


def _cell(value):
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value.item() if hasattr(value, "item") else value  # NumPy scalars as Python numbers


def write_sqlite(root: Path, out: Path) -> list[Path]:
    """``aidstats.db`` with every table and its keys, and ``metadata.json`` for Datasette.

    Raises
    ------
    aidstats.publish.export.ExportError
        If a foreign key names no row (the first few are listed); nothing is written then.
    """
    everything = tables(root)
    primary_keys = {name: meta["schema"]["primaryKey"] for name, meta, _ in everything}
    referenced: dict[str, list[list[str]]] = {name: [] for name in primary_keys}
    for _name, meta, _ in everything:
        for _, table, other in _keys(meta, primary_keys):
            if other != primary_keys[table] and other not in referenced[table]:
                referenced[table].append(other)
    path, metadata = check_output_file(out / "aidstats.db"), check_output_file(out / "metadata.json")
    with output_file(path) as partial:
        _write_database(partial, path, everything, primary_keys, referenced)
    write_text(metadata, json.dumps(datasette_metadata(root, everything), indent=2, ensure_ascii=False) + "\n")
    return [path, metadata]


def _write_database(partial: Path, path: Path, everything, primary_keys: dict, referenced: dict) -> None:
    db = sqlite3.connect(partial, isolation_level=None)  # transactions opened and closed below, explicitly
    try:
        db.execute("BEGIN")
        for name, meta, frame in everything:
            db.execute(create_statement(meta, primary_keys, referenced[name]))
            marks = ", ".join("?" * len(frame.columns))
            rows = [tuple(map(_cell, row)) for row in frame.itertuples(index=False)]
            db.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)
        # The keys are checked once every table is in (rows may name rows of tables inserted after
        # theirs), by the check rather than by enforcing them, which would only say "FOREIGN KEY
        # constraint failed"; the check says which row and key.
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            more = [f"and {len(broken) - SHOWN} more"] if len(broken) > SHOWN else []
            raise ExportError(f"cannot write {path}: " + "; ".join([*(_broken(db, *row) for row in broken[:SHOWN]), *more]))
        db.execute("COMMIT")
    finally:
        db.close()  # output_file removes the partial database if anything above failed


def _broken(db: sqlite3.Connection, table: str, rowid: int, parent: str, key: int) -> str:
    """One failed foreign key as a reader knows it: the row by its primary key, the values, and what they should name."""
    pairs = [(row[3], row[4]) for row in db.execute(f"PRAGMA foreign_key_list({_quote(table)})") if row[0] == key]
    primary = [row[1] for row in sorted(db.execute(f"PRAGMA table_info({_quote(table)})"), key=lambda row: row[5]) if row[5]]
    columns = [*primary, *(column for column, _ in pairs)]
    values = db.execute(f"SELECT {_columns(columns)} FROM {_quote(table)} WHERE rowid = ?", (rowid,)).fetchone()
    shown = [f"{column}={value!r}" for column, value in zip(columns, values, strict=True)]
    where, found = ", ".join(shown[: len(primary)]), ", ".join(shown[len(primary) :])
    return f"{table} row {where}: {found} names no row of {parent} ({', '.join(other for _, other in pairs)})"


def facets(meta: dict, frame: pd.DataFrame, primary_keys: dict[str, list[str]]) -> list[str]:
    """The columns worth faceting on: enumerations and codes (foreign keys) that take more than one value here."""
    fields = meta["schema"]["fields"]
    coded = {f["name"] for f in fields if "enum" in f.get("constraints", {})}
    coded |= {column for columns, _, _ in _keys(meta, primary_keys) for column in columns}
    return [f["name"] for f in fields if f["name"] in coded and frame[f["name"]].nunique() > 1]


def datasette_metadata(root: Path, everything: list[tuple[str, dict, pd.DataFrame]]) -> dict:
    """Datasette's metadata: the package's title, licence and source, and per table its columns and facets."""
    package = descriptor(root)
    licence = package["licenses"][0]
    primary_keys = {name: meta["schema"]["primaryKey"] for name, meta, _ in everything}
    units = unit_symbols(root)
    described = {}
    for name, meta, frame in everything:
        fields = meta["schema"]["fields"]
        described[name] = {
            "title": meta["title"],
            "description": meta["description"],
            "source": "; ".join(source["title"] for source in meta.get("sources", [])),
            "license": licence["name"],
            "license_url": licence["path"],
            "columns": {f["name"]: _column_text(f, fields, units) for f in fields},
            "facets": facets(meta, frame, primary_keys),
            "sort": meta["schema"]["primaryKey"][0],
        }
    return {
        "title": package["title"],
        "description": f"{package['description']} Cite as: {package['citation']}",
        "license": licence["name"],
        "license_url": licence["path"],
        "source": package["sources"][0]["title"],
        "databases": {"aidstats": {"tables": described}},
    }


def _column_text(field: dict, fields: list[dict], units: dict[str, str]) -> str:
    unit = unit_note(field, fields, units)  # as the column's heading shows it: "t", "%", "see Unit"
    text = ": ".join(part for part in (field.get("title", field["name"]), field.get("description")) if part)
    return f"{text} Unit: {unit}." if unit else text
