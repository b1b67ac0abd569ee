"""``aidstats site``: a static website where every value opens its source sentence.

Generated entirely from datapackage.json, clean/ and raw/source/ (no number
is typed into a template): a home page, one page per table (sortable,
filterable, with its charts, caveats and downloads), and a panel that shows
the quote a row came from, highlighted in the verbatim passage of the paper,
with the footnote and archival document. Plain HTML, CSS and one small
script; plotly.js is shipped once in assets/; no CDN, no server code.
"""

from __future__ import annotations

import html
import json
import shutil
from importlib import resources
from pathlib import Path

import pandas as pd

from . import metadata
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


def _e(value) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1024:,.1f} KiB"


def _page(title: str, body: str, scripts: str = "", plotly: bool = False) -> str:
    # plotly.js goes in the head: the charts' own scripts in the body call it.
    head_script = '<script src="assets/plotly.min.js"></script>\n' if plotly else ""
    nav = '<a href="index.html">Home</a>' + "".join(f'<a href="{n}.html">{n}</a>' for n in list_tables())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · aidstats</title>
<link rel="stylesheet" href="assets/site.css">
{head_script}</head>
<body>
<header class="site"><p><strong>aidstats {_e(metadata.VERSION)}</strong></p><nav aria-label="Tables">{nav}</nav></header>
<main>
{body}
</main>
<footer class="site"><p class="meta">Data: {_e(metadata.LICENSES[0]["title"])}. Cite as: {_e(metadata.CITATION)}</p></footer>
{scripts}
</body>
</html>
"""


def _passages(root: Path) -> dict[str, str]:
    """Every paragraph of the verbatim excerpts, by a stable id."""
    passages = {}
    for path in sorted((root / "raw" / "source").glob("*.txt")):
        for number, paragraph in enumerate(p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()):
            passages[f"{path.stem}-{number + 1}"] = paragraph
    return passages


def _sources() -> dict[str, dict]:
    return {
        row["source_id"]: {
            "footnote": None if pd.isna(row["footnote"]) else int(row["footnote"]),
            "citation": row["citation"],
            "location": location(row),
        }
        for _, row in load("sources").iterrows()
    }


def _downloads(name: str, out: Path, package: dict) -> str:
    items = []
    for resource in package["resources"]:
        if resource["name"] in (name, name + PARQUET_SUFFIX):
            path = resource["path"]
            items.append(
                f'<li><a href="data/{_e(path)}" download>{_e(Path(path).name)}</a> ({_e(resource["format"]).upper()}, {_size(resource["bytes"])}), '
                f'sha256 <code class="hash">{_e(resource["hash"].removeprefix("sha256:"))}</code></li>'
            )
    return "<ul>" + "".join(items) + "</ul>"


def _chart_html(name: str) -> str:
    from .figures import CHARTS

    make, caption = CHARTS[name]
    chart = make().to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{name}", config={"responsive": True})
    return f'<figure class="chart" id="{name}">{chart}<figcaption>{_e(caption)}</figcaption></figure>'


def _caveats_html(caveats: list[dict]) -> str:
    if not caveats:
        return "<p>No caveats recorded for this table.</p>"
    return "".join(
        f'<div class="caveat"><p><strong>{_e(c["caveat_id"])}</strong>'
        + (f" ({_e(c['row_key'])})" if c.get("row_key") else "")
        + f': {_e(c["issue"])}</p><p class="meta">Evidence: “{_e(c["quote"])}”. Treatment: {_e(c["treatment"])}</p></div>'
        for c in caveats
    )


def _cell(value, field: dict) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return '<td data-value=""></td>'
    if field["type"] == "date":
        text = pd.Timestamp(value).strftime("%Y-%m-%d")
        return f'<td data-value="{text}">{text}</td>'
    if field["type"] in NUMERIC:
        shown = f"{value:,}" if field["type"] == "integer" else f"{value:,.6g}"
        return f'<td class="number" data-value="{_e(repr(float(value)))}">{_e(shown)}</td>'
    return f"<td>{_e(value)}</td>"


def _table_html(name: str, frame: pd.DataFrame, fields: list[dict], passages: dict[str, str]) -> str:
    head = "".join(
        f'<th scope="col" data-type="{"number" if f["type"] in NUMERIC else "text"}"><button type="button" title="Sort by {_e(f["title"])}">{_e(f["name"])}</button></th>'
        for f in fields
    )
    rows = []
    for order, record in enumerate(frame.to_dict("records")):
        attributes = f'data-order="{order}"'
        quote = record.get("quote")
        if isinstance(quote, str):
            passage = next((pid for pid, text in passages.items() if quote in text), "")
            attributes += f' data-quote="{_e(quote)}" data-passage="{passage}" data-source="{_e(record.get("source_id", ""))}" tabindex="0"'
        rows.append(f"<tr {attributes}>" + "".join(_cell(record[f["name"]], f) for f in fields) + "</tr>")
    return (
        f'<table class="data" id="table-{name}"><caption>{_e(name)}: click a row, or focus it and press Enter, to see its source</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


PANEL = """<section id="provenance-panel" tabindex="-1" hidden aria-live="polite" aria-label="Source of the selected row">
<h2>Where this row comes from</h2>
<p>Quote: “<span class="quote"></span>”</p>
<p class="passage"></p>
<p><strong class="footnote"></strong>: <span class="citation"></span></p>
<p class="meta">Archive: <span class="location"></span></p>
</section>"""


def table_page(name: str, out: Path, package: dict, passages: dict[str, str], sources: dict) -> str:
    resource = next(r for r in package["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = load(name)
    field_list = "".join(
        f'<dt>{_e(f["name"])} — {_e(f["title"])}</dt><dd>{_e(f["description"])} <span class="meta">Type {_e(f["type"])}'
        + (f", unit {_e(f['unit'])}" if f.get("unit") else (f", unit given per row in {_e(f['unitField'])}" if f.get("unitField") else ""))
        + "</span></dd>"
        for f in fields
    )
    cited = "".join(f"<li>{_e(s['title'])}</li>" for s in resource.get("sources", []))
    charts = "".join(_chart_html(chart) for chart in TABLE_CHARTS.get(name, []))
    has_quotes = "quote" in frame.columns
    provenance = {"passages": passages, "sources": sources} if has_quotes else None
    body = f"""<h1>{_e(resource["title"])}</h1>
