"""The README's table of tables, generated from datapackage.json (itself
generated from the schemas), so the documentation cannot drift from the data.

``python -m aidstats.docs`` rewrites the section between the markers in
README.md; a test fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .loader import data_root, descriptor, list_tables

START, END = "<!-- tables:start -->", "<!-- tables:end -->"
CAVEATS_START, CAVEATS_END = "<!-- caveats:start -->", "<!-- caveats:end -->"


def tables_markdown(root: Path | None = None) -> str:
    package = descriptor(root)
    resources = {r["name"]: r for r in package["resources"]}
    lines = [START, "", "| table | rows | what it holds | columns (unit) |", "|---|---|---|---|"]
    for name in list_tables(root):
        resource = resources[name]
        rows = len(((root or data_root()) / resource["path"]).read_text(encoding="utf-8").splitlines()) - 1
        columns = ", ".join(f"`{f['name']}`" + (f" ({f['unit']})" if f.get("unit") else "") for f in resource["schema"]["fields"])
        lines.append(f"| `{name}` | {rows} | {resource['title']} | {columns} |")
    return "\n".join([*lines, "", END])


def caveats_markdown(root: Path | None = None) -> str:
    """One bullet per caveat, from the caveats table of the package."""
    import pandas as pd

    folder = root or data_root()
    caveats = pd.read_csv(folder / "clean" / "caveats.csv", dtype=str, keep_default_na=False)
    lines = [CAVEATS_START, ""]
    for row in caveats.itertuples():
        where = (
            f"`{row.table}`" + (f", {row.row_key}" if row.row_key else "") + (f", column `{row.column_name}`" if row.column_name else "")
        )
        lines.append(f"- **{row.caveat_id}** ({where}): {row.issue} *Evidence:* “{row.quote}”. *Treatment:* {row.treatment}")
    return "\n".join([*lines, "", CAVEATS_END])


def _replace(text: str, start: str, end: str, new: str) -> str:
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return head + new + tail


def update_readme(readme: Path) -> bool:
    """Rewrite the generated sections; return whether anything changed."""
    text = readme.read_text(encoding="utf-8")
    new = _replace(text, START, END, tables_markdown())
    new = _replace(new, CAVEATS_START, CAVEATS_END, caveats_markdown())
    readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update_readme(Path(sys.argv[1]) if len(sys.argv) > 1 else data_root() / "README.md")
    print("README.md updated" if changed else "README.md already up to date")
