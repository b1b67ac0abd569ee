"""Data is never code or markup: hostile text in a package is shown as typed.

One package is built whose free text (text the build does not check against
the paper) holds an HTML element with an event handler, a script end tag, rich
markup, a template expression and Markdown; the site, the dashboard and the
README sections are rendered from that package and read back: in Chromium
for the pages, through a CommonMark renderer for the README.
"""

from __future__ import annotations

import csv
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, made_once

import aidstats
from aidstats.build.run import build
from aidstats.publish.readme import (
    CAVEATS_END,
    CAVEATS_START,
    END,
    START,
    caveats_markdown,
    markdown_code,
    markdown_text,
    tables_markdown,
    update_readme,
)
from aidstats.web.dashboard import write as write_dashboard
from aidstats.web.figures import CHARTS
from aidstats.web.site import build_site

# What the issue names, each of which a careless renderer would run or style.
ATTACKS = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "[bold red]x[/bold red]",
    "{{ 7*7 }}",
]
# Markup that plotly, HTML and Markdown each do interpret, so a missing escape shows.
MARKUP = "<b>bold</b> &amp; a|b *em* `code` _u_ ~~s~~ $m$ [link](javascript:alert(3)) <!-- c -->"
HOSTILE = " ".join([*ATTACKS, MARKUP])
# Section 6's title is replaced; the chart legends and hovers show it after "6 ".
SECTION = "6"
CAVEAT_ID = "hostile_text"
DONOR = f"Bulgaria {HOSTILE}"
# A table no chart and no caveat uses, left out of the hostile package's descriptor.
DROPPED = "units"
# A paragraph of the "paper" with the text before, in and after a caveat's quote, so each part of it is inserted.
QUOTE = f"quoted: {HOSTILE}"
PASSAGE = f"{HOSTILE} is {QUOTE} and ends with {HOSTILE}"


