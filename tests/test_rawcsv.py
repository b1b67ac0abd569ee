"""The raw reader: one strict CSV parser, physical line numbers, every problem at once.

Each test writes a small file, reads it with ``read_raw_csv`` and checks either
the cells read (with the line each came from) or the exact messages a
transcriber would see.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidstats.build.rawcsv import read_raw_csv
from aidstats.errors import BuildError, show

COLUMNS = ["a", "b"]
QUOTE_RULE = 'a double quote only inside a value wrapped in double quotes, written twice there ("")'
UNCLOSED = f"found a double quote that is not closed on this line; expected one record per line, no line break inside a value; {QUOTE_RULE}"
AFTER_QUOTE = f"found text after the closing double quote of a value; expected a comma or the end of the line after it; {QUOTE_RULE}"
BARE_CR = (
    "found a carriage return (CR) that does not end a line, or lines ending in CR alone; expected lines ending in LF or CR LF, "
    "no line break inside a value; save the file with Unix (LF) or Windows (CRLF) line ends"
)
BLANK = "found a blank line; expected one record per line, no blank lines"
SPACES = "expected no spaces at the start or end of the value"


def read(tmp_path: Path, data: bytes, columns: list[str] = COLUMNS) -> pd.DataFrame:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    return read_raw_csv(path, "raw/t.csv", columns)


def problems(tmp_path: Path, data: bytes, columns: list[str] = COLUMNS) -> list[str]:
    """Every message, in order, as the build prints them."""
    with pytest.raises(BuildError) as caught:
        read(tmp_path, data, columns)
    return [str(problem) for problem in caught.value.problems]


def rows(frame: pd.DataFrame) -> dict[int, list]:
    """line -> cells, with missing cells as None, to compare with a literal."""
    return {line: [None if pd.isna(v) else v for v in values] for line, values in zip(frame.index, frame.to_numpy().tolist(), strict=True)}


# --- what is read -------------------------------------------------------------------------------


def test_cells_are_text_indexed_by_line_in_the_order_asked(tmp_path):
    frame = read(tmp_path, b'b,a\n"1,5",x\n,y\n', ["a", "b"])
    assert list(frame.columns) == ["a", "b"]  # the order asked for, not the file's
    assert frame.index.name == "line"
    assert rows(frame) == {2: ["x", "1,5"], 3: ["y", None]}
    # pandas' nullable text dtype, whose missing value is pd.NA (not the NaN of the default str dtype)
    assert list(frame.dtypes) == [pd.StringDtype(), pd.StringDtype()]
    assert frame.at[3, "b"] is pd.NA


def test_doubled_quotes_inside_a_quoted_value_are_one_quote(tmp_path):
    assert rows(read(tmp_path, b'a,b\n"say ""yes""",2\n')) == {2: ['say "yes"', "2"]}


def test_quoted_values_with_doubled_quotes_side_by_side(tmp_path):
    # field a is '"p""q"', 6 characters: field b's opening quote must be found at offset 7, after the comma
    assert rows(read(tmp_path, b'a,b\n"p""q","r""s"\n')) == {2: ['p"q', 'r"s']}


def test_a_quoted_empty_value_is_missing_too(tmp_path):
    assert rows(read(tmp_path, b'a,b\n1,""\n')) == {2: ["1", None]}


def test_a_last_line_without_a_line_end_is_read(tmp_path):
    assert rows(read(tmp_path, b"a,b\n1,2\n3,4")) == {2: ["1", "2"], 3: ["3", "4"]}


def test_bom_crlf_and_mixed_line_ends_are_accepted(tmp_path):
    """Spreadsheet programs write a BOM and CRLF; an edit in another editor may add LF lines."""
    frame = read(tmp_path, b"\xef\xbb\xbfa,b\r\n1,2\r\n3,4\n5,6\r\n")
    assert rows(frame) == {2: ["1", "2"], 3: ["3", "4"], 4: ["5", "6"]}


def test_utf8_text_is_read_as_text(tmp_path):
    assert rows(read(tmp_path, "a,b\nKöln,Ünsan\n".encode())) == {2: ["Köln", "Ünsan"]}


