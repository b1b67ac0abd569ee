"""Markdown written from the package, so the documentation cannot drift from the data.

- The README's citation, between its markers: ``python -m aidstats.publish.readme``
  rewrites it (and a table of tables or the caveats, in a file that has their
  markers); a test fails when it is out of date.
- The documentation's tables: the table of tables (:func:`tables_markdown`) and
  each table's data dictionary and caveats (:func:`table_page`), which
  ``docs/gen_pages.py`` writes when ``mkdocs build`` runs, so none is committed.

Everything here is read from ``datapackage.json`` (itself generated from the
schemas) and the tables.  Text from the package is Markdown-escaped where it is
written, so a ``|``, ``*``, backtick or ``<tag>`` in the data is shown as typed:
it cannot split a table cell, start emphasis or code, or inject HTML.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from aidstats.loader import data_root, descriptor, list_tables, load
from aidstats.package import PARQUET_SUFFIX

START, END = "<!-- tables:start -->", "<!-- tables:end -->"
CAVEATS_START, CAVEATS_END = "<!-- caveats:start -->", "<!-- caveats:end -->"
CITE_START, CITE_END = "<!-- citation:start -->", "<!-- citation:end -->"
CORROBORATION_START, CORROBORATION_END = "<!-- corroboration:start -->", "<!-- corroboration:end -->"

# Characters that can start Markdown (CommonMark and GitHub's extensions) inside a line:
# escapes, code, emphasis, links and images, HTML, entities, table cells, strikethrough, math.
_SPECIAL = re.compile(r"[\\`*\[\]<>&|~$]|(?<![^\W_])_|_(?![^\W_])")
# Line breaks would end the list item or the table row.
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")


def markdown_text(value) -> str:
    """``value`` as Markdown that renders to exactly its text, on one line.

    Every character that could start markup is backslash-escaped; an
    underscore between two letters or digits (``fn53_damaged``) cannot, so it
    is left as it is.  Line breaks become spaces.

    >>> markdown_text("a | b <i>*c*</i> snake_case _x_")
    'a \\\\| b \\\\<i\\\\>\\\\*c\\\\*\\\\</i\\\\> snake_case \\\\_x\\\\_'
    """
    return _SPECIAL.sub(lambda m: "\\" + m.group(), _BREAKS.sub(" ", str(value)))


def markdown_code(value, in_table: bool = False) -> str:
    """``value`` as a Markdown code span that shows exactly its text.

    The fence is one backtick longer than the longest run of backticks in
    the text, with a space inside it when the text starts or ends with a
    backtick.  In a table, ``|`` is escaped (GitHub splits table cells before
    it reads code spans, and shows ``\\|`` in a cell as ``|``).
    """
    text = _BREAKS.sub(" ", str(value))
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def tables_markdown(root: Path | None = None, link: Callable[[str], str] | None = None, mkdocs: bool = False) -> str:
    """The table of tables: name, rows, title and columns (with units) of each table in the package.

    With ``link``, each table's name links to ``link(name)`` (the documentation links it to its page).
    ``mkdocs`` writes it for the documentation's Markdown (Python-Markdown with ``pymdownx.escapeall``,
    as ``mkdocs.yml`` sets it up) rather than GitHub's: a code span in a cell keeps its ``|`` as it is,
    since Python-Markdown does not split a cell inside a code span (and would show ``\\|``).
    """
    in_table = not mkdocs
    package = descriptor(root)
    resources = {r["name"]: r for r in package["resources"]}
    lines = [START, "", "| table | rows | what it holds | columns (unit) |", "|---|---|---|---|"]
    for name in list_tables(root):
        resource = resources[name]
        # Rows counted as records, not text lines: a line separator inside a value is not a row.
        rows = len(load(name, root))
        columns = ", ".join(
            markdown_code(f["name"], in_table=in_table) + (f" ({markdown_text(f['unit'])})" if f.get("unit") else "")
            for f in resource["schema"]["fields"]
        )
        shown = markdown_code(name, in_table=in_table)
        if link is not None:
            shown = f"[{shown}](<{_destination(link(name))}>)"
        lines.append(f"| {shown} | {rows} | {markdown_text(resource['title'])} | {columns} |")
    return "\n".join([*lines, "", END])


def _destination(href: str) -> str:
    """``href`` as a Markdown link destination in angle brackets: percent-encoded, so no character of a name can end it."""
    return quote(href, safe="/#.-_~")


def caveat_bullets(root: Path | None = None, table: str | None = None) -> list[str]:
    """One Markdown bullet per caveat of the package (or of the table ``table``), in the caveats table's order."""
    # Empty row and column are missing values in the table; here they are simply left out.
    caveats = load("caveats", root).astype("string").fillna("")
    lines = []
    for row in caveats.itertuples():
        if table is not None and row.table != table:
            continue
        where = (
            markdown_code(row.table)
            + (f", {markdown_text(row.row_key)}" if row.row_key else "")
            + (f", column {markdown_code(row.column_name)}" if row.column_name else "")
        )
        lines.append(
            f"- **{markdown_text(row.caveat_id)}** ({where}): {markdown_text(row.issue)} "
            f"*Evidence:* “{markdown_text(row.quote)}”. *Treatment:* {markdown_text(row.treatment)}"
        )
    return lines


