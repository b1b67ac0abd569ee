"""Documentation that cannot drift: generated sections, CI, citation."""

from __future__ import annotations

import json
import re

import yaml
from conftest import ROOT

import aidstats
from aidstats import metadata
from aidstats.publish import citation_files
from aidstats.publish.readme import (
    CAVEATS_END,
    CAVEATS_START,
    CITE_END,
    CITE_START,
    END,
    START,
    caveats_markdown,
    citation_markdown,
    tables_markdown,
    update_readme,
)

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_the_table_of_tables_and_the_caveats_are_generated_not_committed():
    """The README's table of tables and caveats moved to the documentation (issue 18), where docs/gen_pages.py
    writes them from the package each time mkdocs builds it, so no copy can be stale: the sources hold only
    the empty markers (tests/test_docs_site.py checks the built pages)."""
    assert START not in README and CAVEATS_START not in README, "the README has no generated tables any more"
    index = (ROOT / "docs" / "tables" / "index.md").read_text(encoding="utf-8")
    assert f"{START}\n{END}" in index
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert tables_markdown() not in text and CAVEATS_START not in text, f"{page} holds a copy of a generated section"
    assert caveats_markdown().startswith(CAVEATS_START)  # still written for a file that has the markers (update_readme)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    commands = setup_commands()
    assert len(commands) == 2
    assert "aidstats build" in commands[0] and "aidstats validate" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci


def test_readme_citation_is_the_packages():
    generated = README[README.index(CITE_START) : README.index(CITE_END) + len(CITE_END)]
    assert generated == citation_markdown(), "run: python -m aidstats.publish.readme README.md"
    # Written out by hand: what a reader copies from the README.
    assert (
        f"> aidstats contributors. aidstats: {metadata.TITLE}. Data package, version {aidstats.__version__}. "
        'Transcribed from Kathryn Weathersby, "North Korea and the Armistice Negotiations," '
        "Transactions of the Royal Asiatic Society Korea Branch, vol. 90." in generated
    )


def test_citation_cff_and_zenodo_json_are_current():
    for name, text in zip(citation_files.FILES, (citation_files.citation_cff(), citation_files.zenodo_json()), strict=True):
        assert (ROOT / name).read_text(encoding="utf-8") == text, "run: python -m aidstats.publish.citation_files"


def test_zenodo_json_and_citation_cff_say_the_same():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["title"] == cff["title"] and zenodo["version"] == cff["version"] == aidstats.__version__
    assert zenodo["publication_date"] == cff["date-released"]
    assert zenodo["license"] == cff["license"].lower() == "cc-by-4.0"
    assert zenodo["keywords"] == cff["keywords"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in cff["authors"]]
    assert zenodo["upload_type"] == "dataset" == cff["type"]
    assert zenodo["description"] == cff["abstract"]


def test_citation_file_agrees_with_the_package():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{aidstats.__version__}"' in citation
    assert "North Korea and the Armistice Negotiations" in citation
    assert f"## {aidstats.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_update_readme_rewrites_only_the_generated_sections(tmp_path):
    readme = tmp_path / "README.md"
    before, between, after = "# Title\n\nProse before.\n", "\nProse between.\n", "\nProse after.\n"
    stale = f"{before}{START}\nold table\n{END}{between}{CAVEATS_START}\nold caveats\n{CAVEATS_END}{after}"
    readme.write_text(stale, encoding="utf-8")
    assert update_readme(readme) is True
    assert readme.read_text(encoding="utf-8") == f"{before}{tables_markdown()}{between}{caveats_markdown()}{after}"
    assert update_readme(readme) is False  # already current: nothing to do


def test_readme_table_of_a_package_with_pipes_in_its_names_keeps_four_cells(project_copy):
    """A "|" in a table or column name (a code span) must not split the cell it is in."""
    path = project_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] in ("units", "units-parquet"):
            resource["name"] = resource["name"].replace("units", "un|its")
            resource["schema"]["fields"][0]["name"] = "un|it"
    path.write_text(json.dumps(package), encoding="utf-8")
    lines = tables_markdown(project_copy).splitlines()
    (row,) = [line for line in lines if line.startswith("| `un")]
    assert row.startswith("| `un\\|its` | ")  # GitHub shows "\|" in a table cell as "|"
    assert "| `un\\|it`, " in row
    # Every "|" from the data is escaped: a row of four cells has five bars that are not.
    assert len(re.findall(r"(?<!\\)\|", row)) == 5


def test_citation_files_are_written_where_asked_and_keep_accents(tmp_path):
    written = citation_files.write(tmp_path)
    assert [path.name for path in written] == ["CITATION.cff", ".zenodo.json"]
    assert (tmp_path / "CITATION.cff").read_text(encoding="utf-8") == citation_files.citation_cff()
    assert (tmp_path / ".zenodo.json").read_text(encoding="utf-8") == citation_files.zenodo_json()
    # YAML and JSON both read UTF-8: a name like "Chargé d’Affaires" is written as itself, not as \u escapes.
    assert citation_files._quoted("Chargé d’Affaires") == '"Chargé d’Affaires"'
    assert "“North Korea and the Armistice Negotiations,”" in citation_files.zenodo_json()
