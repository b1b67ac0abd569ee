"""The charts: the numbers each ships (its table and CSV), their layout on a phone, and plotly.js kept out of the table's way.

Expected numbers are worked out here from the package's CSV files (clean/), not from what the charts compute.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT

from aidstats.web import figures
from aidstats.web.figures import CHARTS

pytestmark = pytest.mark.charts  # the page fixture lets the site's plotly.js through (conftest.py)

PHONE = {"width": 375, "height": 800}
PAGES_WITH_CHARTS = {
    "railway_damage": ["railway_losses"],
    "mineral_exports": ["plan_fulfilment"],
    "aid_deliveries": ["aid_by_donor", "donor_composition"],
}


def clean_rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "clean" / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def shipped(name: str) -> dict:
    """What ``chart_script`` files under ``window.aidstatsCharts[name]``, read back as JSON."""
    text = figures.chart_script(name)
    prefix = f'(window.aidstatsCharts = window.aidstatsCharts || {{}})["{name}"] = '
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2].replace("<\\/", "</"))


def number(text: str) -> float:
    return float(text) if text else None


# -- what each chart ships -------------------------------------------------------------------------


def test_railway_losses_ships_the_tables_rows():
    table = shipped("railway_losses")["table"]
    columns = ["asset", "asset_group", "lost", "prewar_total", "unit", "share_lost"]
    assert table["columns"] == columns
    expected = [
        [r["asset"], r["asset_group"], int(r["lost"]), int(r["prewar_total"]), r["unit"], float(r["share_lost"])]
        for r in clean_rows("railway_damage")
    ]
    assert table["rows"] == expected
    # The table view writes the numbers as the site does: thousands separated, the share to four digits.
    warehouses = next(row for row in table["shown"] if row[0] == "warehouses")
    assert warehouses[2:4] == ["1,928", "2,410"]


def test_plan_fulfilment_ships_each_minerals_plan_and_status():
    table = shipped("plan_fulfilment")["table"]
    assert table["columns"] == ["commodity", "delivered_t", "percent_of_plan", "plan_t", "plan_t_low", "plan_t_high", "status"]
    by_commodity = {row[0]: row for row in table["rows"]}
    for r in clean_rows("mineral_exports"):
        percent = float(r["percent_of_plan"])
        status = "over plan" if percent > 100 else "under plan" if percent < 100 else "at plan"
        expected = [
            r["commodity"],
            float(r["delivered_t"]),
            percent,
            *(float(r[c]) for c in ("plan_t", "plan_t_low", "plan_t_high")),
            status,
        ]
        assert by_commodity[r["commodity"]] == pytest.approx(expected), r["commodity"]
    assert len(table["rows"]) == len(clean_rows("mineral_exports"))


def test_aid_charts_ship_tonnes_and_lines_by_donor_and_section():
    lines, tonnes = defaultdict(int), defaultdict(float)
    for r in clean_rows("aid_deliveries"):
        key = (r["donor"], r["sitc_section"])
        lines[key] += 1  # every line counts, whatever its unit
        if r["base_unit"] == "t" and not r["implausible_reason"]:  # the implausible line is left out of the sums
            tonnes[key] += float(r["quantity_base"])
    by_donor = {(row[0], row[2]): (row[4], row[5]) for row in shipped("aid_by_donor")["table"]["rows"]}
    assert by_donor == {key: (lines[key], pytest.approx(t)) for key, t in tonnes.items() if t > 0}
    composition = {(row[0], row[2]): row[4] for row in shipped("donor_composition")["table"]["rows"]}
    assert composition == dict(lines)
    # China's coal and coking coal: 240,000 + 300 tonnes, section 3.
    assert by_donor[("China", "3")][1] == 240_300


def test_every_category_is_labelled_on_a_phone_and_on_a_wide_screen():
    donors = list(dict.fromkeys(r["donor"] for r in clean_rows("aid_deliveries")))
    expected = {
        "railway_losses": {r["asset"] for r in clean_rows("railway_damage")},
        "plan_fulfilment": {r["commodity"] for r in clean_rows("mineral_exports")},
        "aid_by_donor": set(donors),
        "donor_composition": set(donors),
    }
    for name in CHARTS:
        chart = shipped(name)
        axis, narrow = chart["layout"]["yaxis"], chart["narrow"]["yaxis"]
        # Plotly skips category labels that would crowd unless each is given: all are, in both layouts.
        assert axis["tickmode"] == "array" and set(axis["tickvals"]) == expected[name], name
        assert len(narrow["ticktext"]) == len(axis["tickvals"])
        for value, text in zip(axis["tickvals"], narrow["ticktext"], strict=True):
            assert text.replace("<br>", " ") == value  # the whole label, wrapped
            assert all(len(line) <= 16 or " " not in line for line in text.split("<br>")), text
        # The legend below the plot, across it; the title is the page's heading, not plotly's.
        assert chart["layout"]["legend"]["orientation"] == "h" and chart["layout"]["legend"]["yanchor"] == "bottom"
        assert chart["page"]["title"]["text"] == "" and chart["title"] == chart["layout"]["title"]["text"].replace("&amp;", "&")
    # All six donors in the aid chart, Czechoslovakia too, which sent nothing in tonnes (noted on its row).
    aid = shipped("aid_by_donor")
    assert aid["layout"]["yaxis"]["categoryarray"] == donors
    assert [a["y"] for a in aid["layout"]["annotations"]] == ["Czechoslovakia"]


def test_no_hover_line_is_wider_than_a_phone_allows():
    for name in CHARTS:
        for trace in CHARTS[name].make().data:
            for row in trace.customdata:
                for value in row:
                    for line in str(value).split("<br>"):
                        assert len(line) <= figures.HOVER_WIDTH or " " not in line, (name, line)


# -- in Chromium ---------------------------------------------------------------------------------

# Records, when a script that loads plotly.js is put into the page, whether the table was marked interactive then.
WATCH_PLOTLY = """
window.__plotlyInserted = [];
new MutationObserver(function (records) {
  records.forEach(function (record) {
    record.addedNodes.forEach(function (node) {
      if (node.tagName === "SCRIPT" && /plotly/.test(node.src || "")) {
        window.__plotlyInserted.push({src: node.src, tableMarked: performance.getEntriesByName("aidstats-table-interactive", "mark").length});
      }
    });
  });
}).observe(document, {childList: true, subtree: true});
"""


def drawn(page, count: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {count}", timeout=30_000)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_plotly_is_requested_only_after_the_table_is_interactive(built_site, chromium):
    from browser import new_offline_page

    # A tab of its own: the init script that watches for plotly.js stays with it.
    page = new_offline_page(chromium)
    try:
        requests = []
        page.on("request", lambda request: requests.append(request.url.rsplit("/", 1)[-1]))
        page.add_init_script(WATCH_PLOTLY)
        page.goto((built_site / "railway_damage.html").as_uri())
        drawn(page, 1)
        # No script tag for plotly.js in the page: charts.js adds it, once, after the table's mark.
        sources = re.findall(r'<script[^>]* src="([^"]+)"', (built_site / "railway_damage.html").read_text(encoding="utf-8"))
        assert not [src for src in sources if "plotly" in src]
        inserted = page.evaluate("window.__plotlyInserted")
        assert [(Path(i["src"]).name, i["tableMarked"]) for i in inserted] == [("plotly.min.js", 1)]
        assert requests.count("plotly.min.js") == 1 and requests.index("plotly.min.js") > requests.index("site.js")
        marks = page.evaluate("performance.getEntriesByType('mark').map(m => m.name)")
        assert marks.index("aidstats-table-interactive") < marks.index("aidstats-first-chart")
        assert page.errors == [] and page.network == []
    finally:
        page.context.close()


def test_the_shipped_plotly_js_draws_every_trace_type_the_charts_use(page):
    # The pages ship plotly.js's smallest partial bundle that holds the charts' trace types; a chart of
    # another type (a heatmap, say) would need a larger bundle, and the page would not draw it.
    used = {trace.type for chart in CHARTS.values() for trace in chart.make().data}
    assert "bar" in used
    page.add_script_tag(content=figures.BUNDLE.read_text(encoding="utf-8"))
    registered = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    assert registered == {"bar", "pie", "scatter"}  # the "basic" bundle, as its banner says
    assert used <= registered and page.errors == []


def test_a_chart_whose_plotly_js_cannot_load_says_so_and_shows_its_numbers(built_site, page):
    page.route("**/plotly.min.js", lambda route: route.abort())
    try:
        page.goto((built_site / "aid_deliveries.html").as_uri())
        notes = page.locator("figure.chart .chart-failed")
        notes.first.wait_for(timeout=30_000)
        assert notes.count() == len(PAGES_WITH_CHARTS["aid_deliveries"])
        for text in notes.all_inner_texts():
            assert text.startswith("This chart could not be drawn: plotly.js") and "Its numbers are in the table below" in text
        # Never an empty box: the numbers are shown instead, and no image download is offered.
        tables = page.locator("figure.chart .chart-table")
        assert tables.count() == 2 and all(t.is_visible() for t in tables.all())
        assert page.locator("figure.chart .chart-png:disabled").count() == 2
    finally:
        page.unroute("**/plotly.min.js")
    page.errors.clear()  # the aborted request is a console error by design


def test_the_csv_download_and_the_table_view_hold_the_charts_numbers(built_site, page):
    page.goto((built_site / "railway_damage.html").as_uri())
    figure = page.locator("figure#railway_losses")
    with page.expect_download() as download:
        figure.locator("button.chart-csv").click()
    assert download.value.suggested_filename == "railway_losses.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    columns = ["asset", "asset_group", "lost", "prewar_total", "unit", "share_lost"]
    assert rows[0] == columns
    expected = [[r[c] for c in columns] for r in clean_rows("railway_damage")]
    assert [row[:2] + row[4:5] for row in rows[1:]] == [row[:2] + row[4:5] for row in expected]
    assert [[float(v) for v in row[2:4] + row[5:]] for row in rows[1:]] == [[float(v) for v in row[2:4] + row[5:]] for row in expected]
    # The toggle shows the same rows as a table, the chart hidden, and back.
    toggle = figure.locator("button.chart-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    table = figure.locator(".chart-table table")
    assert table.is_visible() and not figure.locator(".plot").is_visible()
    assert table.locator("caption").text_content().startswith("The numbers of the chart: DPRK railways")
    cells = table.locator("tbody tr").evaluate_all("rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))")
    assert [[c[0], int(c[2].replace(",", "")), int(c[3].replace(",", ""))] for c in cells] == [
        [r["asset"], int(r["lost"]), int(r["prewar_total"])] for r in clean_rows("railway_damage")
    ]
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "Show the chart"
    toggle.click()
    assert figure.locator(".plot").is_visible() and not table.is_visible()
    assert page.errors == []


def test_image_downloads_are_the_chart_as_png_and_svg(built_site, page):
    page.goto((built_site / "mineral_exports.html").as_uri())
    drawn(page, 1)
    figure = page.locator("figure#plan_fulfilment")
    with page.expect_download() as svg:
        figure.locator("button.chart-svg").click()
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert svg.value.suggested_filename == "plan_fulfilment.svg" and text.startswith("<svg")
    assert "Mineral deliveries to the USSR" in text  # the image carries the chart's title
    with page.expect_download() as png:
        figure.locator("button.chart-png").click()
    assert png.value.suggested_filename == "plan_fulfilment.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# What test_at_a_phones_width_every_label_is_inside_its_chart reads of the page, each in one call.
BOXES = """es => es.map(e => {
  const r = e.getBoundingClientRect();
  return {x: r.x, width: r.width, height: r.height, size: parseFloat(getComputedStyle(e).fontSize),
          text: e.textContent};
})"""
SCROLLED_BOX = """e => {
  e.scrollIntoView({block: "nearest", inline: "nearest"});
  const r = e.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""
HOVER_BOX = """holder => {
  const e = document.querySelector(holder + " .hoverlayer .hovertext");
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return {x: r.x, width: r.width};
}"""


@pytest.mark.parametrize("name", sorted(PAGES_WITH_CHARTS))
def test_at_a_phones_width_every_label_is_inside_its_chart(built_site, phone, name):
    phone.goto((built_site / f"{name}.html").as_uri())
    for chart in PAGES_WITH_CHARTS[name]:
        holder = phone.locator(f"#chart-{chart}")
        holder.scroll_into_view_if_needed()
    drawn(phone, len(PAGES_WITH_CHARTS[name]))
    for chart in PAGES_WITH_CHARTS[name]:
        holder = phone.locator(f"#chart-{chart}")
        box = holder.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        labels = holder.locator(".ytick text")
        categories = shipped(chart)["layout"]["yaxis"]["tickvals"]
        assert labels.count() == len(categories), chart  # every category labelled
        plot = holder.locator(".nsewdrag").first.bounding_box()  # the plot area
        legend = holder.locator(".legend").bounding_box()
        assert legend["y"] >= plot["y"] + plot["height"], chart  # the legend below the plot, never over the bars
        # Every label's box and font size, read in one call rather than two per label.
        texts = holder.locator(".ytick text, .legendtext, .xtick text, .g-xtitle text").evaluate_all(BOXES)
        for b in texts:
            if b["width"] == 0 and b["height"] == 0:  # a tick plotly left empty (none on the category axis: counted above)
                continue
            assert b["x"] >= box["x"] - 0.5 and b["x"] + b["width"] <= box["x"] + box["width"] + 0.5, (chart, b["text"])
            assert b["size"] >= 11, (chart, b["text"], b["size"])
        # A tapped bar's hover box stays on the screen, wherever the bar ends.
        bars = holder.locator("g.trace.bars g.point path")
        for i in range(bars.count()):
            b = bars.nth(i).evaluate(SCROLLED_BOX)
            if b["width"] < 1:
                continue
            # Log-axis bars reach off the plot to the left: the pointer goes near the bar's end, which is drawn.
            phone.mouse.move(min(b["x"] + b["width"] - 3, max(b["x"], 0) + b["width"] / 2), b["y"] + b["height"] / 2)
            h = phone.wait_for_function(HOVER_BOX, arg=f"#chart-{chart}").json_value()
            assert h["x"] >= 0 and h["x"] + h["width"] <= PHONE["width"], (chart, i, h)
    assert phone.errors == [], phone.errors


def test_no_accessibility_violation_with_charts_drawn_a_table_shown_and_a_chart_failed(built_site, page):
    from test_site_a11y import violations

    page.goto((built_site / "aid_deliveries.html").as_uri())
    for holder in page.locator("[data-chart]").all():
        holder.scroll_into_view_if_needed()
    drawn(page, 2)
    page.locator("figure#donor_composition button.chart-toggle").click()
    assert violations(page) == []
    page.route("**/plotly.min.js", lambda route: route.abort())
    try:
        page.goto((built_site / "railway_damage.html").as_uri())
        page.locator(".chart-failed").wait_for(timeout=30_000)
        assert violations(page) == []
    finally:
        page.unroute("**/plotly.min.js")
    page.errors.clear()  # the aborted request is a console error by design


def test_a_chart_takes_the_phone_layout_when_its_page_narrows(built_site, page):
    page.goto((built_site / "railway_damage.html").as_uri())
    page.locator("#chart-railway_losses").scroll_into_view_if_needed()
    drawn(page, 1)
    chart = shipped("railway_losses")
    shown = "document.getElementById('chart-railway_losses').layout.yaxis.ticktext"
    assert page.evaluate(shown) == chart["layout"]["yaxis"]["ticktext"]  # one line a label: "electrical lines, stations and substations"
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"{shown}.some(t => t.includes('<br>'))", timeout=10_000)
    assert page.evaluate(shown) == chart["narrow"]["yaxis"]["ticktext"]
    assert page.evaluate("document.getElementById('chart-railway_losses').layout.height") == chart["narrow"]["height"]
    assert page.errors == []
