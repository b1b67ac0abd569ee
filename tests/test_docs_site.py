"""The documentation site (mkdocs.yml, docs/): it builds with ``mkdocs build --strict``, and what it
generates covers the package and the command line whole.

The site is built once per run into a temporary folder (made_once); the tests read the pages. The
tables and the commands they look for are taken from the package and the typer app, never typed here.
The generated Markdown is also rendered with the Markdown extensions mkdocs.yml names, from a package
whose free text is hostile (tests/test_escaping.py), and must show that text as typed.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer.main
import yaml
from conftest import ROOT, made_once
from test_escaping import CAVEAT_ID, HOSTILE, make_hostile_package

import aidstats
from aidstats import metadata
from aidstats.cli import app
from aidstats.publish.readme import table_page, tables_markdown

MKDOCS = Path(sys.executable).parent / "mkdocs"
# Two plugins print a banner about the future of MkDocs on every build; it is not a warning of the build.
QUIET = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}


def build(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT,  # as a maintainer runs it (mkdocs.yml's paths work from anywhere)
        env={**os.environ, **QUIET},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    def make(folder: Path) -> None:
        done = build(folder / "site")
        (folder / "log.txt").write_text(f"exit status {done.returncode}\n{done.stdout}\n{done.stderr}", encoding="utf-8")

    folder = made_once(tmp_path_factory, "docs-site", make)
    log = (folder / "log.txt").read_text(encoding="utf-8")
    assert log.startswith("exit status 0\n"), log
    return folder / "site"


def text_of(page: Path) -> str:
    """The text a reader sees in the article of a built page, one space between words."""
    body = page.read_text(encoding="utf-8")
    article = body[body.index("<article") : body.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


@pytest.mark.slow  # mkdocs, mkdocstrings and every generated page: seconds
def test_the_documentation_builds_strict_without_a_warning(site):
    assert (site / "index.html").is_file()
    log = (site.parent / "log.txt").read_text(encoding="utf-8")
    assert "WARNING" not in log, log


@pytest.mark.slow
def test_every_table_has_its_page_with_its_columns_and_caveats(site):
    index = text_of(site / "tables" / "index.html")
    for name in aidstats.list_tables():
        frame = aidstats.load(name)
        assert f"{name} {len(frame)} {frame.attrs['title']}" in index, name
        page = text_of(site / "tables" / f"{name}.html")
        assert f"Rows: {len(frame)}" in page and frame.attrs["title"] in page, name
        for column in frame.columns:
            assert column in page, (name, column)
        for caveat in frame.attrs["caveats"]:
            assert caveat["caveat_id"] in page, (name, caveat["caveat_id"])
    # Every caveat of the package, on the caveats table's own page.
    caveats = text_of(site / "tables" / "caveats.html")
    assert all(caveat_id in caveats for caveat_id in aidstats.load("caveats")["caveat_id"])


@pytest.mark.slow
def test_every_table_page_is_in_the_navigation(site):
    nav = (site / "index.html").read_text(encoding="utf-8")
    for name in aidstats.list_tables():
        assert f'href="tables/{name}.html"' in nav, name


@pytest.mark.slow
def test_every_command_and_option_is_in_the_command_line_reference(site):
    page = text_of(site / "cli.html")
    group = typer.main.get_command(app)
    root = group.make_context("aidstats", [], resilient_parsing=True)
    assert group.commands, "no commands found in the typer app"
    for name, command in group.commands.items():
        assert f"aidstats {name}" in page, name
        ctx = command.make_context(name, [], parent=root, resilient_parsing=True)
        assert " ".join(command.get_usage(ctx).removeprefix("Usage: ").split()) in page, name
        assert " ".join((command.help or "").split()) in page, name
        for param in command.get_params(ctx):
            shown, helped = param.get_help_record(ctx)
            assert shown in page and " ".join(helped.split()) in page, (name, shown)
    for param in group.get_params(root):
        assert param.get_help_record(root)[0] in page


@pytest.mark.slow
def test_the_python_api_documents_every_public_name(site):
    page = (site / "api.html").read_text(encoding="utf-8")
    for name in aidstats.__all__:
        if name != "__version__":
            assert f'id="aidstats.{name}"' in page, name
    assert ":func:" not in page and ":class:" not in page  # the Sphinx roles became code (docs/griffe_roles.py)


@pytest.mark.slow
def test_the_changelog_and_contributing_are_included_not_copied(site):
    assert (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8").strip() == '--8<-- "CHANGELOG.md"'
    changelog = text_of(site / "changelog.html")
    assert f"{aidstats.__version__} —" in changelog
    contributing = text_of(site / "contributing.html")
    assert "Correct a value" in contributing and "Add a table" in contributing


@pytest.mark.slow
def test_the_readmes_screenshots_are_shown(site):
    for image in (ROOT / "docs" / "img").glob("*.png"):
        assert (site / "img" / image.name).read_bytes() == image.read_bytes()
        assert f'src="img/{image.name}"' in (site / "web.html").read_text(encoding="utf-8"), image.name


README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS_URL = f"{metadata.SITE_URL}docs/"  # where the release workflow publishes the site (GitHub Pages)


def test_the_readme_is_short_and_its_first_screen_has_the_set_up_and_the_load():
    assert len(README.encode("utf-8")) <= 12 * 1024
    first_screen = "\n".join(README.splitlines()[:45])
    assert first_screen.count("```sh\npython3 -m venv .venv") == 2
    assert 'aidstats.load("' in first_screen


@pytest.mark.slow
def test_the_readmes_links_to_the_documentation_name_pages_it_has(site):
    links = re.findall(re.escape(DOCS_URL) + r"([^)>\s]*)", README)
    assert links, "the README links to no page of the documentation"
    for link in links:
        page, _, anchor = link.partition("#")
        built = site / (page or "index.html")
        assert built.is_file(), link
        assert not anchor or f'id="{anchor}"' in built.read_text(encoding="utf-8"), link


def test_mkdocs_writes_the_site_where_git_ignores_it():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_dir = re.search(r"^site_dir: (\S+)$", config, flags=re.M).group(1)
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{site_dir}/index.html"], cwd=ROOT)
    assert ignored.returncode == 0, f"{site_dir} is not in .gitignore"


# --- the generated Markdown, rendered as mkdocs renders it, from a hostile package -------------


def markdown_extensions() -> list:
    """The Markdown extensions of mkdocs.yml (names, and one-key mappings of a name to its options)."""

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml's own tags (!relative, !ENV, !!python/name) read as None: none matter here.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["markdown_extensions"]


def render(text: str) -> str:
    import markdown

    names, configs = [], {}
    for extension in markdown_extensions():
        name, options = (extension, None) if isinstance(extension, str) else next(iter(extension.items()))
        if name == "pymdownx.snippets":
            continue  # reads files; the generated pages include none
        names.append(name)
        if options:
            configs[name] = options
    front_matter = re.match(r"---\n.*?\n---\n", text, flags=re.S)
    return markdown.markdown(text[front_matter.end() :] if front_matter else text, extensions=names, extension_configs=configs)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        self.text += data


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return made_once(tmp_path_factory, "hostile", make_hostile_package)  # the folder tests/test_escaping.py uses


@pytest.mark.slow  # builds the hostile package, unless tests/test_escaping.py has
@pytest.mark.parametrize("name", ["sources", "caveats"])
def test_a_table_page_shows_hostile_text_as_typed(hostile, name):
    parsed = Tags()
    parsed.feed(render(table_page(name, hostile, notes="", link=lambda other: f"{other}.md")))
    # Only the page's own markup: no element, link or entity from the data.
    assert parsed.tags <= {"h1", "h2", "h3", "p", "strong", "em", "code", "ul", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}
    # The links are to other tables' pages and, as the toc extension writes them, to the page's own headings.
    assert all(re.fullmatch(r"[a-z_]+\.md|#[a-z0-9_-]+", link) for link in parsed.links), parsed.links
    assert " ".join(HOSTILE.split()) in " ".join(parsed.text.split())
    if name == "sources":
        assert CAVEAT_ID in parsed.text


@pytest.mark.slow
def test_the_table_of_tables_keeps_hostile_text_in_its_cells(hostile):
    parsed = Tags()
    parsed.feed(render(tables_markdown(hostile, link=lambda other: f"{other}.md", mkdocs=True)))
    assert "img" not in parsed.tags and "b" not in parsed.tags and "script" not in parsed.tags
    assert f"Caveats {HOSTILE}" in parsed.text
