"""The checks no column schema can express, on small frames and on a damaged copy of raw/.

Frames are shaped like the build's raw frames: text in pandas' string dtype,
indexed by CSV line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli, snapshot

from aidstats.build import crosscheck
from aidstats.build.schemas import TABLES
from aidstats.errors import InputProblem


def frame(lines, **columns) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, index=lines, dtype="string") for name, values in columns.items()})


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PRIMARY_KEY = "a value no other row has (it is the primary key)"


def test_every_row_sharing_a_key_is_reported_with_the_others_lines():
    donors = frame([2, 3, 4, 5], code=["CHN", "POL", "CHN", "CHN"])
    problems = crosscheck.duplicate_keys(TABLES["donors"], donors, "raw/donors.csv")
    assert sorted(problems) == [
        InputProblem("raw/donors.csv", 2, "code", "'CHN', also on line 4, 5", PRIMARY_KEY),
        InputProblem("raw/donors.csv", 4, "code", "'CHN', also on line 2, 5", PRIMARY_KEY),
        InputProblem("raw/donors.csv", 5, "code", "'CHN', also on line 2, 4", PRIMARY_KEY),
    ]


def test_a_key_of_two_columns_is_duplicated_only_when_both_repeat():
    classes = frame([2, 3, 4], table=["aid_deliveries", "mineral_exports", "aid_deliveries"], commodity=["zinc", "zinc", "zinc"])
    problems = crosscheck.duplicate_keys(TABLES["commodity_classes"], classes, "raw/commodity_classes.csv")
    assert sorted(problems) == [
        InputProblem("raw/commodity_classes.csv", 2, "table, commodity", "'aid_deliveries, zinc', also on line 4", PRIMARY_KEY),
        InputProblem("raw/commodity_classes.csv", 4, "table, commodity", "'aid_deliveries, zinc', also on line 2", PRIMARY_KEY),
    ]


def test_rows_with_an_empty_key_cell_are_left_to_the_not_empty_check():
    classes = frame([2, 3, 4, 5], table=["aid_deliveries", "aid_deliveries", None, None], commodity=[None, None, "zinc", "zinc"])
    assert crosscheck.duplicate_keys(TABLES["commodity_classes"], classes, "raw/commodity_classes.csv") == []


def test_distinct_keys_are_no_problem():
    assert crosscheck.duplicate_keys(TABLES["donors"], frame([2, 3], code=["CHN", "POL"]), "raw/donors.csv") == []


CODE_LISTS = {
    "sources": frame([2, 3], source_id=["fn45", "fn53"]),
    "units": frame([2, 3], unit=["t", "item"]),
    "donors": frame([2, 3], code=["CHN", "POL"], name=["China", "Poland"]),
    "sitc_divisions": frame([2], division=["32"]),
}


def test_a_value_missing_from_its_code_list_is_reported_with_the_list_named():
    damage = frame([2, 3, 4, 5], source_id=["fn45", "fn99", "", None], unit=["item", "item", "t", "tonne"])
    problems = crosscheck.foreign_key_problems(TABLES["railway_damage"], damage, CODE_LISTS, "raw/railway_damage.csv")
    assert sorted(problems) == [
        InputProblem("raw/railway_damage.csv", 3, "source_id", "'fn99'", "a value listed in raw/sources.csv (source_id)"),
        InputProblem("raw/railway_damage.csv", 5, "unit", "'tonne'", "a value listed in raw/units.csv (unit)"),
    ]  # empty cells are left to the not-empty check


def test_a_key_of_two_columns_must_match_one_row_of_the_code_list():
    goods = frame(
        [2, 3, 4, 5],
        donor_code=["CHN", "CHN", "POL", "XXX"],
        donor=["China", "Poland", "Poland", None],
        source_id=["fn53"] * 4,
        unit=["t"] * 4,
    )
    problems = crosscheck.foreign_key_problems(TABLES["aid_deliveries"], goods, CODE_LISTS, "raw/aid_deliveries.csv")
    # CHN and Poland each exist, but not together; line 5's empty donor is the not-empty check's to report.
    assert problems == [
        InputProblem("raw/aid_deliveries.csv", 3, "donor_code, donor", "'CHN, Poland'", "a value listed in raw/donors.csv (code, name)")
    ]


def test_a_code_list_can_refer_to_itself():
    units = frame([2, 3], unit=["t", "kg"], base_unit=["t", "tonne"])
    problems = crosscheck.foreign_key_problems(TABLES["units"], units, {}, "raw/units.csv")
    assert problems == [InputProblem("raw/units.csv", 3, "base_unit", "'tonne'", "a value listed in raw/units.csv (unit)")]


def test_a_code_list_that_failed_is_not_checked_against():
    damage = frame([2], source_id=["fn99"], unit=["tonne"])
    assert crosscheck.foreign_key_problems(TABLES["railway_damage"], damage, {}, "raw/railway_damage.csv") == []
    # The other code lists are still checked against.
    only_units = {"units": CODE_LISTS["units"]}
    problems = crosscheck.foreign_key_problems(TABLES["railway_damage"], damage, only_units, "raw/railway_damage.csv")
    assert [(p.column, p.found) for p in problems] == [("unit", "'tonne'")]


def test_keys_over_computed_columns_are_checked_only_once_computed():
    goods = frame([2], donor_code=["CHN"], donor=["China"], source_id=["fn99"], unit=["t"], base_unit=["tonne"], sitc_division=["99"])
    typed = crosscheck.foreign_key_problems(TABLES["aid_deliveries"], goods, CODE_LISTS, "raw/aid_deliveries.csv")
    assert [p.column for p in typed] == ["source_id"]
    computed = crosscheck.foreign_key_problems(TABLES["aid_deliveries"], goods, CODE_LISTS, "raw/aid_deliveries.csv", derived_only=True)
    assert sorted(p.column for p in computed) == ["base_unit", "sitc_division"]


SOURCE = "Thus 452 of the prewar total of 559 factory buildings, and 1928 out of 2410 warehouses were lost."


def damage(lost, prewar="559", asset="factory buildings", quote="452 of the prewar total of 559 factory buildings"):
    return frame([7], lost_as_printed=[lost], prewar_total_as_printed=[prewar], asset=[asset], quote=[quote])


def quote_problems(raw):
    problems = crosscheck.quote_problems(TABLES["railway_damage"], raw, SOURCE, "raw/railway_damage.csv")
    return [(p.line, p.column, p.found, p.expected) for p in problems]


def test_a_row_whose_quote_and_figures_are_in_the_source_passes():
    assert quote_problems(damage("452")) == []
    assert quote_problems(damage("1928", "2410", "warehouses", "1928 out of 2410 warehouses")) == []


def test_a_quote_not_in_the_source_is_reported_and_its_figures_are_not_checked_against_it():
    quote = "452 of the prewar total of 599 factory buildings"
    assert quote_problems(damage("452", quote=quote)) == [
        (7, "quote", repr(quote), "a span of text that occurs verbatim in raw/source/*.txt")
    ]


def test_a_missing_quote_is_left_to_the_not_empty_check():
    assert quote_problems(damage("1", quote=None)) == []


IN_QUOTE = "text that occurs in this row's quote '452 of the prewar total of 559 factory buildings'"


@pytest.mark.parametrize(
    ("column", "lost", "prewar", "asset"),
    [
        ("lost_as_printed", "453", "559", "factory buildings"),  # a mistyped digit
        ("prewar_total_as_printed", "452", "599", "factory buildings"),
        ("asset", "452", "559", "factory building"),  # not the word printed: "buildings"
        ("lost_as_printed", "52", "559", "factory buildings"),  # a dropped first digit: 52 is not 452
        ("lost_as_printed", "45", "559", "factory buildings"),  # a dropped last digit
        ("prewar_total_as_printed", "452", "55", "factory buildings"),
    ],
)
def test_a_figure_not_printed_in_its_quote_is_reported(column, lost, prewar, asset):
    found = {"lost_as_printed": lost, "prewar_total_as_printed": prewar, "asset": asset}[column]
    problems = quote_problems(damage(lost, prewar, asset))
    assert [(line, col, value) for line, col, value, _ in problems] == [(7, column, repr(found))]
    assert problems[0][3].startswith(IN_QUOTE)


def test_part_of_a_number_with_commas_or_a_point_is_not_the_number():
    source = "5,346 tons of gold/silver ore (52.7% of the planned amount for 1951)"
    minerals = frame(
        [2, 3, 4],
        commodity=["gold/silver ore"] * 3,
        delivered_as_printed=["5,346", "346", "5"],
        percent_of_plan_as_printed=["52.7", "52", "7"],
        quote=[source] * 3,
    )
    problems = crosscheck.quote_problems(TABLES["mineral_exports"], minerals, source, "raw/mineral_exports.csv")
    assert sorted((p.line, p.column, p.found) for p in problems) == [
        (3, "delivered_as_printed", "'346'"),
        (3, "percent_of_plan_as_printed", "'52'"),
        (4, "delivered_as_printed", "'5'"),
        (4, "percent_of_plan_as_printed", "'7'"),
    ]


def test_an_empty_figure_is_left_to_the_not_empty_check():
    source = "the two year-long armistice negotiations"
    figures = frame([2], value_as_printed=["two"], value_high_as_printed=[None], quote=[source])
    assert crosscheck.quote_problems(TABLES["key_figures"], figures, source, "raw/key_figures.csv") == []


def test_a_table_without_quotes_has_no_quote_problems():
    assert crosscheck.quote_problems(TABLES["donors"], frame([2], code=["XXX"]), SOURCE, "raw/donors.csv") == []


FN45 = (
    "“Account of the Work of the DPRK Ministry of Communications for the First Half of 1951,” by S. Lazarev, AVPRF, Fond 0102, Listy 45-54."
)
FOOTNOTES = f"[45:  {FN45} See also other reports.] Body text.[footnoteRef:46] [46:  Ibid. p. 3.]"
FN45_TITLE = "Account of the Work of the DPRK Ministry of Communications for the First Half of 1951"


def sources(citation, title, footnote="45"):
    return frame([9], source_id=["fn45"], footnote=[footnote], citation=[citation], title=[title])


def citation_problems(register):
    problems = crosscheck.quote_problems(TABLES["sources"], register, FOOTNOTES, "raw/sources.csv")
    return [(p.line, p.column, p.found, p.expected) for p in problems]


def test_a_citation_copied_verbatim_with_its_title_passes():
    assert citation_problems(sources(FN45, FN45_TITLE)) == []
    assert citation_problems(sources(FN45, None)) == []  # an untitled document


def test_a_damaged_citation_is_reported_naming_the_footnote_text():
    damaged = FN45.replace("45-54", "45-55")
    assert citation_problems(sources(damaged, FN45_TITLE)) == [
        (9, "citation", repr(damaged), "text that occurs verbatim in footnote 45 of raw/source/*.txt")
    ]


def test_a_citation_printed_in_another_footnote_is_reported():
    """Footnote 45's text is in the source, but not in footnote 46, which the row names."""
    assert citation_problems(sources(FN45, FN45_TITLE, footnote="46")) == [
        (9, "citation", repr(FN45), "text that occurs verbatim in footnote 46 of raw/source/*.txt")
    ]
    assert citation_problems(sources("Ibid. p. 3.", None, footnote="46")) == []
    assert citation_problems(sources("Ibid. p. 3.", None, footnote="45"))[0][3].endswith("footnote 45 of raw/source/*.txt")


