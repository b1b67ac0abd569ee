"""Issue 20: where each cited document is published, and what the published versions say beside the paper.

The single-file faults (a figure missing from its evidence, evidence over 25 words, a differs without a
caveat, a malformed or shared URL) are in FAULTS of tests/test_bad_input.py; the faults here span two
files, or concern the committed data itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli, snapshot

import aidstats


@pytest.fixture(scope="module")
def tables():
    return {name: aidstats.load(name) for name in ("sources", "publications", "corroboration", "caveats", "key_figures")}


def test_every_register_row_has_a_publications_row(tables):
    missing = set(tables["sources"]["source_id"]) - set(tables["publications"]["source_id"])
    assert not missing


def test_a_not_found_row_says_where_we_looked_and_has_no_url(tables):
    not_found = tables["publications"][tables["publications"]["status"] == "not_found"]
    assert not_found["url"].isna().all()
    assert not_found["searched"].str.contains("notes/publications/search_log.md Q").all()


def test_no_unauthorised_book_mirror_is_linked(tables):
    urls = tables["publications"]["url"].dropna()
    assert not urls.str.contains("thomasstone|100vampirenovels").any()
    # The printed book is cited instead, by its publisher, without a link.
    book = tables["publications"].set_index("publication_id").loc["fn27_book"]
    assert pd.isna(book["url"]) and "Stanford University Press" in book["publisher"]


def test_the_two_differences_the_drafts_found_are_differs_with_both_wordings(tables):
    corroboration = tables["corroboration"].set_index("corroboration_id")
    deaths = corroboration.loc["pyongyang_bombing_deaths"]
    assert deaths["verdict"] == "differs"
    assert deaths["evidence"].endswith("more than 6,000 peaceful inhabitants were killed and wounded.")
    title = corroboration.loc["fn59_2_title"]
    assert title["verdict"] == "differs" and "of North Korea" in title["value_as_published"]
    caveats = tables["caveats"].set_index("caveat_id")
    assert caveats.at["pyongyang_bombing_killed_and_wounded", "quote"] == "killed more than 6,000 inhabitants"
    assert deaths["evidence"] in caveats.at["pyongyang_bombing_killed_and_wounded", "issue"]
    # The paper's value stays as printed.
    figure = tables["key_figures"].set_index("figure_id").loc["pyongyang_bombing_deaths"]
    assert figure["value_as_printed"] == "6,000" and figure["quote"] == "killed more than 6,000 inhabitants"


def test_evidence_is_at_most_25_words(tables):
    assert tables["corroboration"]["evidence"].dropna().str.split().str.len().max() <= 25


def test_rights_of_the_quotations_are_stated_in_the_descriptor():
    package = json.loads((Path(__file__).parent.parent / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "corroboration")
    assert "publishers' and translators' rights" in resource["description"]
    evidence = next(f for f in resource["schema"]["fields"] if f["name"] == "evidence")
    assert "publishers' and translators' rights" in evidence["description"]


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow  # a whole build of a faulty copy
def test_a_register_row_without_a_publications_row_is_named_in_sources(project_copy):
    before = snapshot(project_copy)
    # fn44 is line 14 of raw/sources.csv; its only publications row is given to fn45 instead.
    _edit(project_copy / "raw" / "publications.csv", "fn44_not_found,fn44,", "fn44_not_found,fn45,")
    result = run_cli("build", "--root", str(project_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "raw/sources.csv:14: column 'source_id': found 'fn44'; expected a register row with at least one row in "
        "raw/publications.csv (a published version, or status not_found with where we looked)"
    ) in result.output
    assert snapshot(project_copy) == before


@pytest.mark.slow  # a whole build of a faulty copy
def test_a_url_given_twice_for_one_register_row_is_refused_but_one_document_may_share_it(project_copy):
    before = snapshot(project_copy)
    # fn29_wcda (line 12) and fn27_wcda (line 9) share the URL of record 111244: the same document through
    # full_citation_id, so that is allowed. Giving fn27_revdem (line 11) the same URL repeats it for fn27 itself.
    _edit(
        project_copy / "raw" / "publications.csv",
        "https://revolutionarydemocracy.org/rdv20n1/zhou.htm,",
        "http://digitalarchive.wilsoncenter.org/document/111244,",
    )
    result = run_cli("build", "--root", str(project_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line.strip() for line in result.output.splitlines() if "raw/publications.csv" in line]
    assert lines == [
        "raw/publications.csv:11: column 'url': found 'http://digitalarchive.wilsoncenter.org/document/111244'; "
        "expected a URL not already given for fn27 on line 9"
    ], result.output
    assert snapshot(project_copy) == before


def test_cite_prints_the_published_translation_of_a_figures_document():
    from aidstats.publish.cite import citation_text

    text = citation_text("key_figures").splitlines()
    # Footnote 14 (pak_dmz_width) is published by the Wilson Center: the line follows the footnote's own.
    at = next(i for i, line in enumerate(text) if line.startswith("  footnote 14: Politburo decision"))
    assert text[at + 1] == (
        "    Published in translation: Wilson Center, History and Public Policy Program Digital Archive, "
        "Soviet Politburo Decision with Approved Message from Gromyko to Razuvaev, "
        "https://digitalarchive.wilsoncenter.org/document/113630.pdf?v=7727c60652d78fa0a6498d2adf13dea0 "
        "(a probable match: see the publications table's notes)"
    )
    # Footnote 27 is confirmed: no 'probable'. The book that quotes it is cited without a link.
    assert (
        "    Published in translation: Wilson Center, History and Public Policy Program Digital Archive, "
        "Minutes of Conversation between I.V. Stalin and Zhou Enlai, http://digitalarchive.wilsoncenter.org/document/111244"
    ) in text
    # A document with none found (footnote 45, railway_damage) gets no such line.
    railway = citation_text("railway_damage")
    assert "footnote 45:" in railway and "Published" not in railway


def test_cite_calls_the_published_version_of_a_cited_publication_a_copy(tables):
    """Footnote 18 cites a publication (Bodnaras's notes as printed in Magazin Istoric), of which the Wilson Center
    publishes a copy: its line says 'Published copy', not 'Published in translation'. Its row gives no title."""
    from aidstats.publish.cite import citation_text

    assert tables["sources"].set_index("source_id").loc["fn18", "kind"] == "publication"
    (row,) = tables["publications"][tables["publications"]["source_id"] == "fn18"].itertuples()
    assert row.status == "confirmed" and pd.isna(row.title)
    text = citation_text("key_figures").splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith("  footnote 18: "))
    assert text[at + 1] == f"    Published copy: {row.publisher}, {row.url}"


def test_cite_of_a_package_without_the_publications_table_prints_no_published_version(monkeypatch):
    """A package written before 0.5.0 has no publications table: its citation lists the documents alone."""
    import aidstats.publish.cite as cite

    monkeypatch.setattr(cite, "list_tables", lambda: [name for name in aidstats.list_tables() if name != "publications"])
    text = cite.citation_text("key_figures")
    assert "  footnote 14: Politburo decision" in text and "  footnote 18: " in text
    assert "Published" not in text


def test_the_counts_in_the_readme_and_changelog_are_the_datas(tables):
    from aidstats.publish.readme import publication_counts, verdict_counts

    root = Path(__file__).parent.parent
    # Worked out by hand from raw/corroboration.csv and raw/publications.csv.
    assert verdict_counts() == "verdicts: agrees 11, differs 2, absent 0, not_seen 28"
    assert publication_counts() == "register rows by their best published version: confirmed 8, probable 8, not_found 23"
    readme = (root / "README.md").read_text(encoding="utf-8")
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    # The newest release's entry: an "Unreleased" section above it, if any, holds changes not yet released.
    newest = next(part for part in changelog.split("\n## ")[1:] if not part.startswith("Unreleased"))
    assert newest.startswith(aidstats.__version__ if hasattr(aidstats, "__version__") else "0.5.0")
    for text in (readme, newest):
        assert verdict_counts() in text and publication_counts() in text
