"""``aidstats site``: a static website where every value opens its source sentence.

Generated from the package folder it is given (by default the bundled one):
its datapackage.json and tables, the paper's excerpts included (the
``passages`` table), so no number is typed into a template.  A home page
(headline figures, charts, tables, downloads) and one page per table, data
first: title, description, a text filter, facets and number ranges (their
state and the sort order in the URL), then the table (sortable; each row
linkable as ``<table>.html#row-<key>``, see :func:`row_id`, and written as
JSON to ``data/rows/<table>/<key>.json``), then its charts, sources, columns,
caveats and downloads.  Source ids, foreign keys and caveat row keys link to
the row they name.  Selecting a row opens a panel with the quote it came
from, highlighted in its passage of the paper (footnote marks and footnotes
rendered by :mod:`aidstats.text.passages`), the document the footnote cites,
its published versions (each a link, as ``aidstats cite`` words it) or that
none was found and where we looked, the row's comparisons with a published
version (verdict, the figure as published, evidence, locator, explanation,
a link to the comparison), the caveats naming the row, a link to the row, a
plain-text citation of it and a link to report a problem with it.  A row a
published version contradicts is marked in the table, in words.

Plain HTML, CSS and two scripts (``site.js`` the table, ``charts.js`` the
charts, which requests plotly.js only once the table works); plotly.js, the
charts' figures, the passages and the published versions are each shipped once in assets/; no CDN, no server code.  Every
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

from aidstats.loader import DESCRIPTOR, PARQUET_SUFFIX, data_root, descriptor, list_tables, load_rows, resource
from aidstats.package import file_version
from aidstats.publish.archive_readme import REPOSITORY
from aidstats.publish.cite import location, published_lines, source_lines
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
    frame = load_rows("passages", root)
    return dict(zip(frame["passage_id"], frame["text"], strict=True))


def _sources(root: Path) -> dict[str, dict]:
    """Each source by id: its kind, footnote, its citation as one line (an "Ibid." with what it stands for, see ``cite.source_line``) and archival location."""
    register = load_rows("sources", root)
    lines = source_lines(register)
    return {
        row["source_id"]: {
            "kind": row["kind"],
            "footnote": None if pd.isna(row["footnote"]) else int(row["footnote"]),
            "line": lines[row["source_id"]],
            "location": location(row),
        }
        for _, row in register.iterrows()
    }


def _publications(root: Path) -> dict[str, object]:
    """The published versions of each register document that has a row in the ``publications`` table, by source id
    (``documents``).

    ``lines``: one per confirmed or probable version, as ``aidstats cite`` prints it
    (:func:`aidstats.publish.cite.published_lines`: "Published in translation: publisher, title, url", a probable
    match saying so; a printed book has no url), the panel making its url a link;
    ``searched``: where we looked, for a document none of whose rows found a version, as the indexes of its parts
    (split at "; ") in the list ``searched`` beside ``documents``: nearly every search names the same corpus, and the
    site's weight is bounded.  No document for a package before 0.5.0, and none for the paper itself (every row the
    paper documents would repeat it).
    """
    if "publications" not in list_tables(root):
        return {"documents": {}, "searched": []}
    publications, register = load_rows("publications", root), load_rows("sources", root)
    kinds = dict(zip(register["source_id"], register["kind"], strict=True))
    found: dict[str, dict] = {}
    parts: dict[str, int] = {}  # every part of the searched texts, once (most name the same corpus), by its index
    for source_id, versions in publications.groupby("source_id", sort=False):
        if kinds.get(source_id) in (None, "paper"):
            continue
        lines = published_lines(versions, register, source_id)
        searched = "; ".join(dict.fromkeys(str(s) for s in versions["searched"] if not _missing(s)))
        found[source_id] = {
            "lines": lines,
            "searched": [] if lines else [parts.setdefault(part, len(parts)) for part in searched.split("; ")],
        }
    return {"documents": found, "searched": list(parts)}


def _corroboration(table: str, root: Path, frames: dict) -> dict[str, list[dict]]:
    """The corroboration rows comparing rows of ``table`` with a published version, by the compared row's :func:`row_id`.

    The ``row_key`` names the row as a caveat's does (``figure_id=pyongyang_bombing_deaths``); each entry holds
    its verdict, the figure as the published version gives it, the evidence (at most 25 words of
    the published version), the locator, the explanation and its own id (a link to its row).  The figure as the paper
    gives it is the row itself, so it is not shipped again (the site's weight is bounded).
    """
    if "corroboration" not in list_tables(root):
        return {}
    frame = load_rows("corroboration", root)
    by_row: dict[str, list[dict]] = {}
    for record in frame[frame["table"] == table].to_dict("records"):
        for pairs in _row_key_parts("" if _missing(record["row_key"]) else record["row_key"]):
            rid = _find_row(table, pairs, root, frames)
            if rid:
                by_row.setdefault(rid, []).append(
                    {
                        key: "" if _missing(record[column]) else str(record[column])
                        for key, column in (
                            ("id", "corroboration_id"),
                            ("verdict", "verdict"),
                            ("published", "value_as_published"),
                            ("evidence", "evidence"),
                            ("locator", "locator"),
                            ("explanation", "explanation"),
                        )
                    }
                )
    return by_row


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


def _write_provenance(out: Path, passages: dict[str, str], sources: dict, publications: dict | None = None) -> None:
    """The paper's passages (rendered, footnotes as marks and notes), the source register and the published versions
    of its documents (:func:`_publications`), once for every table page.

    A script rather than JSON: a page opened from disk may not fetch a file, but it may load a script.
    """
    import json

    from aidstats.text.passages import footnotes, to_html

    notes = footnotes(passages.values())
    data = {
        "passages": {pid: str(to_html(text, notes)) for pid, text in passages.items()},
        "sources": sources,
        "publications": publications or {},
    }
    # "</" written as "<\/" so no text can end a script element, should the file ever be inlined.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    (out / "assets" / "provenance.js").write_text(f"window.aidstatsProvenance = {text};\n", encoding="utf-8")


def _charts(names: list[str], root: Path) -> list[dict]:
    """Each chart's name, title (the page's heading of it) and caption (:func:`aidstats.web.figures.chart_entry`)."""
    parts = _chart_parts(root)
    return [parts[name][0] for name in names]


def _write_charts(out: Path, root: Path) -> None:
    """Each chart's figure once, as ``assets/chart-<name>.js``, for every page that shows it (charts.js draws it)."""
    for name, (_, script) in _chart_parts(root).items():
        (out / "assets" / f"chart-{name}.js").write_text(script, encoding="utf-8")


