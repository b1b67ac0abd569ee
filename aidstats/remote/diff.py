"""Say what changed between two releases of a data package (``aidstats diff``).

What is compared
    Every table: each resource of ``datapackage.json`` whose ``path`` is a
    ``.csv`` file (aidstats's Parquet copies hold the same data).  Rows are
    matched by the table's ``schema.primaryKey`` in the newer package (in the
    older, for a table the newer one no longer has).  Values are compared as
    published in the CSV, read with every column as text, so ``1.0`` against
    ``1`` or a changed type shows as a changed cell; a missing value is the
    empty text ``""``, however it is quoted.  The columns are those of each CSV's header;
    a renamed column shows as one column removed and one added, and its cells
    are not compared.  Column order, and metadata other than the name, version
    and creation date, are not compared.
What is read
    Each package is resolved by :func:`aidstats.loader.package_root`, as
    :func:`aidstats.load` resolves it: a folder or ``datapackage.json`` where
    it is, a local release ``.zip`` unpacked into a temporary folder that is
    removed afterwards, a URL downloaded and cached.  Every file of both is
    first checked against the ``bytes`` and ``sha256`` its ``datapackage.json``
    gives; a package that fails is refused, naming each file that failed, and
    nothing is compared (a diff of a package whose files are not what its
    descriptor says would report changes nobody published).
What is returned
    A dict that :func:`render_text` prints and :func:`render_json` writes::

        {"old": {"name": ..., "version": ..., "created": ...},
         "new": {...},
         "tables": {name: {"status": "added" | "removed" | "changed" | "unchanged",
                           "primary_key": [column, ...],
                           "rows_added": [key, ...], "rows_removed": [key, ...],
                           "cells_changed": [{"key": key, "column": c, "old": v, "new": w}, ...],
                           "columns_added": [c, ...], "columns_removed": [c, ...]}}}

    A key is a dict of the primary-key columns and their values.  A table
    only in the newer package lists all its rows and columns as added; one
    only in the older, as removed.  Everything is in a stable order: tables in
    the newer package's order, then those only in the older; rows and cells in
    the order of their CSV file; columns in header order.  The same inputs
    give the same dict, and :func:`render_json` the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from aidstats._arguments import path
from aidstats.errors import DiffError, DownloadError, PackageError
from aidstats.package import DESCRIPTOR, SOURCE_KINDS, read_descriptor

LISTS = ("rows_added", "rows_removed", "cells_changed", "columns_added", "columns_removed")


@dataclass(frozen=True)
class _Side:
    label: str  # what the user passed, for messages
    root: Path
    package: dict


@dataclass(frozen=True)
class _Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line where the row starts, its values)
    where: str  # "<package>: <path>" for messages


def diff_packages(old: str | Path | None, new: str | Path | None) -> dict:
    """Compare two data packages table by table, row by row and cell by cell.

    Parameters
    ----------
    old, new : str, pathlib.Path or None
        Each None for the package installed with aidstats, a folder holding
        ``datapackage.json``, the path of a ``datapackage.json``, a local
        release ``.zip`` (extracted into a temporary folder, refusing members
        that would leave it, and removed afterwards), or an ``https://``,
        ``http://`` or ``file://`` URL (a ``file://`` URL is the path it names;
        the others are downloaded, verified and cached by :func:`aidstats.download`).
        Either is refused if a file fails verification (see the module's docstring).

    Returns
    -------
    dict
        The structure described in this module's docstring.

    Raises
    ------
    FileNotFoundError
        If a path does not exist or holds no data package.
    DiffError
        If a package cannot be read: a bad archive, a file that fails
        verification, an unreadable descriptor or CSV, a table without a
        primary key, or a primary key that repeats.
    aidstats.errors.DownloadError
        If a URL cannot be downloaded or fails verification.

    Examples
    --------
    >>> result = diff_packages(None, None)  # the bundled package against itself
    >>> {table["status"] for table in result["tables"].values()}
    {'unchanged'}
    """
    path(old, "old", SOURCE_KINDS)
    path(new, "new", SOURCE_KINDS)
    with ExitStack() as stack:
        before = stack.enter_context(_opened(old))
        after = stack.enter_context(_opened(new))
        old_tables, new_tables = _tables(before), _tables(after)
        names = [*new_tables, *(name for name in old_tables if name not in new_tables)]
        return {
            "old": _about(before.package),
            "new": _about(after.package),
            "tables": {name: _compare(name, before, after, old_tables.get(name), new_tables.get(name)) for name in names},
        }


def render_json(result: dict) -> str:
    """The result of :func:`diff_packages` as indented JSON text, ending in a newline."""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def render_text(result: dict) -> str:
    """The result of :func:`diff_packages` as lines for a person to read.

    One line per table (``+`` added, ``-`` removed, ``~`` changed, ``=``
    unchanged); under a changed table, its columns and rows added (``+``) and
    removed (``-``), and each changed row (``~``) with one
    ``column: "old" → "new"`` line per changed cell; a last line counts the
    tables.  Values are quoted as JSON strings, so an empty value shows as
    ``""``.  An added or removed table is counted, not listed row by row.
    """
    lines = [f"{side}: {_version(result[side])}" for side in ("old", "new")]
    for name, table in result["tables"].items():
        lines += _table_lines(name, table)
    counts = {
        status: sum(t["status"] == status for t in result["tables"].values()) for status in ("added", "removed", "changed", "unchanged")
    }
    lines.append("tables: " + ", ".join(f"{count} {status}" for status, count in counts.items()))
    return "\n".join(lines) + "\n"


def _table_lines(name: str, table: dict) -> list[str]:
    status = table["status"]
    if status == "added":
        return [f"+ table {name} added: {_rows(table['rows_added'])}, columns {', '.join(table['columns_added'])}"]
    if status == "removed":
        return [f"- table {name} removed: {_rows(table['rows_removed'])}"]
    if status == "unchanged":
        return [f"= table {name} unchanged"]
    lines = [f"~ table {name} changed (primary key: {', '.join(table['primary_key'])})"]
    lines += [f"    + column {column}" for column in table["columns_added"]]
    lines += [f"    - column {column}" for column in table["columns_removed"]]
    lines += [f"    + row {_key(key)}" for key in table["rows_added"]]
    lines += [f"    - row {_key(key)}" for key in table["rows_removed"]]
    shown = None
    for cell in table["cells_changed"]:
        if cell["key"] != shown:
            lines.append(f"    ~ row {_key(cell['key'])}")
            shown = cell["key"]
        lines.append(f"        {cell['column']}: {_quoted(cell['old'])} → {_quoted(cell['new'])}")
    return lines


def _version(about: dict) -> str:
    return f"{about['name'] or '(no name)'} {about['version'] or '(no version)'}"


def _rows(keys: list) -> str:
    return f"{len(keys)} row{'' if len(keys) == 1 else 's'}"


def _key(key: dict) -> str:
    return ", ".join(f"{column}={_quoted(value)}" for column, value in key.items())


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _about(package: dict) -> dict:
    return {field: package.get(field) for field in ("name", "version", "created")}


@contextmanager
def _opened(source: str | Path | None):
    """The verified package ``source`` names (:func:`aidstats.loader.package_root`), with a local .zip
    unpacked into a temporary folder for as long as it is needed."""
    from aidstats.loader import package_root

    label = str(source) if source is not None else "the bundled package"
    with tempfile.TemporaryDirectory(prefix="aidstats-diff-") as scratch:
        try:
            root = package_root(source, unpack_into=Path(scratch) / "package")
        except DownloadError:
            raise
        except PackageError as err:  # a bad archive, or a package that fails verification
            raise DiffError(str(err)) from None
        yield _side(label, root)


def _side(label: str, root: Path) -> _Side:
    try:
        package = read_descriptor(root)
        resources = package["resources"]
    except (ValueError, KeyError, TypeError) as err:
        raise DiffError(f"{label}: {DESCRIPTOR} cannot be read ({type(err).__name__}: {err})") from None
    if not isinstance(resources, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in resources):
        raise DiffError(f"{label}: {DESCRIPTOR} has no list of named resources")
    return _Side(label, root, package)


def _tables(side: _Side) -> dict[str, dict]:
    return {r["name"]: r for r in side.package["resources"] if str(r.get("path")).endswith(".csv")}


def _compare(name: str, before: _Side, after: _Side, old: dict | None, new: dict | None) -> dict:
    key = _primary_key(name, after if new else before, new or old)
    old_table, new_table = _read(before, old) if old else None, _read(after, new) if new else None
    old_rows, old_header = (_keyed(old_table, key), old_table.header) if old_table else ({}, [])
    new_rows, new_header = (_keyed(new_table, key), new_table.header) if new_table else ({}, [])
    common = [column for column in new_header if column in old_header]
    entry = {
        "status": "changed",
        "primary_key": key,
        "rows_added": [_key_dict(key, k) for k in new_rows if k not in old_rows],
        "rows_removed": [_key_dict(key, k) for k in old_rows if k not in new_rows],
        "cells_changed": [
            {"key": _key_dict(key, k), "column": column, "old": old_rows[k][column], "new": row[column]}
            for k, row in new_rows.items()
            if k in old_rows
            for column in common
            if old_rows[k][column] != row[column]
        ],
        "columns_added": [column for column in new_header if column not in old_header],
        "columns_removed": [column for column in old_header if column not in new_header],
    }
    if not new or not old:
        entry["status"] = "added" if new else "removed"
    elif not any(entry[field] for field in LISTS):
        entry["status"] = "unchanged"
    return entry


def _primary_key(name: str, side: _Side, resource: dict) -> list[str]:
    key = (resource.get("schema") or {}).get("primaryKey")
    key = [key] if isinstance(key, str) else key
    if not key or not isinstance(key, list) or not all(isinstance(column, str) for column in key):
        raise DiffError(
            f"{side.label}: table {name} has no schema.primaryKey in {DESCRIPTOR}; found {key!r}, expected column names to match rows by"
        )
    return key


def _key_dict(key: list[str], values: tuple[str, ...]) -> dict[str, str]:
    return dict(zip(key, values, strict=True))


def _keyed(table: _Table, key: list[str]) -> dict[tuple[str, ...], dict[str, str]]:
    """The rows of ``table`` by their primary-key values; an error for a missing key column or a repeated key."""
    missing = [column for column in key if column not in table.header]
    if missing:
        raise DiffError(
            f"{table.where}: no column {', '.join(missing)} for the primary key {key}; the header has {', '.join(table.header)}"
        )
    rows, first = {}, {}
    for line, values in table.rows:
        row = dict(zip(table.header, values, strict=True))
        k = tuple(row[column] for column in key)
        if k in rows:
            raise DiffError(
                f"{table.where} line {line}: the primary key {_key(_key_dict(key, k))} repeats line {first[k]}; expected each once"
            )
        rows[k], first[k] = row, line
    return rows


def _read(side: _Side, resource: dict) -> _Table:
    """A CSV's header and rows as text, exactly as published (every value a string, missing as "")."""
    from aidstats.package import safe_path

    path = resource["path"]
    where = f"{side.label}: {path}"
    try:
        file = side.root / safe_path(path)
    except PackageError as err:
        raise DiffError(f"{side.label}: {err}") from None
    encoding = resource.get("encoding", "utf-8")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DiffError(f"{where}: missing, though {DESCRIPTOR} names it for table {resource['name']}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DiffError(f"{where} line {line}: not {encoding} text ({err.reason} at byte {err.start} of the file)") from None
    except LookupError:
        raise DiffError(f"{where}: {DESCRIPTOR} gives the encoding {encoding!r}, which Python does not know") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # malformed quoting is an error, not a guess
    try:
        header = next(reader, None)
        if not header:
            raise DiffError(f"{where} line 1: expected a header of column names, found none")
        repeated = sorted({column for column in header if header.count(column) > 1})
        if repeated:
            raise DiffError(f"{where} line 1: column {', '.join(repeated)} appears more than once in the header")
        rows, end = [], reader.line_num
        for values in reader:
            start, end = end + 1, reader.line_num
            if not values:
                continue  # a blank line holds no row
            if len(values) != len(header):
                raise DiffError(f"{where} line {start}: expected {len(header)} fields, as in the header; found {len(values)}")
            rows.append((start, values))
    except csv.Error as err:
        raise DiffError(f"{where} line {reader.line_num}: not valid CSV ({err})") from None
    return _Table(header, rows, where)