SAFE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00\x85\u2028\u2029", exclude_categories=("Cs",)), max_size=8
).filter(lambda value: value == value.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(SAFE_TEXT, SAFE_TEXT).filter(any), min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_whatever_the_csv_module_writes_is_read_back_with_its_line(tmp_path_factory, records, line_end):
    """Commas, quotes and non-ASCII text in values round-trip; record i is on line i + 2."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(COLUMNS)
    writer.writerows(records)
    frame = read(tmp_path_factory.mktemp("rt"), out.getvalue().encode("utf-8"))
    assert rows(frame) == {i + 2: [a or None, b or None] for i, (a, b) in enumerate(records)}


# --- quotes and line breaks ----------------------------------------------------------------------


def test_a_value_with_a_line_break_is_refused_and_later_lines_keep_their_numbers(tmp_path):
    # line 1 header; 2-3 one quoted value broken over two lines; 4 has a spaced value.
    assert problems(tmp_path, b'a,b\n1,"x\ny"\n2, q\n') == [
        f"raw/t.csv:2: {UNCLOSED}",
        f"raw/t.csv:3: column 'a': found 'y\"'; expected {QUOTE_RULE}",
        f"raw/t.csv:4: column 'b': found ' q'; {SPACES}",
    ]


def test_text_after_a_closing_quote_is_refused(tmp_path):
    assert problems(tmp_path, b'a,b\n1,"x"y\n') == [f"raw/t.csv:2: {AFTER_QUOTE}"]


def test_a_quote_inside_an_unquoted_value_is_refused_with_its_column(tmp_path):
    assert problems(tmp_path, b'a,b\nx"y,2\n1,"ok"\n3,z"\n') == [
        f"raw/t.csv:2: column 'a': found 'x\"y'; expected {QUOTE_RULE}",
        f"raw/t.csv:4: column 'b': found 'z\"'; expected {QUOTE_RULE}",
    ]


def test_a_quote_after_a_quoted_value_with_doubled_quotes_is_located(tmp_path):
    # field a spans '"p""q"' (6 characters), so field b starts after the comma at offset 7
    assert problems(tmp_path, b'a,b\n"p""q",r"s\n') == [f"raw/t.csv:2: column 'b': found 'r\"s'; expected {QUOTE_RULE}"]


def test_an_unterminated_quote_does_not_swallow_the_lines_after_it(tmp_path):
    assert problems(tmp_path, b'a,b\n1,"xy\n2,z \n3,w\n') == [f"raw/t.csv:2: {UNCLOSED}", f"raw/t.csv:3: column 'b': found 'z '; {SPACES}"]


def test_a_broken_header_is_reported_and_rows_are_still_checked(tmp_path):
    assert problems(tmp_path, b'a,"b\n1,2\n\n') == [f"raw/t.csv:1: {UNCLOSED}", f"raw/t.csv:3: {BLANK}"]


def test_a_quote_error_in_a_row_under_a_broken_header_names_the_field(tmp_path):
    assert problems(tmp_path, b'a,"b\n1,x"\n') == [
        f"raw/t.csv:1: {UNCLOSED}",
        f"raw/t.csv:2: column 'field 2': found 'x\"'; expected {QUOTE_RULE}",
    ]


# --- line ends and blank lines -------------------------------------------------------------------


def test_cr_only_line_ends_are_refused_in_one_message(tmp_path):
    """Old Mac line ends: the whole file is one line to git, so it is refused, not guessed at."""
    assert problems(tmp_path, b"a,b\r1,2\r3,4\r") == [f"raw/t.csv:1: {BARE_CR}"]


def test_a_carriage_return_inside_a_line_is_refused_on_its_line(tmp_path):
    assert problems(tmp_path, b'a,b\n1,2\n3,"x\ry"\n4, 5\n') == [
        f"raw/t.csv:3: {BARE_CR}",
        f"raw/t.csv:4: column 'b': found ' 5'; {SPACES}",
    ]


def test_every_blank_line_is_reported_with_its_number(tmp_path):
    # 1 header, 2 row, 3 blank, 4 row, 5 spaces only, 6 blank before the end
    assert problems(tmp_path, b"a,b\n1,2\n\n3,4\n  \n\n") == [f"raw/t.csv:3: {BLANK}", f"raw/t.csv:5: {BLANK}", f"raw/t.csv:6: {BLANK}"]


def test_an_error_after_a_blank_line_names_its_own_line(tmp_path):
    assert problems(tmp_path, b"a,b\n1,2\n\n3,4 \n") == [f"raw/t.csv:3: {BLANK}", f"raw/t.csv:4: column 'b': found '4 '; {SPACES}"]


def test_a_line_of_empty_cells_is_refused(tmp_path):
    assert problems(tmp_path, b"a,b\n1,2\n,\n") == [
        "raw/t.csv:3: found a line of empty cells; expected one record per line, no blank lines"
    ]


# --- shape, header, encoding ---------------------------------------------------------------------


def test_too_few_and_too_many_fields(tmp_path):
    assert problems(tmp_path, b"a,b\n1\n1,2,3\n") == [
        "raw/t.csv:2: column 'b': found 1 fields, the line ends before this column; expected 2 fields; a missing comma, or a cut-off line?",
        "raw/t.csv:3: column 'field 3': found 3 fields; expected 2 fields; a stray comma, or a value with a comma not in double quotes?",
    ]


def test_header_problems_are_all_named_without_a_message_per_row(tmp_path):
    """A wrong header makes every row's field count meaningless, so rows are not counted against it."""
    assert problems(tmp_path, b"a,a,c\n1,2,3\n", ["a", "b"]) == [
        "raw/t.csv:1: column 'a': found this column named twice; expected the columns a, b, each once",
        "raw/t.csv:1: column 'b': found this column missing from the header; expected the columns a, b",
        "raw/t.csv:1: column 'c': found an unexpected column; expected only the columns a, b",
    ]


def test_a_header_name_with_spaces_gets_a_hint(tmp_path):
    assert problems(tmp_path, b"a, b\n1,2\n") == [
        "raw/t.csv:1: column ' b': found an unexpected column (the name has spaces around it); expected only the columns a, b",
        "raw/t.csv:1: column 'b': found this column missing from the header; expected the columns a, b",
    ]


def test_bytes_that_are_not_utf8_are_reported_on_every_line_with_their_column(tmp_path):
    # line 2: 0xff in field b; line 4: Latin-1 'é' (0xe9) in field a, then 0xfe 0xfd in b
    data = b'a,b\n1,x\xffy\n2,ok\n"caf\xe9",\xfe\xfd\n'
    assert problems(tmp_path, data) == [
        "raw/t.csv:2: column 'b': found bytes that are not UTF-8 (0xff); expected UTF-8 text; save the file as UTF-8",
        "raw/t.csv:4: column 'a': found bytes that are not UTF-8 (0xe9 0xfe 0xfd); expected UTF-8 text; save the file as UTF-8",
    ]


def test_empty_whitespace_only_header_only_and_missing_files(tmp_path):
    expected = "a header line with the columns a, b"
    assert problems(tmp_path, b"") == [f"raw/t.csv:1: column '(header)': found an empty file; expected {expected}"]
    assert problems(tmp_path, b"\n \r\n") == [f"raw/t.csv:1: column '(header)': found an empty file; expected {expected}"]
    assert problems(tmp_path, b"a,b\n") == [
        "raw/t.csv:2: column '(header)': found a header with no data rows; expected at least one data row"
    ]
    with pytest.raises(BuildError) as caught:
        read_raw_csv(tmp_path / "absent.csv", "raw/absent.csv", COLUMNS)
    assert [str(p) for p in caught.value.problems] == [
        "raw/absent.csv: column '(header)': found no such file; expected a CSV file with the columns a, b"
    ]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    data = b'a,b\n1, x\n\n"y\n2,3\n4,5,6\nz\xff,7\n'
    assert [p.split(":")[1] for p in problems(tmp_path, data)] == ["2", "3", "4", "6", "7"]


# --- how found values are shown ------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, ""])
def test_a_missing_value_is_shown_as_an_empty_cell(missing):
    assert show(missing) == "an empty cell"


def test_every_kind_of_unicode_space_around_a_value_is_refused_and_inside_one_kept(tmp_path):
    """ "Spaces" are what Python's ``str.isspace`` calls whitespace (29 code points: the tab, NBSP, the
    ideographic space…), each refused at either end of a value and kept inside one; CR and LF end lines."""
    spaces = [c for c in map(chr, range(0x110000)) if c.isspace() and c not in "\r\n"]
    assert len(spaces) == 27  # 29 code points, less CR and LF
    lines = [f"{c}x,{i}" for i, c in enumerate(spaces)] + [f"y,{i}{c}" for i, c in enumerate(spaces)]
    inside = [f"x{c}y,{i}" for i, c in enumerate(spaces)]
    data = ("a,b\n" + "\n".join(lines + inside) + "\n").encode("utf-8")
    # Line 1 is the header: the leading spaces are on lines 2 to 28 (column a), the trailing on 29 to 55 (column b);
    # the spaces inside values, lines 56 to 82, are no problem.
    found = problems(tmp_path, data)
    assert found == [f"raw/t.csv:{n}: column 'a': found {show(c + 'x')}; {SPACES}" for n, c in enumerate(spaces, start=2)] + [
        f"raw/t.csv:{n}: column 'b': found {show(f'{i}{c}')}; {SPACES}" for i, (n, c) in enumerate(enumerate(spaces, start=29))
    ]


def test_a_value_is_shown_quoted_so_spaces_show():
    assert show(" a") == "' a'"
    assert show(0) == "'0'"


def test_a_field_longer_than_the_csv_module_allows_is_named(tmp_path):
    # The limit is global, and a library loaded earlier in a full run raises it, which made this test
    # write a line that long (41.5 s of the suite): pin it to the csv module's default here.
    limit = 131_072
    previous = csv.field_size_limit(limit)
    try:
        assert problems(tmp_path, b"a,b\n1," + b"x" * (limit + 1) + b"\n") == [
            f"raw/t.csv:2: found a line the csv module cannot read (field larger than field limit ({limit})); expected one CSV record on the line"
        ]
    finally:
        csv.field_size_limit(previous)


def test_quotes_in_the_header_and_beyond_the_last_column_are_named_by_field(tmp_path):
    # the header's own field 2 is refused; under it no column name can be trusted
    assert problems(tmp_path, b'a,b"\n1,2\n') == [f"raw/t.csv:1: column 'field 2': found 'b\"'; expected {QUOTE_RULE}"]
    # a third field on a two-column line has no header name: it is 'field 3'
    assert problems(tmp_path, b'a,b\n1,2,x"\n') == [f"raw/t.csv:2: column 'field 3': found 'x\"'; expected {QUOTE_RULE}"]


def test_a_bad_byte_at_the_start_of_a_field_is_placed_in_that_field(tmp_path):
    # line 2: 0xff opens field a; line 3: field a is empty, 0xfe opens field b at offset 1
    assert problems(tmp_path, b"a,b\n\xff1,2\n,\xfe\n") == [
        "raw/t.csv:2: column 'a': found bytes that are not UTF-8 (0xff); expected UTF-8 text; save the file as UTF-8",
        "raw/t.csv:3: column 'b': found bytes that are not UTF-8 (0xfe); expected UTF-8 text; save the file as UTF-8",
    ]


def test_rows_read_in_chunks_keep_their_lines_and_order(tmp_path, monkeypatch):
    """Large files are made into a frame a few rows at a time; the seams must not show."""
    monkeypatch.setattr("aidstats.build.rawcsv.CHUNK", 2)
    frame = read(tmp_path, b"a,b\n1,x\n2,\n3,z\n4,w\n5,v\n")
    assert rows(frame) == {2: ["1", "x"], 3: ["2", None], 4: ["3", "z"], 5: ["4", "w"], 6: ["5", "v"]}
    assert rows(read(tmp_path, b"a,b\n1,x\n2,y\n")) == {2: ["1", "x"], 3: ["2", "y"]}  # exactly one full chunk
    # a spaced value in the second chunk is still found, on its own line
    assert problems(tmp_path, b"a,b\n1,x\n2,y\n3, z\n") == [f"raw/t.csv:4: column 'b': found ' z'; {SPACES}"]