def _chart_parts(root: Path) -> dict[str, tuple[dict, str]]:
    """Every chart's :func:`aidstats.web.figures.chart_parts`, made once per version of the package (see :func:`_jsonld`)."""
    return _chart_parts_of(*_descriptor_version(root))


@lru_cache(maxsize=8)
def _chart_parts_of(root: Path, version: tuple) -> dict[str, tuple[dict, str]]:
    """:func:`_chart_parts` for one version of the package's descriptor: the site's script of each chart,
    its table page and the home page share one making of its figure."""
    from aidstats.web.figures import CHARTS, chart_parts

    return {name: chart_parts(name, root) for name in CHARTS}


def _descriptor_version(root: Path) -> tuple:
    """The package folder, resolved, and its descriptor's :func:`aidstats.package.file_version`, which changes
    whenever the descriptor is rewritten: the descriptor names every data file's sha256,
    and the loader refuses a file that does not match it, so these facts name one version of the data."""
    return Path(root).resolve(), file_version(Path(root) / DESCRIPTOR)


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


def _cell(value, field: dict, link: dict | None = None) -> dict:
    """What a table cell shows: ``text`` (or ``html``, for the paper's text with footnote markup), and ``full`` when ``text`` was rounded.

    A number sorts by ``full`` or ``text`` read as a number (site.js drops the
    thousands separators), so no second copy of each value is written.  ``link``
    (from :func:`_links`) makes the value a link (``href``, or ``parts`` for a
    list of row keys) and gives a code its ``label`` ("SUN — USSR").  An enumerated code made of words joined by
    underscores reads as words (``track and structures``); its raw value is then
    kept as ``value`` (what the facets and the row's key compare) and ``search``
    holds what the filter matches besides the text shown (the raw value, the
    number without separators).
    """
    from aidstats.text.passages import has_markup, to_html

    shown = format_value(value, field)
    link = link or {}
    cell = {
        "text": shown.text,
        "html": to_html(shown.text) if field["type"] == "string" and has_markup(shown.text) else None,
        "full": shown.full if shown.rounded else None,
        "number": field["type"] in NUMERIC and not _missing(value),
        "clamp": len(shown.text) > CLAMP,
        "value": None,
        "label": link.get("label"),
        "href": link.get("href"),
        "parts": link.get("parts"),
    }
    search = []  # not a link's title: the goods list's title names every donor, so "Poland" would find every row
    if cell["number"]:
        search += [
            text.replace(",", "") for text in (shown.text, shown.full) if text and "," in text
        ]  # a tuple: a set's order changes per run
    elif isinstance(value, str) and "_" in value and value in field.get("constraints", {}).get("enum", []) and not cell["href"]:
        cell["text"], cell["value"] = value.replace("_", " "), value
        search.append(value)
    cell["search"] = " ".join(dict.fromkeys(s for s in search if s))
    return cell


