"""One function per chart, each returning a plotly Figure (for notebooks, the dashboard and the site).

Every hover names the source of the value: the footnote and the archival
document it cites.  Only this module imports plotly; the dashboard and the
site draw their charts through it.

Nothing in a title, caption or hover is typed here: periods, years, places,
footnotes, documents and figures are read from the tables (and the
sources table) each time, and every number is written by
:mod:`aidstats.text.numbers`, the formatter the site and ``aidstats show`` use.

Plotly reads the text of labels, legends and hovers as a small subset of
HTML (``<b>``, ``<br>``, ``<a href>``, entities), so every text that comes
from the data goes through :func:`plain` first and is shown as typed.
Each chart reads the bundled package, or the package folder (or URL) given
as ``source``.

The pages draw the charts with plotly.js's partial "basic" bundle (the trace
modules bar, pie and scatter: every chart here is a bar chart), shipped in
``aidstats/web/assets/vendor`` (see :func:`plotly_js`), through
``assets/charts.js``.  Every chart is a bar chart whose categories (assets,
minerals, donors) are on the y axis, where a long name wraps instead of
being skipped or cut, with its legend below the plot; :func:`chart_script`
ships with each figure the overrides a page applies (its title is the
page's heading) and those for a container narrower than
:data:`NARROW_WIDTH` (a phone), and the numbers it shows as a table, for
the chart/table toggle and the CSV download.
"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from aidstats._arguments import flag
from aidstats.loader import list_tables, load_rows, package_root, resource
from aidstats.publish.cite import location
from aidstats.publish.tables import unit_symbols
from aidstats.summaries import per_donor, plan_fulfilment
from aidstats.text.numbers import DIGITS, format_number, format_value, heading

TEMPLATE = "plotly_white"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Below this width (CSS pixels) of its container, charts.js lays a chart out for a phone (layout.meta["narrow"]).
NARROW_WIDTH = 600
# A hover line holds at most this many characters (about 250 px at 12 px), so a tapped bar's hover fits on a phone's screen.
HOVER_WIDTH = 36
# The SITC sections' colours, the same in every chart (Paul Tol's colour-blind-safe qualitative palette, as plotly ships it).
SECTION_COLORS = px.colors.qualitative.Safe
# The smallest of plotly.js's partial bundles that holds every trace type the charts use (bar): "basic" has bar, pie
# and scatter in 1.19 MB, "cartesian" twelve types in 1.50 MB. tests/test_charts.py fails if a chart uses another type.
PARTIAL_BUNDLE = "basic"
BUNDLE = Path(__file__).resolve().parent / "assets" / "vendor" / f"plotly-{PARTIAL_BUNDLE}.min.js"


def plain(text) -> str:
    """``text`` as plotly shows it literally: ``&``, ``<`` and ``>`` as entities.

    Quotes are left alone: plotly's text is never an attribute value, and it
    decodes ``&amp;``, ``&lt;`` and ``&gt;`` but not ``&quot;``.

    >>> plain('<b>"a" & b</b>')
    '&lt;b&gt;"a" &amp; b&lt;/b&gt;'
    """
    return html.escape(str(text), quote=False)


def _present(value) -> bool:
    return not pd.isna(value)


def source_labels(source: str | Path | None = None) -> pd.Series:
    """'Footnote 45: <title> (<archive, fond, opis, …>)' for each source_id, escaped with :func:`plain`.

    An 'Ibid.' or repeated citation is labelled with the document of the full
    citation it points to (``full_citation_id``), so every label names an
    archival location.
    """
    sources = load_rows("sources", source).set_index("source_id")
    full = sources["full_citation_id"] if "full_citation_id" in sources else pd.Series(pd.NA, index=sources.index)
    labels = {}
    for source_id, row in sources.iterrows():
        document = sources.loc[full[source_id]] if _present(full[source_id]) else row
        title = document["title"] if _present(document["title"]) else document["citation"]
        if not _present(row["footnote"]):
            labels[source_id] = plain(title)
            continue
        where = location(document)
        also = f" (as cited in footnote {document['footnote']})" if document is not row else ""
        labels[source_id] = plain(f"Footnote {row['footnote']}: {title}{also}" + (f" ({where})" if where else ""))
    return pd.Series(labels, dtype=object)


def _table_source(frame: pd.DataFrame, source) -> str:
    """The label of every source a table's rows cite, in order of first use."""
    labels = source_labels(source)
    return "; ".join(labels[s] for s in frame["source_id"].dropna().unique())