def caveats_markdown(root: Path | None = None) -> str:
    """One bullet per caveat, from the caveats table of the package, between the caveats markers."""
    return "\n".join([CAVEATS_START, "", *caveat_bullets(root), "", CAVEATS_END])


# How a Table Schema constraint reads in the data dictionary; a constraint not named here is shown as `name: value`.
_BOUNDS = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}


def _constraints(field: dict) -> str:
    said = []
    for key, value in field.get("constraints", {}).items():
        if key == "required":
            said.append("required" if value else "may be empty")
        elif key == "unique":
            said.append("unique" if value else "")
        elif key in _BOUNDS:
            said.append(f"{_BOUNDS[key]} {markdown_text(value)}")
        elif key == "pattern":
            said.append(f"matches {markdown_code(value)}")
        elif key == "enum":
            said.append("one of " + ", ".join(markdown_code(v) for v in value))
        else:
            said.append(f"{markdown_text(key)}: {markdown_code(json.dumps(value, ensure_ascii=False))}")
    return "; ".join(s for s in said if s)


def _missing(values: list[str]) -> str:
    """How the table's CSV file writes a missing value (its Table Schema ``missingValues``), in words."""
    shown = ["an empty cell" if value == "" else markdown_code(value) for value in values]
    if not shown:
        return "No value is missing in the CSV file: every cell holds a value."
    return f"In the CSV file, a missing value is {' or '.join(shown)}."


def _keys(fields: list[str]) -> str:
    return ", ".join(markdown_code(f) for f in fields)


def table_page(name: str, root: Path | None = None, notes: str = "", link: Callable[[str], str] | None = None) -> str:
    """The documentation page of the table ``name``: its data dictionary, ``notes`` and its caveats.

    Written for the documentation's Markdown (see ``mkdocs`` in :func:`tables_markdown`).

    The dictionary gives the table's title, description, rows, primary and foreign keys, sources
    and files, and for each column its name, types (Table Schema and pandas), unit, title,
    description, the columns it is computed from and its constraints.  ``notes`` (Markdown,
    written by hand about this table) follow under "Notes", then every caveat of the table.
    With ``link``, a foreign key's table links to ``link(table)``.
    """
    resource = next(r for r in descriptor(root)["resources"] if r["name"] == name)
    frame = load(name, root)
    schema = resource["schema"]

    def table_ref(other: str) -> str:
        shown = markdown_code(other)
        return f"[{shown}](<{_destination(link(other))}>)" if link is not None else shown

    foreign = [
        f"{_keys(key['fields'])} → {table_ref(key['reference']['resource'] or name)} ({_keys(key['reference']['fields'])})"
        for key in schema.get("foreignKeys", [])
    ]
    parquet = next((r["path"] for r in descriptor(root)["resources"] if r["name"] == f"{name}{PARQUET_SUFFIX}"), None)
    lines = [
        "---",
        "hide: [toc]",  # the table of columns needs the width of the page
        "---",
        "",
        f"# {markdown_text(name)}",
        "",
        f"**{markdown_text(resource['title'])}.** {markdown_text(resource['description'])}",
        "",
        f"- **Rows:** {len(frame)}",
        f"- **Primary key:** {_keys(schema.get('primaryKey', []))}",
        f"- **Foreign keys:** {'' if foreign else 'none'}",
        *(f"    - {key}" for key in foreign),
        f"- **Sources:** {'' if resource.get('sources') else 'none'}",
        *(f"    - {markdown_text(source['title'])}" for source in resource.get("sources", [])),
        f"- **Files:** {', '.join(markdown_code(path) for path in (resource['path'], parquet) if path)}",
        f"- **In Python:** {markdown_code(f'aidstats.load({json.dumps(name, ensure_ascii=False)})')}",
        "",
        "## Columns",
        "",
        _missing(schema.get("missingValues", [""])),
        "",
        "| column | type | pandas dtype | unit | title and description | constraints |",
        "|---|---|---|---|---|---|",
    ]
    for field in schema["fields"]:
        unit = (
            markdown_text(field["unit"])
            if field.get("unit")
            else (f"in column {markdown_code(field['unitField'])}" if field.get("unitField") else "")
        )
        about = f"**{markdown_text(field.get('title', field['name']))}.** {markdown_text(field.get('description', ''))}"
        if field.get("derivedFrom"):
            about += " Computed from " + ", ".join(markdown_code(f) for f in field["derivedFrom"]) + "."
        dtype = str(frame.dtypes[field["name"]]) if field["name"] in frame.columns else ""
        lines.append(
            f"| {markdown_code(field['name'])} | {markdown_text(field['type'])} | {markdown_code(dtype) if dtype else ''} "
            f"| {unit} | {about} | {_constraints(field)} |"
        )
    if notes.strip():
        lines += ["", "## Notes", "", notes.strip()]
    bullets = caveat_bullets(root, name)
    lines += ["", "## Caveats", ""]
    lines += bullets if bullets else [f"The caveats table records none for {markdown_code(name)}."]
    if name == "caveats":  # its own page also lists every caveat of the package, by table
        lines += ["", "## Every caveat, by table"]
        for other in list_tables(root):
            if other != name and (bullets := caveat_bullets(root, other)):
                lines += ["", f"### {table_ref(other)}", "", *bullets]
    return "\n".join(lines) + "\n"


