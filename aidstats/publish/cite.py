"""How to cite the package, and the paper and archival documents behind a table.

Everything comes from datapackage.json and the sources table, so the
citation printed here always agrees with the data (and a test holds
CITATION.cff to the same metadata).
"""

from __future__ import annotations

import pandas as pd

from aidstats import metadata
from aidstats.loader import list_tables, load_rows, resource
from aidstats.text.citation import location, source_line, source_lines

__all__ = [
    "bibtex_names",
    "citation_bibtex",
    "citation_text",
    "footnotes_phrase",
    "location",
    "published_lines",
    "source_line",
    "source_lines",
]


def _documents(name: str) -> pd.DataFrame:
    """The register rows a table's sources name, in the register's order (the paper left out)."""
    sources = load_rows("sources")
    cited = [s["path"].partition("#")[2] for s in resource(name).get("sources", [])]
    return sources[sources["source_id"].isin(cited) & (sources["kind"] != "paper")]


def citation_text(name: str | None = None) -> str:
    """Plain-text citation of the package, or of one table with its documents."""
    lines = [metadata.CITATION]
    if name is not None:
        resource(name)  # an unknown name raises, listing the valid ones
        documents = _documents(name)
        if documents.empty:
            return "\n".join([*lines, "", f"Table {name} cites no document besides the paper."])
        register = load_rows("sources")
        lines += ["", f"Table {name} rests on these documents, as cited in the paper:"]
        publications = load_rows("publications") if "publications" in list_tables() else None  # packages before 0.5.0 have none
        cited_as = source_lines(register)
        for source_id in documents["source_id"]:
            lines.append(f"  {cited_as[source_id]}")
            lines += [f"    {line}" for line in published_lines(publications, register, source_id)]
        # A citation that is itself damaged or doubtful says so where it is printed.
        about = _caveats_about(set(documents["source_id"]) | set(documents["full_citation_id"].dropna()))
        if len(about):
            lines += ["", "Caveats about these citations:"]
            lines += [f"  {row.caveat_id}: {row.issue}" for row in about.itertuples()]
    return "\n".join(lines)


def published_lines(publications: pd.DataFrame | None, register: pd.DataFrame, source_id: str) -> list[str]:
    """'Published in translation: <publisher>, <title>, <url>' for each confirmed or probable published version of a
    register row (for a cited publication, 'Published copy: …'); a probable one says so. None for a package without
    the publications table."""
    if publications is None:
        return []
    kind = register.loc[register["source_id"] == source_id, "kind"].iloc[0]
    label = "Published copy" if kind == "publication" else "Published in translation"
    found = publications[(publications["source_id"] == source_id) & publications["status"].isin(["confirmed", "probable"])]
    lines = []
    for row in found.itertuples():
        parts = [str(part) for part in (row.publisher, row.title, row.url) if pd.notna(part)]
        probable = " (a probable match: see the publications table's notes)" if row.status == "probable" else ""
        lines.append(f"{label}: {', '.join(parts)}{probable}")
    return lines


def _caveats_about(source_ids: set[str]) -> pd.DataFrame:
    """The caveats on the sources table whose row_key names one of ``source_ids``."""
    caveats = load_rows("caveats")
    on_sources = caveats[caveats["table"] == "sources"]
    named = on_sources["row_key"].fillna("").str.split(";")
    return on_sources[named.map(lambda keys: any(key.removeprefix("source_id=") in source_ids for key in keys))]


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


# Korean and Chinese names are printed family name first; every other name in the
# register is printed given names first, with any lower-case particle ("van") before
# the family name.
_FAMILY_NAME_FIRST = {"Kim Il Sung", "Shen Zhihua"}


def bibtex_names(author: str) -> str:
    """The register's author as BibTeX names, 'Family, Given' joined by ' and '.

    >>> bibtex_names("B. Akimov"), bibtex_names("Erik van Ree"), bibtex_names("Suzdalev")
    ('Akimov, B.', 'van Ree, Erik', 'Suzdalev')
    >>> bibtex_names("Shen Zhihua and Yafeng Xia"), bibtex_names("Kim Il Sung")
    ('Shen, Zhihua and Xia, Yafeng', 'Kim, Il Sung')
    """
    names = []
    for name in author.split(" and "):
        words = name.split()
        if name in _FAMILY_NAME_FIRST:
            family, given = words[:1], words[1:]
        else:
            start = len(words) - 1
            while start > 0 and words[start - 1].islower():
                start -= 1
            family, given = words[start:], words[:start]
        names.append(", ".join(filter(None, [" ".join(family), " ".join(given)])))
    return " and ".join(names)


def footnotes_phrase(numbers: list[int]) -> str:
    """'footnote 46' or 'footnotes 27, 29, 31'."""
    return ("footnote " if len(numbers) == 1 else "footnotes ") + ", ".join(map(str, numbers))


def _first_citation(register: pd.DataFrame, source_id: str) -> str:
    """The register row where the document of ``source_id`` is first cited in full."""
    while pd.notna(full := register.at[source_id, "full_citation_id"]):
        source_id = full
    return source_id


def citation_bibtex(name: str | None = None) -> str:
    """BibTeX entries: the package, the paper, and (for a table) each document it rests on, once."""
    year = metadata.CREATED[:4]
    entries = [
        f"@misc{{aidstats_{metadata.VERSION.replace('.', '_')},\n  author = {{{{aidstats contributors}}}},\n  title = {_bib('aidstats: ' + metadata.TITLE)},\n"
        f"  year = {{{year}}},\n  version = {{{metadata.VERSION}}},\n  note = {_bib('Data package transcribed from ' + metadata.PAPER)}\n}}",
        f"@article{{{metadata.PAPER_KEY},\n  author = {{Weathersby, Kathryn}},\n  title = {_bib(metadata.PAPER_TITLE)},\n  journal = {_bib(metadata.PAPER_JOURNAL)},\n  volume = {{{metadata.PAPER_VOLUME}}}\n}}",
    ]
    if name is None:
        return "\n\n".join(entries)
    resource(name)  # an unknown name raises, listing the valid ones
    register = load_rows("sources").set_index("source_id")
    cited_in: dict[str, list[int]] = {}
    for source_id in _documents(name)["source_id"]:
        cited_in.setdefault(_first_citation(register, source_id), []).append(int(register.at[source_id, "footnote"]))
    for source_id, footnotes in cited_in.items():
        row = register.loc[source_id]
        where = location(row)
        position = f"{row['author']}: {row['author_position']}. " if pd.notna(row["author_position"]) else ""
        fields = {
            "title": row["title"],
            "author": bibtex_names(row["author"]) if pd.notna(row["author"]) else None,
            "howpublished": where or None,
            "date": row["date"],
            "note": f"{position}Cited in {footnotes_phrase(footnotes)} of {metadata.PAPER}: {row['citation']}",
        }
        body = ",\n".join(f"  {key} = {_bib(value)}" for key, value in fields.items() if value is not None and pd.notna(value))
        entries.append(f"@misc{{{source_id},\n{body}\n}}")
    return "\n\n".join(entries)