# A text column whose longest value is longer than this wraps in a wide cell rather than stretching one line.
LONG_TEXT = 40
# A text column whose values are all this short never wraps ("44-45" stays whole).
SHORT_TEXT = 12
# The columns a phone leaves out until the reader asks for them (site.css says why), so that the values a reader
# looks up are in the first screen beside the row's first column: columns a facet filters by (the donor, a figure's
# topic), the code beside a name, where a caveat applies (its words come first; the Table facet picks a table) and
# the file a passage was cut from (its text comes first).
PHONE_ASIDE = {
    "aid_deliveries": {"donor", "donor_code"},
    "key_figures": {"topic"},
    "caveats": {"table", "row_key", "column_name"},
    "passages": {"excerpt_file"},
}
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
            # An enumerated code of words joined by underscores reads as words, as its cells do (not a table's name).
            words = bool(field.get("constraints", {}).get("enum")) and not set(counts.index) <= {r["name"] for r in package["resources"]}
            options = [
                {"value": value, "label": labels.get(value, ""), "words": value.replace("_", " ") if words and "_" in value else ""}
                for value in sorted(counts.index)
            ]
            facets.append({"name": field["name"], "column": column, "label": heading(field, schema["fields"], units), "options": options})
    return facets


def _code_labels(table: str, field: str, root: Path) -> dict[str, str]:
    """What each code of ``table.field`` means, from that code list's ``title`` or ``name`` column (none: empty)."""
    if table not in list_tables(root):
        return {}  # a package may leave a code list out; its codes then go unlabelled
    frame = load_rows(table, root)
    label = next((c for c in ("title", "name") if c in frame.columns and c != field), None)
    if label is None:
        return {}
    return {
        str(code): str(text) for code, text in zip(frame[field], frame[label], strict=True) if not _missing(text) and str(text) != str(code)
    }


# The source register: a column referring to it (source_id, full_citation_id) is a link to the document's row with no
# label beside it (a document's title is long, and the row's panel shows the whole citation).
REGISTER = "sources"


def _key_text(value) -> str:
    """A key's value as the CSV writes it and :func:`row_id` encodes it (an integer without ``.0``)."""
    return str(int(value)) if isinstance(value, Integral) else str(value)