def test_a_title_not_in_its_citation_is_reported():
    title = "Account of the Work of the DPRK Ministry of Railways"
    assert citation_problems(sources(FN45, title)) == [(9, "title", repr(title), "text that occurs in this row's citation")]


def test_a_damaged_citation_is_one_problem_even_when_the_title_no_longer_fits_it():
    damaged = FN45.replace("Communications", "Transport")
    assert [column for _, column, _, _ in citation_problems(sources(damaged, FN45_TITLE))] == ["citation"]


def test_the_papers_own_reference_is_not_a_footnote_and_is_not_looked_for():
    assert citation_problems(sources("Kathryn Weathersby, North Korea", "North Korea", footnote=None)) == []


def test_an_empty_citation_is_left_to_the_not_empty_check():
    assert citation_problems(sources(None, FN45_TITLE)) == []


def test_a_class_for_a_commodity_its_table_lacks_is_reported():
    frames = {
        "commodity_classes": frame(
            [2, 3, 4], table=["aid_deliveries", "aid_deliveries", "mineral_exports"], commodity=["coal", "zinc", "coal"]
        ),
        "aid_deliveries": frame([2], commodity=["coal"]),
        "mineral_exports": frame([2], commodity=["zinc"]),
    }
    # zinc is a mineral export, not aid; coal is aid, not a mineral export.
    assert sorted(crosscheck.unused_classes(frames)) == [
        InputProblem("raw/commodity_classes.csv", 3, "commodity", "'zinc'", "a commodity that occurs in raw/aid_deliveries.csv"),
        InputProblem("raw/commodity_classes.csv", 4, "commodity", "'coal'", "a commodity that occurs in raw/mineral_exports.csv"),
    ]


