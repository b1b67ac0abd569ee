"""Export the built package for Excel, Stata and SQL (Datasette): what the three formats share.

The workbook is written by :mod:`aidstats.workbook`, the ``.dta`` files by
:mod:`aidstats.stata`, the database and its Datasette metadata by
:mod:`aidstats.database`.

Every export is written from the published package (``datapackage.json`` and
the tables it lists, through :mod:`aidstats.loader`): titles, units,
descriptions, enumerations and keys come from the descriptor, never typed
here.  Each is byte-identical when written twice from the same package: the
only date in a file is the package's ``created`` date.

=========  ==========================================  =======================================
format     files                                       for
=========  ==========================================  =======================================
``xlsx``   ``aidstats.xlsx``                           Excel, LibreOffice, Google Sheets
``stata``  ``<table>.dta`` per table (format 118)      Stata 14 or later, R's haven, pandas
``sqlite`` ``aidstats.db`` and ``metadata.json``       SQL, DuckDB, ``datasette aidstats.db -m metadata.json``
=========  ==========================================  =======================================
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .loader import descriptor, list_tables, load, package_root, resource

FORMATS = ("xlsx", "stata", "sqlite")


class ExportError(ValueError):
    """The package cannot be exported as it is (a broken foreign key); the message says where."""


class ExportFile(NamedTuple):
    """One file written by :func:`write_exports`: where it is, its format, size and sha256."""

    path: Path
    format: str
    bytes: int
    sha256: str


def export(fmt: str, out: Path, root: Path | None = None) -> list[Path]:
    """Write the package in ``fmt`` into the folder ``out``.

    Parameters
    ----------
    fmt : str
        ``"xlsx"``, ``"stata"`` or ``"sqlite"``.
    out : pathlib.Path
        Folder to write into; created if missing.
    root : pathlib.Path, optional
        The package folder (default: the package installed with aidstats).

    Returns
    -------
    list of pathlib.Path
        The files written, in a stable order.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of :data:`FORMATS`.
    aidstats.extras.MissingExtra
        For ``"xlsx"`` when openpyxl is not installed.
    """
    if fmt not in FORMATS:
        raise ValueError(f"no export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    root = package_root(root)
    if fmt == "xlsx":
        from .workbook import require_openpyxl, write_workbook

        require_openpyxl()  # before anything is written
        writer = write_workbook
    elif fmt == "stata":
        from .stata import write_stata as writer
    else:
        from .database import write_sqlite as writer
    out.mkdir(parents=True, exist_ok=True)
    return writer(root, out)


def write_exports(out: Path, root: Path | None = None) -> list[ExportFile]:
    """Write every format into ``out/<format>/`` and describe each file, for a downloads page.

    Returns
    -------
    list of ExportFile
        Every file written, with its format, size in bytes and sha256 in hexadecimal.
    """
    return [
        ExportFile(path, fmt, path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
        for fmt in FORMATS
        for path in export(fmt, out / fmt, root)
    ]


def tables(root: Path) -> list[tuple[str, dict, pd.DataFrame]]:
    """Every table of the package: its name, its resource descriptor and its data."""
    return [(name, resource(name, root), load(name, source=root)) for name in list_tables(root)]


def unit_note(field: dict, fields: list[dict]) -> str:
    """The unit of a column as a header shows it: "t", "see Unit" for a unit column, or ""."""
    if field.get("unit"):
        return field["unit"]
    if field.get("unitField"):
        titles = {f["name"]: f.get("title", f["name"]) for f in fields}
        return f"see {titles.get(field['unitField'], field['unitField'])}"
    return ""


def heading(field: dict, fields: list[dict]) -> str:
    """A column's title with its unit: "Delivered (t)", "Lost (see Unit)" or "Asset"."""
    unit = unit_note(field, fields)
    return f"{field.get('title', field['name'])} ({unit})" if unit else field.get("title", field["name"])


def created(root: Path) -> datetime:
    """The package's ``created`` date, the only date the exports carry (so they are reproducible)."""
    return datetime.fromisoformat(descriptor(root)["created"]).replace(tzinfo=None)