def _wrap(text: str, width: int = HOVER_WIDTH) -> str:
    """``text`` in lines of at most ``width`` characters (a longer word has a line of its own), joined by plotly's ``<br>``.

    >>> _wrap("electrical lines, stations and substations", 18)
    'electrical lines,<br>stations and<br>substations'
    """
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _plain_column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name].astype(str).map(plain)


def _fields(name: str, source) -> dict[str, dict]:
    return {field["name"]: field for field in resource(name, package_root(source))["schema"]["fields"]}


def _period(start: pd.Series, end: pd.Series) -> str:
    """'January-June 1951' for whole months, else '3 January-30 June 1951'; the year once if it does not change."""
    first, last = pd.Timestamp(start.min()), pd.Timestamp(end.max())
    months = first.day == 1 and last.is_month_end
    left = f"{first:%B}" if months else f"{first.day} {first:%B}"
    right = f"{last:%B %Y}" if months else f"{last.day} {last:%B %Y}"
    if first.year != last.year:
        left += f" {first.year}"
    return right if months and (first.year, first.month) == (last.year, last.month) else f"{left}-{right}"


def _percent(fraction: float) -> str:
    return format_number(fraction * 100, DIGITS - 1) + "%"


def _categories(fig: go.Figure) -> list[str]:
    """The y axis's categories, in the order plotly places them (the axis's own order, else their first appearance)."""
    order = fig.layout.yaxis.categoryarray
    return list(order) if order else list(dict.fromkeys(v for trace in fig.data for v in trace.y))


def _lay_out(
    fig: go.Figure, row: int, narrow_row: int, top: int = 10, label_width: int = 16, narrow_xaxis: dict | None = None
) -> go.Figure:
    """Lay a bar chart out for any width, and record in ``layout.meta`` how a page changes it (see :func:`chart_script`).

    Every category on the y axis is labelled (``tickmode`` "array": plotly would skip some when they crowd),
    a long one wrapped; the legend is below the plot, across (plotly pushes the bottom margin to make room
    for it); the figure is ``row`` pixels a category high, ``narrow_row`` on a phone, plus room for the
    title, axis and legend.  ``top`` is the margin a page keeps above the plot (for an annotation there);
    ``narrow_xaxis`` what else changes on the x axis of a phone's layout.
    """
    categories = _categories(fig)
    wide_labels, narrow_labels = [_wrap(c, 44) for c in categories], [_wrap(c, label_width) for c in categories]
    axis_title = fig.layout.xaxis.title.text or ""
    # The figure's height leaves room for everything in it, however long the names in the data: each category's row
    # (taller for a label wrapped over more lines), the axis, and the legend below: on a wide page its entries side by
    # side, about four a line, on a phone one under the other (a legend name is wrapped over lines too).
    legend = [(trace.name or "").count("<br>") + 1 for trace in fig.data if trace.showlegend is not False]
    wide_legend = 30 + sum(18 * max(legend[i : i + 4]) + 8 for i in range(0, len(legend), 4))
    narrow_legend = 30 + sum(15 * lines + 6 for lines in legend)

    def rows(labels: list[str], least: int, line: int) -> int:
        return sum(max(least, line * (label.count("<br>") + 1) + 8) for label in labels)

    fig.update_layout(
        font={"family": FONT, "size": 13},
        title={"x": 0, "xanchor": "left", "font": {"size": 17}},
        height=rows(wide_labels, row, 14) + 130 + wide_legend,
        margin={"l": 10, "r": 24, "t": 60, "b": 10},
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "title": {"side": "top"},
            "traceorder": "normal",  # as the bars are stacked or grouped, top to bottom
            "maxheight": 1,  # never a legend that scrolls: the figure's height leaves it room
        },
        hoverlabel={"align": "left", "font": {"size": 12}},
        hovermode="closest",
    )
    fig.update_yaxes(automargin=True, tickmode="array", tickvals=categories, ticktext=wide_labels)
    fig.update_xaxes(automargin=True)
    fig.layout.meta = {
        # On a page the title is the figure's heading (HTML, which wraps), and a reader scrolls past a chart rather than zooming it.
        "page": {
            "title": {"text": ""},
            "margin": {"t": top},
            "dragmode": False,
            "xaxis": {"fixedrange": True},
            "yaxis": {"fixedrange": True},
        },
        "narrow": {
            "height": rows(narrow_labels, narrow_row, 14) + 140 + narrow_legend,
            "font": {"size": 12},
            "margin": {"l": 4, "r": 22},  # room for the last tick label, centred on the plot's right edge
            "yaxis": {"ticktext": narrow_labels, "tickfont": {"size": 11}},
            "xaxis": {"title": {"text": _wrap(axis_title, 30)}, **(narrow_xaxis or {})},
            "legend": {"font": {"size": 11}},
        },
    }
    return fig


