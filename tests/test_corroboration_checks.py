"""The corroboration and publication checks of issue 20 on the tables as loaded, one change at a time: no build, so fast.

``tests/test_bad_input.py`` runs the same checks end to end (a whole build of a faulty raw/ file each,
marked slow); here each check is held to the row it names, the column, the value found and what was
expected, including the rows the build tests never reach: a register row's citation, a quote that is
missing, a published value with no evidence, a publication of another document, an Ibid. chain, a
register row with no publication and a URL given twice.
"""

from __future__ import annotations

import pandas as pd
import pytest

import aidstats
from aidstats.build.crosscheck import _document, corroboration_problems, publication_problems
from aidstats.errors import InputProblem

SHOWN_AS = "raw/corroboration.csv"


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    """Every table of the bundled package, each the caller's own copy."""
    return {name: aidstats.load(name) for name in aidstats.list_tables()}


def _line(frames, corroboration_id: str) -> int:
    """The index (the build's line number; here the loaded row's position) of a corroboration row."""
    corroboration = frames["corroboration"]
    return int(corroboration.index[corroboration["corroboration_id"] == corroboration_id][0])


def _problem(frames, corroboration_id: str, column: str, found: str, expected: str) -> InputProblem:
    """The problem the checks report for a corroboration row, named by its id."""
    return InputProblem(SHOWN_AS, _line(frames, corroboration_id), column, found, expected)


def _set(frames, table: str, key: str, value: str, column: str, new) -> None:
    frame = frames[table]
    frame.loc[frame[key] == value, column] = new


def test_the_published_package_passes_every_corroboration_and_publication_check(frames):
    assert corroboration_problems(frames) == []
    assert publication_problems(frames) == []


def test_a_register_rows_figure_is_looked_for_in_its_citation(frames):
    # fn18_reference compares the paper's citation of footnote 18 with the published one.
    _set(frames, "corroboration", "corroboration_id", "fn18_reference", "value_in_paper", "Magazin Istoric [Cluj]")
    citation = frames["sources"].set_index("source_id").loc["fn18", "citation"]
    assert corroboration_problems(frames) == [
        _problem(
            frames,
            "fn18_reference",
            "value_in_paper",
            "'Magazin Istoric [Cluj]'",
            f"text that occurs in the citation of source_id=fn18 in sources {citation!r}, not as part of a longer number or word",
        )
    ]


def test_a_row_without_a_quote_cannot_hold_the_papers_figure(frames):
    _set(frames, "key_figures", "figure_id", "pak_dmz_width", "quote", pd.NA)
    (problem,) = corroboration_problems(frames)
    assert (problem.line, problem.column, problem.found) == (_line(frames, "pak_dmz_width"), "value_in_paper", "'two'")
    assert problem.expected == "text that occurs in the quote of figure_id=pak_dmz_width in key_figures, which is empty"


def test_a_published_value_needs_evidence_that_holds_it(frames):
    line = _line(frames, "pak_dmz_width")
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "value_as_published", "three")
    (problem,) = corroboration_problems(frames)
    assert (problem.line, problem.column, problem.found) == (line, "value_as_published", "'three'")
    assert problem.expected.startswith("text that occurs in this row's evidence 'the withdrawal of troops")
    # With no evidence at all, the published value cannot be shown either.
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "value_as_published", "two")
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "evidence", pd.NA)
    assert corroboration_problems(frames) == [
        _problem(frames, "pak_dmz_width", "value_as_published", "'two'", "text that occurs in this row's evidence, which is empty")
    ]


def test_the_publication_must_be_of_the_document_compared(frames):
    # pak_dmz_width compares footnote 14's document; fn18_wcda publishes footnote 18's.
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "publication_id", "fn18_wcda")
    assert corroboration_problems(frames) == [
        _problem(
            frames,
            "pak_dmz_width",
            "publication_id",
            "'fn18_wcda'",
            "a published version of fn14's document; fn18_wcda is one of fn18's",
        )
    ]


def test_a_publication_of_the_document_an_ibid_repeats_is_of_the_same_document(frames):
    # fn31 -> fn29 -> fn27: an 'Ibid.' of an 'Ibid.'; a publication filed under fn27 or fn29 publishes fn31's document.
    assert _document(frames["sources"].set_index("source_id"), "fn31") == "fn27"
    row = frames["corroboration"]["source_id"] == "fn21"
    assert row.any()
    _set(frames, "sources", "source_id", "fn21", "full_citation_id", "fn29")  # make fn21 an Ibid. of fn29 (so of fn27)
    frames["corroboration"].loc[row, "publication_id"] = "fn27_book"
    assert [p for p in corroboration_problems(frames) if p.column == "publication_id"] == []
    frames["corroboration"].loc[row, "publication_id"] = "fn18_wcda"
    assert {p.found for p in corroboration_problems(frames) if p.column == "publication_id"} == {"'fn18_wcda'"}


