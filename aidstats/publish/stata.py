"""The Stata export: one ``.dta`` per table, format 118 (Stata 14 or later, Unicode).

Each file has the table's title as its dataset label, the column's title and
unit as every variable label, and value labels for the enumerations (pandas
writes a categorical column's categories as value labels).  The value labels
of ``sitc_section`` carry the sections' titles from the package's
``sitc_divisions`` table ("3 Mineral fuels, lubricants and related
materials"), so the value 3 reads as its section in Stata.
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


def section_labels(everything: list[tuple[str, dict, pd.DataFrame]]) -> dict[str, str]:
    """'<section> <title>' for each SITC section titled in the package's ``sitc_divisions`` table (none without it).

    >>> divisions = pd.DataFrame({"section": ["0", "0", "3"], "section_title": ["Food", "Food", "Mineral fuels"]})
    >>> section_labels([("sitc_divisions", {}, divisions)])
    {'0': '0 Food', '3': '3 Mineral fuels'}
    """
    divisions = next((frame for name, _, frame in everything if name == "sitc_divisions"), None)
    if divisions is None or not {"section", "section_title"} <= set(divisions.columns):
        return {}
    first = divisions.drop_duplicates("section").dropna(subset=["section", "section_title"])
    return {str(section): f"{section} {title}" for section, title in zip(first["section"], first["section_title"], strict=True)}


def _titled(frame: pd.DataFrame, titles: dict[str, dict[str, str]]) -> pd.DataFrame:
    """``frame`` with each categorical column of ``titles`` relabelled: its codes' titles become its value labels."""
    for column, labels in titles.items():
        if column in frame.columns and isinstance(frame[column].dtype, pd.CategoricalDtype) and labels:
            frame = frame.assign(**{column: frame[column].cat.rename_categories(lambda code, labels=labels: labels.get(str(code), code))})
    return frame


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
    titles = {"sitc_section": section_labels(everything)}
    for name, meta, frame in everything:
        fields = meta["schema"]["fields"]
        frame = _titled(frame, titles)
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
