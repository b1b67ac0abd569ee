"""The static site, opened offline from file:// in real headless Chromium."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from browser import offline_page
from conftest import ROOT, run_cli

import aidstats

SOURCE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw" / "source").glob("*.txt")))
PAGES = ["index", *aidstats.list_tables()]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_cli("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_build_is_deterministic(site, tmp_path):
    again = tmp_path / "again"
    assert run_cli("site", "-o", str(again)).exit_code == 0
    assert files(again) == files(site)


def test_plotly_is_shipped_once_and_nothing_is_fetched_from_a_cdn(site):
    assert (site / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "cdn.plot.ly" not in text.split('<script type="application/json"')[0]
        assert 'src="http' not in text and 'href="http' not in text.replace('href="https://creativecommons', "")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_offline_without_errors(site, page):
    with offline_page() as browser:
        browser.goto((site / f"{page}.html").as_uri())
        browser.wait_for_load_state("load")
        charts = browser.locator(".js-plotly-plot")
        if charts.count():
            browser.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0", timeout=30_000)
        if page != "index":
            rows = browser.locator("table.data tbody tr")
            assert rows.count() == len(aidstats.load(page))
            assert browser.locator("table.data thead th[scope=col]").count() == len(aidstats.load(page).columns)
        assert browser.errors == [], browser.errors
        assert browser.network == [], browser.network


def test_sorting_a_numeric_column_orders_it_numerically(site):
    expected = sorted(aidstats.load("aid_deliveries").quantity.astype(float))
    with offline_page() as browser:
        browser.goto((site / "aid_deliveries.html").as_uri())
        header = browser.locator("table.data thead th", has_text="quantity").first
        header.locator("button").click()
        values = [
            float(v)
            for v in browser.locator("table.data tbody tr td:nth-child(5)").evaluate_all("cells => cells.map(c => c.dataset.value)")
        ]
        assert values == expected  # 4, 6, 6, … not "1,000" before "15"
        assert header.get_attribute("aria-sort") == "ascending"
        header.locator("button").click()
        values = [
            float(v)
            for v in browser.locator("table.data tbody tr td:nth-child(5)").evaluate_all("cells => cells.map(c => c.dataset.value)")
        ]
        assert values == expected[::-1]
        assert browser.errors == []


def test_filter_shows_only_matching_rows(site):
    with offline_page() as browser:
        browser.goto((site / "aid_deliveries.html").as_uri())
        browser.fill("#filter", "Bulgaria")
        visible = browser.locator("table.data tbody tr:not([hidden])")
        aid = aidstats.load("aid_deliveries").astype(str)
        expected = aid.apply(lambda column: column.str.lower().str.contains("bulgaria")).any(axis=1).sum()
        assert visible.count() == expected  # 7 Bulgarian rows and 3 whose quote names Bulgaria


@pytest.mark.parametrize(
    ("page", "row_text"),
    [
        ("mineral_exports", "beryllium concentrate"),
        ("aid_deliveries", "handicraft equipment"),
        ("railway_damage", "locomotives"),
        ("key_figures", "6,255"),
    ],
)
def test_clicking_a_value_shows_its_quote_in_the_source_passage(site, page, row_text):
    with offline_page() as browser:
        browser.goto((site / f"{page}.html").as_uri())
        browser.locator("table.data tbody tr", has_text=row_text).first.locator("td").nth(2).click()
        panel = browser.locator("#provenance-panel")
        assert panel.is_visible()
        quote = panel.locator("mark").inner_text()
        assert quote and quote in SOURCE_TEXT and row_text.split(" ")[0] in quote
        assert quote in panel.locator(".passage").inner_text()
        assert panel.locator(".footnote").inner_text().startswith("Footnote ")
        assert "Fond" in panel.locator(".citation").inner_text() or page == "key_figures"
        assert browser.errors == []


def test_a_row_opens_its_source_from_the_keyboard(site):
    with offline_page() as browser:
        browser.goto((site / "railway_damage.html").as_uri())
        browser.locator("table.data tbody tr").first.focus()
        browser.keyboard.press("Enter")
        assert browser.locator("#provenance-panel mark").inner_text() == aidstats.load("railway_damage").quote.iloc[0]


def test_every_download_matches_the_descriptor(site):
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    hashes = {r["path"]: r["hash"].removeprefix("sha256:") for r in descriptor["resources"]}
    with offline_page() as browser:
        links = []
        for page in PAGES:
            browser.goto((site / f"{page}.html").as_uri())
            links += browser.locator("a[download]").evaluate_all("links => links.map(a => a.href)")
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