def test_an_ibid_chain_that_loops_back_ends():
    # A register should not hold a loop (fn1 -> fn2 -> fn3 -> fn2), but following one must not hang the build.
    register = pd.DataFrame({"full_citation_id": ["fn2", "fn3", "fn2"]}, index=["fn1", "fn2", "fn3"])
    assert _document(register, "fn1") == "fn3"
    assert _document(register, "fn4") == "fn4"  # not in the register: itself


def test_a_row_key_value_may_itself_hold_an_equals_sign(frames):
    # row_key is column=value, split at the first "=": a figure_id holding "=" still names its row.
    _set(frames, "key_figures", "figure_id", "pak_dmz_width", "figure_id", "pak=dmz")
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "row_key", "figure_id=pak=dmz")
    assert corroboration_problems(frames) == []
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "row_key", "figure_id=pak=dm")
    assert corroboration_problems(frames) == [
        _problem(frames, "pak_dmz_width", "row_key", "'figure_id=pak=dm'", "column=value naming a row of key_figures")
    ]


def test_the_source_must_be_the_one_the_row_compared_cites(frames):
    # Key figure pyongyang_bombing_deaths cites footnote 21; its corroboration row says fn27.
    row = frames["corroboration"]["row_key"] == "figure_id=pyongyang_bombing_deaths"
    frames["corroboration"].loc[row, "source_id"] = "fn27"
    line = int(frames["corroboration"].index[row][0])
    problems = [p for p in corroboration_problems(frames) if p.column == "source_id"]
    assert problems == [
        InputProblem(SHOWN_AS, line, "source_id", "'fn27'", "fn21, the source of figure_id=pyongyang_bombing_deaths in key_figures")
    ]


def test_a_differing_published_value_needs_a_caveat_quoting_the_evidence(frames):
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "verdict", "differs")
    assert corroboration_problems(frames) == [
        _problem(
            frames,
            "pak_dmz_width",
            "verdict",
            "differs",
            "a caveat in raw/caveats.csv on key_figures figure_id=pak_dmz_width (or on corroboration corroboration_id=pak_dmz_width) "
            "whose issue quotes this row's evidence",
        )
    ]


def test_every_row_naming_no_row_is_reported_a_table_that_does_not_exist_included(frames):
    corroboration = frames["corroboration"]
    corroboration["table"] = corroboration["table"].astype("string")  # a name the category does not hold
    _set(frames, "corroboration", "corroboration_id", "pak_dmz_width", "table", "railways")
    _set(frames, "corroboration", "corroboration_id", "fn18_reference", "row_key", "source_id=fn18x")
    assert corroboration_problems(frames) == [
        _problem(frames, "fn18_reference", "row_key", "'source_id=fn18x'", "column=value naming a row of sources"),
        _problem(frames, "pak_dmz_width", "row_key", "'figure_id=pak_dmz_width'", "column=value naming a row of railways"),
    ]


# --- the publications register -----------------------------------------------------------------

NO_PUBLICATION = (
    "a register row with at least one row in raw/publications.csv (a published version, or status not_found with where we looked)"
)


def test_a_register_row_without_a_publications_row_is_named(frames):
    publications = frames["publications"]
    frames["publications"] = publications[publications["source_id"] != "fn18"]
    sources = frames["sources"]
    line = int(sources.index[sources["source_id"] == "fn18"][0])
    assert publication_problems(frames) == [InputProblem("raw/sources.csv", line, "source_id", "'fn18'", NO_PUBLICATION)]


def test_a_url_of_another_document_is_refused_after_the_urls_an_ibid_chain_shares(frames):
    # fn27, fn29 and fn31 (an Ibid. chain) share one URL: allowed. A later row giving fn14's URL to another document is not.
    publications = frames["publications"]
    with_url = publications[publications["url"].notna()]
    fn14_line, fn14_url = int(with_url.index[0]), with_url["url"].iloc[0]
    assert with_url["source_id"].iloc[0] == "fn14"
    last = int(with_url.index[-1])
    other = publications.at[last, "source_id"]
    assert last > int(with_url.index[with_url["source_id"] == "fn31"][0]) and other != "fn14"
    publications.loc[last, "url"] = fn14_url
    assert publication_problems(frames) == [
        InputProblem(
            "raw/publications.csv",
            last,
            "url",
            f"'{fn14_url}'",
            f"a URL of {other}'s own document; line {fn14_line} gives it for fn14, a different document",
        )
    ]


def test_a_url_given_twice_for_one_register_row_is_refused(frames):
    publications = frames["publications"]
    copy = publications.iloc[[1]].assign(publication_id="fn14_wcda_again")
    copy.index = [len(publications)]
    frames["publications"] = pd.concat([publications, copy])
    assert publication_problems(frames) == [
        InputProblem(
            "raw/publications.csv",
            len(publications),
            "url",
            f"'{publications.at[1, 'url']}'",
            "a URL not already given for fn14 on line 1",
        )
    ]
