"""One self-contained HTML page with every chart, the citation and the caveats.

It is a page of the site (:mod:`aidstats.web.site`): the same frame (``base.html``), the same
macros for charts and caveats, the same chart figures (:func:`aidstats.web.figures.chart_script`)
drawn by the same ``site.js`` — only written into the page instead of linked, so the file
works offline.  plotly.js (the partial bundle shipped in ``aidstats/web/assets/vendor``, with
its licence) is embedded once; ``cdn=True`` links the plotly.js the installed plotly bundles
from the plotly CDN instead, for a small file that needs the network.  Autoescaping is on, so
text from the data is shown as text, never as markup; each caveat's evidence is shown with its
footnote marks and footnotes rendered.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from aidstats.loader import descriptor, load
from aidstats.package import check_output_file, write_text
from aidstats.web.figures import BUNDLE, CHARTS, caption, chart_script, plotly_cdn_url, plotly_js, plotly_js_version
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
    assets = resources.files("aidstats.web").joinpath("assets")
    # aidstats' own files, and chart scripts whose JSON escapes "</" and "<!--": safe to write into the page.
    inline = {
        "css": Markup(assets.joinpath("site.css").read_text(encoding="utf-8")),
        "site_js": Markup(assets.joinpath("site.js").read_text(encoding="utf-8")),
        "charts": Markup("".join(chart_script(name, root) for name in CHARTS)),
        "plotly_cdn": plotly_cdn_url() if cdn else None,
        "plotly_version": plotly_js_version(),
        "plotly_license": LICENSE.read_text(encoding="utf-8"),
        "plotly_js": None if cdn else Markup(plotly_js()),
    }
    return render_template(
        "dashboard_page.html",
        title=package["title"],
        package=package,
        tables=[],
        inline=inline,
        chart_list=[{"name": name, "caption": caption(name, root)} for name in CHARTS],
        caveat_list=load("caveats", root).to_dict("records"),
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
