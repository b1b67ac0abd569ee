"""One self-contained HTML page with every chart, the citation and the caveats.

plotly.js is embedded once in the page (not once per chart), so the file
works offline; ``cdn=True`` links it from the plotly CDN instead, for a small
file that needs the network.  The page is rendered from a Jinja2 template
with autoescaping, so text from the data is shown as text, never as markup.
"""

from __future__ import annotations

from pathlib import Path

from .figures import CHARTS, chart_html
from .loader import descriptor, load
from .site import render_template


def render(cdn: bool = False, root: Path | None = None) -> str:
    """The dashboard page as a string.

    Parameters
    ----------
    cdn
        Link plotly.js from the plotly CDN instead of embedding it.
    root
        The package folder the charts, caveats, version and citation come
        from; by default the bundled package.
    """
    import plotly
    from markupsafe import Markup
    from plotly.offline import get_plotlyjs

    package = descriptor(root)
    return render_template(
        "one_page_dashboard.html",
        title=package["title"],
        package=package,
        plotly_cdn=f"https://cdn.plot.ly/plotly-{plotly.__version__}.min.js" if cdn else None,
        plotly_js=None if cdn else Markup(get_plotlyjs()),
        # Plotly's own markup: its JSON escapes "<" and ">", and the chart functions made data text plain.
        charts=[{"name": name, "html": Markup(chart_html(name, root)), "caption": caption} for name, (_, caption) in CHARTS.items()],
        caveats=load("caveats", root).to_dict("records"),
    )


def write(path: Path, cdn: bool = False, root: Path | None = None) -> Path:
    """Write the dashboard of the package in ``root`` (default: the bundled one) to ``path``; return ``path``."""
    path = Path(path)
    path.write_text(render(cdn, root), encoding="utf-8")
    return path
