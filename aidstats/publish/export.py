"""Export the built package for Excel, Stata and SQL (Datasette): what the three formats share.

The workbook is written by :mod:`aidstats.publish.workbook`, the ``.dta`` files by
:mod:`aidstats.publish.stata`, the database and its Datasette metadata by
:mod:`aidstats.publish.database`.

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

from pathlib import Path
from typing import NamedTuple

from aidstats.errors import ExportError  # noqa: F401  (raised by the writers; imported from here by callers)
from aidstats.loader import package_root
from aidstats.package import output_folder, sha256

FORMATS = ("xlsx", "stata", "sqlite")


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
        from aidstats.publish.workbook import require_openpyxl, write_workbook

        require_openpyxl()  # before anything is written
        writer = write_workbook
    elif fmt == "stata":
        from aidstats.publish.stata import write_stata as writer
    else:
        from aidstats.publish.database import write_sqlite as writer
    return writer(root, output_folder(out))


def write_exports(out: Path, root: Path | None = None) -> list[ExportFile]:
    """Write every format into ``out/<format>/`` and describe each file, for a downloads page.

    Returns
    -------
    list of ExportFile
        Every file written, with its format, size in bytes and sha256 in hexadecimal.
    """
    return [ExportFile(path, fmt, path.stat().st_size, sha256(path)) for fmt in FORMATS for path in export(fmt, out / fmt, root)]
