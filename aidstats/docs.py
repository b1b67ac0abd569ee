"""The README's table of tables, generated from datapackage.json (itself
generated from the schemas), so the documentation cannot drift from the data.

``python -m aidstats.docs`` rewrites the section between the markers in
README.md; a test fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .load import data_root, descriptor, list_tables

START, END = "<!-- tables:start -->", "<!-- tables:end -->"


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


def update_readme(readme: Path) -> bool:
    """Rewrite the generated section; return whether anything changed."""
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    new = head + tables_markdown() + tail
    readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update_readme(Path(sys.argv[1]) if len(sys.argv) > 1 else data_root() / "README.md")
    print("README.md updated" if changed else "README.md already up to date")
