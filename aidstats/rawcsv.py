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


def read_raw_csv(path: Path, shown_as: str, columns: list[str]) -> pd.DataFrame:
    """Read ``path`` and check its header is exactly ``columns`` (in order)."""
    if not path.is_file():
        raise BuildError([InputProblem(shown_as, None, None, "no such file", f"a CSV file with the columns {', '.join(columns)}")])
    text = _decode(path, shown_as, columns)
    header, records, problems = _records(text, shown_as, columns)
    if problems:
        raise BuildError(problems)
    lines = [line for line, _ in records]
    frame = pd.DataFrame([cells for _, cells in records], columns=header, index=lines, dtype="string")[columns]
    frame.index.name = "line"
    return frame.replace("", pd.NA)


def _decode(path: Path, shown_as: str, columns: list[str]) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.end].hex(" ")
        raise BuildError(
            [
                InputProblem(
                    shown_as, line, None, f"bytes that are not UTF-8 (0x{bad} at byte {err.start})", "UTF-8 text; save the file as UTF-8"
                )
            ]
        ) from None
    if not text.strip():
        raise BuildError([InputProblem(shown_as, 1, None, "an empty file", f"a header line with the columns {', '.join(columns)}")])
    return text


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
            if not any(cells):
                problems.append(InputProblem(shown_as, start, None, "an empty line", "one row per line, no blank lines"))
                continue
            if reader.line_num != start:
                problems.append(
                    InputProblem(
                        shown_as,
                        start,
                        None,
                        f"a record running over lines {start}-{reader.line_num}",
                        "one record per line (is a double quote unbalanced?)",
                    )
                )
                continue
            if len(cells) != len(columns):
                problems.append(
                    InputProblem(
                        shown_as,
                        start,
                        None,
                        f"{len(cells)} fields",
                        f"{len(columns)} fields ({', '.join(columns)}); a stray or missing comma, or a value with a comma not in double quotes?",
                    )
                )
                continue
            problems += [
                InputProblem(shown_as, start, name, show(value), "no spaces at the start or end of the value")
                for name, value in zip(columns, cells, strict=True)
                if value != value.strip()
            ]
            records.append((start, cells))
    except csv.Error as err:
        problems.append(
            InputProblem(shown_as, previous_end + 1, None, f"a record that never ends ({err})", "balanced double quotes around a value")
        )
    if not records and not problems:
        problems.append(InputProblem(shown_as, 2, None, "a header with no data rows", "at least one data row"))
    return header, records, problems


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
