"""CONTRIBUTING.md's add-a-table recipe, followed literally in a copy of the project.

The raw file and the model are taken from the recipe's own code blocks, the model is
written into the copy's ``aidstats/build/schemas.py`` where the recipe says, and the
recipe's commands run in the copy (with the copy's ``aidstats`` first on the path).
The new table must then be built, valid, in the documentation's data dictionary, exported and on the site.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

import aidstats
from aidstats.build.schemas import TABLES, Donors, ForeignKey, Text, column, table
from aidstats.publish.readme import table_page, tables_markdown

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "CONTRIBUTING.md"
MARKER = "# Declare a new table above this line."
# What a project copy needs besides the recipe's files: the raw data, the code and the documents the release archive holds.
PROJECT = ["raw", "aidstats", "README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff"]


def recipe() -> str:
    text = RECIPE.read_text(encoding="utf-8")
    return text[text.index("\n## Add a table\n") :].split("\n## ", 2)[1]


def recipe_files() -> dict[str, str]:
    """The files the recipe writes: each code block whose info string names a path, by that path."""
    blocks = re.findall(r"^( *)```\w+ (\S+)\n(.*?)^\1```$", recipe(), flags=re.M | re.S)
    return {path: "".join(line.removeprefix(indent) + "\n" for line in body.splitlines()) for indent, path, body in blocks}


def recipe_commands() -> list[list[str]]:
    """The commands of the recipe's first shell block, one per line."""
    block = re.search(r"^( *)```sh\n(.*?)^\1```$", recipe(), flags=re.M | re.S).group(2)
    return [shlex.split(line.split("#")[0]) for line in block.splitlines() if line.split("#")[0].strip()]


def test_the_recipe_has_a_raw_file_a_model_and_commands():
    files = recipe_files()
    assert sorted(files) == ["aidstats/build/schemas.py", "raw/archives.csv"]
    assert files["aidstats/build/schemas.py"].startswith("@table(")
    assert [command[:2] for command in recipe_commands()] == [
        [".venv/bin/aidstats", "build"],
        [".venv/bin/aidstats", "validate"],
        [".venv/bin/aidstats", "site"],
    ]
    assert (ROOT / "aidstats" / "build" / "schemas.py").read_text(encoding="utf-8").count(f"\n{MARKER}\n") == 1


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> Path:
    """A copy of the project with the recipe followed in it; the path of the copy."""
    project = tmp_path_factory.mktemp("add-a-table")
    for name in PROJECT:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "data"))
        else:
            shutil.copy(ROOT / name, project / name)
    files = recipe_files()
    # Step 1: the raw file.
    (project / "raw" / "archives.csv").write_text(files["raw/archives.csv"], encoding="utf-8")
    # Step 2: the model, above the line the recipe names.
    schemas = project / "aidstats" / "build" / "schemas.py"
    text = schemas.read_text(encoding="utf-8")
    schemas.write_text(text.replace(f"\n{MARKER}\n", f"\n{files['aidstats/build/schemas.py']}\n\n{MARKER}\n"), encoding="utf-8")
    # Step 3: the commands, with the copy's aidstats ahead of the checkout's on the path.
    venv = Path(sys.executable).parent
    environment = os.environ | {"PYTHONPATH": str(project)}
    for command in recipe_commands():
        program = command[0].removeprefix(".venv/bin/")
        done = subprocess.run(
            [str(venv / program), *command[1:]], cwd=project, env=environment, capture_output=True, text=True, check=False, timeout=600
        )
        assert done.returncode == 0, f"{shlex.join(command)}\n{done.stdout}\n{done.stderr}"
        if command[1] == "build":
            assert "built archives: 3 rows" in done.stdout, done.stdout  # the copy's code ran, not the checkout's
    return project


