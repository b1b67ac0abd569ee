"""Each message the build writes for a bad cell, checked whole.

test_bad_input.py checks that every kind of fault is caught and names its place;
these tests check the exact words of the message a transcriber reads, for each
way build.py turns a pandera failure into words: a pattern, a vocabulary, an
empty cell, a date, a number that is not one, a bound, a rule across columns,
and a computed column named with the columns it is computed from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import aidstats.build.run
from aidstats.errors import BuildError


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        aidstats.build.run.build(root)
    return [str(problem) for problem in caught.value.problems]


def _edit_source(root: Path, old: str, new: str) -> None:
    """Change a passage of the paper too, for a fault whose quote must still be found in it."""
    path = next(p for p in (root / "raw" / "source").glob("*.txt") if old in p.read_text(encoding="utf-8"))
    _edit(path, old, new)


def test_cells_that_fail_their_column_checks_are_described_in_words(project_copy):
    raw = project_copy / "raw"
    _edit(raw / "railway_damage.csv", "tunnels,track_and_structures,67,", "tunnels,track_and_structures,6x7,")
    _edit(raw / "railway_damage.csv", "schools,buildings,11", "schools,building,11")
    _edit(
        raw / "railway_damage.csv",
        "bridges,track_and_structures,443,1861,count,1951-01-01,1951-06-30,fn45,",
        "bridges,track_and_structures,443,1861,count,1951-01-01,1951-06-30,,",
    )
    _edit(raw / "mineral_exports.csv", "carbide,75,15,1951-01-01", "carbide,75,15,1951-13-01")
    units_line = (raw / "units.csv").read_text(encoding="utf-8").split("\n").index("kg,kilogram,mass,t,0.001,kg") + 1
    _edit(raw / "units.csv", "kg,kilogram,mass,t,0.001", "kg,kilogram,mass,t,abc")
    _edit(raw / "aid_deliveries.csv", '1,China,CHN,coal,"240,000 tons",t,1951,', '1,China,CHN,coal,"240,000 tons",t,1954,')
    _edit(raw / "aid_deliveries.csv", "2,China,CHN,coking coal,300 tons,t,1951,", "2,China,CHN,coking coal,300 tons,t,1949,")
    _edit(raw / "aid_deliveries.csv", "3,China,CHN,coal pitch,", "x,China,CHN,coal pitch,")
    _edit(raw / "sources.csv", "fn14,archival_document,14,", "fn14,archival_document,0,")
    _edit(raw / "sitc_divisions.csv", "04,Cereals and cereal preparations,0,Food", "4,Cereals and cereal preparations,0,Food")

    problems = _problems(project_copy)

    for expected in [
        "raw/railway_damage.csv:10: column 'lost_as_printed': found '6x7'; expected a number as printed, such as 5,346 or 1928 or 0.84",
        "raw/railway_damage.csv:6: column 'asset_group': found 'building'; "
        "expected one of: buildings, track_and_structures, communications_and_power, rolling_stock",
        "raw/railway_damage.csv:11: column 'source_id': found an empty cell; expected a value; this cell must not be empty",
        "raw/mineral_exports.csv:12: column 'period_start': found '1951-13-01'; expected a real date written YYYY-MM-DD",
        f"raw/units.csv:{units_line}: column 'factor_to_base': found 'abc'; expected a number",
        "raw/aid_deliveries.csv:2: column 'year': found '1954'; expected a number of at most 1953",
        "raw/aid_deliveries.csv:3: column 'year': found '1949'; expected a number of at least 1950",
        "raw/aid_deliveries.csv:4: column 'seq': found 'x'; expected a whole number",
        "raw/sources.csv:3: column 'footnote': found '0'; expected a number of at least 1",
        r"raw/sitc_divisions.csv:6: column 'division': found '4'; expected text matching the pattern ^\d{2}$",
    ]:
        assert expected in problems, "\n".join(problems)
    # One more, from the check of printed numbers: '6x7' is not in its quote "67 out of 508 tunnels".
    assert any(
        p.startswith("raw/railway_damage.csv:10: column 'lost_as_printed': found '6x7'; expected text that occurs in") for p in problems
    )
    # And nothing else: a value that cannot be read ('x' as a whole number) is one problem, not
    # also a failed comparison of text with numbers or a wrong column type.
    assert len(problems) == 10 + 1, "\n".join(problems)


def test_rules_across_columns_and_computed_columns_name_the_cells_as_typed(project_copy):
    raw = project_copy / "raw"
    # 13 lost out of 12 schools: the rule lost <= prewar_total and share_lost in [0, 1] both fail.
    _edit(
        raw / "railway_damage.csv",
        "schools,buildings,11,12,count,1951-01-01,1951-06-30,fn45,11 out",
        "schools,buildings,13,12,count,1951-01-01,1951-06-30,fn45,13 out",
    )
    _edit_source(project_copy, "11 out of 12 schools", "13 out of 12 schools")
    # "two or three years" read as a range from three down to two.
    _edit(raw / "key_figures.csv", 'to be used for rearming the bloc",two,three,', 'to be used for rearming the bloc",three,two,')
    # A quantity of 0 tons (kept consistent with its quote and the paper).
    _edit(
        raw / "aid_deliveries.csv",
        '1,China,CHN,coal,"240,000 tons",t,1951,fn53,"240,000 tons of coal"',
        "1,China,CHN,coal,0 tons,t,1951,fn53,0 tons of coal",
    )
    _edit_source(project_copy, "240,000 tons of coal", "0 tons of coal")

    problems = _problems(project_copy)

    for expected in [
        "raw/railway_damage.csv:6: column 'lost_as_printed, prewar_total_as_printed': "
        "found lost_as_printed=13, prewar_total_as_printed=12; expected lost must not exceed prewar_total",
        "raw/railway_damage.csv:6: column 'share_lost (computed from lost_as_printed, prewar_total_as_printed)': "
        f"found {str(13 / 12)!r}; expected a number from 0 to 1",
        "raw/key_figures.csv:4: column 'value_as_printed, value_high_as_printed': "
        "found value_as_printed=three, value_high_as_printed=two; expected value_high must exceed value",
        "raw/aid_deliveries.csv:2: column 'quantity (computed from quantity_as_printed)': found '0'; expected a number greater than 0",
    ]:
        assert expected in problems, "\n".join(problems)


def test_a_rule_broken_by_an_empty_cell_shows_the_cell_as_empty(project_copy):
    raw = project_copy / "raw"
    _edit(raw / "donors.csv", "CSK,Czechoslovakia,withdrawn,CSHH", "CSK,Czechoslovakia,withdrawn,")
    # The section of division 04 is 0, its first digit.
    _edit(raw / "sitc_divisions.csv", "04,Cereals and cereal preparations,0,Food", "04,Cereals and cereal preparations,1,Food")

    problems = _problems(project_copy)

    for expected in [
        "raw/donors.csv:6: column 'iso_status, iso3166_3_code': found iso_status=withdrawn, iso3166_3_code=(empty); "
        "expected iso3166_3_code is filled in exactly when iso_status is withdrawn (ISO 3166-3)",
        "raw/sitc_divisions.csv:6: column 'division, section': found division=04, section=1; expected a division's first digit is its section",
    ]:
        assert expected in problems, "\n".join(problems)


def test_a_missing_project_folder_is_named_as_missing(tmp_path):
    missing = tmp_path / "no-such-project"
    assert _problems(missing) == [f"{missing}: found no such folder; expected a project folder holding raw/ (the transcribed tables)"]
    assert not missing.exists(), "nothing was created"


def test_a_project_folder_without_raw_is_named_as_such(tmp_path):
    assert _problems(tmp_path) == [
        f"{tmp_path / 'raw'}: found no such folder; expected a project folder holding raw/ (the transcribed tables)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_raw_folder_without_the_paper_says_the_passages_are_missing(project_copy):
    for passage in (project_copy / "raw" / "source").glob("*.txt"):
        passage.unlink()
    assert _problems(project_copy) == [
        "raw/source: found no .txt excerpts; expected the verbatim passages of the paper the quotes come from"
    ]


def test_a_date_must_be_written_yyyy_mm_dd(project_copy):
    """'1951-1-1' is a real date but not written as the rule says; '01/01/1951'
    (on the first row, where a guessing parser would take its format from) is neither."""
    path = project_copy / "raw" / "mineral_exports.csv"
    _edit(path, 'gold/silver ore,"5,346",52.7,1951-01-01', 'gold/silver ore,"5,346",52.7,01/01/1951')
    _edit(path, "carbide,75,15,1951-01-01", "carbide,75,15,1951-1-1")

    assert _problems(project_copy) == [
        "raw/mineral_exports.csv:2: column 'period_start': found '01/01/1951'; expected a real date written YYYY-MM-DD",
        "raw/mineral_exports.csv:12: column 'period_start': found '1951-1-1'; expected a real date written YYYY-MM-DD",
    ]
