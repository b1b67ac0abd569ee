"""What every export format shares: the package's tables with their descriptors, column headings, the date.

The writers (:mod:`~aidstats.publish.workbook`, :mod:`~aidstats.publish.stata`,
:mod:`~aidstats.publish.database`) import from here, and :mod:`~aidstats.publish.export`
imports the writers, so no writer imports the module that chooses it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from aidstats.loader import descriptor, list_tables, load, resource


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