@pytest.mark.slow
def test_the_new_table_is_built_in_its_declared_place(added):
    tables = aidstats.list_tables(added)
    assert tables == [*[name for name in aidstats.list_tables() if name not in ("caveats", "passages")], "archives", "caveats", "passages"]
    archives = aidstats.load("archives", added)
    assert archives["archive"].tolist() == ["AVPRF", "APRF", "RTsKhIDNI"]
    assert archives.attrs["title"] == "Archives" and archives.attrs["primary_key"] == ["archive"]
    assert pd.read_csv(added / "clean" / "archives.csv", dtype=str).equals(pd.read_csv(added / "raw" / "archives.csv", dtype=str))
    caveat_tables = next(f for f in aidstats.loader.resource("caveats", added)["schema"]["fields"] if f["name"] == "table")
    assert "archives" in caveat_tables["constraints"]["enum"]


@pytest.mark.slow
def test_the_other_tables_are_unchanged(added):
    for name in aidstats.list_tables():
        if name != "caveats":  # its `table` column may now also name archives
            assert (added / "clean" / f"{name}.csv").read_bytes() == (ROOT / "clean" / f"{name}.csv").read_bytes(), name


@pytest.mark.slow
def test_the_new_table_is_in_the_documentation(added):
    """The table of tables (once in the README, now in the documentation) and the table's own page, as
    docs/gen_pages.py writes them from the copy's package when mkdocs builds."""
    assert "| `archives` | 3 | Archives | `archive`, `name`, `english_name` |" in tables_markdown(added)
    page = table_page("archives", added)
    assert "**Archives.** Code list of the Moscow archives the footnotes cite." in page
    assert "- **Rows:** 3" in page and "- **Primary key:** `archive`" in page
    assert "| `english_name` | string | `string` |  | **English name.** The archive's name in English. | required |" in page


@pytest.mark.slow
def test_the_new_table_has_its_page(added):
    page = (added / "site" / "archives.html").read_text(encoding="utf-8")
    assert "Code list of the Moscow archives the footnotes cite." in page
    assert "Foreign Policy Archive of the Russian Federation" in page
    assert 'href="archives.html"' in (added / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_new_table_is_exported(added):
    exports = added / "site" / "exports"
    stata = pd.read_stata(exports / "stata" / "archives.dta")
    assert stata["archive"].tolist() == ["AVPRF", "APRF", "RTsKhIDNI"]
    with sqlite3.connect(exports / "sqlite" / "aidstats.db") as db:
        assert db.execute("select archive, english_name from archives order by rowid").fetchall()[1] == (
            "APRF",
            "Archive of the President of the Russian Federation",
        )


def test_a_declaration_that_does_not_fit_its_model_says_what_to_change():
    before = dict(TABLES)

    class Plans(pa.DataFrameModel):
        item: Text = column("Item", "An item.")
        plan_t: Text = column("Plan", "Computed.", derived_from=["plan_as_printed"])
        plan_as_printed: Text = column("Plan as printed", "As printed.")

        class Config:
            name = "plans"
            title = "Plans"

    with pytest.raises(TypeError) as raised:
        table(["items"], foreign_keys=[ForeignKey(["item"], "later_table", ["item"])], uses=["nowhere"])(Plans)
    message = str(raised.value)
    assert message.startswith("the table model Plans in aidstats/build/schemas.py: ")
    for words in [
        "Config.description is missing",
        "its primary key names 'items', which is not one of its columns (item, plan_t, plan_as_printed)",
        "refers to 'later_table', which is not declared above it",
        "it uses 'nowhere', which is not declared above it",
        "its columns plan_t are computed (derived_from in their metadata) but no derive= function computes them",
    ]:
        assert words in message
    assert dict(TABLES) == before  # nothing was registered


def test_a_second_table_of_the_same_name_is_refused():
    with pytest.raises(TypeError, match=r"Config\.name 'donors' is already the name of Donors"):
        table(["code"])(Donors)
    assert TABLES["donors"].model is Donors
