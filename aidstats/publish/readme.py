"""The README's table of tables, generated from datapackage.json (itself
generated from the schemas), so the documentation cannot drift from the data.

``python -m aidstats.publish.readme`` rewrites the section between the markers in
README.md; a test fails when it is out of date.

Text from the package is Markdown-escaped where it is written, so a ``|``,
``*``, backtick or ``<tag>`` in the data is shown as typed: it cannot split
a table cell, start emphasis or code, or inject HTML.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from aidstats.loader import data_root, descriptor, list_tables, load

START, END = "<!-- tables:start -->", "<!-- tables:end -->"
CAVEATS_START, CAVEATS_END = "<!-- caveats:start -->", "<!-- caveats:end -->"
CITE_START, CITE_END = "<!-- citation:start -->", "<!-- citation:end -->"

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


def tables_markdown(root: Path | None = None) -> str:
    """The table of tables: name, rows, title and columns (with units) of each table in the package."""
    package = descriptor(root)
    resources = {r["name"]: r for r in package["resources"]}
    lines = [START, "", "| table | rows | what it holds | columns (unit) |", "|---|---|---|---|"]
    for name in list_tables(root):
        resource = resources[name]
        # Rows counted as records, not text lines: a line separator inside a value is not a row.
        rows = len(load(name, root))
        columns = ", ".join(
            markdown_code(f["name"], in_table=True) + (f" ({markdown_text(f['unit'])})" if f.get("unit") else "")
            for f in resource["schema"]["fields"]
        )
        lines.append(f"| {markdown_code(name, in_table=True)} | {rows} | {markdown_text(resource['title'])} | {columns} |")
    return "\n".join([*lines, "", END])


def caveats_markdown(root: Path | None = None) -> str:
    """One bullet per caveat, from the caveats table of the package."""
    # Empty row and column are missing values in the table; here they are simply left out.
    caveats = load("caveats", root).astype("string").fillna("")
    lines = [CAVEATS_START, ""]
    for row in caveats.itertuples():
        where = (
            markdown_code(row.table)
            + (f", {markdown_text(row.row_key)}" if row.row_key else "")
            + (f", column {markdown_code(row.column_name)}" if row.column_name else "")
        )
        lines.append(
            f"- **{markdown_text(row.caveat_id)}** ({where}): {markdown_text(row.issue)} "
            f"*Evidence:* “{markdown_text(row.quote)}”. *Treatment:* {markdown_text(row.treatment)}"
        )
    return "\n".join([*lines, "", CAVEATS_END])


def citation_markdown(root: Path | None = None) -> str:
    """The package's citation, as datapackage.json gives it, as a block quote."""
    return "\n".join([CITE_START, "", f"> {markdown_text(descriptor(root)['citation'])}", "", CITE_END])


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
    readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update_readme(Path(sys.argv[1]) if len(sys.argv) > 1 else data_root() / "README.md")
    print("README.md updated" if changed else "README.md already up to date")
