"""aidstats: the statistics of Weathersby's study of aid to North Korea, 1951-53, as typed tables.

>>> import aidstats
>>> [name for name in aidstats.list_tables() if name in ("railway_damage", "mineral_exports", "aid_deliveries")]
['railway_damage', 'mineral_exports', 'aid_deliveries']
>>> len(aidstats.load("aid_deliveries"))
84

Importing this package loads neither pandera, plotly nor frictionless; only the
commands that need them do.
"""

from .fetch import download
from .load import list_tables, load
from .metadata import VERSION as __version__
from .metrics import implied_plan, percent_of_plan
from .summaries import loss_summary, per_donor, plan_fulfilment

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
