"""Small pure functions on numbers, shared by the build and by users.

NumPy only, so that ``import aidstats`` stays light.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from aidstats._arguments import aligned, numbers


class ImpliedPlan(NamedTuple):
    """An implied plan and the range it can take given the printed precision."""

    plan: object
    low: object
    high: object


def percent_of_plan(actual, plan):
    """``actual / plan * 100``, elementwise over scalars, arrays, lists or Series.

    Worked out exactly from the decimal form of each input (the shortest that
    reads back as the same float, as Python prints it) and rounded once to
    the nearest float, so ``percent_of_plan(0.84, 30)`` is 2.8, not the
    2.8000000000000003 of ``0.84 / 30 * 100``.

    Parameters
    ----------
    actual : float, array, list or Series
        The amount achieved; 0 or more (missing values stay missing).
    plan : float, array, list or Series
        The plan; greater than 0.  Those of ``actual`` and ``plan`` that are
        not single numbers must have the same shape, and two Series the same
        index.

    Returns
    -------
    float, array or Series
        The percentage of plan, shaped like the inputs (a Series keeps its index).

    Raises
    ------
    TypeError
        If an argument is not a number or an array, list or Series of numbers
        (a boolean, a string or None is not); the message names it.
    ValueError
        If an amount is negative or a plan is 0 or less (the message shows the
        first such value), or the shapes or indexes differ.

    Examples
    --------
    >>> round(percent_of_plan(8443, 7012.458), 1)
    120.4
    >>> percent_of_plan(0.84, 30)
    2.8
    """
    actual, plan = numbers(actual, "actual"), numbers(plan, "plan")
    aligned(actual=actual, plan=plan)
    _require(actual, "actual", "0 or more", _missing_or_not_negative)
    _require(plan, "plan", "greater than zero", _missing_or_positive)
    (percent,) = _exactly(_percent, 1, actual, plan)
    return percent


def implied_plan(actual, percent, decimals=None) -> ImpliedPlan:
    """The plan implied by an amount and its printed percentage of plan.

    A percentage printed with ``d`` decimals stands for any true value within
    half a unit of its last digit ("32%" means 31.5 <= p < 32.5), so the plan
    lies in ``(low, high]`` with ``low = actual*100/(p + h)`` and
    ``high = actual*100/(p - h)``, ``h = 0.5 * 10**-d``.  Where ``p - h`` is
    0 or less (``decimals`` fewer than the digits of ``percent``, as when 0.4
    is said to be rounded to a whole number) the true percentage may be as
    small as we like, so the plan has no upper bound and ``high`` is infinite.

    ``plan``, ``low`` and ``high`` are worked out exactly from the decimal
    form of each input (the shortest that reads back as the same float, as
    Python prints it: 0.84, 2.8; the figures as printed) and rounded once, to
    the nearest float: no further than floating point forces.  So ``implied_plan(0.84, 2.8).plan``
    is 30.0, as 84 / 2.8 is, not the 30.000000000000004 of
    ``0.84 * 100 / 2.8``; and ``low <= plan <= high`` always holds.

    Parameters
    ----------
    actual : float, array, list or Series
        The amount achieved; 0 or more (missing values stay missing).
    percent : float, array, list or Series
        The percentage of plan as printed; greater than 0.
    decimals : int, or array, list or Series of int, optional
        The number of digits printed after the point, 0 or more.  It cannot be
        recovered from a float (32.0 and 32 are equal), so pass it when you
        know it; if omitted it is taken from the shortest decimal form of each
        value.  Those of the three arguments that are not single numbers must
        have the same shape, and Series the same index.

    Returns
    -------
    ImpliedPlan
        ``plan``, ``low`` and ``high``, each shaped like the inputs (a Series
        keeps its index); ``low <= plan <= high`` wherever nothing is missing.

    Raises
    ------
    TypeError
        If an argument is not a number or an array, list or Series of numbers
        (a boolean, a string such as "1" or None is not); the message names it.
    ValueError
        If an amount is negative, a percentage is 0 or less, or ``decimals`` is
        not a whole number of 0 or more (the message shows the first such
        value), or the shapes or indexes of the arguments differ.

    Examples
    --------
    >>> p = implied_plan(1.29, 32, decimals=0)
    >>> round(p.plan, 4), round(p.low, 4), round(p.high, 4)
    (4.0312, 3.9692, 4.0952)
    >>> implied_plan(0.84, 2.8).plan
    30.0

    0.4% rounded to a whole number stands for anything below 0.9%, so the plan
    is more than 111 times the amount, with no upper bound:

    >>> p = implied_plan(1, 0.4, decimals=0)
    >>> round(p.plan, 4), round(p.low, 4), float(p.high)
    (250.0, 111.1111, inf)
    """
    actual, percent = numbers(actual, "actual"), numbers(percent, "percent")
    if decimals is not None:
        decimals = numbers(decimals, "decimals", "a whole number of 0 or more, or an array, list or Series of them")
    aligned(actual=actual, percent=percent, decimals=decimals)
    _require(actual, "actual", "0 or more", _missing_or_not_negative)
    _require(percent, "percent", "greater than zero", _missing_or_positive)
    if decimals is None:
        decimals = _shortest_decimals(percent)
    _require(decimals, "decimals", "a whole number of 0 or more", _whole_not_negative)
    return ImpliedPlan(*_exactly(_plan, 3, actual, percent, decimals))


# Half a unit of the last of more than 400 decimals is less than 5e-401, which moves no quotient
# of two floats (the smallest positive float is 5e-324) across a rounding boundary; counting
# further would only make ever larger powers of 10.
_DEEPEST = 400


def _percent(actual: float, plan: float) -> tuple[float]:
    if not (math.isfinite(actual) and math.isfinite(plan)):
        return (actual * 100 / plan,)
    return (_rounded(_fraction(actual) * 100 / _fraction(plan)),)


def _plan(actual: float, percent: float, decimals: float) -> tuple[float, float, float]:
    if not (math.isfinite(actual) and math.isfinite(percent)):
        # Missing or infinite: floating point as it comes (nan stays nan; no upper bound once p - h <= 0).
        half = 0.5 * 10.0 ** -min(decimals, _DEEPEST)
        lowest = percent - half
        high = math.inf if lowest <= 0 and not math.isnan(actual) else actual * 100 / lowest
        return actual * 100 / percent, actual * 100 / (percent + half), high
    amount, printed = _fraction(actual) * 100, _fraction(percent)
    half = Fraction(1, 2 * 10 ** int(min(decimals, _DEEPEST)))
    lowest = printed - half
    high = math.inf if lowest <= 0 else _rounded(amount / lowest)
    return _rounded(amount / printed), _rounded(amount / (printed + half)), high


def _fraction(value: float) -> Fraction:
    """The shortest decimal that reads back as ``value`` (Python's repr, the figure as typed), as an exact fraction.

    A subnormal float (below 2.2e-308) has too few digits for its shortest decimal to stand
    for it (repr(5e-324) is '5e-324'; the float is 4.94e-324), so it is taken as it is.
    """
    value = float(value)
    return Fraction(value) if abs(value) < sys.float_info.min else Fraction(repr(value))


def _rounded(value: Fraction) -> float:
    """The float nearest ``value`` (Python rounds an integer division once, correctly)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf  # every value here is 0 or more


def _exactly(compute, outputs: int, *values) -> tuple:
    """The ``outputs`` results of ``compute`` on each element of ``values``, each shaped like them: a float, an array, or a Series with its index."""
    pd = sys.modules.get("pandas")  # a Series can only come from a caller that imported pandas
    arrays = np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in values))
    shape = arrays[0].shape
    results = [compute(*map(float, items)) for items in zip(*(array.flat for array in arrays), strict=True)]
    columns = [np.array([result[i] for result in results], dtype=float).reshape(shape) for i in range(outputs)]
    if not shape:
        return tuple(float(column) for column in columns)
    series = next((value for value in values if pd is not None and isinstance(value, pd.Series)), None)
    if series is not None:
        return tuple(pd.Series(column, index=series.index) for column in columns)
    return tuple(columns)


def _shortest_decimals(values):
    def one(value: float) -> int:
        # repr gives the shortest form that reads back as the same float, but
        # may use an exponent ('1.5e-05'); Decimal reads both forms.
        if not np.isfinite(value):
            return 0
        return max(0, -Decimal(repr(float(value))).normalize().as_tuple().exponent)

    if np.ndim(values) == 0:
        return one(values)
    array = np.asarray(values, dtype=float)
    return np.array([one(v) for v in array.flat], dtype=int).reshape(array.shape)


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
