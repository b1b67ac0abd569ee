"""raw/ -> validated tables -> clean/ Parquet + CSV and datapackage.json.

The build reads every raw table, checks it (pandera for types and
constraints, then the cross-checks no schema can express: quotes against the
source text, printed numbers against their quotes, foreign keys), derives the
computed columns, and only then writes.  It writes into a staging folder and
moves the result into place at the end, so a failed build changes nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow.parquet as pq

from aidstats import package
from aidstats.build import crosscheck, derive
from aidstats.build.descriptor import package_descriptor
from aidstats.build.rawcsv import read_raw_csv
from aidstats.build.schemas import TABLES, Table, raw_columns
from aidstats.errors import BuildError, InputProblem, OutputError, show


def read_source_text(root: Path) -> dict[str, str]:
    """The verbatim excerpts of the paper in raw/source/, by file name."""
    folder = root / "raw" / "source"
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    if not texts:
        raise BuildError(
            [InputProblem("raw/source", None, None, "no .txt excerpts", "the verbatim passages of the paper the quotes come from")]
        )
    return texts


def passages_frame(texts: dict[str, str]) -> pd.DataFrame:
    """One row per non-empty line of the excerpt files, numbered from 1 in each file."""
    rows = [
        {"passage_id": f"{name.removesuffix('.txt')}-{number}", "excerpt_file": name, "text": line}
        for name, text in texts.items()
        for number, line in enumerate((line for line in text.split("\n") if line.strip()), start=1)
    ]
    frame = pd.DataFrame(rows, columns=["passage_id", "excerpt_file", "text"], dtype="string")
    frame.index = range(1, len(frame) + 1)
    return frame


def build_tables(root: Path) -> dict[str, pd.DataFrame]:
    """Read, check and derive every table; raise BuildError listing all problems."""
    if not (root / "raw").is_dir():  # a mistyped --root is named, not taken for an empty raw/
        missing = root / "raw" if root.is_dir() else root
        raise BuildError(
            [InputProblem(str(missing), None, None, "no such folder", "a project folder holding raw/ (the transcribed tables)")]
        )
    source_text = "\n".join(read_source_text(root).values())
    frames: dict[str, pd.DataFrame] = {}
    problems: list[InputProblem] = []
    for table in TABLES.values():
        shown_as = f"raw/{table.name}.csv"
        try:
            if table.name == "passages":  # not transcribed: the excerpts themselves, one per line
                raw, shown_as = passages_frame(read_source_text(root)), "raw/source/*.txt"
            else:
                raw = read_raw_csv(root / "raw" / f"{table.name}.csv", shown_as, raw_columns(table.model))
            frames[table.name] = _check_table(table, raw, frames, source_text, shown_as)
        except BuildError as err:
            problems += err.problems
    if not problems:
        problems = crosscheck.unused_classes(frames) + crosscheck.publication_problems(frames) + crosscheck.corroboration_problems(frames)
    if problems:
        raise BuildError(problems)
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}


def _check_table(table: Table, raw: pd.DataFrame, frames: dict, source_text: str, shown_as: str) -> pd.DataFrame:
    # Checks on the text as typed come first and all run, so one build lists
    # every mistake; typed checks need readable values, so they run only then.
    problems = crosscheck.duplicate_keys(table, raw, shown_as)
    problems += crosscheck.foreign_key_problems(table, raw, frames, shown_as)
    problems += crosscheck.quote_problems(table, raw, source_text, shown_as)
    try:
        typed = _validate(_raw_schema(table.model), raw, shown_as, raw)
    except BuildError as err:
        raise BuildError(problems + err.problems) from None
    if any(name not in frames and name != table.name for name in [fk.resource for fk in table.foreign_keys] + table.uses):
        raise BuildError(problems)  # a code list it depends on failed; that is reported
    derived, derive_problems = (table.derive or derive.nothing)(typed, frames, shown_as)
    if problems or derive_problems:
        raise BuildError(problems + derive_problems)
    schema = table.model.to_schema()
    full = _validate(schema, derived[list(schema.columns)], shown_as, raw)
    problems = crosscheck.foreign_key_problems(table, full, frames, shown_as, derived_only=True)
    if problems:
        raise BuildError(problems)
    return _final_dtypes(schema, full)


def _raw_schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The transcribed columns only, still as text where the final type is a
    category or a date, so that a bad value is reported as it was typed."""
    schema = model.to_schema()
    columns = {}
    for name in raw_columns(model):
        column = schema.columns[name]
        dtype, checks = column.dtype, list(column.checks)
        if str(dtype).startswith("datetime"):
            checks.append(pa.Check(_is_iso_date, error="a real date written YYYY-MM-DD"))
        # A column that stays text here (a string, a category or a date) is left as read_raw_csv and
        # passages_frame made it, already text: no dtype to coerce to or check. pandera checks a string
        # dtype cell by cell and builds a frame of failure cases even when none fails: 12% of a build.
        if str(dtype) == "category" or str(dtype).startswith(("datetime", "string")):
            dtype = None
        columns[name] = pa.Column(dtype, checks=checks, nullable=column.nullable)
    return pa.DataFrameSchema(columns, strict=True, coerce=True)  # names each column by its key; coerces them all