def _row_ids(table: str, root: Path, frames: dict) -> list[tuple[dict, str]]:
    """Each row of ``table`` as (its values as text, by column; its :func:`row_id`), loaded once (``frames``: see :func:`table_page`)."""
    if table not in frames:
        frame = load_rows(table, root)
        key = resource(table, root)["schema"]["primaryKey"] or [frame.columns[0]]
        records = frame.to_dict("records")
        frames[table] = [
            ({c: "" if _missing(v) else _key_text(v) for c, v in record.items()}, row_id([record[k] for k in key])) for record in records
        ]
    return frames[table]


def _find_row(table: str, pairs: list[tuple[str, str]], root: Path, frames: dict) -> str | None:
    """The :func:`row_id` of the one row of ``table`` whose columns hold these values (none if no row, or several, do)."""
    found = [rid for texts, rid in _row_ids(table, root, frames) if all(texts.get(c) == v for c, v in pairs)]
    return found[0] if len(found) == 1 else None


def _row_key_parts(text: str) -> list[list[tuple[str, str]]]:
    """A caveat's ``row_key`` as its rows, each a list of (column, value): ``"seq=18;seq=19"`` → [[("seq", "18")], [("seq", "19")]].

    Rows are separated by ';' and the columns of a composite key by ',' before the next ``column=``.

    >>> _row_key_parts("table=mineral_exports,commodity=zinc cake;seq=3")
    [[('table', 'mineral_exports'), ('commodity', 'zinc cake')], [('seq', '3')]]
    """
    import re

    return [[tuple(pair.split("=", 1)) for pair in re.split(r",(?=[a-z_]+=)", part)] for part in text.split(";") if "=" in part]


def _caveats_by_row(table: str, root: Path, frames: dict) -> dict[str, list[str]]:
    """The caveats (their ids) that name rows of ``table`` in their ``row_key``, by the row's :func:`row_id`."""
    if "caveats" not in list_tables(root):
        return {}
    by_row: dict[str, list[str]] = {}
    caveats = load_rows("caveats", root)
    for record in caveats[caveats["table"] == table].to_dict("records"):
        if _missing(record["row_key"]):
            continue
        for pairs in _row_key_parts(record["row_key"]):
            rid = _find_row(table, pairs, root, frames)
            if rid and record["caveat_id"] not in by_row.setdefault(rid, []):
                by_row[rid].append(record["caveat_id"])
    return by_row


