"""Every table loads with its published types, and every value is in the source."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PAPER

import aidstats
from aidstats.loader import load, resource

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw" / "source").glob("*.txt")))

PANDAS_KIND = {"integer": "Int64", "number": "float64", "date": "datetime64[ms]"}


@pytest.mark.parametrize("name", aidstats.list_tables())
def test_table_loads_with_published_types_and_metadata(name):
    frame = aidstats.load(name)
    fields = resource(name)["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    assert len(frame) > 0
    for field in fields:
        dtype = str(frame[field["name"]].dtype)
        if "enum" in field["constraints"]:
            assert dtype == "category", field["name"]
            assert list(frame[field["name"]].cat.categories) == field["constraints"]["enum"]
        else:
            assert dtype == PANDAS_KIND.get(field["type"], "string"), (field["name"], dtype)
    for key in ("title", "description", "units", "sources", "licenses", "citation"):
        assert frame.attrs[key], key
    assert not frame.duplicated(frame.attrs["primary_key"]).any()


def has_column(name: str, column: str) -> bool:
    return column in [f["name"] for f in resource(name)["schema"]["fields"]]


@pytest.mark.parametrize("name", [n for n in aidstats.list_tables() if has_column(n, "quote")])
def test_every_quote_occurs_verbatim_in_the_source(name):
    frame = aidstats.load(name)
    missing = [q for q in frame["quote"] if q not in SOURCE_TEXT]
    assert missing == []


@pytest.mark.parametrize("name", [n for n in aidstats.list_tables() if has_column(n, "quote")])
def test_every_printed_figure_occurs_in_its_quote(name):
    frame = aidstats.load(name)
    printed = [c for c in frame.columns if c.endswith("_as_printed")] + [c for c in ("commodity", "asset", "name", "place") if c in frame]
    for row in frame.itertuples():
        for column in printed:
            value = getattr(row, column)
            assert pd.isna(value) or value in row.quote, (name, row.Index, column)


def test_invariants():
    rail = aidstats.load("railway_damage")
    assert (rail.lost <= rail.prewar_total).all() and (rail.lost >= 0).all() and (rail.prewar_total > 0).all()
    assert rail.share_lost.between(0, 1).all()
    assert set(rail.unit) == {"count", "km"}
    minerals = aidstats.load("mineral_exports")
    assert ((minerals.plan_t_low < minerals.plan_t) & (minerals.plan_t <= minerals.plan_t_high)).all()
    assert minerals.plan_t.tolist() == pytest.approx((minerals.delivered_t / minerals.percent_of_plan * 100).tolist())
    aid = aidstats.load("aid_deliveries")
    units = aidstats.load("units").set_index("unit")
    assert (aid.quantity > 0).all()
    assert aid.quantity_base.tolist() == pytest.approx((aid.quantity.astype(float) * aid.unit.map(units.factor_to_base)).tolist())
    assert (aid.base_unit == aid.unit.map(units.base_unit)).all()


def test_source_excerpts_are_verbatim_copies_of_the_paper():
    if not PAPER.is_file():
        pytest.skip(f"the paper is not beside the project at {PAPER}")
    paper = PAPER.read_text(encoding="utf-8")
    paragraphs = paper.split("\n")
    for excerpt in sorted((ROOT / "raw" / "source").glob("*.txt")):
        for line in filter(None, excerpt.read_text(encoding="utf-8").split("\n")):
            # An excerpt is a run of one paragraph, never text joined across two.
            assert any(line in paragraph for paragraph in paragraphs), (excerpt.name, line[:60])


def test_the_excerpts_are_what_checking_needs_and_no_more():
    """Issue 12: the paper is quoted, not republished. Every excerpt holds a quote, a cited footnote or
    the mark of a cited footnote, and together they are under a third of the paper's text."""
    passages = aidstats.load("passages")
    quotes = [q for name in aidstats.list_tables() if "quote" in aidstats.load(name).columns for q in aidstats.load(name).quote]
    cited = aidstats.load("sources").dropna(subset=["footnote"])
    needles = quotes + cited.citation.tolist() + [f"[footnoteRef:{n}]" for n in cited.footnote]
    for text in passages.text:
        assert any(needle in text for needle in needles), text[:60]
    if PAPER.is_file():
        assert passages.text.str.len().sum() < len(PAPER.read_text(encoding="utf-8")) / 3