def _is_iso_date(values: pd.Series) -> pd.Series:
    # The format alone lets "1951-1-1" through; the pattern holds the digits to YYYY-MM-DD.
    written = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    return written & pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").notna()


def _validate(schema: pa.DataFrameSchema, frame: pd.DataFrame, shown_as: str, typed_as: pd.DataFrame) -> pd.DataFrame:
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise BuildError(_problems_from_pandera(err.failure_cases, schema, shown_as, typed_as, frame)) from None


def _problems_from_pandera(
    cases: pd.DataFrame, schema: pa.DataFrameSchema, shown_as: str, typed_as: pd.DataFrame, checked: pd.DataFrame
) -> list[InputProblem]:
    """One problem per failing cell (or row, for a rule across columns),
    showing values as typed in raw/, and computed values as the checked frame
    holds them: pandera reports them after coercion, a whole number 0 as 0.0."""
    coerce_failed = cases["check"].astype(str).str.startswith("coerce_dtype").any()
    row_rules = {check.error for check in schema.checks}
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        line = None if pd.isna(case.index) else int(case.index)
        if coerce_failed and (line is None or check.startswith("dtype(")):
            continue  # consequences of a value that could not be read at all
        if check in row_rules:
            problems.append(_row_rule_problem(check, line, schema, shown_as, typed_as))
            continue
        column = case.column if case.column in schema.columns else None
        found = show(case.failure_case)
        for frame in (typed_as, checked):  # as typed if it was typed, else as computed
            if column and line in frame.index and column in frame.columns:
                found = show(frame.at[line, column])
                break
        expected = _expected(check, schema.columns.get(column))
        problems.append(InputProblem(shown_as, line, _named(column, schema), found, expected))
    return problems


def _transcribed(column: str, schema: pa.DataFrameSchema) -> list[str]:
    """The raw columns a column comes from: itself, or those it is computed from."""
    return (schema.columns[column].metadata or {}).get("derived_from") or [column]


def _named(column: str | None, schema: pa.DataFrameSchema) -> str | None:
    if column is None or _transcribed(column, schema) == [column]:
        return column
    return f"{column} (computed from {', '.join(_transcribed(column, schema))})"


def _cell(value) -> str:
    return "(empty)" if pd.isna(value) else str(value)


def _row_rule_problem(rule: str, line: int | None, schema: pa.DataFrameSchema, shown_as: str, typed_as: pd.DataFrame) -> InputProblem:
    """A rule across columns ("lost must not exceed prewar_total") names the raw
    columns behind the columns it mentions, with their values on that line."""
    mentioned = [name for name in schema.columns if re.search(rf"\b{name}\b", rule)]
    columns = list(dict.fromkeys(raw for name in mentioned for raw in _transcribed(name, schema)))
    values = ", ".join(f"{c}={_cell(typed_as.at[line, c])}" for c in columns if line in typed_as.index and c in typed_as.columns)
    return InputProblem(shown_as, line, ", ".join(columns) or None, values or "a row that breaks a rule", rule)


def _expected(check: str, column: pa.Column | None) -> str:
    """Turn a pandera check into words a transcriber understands."""
    dtype = str(column.dtype) if column is not None else ""
    if check.startswith("coerce_dtype") or check.startswith("dtype("):
        return {"Int64": "a whole number", "float64": "a number", "string": "text"}.get(dtype, f"a value of type {dtype}")
    if check == "not_nullable":
        return "a value; this cell must not be empty"
    if column is not None:
        for candidate in column.checks:
            if candidate.error == check or candidate.name == check:
                return _check_in_words(candidate)
    return check


def _check_in_words(check: pa.Check) -> str:
    stats = check.statistics
    words = {
        "isin": lambda: "one of: " + ", ".join(map(str, stats.get("allowed_values", []))),
        "greater_than": lambda: f"a number greater than {stats.get('min_value')}",
        "greater_than_or_equal_to": lambda: f"a number of at least {stats.get('min_value')}",
        "less_than_or_equal_to": lambda: f"a number of at most {stats.get('max_value')}",
        "in_range": lambda: f"a number from {stats.get('min_value')} to {stats.get('max_value')}",
        "str_matches": lambda: _pattern_in_words(stats.get("pattern", "")),
    }
    return words.get(check.name, lambda: check.error or check.name)()


