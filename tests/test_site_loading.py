"""A table page while it loads (issue 19): rows past the first screen are left out of layout until the wired
table has been drawn once, on screens that 24 rows fill, and every row is back before plotly.js is fetched.

The screen heights are worked out here from site.css's sizes: a one-line row is 20 px of text, 4 px of padding
above and below and a 1 px border on a desktop (29 px), 18 + 3 + 3 + 1 = 25 px on a phone (up to 600 px wide);
the table's box is at most 75% of the window's height on a desktop and 70% on a phone. 24 such rows fill the box
while 24 × 29 = 696 ≥ 0.75 × height, up to 928 px; on a phone while 24 × 25 = 600 ≥ 0.7 × height, up to 857 px.
"""

from __future__ import annotations

import time

import pytest

import aidstats

LONG_TABLES = [name for name in aidstats.list_tables() if len(aidstats.load(name)) > 24]

# Records, when site.js marks the table interactive and in the frame drawn next, how many rows are laid out (not
# display: none), how many there are, and whether the page still folds them; and when plotly.js's script is added, which marks were made
# and whether the page had loaded.
WATCH = """
window.__atMark = null;
window.__plotly = [];
const realMark = performance.mark.bind(performance);
performance.mark = function (name, ...rest) {
  if (name === "aidstats-table-interactive") {
    const box = document.querySelector(".table-box");
    const rows = [...document.querySelectorAll("table.data[id^=table-] tbody tr")];
    window.__atMark = {
      shown: rows.filter(r => getComputedStyle(r).display !== "none").length,
      total: rows.length,
      folded: document.documentElement.classList.contains("rows-folded"),
      full: box.scrollHeight > box.clientHeight,  // the rows overflow the box: no space left below them
    };
    // The first frame drawn after the mark: its callbacks run before site.js's, which it set after the mark.
    requestAnimationFrame(() => { window.__atMark.nextFrame = rows.filter(r => getComputedStyle(r).display !== "none").length; });
  }
  return realMark(name, ...rest);
};
new MutationObserver(records => records.forEach(record => record.addedNodes.forEach(node => {
  if (node.tagName === "SCRIPT" && /plotly/.test(node.src || "")) {
    window.__plotly.push({
      marks: performance.getEntriesByType("mark").map(m => m.name),
      loaded: document.readyState === "complete",
    });
  }
}))).observe(document, {childList: true, subtree: true});
"""

ALL_SHOWN = """() => [...document.querySelectorAll("table.data[id^=table-] tbody tr")]
  .every(r => getComputedStyle(r).display !== "none") && !document.documentElement.classList.contains("rows-folded")"""


@pytest.fixture
def fresh_page(chromium):
    """A tab of its own, so that the init script that watches the page stays with it; plotly.js is an empty file."""
    from browser import new_offline_page, without_plotly

    page = new_offline_page(chromium)
    without_plotly(page, True)
    page.add_init_script(WATCH)
    yield page
    page.context.close()


def load(page, site, name, width, height, fragment=""):
    page.set_viewport_size({"width": width, "height": height})
    page.goto((site / f"{name}.html").as_uri() + fragment)
    page.wait_for_load_state("load")
    page.wait_for_function("performance.getEntriesByName('aidstats-table-drawn').length === 1")
    return page.evaluate("window.__atMark")


@pytest.mark.parametrize(
    ("width", "height", "folds"),
    [
        (1280, 900, True),  # the benchmark's window
        (1280, 928, True),  # the tallest desktop screen 24 rows fill
        (1280, 929, False),
        (375, 667, True),
        (375, 857, True),  # the tallest phone screen 24 rows fill
        (375, 858, False),
        (600, 857, True),  # the widest phone (site.css's phone rules are for 600 px and less)
        (600, 858, False),
        (601, 928, True),  # the narrowest desktop
    ],
)
def test_rows_past_the_first_screen_are_laid_out_only_after_the_wired_table_is_drawn(built_site, fresh_page, width, height, folds):
    at_mark = load(fresh_page, built_site, "aid_deliveries", width, height)
    assert at_mark["total"] == len(aidstats.load("aid_deliveries"))
    assert at_mark["shown"] == at_mark["nextFrame"] == (24 if folds else at_mark["total"])
    assert at_mark["folded"]  # the page asks for it; site.css decides by the screen's height
    # Once the table is drawn, every row is laid out again, the last one too.
    assert fresh_page.evaluate(ALL_SHOWN)
    last = fresh_page.locator("table.data[id^=table-] tbody tr").last
    last.scroll_into_view_if_needed()
    assert last.bounding_box()["height"] > 0
    assert fresh_page.errors == [] and fresh_page.network == []


