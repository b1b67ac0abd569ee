"""Answers rather than rows: plan fulfilment, per-donor totals, railway losses.

Pure functions: each takes the table it summarises (loaded for you when
omitted) and returns a new DataFrame.  Quantities are only ever added within
one dimension: tonnes with tonnes, metres with metres, items with items.
"""

from __future__ import annotations

import pandas as pd

from aidstats.loader import load

# Base units whose sums per_donor reports, and the column each goes to.
TOTALS = {"t": "tonnes", "m": "metres", "item": "items"}
# Columns of aid_deliveries that per_donor can split a donor's row by: those
# that name a kind of thing (not a quantity, a quote or a constant).
PER_DONOR_BY = ("donor", "donor_code", "commodity", "unit", "base_unit", "sitc_section", "sitc_division")
# Columns of railway_damage that loss_summary can group by.
LOSS_SUMMARY_BY = ("asset_group", "asset")


def plan_fulfilment(minerals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The mineral table with where each product stood against its 1951 plan.

    The paper compares eight months of deliveries (to 31 August) with the
    plan for the whole year, and so does this: ``status`` is "over plan",
    "at plan" or "under plan" by the end of August (so "under plan" means the
    annual plan was not yet reached, not that the year failed), and
    ``excess_t`` is delivered minus the implied annual plan, in tonnes
    (negative: what was still to deliver). The plan and its bounds are kept.

    Parameters
    ----------
    minerals : DataFrame, optional
        The ``mineral_exports`` table; loaded when omitted.

    Returns
    -------
    DataFrame
        One row per row of ``minerals``, in its order: ``commodity``,
        ``delivered_t``, ``percent_of_plan``, ``plan_t``, ``plan_t_low``,
        ``plan_t_high``, ``sitc_division``, ``status`` (a categorical whose
        categories sort "under plan", "at plan", "over plan") and ``excess_t``.

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

    Parameters
    ----------
    aid : DataFrame, optional
        The ``aid_deliveries`` table; loaded when omitted.
    by : str, optional
        A column of :data:`PER_DONOR_BY` to split each donor's row by.
        ``"donor"`` and ``"donor_code"`` give the donor rows themselves, as
        does ``None``.
    include_implausible : bool
        Add the lines flagged in ``implausible_reason`` to the sums too.

    Returns
    -------
    DataFrame
        Indexed by ``donor_code`` (and ``by``), in the order the donors and
        groups first appear in the table.

    Raises
    ------
    ValueError
        If ``by`` is not one of :data:`PER_DONOR_BY`; the message lists them.

    >>> int(per_donor().at["POL", "lines"]), float(per_donor().at["POL", "tonnes"])
    (8, 2100.0)
    """
    if by is not None:
        _require_choice(by, PER_DONOR_BY)
    aid = load("aid_deliveries") if aid is None else aid
    split = by not in (None, "donor", "donor_code")
    keys = ["donor_code", "donor"] + ([by] if split else [])
    counted = aid["implausible_reason"].isna() | include_implausible
    # One column per base unit holding the quantities to add (missing elsewhere,
    # which sum skips), so one groupby gives the lines and every sum.
    quantities = {column: aid["quantity_base"].where(counted & (aid["base_unit"] == unit)) for unit, column in TOTALS.items()}
    grouped = aid.assign(**quantities).groupby(keys, observed=True, sort=False)
    out = grouped[list(TOTALS.values())].sum()
    out.insert(0, "lines", grouped.size())
    out["share_of_bloc_tonnage"] = out["tonnes"] / out["tonnes"].sum()
    return out.reset_index().set_index(["donor_code", by] if split else "donor_code")


def loss_summary(railway: pd.DataFrame | None = None, by: str = "asset_group") -> pd.DataFrame:
    """Railway losses summed by ``by`` and unit (counts and kilometres are never added).

    Parameters
    ----------
    railway : DataFrame, optional
        The ``railway_damage`` table; loaded when omitted.
    by : str
        A column of :data:`LOSS_SUMMARY_BY`: ``"asset_group"`` or ``"asset"``.

    Returns
    -------
    DataFrame
        Indexed by ``by`` and ``unit``: ``lost``, ``prewar_total``, the number
        of ``assets`` summed and ``share_lost`` (``lost / prewar_total``).

    Raises
    ------
    ValueError
        If ``by`` is not one of :data:`LOSS_SUMMARY_BY`; the message lists them.

    >>> loss_summary().loc[("rolling_stock", "count"), ["lost", "prewar_total"]].tolist()
    [14980, 19180]
    """
    _require_choice(by, LOSS_SUMMARY_BY)
    railway = load("railway_damage") if railway is None else railway
    grouped = railway.groupby([by, "unit"], observed=True)
    out = grouped[["lost", "prewar_total"]].sum()
    out["assets"] = grouped.size()
    out["share_lost"] = out["lost"].astype(float) / out["prewar_total"].astype(float)
    return out


def _require_choice(by, accepted: tuple[str, ...]) -> None:
    if by not in accepted:
        raise ValueError(f"cannot group by={by!r}; expected one of {', '.join(map(repr, accepted))}")
