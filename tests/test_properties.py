"""Properties of implied_plan and percent_of_plan over their whole domain (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aidstats.metrics import implied_plan, percent_of_plan

# Amounts from nothing to far more than any tonnage in the paper; percentages
# from far below the smallest printed (0.3%) to far above the largest.
amounts = st.floats(min_value=0, max_value=1e9)
percents = st.floats(min_value=1e-4, max_value=1e5)
places = st.integers(min_value=0, max_value=6)


def ordered(result) -> bool:
    return bool(np.all((result.low <= result.plan) & (result.plan <= result.high)))


@given(amounts, percents, places)
def test_bounds_hold_for_scalars(actual, percent, decimals):
    result = implied_plan(actual, percent, decimals=decimals)
    assert ordered(result)
    # The plan has an upper bound exactly when the lowest true percentage is above 0.
    assert (result.high == np.inf) == (percent - 0.5 * 10.0**-decimals <= 0)


@given(amounts, percents)
def test_bounds_hold_when_decimals_are_read_from_the_value(actual, percent):
    assert ordered(implied_plan(actual, percent))


@given(amounts, percents, places, st.floats(min_value=-1, max_value=1, exclude_min=True, exclude_max=True))
def test_every_percentage_that_prints_the_same_gives_a_plan_within_the_bounds(actual, percent, decimals, fraction):
    true_percent = percent + fraction * 0.5 * 10.0**-decimals  # any value that rounds to what was printed
    if true_percent > 0:
        result = implied_plan(actual, percent, decimals=decimals)
        # The bounds are exact quotients rounded once; this plan is rounded twice (and true_percent once more),
        # so the two may differ by an ulp or two where the true percentage nears an end of its range.
        plan = actual * 100 / true_percent
        slack = 4 * np.spacing(plan) if np.isfinite(plan) else 0.0
        assert result.low <= plan + slack and plan - slack <= result.high


@given(
    st.integers(min_value=1, max_value=20).flatmap(
        lambda n: st.tuples(
            hnp.arrays(float, n, elements=amounts), hnp.arrays(float, n, elements=percents), hnp.arrays(int, n, elements=places)
        )
    )
)
def test_bounds_hold_elementwise_for_arrays_and_series(columns):
    actual, percent, decimals = columns
    result = implied_plan(actual, percent, decimals=decimals)
    assert ordered(result) and result.high.shape == actual.shape
    index = pd.RangeIndex(len(actual)) * 10 + 3  # an index that is not 0..n-1
    series = implied_plan(pd.Series(actual, index=index), pd.Series(percent, index=index), decimals=decimals)
    assert ordered(series)
    for part in series:
        assert part.index.equals(index)
    assert series.high.tolist() == result.high.tolist()


@given(st.floats(min_value=1e-6, max_value=1e9), percents, places)
def test_percent_of_the_implied_plan_is_the_printed_percent(actual, percent, decimals):
    plan = implied_plan(actual, percent, decimals=decimals).plan
    assert percent_of_plan(actual, plan) == pytest.approx(percent, rel=1e-12)


@given(st.floats(max_value=0, exclude_max=True, allow_nan=False, allow_infinity=False), percents)
def test_a_negative_amount_is_always_refused(actual, percent):
    with pytest.raises(ValueError, match="actual must be 0 or more"):
        implied_plan(actual, percent, decimals=0)


@given(amounts, percents, st.integers(max_value=-1) | st.floats(min_value=0, max_value=10).filter(lambda d: d != int(d)))
def test_decimals_that_are_negative_or_fractional_are_always_refused(actual, percent, decimals):
    with pytest.raises(ValueError, match="decimals must be a whole number of 0 or more"):
        implied_plan(actual, percent, decimals=decimals)
