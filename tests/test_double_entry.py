"""Double entry: the published tables against an independent second transcription."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import aidstats

SECOND = Path(__file__).resolve().parent / "second_entry"


def second(name: str) -> pd.DataFrame:
    return pd.read_csv(SECOND / f"{name}.csv", dtype=str, keep_default_na=False)


def test_railway_damage_matches_the_second_transcription():
    ours = aidstats.load("railway_damage")
    theirs = second("railway_damage")
    assert ours.asset.tolist() == theirs.asset.tolist()
    assert ours.lost_as_printed.tolist() == theirs.lost_as_printed.tolist()
    assert ours.prewar_total_as_printed.tolist() == theirs.prewar_as_printed.tolist()
    assert ours.unit.astype(str).tolist() == theirs.unit.tolist()


def test_mineral_exports_match_the_second_transcription():
    ours = aidstats.load("mineral_exports")
    theirs = second("mineral_exports")
    assert ours.commodity.tolist() == theirs.commodity.tolist()
    assert ours.delivered_as_printed.tolist() == theirs.delivered_as_printed.tolist()
    assert ours.percent_of_plan_as_printed.tolist() == theirs.percent_as_printed.tolist()


@pytest.mark.parametrize("column", ["seq", "donor", "commodity", "quantity_as_printed", "quantity", "unit"])
def test_aid_deliveries_match_the_second_transcription(column):
    ours = aidstats.load("aid_deliveries").astype({"seq": str, "quantity": str})
    theirs = second("aid_deliveries").replace({"unit": {"unit_penicillin": "penicillin_unit"}})
    assert ours[column].tolist() == theirs[column].tolist()


# key_figures: the second transcriber read the whole body of the paper for every figure, without
# seeing raw/. key_figures_match.csv is the reconciliation: each of their rows is either one of our
# figures or says why it is not a row (a restatement, a name, the period of a core table).
# Where they wrote a whole phrase as the value, its number is the one their note gives.
THEIR_PHRASES = {"another year and a half": 1.5, "another year": 1, "past year": 1}
# Their units name what is counted; ours count such things in the unit "count".
THEIR_COUNTS = {"rally", "country", "plant", "enterprise", "division"}


def _their_number(printed: str) -> float | None:
    from aidstats.text.printed import parse_printed

    if not printed:
        return None
    return THEIR_PHRASES[printed] if printed in THEIR_PHRASES else float(parse_printed(printed)[0])


@pytest.fixture(scope="module")
def key_figure_pairs() -> pd.DataFrame:
    theirs = second("key_figures")
    match = second("key_figures_match")
    assert match.n.tolist() == theirs.n.tolist(), "the reconciliation lists every row of the second transcription, in order"
    assert ((match.figure_id == "") != (match.why_not_a_row == "")).all(), "each row is matched or says why not, never both"
    ours = aidstats.load("key_figures").set_index("figure_id")
    matched = match[match.figure_id != ""]
    assert matched.figure_id.is_unique
    assert sorted(matched.figure_id) == sorted(ours.index), "every published figure was found by the second transcriber"
    return theirs.merge(matched, on="n").merge(ours, how="left", left_on="figure_id", right_index=True, suffixes=("", "_ours"))


def test_key_figures_values_match_the_second_transcription(key_figure_pairs):
    for row in key_figure_pairs.itertuples():
        assert row.value == _their_number(row.value_as_printed), row.figure_id
        high = _their_number(row.value_high_as_printed)
        assert (pd.isna(row.value_high) and high is None) or row.value_high == high, row.figure_id
        assert row.value_as_printed_ours in row.value_as_printed, row.figure_id


# Where the two readings name different units, and why: the second reader kept "a yearly minimum of 25,000
# tons" in tonnes with the rate in the qualifier; the table's unit says the rate (t_per_year), so that it is
# never added to tonnes. A new disagreement fails the test.
KNOWN_UNIT_DISAGREEMENTS = {"lead_yearly_minimum": ("t", "t_per_year")}


def test_key_figures_units_match_the_second_transcription(key_figure_pairs):
    theirs = key_figure_pairs.unit.where(~key_figure_pairs.unit.isin(THEIR_COUNTS), "count")
    for figure_id, (their_unit, our_unit) in KNOWN_UNIT_DISAGREEMENTS.items():
        assert theirs[key_figure_pairs.figure_id == figure_id].tolist() == [their_unit], figure_id
        theirs = theirs.where(key_figure_pairs.figure_id != figure_id, our_unit)
    assert dict(zip(key_figure_pairs.figure_id, key_figure_pairs.unit_ours, strict=True)) == dict(
        zip(key_figure_pairs.figure_id, theirs, strict=True)
    )


def test_key_figures_quotes_point_to_the_same_place_in_the_paper(key_figure_pairs):
    from conftest import PAPER

    if not PAPER.is_file():
        pytest.skip(f"the paper is not beside the project ({PAPER})")
    paper = PAPER.read_text(encoding="utf-8")
    for row in key_figure_pairs.itertuples():
        theirs, ours = paper.find(row.quote), paper.find(row.quote_ours)
        assert theirs >= 0 and ours >= 0, row.figure_id
        # The two quotes may be cut differently, but they must share characters of one passage.
        assert theirs < ours + len(row.quote_ours) and ours < theirs + len(row.quote), row.figure_id


# Where the two readings name different footnotes, and why: Stalin's block quotation is cited by
# footnote 18 after the quotation ends, in the next paragraph, where the second reader's rule
# ("a footnote in the same paragraph") did not look. A new disagreement fails the test.
KNOWN_FOOTNOTE_DISAGREEMENTS = {
    "stalin_us_tied_down_years": ("", "fn18"),
    "stalin_armies_within_years": ("", "fn18"),
    "stalin_combat_ready_period": ("", "fn18"),
    "stalin_years_to_use_skilfully": ("", "fn18"),
    "stalin_years_at_disposal_for_military_force": ("", "fn18"),
}


def test_key_figures_footnotes_match_the_second_transcription_or_are_known(key_figure_pairs):
    ours = key_figure_pairs.source_id.str.removeprefix("fn").where(key_figure_pairs.source_id.str.startswith("fn"), "")
    differ = key_figure_pairs[ours != key_figure_pairs.footnote]
    assert dict(zip(differ.figure_id, zip(differ.footnote, differ.source_id, strict=True), strict=True)) == KNOWN_FOOTNOTE_DISAGREEMENTS


# The source register: a second transcriber, who saw only the paper, wrote one row per document of each
# footnote a table cites (tests/second_entry/sources.csv). Every field they share is compared whole.
REGISTER_COLUMNS = ["footnote", "kind", "citation", "archive", "fond", "opis", "delo", "por", "papka", "listy"]
REGISTER_COLUMNS += ["pages", "title", "author", "date", "full_citation_id"]


def test_the_source_register_matches_the_second_transcription():
    ours = aidstats.load("sources").query("kind != 'paper'").set_index("source_id")
    theirs = second("sources").set_index("source_id")
    assert sorted(ours.index) == sorted(theirs.index)
    ours = ours.loc[theirs.index, REGISTER_COLUMNS].astype("string").fillna("")
    assert ours.to_dict("index") == theirs[REGISTER_COLUMNS].to_dict("index")


# publications: a second, independent search (tests/second_entry/publications_second_search.csv) for the
# documents of eight footnotes, by a helper who had not seen raw/publications.csv. Its `found` is yes,
# probable or no; ours is the status confirmed, probable or not_found.
THEIR_FOUND = {"yes": "confirmed", "probable": "probable", "no": "not_found"}
# (source_id, their URL): why the second search's row has no row of ours with that URL and status.
KNOWN_PUBLICATION_DIFFERENCES = {
    # The same Digital Archive record, 111244, under its other address: we give the permalink the record's own
    # citation prints (read in the stored PDF export); the second search gives the page address it was returned at.
    # Our notes for fn27_wcda name that address too.
    ("fn27", "https://digitalarchive.wilsoncenter.org/document/minutes-conversation-between-iv-stalin-and-zhou-enlai-0"): "same record",
    ("fn29", "https://digitalarchive.wilsoncenter.org/document/minutes-conversation-between-iv-stalin-and-zhou-enlai-0"): "same record",
    # Found only by the second search: third-party uploads of the CWIHP Bulletin 6/7 section "Stalin's Conversations",
    # the publication footnotes 27 and 29 themselves cite. Neither search saw its source line for the record of
    # 20 August 1952 or its pages 10-14, and these copies are not yet in raw/publications.csv (left for a later release).
    (
        "fn27",
        "https://cupdf.com/document/stalin-s-conversations-wilson-center-the-center-for-korean-research-columbia.html",
    ): "second search only",
    ("fn29", "https://documents.pub/document/acf1a4.html"): "second search only",
}


def test_the_second_search_finds_the_same_publications_or_the_difference_is_known():
    ours = aidstats.load("publications")
    theirs = second("publications_second_search")
    assert len(set(theirs["source_id"])) >= 5  # at least five register documents
    differences = set()
    for row in theirs.itertuples():
        mine = ours[ours["source_id"] == row.source_id]
        assert len(mine), f"{row.source_id} has no publications row"
        if row.found == "no":
            assert mine["status"].tolist() == ["not_found"], row.source_id
            continue
        same = mine[(mine["url"] == row.url) & (mine["status"] == THEIR_FOUND[row.found])]
        if same.empty:
            differences.add((row.source_id, row.url))
    assert differences == set(KNOWN_PUBLICATION_DIFFERENCES)


def test_every_publication_we_found_for_the_second_searchs_footnotes_was_found_by_it_or_is_explained():
    """The other direction: a row of ours the second search did not find must be one of these, with why."""
    ours = aidstats.load("publications")
    theirs = second("publications_second_search")
    ours = ours[ours["source_id"].isin(set(theirs["source_id"])) & ours["url"].notna()]
    unmatched = {(row.source_id, row.url) for row in ours.itertuples() if row.url not in set(theirs["url"])}
    assert unmatched == {
        # The permalink of record 111244: the second search read it in the same PDF export but recorded the page address.
        ("fn27", "http://digitalarchive.wilsoncenter.org/document/111244"),
        ("fn29", "http://digitalarchive.wilsoncenter.org/document/111244"),
    }
