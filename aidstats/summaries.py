"""Answers rather than rows: plan fulfilment, per-donor totals, railway losses.

Pure functions: each takes the table it summarises (loaded for you when
omitted) and returns a new DataFrame.  Quantities are only ever added within
one dimension: tonnes with tonnes, metres with metres, items with items.
"""

from __future__ import annotations

import pandas as pd

from .loader import load

# Base units whose sums per_donor reports, and the column each goes to.
TOTALS = {"t": "tonnes", "m": "metres", "item": "items"}


def plan_fulfilment(minerals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The mineral table with where each product stood against its 1951 plan.

    The paper compares eight months of deliveries (to 31 August) with the
    plan for the whole year, and so does this: ``status`` is "over plan",
    "at plan" or "under plan" by the end of August (so "under plan" means the
    annual plan was not yet reached, not that the year failed), and
    ``excess_t`` is delivered minus the implied annual plan, in tonnes
    (negative: what was still to deliver). The plan and its bounds are kept.

    >>> lead = plan_fulfilment().set_index("commodity").loc["lead"]
    >>> lead.status, round(float(lead.excess_t), 1)
    ('over plan', 1430.5)
    """
    minerals = load("mineral_exports") if minerals is None else minerals
    status = pd.Series("at plan", index=minerals.index)
    status[minerals["percent_of_plan"] > 100] = "over plan"
    status[minerals["percent_of_plan"] < 100] = "under plan"
    out = minerals[["commodity", "delivered_t", "percent_of_plan", "plan_t", "plan_t_low", "plan_t_high", "sitc_division"]].copy()
    out["status"] = pd.Categorical(status, categories=["under plan", "at plan", "over plan"])
    out["excess_t"] = minerals["delivered_t"] - minerals["plan_t"]
    return out


def per_donor(aid: pd.DataFrame | None = None, by: str | None = None, include_implausible: bool = False) -> pd.DataFrame:
    """One row per donor (or per donor and ``by``): lines, tonnes, metres, items, share of tonnage.

    Tonnes sum the lines whose base unit is the tonne (kilograms are
    converted); metres and items likewise; pairs, rolls, sets, doses and
    units of penicillin are counted in ``lines`` but never added to anything.
    Lines flagged in ``implausible_reason`` are left out of the sums unless
    ``include_implausible`` (they are always counted in ``lines``).
    ``share_of_bloc_tonnage`` is the donor's (or group's) share of the total
    tonnes of all donors.

    >>> int(per_donor().at["POL", "lines"]), float(per_donor().at["POL", "tonnes"])
    (8, 2100.0)
    """
    aid = load("aid_deliveries") if aid is None else aid
    keys = ["donor_code", "donor"] + ([by] if by else [])
    counted = aid if include_implausible else aid[aid["implausible_reason"].isna()]
    out = aid.groupby(keys, observed=True, sort=False).size().rename("lines").to_frame()
    for base_unit, column in TOTALS.items():
        rows = counted[counted["base_unit"] == base_unit]
        out[column] = rows.groupby(keys, observed=True, sort=False)["quantity_base"].sum()
    out[list(TOTALS.values())] = out[list(TOTALS.values())].fillna(0.0)
    out["share_of_bloc_tonnage"] = out["tonnes"] / out["tonnes"].sum()
    out = out.reset_index().set_index("donor_code" if not by else ["donor_code", by])
    return out


def loss_summary(railway: pd.DataFrame | None = None, by: str = "asset_group") -> pd.DataFrame:
    """Railway losses summed by ``by`` and unit (counts and kilometres are never added).

    >>> loss_summary().loc[("rolling_stock", "count"), ["lost", "prewar_total"]].tolist()
    [14980, 19180]
    """
    railway = load("railway_damage") if railway is None else railway
    out = railway.groupby([by, "unit"], observed=True)[["lost", "prewar_total"]].sum()
    out["assets"] = railway.groupby([by, "unit"], observed=True).size()
    out["share_lost"] = out["lost"].astype(float) / out["prewar_total"].astype(float)
    return out
