"""Hostile text in a package (test_escaping's make_hostile_package) stays text on the site as issue 12 reshaped it:
the quote read from its cell, the passages and source register shipped in assets/provenance.js, the caveats linked from
the home page.  These replace test_escaping's site tests that read the former page structure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_escaping import CAVEAT_ID, HOSTILE, PASSAGE, QUOTE, _assert_harmless, _open, make_hostile_package

import aidstats
from aidstats.site import build_site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return make_hostile_package(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_site(hostile, tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("hostile-site") / "site", root=hostile)


def test_a_hostile_quote_opens_as_text_in_the_panel(hostile_site, page):
    _open(page, hostile_site / "caveats.html")
    row = page.locator(f"table.data tbody tr:has(th:text-is('{CAVEAT_ID}'))")
    headers = page.locator("table.data thead th").evaluate_all("hs => hs.map(h => h.dataset.name)")
    assert row.locator("th, td").nth(headers.index("quote")).inner_text() == QUOTE  # the cell survived escaping intact
    row.locator("td").first.click()
    panel = page.locator("#provenance-panel")
    assert panel.locator(".quote").inner_text() == QUOTE
    assert panel.locator("mark").inner_text() == QUOTE
    assert panel.locator(".passage").inner_text() == PASSAGE
    assert panel.locator("img, b, script").count() == 0
    _assert_harmless(page)


def test_the_shared_provenance_script_holds_the_passage_as_escaped_text(hostile_site):
    text = (hostile_site / "assets" / "provenance.js").read_text(encoding="utf-8")
    assert "</" not in text  # written as "<\/", so no text could end a script element should the file be inlined
    data = json.loads(text.removeprefix("window.aidstatsProvenance = ").rstrip().removesuffix(";"))
    # The passage is HTML built by aidstats.passages.to_html: the hostile text in it is escaped, never markup.
    html = next(value for value in data["passages"].values() if "is quoted:" in value)
    assert "<img" not in html and "<b>" not in html and "&lt;" in html


def test_the_inline_page_data_cannot_end_its_script(hostile_site):
    text = (hostile_site / "caveats.html").read_text(encoding="utf-8")
    # A browser ends the script element at the first "</script>", whatever the JSON around it.
    data = text.split('<script type="application/json" id="provenance">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["title"] == f"Caveats {HOSTILE}"


def test_the_home_page_counts_the_given_packages_caveats(hostile, hostile_site):
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    caveats = aidstats.load("caveats", hostile)
    assert len(caveats) != len(aidstats.load("caveats"))  # so the count tells the packages apart
    assert f'<a href="caveats.html">caveats</a> table ({len(caveats)} caveats)' in index