# Through the command a transcriber runs, on a copy of raw/.


def build_output(root: Path) -> list[str]:
    before = snapshot(root)
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert snapshot(root) == before
    return result.output.splitlines()


def test_a_damaged_citation_in_raw_sources_fails_the_build(project_copy):
    """The known gap: if citation_problems found nothing, this build would pass."""
    edit(project_copy / "raw" / "sources.csv", 'Por 54, Papka 30, Listy 45-54"', 'Por 54, Papka 30, Listy 45-55"')
    lines = build_output(project_copy)
    assert lines[0] == "1 problem in the raw input; nothing was written:"
    assert lines[1].startswith(
        "  raw/sources.csv:15: column 'citation': found '“Account of the Work of the DPRK Ministry of Communications"
    )
    assert lines[1].endswith("Listy 45-55'; expected text that occurs verbatim in footnote 45 of raw/source/*.txt")


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_a_title_not_in_its_citation_fails_the_build(project_copy):
    edit(
        project_copy / "raw" / "sources.csv",
        ",Account of the Work of the DPRK Ministry of Communications",
        ",Account of the Work of the Ministry",
    )
    assert (
        "  raw/sources.csv:15: column 'title': found 'Account of the Work of the Ministry for the First Half of 1951'; expected text that occurs in this row's citation"
        in build_output(project_copy)
    )


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_a_dropped_first_digit_fails_the_build(project_copy):
    """452 typed as 52 still occurs in the quote '452 of the prewar total ...' as characters, but is not the figure."""
    edit(project_copy / "raw" / "railway_damage.csv", "factory buildings,buildings,452,", "factory buildings,buildings,52,")
    lines = build_output(project_copy)
    assert any(
        line.startswith("  raw/railway_damage.csv:2: column 'lost_as_printed': found '52'; expected text that occurs in this row's quote")
        for line in lines
    )


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_empty_keys_are_reported_as_empty_not_as_duplicates_of_each_other(project_copy):
    path = project_copy / "raw" / "reconstruction_enterprises.csv"
    edit(path, "kim_chaek_chongjin,", ",")
    edit(path, "songjin_steel,", ",")
    lines = build_output(project_copy)
    assert "<NA>" not in "\n".join(lines)
    assert [line for line in lines if "enterprise_id" in line] == [
        f"  raw/reconstruction_enterprises.csv:{n}: column 'enterprise_id': found an empty cell; expected a value; this cell must not be empty"
        for n in (2, 3)
    ]


