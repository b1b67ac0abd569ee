"""One self-contained HTML page with every chart, the citation and the caveats.

plotly.js (the partial bundle shipped in ``aidstats/web/assets/vendor``, with its
licence) is embedded once in the page, not once per chart, so the file works
offline; ``cdn=True`` links the plotly.js the installed plotly bundles from
the plotly CDN instead, for a small file that needs the network.  The page is
rendered from a Jinja2 template with autoescaping, so text from the data is
shown as text, never as markup; passages of the paper (each caveat's
evidence) are shown with their footnote marks and footnotes rendered, not as
the converted text's markup.
"""

from __future__ import annotations

from pathlib import Path

from aidstats.loader import descriptor, load
from aidstats.package import check_output_file, write_text
from aidstats.text.passages import to_html
from aidstats.web.figures import BUNDLE, CHARTS, caption, chart_html, plotly_cdn_url, plotly_js, plotly_js_version
from aidstats.web.site import render_template

LICENSE = BUNDLE.parent / "LICENSE-plotly.js.txt"


def render(cdn: bool = False, root: Path | None = None) -> str:
    """The dashboard page as a string.

    Parameters
    ----------
    cdn
        Link plotly.js from the plotly CDN instead of embedding it.
    root
        The package folder the charts, captions, caveats, version and
        citation come from; by default the bundled package.
    """
    from markupsafe import Markup

    package = descriptor(root)
    caveats = load("caveats", root).to_dict("records")
    for caveat in caveats:
        caveat["evidence"] = to_html(caveat["quote"])
    return render_template(
        "dashboard_page.html",
        title=package["title"],
        package=package,
        plotly_cdn=plotly_cdn_url() if cdn else None,
        plotly_version=plotly_js_version(),
        plotly_license=LICENSE.read_text(encoding="utf-8"),
        plotly_js=None if cdn else Markup(plotly_js()),
        # Plotly's own markup: its JSON escapes "<" and ">", and the chart functions made data text plain.
        charts=[{"name": name, "html": Markup(chart_html(name, root)), "caption": caption(name, root)} for name in CHARTS],
        caveats=caveats,
    )


def write(path: Path, cdn: bool = False, root: Path | None = None) -> Path:
    """Write the dashboard of the package in ``root`` (default: the bundled one) to ``path``; return ``path``.

    The page is rendered in full first, then written by :func:`aidstats.package.write_text`:
    ``path`` holds either the old page or the whole new one, never a part; a failure leaves no
    temporary file behind; and a ``path`` that is not a regular file (a link, a pipe, a device)
    is refused before anything is rendered.
    """
    check_output_file(path)
    return write_text(path, render(cdn, root))