def test_every_quote_can_be_read_in_a_passage_of_the_package():
    """The site and any reader of the package find each quote in context without raw/source."""
    passages = "\n".join(aidstats.load("passages").text)
    for name in aidstats.list_tables():
        frame = aidstats.load(name)
        if "quote" in frame.columns:
            assert all(quote in passages for quote in frame.quote), name


def test_row_counts_as_the_issue_counts_them():
    assert [len(aidstats.load(n)) for n in ("railway_damage", "mineral_exports", "aid_deliveries")] == [16, 16, 84]


def number(text: str) -> float:
    return float(text.replace(",", ""))


def test_railway_values_match_their_quotes():
    """Re-read each quote independently of the build's parser."""
    pattern = re.compile(r"^([\d,]+)(?: km)? (?:of the prewar total of|out of|of) ([\d,]+)(?: km)? (?:of )?(.+)$")
    frame = aidstats.load("railway_damage")
    for row in frame.itertuples():
        lost, prewar, asset = pattern.match(row.quote).groups()
        assert (row.lost, row.prewar_total, row.asset) == (number(lost), number(prewar), asset)
        assert row.unit == ("km" if " km " in row.quote else "count")
        assert row.share_lost == pytest.approx(number(lost) / number(prewar))
    assert frame.period_start.eq(pd.Timestamp("1951-01-01")).all() and frame.period_end.eq(pd.Timestamp("1951-06-30")).all()


def test_mineral_values_match_their_quotes():
    pattern = re.compile(r"^([\d.,]+) tons of (.+) \(([\d.]+)% of (?:the planned amount for 1951|plan)\)$")
    frame = aidstats.load("mineral_exports")
    for row in frame.itertuples():
        delivered, commodity, percent = pattern.match(row.quote).groups()
        assert (row.delivered_t, row.commodity, row.percent_of_plan) == (number(delivered), commodity, number(percent))
    assert set(frame.destination) == {"SUN"}
    assert frame.period_end.eq(pd.Timestamp("1951-08-31")).all()


def test_hand_checked_values():
    rail = aidstats.load("railway_damage").set_index("asset")
    assert (rail.at["locomotives", "lost"], rail.at["locomotives", "prewar_total"]) == (1036, 1249)
    assert rail.at["locomotives", "share_lost"] == pytest.approx(1036 / 1249)  # "1036 out of 1249 locomotives" (fn45)
    assert rail.at["telephone/telegraph lines", "lost"] == 73500 and rail.at["telephone/telegraph lines", "unit"] == "km"
    minerals = aidstats.load("mineral_exports").set_index("commodity")
    assert (minerals.at["lead", "delivered_t"], minerals.at["lead", "percent_of_plan"]) == (8443, 120.4)
    assert minerals.at["lead", "plan_t"] == pytest.approx(8443 / 1.204)
    # "2.8%" stands for 2.75 <= p < 2.85, so the plan for 0.84 t lies in (29.47, 30.55].
    assert minerals.at["beryllium concentrate", "plan_t_low"] == pytest.approx(84 / 2.85)
    assert minerals.at["beryllium concentrate", "plan_t_high"] == pytest.approx(84 / 2.75)
    # "32%" (no decimals) stands for 31.5 <= p < 32.5.
    assert minerals.at["niobium concentrate", "plan_t_high"] == pytest.approx(129 / 31.5)


