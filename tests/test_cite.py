"""`aidstats cite`: the citation a historian copies must say what the paper prints.

The expected citations, titles, authors, dates and archival locations below are
read off the footnotes as printed in the paper (each is also checked to occur
in the paper's text), not copied from the program's output.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import PAPER, ROOT

import aidstats
import aidstats.publish.cite
from aidstats.publish.cite import citation_bibtex, citation_text, location

# The paper lies beside the project (../shared/source), as in CI; elsewhere its own check is skipped.
PAPER_TEXT = PAPER.read_text(encoding="utf-8") if PAPER.is_file() else None
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))

# The paper, as the README and CITATION.cff name it.
PAPER_REF = (
    'Kathryn Weathersby, "North Korea and the Armistice Negotiations," Transactions of the Royal Asiatic Society Korea Branch, vol. 90'
)
PACKAGE_CITATION = f"aidstats contributors. {CFF['title']}. Data package, version {CFF['version']}. Transcribed from {PAPER_REF}."

# Footnote 45's first document, up to the ". See also" that begins its nine further reports.
FN45 = (
    "“Account of the Work of the DPRK Ministry of Communications for the First Half of 1951,” by S. Lazarev, "
    "First Secretary of the Embassy of the USSR in the DPRK, 7 September 1951, AVPRF, Fond 0102, Opis 7, Por 54, "
    "Papka 30, Listy 45-54"
)
# Footnote 48, whole.
FN48 = (
    "“On the Fulfillment of the Export-Import Plan of the DPRK for 1951, as of 1 September 1951,” by B. Akimov, "
    "Third Secretary of the Embassy of the USSR in the DPRK, APRF, Fond 0102, Opis 7, Delo 54, Papka 30, Listy 77-92."
)

PACKAGE_ENTRY = (
    # A BibTeX key may not hold dots: version 0.1.0 becomes aidstats_0_1_0.
    f"@misc{{aidstats_{CFF['version'].replace('.', '_')},\n"
    "  author = {{aidstats contributors}},\n"  # double braces: a body, not a person's first and last name
    f"  title = {{{CFF['title']}}},\n"
    f"  year = {{{CFF['date-released'][:4]}}},\n"
    f"  version = {{{CFF['version']}}},\n"
    f"  note = {{Data package transcribed from {PAPER_REF}}}\n"
    "}"
)
PAPER_ENTRY = (
    "@article{weathersby_armistice,\n"
    "  author = {Weathersby, Kathryn},\n"
    "  title = {North Korea and the Armistice Negotiations},\n"
    "  journal = {Transactions of the Royal Asiatic Society Korea Branch},\n"
    "  volume = {90}\n"
    "}"
)


def test_the_footnotes_quoted_here_are_printed_in_the_paper():
    if PAPER_TEXT is None:
        pytest.skip(f"the paper is not beside the project ({PAPER})")
    assert f"[45:  {FN45}" in PAPER_TEXT
    assert f"[48:  {FN48}" in PAPER_TEXT


def _source(source_id: str):
    return next(aidstats.load("sources").query("source_id == @source_id").itertuples())


@pytest.mark.parametrize(
    ("source_id", "expected"),
    [
        # Footnote 45 prints "Por 54"; the label is written "Por." as footnotes 45 (in its
        # "See also" list), 49 and 54 print it.
        ("fn45", "AVPRF, Fond 0102, Opis 7, Por. 54, Papka 30, Listy 45-54"),
        ("fn48", "APRF, Fond 0102, Opis 7, Delo 54, Papka 30, Listy 77-92"),
        # Footnote 19: the first (APRF) location, the delo as printed, uncertain digit and all.
        ("fn19", "APRF, Fond 3, Opis 65, Delo 828[9], Listy 42-43"),
        ("fn54", "AVPRF, Fond 0102, Opis 9, Por. 4, Papka 44, Listy 55-70"),
        # Footnote 53 breaks off after "Opis 7,": nothing more can be located.
        ("fn53", "AVPRF, Fond 0102, Opis 7"),
        # Footnote 55: "APRF, No. 24, I." names the archive and no fond, opis, delo or listy.
        ("fn55", "APRF"),
        # Footnote 46 is a journal article: there is no archive to name.
        ("fn46", ""),
    ],
)
def test_location_names_archive_and_folders_in_order(source_id, expected):
    assert location(_source(source_id)) == expected


def test_the_package_citation_names_the_release_and_the_paper():
    assert citation_text() == PACKAGE_CITATION


def test_a_table_citation_lists_its_documents_and_their_caveats():
    lines = citation_text("railway_damage").splitlines()
    assert lines[:4] == [
        PACKAGE_CITATION,
        "",
        "Table railway_damage rests on these documents, as cited in the paper:",
        f"  footnote 45: {FN45}",
    ]
    assert lines[4:6] == ["", "Caveats about these citations:"]
    # Every caveat the package records about footnote 45's citation, in the caveats table's order.
    caveats = aidstats.load("caveats")
    names_fn45 = caveats["row_key"].fillna("").str.split(";").map(lambda keys: "source_id=fn45" in keys)
    about_fn45 = caveats[(caveats["table"] == "sources") & names_fn45]
    assert lines[6:] == [f"  {row.caveat_id}: {row.issue}" for row in about_fn45.itertuples()]
    assert [line.split(":")[0].strip() for line in lines[6:]] == ["delo_or_por", "fn45_see_also"]
    # Among them the one a reader must see: footnote 45 says "Por 54" where footnote 48 says "Delo 54".
    assert any("'Por 54'" in line and "'Delo 54'" in line for line in lines[6:])


def test_a_table_citation_lists_every_document_in_footnote_order_and_only_their_caveats():
    text = citation_text("key_figures")
    footnotes = [int(line.split()[1].rstrip(":")) for line in text.splitlines() if line.startswith("  footnote ")]
    # key_figures takes figures from the body of the paper documented by these footnotes: 29 cites
    # footnote 27's record again in full, 31, 33 and 34 are "Ibid.", as are 50, 51 and 52 after 49 and 56 after 55.
    assert footnotes == [14, 18, 19, 21, 27, 29, 31, 33, 34, 44, 45, 46, 49, 50, 51, 52, 54, 55, 56, 58, 59]
    # An "Ibid." line names the footnote it stands for and that footnote's archival location.
    assert "  footnote 31 (Ibid.: footnote 29, APRF, Fond 45, Opis 1, Delo 329, Listy 54-72)" in text
    assert "  footnote 50 (Ibid. pp. 4-5: footnote 49, AVPRF, Fond 0102, Opis 10, Por. 22, Papka 53, Listy 1-39)" in text
    caveated = {line.split(":")[0].strip() for line in text.split("Caveats about these citations:\n")[1].splitlines()}
    # Caveats are printed for cited documents only: those on footnote 19's uncertain "Delo 828[9]",
    # footnote 45's "Por 54" and footnote 55's folio-less "APRF, No. 24, I." appear; those on
    # footnotes 48 and 53 only (the APRF misprint, the damaged footnote), which key_figures does not cite, do not.
    assert {"fn19_delo", "delo_or_por", "fn55_no_folio"} <= caveated
    assert not caveated & {"fn48_archive_aprf", "fn53_damaged", "fn53_not_closed"}
    assert "footnote <NA>" not in text


def test_a_table_with_no_document_says_so_rather_than_listing_nothing():
    """donors is a code list: the paper is its only source."""
    lines = citation_text("donors").splitlines()
    assert lines == [PACKAGE_CITATION, "", "Table donors cites no document besides the paper."]


def test_bibtex_of_the_package_is_the_package_and_the_paper():
    assert citation_bibtex() == f"{PACKAGE_ENTRY}\n\n{PAPER_ENTRY}"


def test_bibtex_of_a_table_adds_an_entry_per_document():
    fn45 = (
        "@misc{fn45,\n"
        "  title = {Account of the Work of the DPRK Ministry of Communications for the First Half of 1951},\n"
        "  author = {Lazarev, S.},\n"  # a name BibTeX reads as family, given; the position goes to the note
        "  howpublished = {AVPRF, Fond 0102, Opis 7, Por. 54, Papka 30, Listy 45-54},\n"
        "  date = {1951-09-07},\n"  # "7 September 1951"
        "  note = {S. Lazarev: First Secretary of the Embassy of the USSR in the DPRK. "
        f"Cited in footnote 45 of {PAPER_REF}: {FN45}}}\n"
        "}"
    )
    assert citation_bibtex("railway_damage") == f"{PACKAGE_ENTRY}\n\n{PAPER_ENTRY}\n\n{fn45}"


def test_bibtex_leaves_out_what_the_footnote_does_not_print():
    """Footnote 48 prints no date of its own (1 September 1951 is part of the title)."""
    fn48 = (
        "@misc{fn48,\n"
        "  title = {On the Fulfillment of the Export-Import Plan of the DPRK for 1951, as of 1 September 1951},\n"
        "  author = {Akimov, B.},\n"  # footnote 48's "B. Akimov, Third Secretary …" (issue 11)
        "  howpublished = {APRF, Fond 0102, Opis 7, Delo 54, Papka 30, Listy 77-92},\n"
        "  note = {B. Akimov: Third Secretary of the Embassy of the USSR in the DPRK. "
        f"Cited in footnote 48 of {PAPER_REF}: {FN48}}}\n"
        "}"
    )
    assert citation_bibtex("mineral_exports").endswith(f"\n\n{fn48}")


def test_bibtex_of_a_publication_has_no_archive():
    """Footnote 46: Kathryn Weathersby, "To Attack or Not to Attack? ...", CWIHP Bulletin 5 (Spring 1995): 9."""
    entries = citation_bibtex("key_figures").split("\n\n")
    fn46 = next(entry for entry in entries if entry.startswith("@misc{fn46,"))
    fields = fn46.splitlines()[1:-1]
    assert [line.split(" = ")[0].strip() for line in fields] == ["title", "author", "date", "note"]
    assert "  title = {To Attack or Not to Attack? Stalin, Kim Il Sung and the Prelude to War}," in fields
    assert "  date = {1995}," in fields
    # No position is printed for her, so the note starts with where the paper cites the article.
    assert fields[-1].startswith(f"  note = {{Cited in footnote 46 of {PAPER_REF}:")


def test_bibtex_prints_special_characters_in_the_data_as_text(monkeypatch):
    """LaTeX typesets BibTeX fields: a brace, &, %, $, #, _, ~, ^ or \\ in a title must
    print as itself, and braces must stay balanced (BibTeX counts even an escaped one)."""
    real_load = aidstats.publish.cite.load_rows

    def load(name, *args, **kwargs):
        frame = real_load(name, *args, **kwargs)
        if name == "sources":
            frame.loc[frame.source_id == "fn45", "title"] = "Report {draft & 50% $5 #3 a_b ~ x^2 \\ end"
        return frame

    monkeypatch.setattr(aidstats.publish.cite, "load_rows", load)
    entry = citation_bibtex("railway_damage").split("\n\n")[-1]
    title = entry.splitlines()[1]
    assert title == (
        r"  title = {Report \textbraceleft{}draft \& 50\% \$5 \#3 a\_b \textasciitilde{} x\textasciicircum{}2 \textbackslash{} end},"
    )
    assert title.count("{") == title.count("}")


def test_an_unknown_table_is_refused_naming_the_valid_ones():
    for cite in (citation_text, citation_bibtex):
        with pytest.raises(KeyError, match=r"no table named 'railways'.*railway_damage"):
            cite("railways")


# The footnote(s) documenting each table's figures; code lists rest on the paper alone.
DOCUMENTS = {
    "railway_damage": ["fn45"],
    "mineral_exports": ["fn48"],
    "aid_deliveries": ["fn53"],
    "reconstruction_enterprises": ["fn55"],
    "donors": [],
    "units": [],
    "sitc_divisions": [],
    "commodity_classes": [],
    "caveats": [],
}


@pytest.mark.parametrize(("name", "documents"), DOCUMENTS.items())
def test_each_table_cites_the_documents_of_its_footnotes(name, documents):
    entries = citation_bibtex(name).split("\n\n")
    assert entries[:2] == [PACKAGE_ENTRY, PAPER_ENTRY]
    assert [entry.splitlines()[0] for entry in entries[2:]] == [f"@misc{{{d}," for d in documents]
    listed = [line.split(":")[0].strip() for line in citation_text(name).splitlines() if line.startswith("  footnote ")]
    assert listed == [f"footnote {d.removeprefix('fn')}" for d in documents]


def test_bibtex_gives_one_entry_per_document_however_often_it_is_cited():
    """Footnotes 27, 29 and the "Ibid."s 31, 33, 34 cite one record of conversation; 49, 50, 51, 52 one report."""
    entries = citation_bibtex("key_figures").split("\n\n")
    keys = [entry.split("{", 1)[1].split(",", 1)[0] for entry in entries]
    assert "fn29" not in keys and "fn31" not in keys and "fn50" not in keys
    fn27 = next(entry for entry in entries if entry.startswith("@misc{fn27,"))
    assert f"Cited in footnotes 27, 29, 31, 33, 34 of {PAPER_REF}:" in fn27
    fn49 = next(entry for entry in entries if entry.startswith("@misc{fn49,"))
    assert "  author = {Petrov, P. M.}," in fn49 and "Cited in footnotes 49, 50, 51, 52 of" in fn49


@pytest.mark.parametrize(
    ("printed", "bibtex"),
    [
        ("B. Akimov", "Akimov, B."),
        ("P. M. Petrov", "Petrov, P. M."),
        ("Erik van Ree", "van Ree, Erik"),  # the particle stays with the family name
        ("Kim Il Sung", "Kim, Il Sung"),  # Korean: family name first
        ("Shen Zhihua and Yafeng Xia", "Shen, Zhihua and Xia, Yafeng"),  # the first Chinese, family name first
        ("Suzdalev", "Suzdalev"),  # footnote 55 prints the surname only
    ],
)
def test_bibtex_names_are_family_then_given(printed, bibtex):
    assert aidstats.publish.cite.bibtex_names(printed) == bibtex


def test_footnotes_are_named_in_the_singular_or_the_plural():
    assert aidstats.publish.cite.footnotes_phrase([46]) == "footnote 46"
    assert aidstats.publish.cite.footnotes_phrase([48, 53]) == "footnotes 48, 53"


@pytest.mark.parametrize(
    ("printed", "bibtex"),
    [
        ("van Ree", "van Ree"),  # a particle with no given name before it stays in the family name
        ("Jan Willem van der Berg", "van der Berg, Jan Willem"),  # every particle, however many
    ],
)
def test_bibtex_names_keep_particles_with_the_family_name(printed, bibtex):
    assert aidstats.publish.cite.bibtex_names(printed) == bibtex


def _register(*rows):
    columns = ["source_id", "kind", "footnote", "citation", "archive", "fond", "opis", "delo", "por", "papka", "listy"]
    columns += ["full_citation_id"]
    return pd.DataFrame([dict.fromkeys(columns, None) | row for row in rows], columns=columns)


def test_source_line_names_the_paper_and_an_ibid_of_a_publication():
    register = aidstats.load("sources")
    assert aidstats.publish.cite.source_line(register, "weathersby") == f"the paper: {PAPER_REF}"
    # A repeat that prints its own full citation says which earlier footnote it repeats.
    assert aidstats.publish.cite.source_line(register, "fn53_2") == (
        f"footnote 53: {FN48.removesuffix('.')} (the document of footnote 48, APRF, Fond 0102, Opis 7, Delo 54, Papka 30, Listy 77-92)"
    )
    # An "Ibid." of a publication, which has no archival location, names the publication's citation.
    made_up = _register(
        {"source_id": "fn46", "kind": "publication", "footnote": 46, "citation": "K. W., “To Attack,” Bulletin 5: 9."},
        {"source_id": "fn47", "kind": "publication", "footnote": 47, "citation": "Ibid. p. 10.", "full_citation_id": "fn46"},
    )
    assert (
        aidstats.publish.cite.source_line(made_up, "fn47") == "footnote 47 (Ibid. p. 10: footnote 46, K. W., “To Attack,” Bulletin 5: 9.)"
    )
    # Only the closing full stop and spaces are taken off an "Ibid." before the colon: a Roman numeral stays.
    roman = _register(
        {"source_id": "fn46", "kind": "publication", "footnote": 46, "citation": "K. W., “To Attack,” Bulletin 5: 9."},
        {"source_id": "fn47", "kind": "publication", "footnote": 47, "citation": "Ibid., vol. XX. ", "full_citation_id": "fn46"},
    )
    assert (
        aidstats.publish.cite.source_line(roman, "fn47") == "footnote 47 (Ibid., vol. XX: footnote 46, K. W., “To Attack,” Bulletin 5: 9.)"
    )


def test_source_lines_gives_each_sources_line_by_id():
    # The build, the site and `aidstats cite` title many sources at once: one line per row of the register,
    # each what source_line gives for it alone.
    register = aidstats.load("sources")
    lines = aidstats.publish.cite.source_lines(register)
    assert list(lines) == list(register["source_id"])
    assert all(lines[source_id] == aidstats.publish.cite.source_line(register, source_id) for source_id in lines)
    assert lines["weathersby"] == f"the paper: {PAPER_REF}"
    made_up = _register(
        {"source_id": "fn46", "kind": "publication", "footnote": 46, "citation": "K. W., “To Attack,” Bulletin 5: 9."},
        {"source_id": "fn47", "kind": "publication", "footnote": 47, "citation": "Ibid.", "full_citation_id": "fn46"},
    )
    assert aidstats.publish.cite.source_lines(made_up) == {
        "fn46": "footnote 46: K. W., “To Attack,” Bulletin 5: 9.",
        "fn47": "footnote 47 (Ibid.: footnote 46, K. W., “To Attack,” Bulletin 5: 9.)",
    }
    with pytest.raises(KeyError):
        aidstats.publish.cite.source_line(register, "fn999")
