"""The dashboard, opened offline from file:// in real headless Chromium."""

from __future__ import annotations

import pytest
from conftest import run_cli

import aidstats
from aidstats.figures import CHARTS


@pytest.fixture
def dashboard(built_dashboard):
    return built_dashboard


def test_plotly_js_is_embedded_once(dashboard):
    text = dashboard.read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    assert text.count(get_plotlyjs()[:200]) == 1  # the library, once
    assert "<script src=" not in text
    assert aidstats.__version__ in text and "North Korea and the Armistice Negotiations" in text


def test_every_chart_renders_offline_without_errors(dashboard, page):
    page.goto(dashboard.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(CHARTS)}", timeout=30_000)
    for name in CHARTS:
        chart = page.locator(f"#chart-{name}")
        assert chart.locator(".main-svg").count() >= 1, name
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200, name
        # Bars or heatmap cells were drawn, not just empty axes.
        assert chart.locator("g.trace, g.hm, image").count() >= 1, name
    assert page.locator("#caveats li").count() == len(aidstats.load("caveats"))
    # Each chart sits in a figure named after it (an anchor to link to), with its caption.
    figures = page.locator("figure.chart")
    assert figures.evaluate_all("fs => fs.map(f => f.id)") == list(CHARTS)
    assert figures.locator("figcaption").all_inner_texts() == [caption for _, caption in CHARTS.values()]
    assert page.errors == [], page.errors
    assert page.network == [], page.network


def test_hover_names_the_source(dashboard):
    figure = CHARTS["railway_losses"][0]()
    templates = [trace.hovertemplate for trace in figure.data]
    assert all("customdata[3]" in t for t in templates)
    sources = [row[3] for trace in figure.data for row in trace.customdata]
    assert all("Footnote 45" in s and "AVPRF" in s for s in sources)
    for name, (make, _) in CHARTS.items():
        text = make().to_json()
        assert "Footnote" in text, name


def test_render_gives_the_offline_page_unless_asked_for_the_cdn():
    from plotly.offline import get_plotlyjs

    from aidstats.dashboard import render

    text = render()
    assert get_plotlyjs()[:200] in text and "<script src=" not in text


def test_cdn_variant_is_small_and_links_plotly(tmp_path):
    path = tmp_path / "small.html"
    assert run_cli("dashboard", "-o", str(path), "--cdn").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert '<script src="https://cdn.plot.ly/' in text and path.stat().st_size < 500_000