def _section_color(section) -> str:
    """The colour of SITC section ``section`` (a digit) in every chart."""
    return SECTION_COLORS[int(section) % len(SECTION_COLORS)]


def railway_losses(source: str | Path | None = None) -> go.Figure:
    """Share of each railway asset lost over the period the table covers, grouped."""
    rail = load_rows("railway_damage", source)
    groups = {value: value.replace("_", " ").capitalize() for value in rail["asset_group"].cat.categories}
    rail = rail.assign(
        asset=_plain_column(rail, "asset"),
        group=rail["asset_group"].map(groups).astype(str),
        share=rail["share_lost"].map(_percent),
        source=rail["source_id"].map(source_labels(source)).map(_wrap),
    )
    fig = px.bar(
        rail.sort_values(["asset_group", "share_lost"]),
        x="share_lost",
        y="asset",
        color="group",
        orientation="h",
        custom_data=["lost_as_printed", "prewar_total_as_printed", "unit", "source", "share"],
        labels={"share_lost": "Share of prewar stock lost", "asset": "", "group": "Asset group"},
        title=f"DPRK railways: share of the prewar stock reported lost for {_period(rail['period_start'], rail['period_end'])}",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate="<b>%{y}</b><br>lost %{customdata[0]} of %{customdata[1]} (%{customdata[2]})<br>share lost %{customdata[4]}<br>%{customdata[3]}<extra></extra>"
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1], dtick=0.25)
    return _lay_out(fig, row=26, narrow_row=30)


def _destination(minerals: pd.DataFrame, source) -> str:
    names = load_rows("donors", source).set_index("code")["name"]
    return " and ".join(plain(names.get(code, code)) for code in minerals["destination"].unique())


