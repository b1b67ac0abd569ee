"""Small pure functions on numbers, shared by the build and by users.

NumPy only, so that ``import aidstats`` stays light.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import numpy as np


class ImpliedPlan(NamedTuple):
    """An implied plan and the range it can take given the printed precision."""

    plan: object
    low: object
    high: object


def percent_of_plan(actual, plan):
    """``actual / plan * 100``, elementwise over scalars, arrays or Series.

    Parameters
    ----------
    actual : float, array or Series
        The amount achieved; 0 or more (missing values stay missing).
    plan : float, array or Series
        The plan; greater than 0.

    Returns
    -------
    float, array or Series
        The percentage of plan, shaped like the inputs.

    Raises
    ------
    ValueError
        If an amount is negative or a plan is 0 or less; the message shows the first such value.

    >>> round(percent_of_plan(8443, 7012.458), 1)
    120.4
    """
    actual, plan = _numbers(actual), _numbers(plan)
    _require(actual, "actual", "0 or more", _missing_or_not_negative)
    _require(plan, "plan", "greater than zero", _missing_or_positive)
    return actual / plan * 100


def implied_plan(actual, percent, decimals=None) -> ImpliedPlan:
    """The plan implied by an amount and its printed percentage of plan.

    A percentage printed with ``d`` decimals stands for any true value within
    half a unit of its last digit ("32%" means 31.5 <= p < 32.5), so the plan
    lies in ``(low, high]`` with ``low = actual*100/(p + h)`` and
    ``high = actual*100/(p - h)``, ``h = 0.5 * 10**-d``.  Where ``p - h`` is
    0 or less (``decimals`` fewer than the digits of ``percent``, as when 0.4
    is said to be rounded to a whole number) the true percentage may be as
    small as we like, so the plan has no upper bound and ``high`` is infinite.

    Parameters
    ----------
    actual : float, array or Series
        The amount achieved; 0 or more (missing values stay missing).
    percent : float, array or Series
        The percentage of plan as printed; greater than 0.
    decimals : int or array of int, optional
        The number of digits printed after the point, 0 or more.  It cannot be
        recovered from a float (32.0 and 32 are equal), so pass it when you
        know it; if omitted it is taken from the shortest decimal form of each
        value.

    Returns
    -------
    ImpliedPlan
        ``plan``, ``low`` and ``high``, each shaped like the inputs (a Series
        keeps its index); ``low <= plan <= high`` wherever nothing is missing.

    Raises
    ------
    ValueError
        If an amount is negative, a percentage is 0 or less, or ``decimals`` is
        not a whole number of 0 or more; the message shows the first such value.

    >>> p = implied_plan(1.29, 32, decimals=0)
    >>> round(p.plan, 4), round(p.low, 4), round(p.high, 4)
    (4.0312, 3.9692, 4.0952)

    0.4% rounded to a whole number stands for anything below 0.9%, so the plan
    is more than 111 times the amount, with no upper bound:

    >>> p = implied_plan(1, 0.4, decimals=0)
    >>> round(p.plan, 4), round(p.low, 4), float(p.high)
    (250.0, 111.1111, inf)
    """
    actual, percent = _numbers(actual), _numbers(percent)
    _require(actual, "actual", "0 or more", _missing_or_not_negative)
    _require(percent, "percent", "greater than zero", _missing_or_positive)
    if decimals is None:
        decimals = _shortest_decimals(percent)
    _require(decimals, "decimals", "a whole number of 0 or more", _whole_not_negative)
    half = 0.5 * np.power(10.0, -np.asarray(decimals, dtype=float))
    if np.ndim(half) == 0:
        half = float(half)
    lowest = percent - half
    # np.divide keeps a Series a Series and gives inf or nan for x/0 rather than raising.
    with np.errstate(divide="ignore", invalid="ignore"):
        high = np.divide(actual * 100, lowest)
    # Once the lowest percentage reaches 0 the plan has no upper bound (a missing amount stays missing).
    # As floats, pandas' missing values (pd.NA) become NaN and compare False.
    infinite = (np.asarray(lowest, dtype=float) <= 0) & ~np.isnan(np.asarray(actual, dtype=float))
    if np.ndim(high) == 0:
        high = np.inf if infinite else float(high)
    else:
        high[np.asarray(infinite)] = np.inf
    return ImpliedPlan(actual * 100 / percent, actual * 100 / (percent + half), high)


def _numbers(values):
    # A list or tuple would be repeated by "* 100", not multiplied.
    return np.asarray(values, dtype=float) if isinstance(values, list | tuple) else values


def _shortest_decimals(values):
    def one(value: float) -> int:
        # repr gives the shortest form that reads back as the same float, but
        # may use an exponent ('1.5e-05'); Decimal reads both forms.
        if not np.isfinite(value):
            return 0
        return max(0, -Decimal(repr(float(value))).normalize().as_tuple().exponent)

    if np.ndim(values) == 0:
        return one(values)
    return np.array([one(v) for v in np.asarray(values, dtype=float)])


def _require(values, name: str, expected: str, holds) -> None:
    array = np.asarray(values, dtype=float)
    bad = array[~holds(array)]
    if bad.size:
        raise ValueError(f"{name} must be {expected}; found {bad.flat[0]:g}")


# Missing amounts and percentages are allowed (they give missing results); missing decimals are not.
def _missing_or_not_negative(a):
    return np.isnan(a) | (a >= 0)


def _missing_or_positive(a):
    return np.isnan(a) | (a > 0)


def _whole_not_negative(a):
    return (a >= 0) & (a == np.floor(a))