@pytest.mark.parametrize("name", LONG_TABLES)
@pytest.mark.parametrize(("width", "height"), [(1280, 928), (375, 857)])
def test_the_rows_left_in_layout_fill_the_tables_box(built_site, fresh_page, name, width, height):
    # On the tallest screens that fold, the 24 rows drawn first are never a short table with space below it.
    at_mark = load(fresh_page, built_site, name, width, height)
    assert at_mark["folded"] and at_mark["shown"] == 24
    assert at_mark["full"], name


@pytest.mark.parametrize("query", ["?q=machines", "?donor=Poland"])
def test_an_address_with_a_filter_lays_out_every_row_it_keeps_at_once(built_site, fresh_page, query):
    # The folding counts the rows the filter hides: the rows it keeps, wherever they are, are all shown when the
    # table is wired, not only those among the first 24.
    load(fresh_page, built_site, "aid_deliveries", 1280, 900, query)
    at_mark = fresh_page.evaluate("window.__atMark")
    kept = fresh_page.locator("table.data[id^=table-] tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.id)")
    position = fresh_page.locator("table.data[id^=table-] tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert 0 < len(kept) < at_mark["total"]
    assert max(position.index(row) for row in kept) >= 24  # a kept row lies past the 24th
    assert at_mark["shown"] == at_mark["nextFrame"] == len(kept) and not at_mark["folded"]
    if query == "?donor=Poland":  # a facet is exact: the rows of Poland's deliveries, as the data lists them
        aid = aidstats.load("aid_deliveries")
        assert sorted(kept) == sorted(f"row-{seq}" for seq in aid.seq[aid.donor == "Poland"])


def test_an_address_that_opens_a_row_is_not_folded(built_site, fresh_page):
    at_mark = load(fresh_page, built_site, "aid_deliveries", 1280, 900, "#row-60")
    assert not at_mark["folded"] and at_mark["shown"] == at_mark["total"]
    assert fresh_page.locator("#row-60").get_attribute("class") == "selected"
    assert fresh_page.locator("#provenance-panel").is_visible()


def test_opening_a_row_lays_out_every_row(built_site, fresh_page):
    load(fresh_page, built_site, "aid_deliveries", 1280, 900)
    # As if the reader opened a row before the page had unfolded them.
    fresh_page.evaluate("document.documentElement.classList.add('rows-folded')")
    assert fresh_page.locator("#row-60").is_hidden()
    fresh_page.locator("#row-3").click()
    assert fresh_page.evaluate(ALL_SHOWN)


def test_every_row_is_shown_when_site_js_does_not_load(built_site, fresh_page):
    fresh_page.route("**/assets/site.js", lambda route: route.abort())
    fresh_page.set_viewport_size({"width": 1280, "height": 900})
    fresh_page.goto((built_site / "aid_deliveries.html").as_uri())
    fresh_page.wait_for_load_state("load")
    assert fresh_page.evaluate("window.__atMark") is None  # site.js did not run
    assert fresh_page.evaluate(ALL_SHOWN)


def test_every_row_is_shown_without_script(built_site, chromium):
    from browser import new_offline_page

    page = new_offline_page(chromium, viewport={"width": 1280, "height": 900}, javascript=False)
    try:
        page.goto((built_site / "aid_deliveries.html").as_uri())
        rows = page.locator("table.data[id^=table-] tbody tr")
        assert rows.count() == len(aidstats.load("aid_deliveries"))
        assert rows.evaluate_all("rows => rows.every(r => getComputedStyle(r).display !== 'none')")
    finally:
        page.context.close()


# Each frame callback a page script asks for runs half a second late: the page's load event comes long before
# site.js has laid out every row and marked it.
LATE_FRAMES = """
const frame = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = callback => setTimeout(() => frame(callback), 500);
"""


@pytest.mark.parametrize("held_back", ["nothing", "provenance.js", "frames"])
@pytest.mark.parametrize("name", ["aid_deliveries", "railway_damage"])
def test_plotly_js_is_fetched_after_the_page_has_loaded_and_every_row_is_drawn(built_site, fresh_page, name, held_back):
    # With the deferred provenance.js held back for a second, the table is wired and drawn long before the page's
    # load event, and plotly.js (a script added before it would hold the load event) must wait for it all the same;
    # with the frames held back, the page has loaded long before every row is drawn, and plotly.js must wait for that.
    def late(route):
        time.sleep(1)
        route.continue_()

    if held_back == "provenance.js":
        fresh_page.route("**/assets/provenance.js", late)
    elif held_back == "frames":
        fresh_page.add_init_script(LATE_FRAMES)
    load(fresh_page, built_site, name, 1280, 900)
    fresh_page.wait_for_function("window.__plotly.length > 0")
    (inserted,) = fresh_page.evaluate("window.__plotly")
    assert inserted["loaded"]
    marks = inserted["marks"]
    assert marks.index("aidstats-table-interactive") < marks.index("aidstats-table-drawn")
