"""Issue 3: every figure traced to its document; code lists; SITC classes; caveats; citation."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from conftest import ROOT, run_cli

import aidstats
from aidstats import metadata
from aidstats.loader import resource

TABLES_WITH_SOURCES = [n for n in aidstats.list_tables() if n != "sources" and "source_id" in aidstats.load(n).columns]


@pytest.mark.parametrize("name", TABLES_WITH_SOURCES)
def test_every_source_id_resolves_in_the_register(name):
    register = set(aidstats.load("sources").source_id)
    assert set(aidstats.load(name).source_id) <= register
    keys = resource(name)["schema"]["foreignKeys"]
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} in keys


def test_register_parses_what_the_citation_prints():
    """Each parsed part of a location occurs, with its label, in the citation as printed."""
    labels = {"fond": "Fond", "opis": "Opis", "delo": "Delo", "por": "Por", "papka": "Papka", "listy": "List"}
    for row in aidstats.load("sources").itertuples():
        if row.kind == "paper":
            assert row.citation == metadata.PAPER
            continue
        if pd.notna(row.archive):
            assert f"{row.archive}," in row.citation, row.source_id
        for column, label in labels.items():
            value = getattr(row, column)
            if pd.notna(value):
                assert re.search(rf"{label}\w*\.? {re.escape(value)}(?!\d)", row.citation), (row.source_id, column, value)


def test_every_cited_footnote_is_a_footnote_of_the_paper():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "raw" / "source").glob("*.txt"))
    for row in aidstats.load("sources").dropna(subset=["footnote"]).itertuples():
        assert f"[{row.footnote}:  {row.citation}" in text, row.source_id


def test_key_figures_hold_the_figures_a_historian_reaches_for():
    figures = aidstats.load("key_figures").set_index("figure_id")
    expected = {
        "flour_gift": (50_000, "t"),
        "thanksgiving_rallies": (6_255, "count"),
        "lead_yearly_minimum": (25_000, "t"),
        "un_offer_pows": (83_000, "person"),
        "chinese_pows_of_offer": (6_400, "person"),
        "capital_investment_from_grants": (75.1, "percent"),
        "state_budget_from_aid": (24.6, "percent"),
        "imports_financed_by_aid": (81.5, "percent"),
        "soviet_specialists_invited": (62, "person"),
        "soviet_geologists": (15, "person"),
        "korean_specialists_trained": (161, "person"),
        "cpv_divisions_remaining": (34, "count"),
    }
    for figure_id, (value, unit) in expected.items():
        assert (figures.at[figure_id, "value"], figures.at[figure_id, "unit"]) == (value, unit), figure_id
    assert (figures.at["world_war_staved_off", "value"], figures.at["world_war_staved_off", "value_high"]) == (15, 20)
    assert (figures.at["stalin_us_tied_down_years", "value"], figures.at["stalin_us_tied_down_years", "value_high"]) == (2, 3)
    assert figures.at["pyongyang_bombing_deaths", "qualifier"] == "more than"
    assert figures.at["flour_gift", "source_id"] == "fn44"
    assert figures.at["soviet_specialists_invited", "value_as_printed"] == "sixty-two"
    assert 25 <= len(figures) <= 60


def test_reconstruction_enterprises():
    plants = aidstats.load("reconstruction_enterprises")
    assert len(plants) == 7
    assert (plants.arrangement == "soviet_restoration").sum() == 6
    aoji = plants.set_index("place").loc["Aoji"]
    assert aoji.arrangement == "proposed_joint_share_society" and aoji.source_id == "fn55"
    assert set(plants.place) >= {"Chongjin", "Songjin", "Nampo", "Hungnam", "Sunchon", "Supung"}


@pytest.mark.parametrize("name", ["aid_deliveries", "mineral_exports"])
def test_every_commodity_has_an_sitc_class(name):
    table = aidstats.load(name)
    classes = aidstats.load("commodity_classes")
    classes = classes[classes.table == name].set_index("commodity")
    divisions = aidstats.load("sitc_divisions").set_index("division")
    assert table.commodity.isin(classes.index).all()
    assert (table.sitc_division == table.commodity.map(classes.sitc_division)).all()
    assert table.sitc_division.isin(divisions.index).all()
    assert (table.sitc_section == table.sitc_division.str[0]).all()
    assert classes.rationale.str.len().gt(10).all()
    assert {"fields": ["sitc_division"], "reference": {"resource": "sitc_divisions", "fields": ["division"]}} in resource(name)["schema"][
        "foreignKeys"
    ]


def test_sitc_code_list_is_the_original_edition():
    divisions = aidstats.load("sitc_divisions")
    assert len(divisions) == 52 and divisions.section.nunique() == 10
    assert dict(zip(divisions.division, divisions.title, strict=True))["31"].startswith("Mineral fuels")


def test_caveats_cover_what_a_careful_reader_must_know():
    caveats = aidstats.load("caveats").set_index("caveat_id")
    for required in ("goods_list_year", "fn53_damaged", "fn48_archive_aprf", "handicraft_equipment_magnitude", "penicillin_units"):
        assert required in caveats.index
    attrs = aidstats.load("aid_deliveries").attrs["caveats"]
    ids = {c["caveat_id"] for c in attrs}
    assert {"goods_list_year", "handicraft_equipment_magnitude", "penicillin_units"} <= ids
    assert all(c["quote"] and c["treatment"] for c in attrs)


def test_cite_names_the_paper_and_the_document_of_footnote_53():
    result = run_cli("cite", "aid_deliveries")
    assert result.exit_code == 0
    assert "North Korea and the Armistice Negotiations" in result.output
    assert "footnote 53" in result.output and "List of Goods Delivered to the DPRK in 1952" in result.output
    assert "@misc{fn53," in result.output and "@article{weathersby_armistice," in result.output
    assert result.output.count("{") == result.output.count("}")
    assert "Caveats about these citations:" in result.output and "fn53: Footnote 53 is damaged" in result.output


def test_cite_unknown_table_lists_the_valid_ones():
    result = run_cli("cite", "railways")
    assert result.exit_code == 2 and "railway_damage" in result.output


def test_citation_cff_agrees_with_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == metadata.VERSION
    assert cff["title"] == f"aidstats: {metadata.TITLE}"
    assert cff["date-released"] == metadata.CREATED[:10]
    paper = cff["references"][0]
    assert (paper["title"], paper["journal"], paper["volume"]) == (metadata.PAPER_TITLE, metadata.PAPER_JOURNAL, metadata.PAPER_VOLUME)
