"""One self-contained HTML page with every chart, the citation, the downloads and the caveats.

It is a page of the site (:mod:`aidstats.web.site`): the same frame (``base.html``), the same
macros for charts and caveats, the same chart figures (:func:`aidstats.web.figures.chart_script`)
drawn by the same ``charts.js`` — only written into the page instead of linked, so the file
works offline.  The charts come first, grouped under the table each draws, with plotly.js (the
partial bundle shipped in ``aidstats/web/assets/vendor``, with its licence) and ``charts.js``
written right after them, so the first chart is drawn before the browser reads the caveats.
``cdn=True`` leaves plotly.js out: ``charts.js`` loads the same partial bundle, at the same
version, from the plotly CDN, with its Subresource Integrity hash (computed from the shipped
file), and if it cannot (offline) each chart says so in words.  Autoescaping is on, so text
from the data is shown as text, never as markup; each caveat's evidence is shown with its
footnote marks and footnotes rendered.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from aidstats import metadata
from aidstats.loader import descriptor, list_tables, load_rows
from aidstats.package import check_output_file, write_text
from aidstats.publish.release import archive_name
from aidstats.web.figures import BUNDLE, CHARTS, chart_parts, plotly_cdn_url, plotly_integrity, plotly_js
from aidstats.web.jsonld import SITE_URL, dataset, script_text
from aidstats.web.site import TABLE_CHARTS, render_template

LICENSE = BUNDLE.parent / "LICENSE-plotly.js.txt"


def _chart_groups(package: dict, root: Path | None) -> list[dict]:
    """The charts under the table each draws (the tables' order in the package), each table linked on the website."""
    titles = {r["name"]: r["title"] for r in package["resources"]}
    tables = list_tables(root)
    groups, placed = [], set()
    for table in tables:
        names = [name for name in TABLE_CHARTS.get(table, []) if name in CHARTS]
        if names:
            groups.append({"table": table, "title": titles[table], "href": f"{SITE_URL}{table}.html", "charts": names})
            placed.update(names)
    rest = [name for name in CHARTS if name not in placed]
    if rest:
        groups.append({"table": None, "title": "Other charts", "href": None, "charts": rest})
    return groups


def render(cdn: bool = False, root: Path | None = None) -> str:
    """The dashboard page as a string.

    Parameters
    ----------
    cdn
        Load plotly.js from the plotly CDN (the same partial bundle, with its integrity hash) instead of embedding it.
    root
        The package folder the charts, captions, caveats, version and
        citation come from; by default the bundled package.
    """
    from markupsafe import Markup

    package = descriptor(root)
    assets = resources.files("aidstats.web").joinpath("assets")
    groups = _chart_groups(package, root)
    parts = {name: chart_parts(name, root) for name in CHARTS}  # each figure made once, for its heading and its script
    entries = {name: entry for name, (entry, _) in parts.items()}  # name, title (the chart's heading) and caption
    # aidstats' own files, and chart scripts whose JSON escapes "</" and "<!--": safe to write into the page.
    inline = {
        "css": Markup(assets.joinpath("site.css").read_text(encoding="utf-8")),
        "site_js": Markup(assets.joinpath("site.js").read_text(encoding="utf-8")),
        "charts_js": Markup(assets.joinpath("charts.js").read_text(encoding="utf-8")),
        "charts": Markup("".join(parts[name][1] for group in groups for name in group["charts"])),
        # charts.js reads where to load plotly.js from; "inPage": written into the page after charts.js.
        "plotly": {"src": plotly_cdn_url(), "integrity": plotly_integrity()} if cdn else {"src": None, "integrity": None, "inPage": True},
        "plotly_license": LICENSE.read_text(encoding="utf-8"),
        "plotly_js": None if cdn else Markup(plotly_js()),
    }
    version = package["version"]
    return render_template(
        "dashboard_page.html",
        title=package["title"],
        package=package,
        tables=[],
        inline=inline,
        chart_groups=[{**g, "charts": [entries[n] for n in g["charts"]]} for g in groups],
        chart_list=list(entries.values()),
        caveat_list=load_rows("caveats", root).to_dict("records"),
        links={
            "site": SITE_URL,
            "docs": f"{SITE_URL}docs/",
            "archive": metadata.RELEASE_URL.format(version=version),
            "archive_name": archive_name(version),
        },
        # A file that may be opened from anywhere: its downloads are named where each release publishes them.
        jsonld=script_text(dataset(package, root, site=False)),
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
