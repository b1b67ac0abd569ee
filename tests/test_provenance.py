"""Issue 3: every figure traced to its document; code lists; SITC classes; caveats; citation."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from conftest import PAPER, ROOT, run_cli

import aidstats
from aidstats import metadata
from aidstats.loader import resource

TABLES_WITH_SOURCES = [n for n in aidstats.list_tables() if n != "sources" and "source_id" in aidstats.load(n).columns]
# Of those, the tables that quote the paper (publications and corroboration cite a register row but quote no sentence).
TABLES_WITH_QUOTES = [n for n in TABLES_WITH_SOURCES if "quote" in aidstats.load(n).columns]


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
                assert re.search(rf"{label}\w*[.,]? {re.escape(value)}(?!\d)", row.citation), (row.source_id, column, value)


def _footnote_region(text: str, number: int) -> str:
    """From footnote ``number``'s opening to the next footnote's opening (a generous bound on its text)."""
    start = text.index(f"[{number}:  ")
    following = re.compile(r"\[\d+:  ").search(text, start + 1)
    return text[start : following.start() if following else None]


def test_every_citation_is_printed_in_its_own_footnote():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "raw" / "source").glob("*.txt"))
    for row in aidstats.load("sources").dropna(subset=["footnote"]).itertuples():
        assert row.citation in _footnote_region(text, row.footnote), row.source_id


def _attached_footnote(paper: str, quote: str) -> int | None:
    """The first footnote mark after ``quote`` in the paper, or None if none follows in its paragraph and after."""
    end = paper.index(quote) + len(quote)
    mark = re.compile(r"\[footnoteRef:(\d+)\]").search(paper, end)
    return int(mark.group(1)) if mark else None


@pytest.mark.skipif(not PAPER.exists(), reason="the paper is not beside the project (../shared/source)")
@pytest.mark.parametrize("name", TABLES_WITH_QUOTES)
def test_every_source_id_is_the_footnote_the_paper_attaches_to_the_sentence(name):
    """A row's source_id is the register row of the footnote mark that follows its quote (issue 13)."""
    paper = PAPER.read_text(encoding="utf-8")
    footnotes = aidstats.load("sources").set_index("source_id")["footnote"]
    for row in aidstats.load(name).itertuples():
        attached = _attached_footnote(paper, row.quote)
        if row.source_id == "weathersby":
            # The author's own statement: no footnote mark closes its paragraph.
            paragraph_end = paper.index("\n", paper.index(row.quote) + len(row.quote))
            assert attached is None or paper.index(f"[footnoteRef:{attached}]", paper.index(row.quote)) > paragraph_end, row
        else:
            assert footnotes[row.source_id] == attached, (name, row.Index, row.source_id, attached)


@pytest.mark.parametrize("name", TABLES_WITH_SOURCES)
def test_every_source_resolves_to_a_location_in_one_join(name):
    register = aidstats.load("sources").set_index("source_id")
    for source_id in aidstats.load(name).source_id.unique():
        full = register.loc[source_id]
        if pd.notna(full.full_citation_id):
            full = register.loc[full.full_citation_id]
            assert pd.isna(full.full_citation_id) or not full.citation.startswith("Ibid"), source_id
        if full.kind == "archival_document":
            assert pd.notna(full.archive), source_id
        else:
            assert full.kind in {"publication", "paper"} and pd.notna(full.title), source_id


def test_register_rows_the_issue_names():
    register = aidstats.load("sources").set_index("source_id")
    # Footnote 29 prints its own full citation, with page 12 of the published translation.
    assert register.loc["fn29", ["footnote", "delo", "listy", "pages", "full_citation_id"]].tolist() == [29, "329", "54-72", "12", "fn27"]
    assert register.loc["fn31", ["citation", "full_citation_id"]].tolist() == ["Ibid.", "fn29"]
    assert register.loc["fn55", "author"] == "Suzdalev"  # as footnote 55 prints it, not "S. P. Suzdalev"
    # Footnote 53 cites three documents: the goods list, then footnote 48's and 49's, repeated.
    assert register.query("footnote == 53").full_citation_id.fillna("").tolist() == ["", "fn48", "fn49"]
    # Footnote 45: the account of the Ministry of Communications and nine reports under "See also".
    assert len(register.query("footnote == 45")) == 1 + 9
    assert register.loc["fn45_2", ["opis", "papka"]].tolist() == ["77", "32"]  # "Opis 77 ... Papka, 32" as printed


def test_key_figures_hold_the_figures_a_historian_reaches_for():
    figures = aidstats.load("key_figures").set_index("figure_id")
    expected = {
        "flour_gift": (50_000, "t"),
        "thanksgiving_rallies": (6_255, "count"),
        "lead_yearly_minimum": (25_000, "t_per_year"),  # a rate: "a yearly minimum of 25,000 tons"
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
    assert (plants.arrangement == "restoration_to_be_requested").sum() == 6
    aoji = plants.set_index("place").loc["Aoji"]
    assert aoji.arrangement == "joint_share_society_to_be_requested" and aoji.source_id == "fn55"
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
    assert "Caveats about these citations:" in result.output and "fn53_damaged: Footnote 53 is damaged" in result.output


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


@pytest.mark.parametrize("name", TABLES_WITH_SOURCES)
def test_a_tables_sources_name_the_paper_first_and_each_document_once(name):
    paths = [source["path"] for source in resource(name)["sources"]]
    assert paths[0] == "sources.csv#weathersby" and len(paths) == len(set(paths))