def plan_fulfilment_chart(source: str | Path | None = None) -> go.Figure:
    """Each mineral's deliveries over the reported period as a percentage of the year's plan."""
    minerals = load_rows("mineral_exports", source)
    fields = _fields("mineral_exports", source)
    units = unit_symbols(source)
    plan = plan_fulfilment(minerals).merge(minerals[["commodity", "source_id"]], on="commodity")
    plan["source"] = plan["source_id"].map(source_labels(source)).map(_wrap)
    plan["commodity"] = _plain_column(plan, "commodity")
    for column, field in [("percent_of_plan", "percent_of_plan"), ("delivered_t", "delivered_t")] + [
        (bound, "plan_t") for bound in ("plan_t", "plan_t_low", "plan_t_high")
    ]:
        unit = fields[field].get("unit")
        plan[f"{column}_text"] = [format_value(value, fields[field], unit=unit, symbols=units).text for value in plan[column]]
    plan = plan.sort_values("percent_of_plan")
    fig = px.bar(
        plan,
        x="percent_of_plan",
        y="commodity",
        color="status",
        orientation="h",
        custom_data=["delivered_t_text", "plan_t_text", "plan_t_low_text", "plan_t_high_text", "source", "percent_of_plan_text"],
        color_discrete_map={"under plan": "#c0504d", "at plan": "#999999", "over plan": "#4f81bd"},
        labels={
            "percent_of_plan": f"Percent of the {_plan_year(minerals)} plan delivered by {_day(minerals)}",
            "commodity": "",
            "status": "",
        },
        title=f"Mineral deliveries to the {_destination(minerals, source)}, {_period(minerals['period_start'], minerals['period_end'])}, "
        "against the annual plan",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate=(
            "<b>%{y}</b><br>%{customdata[5]} of plan<br>delivered %{customdata[0]}<br>"
            "implied plan %{customdata[1]}<br>(between %{customdata[2]} and %{customdata[3]})<br>%{customdata[4]}<extra></extra>"
        )
    )
    # 100 is not a figure from the data: it is where deliveries equal the plan.
    fig.add_vline(x=100, line_dash="dash", line_color="black", annotation_text="plan met", annotation_position="top")
    return _lay_out(fig, row=24, narrow_row=28, top=28)


def _plan_year(minerals: pd.DataFrame) -> str:
    return " and ".join(str(year) for year in minerals["period_end"].dt.year.unique())


def _day(minerals: pd.DataFrame) -> str:
    last = pd.Timestamp(minerals["period_end"].max())
    return f"{last.day} {last:%B}"


def _section_titles(source: str | Path | None) -> pd.Series:
    return load_rows("sitc_divisions", source).drop_duplicates("section").set_index("section")["section_title"]


def _years(aid: pd.DataFrame) -> str:
    return " and ".join(str(year) for year in sorted(aid["year"].dropna().unique()))


def _donors(aid: pd.DataFrame) -> list[str]:
    """Every donor of the deliveries, in the order the paper lists them, as plotly shows text."""
    return [plain(donor) for donor in aid["donor"].astype(str).drop_duplicates()]


def aid_by_donor(include_implausible: bool = False, source: str | Path | None = None) -> go.Figure:
    """Tonnes delivered by each donor, by SITC section, on a log axis: a bar per donor and section, the donors down the side.

    ``include_implausible`` (True or False) adds the lines flagged in
    ``implausible_reason``, as :func:`aidstats.per_donor` does; it is checked
    before anything is read.  A donor that sent nothing measured in tonnes keeps
    its row, labelled, with a note that it has no bar.
    """
    include_implausible = flag(include_implausible, "include_implausible")
    aid = load_rows("aid_deliveries", source)
    totals = _aid_totals(aid, include_implausible, source)
    totals["class"] = totals["class"].map(plain)
    totals["donor"] = _plain_column(totals, "donor")
    totals["source"] = _wrap(_table_source(aid, source))
    totals["class_lines"] = totals["class"].map(_wrap)
    totals["legend"] = totals["class"].map(lambda text: _wrap(text, 28))
    donors = _donors(aid)
    fig = px.bar(
        totals,
        x="tonnes",
        y="donor",
        color="legend",
        orientation="h",
        barmode="group",
        log_x=True,
        custom_data=["class_lines", "lines", "source", "tonnes_text"],
        category_orders={"donor": donors},
        color_discrete_map=dict(zip(totals["legend"], totals["sitc_section"].map(_section_color), strict=True)),
        labels={"tonnes": "Tonnes (log scale)", "donor": "", "legend": "SITC (1950) section"},
        title=f"Goods delivered to the DPRK in {_years(aid)}, tonnes by donor and commodity class",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>%{customdata[3]} over %{customdata[1]} lines<br>%{customdata[2]}<extra></extra>"
    )
    # The paper's order top to bottom; every donor labelled, also one without a bar.
    fig.update_yaxes(categoryorder="array", categoryarray=donors, autorange="reversed")
    fig.update_xaxes(tickformat=",", dtick=1)  # 1, 10, 100, …: a log axis's labels that never crowd
    fig.update_layout(bargap=0.12)
    for donor in donors:
        if donor not in set(totals["donor"]):
            fig.add_annotation(
                x=0, xref="paper", xanchor="left", y=donor, text="nothing measured in tonnes", showarrow=False, font={"color": "#555"}
            )
    # On a phone 1k, 10k, 100k: "10,000" and "100,000" side by side would be turned aslant.
    return _lay_out(fig, row=72, narrow_row=66, narrow_xaxis={"tickformat": "~s"})


