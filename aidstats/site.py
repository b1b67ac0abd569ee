"""``aidstats site``: a static website where every value opens its source sentence.

Generated entirely from the package folder it is given (by default the
bundled one): its datapackage.json, clean/ and raw/source/, so no number is
typed into a template.  A home page, one page per table (sortable,
filterable, with its charts, caveats and downloads), and a panel that shows
the quote a row came from, highlighted in the verbatim passage of the paper,
with the footnote and archival document.  Plain HTML, CSS and one small
script; plotly.js is shipped once in assets/; no CDN, no server code.

The pages are Jinja2 templates (``site_assets/templates``) with autoescaping
on, so text from the data is always text: never markup, never script.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from .cite import location
from .loader import PARQUET_SUFFIX, data_root, descriptor, list_tables, load
from .release import build_archive

# The charts shown on each table's page (the home page shows them all).
TABLE_CHARTS = {
    "railway_damage": ["railway_losses"],
    "mineral_exports": ["plan_fulfilment"],
    "aid_deliveries": ["aid_by_donor", "donor_composition"],
}
NUMERIC = {"integer", "number"}


def render_template(template: str, **context) -> str:
    """Render one of the templates in ``aidstats/site_assets/templates`` with autoescaping on.

    Parameters
    ----------
    template
        File name of the template, such as ``"table.html"``.
    **context
        The values the template reads; every string among them is escaped
        where it is inserted, unless it is a ``markupsafe.Markup``.

    Returns
    -------
    str
        The rendered page.
    """
    return _environment().get_template(template).render(**context)


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader

    environment = Environment(
        loader=PackageLoader("aidstats", "site_assets/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["breakable"] = _breakable
    return environment


def _breakable(name: str):
    """``name`` escaped, with a line-break opportunity after each underscore (reconstruction_enterprises is one long word)."""
    from markupsafe import Markup, escape

    return Markup(str(escape(name)).replace("_", "_<wbr>"))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _passages(root: Path) -> dict[str, str]:
    """Every paragraph of the verbatim excerpts, by a stable id."""
    passages = {}
    for path in sorted((root / "raw" / "source").glob("*.txt")):
        for number, paragraph in enumerate(p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()):
            passages[f"{path.stem}-{number + 1}"] = paragraph
    return passages


def _sources(root: Path) -> dict[str, dict]:
    return {
        row["source_id"]: {
            "footnote": None if pd.isna(row["footnote"]) else int(row["footnote"]),
            "citation": row["citation"],
            "location": location(row),
        }
        for _, row in load("sources", root).iterrows()
    }


def _downloads(name: str, package: dict) -> list[dict]:
    return [
        {
            "path": r["path"],
            "file": Path(r["path"]).name,
            "format": r["format"],
            "bytes": r["bytes"],
            "sha256": r["hash"].removeprefix("sha256:"),
        }
        for r in package["resources"]
        if r["name"] in (name, name + PARQUET_SUFFIX)
    ]


def _charts(names: list[str], root: Path) -> list[dict]:
    from markupsafe import Markup

    from .figures import CHARTS, chart_html

    # The chart's markup is plotly's own (its JSON escapes "<" and ">"); data text inside it was made plain by figures.
    return [{"name": name, "html": Markup(chart_html(name, root)), "caption": CHARTS[name][1]} for name in names]


def _cell(value, field: dict) -> dict:
    """What a table cell shows, and the value it sorts by (``None``: sort by its text)."""
    if _missing(value):
        return {"value": "", "text": "", "number": False}
    if field["type"] == "date":
        text = pd.Timestamp(value).strftime("%Y-%m-%d")
        return {"value": text, "text": text, "number": False}
    if field["type"] in NUMERIC:
        shown = f"{value:,}" if field["type"] == "integer" else f"{value:,.6g}"
        return {"value": repr(float(value)), "text": shown, "number": True}
    return {"value": None, "text": str(value), "number": False}


def _rows(frame: pd.DataFrame, fields: list[dict], passages: dict[str, str]) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        quote = record.get("quote")
        row = {"quote": None, "cells": [_cell(record[f["name"]], f) for f in fields]}
        if isinstance(quote, str):
            row["quote"] = quote
            row["passage"] = next((pid for pid, text in passages.items() if quote in text), "")
            source = record.get("source_id")
            row["source"] = "" if _missing(source) else source
        rows.append(row)
    return rows


def table_page(name: str, root: Path, package: dict, passages: dict[str, str], sources: dict) -> str:
    """The page of table ``name`` of the package in ``root``, as HTML."""
    resource = next(r for r in package["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = load(name, root)
    has_quotes = "quote" in frame.columns
    return render_template(
        "table.html",
        title=resource["title"],
        package=package,
        tables=list_tables(root),
        plotly=name in TABLE_CHARTS,
        name=name,
        resource=resource,
        fields=fields,
        numeric=NUMERIC,
        rows=_rows(frame, fields, passages),
        downloads=_downloads(name, package),
        chart_list=_charts(TABLE_CHARTS.get(name, []), root),
        provenance={"passages": passages, "sources": sources} if has_quotes else None,
    )


def home_page(root: Path, package: dict, archive: Path, digest: str) -> str:
    """The home page of the package in ``root``, as HTML."""
    from .figures import CHARTS

    tables = list_tables(root)
    table_resources = [r for r in package["resources"] if r["name"] in tables]
    return render_template(
        "home.html",
        title=package["title"],
        package=package,
        tables=tables,
        plotly=True,
        table_rows=[{"name": r["name"], "rows": len(load(r["name"], root)), "title": r["title"]} for r in table_resources],
        archive={"name": archive.name, "bytes": archive.stat().st_size, "sha256": digest},
        chart_list=_charts(list(CHARTS), root),
        caveat_list=[c for r in table_resources for c in r.get("caveats", [])],
    )


def build_site(out: Path, root: Path | None = None) -> Path:
    """Write the site of a package into ``out`` (replacing what aidstats wrote there before).

    Parameters
    ----------
    out
        The folder to write into; it is created if missing.
    root
        The package folder (datapackage.json, clean/, raw/source/, and the
        README, licences and citation the release archive holds); by default
        the bundled package.  Every table, chart, caveat, title and the
        citation and version shown come from this folder; only the wording
        of the pages and the chart captions are aidstats' own.

    Returns
    -------
    Path
        ``out``.
    """
    from plotly.offline import get_plotlyjs

    root = Path(root) if root else data_root()
    package = descriptor(root)
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("assets", "data"):
        shutil.rmtree(out / folder, ignore_errors=True)
    (out / "assets").mkdir()
    (out / "assets" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    for asset in ("site.js", "site.css"):
        (out / "assets" / asset).write_bytes(resources.files("aidstats").joinpath("site_assets", asset).read_bytes())
    (out / "data" / "clean").mkdir(parents=True)
    shutil.copyfile(root / "datapackage.json", out / "data" / "datapackage.json")
    for resource in package["resources"]:
        shutil.copyfile(root / resource["path"], out / "data" / resource["path"])
    archive, digest = build_archive(root, out)
    passages, sources = _passages(root), _sources(root)
    for name in list_tables(root):
        (out / f"{name}.html").write_text(table_page(name, root, package, passages, sources), encoding="utf-8")
    (out / "index.html").write_text(home_page(root, package, archive, digest), encoding="utf-8")
    return out