def citation_markdown(root: Path | None = None) -> str:
    """The package's citation, as datapackage.json gives it, as a block quote."""
    return "\n".join([CITE_START, "", f"> {markdown_text(descriptor(root)['citation'])}", "", CITE_END])


def _counts(frame, column: str) -> str:
    """'agrees 11, differs 2, …': every category of ``column`` in the schema's order, zero counts included."""
    counts = frame[column].value_counts()
    return ", ".join(f"{category} {int(counts.get(category, 0))}" for category in frame[column].cat.categories)


def verdict_counts(root: Path | None = None) -> str:
    """The corroboration table's verdicts counted, as the README and the CHANGELOG print them."""
    return "verdicts: " + _counts(load("corroboration", root), "verdict")


def publication_counts(root: Path | None = None) -> str:
    """The register's rows counted by the best status of their published versions (confirmed, probable, not_found)."""
    publications = load("publications", root)
    order = list(publications["status"].cat.categories)
    best = publications.groupby("source_id", observed=True)["status"].agg(lambda s: min(s.astype(str), key=order.index))
    return "register rows by their best published version: " + ", ".join(f"{status} {int((best == status).sum())}" for status in order)


def corroboration_markdown(root: Path | None = None) -> str:
    """Where the cited documents are published and what the published versions say beside the paper, counted."""
    if "corroboration" not in list_tables(root):
        return f"{CORROBORATION_START}\n{CORROBORATION_END}"
    rights = descriptor(root)
    resource = next(r for r in rights["resources"] if r["name"] == "corroboration")
    evidence = next(f for f in resource["schema"]["fields"] if f["name"] == "evidence")
    rights_sentence = evidence["description"].split(". ", 1)[1]
    lines = [
        CORROBORATION_START,
        "",
        f"`publications`, {markdown_text(publication_counts(root))}. `corroboration`, the paper's figures and references beside "
        f"those versions, {markdown_text(verdict_counts(root))} (not_seen: the stored copy we could read does not reach the passage). "
        + markdown_text(rights_sentence),
        "",
        CORROBORATION_END,
    ]
    return "\n".join(lines)


def _replace(text: str, start: str, end: str, new: str) -> str:
    if start not in text or end not in text:
        return text  # a README without this section keeps its text
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return head + new + tail


def update_readme(readme: Path, root: Path | None = None) -> bool:
    """Rewrite the generated sections of ``readme`` from the package in ``root``; return whether anything changed."""
    text = readme.read_text(encoding="utf-8")
    new = _replace(text, START, END, tables_markdown(root))
    new = _replace(new, CAVEATS_START, CAVEATS_END, caveats_markdown(root))
    new = _replace(new, CITE_START, CITE_END, citation_markdown(root))
    new = _replace(new, CORROBORATION_START, CORROBORATION_END, corroboration_markdown(root))
    readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update_readme(Path(sys.argv[1]) if len(sys.argv) > 1 else data_root() / "README.md")
    print("README.md updated" if changed else "README.md already up to date")
