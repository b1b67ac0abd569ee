"""The tables on a phone and the caveats on a desktop (issue 19): element boxes measured in Chromium.

At 375 px the sticky first column takes at most a third of the screen, and the columns a reader looks up (the
quantity and its unit, a figure's value, a caveat's words) lie inside the screen beside it, with no sideways
scrolling; the columns a phone leaves out come back with one tick. At 1440 px the caveats' seven columns fit
the window. Sticky cells keep their bottom border: every row is a whole number of pixels high, so the sticky
cell, painted on its own, cannot cover the border of the cell above it.
"""

from __future__ import annotations

import pytest

import aidstats

TABLES = aidstats.list_tables()
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1440, "height": 900}


def goto(page, site, name, viewport):
    page.set_viewport_size(viewport)
    page.goto((site / f"{name}.html").as_uri())
    page.wait_for_load_state("load")


def box(page, selector: str) -> dict:
    """The element's border box in the window, as getBoundingClientRect gives it."""
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; }",
    )


def first_column_right(page) -> float:
    return box(page, ".table-box > table.data thead th:first-child")["right"]


def assert_in_first_screen(page, column: str) -> None:
    """The column's heading and its first row's cell lie in the first screen: inside the window, inside the table's
    scrolling box, and to the right of the sticky first column (which would cover them otherwise)."""
    width, height = PHONE["width"], PHONE["height"]
    table_box = box(page, ".table-box")
    sticky_right = first_column_right(page)
    index = page.eval_on_selector(f".table-box > table.data thead th[data-name='{column}']", "th => th.cellIndex")
    for where, cell in (
        ("heading", box(page, f".table-box > table.data thead th[data-name='{column}']")),
        ("first row", box(page, f".table-box > table.data tbody tr:first-child > :nth-child({index + 1})")),
    ):
        assert cell["width"] > 0, f"{column} {where} is not shown"
        assert cell["left"] >= sticky_right - 0.5, f"{column} {where} starts under the first column"
        assert cell["right"] <= min(width, table_box["right"]) + 0.5, f"{column} {where} ends at {cell['right']}px of {width}"
        assert cell["top"] >= 0 and cell["bottom"] <= height, f"{column} {where} is below the first screen ({cell['bottom']}px)"


@pytest.mark.parametrize("name", TABLES)
def test_on_a_phone_the_first_column_takes_at_most_a_third_of_the_screen_and_its_keys_break(built_site, page, name):
    goto(page, built_site, name, PHONE)
    third = PHONE["width"] / 3 + 2  # a third of the screen, and a pixel of border either side
    cells = page.locator(".table-box > table.data thead th:first-child, table.data tbody th[scope=row]")
    widths = cells.evaluate_all("cs => cs.map(c => c.getBoundingClientRect().width)")
    assert max(widths) <= third, f"{name}: first column {max(widths)}px wide on a {PHONE['width']}px screen"
    # A long key wraps inside its cell rather than running under the next column or out of the box.
    overflowing = page.locator(".table-box > table.data tbody th[scope=row]").evaluate_all(
        "cs => cs.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"
    )
    assert overflowing == [], f"{name}: keys wider than their cell: {overflowing[:3]}"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_on_a_phone_aid_deliveries_shows_the_quantity_and_its_unit_in_the_first_screen(built_site, page):
    goto(page, built_site, "aid_deliveries", PHONE)
    assert_in_first_screen(page, "quantity")
    assert_in_first_screen(page, "unit")
    # The cells hold the values: the first row's quantity as the table prints it (thousands separated) and its unit code.
    first = aidstats.load("aid_deliveries").iloc[0]
    quantity = (
        page.locator(".table-box > table.data tbody tr:first-child td").nth(3).inner_text()
    )  # seq is a th; donor, donor code, commodity
    assert quantity.replace(",", "") == str(int(first.quantity))
    unit = page.locator(".table-box > table.data tbody tr:first-child td").nth(4).inner_text()
    assert unit.split()[0] == first.unit


def test_on_a_phone_key_figures_shows_the_value_in_the_first_screen(built_site, page):
    goto(page, built_site, "key_figures", PHONE)
    assert_in_first_screen(page, "value")


