"""One self-contained HTML page with every chart, the citation and the caveats.

plotly.js is embedded once in the page (not once per chart), so the file
works offline; ``cdn=True`` links it from the plotly CDN instead, for a small
file that needs the network.
"""

from __future__ import annotations

import html
from pathlib import Path

from . import metadata
from .figures import CHARTS
from .loader import descriptor, load

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{plotlyjs}
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }}
figure {{ margin: 2em 0; }} figcaption {{ color: #444; }}
.citation {{ background: #f4f4f4; padding: .8em; }} li {{ margin-bottom: .4em; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p>Data version {version}. {description}</p>
<p class="citation">Cite as: {citation}</p>
</header>
<main>
{charts}
<section id="caveats">
<h2>Caveats</h2>
<ul>
{caveats}
</ul>
</section>
</main>
</body>
</html>
"""


def _plotlyjs(cdn: bool) -> str:
    import plotly
    from plotly.offline import get_plotlyjs

    if cdn:
        return f'<script src="https://cdn.plot.ly/plotly-{plotly.__version__}.min.js" charset="utf-8"></script>'
    return f'<script type="text/javascript">{get_plotlyjs()}</script>'


def render(cdn: bool = False) -> str:
    """The dashboard page as a string."""
    package = descriptor()
    charts = []
    for name, (make, caption) in CHARTS.items():
        chart = make().to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{name}", config={"responsive": True})
        charts.append(f'<figure id="{name}" class="chart">\n{chart}\n<figcaption>{html.escape(caption)}</figcaption>\n</figure>')
    caveats = [
        f"<li><strong>{html.escape(row.table)}</strong>: {html.escape(row.issue)} <em>{html.escape(row.treatment)}</em></li>"
        for row in load("caveats").itertuples()
    ]
    return PAGE.format(
        title=html.escape(metadata.TITLE),
        version=html.escape(package["version"]),
        description=html.escape(package["description"]),
        citation=html.escape(metadata.CITATION),
        plotlyjs=_plotlyjs(cdn),
        charts="\n".join(charts),
        caveats="\n".join(caveats),
    )


def write(path: Path, cdn: bool = False) -> Path:
    path = Path(path)
    path.write_text(render(cdn), encoding="utf-8")
    return path
