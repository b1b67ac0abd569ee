"""The static site, opened offline from file:// in real headless Chromium."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from browser import new_offline_page
from conftest import ROOT, run_cli

import aidstats

SOURCE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw" / "source").glob("*.txt")))
PAGES = ["index", *aidstats.list_tables()]


@pytest.fixture
def site(built_site) -> Path:
    return built_site


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow  # the whole site written a second time
def test_site_build_is_deterministic(site, tmp_path):
    again = tmp_path / "again"
    # What an earlier build left in the folders aidstats owns is replaced, not kept beside the new files.
    for stale in ("assets/old.js", "data/clean/dropped.csv"):
        (again / stale).parent.mkdir(parents=True, exist_ok=True)
        (again / stale).write_text("stale", encoding="utf-8")
    assert run_cli("site", "-o", str(again)).exit_code == 0
    assert files(again) == files(site)


def test_plotly_is_shipped_once_and_nothing_is_fetched_from_a_cdn(site):
    assert (site / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "cdn.plot.ly" not in text.split('<script type="application/json"')[0]
        assert 'src="http' not in text and 'href="http' not in text.replace('href="https://creativecommons', "")


def test_a_browser_test_without_the_charts_marker_gets_no_plotly_and_no_error(site, page):
    """The page fixture's contract (TESTING.md, Markers): an empty plotly.js, so every chart of the page says
    it could not be drawn and shows its numbers; the empty file is no failed request, so the console is quiet."""
    page.goto((site / "aid_deliveries.html").as_uri())
    charts = page.locator("[data-chart]").count()  # the page's own charts, however many it has
    assert charts > 0
    page.wait_for_function(f"document.querySelectorAll('.chart-failed').length === {charts}", timeout=30_000)
    assert page.locator("[data-chart][data-drawn]").count() == 0
    assert page.evaluate("typeof window.Plotly") == "undefined"
    assert page.errors == [] and page.network == []


@pytest.mark.charts  # every chart drawn, with the site's plotly.js
@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_offline_without_errors(site, page, name):
    # A phone's width: the page may scroll its tables, never itself sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto((site / f"{name}.html").as_uri())
    page.wait_for_load_state("load")
    # charts.js draws the charts after the table works (plotly.js is loaded then): wait for every one.
    charts = page.locator("[data-chart]").count()
    if charts:
        page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {charts}", timeout=30_000)
    if name != "index":
        rows = page.locator("table.data tbody tr")
        assert rows.count() == len(aidstats.load(name))
        assert page.locator("table.data thead th[scope=col]").count() == len(aidstats.load(name).columns)
        # Only a table with quotes promises that a click shows the source.
        assert ("for its source" in page.locator("table.data caption").inner_text()) == ("quote" in aidstats.load(name).columns)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.errors == [], page.errors
    assert page.network == [], page.network


def test_sorting_a_numeric_column_orders_it_numerically(site, page):
    expected = sorted(aidstats.load("aid_deliveries").quantity.astype(float))
    page.goto((site / "aid_deliveries.html").as_uri())
    header = page.locator("table.data thead th", has_text="quantity").first
    header.locator("button").click()
    values = [float(v.replace(",", "")) for v in page.locator("table.data tbody tr td:nth-child(5)").all_inner_texts()]
    assert values == expected  # 4, 6, 6, … not "1,000" before "15"
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    values = [float(v.replace(",", "")) for v in page.locator("table.data tbody tr td:nth-child(5)").all_inner_texts()]
    assert values == expected[::-1]
    assert page.errors == []


def test_filter_shows_only_matching_rows(site, page):
    page.goto((site / "aid_deliveries.html").as_uri())
    page.fill("#filter", "Bulgaria")
    visible = page.locator("table.data tbody tr:not([hidden])")
    aid = aidstats.load("aid_deliveries").astype(str)
    expected = aid.apply(lambda column: column.str.lower().str.contains("bulgaria")).any(axis=1).sum()
    assert visible.count() == expected  # 7 Bulgarian rows and 3 whose quote names Bulgaria


@pytest.mark.parametrize(
    ("name", "row_text"),
    [
        ("mineral_exports", "beryllium concentrate"),
        ("aid_deliveries", "handicraft equipment"),
        ("railway_damage", "locomotives"),
        ("key_figures", "6,255"),
    ],
)
def test_clicking_a_value_shows_its_quote_in_the_source_passage(site, page, name, row_text):
    page.goto((site / f"{name}.html").as_uri())
    page.locator("table.data tbody tr", has_text=row_text).first.locator("td").nth(2).click()
    panel = page.locator("#provenance-panel")
    assert panel.is_visible()
    quote = panel.locator("mark").inner_text()
    assert quote and quote in SOURCE_TEXT and row_text.split(" ")[0] in quote
    assert quote in panel.locator(".passage").inner_text()
    # The footnote the paper cites for the row, and what its citation says (an "Ibid." with the document it stands for).
    column, value = panel.locator(".row-key").inner_text().split(" = ")
    table = aidstats.load(name)
    source_id = table[table[column].astype(str) == value].source_id.iloc[0]
    footnote = aidstats.load("sources").set_index("source_id").footnote[source_id]
    assert panel.locator(".citation").inner_text().startswith(f"footnote {footnote}")
    assert "Fond" in panel.locator(".citation").inner_text() or name == "key_figures"
    assert page.errors == []


def test_a_row_opens_its_source_from_the_keyboard(site, page):
    page.goto((site / "railway_damage.html").as_uri())
    page.locator("table.data tbody tr").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#provenance-panel mark").inner_text() == aidstats.load("railway_damage").quote.iloc[0]
    # Whole numbers with a thousands separator: "1928 out of 2410 warehouses" shows 1,928 and 2,410.
    cells = page.locator("table.data tbody tr", has_text="warehouses").locator("th, td").all_inner_texts()
    assert cells[2:4] == ["1,928", "2,410"]


def test_every_download_matches_the_descriptor(site, chromium):
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    hashes = {r["path"]: r["hash"].removeprefix("sha256:") for r in descriptor["resources"]}
    links = []
    # The links are plain HTML: without JavaScript the pages need not run plotly.js, and load in a fraction of the time.
    page = new_offline_page(chromium, javascript=False)
    for name in PAGES:
        page.goto((site / f"{name}.html").as_uri())
        links += page.locator("a[download]").evaluate_all("links => links.map(a => a.href)")
    page.context.close()
    assert page.network == []
    assert len(links) >= 2 * len(aidstats.list_tables()) + 1
    for link in set(links):
        path = Path(link.removeprefix("file://"))
        assert path.is_file(), link
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        relative = str(path.relative_to(site / "data")) if "data" in path.parts else None
        if relative in hashes:
            assert digest == hashes[relative], link
        else:  # the release archive: its hash is printed beside it
            assert digest in (site / "index.html").read_text(encoding="utf-8")


def test_the_home_page_offers_each_export_with_its_size_and_hash(built_site):
    """Issue 11: the workbook, a .dta per table and the database with its Datasette metadata, each checkable."""
    import re

    html = (built_site / "index.html").read_text(encoding="utf-8")
    offered = re.findall(r'<a href="(exports/[^"]+)" download>[^<]+</a> \(([^)]+)\), sha256 <code class="hash">([0-9a-f]{64})</code>', html)
    expected = ["exports/xlsx/aidstats.xlsx", *[f"exports/stata/{name}.dta" for name in sorted(aidstats.list_tables())]]
    expected += ["exports/sqlite/aidstats.db", "exports/sqlite/metadata.json"]
    assert sorted(href for href, _, _ in offered) == sorted(expected)
    for href, _, digest in offered:
        assert hashlib.sha256((built_site / href).read_bytes()).hexdigest() == digest


def test_columns_are_headed_as_in_the_exports(built_site):
    """Issue 17: one heading function, so the site's headings are the workbook's and the .dta labels'."""
    from aidstats.loader import resource
    from aidstats.publish.tables import unit_symbols
    from aidstats.text.numbers import heading

    expected = {
        "mineral_exports": "Percent of plan (%)",
        "aid_deliveries": "Quantity (see Unit)",
        "railway_damage": "Share lost (fraction)",
    }
    for name, shown in expected.items():
        html = (built_site / f"{name}.html").read_text(encoding="utf-8")
        assert f'<button type="button">{shown}</button>' in html, name
        fields = resource(name)["schema"]["fields"]
        for field in fields:
            assert f'<button type="button">{heading(field, fields, unit_symbols())}</button>' in html, field["name"]
