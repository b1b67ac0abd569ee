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
