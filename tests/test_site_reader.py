"""The site as a reader meets it (issue 12), in headless Chromium from file://: data first, numbers as printed,
facets with the filter state in the URL, row permalinks with a source panel, footnotes rendered, every width."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_site import PAGES

import aidstats
from aidstats.loader import descriptor

TABLES = aidstats.list_tables()
RAW_MARKUP = re.compile(r"\[footnoteRef:\d+\]|\[\d+:")


def goto(page, site, name, suffix=""):
    page.goto((site / f"{name}.html").as_uri() + suffix)
    page.wait_for_load_state("load")


def visible_rows(page) -> list[str]:
    return page.locator("table.data[id^=table-] tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.id)")


def href(page) -> str:
    # The page's own location: replaceState reaches Playwright's page.url only later, by an event.
    return page.evaluate("location.href")


def in_view(page, selector: str) -> bool:
    """Whether the element lies inside the window and is not covered by the source panel."""
    return page.evaluate(
        """selector => {
          const r = document.querySelector(selector).getBoundingClientRect();
          const panel = document.getElementById('provenance-panel');
          const bottom = panel && !panel.hidden ? panel.getBoundingClientRect().top : window.innerHeight;
          return r.top >= 0 && r.bottom <= bottom + 1 && r.height > 0;
        }""",
        selector,
    )


@pytest.mark.parametrize("name", TABLES)
def test_the_first_data_row_is_in_the_first_screen(built_site, page, name):
    page.set_viewport_size({"width": 1400, "height": 900})
    goto(page, built_site, name)
    first = page.locator("table.data[id^=table-] tbody tr").first.bounding_box()
    assert first["y"] + first["height"] <= 900, f"{name}: first row ends at {first['y'] + first['height']}px"
    # Title and description come before it, the documentation after the table.
    assert page.locator("h1").bounding_box()["y"] < first["y"]
    assert page.locator("#downloads").bounding_box()["y"] > first["y"]


def test_years_and_identifiers_have_no_separator_and_no_number_is_in_scientific_notation(built_site, page):
    page.set_viewport_size({"width": 1400, "height": 900})
    for name in TABLES:
        goto(page, built_site, name)
        cells = page.locator("table.data[id^=table-] tbody").inner_text()
        assert not re.search(r"\b\d(\.\d+)?e[+-]?\d", cells), name
        assert not re.search(r"\b1,95\d\b", cells), name
    goto(page, built_site, "aid_deliveries")
    aid = aidstats.load("aid_deliveries")
    seq = aid.seq[aid.commodity == "handicraft equipment"].iloc[0]
    row = page.locator(f"#row-{seq}")  # "1,250,000 tons of handicraft equipment"
    cells = dict(
        zip(
            page.locator("table.data[id^=table-] thead th").evaluate_all("hs => hs.map(h => h.dataset.name)"),
            row.locator("th, td").all_inner_texts(),
            strict=True,
        )
    )
    assert cells["year"] == "1951" and cells["seq"] == str(seq)
    assert cells["quantity_base"] == "1,250,000"  # 1.25e+06 before
    assert cells["quantity"] == "1,250,000"


def test_a_derived_number_shows_its_full_value_on_hover(built_site, page):
    goto(page, built_site, "mineral_exports")
    frame = aidstats.load("mineral_exports").set_index("commodity")
    cell = page.locator("#row-copper\\%20ore td").nth(2)  # plan_t, the third column after the row header
    assert page.locator("table.data[id^=table-] thead th").nth(3).get_attribute("data-name") == "plan_t"
    # 37,840 t were 32.6% of plan: the plan is 37840 / 0.326 t, shown to four significant digits (116,074 has six integer digits, kept).
    assert frame.loc["copper ore", "plan_t"] == pytest.approx(37840 / 0.326)
    assert cell.inner_text() == "116,074"
    assert cell.get_attribute("title").startswith("116,073.6")


def test_facets_and_the_text_filter_combine_and_live_in_the_url(built_site, page):
    goto(page, built_site, "aid_deliveries")
    aid = aidstats.load("aid_deliveries")
    text = aid.astype(str).apply(lambda column: column.str.lower().str.contains("machines")).any(axis=1)
    page.locator("details[data-facet=donor] summary").click()
    page.locator("details[data-facet=donor] input[value=Czechoslovakia]").check()
    page.fill("#filter", "machines")
    expected = [f"row-{seq}" for seq in aid.seq[(aid.donor == "Czechoslovakia") & text]]
    assert visible_rows(page) == expected and len(expected) == 5  # sewing, stocking, knitted fabric, silk and offset machines
    # Counts answer "how many rows would this value show, given the text filter?": Czechoslovakia 5, Romania none.
    counts = dict(
        page.locator("details[data-facet=donor] label").evaluate_all(
            "ls => ls.map(l => [l.querySelector('input').value, l.querySelector('.count').textContent])"
        )
    )
    assert counts["Czechoslovakia"] == f"({(text & (aid.donor == 'Czechoslovakia')).sum()})" == "(5)"
    assert counts["Romania"] == f"({(text & (aid.donor == 'Romania')).sum()})"
    assert page.locator("#row-count").inner_text() == f"{len(expected)} of {len(aid)} rows shown"
    url = href(page)
    assert "?q=machines&donor=Czechoslovakia" in url
    # The shared URL, opened afresh, shows the same rows with the same boxes ticked.
    page.goto("about:blank")
    page.goto(url)
    assert visible_rows(page) == expected
    assert page.locator("#filter").input_value() == "machines"
    assert page.locator("details[data-facet=donor] input[value=Czechoslovakia]").is_checked()
    # A filter nothing matches says so, and offers the way back.
    page.fill("#filter", "no such goods")
    assert visible_rows(page) == [] and page.locator("#no-rows").is_visible()
    page.locator("#no-rows button").click()
    assert len(visible_rows(page)) == len(aid) and "?" not in href(page)
    assert page.errors == []


def test_a_facet_value_alone_is_exact_where_the_text_filter_is_not(built_site, page):
    # "Czechoslovakia" typed matches Polish rows whose quote names Czechoslovakia; the donor facet does not.
    goto(page, built_site, "aid_deliveries", "?donor=Czechoslovakia")
    aid = aidstats.load("aid_deliveries")
    assert visible_rows(page) == [f"row-{seq}" for seq in aid.seq[aid.donor == "Czechoslovakia"]]


@pytest.mark.parametrize(
    ("name", "fragment", "key"),
    [
        ("aid_deliveries", "#row-32", {"seq": 32}),
        ("mineral_exports", "#row-beryllium%20concentrate", {"commodity": "beryllium concentrate"}),
        ("mineral_exports", "#row-beryllium concentrate", {"commodity": "beryllium concentrate"}),
        ("railway_damage", "#row-locomotives", {"asset": "locomotives"}),
    ],
)
def test_a_row_permalink_opens_that_rows_source(built_site, page, name, fragment, key):
    page.set_viewport_size({"width": 1400, "height": 900})
    goto(page, built_site, name, fragment)
    frame = aidstats.load(name)
    ((column, value),) = key.items()
    row = frame[frame[column] == value].iloc[0]
    panel = page.locator("#provenance-panel")
    assert panel.is_visible()
    assert panel.locator("mark").inner_text() == row["quote"]
    assert panel.locator(".row-key").inner_text() == f"{column} = {value}"
    selected = page.locator("tr.selected")
    assert selected.count() == 1 and in_view(page, "tr.selected")
    assert page.errors == []


def test_a_composite_key_is_joined_by_a_comma(built_site, page):
    goto(page, built_site, "commodity_classes", "#row-mineral_exports,zinc%20cake")
    assert page.locator("#provenance-panel .row-key").inner_text() == "table = mineral_exports, commodity = zinc cake"


def test_escape_and_the_close_button_close_the_panel_and_give_the_row_back_its_focus(built_site, page):
    page.set_viewport_size({"width": 1400, "height": 900})
    goto(page, built_site, "aid_deliveries")
    row = page.locator("#row-70")
    row.click()
    panel = page.locator("#provenance-panel")
    assert panel.is_visible() and href(page).endswith("#row-70")
    assert in_view(page, "#row-70")  # the panel covers the window's bottom: the row was scrolled above it
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.id") == "row-70"
    assert in_view(page, "#row-70") and "#" not in href(page)
    page.keyboard.press("Enter")
    assert panel.is_visible()
    panel.locator("button.close").click()
    assert panel.is_hidden() and page.evaluate("document.activeElement.id") == "row-70"


def test_the_source_panel_renders_footnotes_and_never_shows_their_markup(built_site, page):
    goto(page, built_site, "aid_deliveries", "#row-84")
    panel = page.locator("#provenance-panel")
    passage = panel.locator(".passage").inner_text()
    assert not RAW_MARKUP.search(passage), passage[-300:]
    assert panel.locator("sup.footnote-mark").first.inner_text().endswith("53")
    assert panel.locator("ol.footnotes li[value='53']").inner_text().startswith("“List of Goods Delivered to the DPRK in 1952")
    for name in TABLES:
        goto(page, built_site, name)
        assert not RAW_MARKUP.search(page.locator("body").inner_text()), name


def test_copy_link_and_cite_this_row_give_plain_text(built_site, page):
    goto(page, built_site, "aid_deliveries", "#row-32")
    panel = page.locator("#provenance-panel")
    panel.locator("button.copy-link").click()
    link = panel.locator("textarea").input_value()
    assert link == (built_site / "aid_deliveries.html").as_uri() + "#row-32"
    panel.locator("button.cite-row").click()
    text = panel.locator("textarea").input_value()
    row = aidstats.load("aid_deliveries").set_index("seq").loc[32]
    package = descriptor()
    sources = aidstats.load("sources").set_index("source_id")
    assert text.startswith(aidstats.load("aid_deliveries").attrs["title"])
    assert "row seq = 32" in text and f"Commodity: {row['commodity']}" in text
    assert f"Quote: “{row['quote']}”" in text
    assert sources.loc["weathersby", "citation"] + ", footnote 53" in text
    assert sources.loc["fn53", "citation"][:60] in text
    assert f"version {package['version']}" in text and text.endswith("#row-32")


@pytest.mark.parametrize("width", [375, 768, 1024, 1440])
def test_no_page_scrolls_sideways(built_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name in PAGES:
        goto(page, built_site, name)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, f"{name} at {width}px"
    # Nor with the source panel open and a facet's list unfolded.
    goto(page, built_site, "aid_deliveries", "#row-61")
    page.locator("details[data-facet=unit] summary").click()
    # The list is moved left on the details' "toggle" event, which the browser fires as a task after the click:
    # wait for it (or at most two seconds), then measure.
    page.wait_for_function("document.querySelector('details[data-facet=unit]').open", timeout=2_000)
    page.evaluate("new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_the_keyboard_path_reaches_filter_facets_sort_rows_and_the_panel(built_site, page):
    goto(page, built_site, "aid_deliveries")
    page.locator("#filter").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.parentElement.dataset.facet") == "donor"
    page.keyboard.press("Enter")  # a summary opens its facet
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "Bulgaria"
    page.keyboard.press("Space")
    assert "donor=Bulgaria" in href(page)
    # On to the first row: the remaining facet boxes, the facets, the clear button and the sort buttons lie between.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "TR":
            break
    aid = aidstats.load("aid_deliveries")
    assert page.evaluate("document.activeElement.id") == f"row-{aid.seq[aid.donor == 'Bulgaria'].iloc[0]}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "panel-title"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "close"


def test_the_site_without_its_data_downloads_weighs_at_most_2_2_megabytes(built_site):
    # Pages and assets: what a reader's browser loads. The downloads (data/, the release archive) are the data itself.
    weight = sum(p.stat().st_size for p in [*built_site.glob("*.html"), *(built_site / "assets").rglob("*")] if p.is_file())
    # 2.1 MB since data 0.4.0 (its 14 caveats and longer passages added about 47 KB of page text). Issue 19 added
    # about 110 KB for the links a reader follows (a source, a code list's row, a caveat's rows: an <a> per cell),
    # the codes' labels beside them, the number ranges and site.js's keyboard, ranges and downloads; about 107 KB
    # of schema.org JSON-LD (8 KB a page); and the charts' own script and data tables (about 40 KB). plotly.js,
    # 1.5 MB of it, is no longer read before a table works (charts.js loads it when a chart comes near). Data
    # 0.5.0 (issue 20) added the publications and corroboration pages: 2,461,330 bytes in all. The row panel's
    # published versions and comparisons (shipped once, the searched places once) and the "differs" mark added
    # about 30 KB: 2,491,768 bytes. Each commodity linked to its row of commodity_classes (why its SITC division;
    # 100 links) and the panel's "differs" flag added about 9 KB: 2,501,070 bytes. plotly.js's "basic" bundle (bar,
    # pie, scatter: all the charts draw) instead of "cartesian" took 308 KB off: 2,192,778 bytes. The folding of
    # a table's rows while the page loads (a script on each table page, site.js, site.css) and the charts' room
    # kept before charts.js runs added about 6.4 KB: 2,199,193 bytes.
    assert weight <= 2_200_000, f"{weight:,} bytes"
    # Each chart's figure is shipped once, not once per page that shows it.
    assert not any("Plotly.newPlot" in p.read_text(encoding="utf-8") for p in built_site.glob("*.html"))


def test_the_home_page_links_each_tables_caveats_as_a_filtered_view(built_site, page):
    goto(page, built_site, "index")
    caveats = aidstats.load("caveats")
    link = page.locator("ul.caveat-counts a", has_text="aid_deliveries")
    assert link.locator("xpath=..").inner_text() == f"aid_deliveries: {(caveats.table == 'aid_deliveries').sum()}"
    link.click()
    page.wait_for_load_state("load")
    assert visible_rows(page) == [f"row-{c}" for c in caveats.caveat_id[caveats.table == "aid_deliveries"]]


def test_a_code_in_a_facet_is_labelled_from_its_code_list(built_site, page):
    goto(page, built_site, "aid_deliveries")
    units = aidstats.load("units").set_index("unit")
    aid = aidstats.load("aid_deliveries")
    page.locator("details[data-facet=unit] summary").click()
    label = page.locator("details[data-facet=unit] label", has=page.locator("input[value=t]"))
    # The unit "t" reads with its title from the units table and the number of rows in tonnes.
    assert label.inner_text().strip() == f"t — {units.loc['t', 'title']} ({(aid.unit == 't').sum()})"


def test_a_package_without_passages_still_shows_each_quote(tmp_path, page):
    """A package published before the passages table (``aidstats site`` reads whatever package it is given)."""
    from conftest import ROOT

    from aidstats.publish.release import release_members
    from aidstats.web.site import build_site

    root = tmp_path / "package"
    for member in release_members(ROOT):
        (root / member).parent.mkdir(parents=True, exist_ok=True)
        (root / member).write_bytes((ROOT / member).read_bytes())
    package = descriptor(root)
    package["resources"] = [r for r in package["resources"] if not r["name"].startswith("passages")]
    (root / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    site = build_site(tmp_path / "site", root=root)
    assert not (site / "passages.html").exists()
    goto(page, site, "railway_damage", "#row-locomotives")
    panel = page.locator("#provenance-panel")
    assert panel.locator(".quote").inner_text() == "1036 out of 1249 locomotives"
    assert panel.locator(".passage").inner_text() == "" and page.errors == []


def test_the_goods_list_offers_the_facets_a_reader_sorts_by(built_site):
    """Issue 12 names donor, unit, base unit and SITC section among the facets."""
    html = (built_site / "aid_deliveries.html").read_text(encoding="utf-8")
    offered = set(re.findall(r'<details class="facet" data-facet="([a-z_]+)"', html))
    assert {"donor", "unit", "base_unit", "sitc_section", "sitc_division"} <= offered
    # SITC sections of the goods list: 0 (food), 2 (crude materials), 3 (fuels), 5 (chemicals), 6, 7 and 8 (manufactures).
    sections = re.search(r'data-facet="sitc_section".*?</details>', html, re.S).group(0)
    assert re.findall(r'value="(\d)"', sections) == sorted(set(aidstats.load("aid_deliveries").sitc_section))


# ---- issue 19: the filter reads values and labels, sort and bounds in the URL, downloads of the view, the keyboard ----


def test_the_filter_matches_the_raw_value_and_the_label_not_only_the_text_shown(built_site, page):
    goto(page, built_site, "aid_deliveries")
    page.fill("#filter", "240000")
    # Row 1 is 240,000 t of coal (shown "240,000"); seq 50's 20,000 dozen needles are 240,000 items and seq 80's
    # 2,000,000 dozen pencils 24,000,000 items, which hold "240000" too.
    assert visible_rows(page) == ["row-1", "row-50", "row-80"]
    page.fill("#filter", "metric tonne")  # the label of the unit "t"
    aid = aidstats.load("aid_deliveries")
    assert visible_rows(page) == [f"row-{s}" for s in aid.seq[(aid.unit == "t") | (aid.base_unit == "t")]]
    goto(page, built_site, "railway_damage")
    for words in ("track and structures", "track_and_structures"):
        page.fill("#filter", words)
        assert visible_rows(page) == ["row-rail%20lines", "row-tunnels", "row-bridges", "row-pumping%20stations"], words
    goto(page, built_site, "mineral_exports", "?q=ussr")
    assert len(visible_rows(page)) == len(aidstats.load("mineral_exports"))  # every row went to the USSR (SUN)


def test_the_sort_order_is_in_the_url_and_a_copied_url_restores_it(built_site, page):
    goto(page, built_site, "aid_deliveries")
    button = page.locator("th[data-name=quantity] button")
    button.click()
    button.click()
    assert page.locator("th[data-name=quantity]").get_attribute("aria-sort") == "descending"
    url = href(page)
    assert url.endswith("?sort=quantity&dir=desc")
    aid = aidstats.load("aid_deliveries")
    expected = [f"row-{s}" for s in aid.sort_values("quantity", ascending=False, kind="stable").seq]
    assert visible_rows(page) == expected
    # 100 million units of penicillin (seq 51) is the largest quantity printed.
    assert expected[0] == "row-51"
    page.goto("about:blank")
    page.goto(url)
    assert visible_rows(page) == expected
    assert page.locator("th[data-name=quantity]").get_attribute("aria-sort") == "descending"
    # With a filter: both in the URL, in either order of use.
    page.fill("#filter", "Hungary")
    assert "q=Hungary" in href(page) and "sort=quantity&dir=desc" in href(page)


def test_number_ranges_filter_and_live_in_the_url(built_site, page):
    goto(page, built_site, "mineral_exports")
    page.locator("details.ranges summary").click()
    page.fill("input[name=delivered_t__gte]", "5000")
    page.fill("input[name=delivered_t__lte]", "40000")
    frame = aidstats.load("mineral_exports")
    expected = [f"row-{c.replace(' ', '%20').replace('/', '%2F')}" for c in frame.commodity[frame.delivered_t.between(5000, 40000)]]
    # By hand from clean/mineral_exports.csv: gold/silver ore 5,346, copper ore 37,840, lead 8,443 and others in range.
    assert "row-gold%2Fsilver%20ore" in expected and "row-copper%20ore" in expected and "row-tungsten%20concentrate" not in expected
    assert visible_rows(page) == expected
    url = href(page)
    assert "delivered_t__gte=5000" in url and "delivered_t__lte=40000" in url
    assert page.locator("details.ranges summary .chosen").inner_text() == ": delivered_t ≥ 5000, delivered_t ≤ 40000"
    page.goto("about:blank")
    page.goto(url)
    assert visible_rows(page) == expected and page.locator("input[name=delivered_t__gte]").input_value() == "5000"
    # Show all rows clears the bounds too.
    page.locator("#clear-filters").click()
    assert len(visible_rows(page)) == len(frame) and "?" not in href(page)


@pytest.mark.parametrize("format", ["csv", "json"])
def test_the_rows_shown_download_as_the_data_holds_them(built_site, page, format):
    import io

    import pandas as pd

    goto(page, built_site, "aid_deliveries", "?donor=Hungary&sort=quantity&dir=desc")
    with page.expect_download() as event:
        page.locator(f"[data-download={format}]").click()
    download = event.value
    assert download.suggested_filename == f"aid_deliveries-view.{format}"
    text = Path(download.path()).read_text(encoding="utf-8")
    aid = aidstats.load("aid_deliveries")
    hungary = aid[aid.donor == "Hungary"].sort_values("quantity", ascending=False, kind="stable")
    got = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False) if format == "csv" else pd.DataFrame(json.loads(text))
    # The columns as in the data, the rows shown in the order shown, the values raw (240000, not "240,000").
    assert list(got.columns) == list(aid.columns)
    assert [int(s) for s in got.seq] == list(hungary.seq)
    assert [float(q) for q in got.quantity_base] == list(hungary.quantity_base)
    if format == "csv":
        clean = (ROOT / "clean" / "aid_deliveries.csv").read_text(encoding="utf-8").splitlines()
        assert text.splitlines()[0] == clean[0]  # the header as the CSV of the package writes it
        lines = {line.split(",")[0]: line for line in clean[1:]}
        assert text.splitlines()[1] == lines[str(hungary.seq.iloc[0])]  # a row, byte for byte
    else:
        assert json.loads(text)[0]["implausible_reason"] is None


def test_a_skip_link_and_one_tab_stop_for_the_rows_with_arrow_keys_between_them(built_site, page):
    goto(page, built_site, "aid_deliveries")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator("a.skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "row-1"
    # Only one row is in the Tab order, with the links in it.
    assert page.locator("table.data[id^=table-] tbody tr[tabindex='0']").count() == 1
    assert page.locator("table.data[id^=table-] tbody a[tabindex='0']").count() == page.locator("#row-1 a").count()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "row-3"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "row-2"
    page.keyboard.press("End")
    aid = aidstats.load("aid_deliveries")
    assert page.evaluate("document.activeElement.id") == f"row-{aid.seq.iloc[-1]}"
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.id") == "row-1"
    # Arrows move between the rows shown, in the order shown.
    page.goto("about:blank")
    goto(page, built_site, "aid_deliveries", "?donor=Bulgaria")
    bulgaria = [f"row-{s}" for s in aid.seq[aid.donor == "Bulgaria"]]
    page.locator(f"[id='{bulgaria[0]}']").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == bulgaria[1]
    page.keyboard.press("Enter")
    assert page.locator("#provenance-panel").is_visible() and href(page).endswith("#" + bulgaria[1])
    # Tab leaves the table after the current row and its links: the next stop lies outside the table body.
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == bulgaria[1]
    for _ in range(page.locator(f"[id='{bulgaria[1]}'] a").count() + 1):
        page.keyboard.press("Tab")
    assert page.evaluate("!document.querySelector('table.data[id^=table-] tbody').contains(document.activeElement)")


def test_escape_folds_an_open_facet_list_before_it_closes_the_panel(built_site, page):
    goto(page, built_site, "aid_deliveries", "#row-18")
    facet = page.locator("details[data-facet=donor]")
    facet.locator("summary").click()
    assert facet.get_attribute("open") is not None
    page.keyboard.press("Escape")
    assert facet.get_attribute("open") is None
    assert page.evaluate("document.activeElement.parentElement.dataset.facet") == "donor"
    assert page.locator("#provenance-panel").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#provenance-panel").is_hidden()


def test_on_a_phone_the_panel_scrolls_its_highlight_into_the_visible_part(built_site, page):
    page.set_viewport_size({"width": 375, "height": 740})
    goto(page, built_site, "mineral_exports")
    page.locator("[id='row-tungsten%20concentrate']").click()
    mark = page.locator("#provenance-panel mark")
    assert mark.inner_text() == "902 tons of tungsten concentrate (50.8% of plan)"
    box = page.evaluate(
        """() => {
          const mark = document.querySelector('#provenance-panel mark');
          let box = mark.parentElement;
          while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowY)) box = box.parentElement;
          const m = mark.getBoundingClientRect(), b = box.getBoundingClientRect();
          return {scrolled: box.scrollTop, top: m.top - b.top, bottom: b.bottom - m.bottom, inWindow: m.top >= 0 && m.bottom <= innerHeight};
        }"""
    )
    # The passage is longer than the panel: the box was scrolled, and the whole mark lies inside its visible part.
    assert box["scrolled"] > 0
    assert box["top"] >= 0 and box["bottom"] >= 0 and box["inWindow"], box


def test_the_table_is_marked_interactive_once(built_site, page):
    goto(page, built_site, "aid_deliveries", "#row-18")
    assert page.evaluate("performance.getEntriesByName('aidstats-table-interactive').length") == 1
    page.fill("#filter", "coal")
    assert page.evaluate("performance.getEntriesByName('aidstats-table-interactive').length") == 1
