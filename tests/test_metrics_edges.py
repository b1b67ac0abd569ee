"""The helpers' answers at the edges a user can reach: an infinite plan, and decimals given as text."""

from __future__ import annotations

import math
import re

import pytest

from aidstats.metrics import implied_plan, percent_of_plan


def test_an_infinite_plan_is_zero_percent_fulfilled_and_an_infinite_amount_infinitely():
    # 5 / inf * 100 = 0; inf / 5 * 100 = inf (IEEE arithmetic, what a reader of the formula expects).
    assert percent_of_plan(5.0, math.inf) == 0.0
    assert percent_of_plan(math.inf, 5.0) == math.inf


def test_decimals_given_as_text_are_refused_saying_what_decimals_may_be():
    expected = "decimals must be a whole number of 0 or more, or an array, list or Series of them; got '2' (str)"
    with pytest.raises(TypeError, match=f"^{re.escape(expected)}$"):
        implied_plan(1, 2, decimals="2")


def test_an_infinite_percent_implies_a_plan_of_zero_within_zero_bounds():
    # 5 * 100 / inf = 0 for the plan and both bounds (inf - half and inf + half are still inf).
    assert tuple(implied_plan(5.0, math.inf)) == (0.0, 0.0, 0.0)


def test_an_infinite_amount_implies_an_infinite_plan_and_bounds():
    # inf * 100 / 2.8 = inf; 2.8 printed with one decimal is 2.75 to 2.85, both positive, so both bounds are inf.
    assert tuple(implied_plan(math.inf, 2.8)) == (math.inf, math.inf, math.inf)
    # 0.5 with no decimals stands for 0 to 1: its lower end is 0, so the upper bound is open (inf), not a division by 0.
    assert implied_plan(math.inf, 0.5, decimals=0).high == math.inf


def test_the_smallest_float_is_taken_as_it_is_not_as_its_shortest_decimal():
    # 5e-324 is how Python prints 2**-1074, the smallest float; as a decimal it would be 1.2% too large.
    # 100 times 2**-1074 is itself a float, exactly, so that is the answer.
    assert percent_of_plan(5e-324, 1.0) == 100 * 2.0**-1074
