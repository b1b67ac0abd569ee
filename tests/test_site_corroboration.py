"""Issue 20 on the site: a row's panel says where its document is published and what the published version says
beside the paper, and a key figure a published version contradicts is marked in the table.

Every expected value is read from clean/*.csv here (never from the page): the verdict, the figure as published, the
evidence, the publication's URL, which document has no published version.
"""

from __future__ import annotations

import pandas as pd

from aidstats.loader import data_root
from aidstats.web.site import row_id

CLEAN = data_root() / "clean"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(CLEAN / f"{name}.csv", dtype=str, keep_default_na=False)


def _compared(table: str, verdict: str) -> pd.DataFrame:
    """The corroboration rows of ``table`` with ``verdict``, their row keys read as ``column=value``."""
    corroboration = _csv("corroboration")
    return corroboration[(corroboration["table"] == table) & (corroboration["verdict"] == verdict)]


def _figure(row_key: str) -> str:
    column, _, value = row_key.partition("=")
    assert column == "figure_id"  # key_figures' primary key, as the corroboration table writes it
    return value


def _open(page, built_site, figure: str):
    page.goto((built_site / "key_figures.html").as_uri() + "#" + row_id([figure]))
    page.wait_for_load_state("load")
    panel = page.locator("#provenance-panel")
    assert panel.is_visible()
    return panel


def test_the_differs_row_shows_its_verdict_the_published_figure_the_evidence_and_the_link(built_site, page):
    compared = _compared("key_figures", "differs")
    entry = compared[compared["row_key"] == "figure_id=pyongyang_bombing_deaths"].iloc[0]
    publications = _csv("publications")
    url = publications.loc[publications["publication_id"] == entry["publication_id"], "url"].iloc[0]
    assert url.startswith("https://")  # the Digital Archive's copy, a web page

    panel = _open(page, built_site, "pyongyang_bombing_deaths")
    comparison = panel.locator(".corroboration-part li")
    assert comparison.count() == 1
    assert comparison.locator(".verdict").inner_text() == "Verdict: differs"
    assert comparison.locator(".as-published").inner_text() == f"As published: {entry['value_as_published']}"
    assert comparison.locator(".evidence q").inner_text() == entry["evidence"]
    assert entry["locator"] in comparison.locator(".evidence").inner_text()
    assert comparison.locator(".explanation").inner_text() == entry["explanation"]
    to_row = comparison.locator("a[href^='corroboration.html']")
    assert to_row.get_attribute("href") == "corroboration.html#" + row_id([entry["corroboration_id"]])
    # The document's published version, a link to it, marked as a probable match (the publications table says so).
    version = panel.locator(".published li a")
    assert version.get_attribute("href") == url
    line = panel.locator(".published li").filter(has=page.locator(f"a[href='{url}']")).inner_text()
    assert line.startswith("Published in translation: ")
    status = publications.loc[publications["publication_id"] == entry["publication_id"], "status"].iloc[0]
    assert ("probable" in line) == (status == "probable")
    # The row's plain-text citation names the published version too.
    panel.locator("button.cite-row").click()
    assert line in panel.locator("textarea.cite-text").input_value().splitlines()
    # The link to the comparison opens it on the corroboration table's page.
    to_row.click()
    page.wait_for_url("**/corroboration.html#" + row_id([entry["corroboration_id"]]))
    assert page.locator("#provenance-panel .row-key").inner_text() == f"corroboration_id = {entry['corroboration_id']}"
    assert page.errors == []


def test_an_agrees_row_shows_its_verdict(built_site, page):
    entry = _compared("key_figures", "agrees").iloc[0]
    panel = _open(page, built_site, _figure(entry["row_key"]))
    comparison = panel.locator(".corroboration-part li")
    assert comparison.locator(".verdict").inner_text() == "Verdict: agrees"
    assert comparison.locator(".as-published").inner_text() == f"As published: {entry['value_as_published']}"
    assert comparison.locator(".evidence q").inner_text() == entry["evidence"]


def test_a_row_whose_document_has_no_published_version_says_so_and_where_we_looked(built_site, page):
    figures, publications, sources = _csv("key_figures"), _csv("publications"), _csv("sources")
    statuses = publications.groupby("source_id")["status"].agg(set)
    cited = set(sources.loc[sources["kind"] != "paper", "source_id"])  # the paper itself is not a document it cites
    unpublished = [sid for sid, found in statuses.items() if found == {"not_found"} and sid in cited]
    row = figures[figures["source_id"].isin(unpublished)].iloc[0]
    searched = publications.loc[publications["source_id"] == row["source_id"], "searched"].iloc[0]

    panel = _open(page, built_site, row["figure_id"])
    sentence = panel.locator(".not-published")
    assert sentence.is_visible()
    assert sentence.inner_text() == f"No published version of this document was found. Where we looked: {searched}."
    assert panel.locator(".published li").count() == 0
    assert panel.locator(".corroboration-part").is_hidden()  # nothing was compared


def _mark(page, figure: str):
    return page.locator(f"#{row_id([figure])} .differs-mark")


def test_a_figure_a_published_version_contradicts_is_marked_in_the_table_in_words(built_site, page):
    differs = [_figure(key) for key in _compared("key_figures", "differs")["row_key"]]
    agrees = [_figure(key) for key in _compared("key_figures", "agrees")["row_key"]]
    assert "pyongyang_bombing_deaths" in differs
    page.goto((built_site / "key_figures.html").as_uri())
    page.wait_for_load_state("load")
    for figure in differs:
        mark = _mark(page, figure)
        assert mark.is_visible()
        # Words a screen reader reads, in the value's cell; not only a sign, not only a title.
        assert "a published version differs" in mark.inner_text()
        assert mark.locator("xpath=ancestor::td").get_attribute("class") == "number"
    for figure in agrees:
        assert _mark(page, figure).count() == 0
    assert page.locator(".differs-mark").count() == len(differs)
    # The mark is not part of the value: sorting by value and the row's citation still read 6,000 as a number.
    value = page.locator(f"#{row_id(['pyongyang_bombing_deaths'])} td.number").first
    number = float(_csv("key_figures").set_index("figure_id").at["pyongyang_bombing_deaths", "value"])
    assert value.evaluate("cell => parseFloat(cell.textContent.replace(/,/g, ''))") == number


def test_the_panels_head_says_a_published_version_differs_and_leads_to_the_comparison(built_site, page):
    differs = {_figure(key) for key in _compared("key_figures", "differs")["row_key"]}
    assert "pyongyang_bombing_deaths" in differs
    panel = _open(page, built_site, "pyongyang_bombing_deaths")
    flag = panel.locator(".differs-flag")
    assert flag.inner_text() == "≠ a published version differs"
    flag.click()
    assert page.evaluate("document.activeElement.closest('.corroboration-part') !== null")
    assert page.evaluate("document.activeElement.textContent").startswith("comparison ")
    # A figure whose comparison agrees has no such flag.
    agrees = sorted({_figure(key) for key in _compared("key_figures", "agrees")["row_key"]} - differs)
    assert agrees
    panel = _open(page, built_site, agrees[0])
    assert panel.locator(".corroboration-part li").count() >= 1
    assert panel.locator(".differs-flag").is_hidden()