def test_on_a_phone_the_caveats_page_shows_the_beginning_of_each_caveat(built_site, page):
    goto(page, built_site, "caveats", PHONE)
    assert_in_first_screen(page, "issue")
    # The issue column is wide enough to read: at least the 11em a phone gives prose (13 px type, so 143 px).
    assert box(page, ".table-box > table.data thead th[data-name='issue']")["width"] >= 11 * 13


@pytest.mark.parametrize("name", ["aid_deliveries", "key_figures", "caveats", "passages"])
def test_the_columns_a_phone_leaves_out_are_named_and_come_back_with_one_tick(built_site, page, name):
    goto(page, built_site, name, PHONE)
    headings = page.locator(".table-box > table.data thead th")
    shown = headings.evaluate_all("hs => hs.map(h => [h.textContent, h.getBoundingClientRect().width > 0])")
    left_out = [text for text, visible in shown if not visible]
    assert left_out, f"{name}: a phone shows every column"
    box_label = page.get_by_label(f"Also show {', '.join(left_out)}", exact=True)  # the label names what is left out
    assert box_label.is_visible()
    box_label.check()
    assert all(headings.evaluate_all("hs => hs.map(h => h.getBoundingClientRect().width > 0)"))
    # On a wide screen nothing is left out and the box is not offered.
    goto(page, built_site, name, DESKTOP)
    assert all(headings.evaluate_all("hs => hs.map(h => h.getBoundingClientRect().width > 0)"))
    assert not page.locator("label.all-columns").is_visible()


@pytest.mark.parametrize("name", [t for t in TABLES if t not in ("aid_deliveries", "key_figures", "caveats", "passages")])
def test_tables_without_left_out_columns_offer_no_box(built_site, page, name):
    goto(page, built_site, name, PHONE)
    assert page.locator("input.all-columns").count() == 0
    assert all(page.locator(".table-box > table.data thead th").evaluate_all("hs => hs.map(h => h.getBoundingClientRect().width > 0)"))


def test_at_1440_the_caveats_page_shows_each_caveat_without_sideways_scrolling(built_site, page):
    goto(page, built_site, "caveats", DESKTOP)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert page.eval_on_selector(".table-box", "b => b.scrollWidth - b.clientWidth") <= 0
    table_box = box(page, ".table-box")
    issue = box(page, ".table-box > table.data thead th[data-name='issue']")
    assert table_box["left"] <= issue["left"] and issue["right"] <= table_box["right"]
    # The row keys (one caveat names up to dozens of rows, without a space) break inside their column.
    overflowing = page.locator(".table-box > table.data tbody td").evaluate_all(
        "cs => cs.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40))"
    )
    assert overflowing == []
    # No column of identifiers is wider than the prose beside it: the issue is the widest column but for prose.
    widths = dict(
        page.locator(".table-box > table.data thead th").evaluate_all(
            "hs => hs.map(h => [h.dataset.name, h.getBoundingClientRect().width])"
        )
    )
    assert widths["row_key"] < widths["issue"] and widths["caveat_id"] < widths["issue"]


@pytest.mark.parametrize("name", ["aid_deliveries", "key_figures", "caveats", "railway_damage"])
def test_on_a_phone_sticky_cells_keep_their_bottom_border(built_site, page, name):
    goto(page, built_site, name, PHONE)
    page.eval_on_selector(".table-box", "b => { b.scrollLeft = 200; }")  # the first column now lies over other cells
    cells = page.locator(".table-box > table.data tbody th[scope=row]").evaluate_all(
        """cs => cs.map(c => {
          const r = c.getBoundingClientRect(), row = c.parentElement.getBoundingClientRect();
          return {border: parseFloat(getComputedStyle(c).borderBottomWidth), top: r.top, height: r.height,
                  rowTop: row.top, rowHeight: row.height, position: getComputedStyle(c).position};
        })"""
    )
    first = cells[0]["top"]
    for cell in cells:
        assert cell["position"] == "sticky"
        assert cell["border"] >= 1
        # Each sticky cell covers its own row exactly, and rows are whole pixels high: a cell starts where the
        # row above ends (border included), never over that row's border.
        assert cell["top"] == cell["rowTop"] and cell["height"] == cell["rowHeight"]
        assert cell["height"] == int(cell["height"])
        assert cell["top"] - first == int(cell["top"] - first)