def _aid_totals(aid: pd.DataFrame, include_implausible: bool, source) -> pd.DataFrame:
    """Tonnes and commodity lines by donor and SITC section (what :func:`aid_by_donor` draws), each section with its title."""
    base = _fields("aid_deliveries", source)["quantity_base"]
    sections = _section_titles(source)
    totals = per_donor(aid, by="sitc_section", include_implausible=include_implausible).reset_index()
    totals = totals[totals["tonnes"] > 0].sort_values(["sitc_section", "donor_code"])
    section = totals["sitc_section"].astype(str)  # an enumeration (categorical); its title is looked up as text
    totals["sitc_section"] = section
    totals["section_title"] = section.map(sections)
    totals["class"] = section + " " + totals["section_title"]
    units = unit_symbols(source)
    totals["tonnes_text"] = [format_value(value, base, unit="t", symbols=units).text for value in totals["tonnes"]]
    return totals


def _composition(aid: pd.DataFrame, source) -> pd.DataFrame:
    """Commodity lines by donor and SITC section (what :func:`donor_composition` draws), in the paper's order of donors."""
    sections = _section_titles(source)
    counts = aid.groupby(["donor", "donor_code", "sitc_section"], observed=True, sort=False).size().rename("lines").reset_index()
    counts = counts[counts["lines"] > 0].astype({"donor": str, "donor_code": str, "sitc_section": str})
    counts["section_title"] = counts["sitc_section"].map(sections)
    order = {donor: i for i, donor in enumerate(aid["donor"].astype(str).drop_duplicates())}
    return counts.sort_values(["donor", "sitc_section"], key=lambda c: c.map(order) if c.name == "donor" else c).reset_index(drop=True)


def donor_composition(source: str | Path | None = None) -> go.Figure:
    """How many commodity lines each donor sent in each SITC section: a bar per donor, stacked by section, each part numbered.

    (A heatmap of donors by sections left its labels and numbers unreadable on a phone; a stacked bar
    labels every donor down the side and every section in the legend below.)
    """
    aid = load_rows("aid_deliveries", source)
    counts = _composition(aid, source)
    label = _wrap(_table_source(aid, source))
    donors = _donors(aid)
    fig = go.Figure()
    for section, rows in counts.groupby("sitc_section", sort=True):
        name = plain(f"{section} {rows['section_title'].iloc[0]}")
        fig.add_bar(
            x=rows["lines"].tolist(),
            y=[plain(donor) for donor in rows["donor"]],
            orientation="h",
            name=_wrap(name, 28),
            marker_color=_section_color(section),
            text=rows["lines"].tolist(),
            textposition="inside",
            insidetextanchor="middle",
            # The source goes in as data, not into the template, where a "%{…}" in it would be read as a placeholder.
            customdata=[[_wrap(name), label]] * len(rows),
            hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>%{x} commodity lines<br>%{customdata[1]}<extra></extra>",
        )
    fig.update_layout(
        title="Composition of each donor's deliveries: commodity lines by SITC (1950) section",
        template=TEMPLATE,
        barmode="stack",
        legend_title_text="SITC (1950) section",
        xaxis_title="Commodity lines",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=donors, autorange="reversed")
    return _lay_out(fig, row=34, narrow_row=34)


