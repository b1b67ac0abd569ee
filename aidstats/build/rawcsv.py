"""Read one hand-transcribed CSV from ``raw/`` strictly, keeping physical line numbers.

Every file in ``raw/`` holds one record per line, so each line is parsed on its
own by the standard library's ``csv`` module in strict mode: a line number in a
message is the line an editor shows, whatever went wrong on the lines before.
There is no second parser that could read a line differently.

Deliberate choices (tested in ``tests/test_rawcsv.py`` and ``tests/test_bad_input.py``):

- A UTF-8 byte-order mark and CRLF line ends are accepted, because spreadsheet
  programs write them; LF and CRLF may even be mixed.
- A carriage return that does not end a line is refused, and with it files whose
  lines end in CR alone: ``git diff`` shows such a file as one line, so its
  changes could not be reviewed.
- A value containing a line break is refused: it shows as a double quote not
  closed on its line, or as a carriage return inside a line.  A double quote
  outside a quoted value, or text after the closing quote of one (``"x"y``), is
  refused rather than guessed at.
- Blank lines are refused, each with its own line number.
- Spaces around a header name or a value are refused, because a quote or a code
  with a stray space would no longer match its source.

Every problem found is reported at once.  Only a header that cannot be read, or
that does not name the expected columns, holds back the checks that depend on
it (the number of fields, spaces in values).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from aidstats.errors import BuildError, InputProblem, show

HEADER = "(header)"
BOM = b"\xef\xbb\xbf"
# Bytes that are not UTF-8 are decoded with "surrogateescape" into these code points.
UNDECODABLE = re.compile("[\udc80-\udcff]+")
# Rows made into a frame at a time: as Python lists, cells take several times the memory they take in the frame.
CHUNK = 50_000
QUOTE_RULE = 'a double quote only inside a value wrapped in double quotes, written twice there ("")'
CSV_ERRORS = {  # the strict-mode messages of CPython's csv module, in a transcriber's words
    "unexpected end of data": (
        "a double quote that is not closed on this line",
        f"one record per line, no line break inside a value; {QUOTE_RULE}",
    ),
    "',' expected after '\"'": ("text after the closing double quote of a value", f"a comma or the end of the line after it; {QUOTE_RULE}"),
}


def read_raw_csv(path: Path, shown_as: str, columns: list[str]) -> pd.DataFrame:
    """Read a raw CSV file whose header names each of ``columns`` once, in any order.

    Parameters
    ----------
    path : Path
        The CSV file.
    shown_as : str
        How messages name the file, e.g. ``"raw/units.csv"``.
    columns : list of str
        The columns the header must name, each once.

    Returns
    -------
    pandas.DataFrame
        The columns in the order of ``columns``, every cell as text (an empty
        cell is missing), indexed by the physical line number (named ``line``).

    Raises
    ------
    BuildError
        Listing every problem found (a missing or empty file, header problems,
        bytes that are not UTF-8, blank lines, misplaced double quotes, stray
        carriage returns, lines with the wrong number of fields, values with
        spaces around them), each with its line and, where known, its column.
    """
    expected_header = f"a header line with the columns {', '.join(columns)}"
    if not path.is_file():
        raise BuildError([InputProblem(shown_as, None, HEADER, "no such file", f"a CSV file with the columns {', '.join(columns)}")])
    lines = _physical_lines(path.read_bytes())
    if all(not line.strip() for line in lines):
        raise BuildError([InputProblem(shown_as, 1, HEADER, "an empty file", expected_header)])
    header, problems = _parse(lines[0], 1, shown_as, None)
    if header is not None:
        problems += _header_problems(header, shown_as, columns)
    header_usable = not problems  # else field counts and column names mean nothing
    chunks, numbers, records = [], [], []
    for number, line in enumerate(lines[1:], start=2):
        cells, line_problems = _parse(line, number, shown_as, header)
        problems += line_problems
        if cells is None or not header_usable:
            continue
        problem = _shape_problem(cells, number, header, shown_as)
        if problem:
            problems.append(problem)
        else:
            numbers.append(number)
            records.append(cells)
            if len(records) == CHUNK:
                chunks.append(_frame(records, numbers, header))
                numbers, records = [], []
    if len(lines) == 1 and header is not None:
        problems.append(InputProblem(shown_as, 2, HEADER, "a header with no data rows", "at least one data row"))
    if not header_usable:
        raise BuildError(problems)
    frame = pd.concat([*chunks, _frame(records, numbers, header)])
    problems += [problem for name in columns for problem in _spaced_values(frame[name], shown_as)]
    if problems:
        raise BuildError(problems)
    return frame[columns]


def _frame(records: list[list[str]], numbers: list[int], header: list[str]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=header, index=pd.Index(numbers, name="line"), dtype="string").replace("", pd.NA)


def _physical_lines(data: bytes) -> list[str]:
    """The file's lines as an editor numbers them, without their LF or CRLF ends.

    Bytes that are not UTF-8 survive as lone surrogates, so that each can be
    reported on its own line rather than only the first one in the file."""
    text = data.removeprefix(BOM).decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a line of its own
    return [line.removesuffix("\r") for line in lines]


def _parse(line: str, number: int, shown_as: str, header: list[str] | None) -> tuple[list[str] | None, list[InputProblem]]:
    """The cells of one physical line, or None and what is wrong with it."""
    if "\r" in line:
        found = "a carriage return (CR) that does not end a line, or lines ending in CR alone"
        expected = "lines ending in LF or CR LF, no line break inside a value; save the file with Unix (LF) or Windows (CRLF) line ends"
        return None, [InputProblem(shown_as, number, None, found, expected)]
    if not line.strip():
        return None, [InputProblem(shown_as, number, None, "a blank line", "one record per line, no blank lines")]
    try:
        cells = next(csv.reader([line], strict=True))
    except csv.Error as err:
        found, expected = CSV_ERRORS.get(str(err), (f"a line the csv module cannot read ({err})", "one CSV record on the line"))
        return None, [InputProblem(shown_as, number, None, found, expected)]
    if line.isascii() and ('"' not in line or '"' not in "".join(cells)):
        return cells, []  # the common case: no undecodable bytes, no double quote inside a value
    spans = _field_spans(line, cells)
    undecodable = list(UNDECODABLE.finditer(line))
    if undecodable:
        column = _column_name(header, _field_at(spans, undecodable[0].start()))
        found = " ".join(f"0x{byte:02x}" for match in undecodable for byte in match.group().encode("utf-8", "surrogateescape"))
        return None, [InputProblem(shown_as, number, column, f"bytes that are not UTF-8 ({found})", "UTF-8 text; save the file as UTF-8")]
    stray = [
        InputProblem(shown_as, number, _column_name(header, index), show(cells[index]), QUOTE_RULE)
        for index, (_, _, quoted) in enumerate(spans)
        if not quoted and '"' in cells[index]
    ]
    return (None, stray) if stray else (cells, [])


def _field_spans(line: str, cells: list[str]) -> list[tuple[int, int, bool]]:
    """Where each parsed cell lies in its line: (start, end, quoted).

    In strict mode a quoted field is exactly its value in double quotes with
    inner quotes doubled, and an unquoted field is exactly its value."""
    spans, start = [], 0
    for value in cells:
        quoted = line.startswith('"', start)
        end = start + len(value) + (value.count('"') + 2 if quoted else 0)
        spans.append((start, end, quoted))
        start = end + 1  # the comma
    return spans


def _field_at(spans: list[tuple[int, int, bool]], offset: int) -> int:
    return next(index for index, (start, end, _) in enumerate(spans) if start <= offset < end)


def _column_name(header: list[str] | None, index: int) -> str:
    return header[index] if header is not None and index < len(header) else f"field {index + 1}"


def _shape_problem(cells: list[str], number: int, header: list[str], shown_as: str) -> InputProblem | None:
    """One field per column, and not every one of them empty."""
    if len(cells) < len(header):
        return InputProblem(
            shown_as,
            number,
            header[len(cells)],
            f"{len(cells)} fields, the line ends before this column",
            f"{len(header)} fields; a missing comma, or a cut-off line?",
        )
    if len(cells) > len(header):
        return InputProblem(
            shown_as,
            number,
            f"field {len(header) + 1}",
            f"{len(cells)} fields",
            f"{len(header)} fields; a stray comma, or a value with a comma not in double quotes?",
        )
    if not any(cells):
        return InputProblem(shown_as, number, None, "a line of empty cells", "one record per line, no blank lines")
    return None


def _header_problems(header: list[str], shown_as: str, columns: list[str]) -> list[InputProblem]:
    """The header must name each expected column once; their order is free."""
    expected = f"the columns {', '.join(columns)}"
    problems = [InputProblem(shown_as, 1, name, "this column missing from the header", expected) for name in columns if name not in header]
    for name in header:
        if name not in columns:
            hint = " (the name has spaces around it)" if name.strip() in columns else ""
            problems.append(InputProblem(shown_as, 1, name, "an unexpected column" + hint, "only " + expected))
        elif header.count(name) > 1:
            problems.append(InputProblem(shown_as, 1, name, "this column named twice", expected + ", each once"))
    return problems


def _spaced_values(values: pd.Series, shown_as: str) -> list[InputProblem]:
    """Values with spaces at either end; checked per distinct value, since columns repeat theirs a lot."""
    # Python's str.strip and pandas' (pyarrow's) strip the same 29 code points, checked over all of Unicode
    # (tests/test_rawcsv.py holds the 27 a value can hold); in Python the check of a build's 111 columns takes 13 ms, not 52.
    spaced = [value for value in values.dropna().unique() if value != value.strip()]
    if not spaced:  # as in nearly every column: no search line by line
        return []
    return [
        InputProblem(shown_as, int(line), str(values.name), show(value), "no spaces at the start or end of the value")
        for line, value in values[values.isin(spaced)].items()
    ]
