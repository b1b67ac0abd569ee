"""Every kind of bad input is rejected with a message a transcriber can act on, and nothing changes.

Each case copies a valid raw/ into a temporary folder, injects one fault, runs
`aidstats build --root` on it, and checks: a non-zero exit; one message line
naming the file, the CSV line, the column, the value found and what was
expected, without a traceback; and clean/ and datapackage.json byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_cli, snapshot


@dataclass
class Fault:
    name: str
    file: str
    old: str
    new: str
    line: int
    column: str
    words: str  # must occur in the message line, after "expected" or in "found"
    source_old: str = ""  # an edit to raw/source too, for faults only the source could contain
    source_new: str = ""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


FAULTS = [
    Fault(
        "non-numeric quantity",
        "railway_damage.csv",
        "tunnels,track_and_structures,67,",
        "tunnels,track_and_structures,6x7,",
        10,
        "lost_as_printed",
        "a number as printed",
    ),
    Fault(
        "unknown enumeration value",
        "railway_damage.csv",
        "schools,buildings,11",
        "schools,building,11",
        6,
        "asset_group",
        "one of: buildings",
    ),
    Fault(
        "lost greater than the prewar total",
        "railway_damage.csv",
        "schools,buildings,11,12,count,1951-01-01,1951-06-30,fn45,11 out",
        "schools,buildings,13,12,count,1951-01-01,1951-06-30,fn45,13 out",
        6,
        "lost_as_printed, prewar_total_as_printed",
        "lost must not exceed prewar_total",
        "11 out of 12 schools",
        "13 out of 12 schools",
    ),
    Fault(
        "zero quantity",
        "aid_deliveries.csv",
        '1,China,CHN,coal,"240,000 tons",t,1951,fn53,"240,000 tons of coal"',
        "1,China,CHN,coal,0 tons,t,1951,fn53,0 tons of coal",
        2,
        "quantity (computed from quantity_as_printed)",
        "greater than 0",
        "240,000 tons of coal",
        "0 tons of coal",
    ),
    Fault("negative number", "units.csv", "kg,kilogram,mass,t,0.001", "kg,kilogram,mass,t,-1", 4, "factor_to_base", "greater than 0"),
    Fault(
        "percent of plan of zero",
        "mineral_exports.csv",
        "zinc,186,143,",
        "zinc,186,0,",
        11,
        "percent_of_plan_as_printed",
        "a percentage greater than 0",
    ),
    Fault(
        "impossible date", "mineral_exports.csv", "carbide,75,15,1951-01-01", "carbide,75,15,1951-13-01", 12, "period_start", "YYYY-MM-DD"
    ),
    Fault(
        "unit not in the vocabulary",
        "aid_deliveries.csv",
        "13,Romania,ROU,air compressors,4,item",
        "13,Romania,ROU,air compressors,4,items",
        14,
        "unit",
        "raw/units.csv",
    ),
    Fault(
        "unit word that contradicts the unit",
        "aid_deliveries.csv",
        "5,China,CHN,nails,200 tons,t",
        "5,China,CHN,nails,200 tons,kg",
        6,
        "quantity_as_printed",
        "printed_as",
    ),
    Fault("unknown donor code", "aid_deliveries.csv", "5,China,CHN,nails", "5,China,CHX,nails", 6, "donor_code, donor", "raw/donors.csv"),
    Fault("duplicate primary key", "aid_deliveries.csv", "7,Poland,POL,fittings", "6,Poland,POL,fittings", 8, "seq", "primary key"),
    Fault(
        "quote not in the source",
        "aid_deliveries.csv",
        "300 tons of wire from China,",
        "300 tons of wire from Chine,",
        7,
        "quote",
        "verbatim in raw/source",
    ),
    Fault(
        "printed quantity not in its quote",
        "aid_deliveries.csv",
        "6,China,CHN,wire,300 tons",
        "6,China,CHN,wire,301 tons",
        7,
        "quantity_as_printed",
        "this row's quote",
    ),
    Fault(
        "source_id not in the register",
        "aid_deliveries.csv",
        "10,Hungary,HUN,gas pipes,330 tons,t,1951,fn53",
        "10,Hungary,HUN,gas pipes,330 tons,t,1951,fn99",
        11,
        "source_id",
        "raw/sources.csv",
    ),
    Fault(
        "missing column",
        "sources.csv",
        "source_id,kind,footnote,citation,archive,",
        "source_id,kind,footnote,archive,",
        1,
        "citation",
        "the columns",
    ),
    Fault(
        "renamed column",
        "mineral_exports.csv",
        "commodity,delivered_as_printed",
        "product,delivered_as_printed",
        1,
        "product",
        "only the columns",
    ),
    Fault(
        "unexpected extra column",
        "units.csv",
        "unit,title,dimension,base_unit,factor_to_base,printed_as",
        "unit,title,dimension,base_unit,factor_to_base,printed_as,notes",
        1,
        "notes",
        "only the columns",
    ),
    Fault(
        "stray delimiter",
        "reconstruction_enterprises.csv",
        "songjin_steel,steel foundry,",
        "songjin_steel,steel,foundry,",
        3,
        "field 8",
        "a stray comma",
    ),
    Fault(
        "truncated last line",
        "caveats.csv",
        "signed,\"period is 1951-07/1953-07, with its end derived as stated here; the figures themselves are the paper's 'two years'.\"\n",
        "signed",
        65,  # the last line of raw/caveats.csv (a header and 64 caveats)
        "treatment",
        "a cut-off line",
    ),
    Fault(
        "division not two digits",
        "sitc_divisions.csv",
        "04,Cereals and cereal preparations,0,Food",
        "4,Cereals and cereal preparations,0,Food",
        6,
        "division",
        "text matching",
    ),
    Fault(
        "SITC division not in the code list",
        "commodity_classes.csv",
        "aid_deliveries,millet,04,",
        "aid_deliveries,millet,99,",
        93,
        "sitc_division",
        "raw/sitc_divisions.csv",
    ),
    Fault(
        "key figure unit not in the vocabulary",
        "key_figures.csv",
        '"50,000",,,t,1951-10',
        '"50,000",,,tonnes,1951-10',
        20,  # the flour gift's line in raw/key_figures.csv
        "unit",
        "raw/units.csv",
    ),
    Fault("period not in ISO 8601", "key_figures.csv", '"50,000",,,t,1951-10', '"50,000",,,t,Oct 1951', 20, "period", "text matching"),
    Fault(
        "caveat about a row that does not exist",
        "caveats.csv",
        "aid_deliveries,seq=35,",
        "aid_deliveries,seq=350,",
        8,
        "row_key",
        "naming a row of aid_deliveries",
    ),
    Fault(
        "withdrawn code without its ISO 3166-3 code",
        "donors.csv",
        "CSK,Czechoslovakia,withdrawn,CSHH",
        "CSK,Czechoslovakia,withdrawn,",
        6,
        "iso_status, iso3166_3_code",
        "iso3166_3_code=(empty)",
    ),
    Fault(
        "empty required cell",
        "railway_damage.csv",
        "bridges,track_and_structures,443,1861,count,1951-01-01,1951-06-30,fn45,",
        "bridges,track_and_structures,443,1861,count,1951-01-01,1951-06-30,,",
        11,
        "source_id",
        "must not be empty",
    ),
    Fault(
        "class for a commodity no table has",
        "commodity_classes.csv",
        'aid_deliveries,vegetable seeds,29,"Seeds for sowing: animal and vegetable crude materials"\n',
        'aid_deliveries,vegetable seeds,29,"Seeds for sowing: animal and vegetable crude materials"\naid_deliveries,caviar,03,"Fish roe"\n',
        95,
        "commodity",
        "occurs in raw/aid_deliveries.csv",
    ),
    # The corroboration checks (issue 20): line 12 of raw/corroboration.csv is the key figure pak_dmz_width, whose
    # evidence is "the withdrawal of troops ... a two kilometer demilitarization zone" (17 words) and whose quote is
    # "a two kilometer wide demilitarization zone".
    Fault(
        "published figure not in its evidence",
        "corroboration.csv",
        "fn14_wcda,two,two,the withdrawal",
        "fn14_wcda,two,three,the withdrawal",
        12,
        "value_as_published",
        "text that occurs in this row's evidence 'the withdrawal of troops",
    ),
    Fault(
        "paper's figure not in its row's quote",
        "corroboration.csv",
        "fn14_wcda,two,two,the withdrawal",
        "fn14_wcda,three,two,the withdrawal",
        12,
        "value_in_paper",
        "text that occurs in the quote of figure_id=pak_dmz_width in key_figures 'a two kilometer wide demilitarization zone'",
    ),
    Fault(
        "evidence longer than 25 words",
        "corroboration.csv",
        "two kilometer demilitarization zone,",
        "two kilometer demilitarization zone and about making answerable those guilty of prolonging the war,",
        12,
        "evidence",
        "at most 25 words",
    ),
    Fault(
        "differs without a caveat",
        "corroboration.csv",
        "agrees,Same width and unit.",
        "differs,Same width and unit.",
        12,
        "verdict",
        "a caveat in raw/caveats.csv on key_figures figure_id=pak_dmz_width (or on corroboration corroboration_id=pak_dmz_width) "
        "whose issue quotes this row's evidence",
    ),
    Fault(
        "corroboration of a row that does not exist",
        "corroboration.csv",
        "key_figures,figure_id=pak_dmz_width,",
        "key_figures,figure_id=pak_dmz_wide,",
        12,
        "row_key",
        "column=value naming a row of key_figures",
    ),
    Fault(
        "corroboration citing a source its row does not cite",
        "corroboration.csv",
        "figure_id=pyongyang_bombing_deaths,fn21,",
        "figure_id=pyongyang_bombing_deaths,fn27,",
        15,
        "source_id",
        "found 'fn27'; expected fn21, the source of figure_id=pyongyang_bombing_deaths in key_figures",
    ),
    Fault(
        "corroboration of a register row citing another register row",
        "corroboration.csv",
        "fn14_2_reference,sources,source_id=fn14_2,fn14_2,",
        "fn14_2_reference,sources,source_id=fn14_2,fn14,",
        3,
        "source_id",
        "found 'fn14'; expected fn14_2, the source of source_id=fn14_2 in sources",
    ),
    Fault(
        "corroboration naming a column the table does not have",
        "corroboration.csv",
        "key_figures,figure_id=pyongyang_bombing_deaths,",
        "key_figures,figure=pyongyang_bombing_deaths,",
        15,
        "row_key",
        "found 'figure=pyongyang_bombing_deaths'; expected column=value naming a row of key_figures",
    ),
    Fault(
        "malformed URL",
        "publications.csv",
        ",https://digitalarchive.wilsoncenter.org/document/113631,",
        ",digitalarchive.wilsoncenter.org/document/113631,",
        4,  # fn14_2_wcda
        "url",
        "an http or https URL with a host",
    ),
    Fault(
        "one URL for two documents",
        "publications.csv",
        "https://digitalarchive.wilsoncenter.org/document/113630.pdf?v=7727c60652d78fa0a6498d2adf13dea0",
        "https://digitalarchive.wilsoncenter.org/document/113631",
        4,  # fn14_2_wcda, after fn14_wcda on line 3 now has its URL
        "url",
        "a URL of fn14_2's own document; line 3 gives it for fn14, a different document",
    ),
    Fault(
        "one URL for two documents, after URLs an Ibid. chain shares",
        "publications.csv",
        "http://www.ingentaconnect.com/content/routledg/cwh/2005/00000005/00000002/art00002?crawler=true",
        "https://digitalarchive.wilsoncenter.org/document/113630.pdf?v=7727c60652d78fa0a6498d2adf13dea0",
        42,  # fn59_2_ingenta, the last row: lines 9 and 12-15 (fn27's document) and 37-38 share URLs as they may
        "url",
        "a URL of fn59_2's own document; line 3 gives it for fn14, a different document",
    ),
    Fault(
        "not_found with a URL",
        "publications.csv",
        "fn44_not_found,fn44,not_found,,,,,,,",
        "fn44_not_found,fn44,not_found,,,,,,https://example.org/fn44,",
        16,
        "status, publisher, title, url",
        "a status of not_found has no url, publisher or title",
    ),
]


@pytest.fixture
def built(project_copy):
    return project_copy, snapshot(project_copy)


@pytest.mark.slow  # a build per fault; of the single-fault tests below, the fast loop keeps invalid UTF-8 (conftest.py)
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_is_rejected_clearly_and_changes_nothing(built, fault):
    root, before = built
    _edit(root / "raw" / fault.file, fault.old, fault.new)
    if fault.source_old:
        source = next(p for p in (root / "raw" / "source").glob("*.txt") if fault.source_old in p.read_text(encoding="utf-8"))
        _edit(source, fault.source_old, fault.source_new)
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    where = f"raw/{fault.file}:{fault.line}: column '{fault.column}': found "
    lines = [line for line in result.output.splitlines() if where in line]
    assert lines, f"no message starting {where!r} in:\n{result.output}"
    assert any("; expected " in line and fault.words in line for line in lines), result.output
    assert snapshot(root) == before


def test_at_least_twenty_faults_across_the_raw_files():
    assert len(FAULTS) >= 20
    assert len({f.file for f in FAULTS}) >= 9


def _bytes_fault(root: Path, file: str, data: bytes) -> str:
    (root / "raw" / file).write_bytes(data)
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.output
    return result.output


def test_invalid_utf8_names_the_line_and_column(built):
    root, before = built
    data = (root / "raw" / "units.csv").read_bytes()
    line = data.split(b"\n").index(next(row for row in data.split(b"\n") if b",kilogram," in row)) + 1  # the kg row
    output = _bytes_fault(root, "units.csv", data.replace(b"kilogram", b"kilo\xffgram"))
    assert f"raw/units.csv:{line}: column 'title': found bytes that are not UTF-8 (0xff); expected UTF-8 text" in output
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_empty_file_and_header_only_file(built):
    root, before = built
    assert "raw/donors.csv:1: column '(header)': found an empty file; expected a header line" in _bytes_fault(root, "donors.csv", b"")
    assert "raw/donors.csv:2: column '(header)': found a header with no data rows" in _bytes_fault(
        root, "donors.csv", b"code,name,iso_status,iso3166_3_code,note\n"
    )
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_trailing_spaces_in_a_header_are_rejected_deliberately(built):
    """A header ' title' is not 'title': rejected, with a hint about the spaces."""
    root, before = built
    data = (root / "raw" / "units.csv").read_bytes().replace(b"unit,title,", b"unit,title ,", 1)
    output = _bytes_fault(root, "units.csv", data)
    assert "raw/units.csv:1: column 'title ': found an unexpected column (the name has spaces around it)" in output
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_a_byte_order_mark_and_crlf_line_ends_are_accepted_deliberately(built):
    """Spreadsheet programs save CSV with a BOM and CRLF; the build reads them as if they were plain."""
    root, before = built
    path = root / "raw" / "units.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert snapshot(root) == before  # the same data gives the same outputs


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_an_empty_required_cell_is_shown_as_an_empty_cell(built):
    """Not as pandas' '<NA>', which a transcriber could take for text in the file."""
    root, before = built
    _edit(root / "raw" / "railway_damage.csv", "1951-01-01,1951-06-30,fn45,443 out", "1951-01-01,1951-06-30,,443 out")
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 1
    assert "raw/railway_damage.csv:11: column 'source_id': found an empty cell; expected a value" in result.output
    assert "<NA>" not in result.output
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_cr_only_line_ends_are_refused_in_one_line_without_a_traceback(built):
    """Old Mac line ends are refused on purpose (git would show the file as one line); see aidstats/rawcsv.py."""
    root, before = built
    path = root / "raw" / "units.csv"
    output = _bytes_fault(root, "units.csv", path.read_bytes().replace(b"\n", b"\r"))
    assert (
        "raw/units.csv:1: found a carriage return (CR) that does not end a line, or lines ending in CR alone; expected lines ending in LF"
        in output
    )
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_a_line_break_inside_a_quoted_value_is_refused_and_later_lines_keep_their_numbers(built):
    root, before = built
    path = root / "raw" / "aid_deliveries.csv"
    text = path.read_text(encoding="utf-8")
    # seq 1 is on line 2: split its quote over lines 2-3, so seq 5 (line 6) moves to physical line 7
    text = text.replace('"240,000 tons of coal"', '"240,000 tons\nof coal"', 1).replace("5,China,CHN,nails", "5,China,CHN, nails", 1)
    output = _bytes_fault(root, "aid_deliveries.csv", text.encode("utf-8"))
    assert "raw/aid_deliveries.csv:2: found a double quote that is not closed on this line" in output
    assert "raw/aid_deliveries.csv:7: column 'commodity': found ' nails'; expected no spaces" in output
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_a_blank_line_in_an_otherwise_good_file_is_refused_with_its_number(built):
    root, before = built
    path = root / "raw" / "donors.csv"
    lines = path.read_bytes().split(b"\n")
    output = _bytes_fault(root, "donors.csv", b"\n".join([*lines[:3], b"", *lines[3:]]))  # the blank line is line 4
    assert "raw/donors.csv:4: found a blank line; expected one record per line, no blank lines" in output
    assert snapshot(root) == before


@pytest.mark.slow  # a whole build of a faulty copy
def test_every_faulty_corroboration_row_is_named_not_only_the_first(built):
    # A row whose row_key names no row is reported, and the rows after it are still checked.
    root, before = built
    path = root / "raw" / "corroboration.csv"
    _edit(path, "key_figures,figure_id=pak_dmz_width,", "key_figures,figure_id=pak_dmz_wide,")
    _edit(path, "figure_id=pyongyang_bombing_deaths,fn21,", "figure_id=pyongyang_bombing_deaths,fn27,")
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 1
    assert "raw/corroboration.csv:12: column 'row_key': found 'figure_id=pak_dmz_wide'" in result.output
    assert "raw/corroboration.csv:15: column 'source_id': found 'fn27'" in result.output
    assert snapshot(root) == before