<p>{_e(resource["description"])}</p>
<p class="meta"><code>aidstats.load("{_e(name)}")</code> · {len(frame)} rows · primary key {_e(", ".join(resource["schema"]["primaryKey"]))}</p>
<h2>Sources</h2><ul>{cited}</ul>
<h2>Download</h2>{_downloads(name, out, package)}
<h2>Caveats</h2>{_caveats_html(resource.get("caveats", []))}
{"<h2>Charts</h2>" + charts if charts else ""}
<h2>The table</h2>
<p><label for="filter">Filter rows containing </label><input id="filter" type="search"> <span id="row-count" class="meta" aria-live="polite"></span></p>
{PANEL if has_quotes else ""}
<div class="scroll">{_table_html(name, frame, fields, passages)}</div>
<h2>Columns</h2><dl class="fields">{field_list}</dl>"""
    scripts = ""
    if provenance:
        # "</" is escaped so that no text in the data can end the script element.
        data = json.dumps(provenance, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        scripts += f'<script type="application/json" id="provenance">{data}</script>\n'
    scripts += '<script src="assets/site.js"></script>'
    return _page(resource["title"], body, scripts, plotly=bool(charts))


def home_page(package: dict, archive: Path, digest: str) -> str:
    from .figures import CHARTS

    rows = "".join(
        f'<tr><td><a href="{_e(r["name"])}.html">{_e(r["name"])}</a></td><td class="number">{len(load(r["name"]))}</td><td>{_e(r["title"])}</td></tr>'
        for r in package["resources"]
        if not r["name"].endswith(PARQUET_SUFFIX)
    )
    caveats = [c for r in package["resources"] if not r["name"].endswith(PARQUET_SUFFIX) for c in r.get("caveats", [])]
    body = f"""<h1>{_e(package["title"])}</h1>
<p>{_e(package["description"])}</p>
<h2>Tables</h2>
<table class="data home"><thead><tr><th scope="col">table</th><th scope="col">rows</th><th scope="col">title</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Download</h2>
<p><a href="{_e(archive.name)}" download>{_e(archive.name)}</a> ({_size(archive.stat().st_size)}), sha256 <code class="hash">{digest}</code>:
the data package (datapackage.json and every table as CSV and Parquet) with its README, licences and citation. Also <a href="data/datapackage.json">datapackage.json</a> alone.</p>
<h2>How to cite</h2>
<p>{_e(metadata.CITATION)}</p><p>For a single figure, cite the archival document given on its table's page as well (<code>aidstats cite NAME</code>).</p>
<h2>Charts</h2>
{"".join(_chart_html(name) for name in CHARTS)}
<h2>Caveats</h2>
{_caveats_html(caveats)}"""
    return _page(package["title"], body, '<script src="assets/site.js"></script>', plotly=True)


def build_site(out: Path, root: Path | None = None) -> Path:
    """Write the site into ``out`` (replacing what aidstats wrote there before)."""
    from plotly.offline import get_plotlyjs

    root = root or data_root()
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
    passages, sources = _passages(root), _sources()
    for name in list_tables(root):
        (out / f"{name}.html").write_text(table_page(name, out, package, passages, sources), encoding="utf-8")
    (out / "index.html").write_text(home_page(package, archive, digest), encoding="utf-8")
    return out
