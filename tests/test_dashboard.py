"""The dashboard, opened offline from file:// in real headless Chromium."""

from __future__ import annotations

import pytest
from browser import offline_page
from conftest import run_cli

import aidstats
from aidstats.figures import CHARTS


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "dashboard.html"
    result = run_cli("dashboard", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_plotly_js_is_embedded_once(dashboard):
    text = dashboard.read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    assert text.count(get_plotlyjs()[:200]) == 1  # the library, once
    assert "<script src=" not in text
    assert aidstats.__version__ in text and "North Korea and the Armistice Negotiations" in text


def test_every_chart_renders_offline_without_errors(dashboard):
    with offline_page() as page:
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


def test_cdn_variant_is_small_and_links_plotly(tmp_path):
    path = tmp_path / "small.html"
    assert run_cli("dashboard", "-o", str(path), "--cdn").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert '<script src="https://cdn.plot.ly/' in text and path.stat().st_size < 500_000
