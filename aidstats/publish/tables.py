"""What every export format shares: the package's tables with their descriptors, its unit symbols, the date.

The writers (:mod:`~aidstats.publish.workbook`, :mod:`~aidstats.publish.stata`,
:mod:`~aidstats.publish.database`) import from here, and :mod:`~aidstats.publish.export`
imports the writers, so no writer imports the module that chooses it.  Column
headings are made by :func:`aidstats.text.numbers.heading`, the one heading
function, with the symbols :func:`unit_symbols` reads from the package's units
table (the site and ``aidstats show`` read them here too).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from aidstats.loader import descriptor, list_tables, load_rows, package_root, resource
from aidstats.text.numbers import symbols


def tables(root: Path) -> list[tuple[str, dict, pd.DataFrame]]:
    """Every table of the package: its name, its resource descriptor and its data."""
    return [(name, resource(name, root), load_rows(name, source=root)) for name in list_tables(root)]


def unit_symbols(source: str | Path | None = None) -> dict[str, str]:
    """How each unit of the package's ``units`` table is written: ``{"percent": "%", "t": "t", "count": ""}``.

    Read from the table's ``printed_as`` column by :func:`aidstats.text.numbers.symbols`;
    the one source of unit symbols.  A package without a units table has none,
    and its units are written as their codes.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        The package, as :func:`aidstats.loader.package_root` takes it (None: the bundled one).
    """
    root = package_root(source)
    if "units" not in list_tables(root):
        return {}
    units = load_rows("units", source=root)
    return symbols(dict(zip(units["unit"], units["printed_as"], strict=True)))


def created(root: Path) -> datetime:
    """The package's ``created`` date, the only date the exports carry (so they are reproducible)."""
    return datetime.fromisoformat(descriptor(root)["created"]).replace(tzinfo=None)
