"""The links a reader follows on the site (issue 19): a source, a full citation, a code list's row and a caveat's
rows are links to that row; a row's panel lists its caveats, links its own JSON and a prefilled issue report; codes
read with their labels. Expected values were read by hand in clean/*.csv and written here."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from test_site_reader import goto, href, visible_rows

import aidstats


def cell(page, row: str, column: str):
    """The cell of ``column`` in the row with id ``row`` (its index found from the header)."""
    names = page.locator("table.data[id^=table-] thead th").evaluate_all("hs => hs.map(h => h.dataset.name)")
    return page.locator(f"[id='{row}']").locator("th, td").nth(names.index(column))


def test_a_source_id_links_to_its_row_of_the_sources_page_and_opens_it(built_site, page):
    goto(page, built_site, "aid_deliveries")
    link = cell(page, "row-1", "source_id").locator("a")
    # Row 1 (240,000 t of coal) is from the goods list of footnote 53, source fn53.
    assert link.inner_text() == "fn53" and link.get_attribute("href") == "sources.html#row-fn53"
    link.click()
    page.wait_for_load_state("load")
    assert href(page).endswith("/sources.html#row-fn53")
    assert page.locator("#provenance-panel .row-key").inner_text() == "source_id = fn53"
    assert page.errors == []


def test_an_ibid_links_to_its_full_citation_as_the_sources_page_says(built_site, page):
    # The sources table's description promises it; fn31 prints only "Ibid." and its full citation is footnote 29's.
    assert "an 'Ibid.' or repeated citation links to the full citation" in aidstats.load("sources").attrs["description"]
    goto(page, built_site, "sources")
    assert cell(page, "row-fn31", "citation").inner_text() == "Ibid."
    link = cell(page, "row-fn31", "full_citation_id").locator("a")
    assert link.get_attribute("href") == "sources.html#row-fn29"
    # The row's panel repeats the row's links under their headings, so a phone need not scroll the table sideways.
    cell(page, "row-fn31", "source_id").click()
    links = page.locator("#provenance-panel .row-links")
    heading = page.locator("th[data-name=full_citation_id]").inner_text()
    assert links.inner_text() == f"Links: {heading}: fn29"
    assert links.locator("a").get_attribute("href") == "sources.html#row-fn29"
    link.click()  # the same page: the fragment opens the full citation's row, not the Ibid.'s
    # The hash changes at once; the row opens on the "hashchange" event, a task later: wait for both.
    page.wait_for_function(
        "location.hash === '#row-fn29' && document.querySelector('#provenance-panel .row-key').textContent === 'source_id = fn29'"
    )
    assert page.locator("#provenance-panel .row-key").inner_text() == "source_id = fn29"
    assert page.locator("tr.selected").get_attribute("id") == "row-fn29"


@pytest.mark.parametrize(
    ("table", "row", "column", "target"),
    [
        ("aid_deliveries", "row-1", "unit", "units.html#row-t"),  # 240,000 t of coal
        ("aid_deliveries", "row-1", "donor_code", "donors.html#row-CHN"),  # China's code, of the (code, name) key
        ("aid_deliveries", "row-1", "sitc_division", "sitc_divisions.html#row-31"),
        ("mineral_exports", "row-tungsten%20concentrate", "destination", "donors.html#row-SUN"),
        ("units", "row-kg", "base_unit", "units.html#row-t"),  # a code list referring to itself
    ],
)
def test_a_foreign_key_links_to_the_row_it_refers_to(built_site, page, table, row, column, target):
    goto(page, built_site, table)
    assert cell(page, row, column).locator("a").get_attribute("href") == target


def test_the_donor_name_of_a_composite_key_is_not_a_second_link(built_site, page):
    goto(page, built_site, "aid_deliveries")
    assert cell(page, "row-1", "donor").locator("a").count() == 0


def test_a_caveats_row_keys_link_to_each_row_on_its_tables_page(built_site, page):
    goto(page, built_site, "caveats")
    # locomotives_double_count names seq 18 to 22 of aid_deliveries; class_sterilizers names commodity=sterilizers
    # of commodity_classes, whose key is (table, commodity): the one row with that commodity.
    links = cell(page, "row-locomotives_double_count", "row_key").locator("a")
    assert links.all_inner_texts() == ["seq=18", "seq=19", "seq=20", "seq=21", "seq=22"]
    assert links.evaluate_all("as => as.map(a => a.getAttribute('href'))") == [f"aid_deliveries.html#row-{n}" for n in range(18, 23)]
    assert cell(page, "row-locomotives_double_count", "row_key").inner_text().replace("\n", "") == "seq=18;seq=19;seq=20;seq=21;seq=22"
    sterilizers = cell(page, "row-class_sterilizers", "row_key").locator("a")
    assert sterilizers.get_attribute("href") == "commodity_classes.html#row-aid_deliveries,sterilizers"
    assert cell(page, "row-class_sterilizers", "table").locator("a").get_attribute("href") == "commodity_classes.html"
    links.nth(0).click()
    page.wait_for_load_state("load")
    assert page.locator("#provenance-panel .row-key").inner_text() == "seq = 18"
    assert page.errors == []


def test_every_link_in_the_tables_leads_to_a_row_that_exists(built_site, chromium):
    """No link to a row that is not there: each row link's fragment is a row id on the page it names."""
    import re

    ids = {p.stem: set(re.findall(r'<tr id="([^"]+)"', p.read_text(encoding="utf-8"))) for p in built_site.glob("*.html")}
    for name in aidstats.list_tables():
        body = (built_site / f"{name}.html").read_text(encoding="utf-8").split("<tbody>")[1].split("</tbody>")[0]
        for target, fragment in re.findall(r'<a href="([a-z_]+)\.html(?:#([^"]*))?"', body):
            assert target in ids, (name, target)
            assert not fragment or fragment in ids[target], (name, target, fragment)


