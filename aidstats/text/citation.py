"""One line naming a document of the source register as the paper cites it.

Pure functions of a register row (or of the register as ``aidstats.load("sources")`` gives it):
the build titles each table's sources with them, and ``aidstats cite`` and the site print them.
"""

from __future__ import annotations

import pandas as pd


def location(row) -> str:
    """'AVPRF, Fond 0102, Opis 7, …' from a row of the sources table ('' where the footnote prints none)."""
    parts = [row.archive] + [
        f"{label} {getattr(row, field)}"
        for label, field in [("Fond", "fond"), ("Opis", "opis"), ("Delo", "delo"), ("Por.", "por"), ("Papka", "papka"), ("Listy", "listy")]
        if pd.notna(getattr(row, field))
    ]
    return ", ".join(p for p in parts if pd.notna(p))


def source_line(register: pd.DataFrame, source_id: str) -> str:
    """One line naming a source as the paper cites it, with the full citation an "Ibid." stands for.

    Parameters
    ----------
    register
        The sources table (as ``aidstats.load("sources")`` returns it).
    source_id
        A row of it.

    Returns
    -------
    str
        For a full citation, ``"footnote 45: <citation as printed>"``; for an "Ibid." or a repeat,
        the footnote it leads to as well, e.g. ``"footnote 31 (Ibid.: footnote 29, APRF, Fond 45,
        Opis 1, Delo 329, Listy 54-72)"``; for the paper itself, ``"the paper: <reference>"``.
    """
    return _line(_records(register), source_id)


def source_lines(register: pd.DataFrame) -> dict[str, str]:
    """:func:`source_line` of every source of the register, by source id, reading the register once.

    >>> import aidstats
    >>> register = aidstats.load("sources")
    >>> lines = source_lines(register)
    >>> lines["fn31"] == source_line(register, "fn31")
    True
    """
    records = _records(register)
    return {source_id: _line(records, source_id) for source_id in records}


def _records(register: pd.DataFrame) -> dict:
    # Rows as named tuples by id: pandas makes a Series of every row it is asked for, a millisecond
    # each, and the build titles over a hundred sources.
    return {row.source_id: row for row in register.itertuples(index=False)}


def _line(records: dict, source_id: str) -> str:
    row = records[source_id]
    if row.kind == "paper":
        return f"the paper: {row.citation}"
    own = f"footnote {row.footnote}"
    if pd.isna(row.full_citation_id):
        return f"{own}: {row.citation}"
    full = records[row.full_citation_id]
    where = location(full) or full.citation
    full_line = f"footnote {full.footnote}, {where}"
    if row.citation.startswith("Ibid"):
        printed = row.citation if row.citation == "Ibid." else row.citation.rstrip(". ")
        return f"{own} ({printed}: {full_line})"
    return f"{own}: {row.citation} (the document of {full_line})"
