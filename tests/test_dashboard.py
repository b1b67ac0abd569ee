"""The dashboard, opened offline from file:// in real headless Chromium, and the charts it draws."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

import aidstats
from aidstats.package import file_facts
from aidstats.web import dashboard, figures
from aidstats.web.figures import CHARTS, caption

MB = 1_000_000


@pytest.fixture
def dashboard_file(built_dashboard):
    return built_dashboard


def test_the_partial_bundle_is_embedded_once_with_its_licence(dashboard_file):
    text = dashboard_file.read_text(encoding="utf-8")
    bundle = figures.BUNDLE.read_text(encoding="utf-8")
    assert text.count(bundle[-2000:]) == 1  # the library, once
    assert "<script src=" not in text
    assert "Permission is hereby granted" in text  # the MIT licence travels with the code it covers
    assert aidstats.__version__ in text and "North Korea and the Armistice Negotiations" in text


def test_offline_dashboard_weighs_at_most_1_4_megabytes(dashboard_file):
    # Issue 12: the full plotly.js (4.8 MB) made the dashboard 4.9 MB; the "cartesian" bundle 1.69 MB (issue 19),
    # the "basic" one, which draws every chart here, 1,381,325 bytes.
    assert dashboard_file.stat().st_size <= 1.4 * MB


def test_shipped_bundle_is_the_plotly_js_that_plotly_writes_figures_for():
    from plotly.offline import get_plotlyjs_version

    assert figures.plotly_js_version() == get_plotlyjs_version()
    assert figures.plotly_js() == figures.BUNDLE.read_text(encoding="utf-8")
    assert (figures.BUNDLE.parent / "LICENSE-plotly.js.txt").read_text(encoding="utf-8").startswith("MIT License")


def test_a_bundle_of_another_version_gives_way_to_plotlys_own(monkeypatch):
    from plotly.offline import get_plotlyjs

    monkeypatch.setattr("plotly.offline.get_plotlyjs_version", lambda: "0.0.1")
    with pytest.warns(UserWarning, match=r"plotly\.js 0\.0\.1, but the bundle .* is 4"):
        assert figures.plotly_js() == get_plotlyjs()


def test_version_banner_is_read_or_refused():
    assert figures.plotly_js_version("/**\n* plotly.js (basic - minified) v9.8.7\n*/") == "9.8.7"
    assert figures.plotly_js_version("/**\n* plotly.js v4.1.1\n") == "4.1.1"
    with pytest.raises(ValueError, match=r"no 'plotly\.js … vX\.Y\.Z' banner.*found 'var x'"):
        figures.plotly_js_version("var x")


def _plotly_config(text: str) -> dict:
    """The #aidstats-plotly element charts.js reads: where to load plotly.js from, and its integrity hash."""
    (found,) = re.findall(r'<script id="aidstats-plotly" type="application/json">(.*?)</script>', text)
    return json.loads(found)


def test_cdn_links_the_same_partial_bundle_with_its_integrity_hash(tmp_path):
    # Issue 12: --cdn linked plotly-7.1.0.min.js, the Python package's version, a file the CDN does not have.
    # Issue 19: it then linked the full bundle (4.8 MB) instead of the partial one the offline file embeds, with no hash.
    import base64
    import hashlib

    path = tmp_path / "small.html"
    assert run_cli("dashboard", "-o", str(path), "--cdn").exit_code == 0
    text = path.read_text(encoding="utf-8")
    banner = figures.BUNDLE.read_text(encoding="utf-8")[:200]
    bundle, version = re.search(r"plotly\.js \((\w+) - minified\) v(\S+)", banner).groups()
    assert bundle == "basic"  # the partial bundle with bar, pie and scatter (tests/test_charts.py: every chart's traces)
    digest = base64.b64encode(hashlib.sha384(figures.BUNDLE.read_bytes()).digest()).decode()
    assert _plotly_config(text) == {"src": f"https://cdn.plot.ly/plotly-basic-{version}.min.js", "integrity": f"sha384-{digest}"}
    assert "<script src=" not in text  # charts.js loads it (crossorigin="anonymous", so the browser checks the hash)
    assert path.stat().st_size < 500_000 and "Permission is hereby granted" not in text
    # offline: plotly.js is in the page, after charts.js
    assert _plotly_config(dashboard.render()) == {"src": None, "integrity": None, "inPage": True}


