"""aidstats: the figures printed in Weathersby's 'North Korea and the Armistice Negotiations', as typed tables.

Importing this package is nearly free: the functions below are imported on
first use, so pandas loads with the first table, and pandera, plotly and
frictionless only inside the commands that need them.

Examples
--------
>>> import aidstats
>>> [name for name in aidstats.list_tables() if name in ("railway_damage", "mineral_exports", "aid_deliveries")]
['railway_damage', 'mineral_exports', 'aid_deliveries']
>>> len(aidstats.load("aid_deliveries"))
84
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from aidstats import _moved
from aidstats.metadata import VERSION as __version__

_moved.install()  # module paths from before the wings (aidstats.figures, aidstats.fetch, ...) keep working

if TYPE_CHECKING:
    from aidstats.loader import list_tables, load
    from aidstats.metrics import implied_plan, percent_of_plan
    from aidstats.remote.fetch import download
    from aidstats.summaries import loss_summary, per_donor, plan_fulfilment

# Public name -> the module that defines it.
_PUBLIC = {
    "download": "remote.fetch",
    "list_tables": "loader",
    "load": "loader",
    "implied_plan": "metrics",
    "percent_of_plan": "metrics",
    "loss_summary": "summaries",
    "per_donor": "summaries",
    "plan_fulfilment": "summaries",
}

__all__ = [
    "__version__",
    "download",
    "implied_plan",
    "list_tables",
    "load",
    "loss_summary",
    "per_donor",
    "percent_of_plan",
    "plan_fulfilment",
]
assert set(__all__) == {"__version__", *_PUBLIC}, "every lazy name is public"


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'aidstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
