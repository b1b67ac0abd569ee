"""How to cite the package, and the paper and archival documents behind a table.

Everything comes from datapackage.json and the sources table, so the
citation printed here always agrees with the data (and a test holds
CITATION.cff to the same metadata).
"""

from __future__ import annotations

import pandas as pd

from . import metadata
from .loader import load, resource


def _documents(name: str) -> pd.DataFrame:
    """The documents a table's sources name, in the sources table's order (the paper left out)."""
    sources = load("sources")
    cited = [s["path"].partition("#")[2] for s in resource(name).get("sources", [])]
    return sources[sources["source_id"].isin(cited) & (sources["kind"] != "paper")]


def location(row) -> str:
    """'AVPRF, Fond 0102, Opis 7, …' from a row of the sources table."""
    parts = [row.archive] + [
        f"{label} {getattr(row, field)}"
        for label, field in [("Fond", "fond"), ("Opis", "opis"), ("Delo", "delo"), ("Por.", "por"), ("Papka", "papka"), ("Listy", "listy")]
        if pd.notna(getattr(row, field))
    ]
    return ", ".join(p for p in parts if pd.notna(p))


def citation_text(name: str | None = None) -> str:
    """Plain-text citation of the package, or of one table with its documents."""
    lines = [metadata.CITATION]
    if name is not None:
        resource(name)  # an unknown name raises, listing the valid ones
        documents = _documents(name)
        if documents.empty:
            return "\n".join([*lines, "", f"Table {name} cites no document besides the paper."])
        lines += ["", f"Table {name} rests on these documents, as cited in the paper:"]
        for row in documents.itertuples():
            lines.append(f"  footnote {row.footnote}: {row.citation}")
        # A citation that is itself damaged or doubtful says so where it is printed.
        caveats = load("caveats")
        about = caveats[(caveats["table"] == "sources") & caveats["row_key"].isin([f"source_id={s}" for s in documents["source_id"]])]
        if len(about):
            lines += ["", "Caveats about these citations:"]
            lines += [f"  {row.row_key.removeprefix('source_id=')}: {row.issue}" for row in about.itertuples()]
    return "\n".join(lines)


# LaTeX typesets BibTeX fields, so a character it treats specially is written as
# the command that prints it.  Braces become commands too: BibTeX matches every
# brace, even an escaped one, so "\{" alone would unbalance the entry.
_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def _bib(value: str) -> str:
    return "{" + str(value).translate(_LATEX) + "}"


def citation_bibtex(name: str | None = None) -> str:
    """BibTeX entries: the package, the paper, and (for a table) its documents."""
    year = metadata.CREATED[:4]
    entries = [
        f"@misc{{aidstats_{metadata.VERSION.replace('.', '_')},\n  author = {{{{aidstats contributors}}}},\n  title = {_bib('aidstats: ' + metadata.TITLE)},\n"
        f"  year = {{{year}}},\n  version = {{{metadata.VERSION}}},\n  note = {_bib('Data package transcribed from ' + metadata.PAPER)}\n}}",
        f"@article{{{metadata.PAPER_KEY},\n  author = {{Weathersby, Kathryn}},\n  title = {_bib(metadata.PAPER_TITLE)},\n  journal = {_bib(metadata.PAPER_JOURNAL)},\n  volume = {{{metadata.PAPER_VOLUME}}}\n}}",
    ]
    if name is None:
        return "\n\n".join(entries)
    resource(name)  # an unknown name raises, listing the valid ones
    for row in _documents(name).itertuples():
        fields = {
            "title": row.title,
            "author": row.author,
            "howpublished": location(row) or None,
            "date": row.date,
            "note": f"Cited in footnote {row.footnote} of {metadata.PAPER}: {row.citation}",
        }
        body = ",\n".join(f"  {key} = {_bib(value)}" for key, value in fields.items() if value is not None and pd.notna(value))
        entries.append(f"@misc{{{row.source_id},\n{body}\n}}")
    return "\n\n".join(entries)
