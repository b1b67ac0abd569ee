"""``aidstats site``: a static website where every value opens its source sentence.

Generated from the package folder it is given (by default the bundled one):
its datapackage.json and tables, the paper's excerpts included (the
``passages`` table), so no number is typed into a template.  A home page and
one page per table, data first: title, description, a text filter and
facets (their state in the URL), then the table (sortable; each row linkable
as ``<table>.html#row-<key>``, see :func:`row_id`), then its charts, sources,
columns, caveats and downloads.  Selecting a row opens a panel with the
quote it came from, highlighted in its passage of the paper (footnote marks
and footnotes rendered by :mod:`aidstats.text.passages`), the document the
footnote cites, a link to the row and a plain-text citation of it.

Plain HTML, CSS and one script; plotly.js, the charts' figures and the
passages are each shipped once in assets/; no CDN, no server code.  Every
number is written by :mod:`aidstats.text.numbers`.  The pages are Jinja2 templates
(``web/assets/templates``) with autoescaping on, so text from the data is
always text: never markup, never script.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from importlib import resources
from numbers import Integral
from pathlib import Path
from urllib.parse import quote as percent_encode

import pandas as pd

from aidstats.loader import PARQUET_SUFFIX, data_root, descriptor, list_tables, load
from aidstats.publish.cite import location, source_line
from aidstats.publish.release import build_archive
from aidstats.publish.tables import unit_symbols
from aidstats.text.numbers import format_value, heading

# The charts (names in aidstats.web.figures.CHARTS) shown on each table's page; the home page shows them all.
# A table not named here simply has no chart on its page, so a new table needs no entry.
TABLE_CHARTS = {
    "railway_damage": ["railway_losses"],
    "mineral_exports": ["plan_fulfilment"],
    "aid_deliveries": ["aid_by_donor", "donor_composition"],
}
NUMERIC = {"integer", "number"}


def render_template(template: str, **context) -> str:
    """Render one of the templates in ``aidstats/web/assets/templates`` with autoescaping on.

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
        loader=PackageLoader("aidstats.web", "assets/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["breakable"] = _breakable
    # A passage of the paper with its footnote marks and footnotes rendered (every character escaped).
    environment.filters["passage"] = _passage
    return environment


def _passage(text: str):
    from aidstats.text.passages import to_html

    return to_html(text)


def _breakable(name: str):
    """``name`` escaped, with a line-break opportunity after each underscore (reconstruction_enterprises is one long word)."""
    from markupsafe import Markup, escape

    return Markup(str(escape(name)).replace("_", "_<wbr>"))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _passages(root: Path) -> dict[str, str]:
    """The paper's excerpts the package publishes (its ``passages`` table), by passage id; none for a package without it."""
    if "passages" not in list_tables(root):
        return {}  # packages before 0.2.0: the panel then shows each quote without its passage
    frame = load("passages", root)
    return dict(zip(frame["passage_id"], frame["text"], strict=True))


def _sources(root: Path) -> dict[str, dict]:
    """Each source by id: its kind, footnote, its citation as one line (an "Ibid." with what it stands for, see ``cite.source_line``) and archival location."""
    register = load("sources", root)
    return {
        row["source_id"]: {
            "kind": row["kind"],
            "footnote": None if pd.isna(row["footnote"]) else int(row["footnote"]),
            "line": source_line(register, row["source_id"]),
            "location": location(row),
        }
        for _, row in register.iterrows()
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


def _write_provenance(out: Path, passages: dict[str, str], sources: dict) -> None:
    """The paper's passages (rendered, footnotes as marks and notes) and the source register, once for every table page.

    A script rather than JSON: a page opened from disk may not fetch a file, but it may load a script.
    """
    import json

    from aidstats.text.passages import footnotes, to_html

    notes = footnotes(passages.values())
    data = {"passages": {pid: str(to_html(text, notes)) for pid, text in passages.items()}, "sources": sources}
    # "</" written as "<\/" so no text can end a script element, should the file ever be inlined.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    (out / "assets" / "provenance.js").write_text(f"window.aidstatsProvenance = {text};\n", encoding="utf-8")


def _charts(names: list[str], root: Path) -> list[dict]:
    from aidstats.web.figures import caption

    return [{"name": name, "caption": caption(name, root)} for name in names]


def _write_charts(out: Path, root: Path) -> None:
    """Each chart's figure once, as ``assets/chart-<name>.js``, for every page that shows it (site.js draws it)."""
    from aidstats.web.figures import CHARTS, chart_script

    for name in CHARTS:
        (out / "assets" / f"chart-{name}.js").write_text(chart_script(name, root), encoding="utf-8")


def row_id(values: list) -> str:
    """The HTML id and URL fragment of a row, from its primary key's values: ``row-32``, ``row-mineral_exports,zinc%20cake``.

    Each value is written as the CSV writes it and percent-encoded as
    JavaScript's ``encodeURIComponent`` does (so a comma inside a value is
    ``%2C``); the values of a composite key are joined by a comma, in the
    order of the schema's ``primaryKey``.

    >>> row_id([32]), row_id(["mineral_exports", "zinc cake"]), row_id(["a,b"])
    ('row-32', 'row-mineral_exports,zinc%20cake', 'row-a%2Cb')
    """
    texts = [str(int(v)) if isinstance(v, Integral) else str(v) for v in values]
    return "row-" + ",".join(percent_encode(text, safe="-_.!~*'()") for text in texts)


def _cell(value, field: dict) -> dict:
    """What a table cell shows: ``text`` (or ``html``, for the paper's text with footnote markup), and ``full`` when ``text`` was rounded.

    A number sorts by ``full`` or ``text`` read as a number (site.js drops the
    thousands separators), so no second copy of each value is written.
    """
    from aidstats.text.passages import has_markup, to_html

    shown = format_value(value, field)
    return {
        "text": shown.text,
        "html": to_html(shown.text) if field["type"] == "string" and has_markup(shown.text) else None,
        "full": shown.full if shown.rounded else None,
        "number": field["type"] in NUMERIC and not _missing(value),
        "clamp": len(shown.text) > CLAMP,
    }


# A text column whose longest value is longer than this wraps in a wide cell rather than stretching one line.
LONG_TEXT = 40
# A text column whose values are all this short never wraps ("44-45" stays whole).
SHORT_TEXT = 12
# A cell longer than this shows its first lines only (the row's panel shows it whole), so one row never fills the screen.
CLAMP = 400
# A code column with more values than this is not offered as a facet: its list would be longer than the table.
MAX_FACET_VALUES = 25


def _facets(resource: dict, frame: pd.DataFrame, package: dict, root: Path, units: dict[str, str]) -> list[dict]:
    """The columns offered as facets: enumerations and codes from a code list, with 2 to MAX_FACET_VALUES values.

    A composite foreign key (``donor_code`` and ``donor`` to the donors' code
    and name) is one facet, on the column that refers to something other than
    the code list's key (the name, which a reader recognises).  A code is
    labelled with its code list's ``title`` or ``name`` ("t — metric tonne").
    """
    schema = resource["schema"]
    codes: dict[str, tuple[str, str]] = {}
    for key in schema.get("foreignKeys", []):
        target = key["reference"]["resource"]
        if target == resource["name"]:
            continue
        pairs = list(zip(key["fields"], key["reference"]["fields"], strict=True))
        if len(pairs) > 1:
            keys = set(next(r for r in package["resources"] if r["name"] == target)["schema"].get("primaryKey", []))
            pairs = [pair for pair in pairs if pair[1] not in keys][:1] or pairs[:1]
        codes.update({field: (target, referenced) for field, referenced in pairs})
    facets = []
    for column, field in enumerate(schema["fields"]):
        if field["name"] not in codes and not field.get("constraints", {}).get("enum"):
            continue
        counts = frame[field["name"]].dropna().astype(str).value_counts()
        if 2 <= len(counts) <= MAX_FACET_VALUES:
            labels = _code_labels(*codes[field["name"]], root) if field["name"] in codes else {}
            options = [{"value": value, "label": labels.get(value, "")} for value in sorted(counts.index)]
            facets.append({"name": field["name"], "column": column, "label": heading(field, schema["fields"], units), "options": options})
    return facets


def _code_labels(table: str, field: str, root: Path) -> dict[str, str]:
    """What each code of ``table.field`` means, from that code list's ``title`` or ``name`` column (none: empty)."""
    if table not in list_tables(root):
        return {}  # a package may leave a code list out; its codes then go unlabelled
    frame = load(table, root)
    label = next((c for c in ("title", "name") if c in frame.columns and c != field), None)
    if label is None:
        return {}
    return {
        str(code): str(text) for code, text in zip(frame[field], frame[label], strict=True) if not _missing(text) and str(text) != str(code)
    }


def _rows(frame: pd.DataFrame, fields: list[dict], key: list[str], passages: dict[str, str]) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        quote = record.get("quote")
        row = {"id": row_id([record[k] for k in key]), "quote": None, "cells": [_cell(record[f["name"]], f) for f in fields]}
        if isinstance(quote, str):
            row["quote"] = quote
            row["passage"] = next((pid for pid, text in passages.items() if quote in text), "")
        elif record.get("passage_id") in passages:  # a row of the passages table shows itself in the panel
            row["passage"] = record["passage_id"]
        source = record.get("source_id")
        row["source"] = "" if _missing(source) else source
        rows.append(row)
    return rows


def table_page(name: str, root: Path, package: dict, passages: dict[str, str], sources: dict) -> str:
    """The page of table ``name`` of the package in ``root``, as HTML."""
    resource = next(r for r in package["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = load(name, root)
    key = resource["schema"].get("primaryKey") or [fields[0]["name"]]
    rows = _rows(frame, fields, key, passages)
    widest = {f["name"]: frame[f["name"]].dropna().astype(str).str.len().max() for f in fields if f["type"] == "string"}
    long_text = {name for name, width in widest.items() if width > LONG_TEXT}
    short_text = {name for name, width in widest.items() if width <= SHORT_TEXT}
    units = unit_symbols(root)  # the headings' units, as the workbook and the .dta labels write them
    return render_template(
        "table.html",
        title=resource["title"],
        package=package,
        tables=list_tables(root),
        name=name,
        resource=resource,
        fields=fields,
        headers=[heading(f, fields, units) for f in fields],
        long_text=long_text,
        short_text=short_text,
        numeric=NUMERIC,
        key=key,
        rows=rows,
        facets=_facets(resource, frame, package, root, units),
        downloads=_downloads(name, package),
        chart_list=_charts(TABLE_CHARTS.get(name, []), root),
        provenance={
            "table": name,
            "title": resource["title"],
            "key": key,
            "version": package["version"],
            "citation": package.get("citation", ""),
            "paper": package["sources"][0]["title"],  # the paper every table is transcribed from
        },
    )


def home_page(root: Path, package: dict, archive: Path, digest: str, exports: list | None = None) -> str:
    """The home page of the package in ``root``, as HTML; ``exports`` are the files of ``aidstats export``
    written beside it (:class:`aidstats.publish.export.ExportFile`, their paths relative to the site)."""
    from aidstats.web.figures import CHARTS

    tables = list_tables(root)
    table_resources = [r for r in package["resources"] if r["name"] in tables]
    return render_template(
        "home.html",
        title=package["title"],
        package=package,
        tables=tables,
        table_rows=[{"name": r["name"], "rows": len(load(r["name"], root)), "title": r["title"]} for r in table_resources],
        archive={"name": archive.name, "bytes": archive.stat().st_size, "sha256": digest},
        exports=[
            {"format": e.format, "href": e.path.as_posix(), "name": e.path.name, "bytes": e.bytes, "sha256": e.sha256}
            for e in exports or []
        ],
        chart_list=_charts(list(CHARTS), root),
        # The caveats are read on the caveats table's page, one link per table opening it filtered to that table.
        caveat_counts=[{"table": r["name"], "count": len(r.get("caveats", []))} for r in table_resources if r.get("caveats")],
    )


def build_site(out: Path, root: Path | None = None) -> Path:
    """Write the site of a package into ``out``, replacing what aidstats wrote there before.

    The site is made in a staging folder beside ``out`` (:func:`aidstats.package.staging_parent`),
    then aidstats' own outputs (``assets/``, ``data/``, ``exports/``, a page per table,
    ``index.html``, and the release archive with its ``.sha256``) are moved in, all of them or none
    (:func:`aidstats.package.move_in`): a failure part-way leaves the previous site as it was.
    Anything else in ``out`` is left alone.  The exports are written once, into ``exports/``, and
    the release archive takes them from there.

    Parameters
    ----------
    out
        The folder to write into; it is created if missing.
    root
        The package folder (datapackage.json and clean/, whose passages table
        gives each quote its context, and the README, licences and citation
        the release archive holds); by default the bundled package, which an
        installed wheel carries too.  Every table, chart, caveat, title and the
        citation and version shown come from this folder; only the wording
        of the pages and the chart captions are aidstats' own.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    aidstats.extras.MissingExtra
        If the ``viz`` or the ``export`` extra is missing; checked before anything is written.
    aidstats.errors.OutputError
        If ``out``, or any output in it, may not be written (a file, a link to one, a named
        pipe, a device where a folder belongs; a link, a pipe, a device or a folder where a page
        belongs; a folder that cannot be written): checked before anything is written.
    """
    from aidstats.extras import require

    require("viz", "aidstats.web.site.build_site()")
    require("export", "aidstats.web.site.build_site()")  # the workbook among the exports
    from aidstats.package import check_outputs, move_in, staging_folder, staging_parent, write_bytes, write_text
    from aidstats.publish.export import write_exports
    from aidstats.publish.release import archive_name
    from aidstats.web.figures import BUNDLE, plotly_js

    out = Path(out)
    root = Path(root) if root else data_root()
    package = descriptor(root)
    tables = list_tables(root)
    folders, pages = ["assets", "data", "exports"], [f"{name}.html" for name in tables]
    archives = [archive_name(), f"{archive_name()}.sha256"]
    check_outputs(out, files=[*pages, *archives, "index.html"], folders=folders, writable=True)
    with staging_folder(staging_parent(out), ".aidstats-site-") as staging:
        site = staging / "site"
        (site / "assets").mkdir(parents=True)
        # The partial plotly.js bundle (bar and heatmap traces are all the charts draw), with its licence beside it.
        write_text(site / "assets" / "plotly.min.js", plotly_js())
        shutil.copyfile(BUNDLE.parent / "LICENSE-plotly.js.txt", site / "assets" / "LICENSE-plotly.js.txt")
        for asset in ("site.js", "site.css"):
            write_bytes(site / "assets" / asset, resources.files("aidstats.web").joinpath("assets", asset).read_bytes())
        (site / "data" / "clean").mkdir(parents=True)
        shutil.copyfile(root / "datapackage.json", site / "data" / "datapackage.json")
        for resource in package["resources"]:
            shutil.copyfile(root / resource["path"], site / "data" / resource["path"])
        _write_charts(site, root)
        exports = write_exports(site / "exports", root)
        archive, digest = build_archive(root, site, exports=exports)
        passages, sources = _passages(root), _sources(root)
        _write_provenance(site, passages, sources)
        for name, page in zip(tables, pages, strict=True):
            write_text(site / page, table_page(name, root, package, passages, sources))
        relative = [e._replace(path=e.path.relative_to(site)) for e in exports]
        write_text(site / "index.html", home_page(root, package, archive, digest, relative))
        # The folders first and the home page last, so the page that links everything comes when everything is there.
        made = sorted(p.name for p in site.iterdir())
        order = [*folders, *(n for n in made if n not in (*folders, "index.html")), "index.html"]
        move_in([(site / name, out / name) for name in order if name in made], staging / "old")
    return out
