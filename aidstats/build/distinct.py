"""Apply a Python function once per distinct value, not once per row.

The raw tables repeat the same texts many times (quotes, units, printed
quantities); parsing and checking each distinct value once keeps the build
linear in rows with a small constant, even for a million rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def per_distinct(values: pd.Series | pd.DataFrame, func: Callable) -> pd.Series:
    """``func(value)`` (or ``func(*row)`` for a DataFrame) for every row, computed once per
    distinct value and broadcast back; rows with a missing value get None."""
    if isinstance(values, pd.DataFrame):
        # One integer key per distinct row, built from each column's codes (fast,
        # unlike a MultiIndex of tuples); code -1 (missing) becomes digit 0.
        combined = np.zeros(len(values), dtype=np.int64)
        for name in values.columns:
            column_codes, column_uniques = pd.factorize(values[name])
            combined = combined * (len(column_uniques) + 1) + (column_codes + 1)
        codes, _ = pd.factorize(combined)
        _, first = np.unique(codes, return_index=True)
        rows = values.iloc[first]
        results = [None if any(pd.isna(v) for v in row) else func(*row) for row in rows.itertuples(index=False, name=None)]
    else:
        codes, uniques = pd.factorize(values)
        results = [func(value) for value in uniques]
    lookup = np.empty(len(results) + 1, dtype=object)
    lookup[: len(results)] = results
    lookup[-1] = None  # code -1: a missing value
    return pd.Series(lookup[codes], index=values.index, dtype=object)


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``keys.map(table)``, done once per distinct key (much faster on long text columns)."""
    codes, uniques = pd.factorize(keys)
    values = table.reindex(uniques).to_numpy(dtype=object)
    looked_up = np.append(values, None)[codes]  # code -1 (a missing key) picks the None
    return pd.Series(looked_up, index=keys.index, dtype=object)