def _railway_caption(source) -> str:
    rail = load_rows("railway_damage", source)
    return f"Share of each railway asset reported lost for {_period(rail['period_start'], rail['period_end'])}; hover for the counts as printed."


def _plan_caption(source) -> str:
    minerals = load_rows("mineral_exports", source)
    return (
        f"Deliveries by {_day(minerals)} as a percentage of the whole {_plan_year(minerals)} plan; "
        "hover for the implied plan and its bounds."
    )


def _aid_caption(source) -> str:
    aid = load_rows("aid_deliveries", source)
    base = _fields("aid_deliveries", source)["quantity_base"]
    parts = ["Tonnes by donor and commodity class on a log scale."]
    tonnes, units = aid["base_unit"] == "t", unit_symbols(source)
    for row in aid[tonnes & aid["implausible_reason"].notna()].itertuples():
        parts.append(
            f"The implausible {format_value(row.quantity_base, base, unit='t', symbols=units).text} of {row.commodity} is left out."
        )
    # A package may leave the units code list out; its codes are then named as they are.
    titles = load_rows("units", source).set_index("unit")["title"] if "units" in list_tables(source) else pd.Series(dtype=str)
    for donor, rows in aid.groupby("donor", sort=False, observed=True):
        if not (rows["base_unit"] == "t").any():
            units = [titles.get(unit, unit) for unit in rows["base_unit"].unique()]
            listed = ", ".join(units[:-1]) + " and " + units[-1] if len(units) > 1 else units[0]
            parts.append(f"{donor} sent nothing measured in tonnes; its quantities are given in {listed}.")
    return " ".join(parts)


def _composition_caption(source) -> str:
    return "Number of commodity lines each donor sent in each class (quantities of different units are never added)."


def _json_cell(value):
    """A value of a chart's table as JSON holds it: a number as a number, a date as ISO text, missing as null."""
    if not _present(value):
        return None
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    if isinstance(value, (bool, int, float)):
        return value
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)


def _data_table(frame: pd.DataFrame, fields: list[dict], source) -> dict:
    """The numbers a chart shows, as the chart ships them (see :func:`chart_script`): ``columns`` (the
    package's names), ``headings`` (as the site heads them, with units), ``rows`` (the values as the
    data holds them, for the CSV) and ``shown`` (each written by :mod:`aidstats.text.numbers`, for the table view)."""
    symbols = unit_symbols(source)
    columns = [field["name"] for field in fields]
    return {
        "columns": columns,
        "headings": [heading(field, fields, symbols) for field in fields],
        "rows": [[_json_cell(value) for value in row] for row in frame[columns].itertuples(index=False)],
        "shown": [
            [_shown(value, field) for value, field in zip(row, fields, strict=True)] for row in frame[columns].itertuples(index=False)
        ],
    }


def _shown(value, field: dict) -> str:
    """A value as the site's tables show it: a code of words joined by underscores as words (``track and structures``)."""
    text = format_value(value, field).text
    return text.replace("_", " ") if text in field.get("constraints", {}).get("enum", []) else text


def _railway_table(source) -> dict:
    fields = _fields("railway_damage", source)
    return _data_table(
        load_rows("railway_damage", source),
        [fields[c] for c in ("asset", "asset_group", "lost", "prewar_total", "unit", "share_lost")],
        source,
    )


def _plan_table(source) -> dict:
    fields = _fields("mineral_exports", source)
    columns = [fields[c] for c in ("commodity", "delivered_t", "percent_of_plan", "plan_t", "plan_t_low", "plan_t_high")]
    status = {"name": "status", "type": "string", "title": "Against the plan"}
    return _data_table(plan_fulfilment(load_rows("mineral_exports", source)), [*columns, status], source)


