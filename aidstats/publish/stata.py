"""The Stata export: one ``.dta`` per table, format 118 (Stata 14 or later, Unicode).

Each file has the table's title as its dataset label, the column's title and
unit as every variable label, and value labels for the enumerations (pandas
writes a categorical column's categories as value labels).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from aidstats.package import check_output_file, output_file, write_text
from aidstats.publish.tables import created, tables, unit_symbols
from aidstats.text.numbers import heading

# Stata's limits: 32 characters in a name, 80 in a dataset or variable label.
STATA_NAME, STATA_LABEL = 32, 80
# Names Stata reserves (Stata User's Guide, [U] 11.3), and those pandas also refuses, which it would rename unasked.
_RESERVED = """
_all _b byte _coef _cons double float if in int long _n _N _pi _pred _rc _skip strL using with
aggregate array boolean break case catch class colvector complex const continue default delegate delete do
else eltypedef end enum explicit export external for friend function global goto inline local NULL pragma
protected quad rowvector short typedef typename virtual
"""
STATA_RESERVED = frozenset(_RESERVED.split())


def stata_names(columns: list[str]) -> dict[str, str]:
    """A name valid in Stata for each column: letters, digits and _, not starting with a digit, at most 32 characters.

    >>> stata_names(["seq", "percent of plan", "1951_total", "in"])
    {'seq': 'seq', 'percent of plan': 'percent_of_plan', '1951_total': '_1951_total', 'in': '_in'}

    A name that would repeat one already given (two columns cut to the same 32
    characters, or "a b" beside "a_b") ends in _1, _2 and so on instead.
    """
    names: dict[str, str] = {}
    for column in columns:
        name = re.sub(r"\W", "_", column, flags=re.ASCII)
        name = (f"_{name}" if name[:1].isdigit() or not name or name in STATA_RESERVED else name)[:STATA_NAME]
        base, number = name, 1
        while name in names.values():
            suffix = f"_{number}"
            name, number = base[: STATA_NAME - len(suffix)] + suffix, number + 1
        names[column] = name
    return names


def _label(text: str) -> str:
    """Text cut to Stata's 80 characters, marked with an ellipsis where it was cut."""
    return text if len(text) <= STATA_LABEL else text[: STATA_LABEL - 1] + "…"


def write_stata(root: Path, out: Path) -> list[Path]:
    """One ``.dta`` per table, format 118: dataset label, variable labels (title and unit), value labels.

    A column whose name Stata cannot take is renamed, and ``renamed.csv``
    (table, column, stata_name) lists every such column; when none is, that
    file is not written.
    """
    written, renamed = [], []
    everything = tables(root)
    units = unit_symbols(root)
    for name, _, _ in everything:  # every target checked before the first file is written
        check_output_file(out / f"{name}.dta")
    check_output_file(out / "renamed.csv")
    for name, meta, frame in everything:
        fields = meta["schema"]["fields"]
        names = stata_names(list(frame.columns))
        renamed += [(name, column, new) for column, new in names.items() if column != new]
        # pandas writes what Stata needs: missing text as "", nullable integers with Stata's
        # missing value, integers that fit as long, categoricals as value labels, and text
        # longer than a str's 2,045 bytes as a strL.
        data = frame.rename(columns=names)
        path = out / f"{name}.dta"
        with warnings.catch_warnings(), output_file(path) as partial:
            # pandas renames a column it finds invalid with only a warning; stata_names must have done it, documented.
            warnings.simplefilter("error", pd.io.stata.InvalidColumnName)
            data.to_stata(
                partial,
                write_index=False,
                version=118,
                time_stamp=created(root),
                data_label=_label(meta["title"]),
                variable_labels={names[f["name"]]: _label(heading(f, fields, units)) for f in fields},
                convert_dates={column: "td" for column in data.columns if pd.api.types.is_datetime64_any_dtype(data[column])},
            )
        written.append(path)
    if renamed:
        path = out / "renamed.csv"
        write_text(path, pd.DataFrame(renamed, columns=["table", "column", "stata_name"]).to_csv(index=False, lineterminator="\n"))
        written.append(path)
    return written