def test_the_panel_of_seq_18_lists_the_locomotive_double_count_caveat(built_site, page):
    goto(page, built_site, "aid_deliveries", "#row-18")
    caveats = page.locator("#provenance-panel .row-caveats")
    assert caveats.is_visible()
    # clean/caveats.csv: "locomotives_double_count", aid_deliveries, seq=18;seq=19;seq=20;seq=21;seq=22.
    link = caveats.locator("a", has_text="locomotives_double_count")
    assert link.get_attribute("href") == "caveats.html#row-locomotives_double_count"
    assert caveats.locator("li").count() == 1
    assert caveats.locator("li").inner_text().startswith("locomotives_double_count: The list prints '25 locomotives from Czechoslovakia")
    # The panel's head, which never scrolls away, says the row has a caveat and leads to it.
    flag = page.locator("#provenance-panel .caveat-flag")
    assert flag.inner_text() == "1 caveat on this row"
    flag.click()
    assert page.evaluate("document.activeElement.textContent") == "locomotives_double_count"
    visible = page.evaluate(
        """() => { const a = document.activeElement.getBoundingClientRect();
                   const b = document.querySelector('#provenance-panel .panel-body').getBoundingClientRect();
                   return a.top >= b.top && a.bottom <= b.bottom; }"""
    )
    assert visible
    link.click()
    page.wait_for_load_state("load")
    assert page.locator("tr.selected").get_attribute("id") == "row-locomotives_double_count"
    # Seq 19 ("and 22 from Poland") has a second caveat: the noun carried over from the line before.
    goto(page, built_site, "aid_deliveries", "#row-19")
    assert page.locator("#provenance-panel .row-caveats a").all_inner_texts() == ["locomotives_double_count", "carried_over_noun"]
    # A row no caveat names shows no caveat list.
    goto(page, built_site, "aid_deliveries", "#row-1")
    assert page.locator("#provenance-panel .row-caveats").is_hidden()
    assert page.locator("#provenance-panel .caveat-flag").is_hidden()


def test_codes_read_with_their_labels_and_words(built_site, page):
    goto(page, built_site, "mineral_exports")
    assert cell(page, "row-tungsten%20concentrate", "destination").inner_text() == "SUN — USSR"
    goto(page, built_site, "aid_deliveries")
    assert cell(page, "row-1", "unit").inner_text() == "t — metric tonne"
    goto(page, built_site, "railway_damage")
    group = cell(page, "row-tunnels", "asset_group")
    assert group.inner_text() == "track and structures" and group.get_attribute("data-value") == "track_and_structures"
    # The facet offers the words too, and still filters by the code.
    page.locator("details[data-facet=asset_group] summary").click()
    option = page.locator("details[data-facet=asset_group] label", has=page.locator("input[value=track_and_structures]"))
    assert option.inner_text().strip() == "track and structures (4)"  # rail lines, tunnels, bridges, pumping stations
    option.locator("input").check()
    assert visible_rows(page) == ["row-rail%20lines", "row-tunnels", "row-bridges", "row-pumping%20stations"]
    # The key a row's panel names is the value, not the label: "destination" is not the key, "commodity" is.
    goto(page, built_site, "mineral_exports", "#row-tungsten%20concentrate")
    assert page.locator("#provenance-panel .row-key").inner_text() == "commodity = tungsten concentrate"


