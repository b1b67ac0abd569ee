"""Computed columns worked out by hand from the printed text, and the problems a transcriber sees.

Each derivation is called on a small frame shaped like the build's checked raw
frame: text columns in pandas' string dtype, indexed by CSV line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli

from aidstats.build import derive
from aidstats.errors import InputProblem


def text(values, lines) -> pd.Series:
    return pd.Series(values, index=lines, dtype="string")


def frame(lines, **columns) -> pd.DataFrame:
    return pd.DataFrame({name: text(values, lines) for name, values in columns.items()})


def problems_in(problems, column, file):
    assert {p.file for p in problems} == {file}, "every problem names the file it is in"
    return [(p.line, p.found, p.expected) for p in problems if p.column == column]


# The code lists the derivations look things up in, as the build has typed them.
UNITS = pd.DataFrame(
    {
        "unit": text(["t", "kg", "item", "count", "dozen", "penicillin_unit"], range(2, 8)),
        "base_unit": text(["t", "t", "item", "item", "item", "penicillin_unit"], range(2, 8)),
        "factor_to_base": pd.Series([1, 0.001, 1, 1, 12, 1], index=range(2, 8), dtype=float),
        "printed_as": text(["tons", "kg", None, None, "dozen|dozens", "units"], range(2, 8)),
    }
)
SITC = pd.DataFrame({"division": text(["04", "28", "32", "89"], range(2, 6)), "section": text(["0", "2", "3", "8"], range(2, 6))})
CLASSES = pd.DataFrame(
    {
        "table": text(["mineral_exports", "mineral_exports", "aid_deliveries", "aid_deliveries", "aid_deliveries"], range(2, 7)),
        "commodity": text(["gold/silver ore", "zinc", "coal", "pencils", "zinc"], range(2, 7)),
        "sitc_section": text(["2", "2", "3", "8", "3"], range(2, 7)),
        "sitc_division": text(["28", "28", "32", "89", "32"], range(2, 7)),
    }
)
FRAMES = {"units": UNITS, "sitc_divisions": SITC, "commodity_classes": CLASSES}


def test_railway_damage_reads_the_printed_counts_and_the_share_lost():
    raw = frame([2, 5], lost_as_printed=["452", "1928"], prewar_total_as_printed=["559", "2410"])
    derived, problems = derive.railway_damage(raw, FRAMES, "raw/railway_damage.csv")
    assert problems == []
    assert derived["lost"].tolist() == [452, 1928]
    assert derived["prewar_total"].tolist() == [559, 2410]
    assert all(isinstance(v, int) for v in derived["lost"])  # whole numbers stay whole
    assert derived["share_lost"].tolist() == pytest.approx([452 / 559, 1928 / 2410])
    assert derived.index.tolist() == [2, 5]  # still indexed by CSV line, for later messages


def test_railway_damage_reports_each_unreadable_count_on_its_line():
    raw = frame([3, 4], lost_as_printed=["many", "67"], prewar_total_as_printed=["559", "seventy?"])
    derived, problems = derive.railway_damage(raw, FRAMES, "raw/railway_damage.csv")
    assert [(p.file, p.line, p.column, p.found) for p in problems] == [
        ("raw/railway_damage.csv", 3, "lost_as_printed", "'many'"),
        ("raw/railway_damage.csv", 4, "prewar_total_as_printed", "'seventy?'"),
    ]
    assert all(p.expected.startswith("a number as printed, such as 5,346") for p in problems)
    assert pd.isna(derived.at[3, "lost"]) and derived.at[4, "lost"] == 67
    assert derived["share_lost"].isna().all()  # no share where either count is unreadable


def test_a_count_printed_with_a_fraction_is_kept_exact_not_truncated():
    """The schema then refuses 0.5 as a count; truncated to 0 it would pass unseen."""
    raw = frame([2], lost_as_printed=["0.5"], prewar_total_as_printed=["559"])
    derived, _ = derive.railway_damage(raw, FRAMES, "raw/railway_damage.csv")
    assert derived.at[2, "lost"] == 0.5 and derived.at[2, "share_lost"] == pytest.approx(0.5 / 559)


def test_a_missing_count_is_missing_not_a_problem():
    raw = frame([2], lost_as_printed=[None], prewar_total_as_printed=["559"])
    derived, problems = derive.railway_damage(raw, FRAMES, "raw/railway_damage.csv")
    assert problems == []  # an empty required cell is pandera's to report
    assert pd.isna(derived.at[2, "lost"]) and derived.at[2, "prewar_total"] == 559


def minerals(**columns):
    base = {
        "commodity": ["gold/silver ore", "zinc"],
        "delivered_as_printed": ["5,346", "186"],
        "percent_of_plan_as_printed": ["52.7", "143"],
    }
    return frame([2, 11], **(base | columns))


def test_mineral_exports_derives_the_plan_and_its_bounds_from_the_printed_precision():
    derived, problems = derive.mineral_exports(minerals(), FRAMES, "raw/mineral_exports.csv")
    assert problems == []
    assert derived["delivered_t"].tolist() == [5346.0, 186.0]
    assert derived["percent_of_plan"].tolist() == [52.7, 143.0]
    # "52.7%" stands for 52.65 <= p < 52.75; "143%" for 142.5 <= p < 143.5.
    assert derived["plan_t"].tolist() == pytest.approx([5346 * 100 / 52.7, 186 * 100 / 143])
    assert derived["plan_t_low"].tolist() == pytest.approx([5346 * 100 / 52.75, 186 * 100 / 143.5])
    assert derived["plan_t_high"].tolist() == pytest.approx([5346 * 100 / 52.65, 186 * 100 / 142.5])
    # Both are ores of metals: SITC section 2, division 28 (as classed in CLASSES).
    assert derived["sitc_section"].tolist() == ["2", "2"] and derived["sitc_division"].tolist() == ["28", "28"]


def test_a_percentage_printed_with_trailing_zeros_claims_that_precision():
    derived, _ = derive.mineral_exports(minerals(percent_of_plan_as_printed=["52.70", "143.0"]), FRAMES, "raw/mineral_exports.csv")
    # "52.70%" stands for 52.695 <= p < 52.705; "143.0%" for 142.95 <= p < 143.05.
    assert derived["plan_t_low"].tolist() == pytest.approx([5346 * 100 / 52.705, 186 * 100 / 143.05])
    assert derived["plan_t_high"].tolist() == pytest.approx([5346 * 100 / 52.695, 186 * 100 / 142.95])


@pytest.mark.parametrize("zero", ["0", "0.0"])
def test_a_percentage_of_zero_is_refused_on_its_line(zero):
    _, problems = derive.mineral_exports(minerals(percent_of_plan_as_printed=["52.7", zero]), FRAMES, "raw/mineral_exports.csv")
    assert problems == [
        InputProblem("raw/mineral_exports.csv", 11, "percent_of_plan_as_printed", repr(zero), "a percentage greater than 0")
    ]


def test_mineral_exports_reports_an_unreadable_figure():
    _, problems = derive.mineral_exports(minerals(delivered_as_printed=["5,346", "lots"]), FRAMES, "raw/mineral_exports.csv")
    assert problems_in(problems, "delivered_as_printed", "raw/mineral_exports.csv") == [(11, "'lots'", derive.NUMBER_AS_PRINTED)]
    _, problems = derive.mineral_exports(minerals(percent_of_plan_as_printed=["most", "143"]), FRAMES, "raw/mineral_exports.csv")
    assert problems_in(problems, "percent_of_plan_as_printed", "raw/mineral_exports.csv") == [(2, "'most'", derive.NUMBER_AS_PRINTED)]


def test_a_commodity_classed_only_for_another_table_is_unclassed_here():
    raw = minerals(commodity=["gold/silver ore", "coal"])  # coal is classed for aid_deliveries only
    derived, problems = derive.mineral_exports(raw, FRAMES, "raw/mineral_exports.csv")
    assert problems == [
        InputProblem(
            "raw/mineral_exports.csv", 11, "commodity", "'coal'", "a commodity classed in raw/commodity_classes.csv (table mineral_exports)"
        )
    ]
    assert pd.isna(derived.at[11, "sitc_division"]) and derived.at[2, "sitc_division"] == "28"


def goods(quantities, units, commodities=None):
    lines = range(2, 2 + len(quantities))
    return frame(lines, commodity=commodities or ["coal"] * len(quantities), quantity_as_printed=quantities, unit=units)


def test_aid_deliveries_converts_each_quantity_to_its_base_unit():
    raw = goods(
        ["240,000 tons", "20,000 dozens", "22", "500 kg", "1 dozen", "100 million units"],
        ["t", "dozen", "item", "kg", "dozen", "penicillin_unit"],
        ["coal", "pencils", "coal", "coal", "pencils", "coal"],
    )
    derived, problems = derive.aid_deliveries(raw, FRAMES, "raw/aid_deliveries.csv")
    assert problems == []
    assert derived["quantity"].tolist() == [240_000, 20_000, 22, 500, 1, 100 * 1_000_000]
    # A dozen is 12 items; a kilogram is 0.001 t; units of penicillin stay in their own unit.
    assert derived["quantity_base"].tolist() == pytest.approx([240_000, 20_000 * 12, 22, 500 * 0.001, 12, 100_000_000])
    assert derived["base_unit"].tolist() == ["t", "item", "item", "t", "item", "penicillin_unit"]
    assert derived["sitc_division"].tolist() == ["32", "89", "32", "32", "89", "32"]
    assert derived["sitc_section"].tolist() == ["3", "8", "3", "3", "8", "3"]


def test_a_quantity_of_zero_is_zero_in_the_base_unit_too():
    """0 is a value, not a missing one: the schema then refuses it as 0, not as an empty cell."""
    raw = goods(["0 tons", "0 dozens", "0"], ["t", "dozen", "item"], ["coal", "pencils", "coal"])
    derived, problems = derive.aid_deliveries(raw, FRAMES, "raw/aid_deliveries.csv")
    assert problems == []
    assert derived["quantity"].tolist() == [0, 0, 0]
    assert derived["quantity_base"].tolist() == [0 * 1.0, 0 * 12.0, 0 * 1.0]  # not NaN
    assert derived["base_unit"].tolist() == ["t", "item", "item"]


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_a_zero_quantity_is_refused_as_the_zero_it_is_never_as_an_empty_cell(project_copy):
    raw = project_copy / "raw"
    for file in [raw / "aid_deliveries.csv", raw / "caveats.csv", *(raw / "source").glob("*.txt")]:
        file.write_text(file.read_text(encoding="utf-8").replace("240,000 tons of coal", "0 tons of coal"), encoding="utf-8")
    deliveries = raw / "aid_deliveries.csv"
    deliveries.write_text(deliveries.read_text(encoding="utf-8").replace('"240,000 tons"', "0 tons"), encoding="utf-8")
    result = run_cli("build", "--root", str(project_copy))
    assert result.exit_code == 1
    said = [line.strip() for line in result.output.splitlines() if line.strip().startswith("raw/aid_deliveries.csv:2:")]
    assert said == [
        "raw/aid_deliveries.csv:2: column 'quantity (computed from quantity_as_printed)': found '0'; expected a number greater than 0",
        # 0 tons is 0 * 1 t: the same mistake seen in the base unit, shown as the 0 it is.
        "raw/aid_deliveries.csv:2: column 'quantity_base (computed from quantity_as_printed, unit)': found '0.0'; "
        "expected a number greater than 0",
    ]


def test_a_unit_word_that_contradicts_the_unit_is_reported_with_the_words_allowed():
    raw = goods(["200 tons", "4 pairs", "5 tons", "6 dozens", "7 tons"], ["kg", "count", "t", "dozen", "dozen"])
    _, problems = derive.aid_deliveries(raw, FRAMES, "raw/aid_deliveries.csv")
    assert problems_in(problems, "quantity_as_printed", "raw/aid_deliveries.csv") == [
        (2, "'200 tons'", "a unit word raw/units.csv lists as printed_as for the row's unit 'kg': kg"),
        (3, "'4 pairs'", "a unit word raw/units.csv lists as printed_as for the row's unit 'count': none"),
        (6, "'7 tons'", "a unit word raw/units.csv lists as printed_as for the row's unit 'dozen': dozen, dozens"),
    ]


def test_a_unit_outside_the_code_list_gets_no_quantity_and_no_second_message():
    raw = goods(["3 tons", "7 tons"], ["tonnes", "t"])
    derived, problems = derive.aid_deliveries(raw, FRAMES, "raw/aid_deliveries.csv")
    assert problems == []  # the foreign key check names the unit; one mistake, one message
    assert pd.isna(derived.at[2, "quantity"]) and math.isnan(derived.at[2, "quantity_base"]) and pd.isna(derived.at[2, "base_unit"])
    assert (derived.at[3, "quantity"], derived.at[3, "quantity_base"], derived.at[3, "base_unit"]) == (7, 7.0, "t")


def test_an_unreadable_quantity_is_reported_once_and_left_empty():
    raw = goods(["several tons", "two tons"], ["t", "t"])
    derived, problems = derive.aid_deliveries(raw, FRAMES, "raw/aid_deliveries.csv")
    assert problems == [InputProblem("raw/aid_deliveries.csv", 2, "quantity_as_printed", "'several tons'", derive.NUMBER_AS_PRINTED)]
    assert pd.isna(derived.at[2, "quantity"]) and math.isnan(derived.at[2, "quantity_base"])
    assert (derived.at[3, "quantity"], derived.at[3, "quantity_base"]) == (2, 2.0)


def test_an_unclassed_aid_commodity_is_reported():
    raw = goods(["5 tons", "9 tons"], ["t", "t"], ["coal", "gold/silver ore"])  # classed for mineral_exports only
    _, problems = derive.aid_deliveries(raw, FRAMES, "raw/aid_deliveries.csv")
    assert problems_in(problems, "commodity", "raw/aid_deliveries.csv") == [
        (3, "'gold/silver ore'", "a commodity classed in raw/commodity_classes.csv (table aid_deliveries)")
    ]


def test_key_figures_reads_values_and_ranges():
    raw = frame(
        range(2, 7),
        value_as_printed=["two", "50,000", "100 million", "sixty-two", "0.5"],
        value_high_as_printed=["three", None, None, None, None],
    )
    derived, problems = derive.key_figures(raw, FRAMES, "raw/key_figures.csv")
    assert problems == []
    assert derived["value"].tolist() == [2.0, 50_000.0, 100 * 1_000_000.0, 60.0 + 2, 0.5]
    assert derived.at[2, "value_high"] == 3.0 and derived["value_high"].iloc[1:].isna().all()


def test_key_figures_reports_an_unreadable_low_or_high_value_on_its_line():
    raw = frame([2, 3], value_as_printed=["about", "5"], value_high_as_printed=[None, "lots"])
    derived, problems = derive.key_figures(raw, FRAMES, "raw/key_figures.csv")
    assert [(p.file, p.line, p.column, p.found) for p in problems] == [
        ("raw/key_figures.csv", 2, "value_as_printed", "'about'"),
        ("raw/key_figures.csv", 3, "value_high_as_printed", "'lots'"),
    ]
    assert pd.isna(derived.at[2, "value"]) and derived.at[3, "value"] == 5.0 and pd.isna(derived.at[3, "value_high"])


def test_commodity_classes_take_the_section_of_their_division():
    raw = frame([2, 3], table=["aid_deliveries", "aid_deliveries"], commodity=["millet", "coal"], sitc_division=["04", "32"])
    derived, problems = derive.commodity_classes(raw, {"sitc_divisions": SITC}, "raw/commodity_classes.csv")
    assert problems == [] and derived["sitc_section"].tolist() == ["0", "3"]
    assert isinstance(derived["sitc_section"].dtype, pd.StringDtype)


def test_tables_without_computed_columns_pass_through_unchanged():
    raw = frame([2], code=["CHN"])
    derived, problems = derive.nothing(raw, FRAMES, "raw/donors.csv")
    assert derived is raw and problems == []


# A finished table a caveat can point into, with the dtypes the build gives it.
DELIVERIES = pd.DataFrame(
    {
        "seq": pd.array([1, 35], dtype="Int64"),
        "donor_code": pd.array(["CHN", "CSK"], dtype="string"),
        "commodity": pd.array(["coal", "a=b"], dtype="string"),
        "sitc_section": pd.Categorical(["3", "8"], categories=["0", "3", "8"]),
        "quantity_base": np.array([240_000.0, 12.5]),
    }
)


def caveat_problems(row_key, column_name, table="aid_deliveries"):
    raw = frame([5], table=[table], row_key=[row_key], column_name=[column_name])
    derived, problems = derive.caveats(raw, {"aid_deliveries": DELIVERIES}, "raw/caveats.csv")
    assert derived is raw
    assert all(p.file == "raw/caveats.csv" for p in problems)
    return [(p.line, p.column, p.found, p.expected) for p in problems]


@pytest.mark.parametrize(
    ("row_key", "column_name"),
    [
        ("seq=35", "quantity_base"),
        ("seq=035", None),  # compared as a whole number, not as text
        ("donor_code=CSK", None),
        ("commodity=a=b", None),  # only the first "=" separates column from value
        ("sitc_section=8", None),  # a category
        ("quantity_base=12.5", None),
        (None, "commodity"),
        (None, None),  # a caveat about the whole table
    ],
)
def test_a_caveat_naming_a_real_row_and_column_is_accepted(row_key, column_name):
    assert caveat_problems(row_key, column_name) == []


@pytest.mark.parametrize(
    "row_key",
    [
        "seq=350",  # no such row
        "seq=abc",  # not even a whole number
        "sequence=35",  # no such column
        "donor_code=chn",  # values are compared exactly
        "sitc_section=9",  # not one of the categories
        "quantity_base=12",
    ],
)
def test_a_caveat_naming_a_row_that_does_not_exist_is_refused(row_key):
    assert caveat_problems(row_key, None) == [(5, "row_key", repr(row_key), "column=value naming a row of aid_deliveries")]


@pytest.mark.filterwarnings("error")  # pandas 3 warns where pandas 4 will raise
@pytest.mark.parametrize(
    ("row_key", "found"),
    [
        ("sitc_section=8", []),
        ("sitc_section=0", ["'sitc_section=0'"]),  # a category no row has
        ("sitc_section=9", ["'sitc_section=9'"]),  # not a category at all
        ("year=1951", []),
        ("year=1950", ["'year=1950'"]),
        ("year=1951.5", ["'year=1951.5'"]),  # not a value the categories' type can hold
    ],
)
def test_a_caveat_naming_a_category_is_checked_without_a_deprecated_cast(row_key, found):
    deliveries = DELIVERIES.assign(year=pd.Categorical([1951, None], categories=[1950, 1951]))
    raw = frame([5], table=["aid_deliveries"], row_key=[row_key], column_name=[None])
    _, problems = derive.caveats(raw, {"aid_deliveries": deliveries}, "raw/caveats.csv")
    assert [p.found for p in problems] == found


def test_a_caveat_may_name_several_rows_and_each_must_exist():
    assert caveat_problems("seq=1;seq=35", None) == []
    # Only the key that names no row is shown, so the transcriber sees which one.
    expected = "column=value naming a row of aid_deliveries"
    assert caveat_problems("seq=1;seq=350", None) == [(5, "row_key", "'seq=350'", expected)]
    # After a trailing ";" the empty key would show as nothing; the whole cell is shown instead.
    assert caveat_problems("seq=35;", None) == [(5, "row_key", "'seq=35;'", expected)]


def test_a_caveat_naming_a_column_that_does_not_exist_is_refused():
    assert caveat_problems(None, "quantiy") == [(5, "column_name", "'quantiy'", "a column of aid_deliveries")]
    both = caveat_problems("seq=99", "quantiy")
    assert [(column, found) for _, column, found, _ in both] == [("column_name", "'quantiy'"), ("row_key", "'seq=99'")]


def test_a_caveat_about_a_table_that_failed_is_left_to_that_table_s_problems():
    assert caveat_problems("seq=99", "nonsense", table="railway_damage") == []
    # ... and the caveats after it are still checked.
    raw = frame([5, 6], table=["railway_damage", "aid_deliveries"], row_key=["seq=99", "seq=99"], column_name=[None, None])
    _, problems = derive.caveats(raw, {"aid_deliveries": DELIVERIES}, "raw/caveats.csv")
    assert [(p.line, p.column) for p in problems] == [(6, "row_key")]