def _pattern_in_words(pattern: str) -> str:
    from aidstats.build.schemas import AT_MOST_25_WORDS, PRINTED_NUMBER, URL

    known = {
        PRINTED_NUMBER: "a number as printed, such as 5,346 or 1928 or 0.84",
        AT_MOST_25_WORDS: "at most 25 words",
        URL: "an http or https URL with a host, such as https://digitalarchive.wilsoncenter.org/document/113631",
    }
    return known.get(pattern, f"text matching the pattern {pattern}")


def _final_dtypes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Categories get their full vocabulary in the schema's order (not just the
    values present); text gets pandas' string dtype with pd.NA for missing."""
    for name, column in schema.columns.items():
        allowed = [c.statistics["allowed_values"] for c in column.checks if c.name == "isin"]
        if str(column.dtype) == "category" and allowed:
            frame[name] = frame[name].cat.set_categories(list(allowed[0]))
        elif isinstance(frame[name].dtype, pd.StringDtype):
            frame[name] = frame[name].astype(pd.StringDtype())
    return frame


def _to_arrow(frame: pd.DataFrame):
    """Arrow table for Parquet; dates become date32 (a date, not a timestamp),
    which DuckDB, polars and frictionless all read as a date."""
    import pyarrow as pa_

    table = pa_.Table.from_pandas(frame, preserve_index=False)
    for name in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[name]):
            index = table.schema.get_field_index(name)
            table = table.set_column(index, pa_.field(name, pa_.date32(), nullable=True), table.column(name).cast(pa_.date32()))
    return table


def write_csv(table, path: Path) -> None:
    """CSV through Arrow (ten times faster than pandas at a million rows): UTF-8, "\\n" line
    ends, values quoted only where needed, categories written as their text."""
    import pyarrow as pa_
    from pyarrow import csv as arrow_csv

    plain = table.cast(pa_.schema([pa_.field(f.name, pa_.string() if pa_.types.is_dictionary(f.type) else f.type) for f in table.schema]))
    arrow_csv.write_csv(plain, path, arrow_csv.WriteOptions(quoting_style="needed"))


def check_outputs(root: Path) -> None:
    """Refuse, before anything is built, a ``clean`` or ``datapackage.json`` in ``root`` that the build may not replace.

    ``clean`` must be a folder (or a symbolic link to one: the folder it leads to is replaced,
    the link kept) or missing; ``datapackage.json`` a regular file or missing; ``root`` writable
    (see :mod:`aidstats.package`).  Raises :class:`~aidstats.errors.OutputError` naming the path.
    """
    package.check_outputs(root, files=[package.DESCRIPTOR], folders=["clean"], writable=True)


def write_outputs(frames: dict[str, pd.DataFrame], root: Path) -> None:
    """Write clean/ and datapackage.json into a staging folder, then swap them in."""
    with package.staging_folder(root, ".build-") as staging:
        clean = staging / "clean"
        clean.mkdir()
        for name, frame in frames.items():
            table = _to_arrow(frame)
            write_csv(table, clean / f"{name}.csv")
            pq.write_table(table, clean / f"{name}.parquet", compression="snappy")
        descriptor = package_descriptor(frames, staging)
        # Plain writes: the staging folder is the build's own; move_in puts its contents in place.
        (staging / package.DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _swap_in(staging, root)


def _swap_in(staging: Path, root: Path) -> None:
    """Replace clean/ and datapackage.json together (:func:`aidstats.package.move_in`); on failure the old ones stay."""
    try:
        package.move_in([(staging / "clean", root / "clean"), (staging / package.DESCRIPTOR, root / package.DESCRIPTOR)], staging / "old")
    except OutputError as err:
        cause = err.__cause__ or err
        raise OutputError(
            f"could not move the new clean/ and datapackage.json into {root} ({cause}); "
            "clean/ and datapackage.json are as they were before the build"
        ) from cause


def build(root: Path) -> dict[str, pd.DataFrame]:
    """Build the package under ``root`` from ``root/raw``; return the tables.

    Parameters
    ----------
    root : Path
        The project folder: ``root/raw`` is read, ``root/clean`` and
        ``root/datapackage.json`` are written.

    Returns
    -------
    dict of str to pandas.DataFrame
        Every table, checked and with its computed columns, by name.

    Raises
    ------
    BuildError
        If ``root`` or ``root/raw`` does not exist, or the raw input has
        problems; every problem is listed and nothing is written.
    OutputError
        If ``clean`` or ``datapackage.json`` may not be replaced (a symbolic link, a
        named pipe, a device, a folder where the file belongs, ...: refused before
        anything is built), or the outputs cannot be written or moved into place;
        ``clean/`` and ``datapackage.json`` are then left as they were (unless putting
        the old ones back fails as well).  An ``OSError``, as before.
    """
    if Path(root).is_dir():
        check_outputs(Path(root))  # before the tables are built, which takes a while
    frames = build_tables(root)
    write_outputs(frames, root)
    return frames
