"""Totals that are whole numbers come out as integers, and only those (summaries._whole_as_integers).

A reader of ``per_donor`` or ``loss_summary`` gets ``240000``, not ``240000.0``, where every value of a total
is whole; a column with a fraction, a missing value, or a number too large for a float to count exactly in
(2**53 and up) stays float, so no value is changed by the cast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidstats.summaries import _whole_as_integers


def test_a_column_before_it_that_is_not_float_does_not_stop_the_next_one():
    out = pd.DataFrame({"name": ["a", "b"], "count": np.array([1, 2], dtype="int64"), "tonnes": [3.0, 4.0]})
    result = _whole_as_integers(out, ["name", "count", "tonnes"])
    assert str(result["tonnes"].dtype) == "int64" and result["tonnes"].tolist() == [3, 4]
    assert result["name"].tolist() == ["a", "b"] and str(result["count"].dtype) == "int64"


def test_a_fraction_keeps_its_column_float():
    out = _whole_as_integers(pd.DataFrame({"t": [3.0, 4.5]}), ["t"])
    assert str(out["t"].dtype) == "float64" and out["t"].tolist() == [3.0, 4.5]


def test_two_to_the_53rd_is_too_large_to_count_exactly_and_stays_float():
    # 2**53 is where a float stops holding every whole number (2**53 + 1 reads back as 2**53).
    just_below, at = float(2**53 - 1), float(2**53)
    assert str(_whole_as_integers(pd.DataFrame({"t": [just_below]}), ["t"])["t"].dtype) == "int64"
    assert str(_whole_as_integers(pd.DataFrame({"t": [at]}), ["t"])["t"].dtype) == "float64"
    assert str(_whole_as_integers(pd.DataFrame({"t": [-at]}), ["t"])["t"].dtype) == "float64"


def test_a_missing_value_keeps_its_column_as_it_was():
    numpy_float = _whole_as_integers(pd.DataFrame({"t": [1.0, np.nan]}), ["t"])
    assert str(numpy_float["t"].dtype) == "float64" and numpy_float["t"].isna().tolist() == [False, True]
    nullable = _whole_as_integers(pd.DataFrame({"t": pd.array([1.0, None], dtype="Float64")}), ["t"])
    assert str(nullable["t"].dtype) == "Float64" and nullable["t"].isna().tolist() == [False, True]
    whole_nullable = _whole_as_integers(pd.DataFrame({"t": pd.array([1.0, 2.0], dtype="Float64")}), ["t"])
    assert str(whole_nullable["t"].dtype) == "int64" and whole_nullable["t"].tolist() == [1, 2]
