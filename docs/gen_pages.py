"""The pages of the documentation that are generated, written by mkdocs-gen-files when `mkdocs build` runs.

Nothing here is committed as a page: each build writes the pages afresh from the package and the code.

- ``tables/index.md``: the hand-written page, with the table of tables put between its markers.
- ``tables/<name>.md`` for every table of the package: its data dictionary and caveats
  (``aidstats.publish.readme.table_page``). A hand-written ``docs/tables/<name>.md``, where there is
  one, holds only that table's notes, which the page shows under "Notes". Each page is added to the
  navigation under "Tables", in the package's order.
- ``cli.md``: the hand-written page, with the reference of every command of the typer app put between
  its markers: usage, help, and every argument and option with its help, as ``--help`` gives them.
"""

from __future__ import annotations

from pathlib import Path

import mkdocs_gen_files
import typer.main

import aidstats
from aidstats.cli import app
from aidstats.publish.readme import END, START, markdown_code, markdown_text, table_page, tables_markdown

CLI_START, CLI_END = "<!-- commands:start -->", "<!-- commands:end -->"


def between(text: str, start: str, end: str, new: str, page: str) -> str:
    """``text`` with what lies between the markers ``start`` and ``end`` replaced by ``new`` (which carries them)."""
    if start not in text or end not in text:
        raise SystemExit(f"docs/{page} has no {start} … {end} for the generated part")
    head, _, rest = text.partition(start)
    return head + new + rest.partition(end)[2]


def read(page: str) -> str | None:
    """The hand-written source of ``page`` under docs/, or None if there is none."""
    path = Path(mkdocs_gen_files.config["docs_dir"]) / page
    return path.read_text(encoding="utf-8") if path.is_file() else None


def write(page: str, text: str) -> None:
    with mkdocs_gen_files.open(page, "w") as out:
        out.write(text)


# --- the tables -------------------------------------------------------------------------------

tables = aidstats.list_tables()
write(
    "tables/index.md",
    between(read("tables/index.md"), START, END, tables_markdown(link=lambda name: f"{name}.md", mkdocs=True), "tables/index.md"),
)
for name in tables:
    write(f"tables/{name}.md", table_page(name, notes=read(f"tables/{name}.md") or "", link=lambda other: f"{other}.md"))

# The "Tables" section of the navigation holds the index (mkdocs.yml); each table's page goes after it.
nav = mkdocs_gen_files.config["nav"]
section = next(item for item in nav if isinstance(item, dict) and "Tables" in item)
section["Tables"] = [*section["Tables"][:1], *({name: f"tables/{name}.md"} for name in tables)]


# --- the command line -------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    """A docstring's paragraphs, each on one line, Markdown-escaped."""
    return [markdown_text(" ".join(p.split())) for p in text.strip().split("\n\n") if p.strip()]


def parameters(command, ctx) -> list[str]:
    """A table of the command's arguments and options: each as --help shows it, with its help."""
    rows = [record for param in command.get_params(ctx) if (record := param.get_help_record(ctx))]
    if not rows:
        return []
    lines = ["| argument or option | what it does |", "|---|---|"]
    lines += [f"| {markdown_code(name, in_table=True)} | {markdown_text(' '.join(text.split()))} |" for name, text in rows]
    return lines


def command_reference() -> str:
    group = typer.main.get_command(app)
    root = group.make_context("aidstats", [], resilient_parsing=True)
    lines = [CLI_START, "", *paragraphs(group.help or ""), "", markdown_code(group.get_usage(root).removeprefix("Usage: ")), ""]
    lines += [*parameters(group, root), ""]
    for name, command in group.commands.items():
        ctx = command.make_context(name, [], parent=root, resilient_parsing=True)
        lines += [f"## aidstats {markdown_text(name)}", "", markdown_code(command.get_usage(ctx).removeprefix("Usage: ")), ""]
        lines += [*(p + "\n" for p in paragraphs(command.help or "")), *parameters(command, ctx), ""]
    return "\n".join([*lines, CLI_END])


write("cli.md", between(read("cli.md"), CLI_START, CLI_END, command_reference(), "cli.md"))