def test_the_destination_facet_still_matches_a_labelled_code(built_site, page):
    goto(page, built_site, "aid_deliveries", "?unit=t")
    aid = aidstats.load("aid_deliveries")
    assert visible_rows(page) == [f"row-{s}" for s in aid.seq[aid.unit == "t"]]


def test_each_row_has_its_json_at_a_stable_path_linked_from_the_panel(built_site, page):
    goto(page, built_site, "mineral_exports", "#row-gold%2Fsilver%20ore")
    link = page.locator("#provenance-panel a.row-json")
    # The key "gold/silver ore" percent-encoded in the file name, and the "%" encoded again in the link.
    assert link.get_attribute("href") == "data/rows/mineral_exports/gold%252Fsilver%2520ore.json"
    path = Path(unquote(urlsplit(link.evaluate("a => a.href")).path))
    assert path == built_site / "data" / "rows" / "mineral_exports" / "gold%2Fsilver%20ore.json"
    row = json.loads(path.read_text(encoding="utf-8"))
    # clean/mineral_exports.csv: "gold/silver ore",5346,52.7,... delivered to SUN, cited in fn48.
    assert row["table"] == "mineral_exports" and row["key"] == {"commodity": "gold/silver ore"}
    assert row["row"]["delivered_t"] == 5346 and row["row"]["percent_of_plan"] == 52.7
    assert row["row"]["destination"] == "SUN" and row["row"]["source_id"] == "fn48"
    assert row["row"]["period_start"] == "1951-01-01"
    assert list(row["row"]) == list(aidstats.load("mineral_exports").columns)
    # aid_deliveries/32.json, the path the issue names; seq 18's names its caveat; a missing value is null.
    seq18 = json.loads((built_site / "data" / "rows" / "aid_deliveries" / "18.json").read_text(encoding="utf-8"))
    assert seq18["caveats"] == ["locomotives_double_count"] and seq18["row"]["implausible_reason"] is None
    assert (built_site / "data" / "rows" / "aid_deliveries" / "32.json").is_file()
    for name in aidstats.list_tables():
        assert len(list((built_site / "data" / "rows" / name).glob("*.json"))) == len(aidstats.load(name)), name


def test_report_a_problem_opens_a_prefilled_issue_on_the_repository(built_site, page):
    from aidstats import metadata

    goto(page, built_site, "aid_deliveries", "#row-18")
    link = page.locator("#provenance-panel a.report")
    assert link.inner_text() == "Report a problem with this row" and link.get_attribute("target") == "_blank"
    url = urlsplit(link.get_attribute("href"))
    # The repository is where the releases are published (metadata.RELEASE_URL), written once.
    assert f"{url.scheme}://{url.netloc}{url.path}" == metadata.RELEASE_URL.split("/releases/")[0] + "/issues/new"
    query = parse_qs(url.query)
    assert query["title"] == ["Problem with aid_deliveries row seq = 18"]
    (body,) = query["body"]
    # clean/aid_deliveries.csv seq 18: 25 locomotives from Czechoslovakia, footnote 53.
    assert "Table: aid_deliveries" in body and "Row: seq = 18" in body
    assert "- quantity: 25" in body and "- commodity: locomotives" in body and "- unit: item" in body
    assert "Quote: “25 locomotives from Czechoslovakia”" in body
    assert "footnote 53 — " in body and "List of Goods Delivered to the DPRK in 1952" in body
    assert body.count("\n") >= 10  # one value a line: the newlines were encoded, not lost


def test_a_commodity_links_to_the_row_that_gives_its_class_and_why(built_site, page):
    # commodity_classes is keyed by a table's name and its commodity: row 1 of aid_deliveries is coal, whose class
    # (clean/commodity_classes.csv: aid_deliveries, coal, section 3, division 31, "Coal is a mineral fuel") is on that row.
    goto(page, built_site, "aid_deliveries")
    link = cell(page, "row-1", "commodity").locator("a")
    assert link.inner_text() == "coal"
    assert link.get_attribute("href") == "commodity_classes.html#row-aid_deliveries,coal"
    link.click()
    page.wait_for_load_state("load")
    assert page.locator("tr.selected").get_attribute("id") == "row-aid_deliveries,coal"
    assert cell(page, "row-aid_deliveries,coal", "sitc_division").inner_text().startswith("31")
    assert cell(page, "row-aid_deliveries,coal", "rationale").inner_text() == "Coal is a mineral fuel"
    goto(page, built_site, "mineral_exports")
    assert cell(page, "row-lead", "commodity").locator("a").get_attribute("href") == "commodity_classes.html#row-mineral_exports,lead"
    # A table commodity_classes does not name has no such link.
    goto(page, built_site, "key_figures")
    assert page.locator("table.data a[href^='commodity_classes.html#']").count() == 0
