"""The home page: a headline figure from each core table first, then the charts; the downloads' checksums folded away (issue 19).

Each expected figure is worked out here from the clean CSVs with the csv module, not with aidstats.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from aidstats.loader import data_root
from aidstats.web.site import _headlines

ROOT = Path(__file__).resolve().parents[1]


def _rows(name: str) -> list[dict]:
    with open(ROOT / "clean" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def headlines() -> dict[str, dict]:
    return {h["table"]: h for h in _headlines(data_root())}


def test_railway_headline_is_the_share_of_the_rolling_stock_lost(headlines):
    rolling = [row for row in _rows("railway_damage") if row["asset_group"] == "rolling_stock"]
    lost, prewar = sum(int(r["lost"]) for r in rolling), sum(int(r["prewar_total"]) for r in rolling)
    # By hand: 1,036 + 830 + 13,114 = 14,980 of 1,249 + 945 + 16,986 = 19,180 (locomotives and rail cars): 78.10%.
    assert (lost, prewar) == (14_980, 19_180)
    line = headlines["railway_damage"]
    assert line["value"] == f"{100 * lost / prewar:.1f}%" == "78.1%"
    assert line["detail"].startswith(f"{lost:,} of the {prewar:,} ")
    assert all(r["asset"] in line["detail"] for r in rolling)
    assert "January-June 1951" in line["text"]


def test_mineral_headline_is_the_tonnes_delivered_against_the_tonnes_planned(headlines):
    rows = _rows("mineral_exports")
    delivered, planned = sum(float(r["delivered_t"]) for r in rows), sum(float(r["plan_t"]) for r in rows)
    over = sum(float(r["percent_of_plan"]) > 100 for r in rows)
    line = headlines["mineral_exports"]
    assert line["value"] == f"{100 * delivered / planned:.1f}%"
    assert line["detail"] == f"{round(delivered):,} t of {round(planned):,} t across {len(rows)} products; {over} of them over plan"
    assert over == 5 and len(rows) == 16  # zinc cake, zinc, ferrosilite, instrumental steel and lead passed their plan by August
    assert "31 August" in line["text"] and "USSR" in line["text"]


def test_aid_headline_is_the_tonnes_delivered_and_the_largest_donors_share(headlines):
    rows = _rows("aid_deliveries")
    counted = [r for r in rows if r["base_unit"] == "t" and not r["implausible_reason"]]  # as the charts count them
    total = sum(float(r["quantity_base"]) for r in counted)
    china = sum(float(r["quantity_base"]) for r in counted if r["donor"] == "China")
    donors = {r["donor_code"] for r in rows}
    line = headlines["aid_deliveries"]
    assert line["value"] == f"{int(total + 0.5):,} t"  # four significant digits, but never an integer digit rounded away
    assert f"by {len(donors)} states" in line["text"] and len(donors) == 6
    assert line["detail"].startswith(f"{100 * china / total:.1f}% of it from China")
    assert f"the {len(counted)} of {len(rows)} lines measured in tonnes" in line["detail"]


def test_home_page_puts_the_figures_and_charts_before_the_downloads_and_folds_the_hashes(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    figures = [m.start() for m in re.finditer(r'<span class="figure">', text)]
    assert len(figures) == 3
    for table in ("railway_damage", "mineral_exports", "aid_deliveries"):
        assert re.search(rf'<span class="figure">[^<]+</span>[^<]*</p><p class="meta">[^<]*<a href="{table}\.html">', text), table
    first_chart = text.index('class="chart"')
    download = text.index('id="download"')
    hashes = [m.start() for m in re.finditer(r'<code class="hash">', text)]
    assert max(figures) < first_chart < download < min(hashes)
    # Every checksum inside one <details> that is closed until a reader opens it.
    folded = re.search(r'<details class="downloads">(.*?)</details>', text, re.S)
    assert folded and text.count('<code class="hash">') == folded.group(1).count('<code class="hash">') >= 2


def test_on_a_phone_the_first_screen_shows_the_figures_and_no_hash(built_site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto((built_site / "index.html").as_uri())
    figure = page.locator("ul.headlines .figure").first
    assert figure.bounding_box()["y"] < 812
    assert page.locator("code.hash").first.is_hidden()
    page.locator("details.downloads summary").click()
    assert page.locator("code.hash").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_no_serious_or_critical_accessibility_violation_with_the_downloads_unfolded(built_site, page):
    from test_site_a11y import violations

    page.goto((built_site / "index.html").as_uri())
    page.locator("details.downloads summary").click()
    assert violations(page) == []