# The columns a chart adds to the package's (sums and counts), described as a Table Schema field is.
LINES = {"name": "lines", "type": "integer", "title": "Commodity lines"}
TONNES = {"name": "tonnes", "type": "number", "title": "Tonnes", "unit": "t"}


def _aid_columns(source) -> list[dict]:
    fields = _fields("aid_deliveries", source)
    return [fields["donor"], fields["donor_code"], fields["sitc_section"], _fields("sitc_divisions", source)["section_title"], LINES]


def _aid_table(source) -> dict:
    aid = load_rows("aid_deliveries", source)
    order = {donor: i for i, donor in enumerate(aid["donor"].astype(str).drop_duplicates())}
    totals = _aid_totals(aid, False, source).astype({"donor": str, "donor_code": str})
    totals = totals.sort_values(["donor", "sitc_section"], key=lambda c: c.map(order) if c.name == "donor" else c)
    return _data_table(totals, [*_aid_columns(source), TONNES], source)


def _composition_table(source) -> dict:
    return _data_table(_composition(load_rows("aid_deliveries", source), source), _aid_columns(source), source)


class Chart(NamedTuple):
    """A chart: ``make(source=…)`` draws it, ``caption(source)`` says what it shows and ``table(source)`` gives
    the numbers it shows (:func:`_data_table`), all from the package in ``source``."""

    make: object
    caption: object
    table: object


CHARTS = {
    "railway_losses": Chart(railway_losses, _railway_caption, _railway_table),
    "plan_fulfilment": Chart(plan_fulfilment_chart, _plan_caption, _plan_table),
    "aid_by_donor": Chart(aid_by_donor, _aid_caption, _aid_table),
    "donor_composition": Chart(donor_composition, _composition_caption, _composition_table),
}

# How a page draws every chart: it resizes with its container, and has no plotly toolbar (charts.js puts
# the downloads and the table under the chart).
CONFIG = {"responsive": True, "displayModeBar": False}


def caption(name: str, source: str | Path | None = None) -> str:
    """The caption of chart ``name``, written from the data of the package in ``source`` (default: the bundled one)."""
    return CHARTS[name].caption(source)


def chart_entry(name: str, source: str | Path | None = None) -> dict:
    """What a page says of chart ``name`` around its plot: its ``name``, ``title`` (the page's heading
    of the chart, as text, not plotly's markup) and ``caption``."""
    return chart_parts(name, source)[0]


def chart_script(name: str, source: str | Path | None = None) -> str:
    """The one way a chart reaches a page: a script that files chart ``name`` under
    ``window.aidstatsCharts[name]``, for ``charts.js`` to draw into ``<div data-chart="name">``.

    The site ships it as ``assets/chart-<name>.js``; the dashboard writes it into the page.  It
    holds ``data`` and ``layout`` (plotly's figure, as a notebook or a downloaded image shows
    it), ``config``, ``title`` (as text), ``page`` and ``narrow`` (what a page changes in the
    layout, and what it changes besides when the chart's container is narrower than
    :data:`NARROW_WIDTH`; see :func:`_lay_out`) and ``table`` (the numbers it shows,
    :func:`_data_table`), all from the package.  The JSON is written compactly with its keys
    sorted (so a build is byte-identical), with ``</`` and ``<!--`` escaped, so no text in it can
    end the script or open a comment when it is written into a page; data text in labels and
    hovers was made plain by the chart function.
    """
    return chart_parts(name, source)[1]


