"""Small pure functions on numbers, shared by the build and by users.

NumPy only, so that ``import aidstats`` stays light.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class ImpliedPlan(NamedTuple):
    """An implied plan and the range it can take given the printed precision."""

    plan: object
    low: object
    high: object


def percent_of_plan(actual, plan):
    """``actual / plan * 100``, elementwise over scalars, arrays or Series.

    >>> round(percent_of_plan(8443, 7012.458), 1)
    120.4
    """
    _require_positive(plan, "plan")
    return actual / plan * 100


def implied_plan(actual, percent, decimals=None) -> ImpliedPlan:
    """The plan implied by an amount and its printed percentage of plan.

    A percentage printed with ``d`` decimals stands for any true value within
    half a unit of its last digit ("32%" means 31.5 <= p < 32.5), so the plan
    lies in ``(low, high]`` with ``low = actual*100/(p + h)`` and
    ``high = actual*100/(p - h)``, ``h = 0.5 * 10**-d``.

    ``decimals`` is the number of digits printed after the point; it cannot be
    recovered from a float (32.0 and 32 are equal), so pass it when you know it.
    If omitted it is taken from the shortest decimal form of each value.

    >>> p = implied_plan(1.29, 32, decimals=0)
    >>> round(p.plan, 4), round(p.low, 4), round(p.high, 4)
    (4.0312, 3.9692, 4.0952)
    """
    _require_positive(percent, "percent")
    if decimals is None:
        decimals = _shortest_decimals(percent)
    half = 0.5 * np.power(10.0, -np.asarray(decimals, dtype=float))
    if np.ndim(half) == 0:
        half = float(half)
    return ImpliedPlan(actual * 100 / percent, actual * 100 / (percent + half), actual * 100 / (percent - half))


def _shortest_decimals(values):
    def one(value: float) -> int:
        text = repr(float(value))
        return 0 if text.endswith(".0") else len(text.partition(".")[2])

    if np.ndim(values) == 0:
        return one(values)
    return np.array([one(v) for v in np.asarray(values, dtype=float)])


def _require_positive(values, name: str) -> None:
    array = np.asarray(values, dtype=float)
    bad = array[~np.isnan(array) & (array <= 0)]
    if bad.size:
        raise ValueError(f"{name} must be greater than zero; found {bad[0]:g}")