def test_aid_list_read_by_the_rules():
    aid = aidstats.load("aid_deliveries")
    assert aid.seq.tolist() == list(range(1, 85))
    counts = aid.groupby("donor_code").size().to_dict()
    assert counts == {"BGR": 7, "CHN": 13, "CSK": 20, "HUN": 16, "POL": 8, "ROU": 20}
    by_seq = aid.set_index("seq")
    # A bare number after a donor repeats the commodity and unit before it.
    assert by_seq.loc[19, ["donor_code", "commodity", "quantity", "quantity_as_printed"]].tolist() == ["POL", "locomotives", 22, "22"]
    assert by_seq.loc[79, ["donor_code", "commodity", "unit", "quantity"]].tolist() == ["POL", "workers’ boots", "pair", 100000]
    # "from Romania and Bulgaria, each": one row per donor with the full quantity.
    bindings = aid[aid.commodity == "cardboard bindings"]
    assert bindings[["donor_code", "quantity", "unit"]].values.tolist() == [["ROU", 150, "t"], ["BGR", 150, "t"]]
    penicillin = by_seq.loc[51]
    assert (penicillin.quantity, penicillin.unit, penicillin.base_unit) == (100_000_000, "penicillin_unit", "penicillin_unit")
    needles = by_seq.loc[50]
    assert (needles.quantity_as_printed, needles.quantity_base, needles.base_unit) == ("20,000 dozens", 240_000, "item")
    assert by_seq.loc[52, "quantity_base"] == pytest.approx(0.5)  # 500 kg of ether in tonnes
    assert by_seq.loc[30, "quantity_as_printed"] == "two" and by_seq.loc[30, "quantity"] == 2
    flagged = aid[aid.implausible_reason.notna()]
    assert flagged.commodity.tolist() == ["handicraft equipment"] and flagged.quantity.tolist() == [1_250_000]
    assert set(aid.year) == {1951}


def test_every_field_has_title_description_and_units_in_attrs():
    for name in aidstats.list_tables():
        frame = aidstats.load(name)
        for column, info in frame.attrs["fields"].items():
            assert info["title"] and info["description"], (name, column)
    assert aidstats.load("mineral_exports").attrs["units"]["plan_t"] == "t"
    assert aidstats.load("railway_damage").attrs["units"]["lost"] == "see column unit"


def test_unknown_table_lists_the_valid_ones():
    with pytest.raises(KeyError) as err:
        aidstats.load("railway")
    assert "railway_damage" in str(err.value) and "aid_deliveries" in str(err.value)


def test_the_same_kind_of_column_has_the_same_dtype_in_every_table():
    # Issue 22: sitc_section was categorical in two tables and text in two others, unit the reverse.
    import aidstats

    frames = {name: aidstats.load(name) for name in aidstats.list_tables()}
    sections = [
        frames[t][c]
        for t, c in [
            ("sitc_divisions", "section"),
            ("commodity_classes", "sitc_section"),
            ("mineral_exports", "sitc_section"),
            ("aid_deliveries", "sitc_section"),
        ]
    ]
    # One categorical dtype: the ten sections "0" … "9", so the columns join and concatenate as one.
    assert {str(column.dtype) for column in sections} == {"category"}
    assert all(list(column.cat.categories) == [str(s) for s in range(10)] for column in sections)
    units = [frames[t]["unit"] for t in ("units", "railway_damage", "aid_deliveries", "key_figures")]
    # One text dtype: a unit is a code of the units table, checked by its foreign key, not an enumeration.
    assert len({column.dtype for column in units}) == 1 and str(units[0].dtype) != "category"


def test_each_load_gives_a_frame_of_its_own_and_a_rewritten_file_is_read_again(project_copy):
    # load keeps what it read of a Parquet file while the file is unchanged; a caller changing its frame must not
    # change what the next caller gets, and a package rebuilt in place must be read again.
    first = load("units", project_copy)
    first.loc[0, "title"] = "changed by the first caller"
    first.attrs["title"] = "changed too"
    second = load("units", project_copy)
    assert second.loc[0, "title"] != "changed by the first caller"
    assert second.attrs["title"] != "changed too"
    assert second.equals(load("units", project_copy))
    # Rewrite the table's files with one row fewer and the descriptor with their new sizes and hashes.
    import json

    from aidstats.package import file_facts

    frame = second.iloc[1:]
    frame.to_parquet(project_copy / "clean" / "units.parquet", index=False)
    descriptor = json.loads((project_copy / "datapackage.json").read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        if entry["path"] == "clean/units.parquet":
            entry.update(file_facts(project_copy / entry["path"]))
    (project_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert len(load("units", project_copy)) == len(second) - 1