def test_cdn_dashboard_offline_says_each_chart_could_not_load(tmp_path, page):
    path = tmp_path / "small.html"
    path.write_text(dashboard.render(cdn=True), encoding="utf-8")
    page.goto(path.as_uri())
    failed = page.locator("figure.chart .chart-failed")
    failed.first.wait_for(timeout=30_000)
    page.wait_for_function(f"document.querySelectorAll('figure.chart .chart-failed').length === {len(CHARTS)}", timeout=30_000)
    for text in failed.all_inner_texts():
        assert "could not be drawn" in text and "did not load" in text
    assert page.locator("figure.chart .js-plotly-plot").count() == 0
    assert not [e for e in page.errors if "Plotly is not defined" in e], page.errors
    assert page.network == [figures.plotly_cdn_url()]  # the one request, refused


def test_the_first_chart_is_drawn_before_the_rest_of_the_page_is_read(dashboard_file):
    # The page in reading order: the charts, then the scripts that draw them (charts.js, which keeps each chart's
    # room, then plotly.js in the page, then the call that draws), then the rest.
    text = dashboard_file.read_text(encoding="utf-8")
    first = text.index(f'data-chart="{next(iter(CHARTS))}"')
    last = max(text.index(f'data-chart="{name}"') for name in CHARTS)
    library = text.index(figures.BUNDLE.read_text(encoding="utf-8")[-2000:])
    charts_js = text.index("aidstats charts: draws each chart")
    draw = text.index("window.aidstatsPlotlyInPage();")
    assert first < last < charts_js < library < draw < text.index('id="download"') < text.index('id="caveats"')


@pytest.mark.parametrize("width", [1280, 375])
def test_each_chart_has_the_room_it_is_drawn_in_before_any_script_runs(dashboard_file, page, chromium, width):
    # plotly.js takes about a second to run on a phone, and the page is painted meanwhile: a chart whose room was
    # not kept pushed everything below it down when drawn. The room kept without script is the drawn chart's height.
    from browser import new_offline_page

    blank = new_offline_page(chromium, viewport={"width": width, "height": 800}, javascript=False)
    try:
        blank.goto(dashboard_file.as_uri())
        kept = blank.locator("[data-chart]").evaluate_all("ds => ds.map(d => parseFloat(getComputedStyle(d).minHeight))")
    finally:
        blank.context.close()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(dashboard_file.as_uri())
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {len(CHARTS)}", timeout=30_000)
    drawn = page.locator("[data-chart]").evaluate_all("ds => ds.map(d => d.querySelector('.main-svg').getBoundingClientRect().height)")
    assert len(kept) == len(CHARTS) and min(kept) > 200
    assert kept == pytest.approx(drawn, abs=1)


def test_the_dashboard_links_the_website_the_documentation_and_the_archive(dashboard_file):
    from aidstats import metadata
    from aidstats.web.jsonld import SITE_URL
    from aidstats.web.site import TABLE_CHARTS

    text = dashboard_file.read_text(encoding="utf-8")
    version = aidstats.__version__
    assert f'<a href="{metadata.RELEASE_URL.format(version=version)}">aidstats-data-{version}.zip</a>' in text
    assert f'<a href="{SITE_URL}">Website</a>' in text and f'<a href="{SITE_URL}docs/">Documentation</a>' in text
    descriptor = json.loads((Path(__file__).resolve().parents[1] / "datapackage.json").read_text(encoding="utf-8"))
    titles = {r["name"]: r["title"] for r in descriptor["resources"]}
    for table, names in TABLE_CHARTS.items():
        # A heading per table, its page on the website, and its charts under it, in order.
        heading = text.index(f">{titles[table]}</h2>")
        assert text.index(f'<a href="{SITE_URL}{table}.html">', heading) < min(text.index(f'data-chart="{n}"') for n in names)


