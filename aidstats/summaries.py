"""Answers rather than rows: plan fulfilment, per-donor totals, railway losses.

Pure functions: each takes the table it summarises (loaded for you when
omitted) and returns a new DataFrame.  Quantities are only ever added within
one dimension: tonnes with tonnes, metres with metres, items with items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidstats._arguments import choice, flag, table
from aidstats.loader import load

# Base units whose sums per_donor reports, and the column each goes to.
TOTALS = {"t": "tonnes", "m": "metres", "item": "items"}
# Columns of aid_deliveries that per_donor can split a donor's row by: those
# that name a kind of thing (not a quantity, a quote or a constant).
PER_DONOR_BY = ("donor", "donor_code", "commodity", "unit", "base_unit", "sitc_section", "sitc_division")
# Columns of railway_damage that loss_summary can group by.
LOSS_SUMMARY_BY = ("asset_group", "asset")
# The columns each function reads from the table it is given, and those of them that must hold numbers.
_MINERALS = ("commodity", "delivered_t", "percent_of_plan", "plan_t", "plan_t_low", "plan_t_high", "sitc_division")
_MINERAL_NUMBERS = ("delivered_t", "percent_of_plan", "plan_t", "plan_t_low", "plan_t_high")
_AID = ("donor_code", "donor", "quantity_base", "base_unit", "implausible_reason")
_RAILWAY = ("unit", "lost", "prewar_total")


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
        The ``mineral_exports`` table (or rows of it); loaded when omitted.

    Returns
    -------
    DataFrame
        One row per row of ``minerals``, in its order: ``commodity``,
        ``delivered_t``, ``percent_of_plan``, ``plan_t``, ``plan_t_low``,
        ``plan_t_high``, ``sitc_division``, ``status`` (a categorical whose
        categories sort "under plan", "at plan", "over plan"; missing where
        ``percent_of_plan`` is) and ``excess_t``.

    Raises
    ------
    TypeError
        If ``minerals`` is not a DataFrame (a table's name is not: load it),
        or a column it reads does not hold numbers.
    ValueError
        If ``minerals`` lacks a column of ``mineral_exports`` that it reads
        (a frame of another table); the message names them.

    Examples
    --------
    >>> lead = plan_fulfilment().set_index("commodity").loc["lead"]
    >>> lead.status, round(float(lead.excess_t), 1)
    ('over plan', 1430.5)
    """
    minerals = table(minerals, "minerals", "mineral_exports", _MINERALS, _MINERAL_NUMBERS)
    minerals = load("mineral_exports") if minerals is None else minerals
    # As floats, a missing percentage (NaN or pandas' NA) is neither over, at nor under plan: its status is missing.
    percent = minerals["percent_of_plan"].to_numpy(dtype=float, na_value=np.nan)
    status = np.select([percent > 100, percent < 100, percent == 100], ["over plan", "under plan", "at plan"], None)
    out = minerals[list(_MINERALS)].copy()
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
        The ``aid_deliveries`` table (or rows of it); loaded when omitted.
    by : str, optional
        A column of :data:`PER_DONOR_BY` to split each donor's row by.
        ``"donor"`` and ``"donor_code"`` give the donor rows themselves, as
        does ``None``.
    include_implausible : bool
        Add the lines flagged in ``implausible_reason`` to the sums too
        (True or False: a string such as "no" is refused, not read as true).

    Returns
    -------
    DataFrame
        Indexed by ``donor_code`` (and ``by``).  The donors come in the order
        they first appear in the table (footnote 53's: China, Poland, Hungary,
        Romania, Czechoslovakia, Bulgaria), each donor's rows together; with
        ``by``, a donor's groups follow in the order they first appear among
        that donor's lines.  ``lines`` is an integer; ``tonnes``, ``metres``
        and ``items`` are sums, each an integer column (int64) when every
        value in it is a whole number (below 2**53, where floats count
        exactly) and a float column otherwise (Hungary's 0.5 t of ether makes
        the tonnes of the whole table floats; the items are whole).

    Raises
    ------
    TypeError
        If ``aid`` is not a DataFrame (a table's name is not: load it), ``by``
        is not a string or ``include_implausible`` not True or False.
    ValueError
        If ``by`` is not one of :data:`PER_DONOR_BY` (the message lists them),
        or ``aid`` lacks a column of ``aid_deliveries`` that it reads (a frame
        of another table; the message names them).

    Examples
    --------
    >>> int(per_donor().at["POL", "lines"]), int(per_donor().at["POL", "items"])
    (8, 5620)
    >>> per_donor(by="unit").loc["ROU"].index.tolist()
    ['item', 't', 'm', 'roll', 'pair']
    """
    by = choice(by, "by", PER_DONOR_BY, none=True)
    include_implausible = flag(include_implausible, "include_implausible")
    aid = table(aid, "aid", "aid_deliveries", tuple(dict.fromkeys([*_AID, *([by] if by else [])])), ("quantity_base",))
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
    out = _whole_as_integers(out, list(TOTALS.values()))
    out["share_of_bloc_tonnage"] = out["tonnes"] / out["tonnes"].sum()
    out = _first_seen_first(out.reset_index(), "donor_code", aid)
    return out.set_index(["donor_code", by] if split else "donor_code")


def loss_summary(railway: pd.DataFrame | None = None, by: str = "asset_group") -> pd.DataFrame:
    """Railway losses summed by ``by`` and unit (counts and kilometres are never added).

    Parameters
    ----------
    railway : DataFrame, optional
        The ``railway_damage`` table (or rows of it); loaded when omitted.
    by : str
        A column of :data:`LOSS_SUMMARY_BY`: ``"asset_group"`` or ``"asset"``.

    Returns
    -------
    DataFrame
        Indexed by ``by`` and ``unit``: ``lost``, ``prewar_total``, the number
        of ``assets`` summed and ``share_lost`` (``lost / prewar_total``).
        The rows keep the table's order (footnote 45's): the groups (or
        assets) in the order they first appear, and a group's units in the
        order they first appear in it (track and structures: the rail lines in
        km, then the tunnels, bridges and pumping stations counted).  Sums of
        whole numbers are integers, as for :func:`per_donor`.

    Raises
    ------
    TypeError
        If ``railway`` is not a DataFrame (a table's name is not: load it), or
        ``by`` is not a string.
    ValueError
        If ``by`` is not one of :data:`LOSS_SUMMARY_BY` (the message lists
        them), or ``railway`` lacks a column of ``railway_damage`` that it
        reads (a frame of another table; the message names them).

    Examples
    --------
    >>> loss_summary().loc[("rolling_stock", "count"), ["lost", "prewar_total"]].tolist()
    [14980, 19180]
    >>> loss_summary(by="asset").index[:3].tolist()
    [('factory buildings', 'count'), ('station buildings', 'count'), ('service premises', 'count')]
    """
    by = choice(by, "by", LOSS_SUMMARY_BY)
    railway = table(railway, "railway", "railway_damage", (by, *_RAILWAY), ("lost", "prewar_total"))
    railway = load("railway_damage") if railway is None else railway
    grouped = railway.groupby([by, "unit"], observed=True, sort=False)
    out = _whole_as_integers(grouped[["lost", "prewar_total"]].sum(), ["lost", "prewar_total"])
    out["assets"] = grouped.size()
    out["share_lost"] = out["lost"].astype(float) / out["prewar_total"].astype(float)
    return _first_seen_first(out.reset_index(), by, railway).set_index([by, "unit"])


def _whole_as_integers(out: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Each float column of ``columns`` as int64 if every value in it is a whole number below 2**53."""
    for column in columns:
        if not pd.api.types.is_float_dtype(out[column].dtype):
            continue
        values = out[column].to_numpy(dtype=float, na_value=np.nan)
        if np.all(np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 2**53)):
            out[column] = values.astype("int64")
    return out


def _first_seen_first(out: pd.DataFrame, column: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``out`` with the values of ``column`` in the order they first appear in ``frame``.

    The sort is stable, so rows with the same value keep their order (that of a
    groupby with ``sort=False``: the order each group first appears).
    """
    first = {value: rank for rank, value in enumerate(pd.unique(frame[column].dropna()))}
    return out.iloc[np.argsort([first[value] for value in out[column]], kind="stable")].reset_index(drop=True)
