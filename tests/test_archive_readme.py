"""The release archive carries a README of its own, written from the package (issue 18).

Editing the repository's README must leave the archive, and so the sha256 recorded in
aidstats/registry.txt, unchanged; the archive's README must name every table the package
holds with its rows and files, say how to load one, how to cite the data, its licences and
the rights of the quoted excerpts, and its examples must run in the unzipped archive.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from code_blocks import PYTHON, PageRun, R, parse
from conftest import ROOT, made_once, run_cli
from markdown_it import MarkdownIt

import aidstats
from aidstats import metadata
from aidstats.loader import descriptor
from aidstats.publish.archive_readme import EXPORTS, archive_readme
from aidstats.publish.export import FORMATS
from aidstats.publish.release import archive_name, build_archive

FOLDER = f"aidstats-data-{metadata.VERSION}"
DOCUMENTS = ["LICENSE", "LICENSE-DATA", "CITATION.cff", "README.md"]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The release archive, made once per run: the same folder, made the same way, as tests/test_download.py's."""

    def package(out: Path) -> None:
        result = run_cli("package", "--out", str(out))
        assert result.exit_code == 0, result.output

    return made_once(tmp_path_factory, "release", package) / archive_name()


def members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name.removeprefix(f"{FOLDER}/"): opened.read(name) for name in opened.namelist()}


class _Rows(HTMLParser):
    """The cells of every table row of rendered HTML, and every tag inside a cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self.in_cell = True
        elif self.in_cell:
            self.tags.append(tag)

    def handle_endtag(self, tag):
        self.in_cell = self.in_cell and tag not in ("td", "th")

    def handle_data(self, data):
        if self.in_cell:
            self.rows[-1][-1] += data


def table_rows(markdown: str) -> _Rows:
    """The README's table as GitHub shows it: CommonMark with its tables, raw HTML allowed."""
    parser = _Rows()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    parser.rows = [[cell.strip() for cell in row] for row in parser.rows]  # the renderer's line breaks are no part of a cell
    return parser


def test_the_archive_readme_is_written_from_the_package_not_copied(release):
    held = members(release)
    assert held["README.md"].decode("utf-8") == archive_readme(ROOT, sorted(set(held) - {"README.md"}))
    assert held["README.md"] != (ROOT / "README.md").read_bytes()


def test_the_archive_readme_names_every_table_with_its_rows_and_files(release):
    held = members(release)
    rows = table_rows(held["README.md"].decode("utf-8")).rows
    assert rows[0] == ["table", "rows", "what it holds", "files"]
    by_table = {row[0]: row for row in rows[1:]}
    assert list(by_table) == aidstats.list_tables()
    for name, (_, count, title, files) in by_table.items():
        assert count == str(len(aidstats.load(name))), name
        assert title == aidstats.load(name).attrs["title"], name
        listed = files.split(", ")
        assert listed == [f"clean/{name}.csv", f"clean/{name}.parquet", f"exports/stata/{name}.dta"], name
        assert set(listed) <= set(held), name


def test_the_archive_readme_says_how_to_load_cite_and_what_the_licences_cover(release):
    text = members(release)["README.md"].decode("utf-8")
    package = descriptor()
    assert f"\n> {package['citation']}\n" in text
    for heading in ("## Load a table", "## Cite", "## Licences", "## The quoted excerpts"):
        assert f"\n{heading}\n" in text
    for reader in ("**pandas**", "**R**", "**Stata**", "**Excel, LibreOffice, Google Sheets**", "**SQL**", "**DuckDB**"):
        assert reader in text
    licences = text.partition("## Licences")[2].partition("\n## ")[0]
    assert "Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/)" in licences
    assert "`LICENSE-DATA`" in licences and "(MIT License)" in licences
    # The rights of the excerpts: the passages table and every quote column, named from the package.
    excerpts = text.partition("## The quoted excerpts")[2]
    quoting = [name for name in aidstats.list_tables() if "quote" in aidstats.load(name).columns]
    assert len(quoting) >= 5
    assert excerpts.startswith("\n\nThe `passages` table and the `quote` column of " + ", ".join(f"`{n}`" for n in quoting) + " hold")
    assert "copyright stays with the paper's author and publisher" in excerpts


def test_every_export_format_is_described():
    assert set(EXPORTS) == set(FORMATS)


def test_text_from_the_package_cannot_break_the_readme(project_copy):
    """A "|" in a title stays in its cell, and "<b>" shows as typed, in the README GitHub would render."""
    hostile = "a | b <b>bold</b> *em* `code`"
    for name in DOCUMENTS[:3]:
        shutil.copy(ROOT / name, project_copy / name)
    path = project_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    next(r for r in package["resources"] if r["name"] == "units")["title"] = hostile
    package["citation"] = hostile
    path.write_text(json.dumps(package), encoding="utf-8")
    text = archive_readme(project_copy, [])
    rendered = table_rows(text)
    assert ["units", str(len(aidstats.load("units"))), hostile, "clean/units.csv, clean/units.parquet"] in rendered.rows
    assert all(len(row) == 4 for row in rendered.rows) and set(rendered.tags) <= {"code"}
    assert "<b>" not in MarkdownIt("commonmark", {"html": True}).render(text)


@pytest.mark.slow  # the archive written twice
def test_editing_the_repository_readme_leaves_the_archive_unchanged(project_copy, tmp_path):
    for name in DOCUMENTS:
        shutil.copy(ROOT / name, project_copy / name)
    _, before = build_archive(project_copy, tmp_path / "before")
    readme = project_copy / "README.md"
    readme.write_text("# Reworded\n\nEvery line of the README changed.\n", encoding="utf-8")
    _, after = build_archive(project_copy, tmp_path / "after")
    assert after == before
    # Without a README at all it is still the same archive.
    readme.unlink()
    assert build_archive(project_copy, tmp_path / "without")[1] == before


@pytest.mark.slow  # Python and R started in the unzipped archive
def test_the_archive_readme_examples_run_in_the_unzipped_archive(release, tmp_path):
    with zipfile.ZipFile(release) as opened:
        opened.extractall(tmp_path / "unzipped")
    folder = tmp_path / "unzipped" / FOLDER
    blocks = [b for b in parse((folder / "README.md").read_text(encoding="utf-8"), "README.md") if b.runs]
    assert sorted({b.language for b in blocks}) == [PYTHON, R]
    assert sum(b.expected is not None for b in blocks) == 3  # pandas, R and DuckDB print the rows they read
    run = PageRun(blocks, folder, tmp_path / "scratch")
    try:
        failures = [result.report() for result in map(run.result, blocks) if result.failure]
    finally:
        run.close()
    assert not failures, "\n\n".join(failures)