def test_every_chart_renders_offline_with_the_partial_bundle(dashboard_file, page):
    page.goto(dashboard_file.as_uri())
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {len(CHARTS)}", timeout=30_000)
    # The bundle registers every trace type the charts use (an unregistered one is silently not drawn).
    registered = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    used = {trace.type for chart in CHARTS.values() for trace in chart.make().data}
    assert used <= registered, used - registered
    assert page.evaluate("Plotly.version") == figures.plotly_js_version()
    for name in CHARTS:
        chart = page.locator(f"#chart-{name}")
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200, name
        assert chart.locator("g.trace.bars path, g.hm image").count() >= 1, name  # bars or heatmap cells drawn
    assert page.locator("#chart-railway_losses g.trace.bars path").count() == len(aidstats.load("railway_damage"))
    assert page.locator("#caveats li").count() == len(aidstats.load("caveats"))
    assert page.evaluate("performance.getEntriesByName('aidstats-first-chart', 'mark').length") == 1
    figures_ = page.locator("figure.chart")
    assert figures_.evaluate_all("fs => fs.map(f => f.id)") == list(CHARTS)
    assert figures_.locator("figcaption").all_inner_texts() == [caption(name) for name in CHARTS]
    assert page.errors == [], page.errors
    assert page.network == [], page.network


def test_hover_names_the_source(dashboard_file):
    figure = CHARTS["railway_losses"].make()
    sources = [row[3] for trace in figure.data for row in trace.customdata]
    assert all("Footnote 45" in s and "AVPRF" in s for s in sources)
    for name, chart in CHARTS.items():
        assert "Footnote" in chart.make().to_json(), name


def test_hover_numbers_come_from_the_formatter():
    # No d3 number formats left in a hover: every number is written by aidstats.text.numbers.
    for name, chart in CHARTS.items():
        for trace in chart.make().data:
            assert not re.search(r"%\{[^}]*:", trace.hovertemplate), (name, trace.hovertemplate)
    rail = [row for trace in figures.railway_losses().data for row in trace.customdata]
    factory = next(row for row in rail if row[0] == "452")
    assert factory[4] == "80.9%"  # 452 / 559 = 0.80859…, three significant digits of a percentage
    aid = [row for trace in figures.aid_by_donor().data for row in trace.customdata]
    assert "240,300 t" in {row[3] for row in aid}  # China's coal and coking coal: 240,000 + 300 tonnes
    plan = [row for trace in figures.plan_fulfilment_chart().data for row in trace.customdata]
    gold = next(row for row in plan if row[0] == "5,346 t")  # printed "5,346 tons … (52.7% …)"
    assert gold[5] == "52.7%" and gold[1] == "10,144 t"  # 5,346 / 52.7 × 100 = 10,144.2… t