def _links(resource: dict, package: dict, root: Path, frames: dict) -> dict[str, object]:
    """How each linked column of a table shows a record's value: a function of the record giving the cell's ``link`` (see :func:`_cell`).

    - a foreign key links to the row it refers to on that table's page (``sources.html#row-fn53``);
      a code from a code list shows its label beside it (from the list's ``title`` or ``name``), except
      a reference to the source register; of a composite key
      (``donor_code`` and ``donor``) only the columns naming the referred table's own key are links;
    - a column whose values name tables (``table`` in caveats) links to that table's page;
    - beside it, ``row_key`` (the caveats' rows, as ``column=value``) links each row it names.
    """
    tables = list_tables(root)
    names = {r["name"] for r in package["resources"]}
    schema = resource["schema"]
    links: dict[str, object] = {}
    for foreign in schema.get("foreignKeys", []):
        target, referenced = foreign["reference"]["resource"] or resource["name"], foreign["reference"]["fields"]
        if target not in tables:
            continue  # a code list left out of the package has no page to link to
        target_key = next(r for r in package["resources"] if r["name"] == target)["schema"].get("primaryKey", [])
        pairs = list(zip(foreign["fields"], referenced, strict=True))
        labels = _code_labels(target, referenced[0], root) if len(pairs) == 1 else {}
        for field, ref in pairs:
            if len(pairs) > 1 and ref not in target_key:
                continue

            def link(record, pairs=pairs, target=target, labels=labels, field=field):
                if _missing(record[field]):
                    return None
                rid = _find_row(target, [(ref, _key_text(record[f])) for f, ref in pairs], root, frames)
                label = labels.get(_key_text(record[field]))
                return {"href": f"{target}.html#{rid}" if rid else None, "label": label if target != REGISTER else None}

            links[field] = link
    fields = {f["name"]: f for f in schema["fields"]}
    for field in fields.values():
        enum = field.get("constraints", {}).get("enum")
        if not enum or not set(enum) <= names:
            continue
        links[field["name"]] = lambda record, f=field["name"]: {"href": f"{record[f]}.html"} if record[f] in tables else None
        if "row_key" in fields:

            def rows(record, table_field=field["name"]):
                if _missing(record["row_key"]) or record[table_field] not in tables:
                    return None
                parts = []
                for text, pairs in zip(record["row_key"].split(";"), _row_key_parts(record["row_key"]), strict=False):
                    rid = _find_row(record[table_field], pairs, root, frames)
                    parts.append({"text": text, "href": f"{record[table_field]}.html#{rid}" if rid else None})
                return {"parts": parts}

            links["row_key"] = rows
    # A table keyed by a table's name and one of that table's columns (commodity_classes: table, commodity) says
    # something about each value of that column: the value links to its row there ("why this SITC division").
    for other in package["resources"]:
        key = other["schema"].get("primaryKey", [])
        if other["name"] not in tables or other["name"] == resource["name"] or len(key) != 2:
            continue
        named, column = key
        enum = next((f for f in other["schema"]["fields"] if f["name"] == named), {}).get("constraints", {}).get("enum", [])
        if resource["name"] not in enum or column not in fields or column in links:
            continue

        def about(record, other=other["name"], named=named, column=column):
            if _missing(record[column]):
                return None
            rid = _find_row(other, [(named, resource["name"]), (column, _key_text(record[column]))], root, frames)
            return {"href": f"{other}.html#{rid}"} if rid else None

        links[column] = about
    return links


def _rows(
    frame: pd.DataFrame,
    fields: list[dict],
    key: list[str],
    passages: dict[str, str],
    links: dict | None = None,
    caveats: dict[str, list[str]] | None = None,
) -> list[dict]:
    """The rows of a table page: each row's id, its cells (:func:`_cell`), quote, passage, source, the caveats naming it and what the filter matches besides its text."""
    links, caveats = links or {}, caveats or {}
    rows = []
    for record in frame.to_dict("records"):
        quote = record.get("quote")
        rid = row_id([record[k] for k in key])
        cells = [_cell(record[f["name"]], f, links[f["name"]](record) if f["name"] in links else None) for f in fields]
        row = {"id": rid, "quote": None, "cells": cells, "caveats": caveats.get(rid, [])}
        row["search"] = " ".join(dict.fromkeys(c["search"] for c in cells if c["search"]))
        if isinstance(quote, str):
            row["quote"] = quote
            row["passage"] = next((pid for pid, text in passages.items() if quote in text), "")
        elif record.get("passage_id") in passages:  # a row of the passages table shows itself in the panel
            row["passage"] = record["passage_id"]
        source = record.get("source_id")
        row["source"] = "" if _missing(source) else source
        rows.append(row)
    return rows


def _caveat_issues(root: Path, ids: set[str]) -> dict[str, str]:
    """The ``issue`` of each of these caveats, by id."""
    if not ids:
        return {}
    caveats = load_rows("caveats", root)
    return {c: issue for c, issue in zip(caveats["caveat_id"], caveats["issue"], strict=True) if c in ids}


def _json_value(value, field: dict):
    """A value as JSON writes it, by its field's type: an integer, a number, a date as ISO text, text; missing as null."""
    if _missing(value):
        return None
    if field["type"] == "integer":
        return int(value)
    if field["type"] == "number":
        return float(value)
    if field["type"] == "date":
        return pd.Timestamp(value).date().isoformat()
    return str(value)


