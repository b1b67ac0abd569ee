"""Read one hand-transcribed CSV from ``raw/`` strictly, keeping line numbers.

The frame returned has every cell as text (``""`` becomes missing) and the CSV
line number as its index, so any later check can say which line is wrong.

Deliberate choices about tolerable quirks (tested in ``tests/test_bad_input.py``):
a UTF-8 byte-order mark and CRLF line ends are accepted, because spreadsheet
programs write them; spaces around a header name or a value are rejected,
because a quote or a code with a stray space would no longer match its source.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .errors import BuildError, InputProblem, show

HEADER = "(header)"


def read_raw_csv(path: Path, shown_as: str, columns: list[str]) -> pd.DataFrame:
    """Read ``path`` and check its header names each of ``columns`` once (in any order)."""
    if not path.is_file():
        raise BuildError([InputProblem(shown_as, None, HEADER, "no such file", f"a CSV file with the columns {', '.join(columns)}")])
    data = path.read_bytes()
    frame = _fast_read(data.removeprefix(b"\xef\xbb\xbf"), columns)
    if frame is None:  # something is irregular: read line by line to say exactly what
        text = _decode(data, shown_as, columns)
        header, records, problems = _records(text, shown_as, columns)
        if problems:
            raise BuildError(problems)
        frame = pd.DataFrame([cells for _, cells in records], columns=header, index=[line for line, _ in records], dtype="string")
        frame = frame.replace("", pd.NA)
    frame.index.name = "line"
    problems = []
    for name in columns:  # checked per distinct value: columns repeat their values a lot
        distinct = pd.Series(frame[name].dropna().unique(), dtype="string")
        spaced = distinct[distinct != distinct.str.strip()]
        problems += [
            InputProblem(shown_as, int(line), name, show(value), "no spaces at the start or end of the value")
            for line, value in frame.loc[frame[name].isin(spaced), name].items()
        ]
    if problems:
        raise BuildError(problems)
    return frame[columns]


def _fast_read(data: bytes, columns: list[str]) -> pd.DataFrame | None:
    """Arrow's CSV reader for a well-formed file (valid UTF-8, one record per line, the
    expected header), with CSV line numbers as the index and empty cells missing;
    None if anything is irregular."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    try:
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")]), [])
    except UnicodeDecodeError:
        return None
    if sorted(header) != sorted(columns) or len(set(header)) != len(header):
        return None
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(data),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True, quoted_strings_can_be_null=True, null_values=[""]
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows == 0:
        return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    frame.index = pd.RangeIndex(2, table.num_rows + 2)
    return frame


def _decode(data: bytes, shown_as: str, columns: list[str]) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.end].hex(" ")
        raise BuildError(
            [
                InputProblem(
                    shown_as, line, _column_at(data, err.start), f"bytes that are not UTF-8 (0x{bad})", "UTF-8 text; save the file as UTF-8"
                )
            ]
        ) from None
    if not text or text.isspace():
        raise BuildError([InputProblem(shown_as, 1, HEADER, "an empty file", f"a header line with the columns {', '.join(columns)}")])
    return text


def _column_at(data: bytes, offset: int) -> str:
    """The header name of the field holding byte ``offset``, read leniently."""
    header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]), [])
    start = data.rfind(b"\n", 0, offset) + 1
    before = data[start:offset].decode("utf-8", "replace")
    field = len(next(csv.reader([before]), [""])) - 1 if before else 0
    return header[field] if 0 <= field < len(header) else f"field {field + 1}"


def _records(text: str, shown_as: str, columns: list[str]) -> tuple[list[str], list[tuple[int, list[str]]], list[InputProblem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[InputProblem] = []
    records: list[tuple[int, list[str]]] = []
    header: list[str] = []
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if start == 1:
                header = cells
                problems += _header_problems(header, shown_as, columns)
                if problems:
                    return header, [], problems
                continue
            problem = _shape_problem(cells, start, reader.line_num, header, shown_as)
            if problem:
                problems.append(problem)
                continue
            records.append((start, cells))
    except csv.Error as err:
        problems.append(
            InputProblem(shown_as, previous_end + 1, None, f"a record that never ends ({err})", "balanced double quotes around a value")
        )
    if not records and not problems:
        problems.append(InputProblem(shown_as, 2, HEADER, "a header with no data rows", "at least one data row"))
    return header, records, problems


def _shape_problem(cells: list[str], start: int, end: int, header: list[str], shown_as: str) -> InputProblem | None:
    """One record per line, one field per column."""
    if not any(cells):
        return InputProblem(shown_as, start, None, "an empty line", "one row per line, no blank lines")
    if end != start:
        return InputProblem(
            shown_as, start, None, f"a record running over lines {start}-{end}", "one record per line (is a double quote unbalanced?)"
        )
    if len(cells) < len(header):
        missing = header[len(cells)]
        return InputProblem(
            shown_as,
            start,
            missing,
            f"{len(cells)} fields, the line ends before this column",
            f"{len(header)} fields; a missing comma, or a cut-off line?",
        )
    if len(cells) > len(header):
        return InputProblem(
            shown_as,
            start,
            f"field {len(header) + 1}",
            f"{len(cells)} fields",
            f"{len(header)} fields; a stray comma, or a value with a comma not in double quotes?",
        )
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