# The text of one footnote, as the register's citations are checked against it.


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        # Brackets inside a footnote ("[Stalin]", "Delo 828[9]") do not end it; the footnote after it is not in it.
        ("Body.[footnoteRef:7] [7:  Filippov [Stalin], Delo 828[9].] More. [8:  Ibid.]", 7, "Filippov [Stalin], Delo 828[9]."),
        # A bracket closed before the footnote opens does not count against it.
        ("a] b [7:  Ibid. p. 3.] [8:  X]", 7, "Ibid. p. 3."),
        # Footnote 53 is never closed: it runs to the next footnote, or to the end of the text.
        ("[53:  List, Opis 7, [footnoteRef:54] body [54:  Letter]", 53, "List, Opis 7, [footnoteRef:54] body "),
        ("[53:  List, Opis 7, heading", 53, "List, Opis 7, heading "),
        ("[1:  A]", 2, None),
    ],
)
def test_footnote_text_is_the_footnote_and_nothing_else(text, number, expected):
    assert crosscheck.footnote_text(text, number) == expected


def test_footnote_1_is_checked_and_a_footnote_that_is_not_a_number_is_left_to_its_column_check():
    register = frame([9], source_id=["fn1"], footnote=["1"], citation=["Other words."], title=[None])
    problems = crosscheck.quote_problems(TABLES["sources"], register, "[1:  Shen Zhihua, “Conflict.”]", "raw/sources.csv")
    assert [(p.line, p.column) for p in problems] == [(9, "citation")]
    register = frame([9], source_id=["fn1"], footnote=["one"], citation=["Other words."], title=[None])
    assert crosscheck.quote_problems(TABLES["sources"], register, "[1:  Shen Zhihua, “Conflict.”]", "raw/sources.csv") == []
