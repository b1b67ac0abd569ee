"""The one number formatter: years bare, quantities grouped, never scientific notation, printed text verbatim."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aidstats
from aidstats.loader import load, resource
from aidstats.publish.tables import unit_symbols
from aidstats.text.numbers import DIGITS, Shown, format_frame, format_number, format_value, header, heading, kind, symbols, with_unit

YEAR = {"name": "year", "type": "integer"}
SEQ = {"name": "seq", "type": "integer"}
QUANTITY = {"name": "quantity", "type": "integer", "unitField": "unit"}
EXACT = {"name": "delivered_t", "type": "number", "unit": "t", "derivedFrom": ["delivered_as_printed"]}
COMPUTED = {"name": "plan_t", "type": "number", "unit": "t", "derivedFrom": ["delivered_as_printed", "percent_of_plan_as_printed"]}
PRINTED = {"name": "quantity_as_printed", "type": "string"}

finite = st.floats(allow_nan=False, allow_infinity=False)
UNITS = unit_symbols()  # the bundled package's units table: the one source of unit symbols


def parse(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_issues_examples():
    # Issue 12: years read 1,951 and quantity_base 1.25e+06, 1e+08, 2.4e+07.
    assert format_value(1951, YEAR).text == "1951"
    base = {"name": "quantity_base", "type": "number", "derivedFrom": ["quantity_as_printed", "unit"]}
    assert [format_value(x, base).text for x in (1.25e6, 1e8, 2.4e7)] == ["1,250,000", "100,000,000", "24,000,000"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (YEAR, "year"),
        ({"name": "report_year", "type": "integer"}, "year"),
        ({"name": "period", "type": "year"}, "year"),
        (SEQ, "identifier"),
        ({"name": "footnote", "type": "integer"}, "identifier"),
        (QUANTITY, "quantity"),
        ({"name": "lost", "type": "integer", "unit": "count"}, "quantity"),
        (EXACT, "exact"),
        ({"name": "factor_to_base", "type": "number"}, "exact"),
        (COMPUTED, "computed"),
        ({"name": "quantity_base", "type": "number", "derivedFrom": ["quantity_as_printed", "unit"]}, "computed"),
        ({"name": "x", "type": "number", "derivedFrom": ["other"]}, "computed"),
        ({"name": "period_end", "type": "date"}, "date"),
        (PRINTED, "text"),
        ({"name": "note"}, "text"),
    ],
)
def test_kind_follows_the_field(field, expected):
    assert kind(field) == expected


def test_every_field_of_the_package_has_the_kind_its_meaning_asks_for():
    # The package's own columns, as a reader expects them.
    fields = {f["name"]: f for name in aidstats.list_tables() for f in resource(name)["schema"]["fields"]}
    assert kind(fields["year"]) == "year"
    assert kind(fields["seq"]) == kind(fields["footnote"]) == "identifier"
    assert kind(fields["quantity"]) == kind(fields["lost"]) == "quantity"
    assert kind(fields["delivered_t"]) == kind(fields["percent_of_plan"]) == "exact"
    assert kind(fields["plan_t"]) == kind(fields["share_lost"]) == kind(fields["quantity_base"]) == "computed"
    assert kind(fields["quantity_as_printed"]) == "text"


def test_computed_numbers_are_rounded_with_the_full_value_beside():
    shown = format_value(116073.61963190183, COMPUTED)
    assert shown == Shown("116,074", "116,073.61963190183") and shown.rounded
    share = {"name": "share_lost", "type": "number", "unit": "fraction", "derivedFrom": ["lost_as_printed", "prewar_total_as_printed"]}
    assert format_value(452 / 559, share).text == "0.8086"  # 452 / 559 = 0.80858…, four significant digits
    assert format_value(1928 / 2410, share) == Shown("0.8", "0.8")  # exactly 0.8: no invented zeros
    assert not format_value(0.8, share).rounded


def test_exact_numbers_keep_every_printed_digit():
    assert format_value(52.7, EXACT) == Shown("52.7", "52.7")
    assert format_value(12.3456, EXACT).text == "12.3456"  # a printed 12.3456 is not cut to four digits
    assert format_value(5346.0, EXACT).text == "5,346"


def test_units_follow_the_number():
    assert format_value(1_250_000, QUANTITY, unit="t").text == "1,250,000 t"
    assert format_value(52.7, EXACT, unit="percent", symbols=UNITS).text == "52.7%"
    assert format_value(452, QUANTITY, unit="count", symbols=UNITS).text == "452"
    assert with_unit("", "t", UNITS) == ""


def test_printed_text_dates_and_missing_values():
    assert format_value("1,250,000 tons", PRINTED).text == "1,250,000 tons"
    assert format_value(" 0.50 ", PRINTED).text == " 0.50 "  # verbatim, spaces and zeros kept
    date = {"name": "period_end", "type": "date"}
    assert format_value(pd.Timestamp("1951-08-31"), date).text == "1951-08-31"
    assert format_value(dt.date(1951, 1, 1), date).text == "1951-01-01"
    for missing in (None, math.nan, pd.NA, pd.NaT):
        assert format_value(missing, COMPUTED) == Shown("", "")


def test_infinity_and_negative_zero():
    # implied_plan's upper bound is infinite when the percentage may be 0.
    assert format_value(math.inf, COMPUTED).text == "∞"
    assert format_number(-math.inf) == "-∞"
    assert format_number(-0.0) == "0"


def test_headers_carry_fixed_units():
    assert header({"name": "plan_t", "title": "Implied plan", "unit": "t"}, symbols=UNITS) == "Implied plan (t)"
    assert header({"name": "percent_of_plan", "title": "Percent of plan", "unit": "percent"}, symbols=UNITS) == "Percent of plan (%)"
    assert header({"name": "share_lost", "title": "Share lost", "unit": "fraction"}, symbols=UNITS) == "Share lost (fraction)"
    # A unit given row by row: the site showed the title alone, the workbook "(see Unit)"; one heading now, the workbook's.
    fields = [{"name": "quantity", "title": "Quantity", "unitField": "unit"}, {"name": "unit", "title": "Unit"}]
    assert header(fields[0], fields) == "Quantity (see Unit)"
    assert header({"name": "quantity"}) == "quantity"


def test_one_heading_function():
    # The site's old name is the same function, not a second one.
    assert header is heading


def test_unit_symbols_come_from_the_units_table():
    units = load("units").set_index("unit")["printed_as"]
    # Worked out by hand from raw/units.csv: "%" is a sign; "tons", "meters", "dozen|dozens" are words (the code);
    # count, item and person are printed bare (nothing).
    assert units["percent"] == "%" and UNITS["percent"] == "%"
    assert units["t"] == "tons" and UNITS["t"] == "t"
    assert units["m"] == "meters" and UNITS["m"] == "m"
    assert UNITS["dozen"] == "dozen" and UNITS["km"] == "km"
    assert UNITS["count"] == UNITS["item"] == UNITS["person"] == ""
    assert set(UNITS) == set(units.index)  # every unit of the table, no other
    assert symbols({"pct": "%|per cent", "x": pd.NA, "y": ""}) == {"pct": "%", "x": "", "y": ""}


def test_a_unit_without_a_symbol_is_named_in_a_heading_and_silent_after_a_number():
    field = {"name": "lost", "title": "Lost", "unit": "count"}
    assert heading(field, symbols=UNITS) == "Lost (count)"  # the heading still says what is counted
    assert format_value(452, {**field, "type": "integer"}, unit="count", symbols=UNITS).text == "452"
    # A unit the table does not list is written as its code, after a number and in a heading alike.
    assert with_unit("1.5", "rouble", UNITS) == "1.5 rouble"
    assert heading({"name": "price", "title": "Price", "unit": "rouble"}, symbols=UNITS) == "Price (rouble)"


def test_show_labels_columns_by_name_with_the_same_units():
    fields = resource("mineral_exports")["schema"]["fields"]
    by_name = {f["name"]: f for f in fields}
    assert heading(by_name["percent_of_plan"], fields, UNITS, names=True) == "percent_of_plan (%)"
    assert heading(by_name["percent_of_plan"], fields, UNITS) == "Percent of plan (%)"
    railway = resource("railway_damage")["schema"]["fields"]
    assert heading(railway[2], railway, UNITS, names=True) == "lost (see unit)"


def test_format_frame_formats_each_column_under_its_field():
    frame = pd.DataFrame({"year": [1951], "quantity": [1_250_000], "note": ["x"]})
    shown = format_frame(frame, [YEAR, QUANTITY])
    assert shown.to_dict("records") == [{"year": "1951", "quantity": "1,250,000", "note": "x"}]


@given(finite, st.integers(1, 8))
def test_never_scientific_notation(x, digits):
    for text in (format_number(x), format_number(x, digits)):
        assert "e" not in text.lower() and "E" not in text


@given(finite)
def test_full_value_reads_back_exactly(x):
    assert parse(format_number(x)) == x


@given(finite, st.integers(1, 8))
def test_rounded_value_is_within_its_precision(x, digits):
    text = format_number(x, digits)
    # The last kept place: `digits` significant digits, but never coarser than units.
    magnitude = math.floor(math.log10(abs(x))) if x else 0
    place = 10.0 ** min(0, magnitude - digits + 1)
    assert abs(parse(text) - x) <= place / 2 + abs(x) * 1e-15  # half a unit in that place (and float noise)


@given(st.integers(-(10**15), 10**15))
def test_quantities_are_grouped_in_thousands(n):
    text = format_value(n, QUANTITY).text
    assert int(text.replace(",", "")) == n
    groups = text.lstrip("-").split(",")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@given(st.integers(1, 9999))
def test_years_and_identifiers_never_get_a_separator(n):
    assert format_value(n, YEAR).text == str(n)
    assert format_value(n, SEQ).text == str(n)


def test_digits_default_is_four():
    assert DIGITS == 4 and format_number(1 / 3, DIGITS) == "0.3333"  # 1/3 to four significant digits


def test_show_prints_numbers_as_the_site_does():
    from conftest import run_cli

    result = run_cli("show", "aid_deliveries")
    assert result.exit_code == 0, result.output
    assert "1951" in result.output and "1,951" not in result.output  # the year
    # Each column labelled by its name and the unit of its heading (issue 17: one heading function).
    assert re.search(r"quantity_base \(see base_unit\)\s+1,250,000\s", result.output)  # not 1250000.0 or 1.25e+06
    assert re.search(r"quantity_base \(see base_unit\)\s+100,000,000\s", result.output)  # penicillin: 100 million units, not 1e+08
    assert not re.search(r"\de[+-]\d", result.output)
    minerals = run_cli("show", "mineral_exports").output
    assert re.search(r"plan_t \(t\)\s+10,144\s", minerals)  # 5,346 / 52.7 × 100 = 10,144.2… to four significant digits
    assert re.search(r"percent_of_plan \(%\)\s+52\.7\s", minerals)  # the site's and the workbook's "%"
    assert "10144.2" not in minerals


def test_edges_of_kind():
    assert kind({"type": "integer"}) == "identifier"  # a field without a name is still read by its type
    assert kind({"name": "issued", "type": "datetime"}) == "date"
    assert kind({}) == "text"


def test_edges_of_format_number():
    assert format_number(math.nan) == ""
    assert format_number(10**20 + 1) == "100,000,000,000,000,000,001"  # an integer keeps every digit (a float would not)
    assert format_number(0.125, 2) == "0.13"  # halves round up, as a reader rounds (not to even: 0.12)
    assert format_number(2.5, 1) == "3"
    assert format_number(1234567.891, separators=False) == "1234567.891"


def test_every_kind_gives_its_full_text_too():
    assert format_value(1951, YEAR) == Shown("1951", "1951")
    assert format_value(32, SEQ) == Shown("32", "32")
    assert format_value("1951-08-31", {"name": "period_end", "type": "date"}) == Shown("1951-08-31", "1951-08-31")
    assert format_value("2,000,000 dozen", PRINTED) == Shown("2,000,000 dozen", "2,000,000 dozen")
    assert format_value(452.0, QUANTITY, unit="count", symbols=UNITS) == Shown("452", "452")  # a whole number stored as a float
    assert format_value(116073.61963190183, COMPUTED, unit="t") == Shown("116,074 t", "116,073.61963190183 t")


def test_format_frame_passes_the_digits_on():
    frame = pd.DataFrame({"plan_t": [116073.61963190183]})
    assert format_frame(frame, [COMPUTED], digits=2).loc[0, "plan_t"] == "116,074"  # every integer digit is kept
    assert format_frame(pd.DataFrame({"plan_t": [1.23456]}), [COMPUTED], digits=2).loc[0, "plan_t"] == "1.2"


def test_numpy_scalars_are_numbers_too():
    import numpy as np

    assert format_number(np.int64(1_250_000)) == "1,250,000"
    assert format_number(np.float32(0.5)) == "0.5" and format_number(np.float32("nan")) == ""


def test_a_computed_number_is_written_with_its_units_symbol():
    # percent_of_plan is computed (derivedFrom): its short text has DIGITS (4) significant digits,
    # 52.7123 -> 52.71, and both texts carry the % sign, not the code "percent".
    field = {"name": "percent_of_plan", "type": "number", "derivedFrom": ["delivered_t", "plan_t"]}
    assert DIGITS == 4
    assert format_value(52.7123, field, unit="percent", symbols={"percent": "%"}) == Shown("52.71%", "52.7123%")


def test_a_unit_column_missing_from_the_fields_is_named_by_its_name():
    # "see <name>": the column the unit comes from is not among the fields given, so its own name stands.
    assert heading({"name": "lost", "title": "Lost", "unitField": "unit_code"}, []) == "Lost (see unit_code)"
