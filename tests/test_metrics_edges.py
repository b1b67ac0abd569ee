"""The helpers' answers at the edges a user can reach: an infinite plan, and decimals given as text."""

from __future__ import annotations

import math
import re
import sys
from fractions import Fraction

import pandas as pd
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


def test_the_smallest_normal_float_is_taken_as_its_shortest_decimal_like_any_other():
    # 2.2250738585072014e-308 (sys.float_info.min) is the smallest float with all its digits, so it is read as
    # printed, like every figure above it. 100 times it over 1.9 lies so near the midpoint of two floats that
    # reading it as the binary value instead (2**-1022) rounds the plan to the float below.
    printed = Fraction("2.2250738585072014e-308")
    assert printed != Fraction(2.0**-1022)
    assert implied_plan(sys.float_info.min, 1.9).plan == float(printed * 100 / Fraction("1.9"))
    assert implied_plan(sys.float_info.min, 1.9).plan != float(Fraction(2.0**-1022) * 100 / Fraction("1.9"))


def test_a_nullable_integer_percentage_with_a_gap_gives_its_decimals_and_a_missing_plan():
    # pandas' Int64 keeps a missing percentage as NA; with decimals left out, each percentage's own (0 here) is used.
    # 1.29 at 32% (whole numbers: 31.5 to 32.5): plan 129/32 = 4.03125, low 129/32.5, high 129/31.5.
    percent = pd.Series([32, None], dtype="Int64", index=["coal", "lead"])
    got = implied_plan(pd.Series([1.29, 1.0], index=["coal", "lead"]), percent)
    assert got.plan["coal"] == 4.03125
    assert got.low["coal"] == float(Fraction(129) / Fraction("32.5"))
    assert got.high["coal"] == float(Fraction(129) / Fraction("31.5"))
    assert math.isnan(got.plan["lead"]) and math.isnan(got.low["lead"]) and math.isnan(got.high["lead"])