def _edit_csv(path: Path, edit) -> None:
    """Rewrite a raw CSV through ``edit(rows)``, quoting as the csv module does."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    rows = edit(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _set(rows: list[dict], column: str, value: str, **where) -> list[dict]:
    hits = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert hits, where
    for row in hits:
        row[column] = value
    return rows


def _retype(raw: Path, source: str, table: str, changes: dict[str, str]) -> None:
    """Make each change in a paragraph of raw/source/ and in the raw table that quotes it, wherever it occurs."""
    paths = [raw / "source" / source, raw / table]
    texts = {path: path.read_text(encoding="utf-8") for path in paths}
    for old, new in changes.items():
        assert any(old in text for text in texts.values()), old
        texts = {path: text.replace(old, new) for path, text in texts.items()}
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")


def make_hostile_package(root: Path) -> Path:
    """A copy of the project whose free text is ``HOSTILE``, built with ``aidstats.build.run.build``."""
    for name in ("raw", "clean"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("datapackage.json", "README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff"):
        shutil.copy(ROOT / name, root / name)
    raw = root / "raw"
    # The caveat's quote must occur in raw/source/.
    with (raw / "source" / "other_passages.txt").open("a", encoding="utf-8") as f:
        f.write(f"\n\n{PASSAGE}\n")
    caveat = {
        "caveat_id": CAVEAT_ID,
        "table": "sources",
        "row_key": "source_id=fn45",
        "column_name": "",
        "issue": HOSTILE,
        "quote": QUOTE,
        "treatment": HOSTILE,
    }
    _edit_csv(raw / "caveats.csv", lambda rows: [*rows, caveat])
    _edit_csv(raw / "sources.csv", lambda rows: _set(_set(rows, "note", HOSTILE, source_id="fn45"), "papka", HOSTILE, source_id="fn45"))
    # Characters Python's str.splitlines() takes for line ends, though CSV does not: the row count must not change.
    _edit_csv(raw / "sources.csv", lambda rows: _set(rows, "note", "one\u2028two\x85three\x0cfour", source_id="fn14"))
    # Two figures unlike the bundled package's, retyped in the "paper" and the table alike (quotes must occur in it),
    # so a chart drawn from the bundled package instead shows.
    _retype(
        raw,
        "railway_losses_fn45.txt",
        "railway_damage.csv",
        {"1928 out of 2410 warehouses": "1927 out of 2410 warehouses", "warehouses,buildings,1928,": "warehouses,buildings,1927,"},
    )
    _retype(
        raw,
        "mineral_exports_fn48.txt",
        "mineral_exports.csv",
        {"8,443 tons of lead": "8,444 tons of lead", 'lead,"8,443",': 'lead,"8,444",'},
    )
    # A donor's name, as the code list and the deliveries both spell it (a foreign key holds them together).
    _edit_csv(raw / "donors.csv", lambda rows: _set(rows, "name", DONOR, code="BGR"))
    _edit_csv(raw / "aid_deliveries.csv", lambda rows: _set(rows, "donor", DONOR, donor_code="BGR"))
    _edit_csv(raw / "commodity_classes.csv", lambda rows: _set(rows, "rationale", HOSTILE, commodity="lead"))
    _edit_csv(raw / "sitc_divisions.csv", lambda rows: _set(rows, "section_title", HOSTILE, section=SECTION))
    build(root)
    # The descriptor is input too (a downloaded package can hold anything): titles, the citation, a unit;
    # and it lists one table fewer than the bundled package, so that reading the bundled one shows.
    path = root / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["title"], package["citation"] = f"Title {HOSTILE}", f"Citation {HOSTILE}"
    package["resources"] = [r for r in package["resources"] if r["name"] not in (DROPPED, f"{DROPPED}-parquet")]
    caveats = next(r for r in package["resources"] if r["name"] == "caveats")
    caveats["title"] = f"Caveats {HOSTILE}"
    caveats["schema"]["fields"][0]["unit"] = HOSTILE
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    return root


# Each made once per run (made_once, conftest.py), also under pytest-xdist; the tests only read them.


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return made_once(tmp_path_factory, "hostile", make_hostile_package)


@pytest.fixture(scope="module")
def hostile_site(hostile, tmp_path_factory) -> Path:
    return made_once(tmp_path_factory, "hostile-site", lambda folder: build_site(folder / "site", root=hostile)) / "site"


@pytest.fixture(scope="module")
def hostile_dashboard(hostile, tmp_path_factory) -> Path:
    return (
        made_once(tmp_path_factory, "hostile-dash", lambda folder: write_dashboard(folder / "dashboard.html", root=hostile))
        / "dashboard.html"
    )


def test_the_hostile_text_is_in_the_package(hostile):
    """Guards the other tests: the build kept the text, byte for byte, where they look for it."""
    caveats = aidstats.load("caveats", hostile).set_index("caveat_id")
    assert caveats.loc[CAVEAT_ID, ["issue", "quote", "treatment"]].tolist() == [HOSTILE, QUOTE, HOSTILE]
    assert aidstats.load("sources", hostile).set_index("source_id").loc["fn45", ["note", "papka"]].tolist() == [HOSTILE] * 2
    sections = aidstats.load("sitc_divisions", hostile)
    assert set(sections.loc[sections["section"] == SECTION, "section_title"]) == {HOSTILE}


def test_charts_draw_the_given_package(hostile):
    """The charts' numbers come from the package they are given (1927 and 8,444 t there, 1928 and 8,443 t bundled)."""
    from aidstats.web.figures import plan_fulfilment_chart, railway_losses

    railway = [row for trace in railway_losses(source=hostile).data for row in trace.customdata if "1927" in row[0] or "1928" in row[0]]
    assert [list(row[:2]) for row in railway] == [["1927", "2410"]]
    minerals = [
        row for trace in plan_fulfilment_chart(source=hostile).data for y, row in zip(trace.y, trace.customdata, strict=True) if y == "lead"
    ]
    assert [row[0] for row in minerals] == ["8,444 t"]  # delivered_t as aidstats.text.numbers writes it


# -- the static site, in Chromium ---------------------------------------------------------------

# The pages that show a hostile value as text (the charts are read below).
SITE_PAGES = ["index", "caveats", "sources", "commodity_classes", "sitc_divisions"]