def chart_parts(name: str, source: str | Path | None = None) -> tuple[dict, str]:
    """:func:`chart_entry` and :func:`chart_script` of chart ``name``, from one making of its figure:
    plotly validates every property it is given, so making a figure costs a tenth of a second or more,
    and a page needs both."""
    import json

    figure = json.loads(CHARTS[name].make(source=source).to_json())
    meta = figure["layout"].pop("meta", None) or {}
    title = html.unescape(figure["layout"].get("title", {}).get("text", ""))
    chart = {
        **figure,
        "config": CONFIG,
        "title": title,
        "page": meta.get("page", {}),
        "narrow": meta.get("narrow", {}),
        "table": CHARTS[name].table(source),
    }
    text = json.dumps(chart, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    # Inline in the dashboard, only "</" (which would end the script) and "<!--" (which would open an
    # HTML comment in it) could break out; both are written as JavaScript escapes of the same text.
    text = text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
    script = f"(window.aidstatsCharts = window.aidstatsCharts || {{}})[{json.dumps(name)}] = {text};\n"
    # The heights charts.js keeps for the chart on a page, wide and narrow, written into the page as well, so
    # that its room is kept before charts.js has run (see macros.html and site.css).
    height = chart["page"].get("height", figure["layout"].get("height"))
    heights = {"height": height, "narrow_height": chart["narrow"].get("height", height)}
    return {"name": name, "title": title, "caption": caption(name, source), **heights}, script


def plotly_js_version(text: str | None = None) -> str:
    """The version in the banner of a plotly.js bundle (by default, the bundle shipped in ``aidstats/web/assets/vendor``)."""
    text = BUNDLE.read_text(encoding="utf-8")[:300] if text is None else text[:300]
    found = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+\S*)", text)
    if found is None:
        raise ValueError(f"no 'plotly.js … vX.Y.Z' banner at the start of the plotly.js bundle: found {text[:80]!r}")
    return found.group(1)


def plotly_js() -> str:
    """The plotly.js the pages embed or ship: the partial bundle in ``aidstats/web/assets/vendor``.

    Figures must be drawn by the plotly.js version the installed plotly
    writes them for.  If the installed plotly bundles another version than
    the shipped partial bundle (plotly was upgraded), plotly's own full
    bundle is returned instead, with a warning: a heavier page that still
    draws right.
    """
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    wanted, shipped = get_plotlyjs_version(), plotly_js_version()
    if wanted != shipped:
        warnings.warn(
            f"the installed plotly writes figures for plotly.js {wanted}, but the bundle in {BUNDLE.parent} is {shipped}; "
            "using plotly's full bundle instead (see the README there to update the partial one)",
            stacklevel=2,
        )
        return get_plotlyjs()
    return BUNDLE.read_text(encoding="utf-8")


def plotly_cdn_url() -> str:
    """The plotly CDN address of the plotly.js the pages embed: the same partial bundle (:data:`PARTIAL_BUNDLE`) at the same version.

    The CDN names a partial bundle ``plotly-<bundle>-<version>.min.js``; the version is read from the
    shipped bundle's banner (:func:`plotly_js_version`).  Should the installed plotly want another
    version (see :func:`plotly_js`), the full bundle of the version it wants, as embedded then.
    """
    from plotly.offline import get_plotlyjs_version

    wanted, shipped = get_plotlyjs_version(), plotly_js_version()
    if wanted != shipped:
        return f"https://cdn.plot.ly/plotly-{wanted}.min.js"
    return f"https://cdn.plot.ly/plotly-{PARTIAL_BUNDLE}-{shipped}.min.js"


def plotly_integrity() -> str:
    """The Subresource Integrity value of :func:`plotly_cdn_url`'s file: ``sha384-`` and the base64 of the SHA-384 of
    the file the pages embed (the shipped bundle, or plotly's own as :func:`plotly_js` falls back to), so a browser
    runs the CDN's file only if it is byte for byte that one."""
    import base64
    import hashlib

    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    # The file's bytes as shipped (read as text, a "\r\n" would come back as "\n" and the hash would differ).
    data = BUNDLE.read_bytes() if get_plotlyjs_version() == plotly_js_version() else get_plotlyjs().encode("utf-8")
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")
