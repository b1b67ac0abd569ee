"""The computed columns, derived from the printed text of each row.

Each function takes a table's checked raw frame (index: CSV line), the
tables built before it and the file name to show in problems, and returns
the frame with its computed columns and the problems found on the way.
A table's model names its function (``@table(..., derive=derive.<function>)``
in :mod:`aidstats.build.schemas`); a table without computed columns needs none.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from aidstats.build.distinct import lookup, per_distinct
from aidstats.errors import InputProblem, show
from aidstats.metrics import implied_plan
from aidstats.text.printed import NotANumber, decimals, parse_printed

NUMBER_AS_PRINTED = "a number as printed, such as 5,346, 0.84, two or 100 million, optionally followed by a unit word"


def nothing(frame: pd.DataFrame, frames: dict, shown_as: str):
    """The derivation of a table without computed columns: the frame as it is, no problems."""
    return frame, []


def _parse_column(frame: pd.DataFrame, column: str, shown_as: str, problems: list) -> pd.Series:
    """Parse a printed-number column into (Decimal, unit word) pairs; (None, None) where
    missing or unreadable (and reported)."""

    def parse(text: str):
        try:
            return parse_printed(text)
        except NotANumber:
            return None

    parsed = per_distinct(frame[column], parse)
    unreadable = frame[column].notna() & parsed.isna()
    problems += [
        InputProblem(shown_as, int(line), column, show(text), NUMBER_AS_PRINTED) for line, text in frame.loc[unreadable, column].items()
    ]
    return parsed.where(parsed.notna(), pd.Series([(None, None)] * len(frame), index=frame.index, dtype=object))


def _whole(value: Decimal | None):
    return pd.NA if value is None else (int(value) if value == value.to_integral_value() else float(value))


def railway_damage(frame: pd.DataFrame, frames: dict, shown_as: str):
    problems: list[InputProblem] = []
    lost = _parse_column(frame, "lost_as_printed", shown_as, problems).map(lambda p: _whole(p[0]))
    prewar = _parse_column(frame, "prewar_total_as_printed", shown_as, problems).map(lambda p: _whole(p[0]))
    frame = frame.assign(lost=lost, prewar_total=prewar)
    frame["share_lost"] = pd.to_numeric(lost, errors="coerce") / pd.to_numeric(prewar, errors="coerce")
    return frame, problems


def mineral_exports(frame: pd.DataFrame, frames: dict, shown_as: str):
    problems: list[InputProblem] = []
    delivered = _parse_column(frame, "delivered_as_printed", shown_as, problems).map(lambda p: p[0])
    percent = _parse_column(frame, "percent_of_plan_as_printed", shown_as, problems).map(lambda p: p[0])
    if problems:
        return frame, problems
    zero = percent[percent == 0]
    problems += [
        InputProblem(
            shown_as,
            int(line),
            "percent_of_plan_as_printed",
            show(frame.at[line, "percent_of_plan_as_printed"]),
            "a percentage greater than 0",
        )
        for line in zero.index
    ]
    if problems:
        return frame, problems
    places = frame["percent_of_plan_as_printed"].map(decimals)
    delivered_t, percent_of_plan = delivered.astype(float), percent.astype(float)
    plan = implied_plan(delivered_t, percent_of_plan, places.to_numpy())
    frame = frame.assign(
        delivered_t=delivered_t, percent_of_plan=percent_of_plan, plan_t=plan.plan, plan_t_low=plan.low, plan_t_high=plan.high
    )
    return _with_sitc(frame, frames, shown_as, "mineral_exports", problems), problems


def aid_deliveries(frame: pd.DataFrame, frames: dict, shown_as: str):
    problems: list[InputProblem] = []
    _parse_column(frame, "quantity_as_printed", shown_as, problems)  # reports unreadable quantities
    units = frames["units"].set_index("unit")
    value = per_distinct(frame["quantity_as_printed"], _value_or_none)
    known = value.notna() & frame["unit"].isin(units.index)  # others are reported elsewhere
    words = {unit: (str(printed).split("|") if pd.notna(printed) else []) for unit, printed in units["printed_as"].items()}

    def contradiction(text: str, unit: str) -> str | None:
        """Why the unit word printed in ``text`` does not fit ``unit``, if it does not."""
        try:
            _, word = parse_printed(text)
        except NotANumber:
            return None  # reported by _parse_column
        if word is None or unit not in words or word in words[unit]:
            return None
        return f"a unit word raw/units.csv lists as printed_as for the row's unit {unit!r}: {', '.join(words[unit]) or 'none'}"

    reasons = per_distinct(frame[["quantity_as_printed", "unit"]], contradiction)
    problems += [
        InputProblem(shown_as, int(line), "quantity_as_printed", show(frame.at[line, "quantity_as_printed"]), reason)
        for line, reason in reasons.dropna().items()
    ]
    frame = frame.assign(
        quantity=per_distinct(frame["quantity_as_printed"], lambda text: _whole(_value_or_none(text))).where(known),
        quantity_base=per_distinct(frame["quantity_as_printed"], _float_or_nan).where(known).astype(float)
        * lookup(frame["unit"], units["factor_to_base"]).astype(float),
        base_unit=lookup(frame["unit"], units["base_unit"]).where(known).astype("string"),
    )
    return _with_sitc(frame, frames, shown_as, "aid_deliveries", problems), problems


def _value_or_none(text: str):
    try:
        return parse_printed(text)[0]
    except NotANumber:
        return None


def _float_or_nan(text: str) -> float:
    value = _value_or_none(text)
    return float("nan") if value is None else float(value)  # not `value or ...`: a printed 0 is a value


def commodity_classes(frame: pd.DataFrame, frames: dict, shown_as: str):
    sections = frames["sitc_divisions"].set_index("division")["section"]
    return frame.assign(sitc_section=frame["sitc_division"].map(sections).astype("string")), []


def _with_sitc(frame: pd.DataFrame, frames: dict, shown_as: str, table: str, problems: list) -> pd.DataFrame:
    """Add the SITC section and division from commodity_classes; every commodity must be classed."""
    classes = frames["commodity_classes"]
    classes = classes[classes["table"] == table].set_index("commodity")
    unclassed = frame.index[~frame["commodity"].isin(classes.index)]
    problems += [
        InputProblem(
            shown_as,
            int(line),
            "commodity",
            show(frame.at[line, "commodity"]),
            f"a commodity classed in raw/commodity_classes.csv (table {table})",
        )
        for line in unclassed
    ]
    return frame.assign(
        sitc_section=lookup(frame["commodity"], classes["sitc_section"]).astype("string"),
        sitc_division=lookup(frame["commodity"], classes["sitc_division"]).astype("string"),
    )


def key_figures(frame: pd.DataFrame, frames: dict, shown_as: str):
    problems: list[InputProblem] = []
    value = _parse_column(frame, "value_as_printed", shown_as, problems).map(lambda p: p[0])
    present = frame["value_high_as_printed"].notna()
    high = _parse_column(frame[present], "value_high_as_printed", shown_as, problems).map(lambda p: p[0])
    as_float = lambda v: None if v is None else float(v)  # noqa: E731
    return frame.assign(value=value.map(as_float), value_high=high.reindex(frame.index).map(as_float, na_action="ignore")), problems


def caveats(frame: pd.DataFrame, frames: dict, shown_as: str):
    """A caveat's column, and each row its row_key names, must exist in the table it names."""
    problems = []
    for line, row in frame.iterrows():
        table = frames.get(row["table"])
        if table is None:
            continue  # that table failed and is reported
        if pd.notna(row["column_name"]) and row["column_name"] not in table.columns:
            problems.append(InputProblem(shown_as, int(line), "column_name", show(row["column_name"]), f"a column of {row['table']}"))
        # A doubt may concern several rows (a possible double count spans five lines),
        # so row_key holds one or more column=value keys separated by ";".
        for named in [] if pd.isna(row["row_key"]) else row["row_key"].split(";"):
            key, _, value = named.partition("=")
            if key not in table.columns or not _has_value(table[key], value):
                # An empty key (as after a trailing ";") is shown as the whole cell.
                found = show(named or row["row_key"])
                problems.append(InputProblem(shown_as, int(line), "row_key", found, f"column=value naming a row of {row['table']}"))
    return frame, problems


def _has_value(column: pd.Series, text: str) -> bool:
    """Whether ``column`` holds the value written as ``text`` (compared in the column's own type)."""
    dtype = column.dtype
    # A category is compared as a value of its categories' type: casting text to the categorical
    # itself turns a value outside the categories into NaN, deprecated in pandas 3 (pandas 4 raises).
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    try:
        probe = pd.Series([text], dtype="string").astype(dtype)
    except (ValueError, TypeError):
        return False
    return bool(probe.notna().all() and column.isin(probe).any())