def _open(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # charts.js draws the charts after the table works (plotly.js is loaded then): wait for every one.
    charts = page.locator("[data-chart]").count()
    if charts:
        # data-drawn: newPlot has resolved (its first .main-svg comes before the legend and axes are drawn).
        page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {charts}", timeout=30_000)


def _assert_harmless(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"  # no handler and no script from the data ran
    assert page.errors == [], page.errors
    assert page.network == [], page.network


@pytest.mark.charts  # the charts' text too, with the site's plotly.js
@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_page_shows_hostile_text_as_typed(hostile_site, page, name):
    _open(page, hostile_site / f"{name}.html")
    _assert_harmless(page)
    # The text a reader sees holds the whole string, character for character.
    assert HOSTILE in page.locator("main").inner_text()
    # No element came from the data: <b> and <img> would be elements if it had been read as HTML.
    assert page.locator("main img").count() == 0
    assert page.locator("main b").count() == 0
    assert HOSTILE in page.locator("footer").inner_text()  # the citation, on every page
    if name in ("index", "caveats"):
        assert page.title() == {"index": f"Title {HOSTILE} · aidstats", "caveats": f"Caveats {HOSTILE} · aidstats"}[name]


def _plotly_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("nodes => nodes.map(n => n.textContent)")


def _hover_text(page, chart: str, where) -> str:
    """Hover a chart, as the mouse would, and return the hover label's text.

    ``where`` is what ``Plotly.Fx.hover`` takes: a list of ``{curveNumber, pointNumber}``
    for bars, or ``{xval, yval}`` (category indices) for a heatmap.
    """
    script = """([id, where]) => {
        const gd = document.getElementById(id);
        Plotly.Fx.hover(gd, where);
        return gd.querySelector('.hoverlayer').textContent;
    }"""
    return page.evaluate(script, [chart, where])


def _trace(page, chart: str, name_part: str) -> int:
    return page.evaluate(
        "([id, part]) => document.getElementById(id).data.findIndex(t => (t.name || '').includes(part))", [chart, name_part]
    )


def _squeezed(text: str) -> str:
    """Text without its spaces: plotly writes each line of a wrapped label or hover as an element of its own."""
    return "".join(text.split())


def _legend_and_hover_show_text_as_typed(page) -> None:
    section = _squeezed(f"{SECTION} {HOSTILE}")
    # The legends of both aid charts: "6 " and the title, as typed.
    for chart in ("chart-aid_by_donor", "chart-donor_composition"):
        assert section in [_squeezed(t) for t in _plotly_texts(page, f"#{chart} .legendtext")], chart
    # The donor's name on both charts' rows (every row is labelled) and in the bar chart's hover.
    for chart in ("chart-aid_by_donor", "chart-donor_composition"):
        assert _squeezed(DONOR) in [_squeezed(t) for t in _plotly_texts(page, f"#{chart} .ytick text")], chart
    bulgaria = page.evaluate(
        """() => document.getElementById('chart-aid_by_donor').data.flatMap((t, curve) =>
            Array.from(t.y).map((y, point) => ({curveNumber: curve, pointNumber: point, y}))).find(p => p.y.startsWith('Bulgaria'))"""
    )
    assert _squeezed(DONOR) in _squeezed(_hover_text(page, "chart-aid_by_donor", [bulgaria]))
    bar = _hover_text(page, "chart-aid_by_donor", [{"curveNumber": _trace(page, "chart-aid_by_donor", "7*7"), "pointNumber": 0}])
    assert section in _squeezed(bar)
    # A part of the composition's stacked bars in section 6 (its trace's name is wrapped over lines).
    curve = page.evaluate(
        f"document.getElementById('chart-donor_composition').data.findIndex(t => t.name.replace(/<br>/g, ' ').startsWith('{SECTION} '))"
    )
    part = _hover_text(page, "chart-donor_composition", [{"curveNumber": curve, "pointNumber": 0}])
    assert section in _squeezed(part)
    # Plotly reads <b> as bold: had the text not been escaped, a bold tspan would hold just "bold".
    bold = page.locator(".js-plotly-plot text tspan[style*='font-weight:bold']").evaluate_all("ts => ts.map(t => t.textContent)")
    assert "bold" not in bold


@pytest.mark.charts  # the charts' text too, with the site's plotly.js
def test_site_charts_show_hostile_text_as_typed(hostile_site, page):
    _open(page, hostile_site / "aid_deliveries.html")
    _legend_and_hover_show_text_as_typed(page)
    _assert_harmless(page)


@pytest.mark.charts  # the charts' text too, with the site's plotly.js
def test_site_source_panel_and_hover_show_hostile_folio_as_typed(hostile_site, page):
    """fn45's papka is in the archive location a railway row's panel and the railway chart's hover show."""
    _open(page, hostile_site / "railway_damage.html")
    page.locator("table.data tbody tr").first.locator("td").first.click()
    assert f"Papka {HOSTILE}" in page.locator("#provenance-panel .location").inner_text()
    hover = _hover_text(page, "chart-railway_losses", [{"curveNumber": 0, "pointNumber": 0}])
    # The hover wraps the source over lines (one text element each): compare without the spaces.
    assert "".join(f"Papka {HOSTILE}".split()) in "".join(hover.split())
    _assert_harmless(page)


# -- the dashboard, in Chromium -----------------------------------------------------------------


def test_dashboard_shows_hostile_text_as_typed(hostile, hostile_dashboard, page):
    from aidstats.web.figures import caption

    page.goto(hostile_dashboard.as_uri())
    page.wait_for_function("document.querySelectorAll('[data-chart][data-drawn]').length >= 4", timeout=30_000)
    # The site's caveat list (macros.html): "<strong>id</strong> (table): issue", the evidence, "Treatment: …".
    items = page.locator("#caveats li").all_inner_texts()
    assert any(
        t.startswith(f"{CAVEAT_ID} (sources") and f"): {HOSTILE}" in t and f"Treatment: {HOSTILE}" in t and QUOTE in t for t in items
    )
    assert page.title() == f"Title {HOSTILE}"
    assert page.locator("figure.chart").evaluate_all("figures => figures.map(f => f.id)") == list(CHARTS)  # anchors to each chart
    assert page.locator("figure.chart figcaption").all_inner_texts() == [caption(name, hostile) for name in CHARTS]
    assert page.locator("main img, main b").count() == 0
    _legend_and_hover_show_text_as_typed(page)
    _assert_harmless(page)


def test_dashboard_renders_the_package_it_is_given(hostile, hostile_dashboard):
    """Caveats, charts and citation come from ``root``, not from the bundled package."""
    text = hostile_dashboard.read_text(encoding="utf-8")
    assert text.count('<li class="caveat">') == len(aidstats.load("caveats", hostile))
    assert len(aidstats.load("caveats", hostile)) != len(aidstats.load("caveats"))  # so the count tells the packages apart
    assert f"Cite as: Citation {HOSTILE.replace('<', '&lt;')[:20]}" in text


def test_site_renders_the_package_it_is_given(hostile, hostile_site):
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="caveats.html">caveats</a> table ({len(aidstats.load("caveats", hostile))} caveats)' in index
    assert "Caveats &lt;img" in index  # the edited title, from the given descriptor
    # The table the given descriptor leaves out has no page and no link.
    assert not (hostile_site / f"{DROPPED}.html").exists()
    assert f'href="{DROPPED}.html"' not in index
    assert f'href="{DROPPED}.html"' not in (hostile_site / "caveats.html").read_text(encoding="utf-8")  # nor in a table page's menu
    # The home page counts the given package's rows (one caveat more than raw/ had).
    caveat_rows = len(aidstats.load("caveats", hostile))
    assert f'<a href="caveats.html">caveats</a></td><td class="number">{caveat_rows}</td>' in index
    assert sorted(p.stem for p in hostile_site.glob("*.html")) == sorted(["index", *aidstats.list_tables(hostile)])


# -- the README sections, through a CommonMark renderer -------------------------------------------


class _Elements(HTMLParser):
    """The text and the tags of rendered HTML, per element of interest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []  # one per <li> or <tr>
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("li", "tr"):
            self.items.append({"tag": tag, "text": "", "tags": [], "cells": []})
        elif self.items:
            self.items[-1]["tags"].append(tag)
            if tag in ("td", "th"):
                self.items[-1]["cells"].append("")

    def handle_data(self, data):
        if self.items:
            self.items[-1]["text"] += data
            if self.items[-1]["cells"]:
                self.items[-1]["cells"][-1] += data


def _render(markdown: str) -> list[dict]:
    from markdown_it import MarkdownIt

    # CommonMark with GitHub's tables and strikethrough, and raw HTML allowed, as GitHub renders a README.
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser = _Elements()
    parser.feed(renderer.render(markdown))
    # The renderer puts line breaks between elements; they are not part of any value.
    return [{**i, "text": i["text"].strip(), "cells": [c.strip() for c in i["cells"]]} for i in parser.items]


def test_readme_caveat_bullet_keeps_hostile_text_literally(hostile):
    items = [i for i in _render(caveats_markdown(hostile)) if i["tag"] == "li" and i["text"].startswith(CAVEAT_ID)]
    assert len(items) == 1
    bullet = items[0]
    # The bold id, the table as code and the two emphasised labels: no element from the data.
    assert bullet["tags"] == ["strong", "code", "em", "em"]
    assert bullet["text"] == (f"{CAVEAT_ID} (sources, source_id=fn45): {HOSTILE} Evidence: “{QUOTE}”. Treatment: {HOSTILE}")


def test_readme_table_keeps_hostile_title_in_its_cell(hostile):
    rows = [i for i in _render(tables_markdown(hostile)) if i["tag"] == "tr"]
    assert len(rows) == 1 + len(aidstats.list_tables(hostile))  # the header and one row per table
    assert all(len(row["cells"]) == 4 for row in rows)  # a "|" in the data did not add a cell
    caveats = next(row for row in rows if row["cells"][0] == "caveats")
    assert caveats["cells"][1] == str(len(aidstats.load("caveats", hostile)))
    assert caveats["cells"][2] == f"Caveats {HOSTILE}"
    assert caveats["cells"][3].startswith(f"caveat_id ({HOSTILE}), table, ")
    assert "img" not in caveats["tags"] and "b" not in caveats["tags"] and "a" not in caveats["tags"]


def test_readme_counts_records_not_text_lines(hostile):
    rows = {row["cells"][0]: row["cells"][1] for row in _render(tables_markdown(hostile)) if row["tag"] == "tr"}
    # The paper and its 38 register rows, one "\n"-ended line each after the header of raw/sources.csv:
    # footnotes 14, 19, 58, 59 cite 2 documents each, 53 cites 3, 45 cites 10, and 17 others 1 each.
    lines = (hostile / "raw" / "sources.csv").read_text(encoding="utf-8").count("\n")
    assert rows["sources"] == str(lines - 1) == str(1 + 4 * 2 + 3 + 10 + 17)


@pytest.mark.parametrize(
    "text",
    ["plain", "a | b", "`tick`", "``", "x ` y", "`a", "a`", "<b>b</b>", "*a* _b_ snake_case [l](u) \\ & ~ $", "{{ 7*7 }}"],
)
def test_markdown_helpers_render_to_the_text_itself(text):
    (item,) = _render(f"- {markdown_text(text)} {markdown_code(text)}")
    assert item["text"] == f"{text} {text}"
    assert item["tags"] == ["code"]


@pytest.mark.parametrize("text", ["a|b", "a\\|b", "`a|b`", "<td>x</td>"])
def test_markdown_table_cell_holds_the_text_itself(text):
    rows = _render(f"| a | b |\n|---|---|\n| {markdown_text(text)} | {markdown_code(text, in_table=True)} |")
    assert [row["cells"] for row in rows] == [["a", "b"], [text, text]]


def test_markdown_puts_a_value_on_one_line():
    assert markdown_text("a\nb\r\nc\u2028d") == "a b c d"
    assert markdown_code("a\nb") == "`a b`"


def test_update_readme_writes_the_sections_of_the_given_package(hostile, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{START}\n{END}\nmiddle\n{CAVEATS_START}\n{CAVEATS_END}\nend\n", encoding="utf-8")
    assert update_readme(readme, hostile) is True
    text = readme.read_text(encoding="utf-8")
    assert text == f"intro\n{tables_markdown(hostile)}\nmiddle\n{caveats_markdown(hostile)}\nend\n"
    # Its own caveat and table list, not the bundled package's.
    assert f"- **{CAVEAT_ID}** " in text and f"| `{DROPPED}` |" not in text


# -- the site as issue 12 reshaped it: the quote read from its cell, the passages and source register shipped in
# assets/provenance.js, the caveats linked from the home page.


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
    # The passage is HTML built by aidstats.text.passages.to_html: the hostile text in it is escaped, never markup.
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