def _edited_copy(project_copy, table: str, edit) -> None:
    """Rewrite one table's Parquet file in the copy, and its size and hash in the descriptor (the loader
    refuses a file that does not match them); the loader reads it as the package's data."""
    frame = aidstats.load(table, project_copy)
    edit(frame)
    frame.attrs = {}
    path = project_copy / "clean" / f"{table}.parquet"
    frame.to_parquet(path, index=False)
    descriptor = json.loads((project_copy / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["path"] == f"clean/{table}.parquet").update(file_facts(path))
    (project_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_captions_titles_and_sources_are_read_from_the_data(project_copy):
    def later(frame):
        frame["period_end"] = pd.Timestamp("1951-09-30")

    def other_source(frame):
        frame["source_id"] = "fn45"
        frame.loc[frame["implausible_reason"].notna(), "quantity_base"] = 2_500_000.0

    _edited_copy(project_copy, "railway_damage", later)
    _edited_copy(project_copy, "aid_deliveries", other_source)
    assert "January-September 1951" in caption("railway_losses", project_copy)
    assert "January-September 1951" in figures.railway_losses(project_copy).layout.title.text
    assert "The implausible 2,500,000 t of handicraft equipment is left out." in caption("aid_by_donor", project_copy)
    for make in (figures.aid_by_donor, figures.donor_composition):
        text = make(source=project_copy).to_json()
        assert "Footnote 45" in text and "Footnote 53" not in text


def test_period_reads_as_a_person_writes_it():
    day = pd.Series
    assert figures._period(day([pd.Timestamp("1951-01-01")]), day([pd.Timestamp("1951-06-30")])) == "January-June 1951"
    assert figures._period(day([pd.Timestamp("1951-03-01")]), day([pd.Timestamp("1951-03-31")])) == "March 1951"
    assert figures._period(day([pd.Timestamp("1951-01-03")]), day([pd.Timestamp("1951-06-29")])) == "3 January-29 June 1951"
    assert figures._period(day([pd.Timestamp("1950-12-01")]), day([pd.Timestamp("1951-02-28")])) == "December 1950-February 1951"


def test_an_ibid_is_labelled_with_the_document_it_repeats():
    sources = aidstats.load("sources").set_index("source_id")
    ibid = sources[sources["full_citation_id"].notna()].index[0]
    full = sources.loc[sources.loc[ibid, "full_citation_id"]]
    label = figures.source_labels()[ibid]
    assert label.startswith(f"Footnote {sources.loc[ibid, 'footnote']}: {figures.plain(full['title'])}")
    assert f"as cited in footnote {full['footnote']}" in label and f"Fond {full['fond']}" in label


def test_footnote_markup_in_a_passage_is_rendered(project_copy):
    def marked(frame):
        frame.loc[0, "quote"] = "from China.[footnoteRef:53] While  [53:  List of Goods <b>.] Next"

    _edited_copy(project_copy, "caveats", marked)
    page = dashboard.render(root=project_copy)
    assert "[footnoteRef" not in page and "[53:" not in page
    assert re.search(r'<sup class="footnote-mark">[^[]*53</sup> While Next', page)  # the mark, in the sentence
    assert re.search(r'<li value="53">List of Goods &lt;b&gt;\.</li>', page)  # the footnote, its text escaped


def test_write_replaces_the_page_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "dashboard.html"
    path.write_text("the old page", encoding="utf-8")
    # A page that fails half-way through being written (a character UTF-8 cannot encode, after 100,000 that it can).
    monkeypatch.setattr(dashboard, "render", lambda cdn, root: "x" * 100_000 + "\ud800")
    with pytest.raises(UnicodeEncodeError):
        dashboard.write(path)
    assert path.read_text(encoding="utf-8") == "the old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dashboard.html"]  # no temporary file left
    monkeypatch.setattr(dashboard, "render", lambda cdn, root: "the new page")
    assert dashboard.write(path) == path and path.read_text(encoding="utf-8") == "the new page"
    assert path.stat().st_mode & 0o644 == 0o644  # readable by others, like a file written the usual way


def test_render_gives_the_offline_page_unless_asked_for_the_cdn():
    text = dashboard.render()
    assert figures.BUNDLE.read_text(encoding="utf-8")[-2000:] in text and "<script src=" not in text


def test_the_wheel_carries_the_bundle_its_licence_and_the_dashboard_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "aidstats/web/assets/vendor/plotly-basic.min.js",
        "aidstats/web/assets/vendor/LICENSE-plotly.js.txt",
        "aidstats/web/assets/templates/dashboard_page.html",  # .gitignore's "dashboard.html" would leave a template of that name out
    } <= names


def test_no_serious_or_critical_accessibility_violation_drawn_or_not(dashboard_file, tmp_path, page):
    from test_site_a11y import violations

    page.goto(dashboard_file.as_uri())
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {len(CHARTS)}", timeout=30_000)
    assert violations(page) == []
    # --cdn offline: every chart replaced by its sentence and its numbers.
    path = tmp_path / "small.html"
    path.write_text(dashboard.render(cdn=True), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function(f"document.querySelectorAll('figure.chart .chart-failed').length === {len(CHARTS)}", timeout=30_000)
    assert violations(page) == []


@pytest.mark.parametrize("tampered", [False, True])
def test_the_browser_runs_the_cdn_file_only_if_it_matches_the_hash(tmp_path, page, tampered):
    # The CDN answered by the test: with the vendored file, the charts are drawn; with one byte changed, the
    # browser refuses it (Subresource Integrity) and every chart says it could not be drawn.
    body = figures.BUNDLE.read_bytes() + (b" " if tampered else b"")
    url = figures.plotly_cdn_url()

    def cdn(route):
        route.fulfill(status=200, body=body, headers={"Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*"})

    path = tmp_path / "small.html"
    path.write_text(dashboard.render(cdn=True), encoding="utf-8")
    page.route(url, cdn)
    try:
        page.goto(path.as_uri())
        if tampered:
            page.wait_for_function(f"document.querySelectorAll('figure.chart .chart-failed').length === {len(CHARTS)}", timeout=30_000)
            assert any("integrity" in e for e in page.errors), page.errors
        else:
            page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length >= {len(CHARTS)}", timeout=30_000)
            assert page.evaluate("Plotly.version") == figures.plotly_js_version() and page.errors == []
    finally:
        page.unroute(url, cdn)