def _write_rows(out: Path, root: Path, package: dict) -> None:
    """Every row as JSON at a stable path, ``data/rows/<table>/<key>.json``, and each table's rows in ``data/rows/<table>.js``.

    ``<key>`` is the row's :func:`row_id` without ``row-`` (``32``, ``mineral_exports,zinc%20cake``): the
    file name holds the percent-encoded key, so a link to it encodes the ``%`` again (site.js does).  A row's
    file holds its table, its primary key, its values as the data holds them (numbers as numbers, dates as
    ISO text, missing as null) and the ids of the caveats that name it.  The table's script holds every row
    as the data holds it, in order, for "download this view": site.js loads it only when asked (a page opened
    from disk may load a script but not read a file), so no reader's page carries a second copy of the table.
    """
    import json

    folder = out / "data" / "rows"
    for name in list_tables(root):
        resource = next(r for r in package["resources"] if r["name"] == name)
        fields = resource["schema"]["fields"]
        key = resource["schema"].get("primaryKey") or [fields[0]["name"]]
        caveats = _caveats_by_row(name, root, {})
        (folder / name).mkdir(parents=True)
        table = {"fields": [f["name"] for f in fields], "rows": {}}
        for record in load_rows(name, root).to_dict("records"):
            rid = row_id([record[k] for k in key])
            values = {f["name"]: _json_value(record[f["name"]], f) for f in fields}
            row = {"table": name, "key": {k: values[k] for k in key}, "row": values, "caveats": caveats.get(rid, [])}
            text = json.dumps(row, ensure_ascii=False, indent=1, sort_keys=False)
            (folder / name / f"{rid.removeprefix('row-')}.json").write_text(text + "\n", encoding="utf-8")
            table["rows"][rid] = list(values.values())
        script = json.dumps(table, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        (folder / f"{name}.js").write_text(
            f"(window.aidstatsRows = window.aidstatsRows || {{}})[{json.dumps(name)}] = {script};\n", encoding="utf-8"
        )


def table_page(name: str, root: Path, package: dict, passages: dict[str, str], sources: dict, frames: dict | None = None) -> str:
    """The page of table ``name`` of the package in ``root``, as HTML.

    ``frames`` holds the rows of the tables a page links to (:func:`_row_ids`), each loaded once: :func:`build_site`
    gives every page the same dict, so a table linked from several pages is read once per site.
    """
    resource = next(r for r in package["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = load_rows(name, root)
    key = resource["schema"].get("primaryKey") or [fields[0]["name"]]
    frames = {} if frames is None else frames
    caveats = _caveats_by_row(name, root, frames)
    rows = _rows(frame, fields, key, passages, _links(resource, package, root, frames), caveats)
    corroboration = _corroboration(name, root, frames)
    # A row a published version contradicts is marked in its value (else its first) cell, in words a screen reader reads.
    marked = next((i for i, f in enumerate(fields) if f["name"] == "value"), 0)
    for row in rows:
        if any(c["verdict"] == "differs" for c in corroboration.get(row["id"], [])):
            row["cells"][marked] = {**row["cells"][marked], "differs": True}
    widest = {f["name"]: frame[f["name"]].dropna().astype(str).str.len().max() for f in fields if f["type"] == "string"}
    # Only prose is long text: identifiers (figure_id, a caveat's row keys) have no spaces and break at a cap instead.
    prose = {n for n in widest if frame[n].dropna().astype(str).str.contains(" ").mean() > 0.5}
    long_text = {name for name, width in widest.items() if width > LONG_TEXT and name in prose}
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
        phone_aside=[f["name"] for f in fields if f["name"] in PHONE_ASIDE.get(name, set())],
        numeric=NUMERIC,
        key=key,
        rows=rows,
        facets=_facets(resource, frame, package, root, units),
        downloads=_downloads(name, package),
        chart_list=_charts(TABLE_CHARTS.get(name, []), root),
        jsonld=_jsonld(root),  # the package as a schema.org Dataset, for dataset search engines
        # The number columns a reader may bound ("at least", "at most"), each headed as in the table.
        ranges=[{"name": f["name"], "column": i, "label": heading(f, fields, units)} for i, f in enumerate(fields) if f["type"] in NUMERIC],
        provenance={
            "table": name,
            "title": resource["title"],
            "key": key,
            "version": package["version"],
            "citation": package.get("citation", ""),
            "paper": package["sources"][0]["title"],  # the paper every table is transcribed from
            # What each caveat naming a row of this table says, for the row's panel.
            "caveats": _caveat_issues(root, {c for ids in caveats.values() for c in ids}),
            # Each row's comparisons with a published version of its document, by row id (issue 20).
            "corroboration": corroboration,
            "repository": REPOSITORY,  # where "report a problem with this row" opens a new issue
        },
    )


# The railway asset group a headline reports: the rolling stock (locomotives and rail cars), the railways' means of moving
# anything, is what a reader of war damage asks about first.  A package without it reports its first group.
HEADLINE_ASSET_GROUP = "rolling_stock"


def _listed(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _headlines(root: Path) -> list[dict]:
    """One figure per core table for the home page, each computed from the table by aidstats' own helpers.

    railway_damage: the share of the rolling stock reported lost (:func:`aidstats.summaries.loss_summary`);
    mineral_exports: the tonnes delivered as a percentage of the tonnes planned, over every product
    (:func:`aidstats.summaries.plan_fulfilment`); aid_deliveries: the tonnes delivered, by how many states,
    and the largest donor's share (:func:`aidstats.summaries.per_donor`, the implausible lines left out
    as the charts leave them out).  Each: ``table``, ``value`` (the figure with its unit), ``text`` (what it
    is, in words) and ``detail`` (how it is made up).  A package without one of these tables has no headline for it.
    """
    from aidstats.summaries import loss_summary, per_donor, plan_fulfilment
    from aidstats.text.numbers import DIGITS, format_number, with_unit
    from aidstats.web.figures import _day, _period, _plan_year, _years

    tables, units = list_tables(root), unit_symbols(root)

    def percent(fraction: float) -> str:
        return format_number(fraction * 100, DIGITS - 1) + "%"

    def tonnes(value: float) -> str:
        return with_unit(format_number(value, DIGITS), "t", units)

    headlines = []
    if "railway_damage" in tables:
        rail = load_rows("railway_damage", root)
        groups = loss_summary(rail, by="asset_group").reset_index()
        chosen = groups[groups["asset_group"].astype(str) == HEADLINE_ASSET_GROUP]
        row = (chosen if len(chosen) else groups).iloc[0]
        group = str(row["asset_group"])
        assets = rail[(rail["asset_group"].astype(str) == group) & (rail["unit"] == row["unit"])]["asset"].astype(str).tolist()
        headlines.append(
            {
                "table": "railway_damage",
                "value": percent(row["share_lost"]),
                "text": f"of the railways' {group.replace('_', ' ')} reported lost for {_period(rail['period_start'], rail['period_end'])}",
                "detail": f"{with_unit(format_number(int(row['lost'])), row['unit'], units)} of the "
                f"{with_unit(format_number(int(row['prewar_total'])), row['unit'], units)} {_listed(assets)} counted before the war",
            }
        )
    if "mineral_exports" in tables:
        minerals = load_rows("mineral_exports", root)
        plan = plan_fulfilment(minerals).dropna(subset=["delivered_t", "plan_t"])
        over = int((plan["status"] == "over plan").sum())
        names = _code_labels("donors", "code", root)
        destinations = [names.get(str(code), str(code)) for code in minerals["destination"].dropna().unique()]
        headlines.append(
            {
                "table": "mineral_exports",
                "value": percent(plan["delivered_t"].sum() / plan["plan_t"].sum()),
                "text": f"of the tonnes planned for {_plan_year(minerals)} delivered to the {_listed(destinations)} by {_day(minerals)}",
                "detail": f"{tonnes(plan['delivered_t'].sum())} of {tonnes(plan['plan_t'].sum())} across {len(plan)} products; {over} of them over plan",
            }
        )
    if "aid_deliveries" in tables:
        aid = load_rows("aid_deliveries", root)
        donors = per_donor(aid)
        top = donors["share_of_bloc_tonnage"].idxmax()
        # The lines per_donor adds up: in tonnes, and not flagged implausible.
        counted = int(((aid["base_unit"] == "t") & aid["implausible_reason"].isna()).sum())
        headlines.append(
            {
                "table": "aid_deliveries",
                "value": tonnes(donors["tonnes"].sum()),
                "text": f"of goods delivered to the DPRK by {len(donors)} states, listed for {_years(aid)}",
                "detail": f"{percent(donors.loc[top, 'share_of_bloc_tonnage'])} of it from {donors.loc[top, 'donor']}; "
                f"the sum of the {counted} of {len(aid)} lines measured in tonnes",
            }
        )
    return headlines


def _jsonld(root: Path) -> str:
    """The page's schema.org Dataset as JSON-LD text (:mod:`aidstats.web.jsonld`): the same on every page of the site,
    its downloads at their paths in the site."""
    return _jsonld_of(*_descriptor_version(root))


@lru_cache(maxsize=8)
def _jsonld_of(root: Path, version: tuple) -> str:
    """:func:`_jsonld` for one version of the package's descriptor, which names every file's sha256: made once
    per site, not once per page (it reads every table)."""
    from aidstats.publish.release import archive_name
    from aidstats.web.jsonld import dataset, script_text

    package = descriptor(root)
    return script_text(dataset(package, root, site=True, archive={"name": archive_name(), "url": archive_name(), "sha256": None}))


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
        table_rows=[{"name": r["name"], "rows": len(load_rows(r["name"], root)), "title": r["title"]} for r in table_resources],
        archive={"name": archive.name, "bytes": archive.stat().st_size, "sha256": digest},
        exports=[
            {"format": e.format, "href": e.path.as_posix(), "name": e.path.name, "bytes": e.bytes, "sha256": e.sha256}
            for e in exports or []
        ],
        chart_list=_charts(list(CHARTS), root),
        headlines=[{**h, "title": next(r["title"] for r in table_resources if r["name"] == h["table"])} for h in _headlines(root)],
        jsonld=_jsonld(root),
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
        # The partial plotly.js bundle (bar traces are all the charts draw), with its licence beside it; charts.js loads it.
        write_text(site / "assets" / "plotly.min.js", plotly_js())
        shutil.copyfile(BUNDLE.parent / "LICENSE-plotly.js.txt", site / "assets" / "LICENSE-plotly.js.txt")
        for asset in ("site.js", "charts.js", "site.css"):
            write_bytes(site / "assets" / asset, resources.files("aidstats.web").joinpath("assets", asset).read_bytes())
        (site / "data" / "clean").mkdir(parents=True)
        shutil.copyfile(root / "datapackage.json", site / "data" / "datapackage.json")
        for resource in package["resources"]:
            shutil.copyfile(root / resource["path"], site / "data" / resource["path"])
        _write_charts(site, root)
        exports = write_exports(site / "exports", root)
        archive, digest = build_archive(root, site, exports=exports)
        passages, sources = _passages(root), _sources(root)
        _write_provenance(site, passages, sources, _publications(root))
        _write_rows(site, root, package)
        linked: dict = {}  # the rows of each table a page links to, read once for the whole site
        for name, page in zip(tables, pages, strict=True):
            write_text(site / page, table_page(name, root, package, passages, sources, linked))
        relative = [e._replace(path=e.path.relative_to(site)) for e in exports]
        write_text(site / "index.html", home_page(root, package, archive, digest, relative))
        # The folders first and the home page last, so the page that links everything comes when everything is there.
        made = sorted(p.name for p in site.iterdir())
        order = [*folders, *(n for n in made if n not in (*folders, "index.html")), "index.html"]
        move_in([(site / name, out / name) for name in order if name in made], staging / "old")
    return out
