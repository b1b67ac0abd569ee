"""axe-core (vendored in tests/vendor/axe-core) over every page of the site in Chromium: no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site import PAGES

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.browser  # every page of the site, in Chromium


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violation(built_site, page, name):
    page.goto((built_site / f"{name}.html").as_uri())
    page.wait_for_load_state("load")
    assert violations(page) == []


def test_no_violation_with_the_source_panel_open_and_a_facet_unfolded(built_site, page):
    page.goto((built_site / "aid_deliveries.html").as_uri() + "#row-84")
    page.wait_for_load_state("load")
    page.locator("details[data-facet=donor] summary").click()
    page.locator("#provenance-panel button.cite-row").click()
    assert page.locator("#provenance-panel").is_visible()
    assert violations(page) == []


@pytest.mark.parametrize(
    ("name", "fragment", "dropdown"),
    [
        ("aid_deliveries", "#row-18", "details.ranges"),  # the panel listing a caveat, the number ranges unfolded
        ("caveats", "#row-locomotives_double_count", "details[data-facet=table]"),  # row keys as links
        ("sources", "#row-fn31", "details[data-facet=kind]"),  # an Ibid. linking its full citation
        # A figure a published version contradicts: the mark in its cell, the verdict, evidence and links in the panel.
        ("key_figures", "#row-pyongyang_bombing_deaths", "details[data-facet=topic]"),
    ],
)
def test_no_violation_with_links_in_cells_the_panel_open_and_a_list_unfolded(built_site, page, name, fragment, dropdown):
    page.goto((built_site / f"{name}.html").as_uri() + fragment)
    page.wait_for_load_state("load")
    page.locator(f"{dropdown} summary").click()
    assert page.locator("#provenance-panel").is_visible()
    assert violations(page) == []
