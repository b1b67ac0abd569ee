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

The pages draw the charts with plotly.js's partial "cartesian" bundle,
shipped in ``aidstats/web/assets/vendor`` (see :func:`plotly_js`).
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
from aidstats.loader import list_tables, load, package_root, resource
from aidstats.publish.cite import location
from aidstats.publish.tables import unit_symbols
from aidstats.summaries import per_donor, plan_fulfilment
from aidstats.text.numbers import DIGITS, format_number, format_value

TEMPLATE = "plotly_white"
BUNDLE = Path(__file__).resolve().parent / "assets" / "vendor" / "plotly-cartesian.min.js"


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
    sources = load("sources", source).set_index("source_id")
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


def _wrap(text: str, width: int = 90) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if len(line) + len(word) > width:
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


def railway_losses(source: str | Path | None = None) -> go.Figure:
    """Share of each railway asset lost over the period the table covers, grouped."""
    rail = load("railway_damage", source)
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
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return fig


def _destination(minerals: pd.DataFrame, source) -> str:
    names = load("donors", source).set_index("code")["name"]
    return " and ".join(plain(names.get(code, code)) for code in minerals["destination"].unique())


def plan_fulfilment_chart(source: str | Path | None = None) -> go.Figure:
    """Each mineral's deliveries over the reported period as a percentage of the year's plan."""
    minerals = load("mineral_exports", source)
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
            "implied plan %{customdata[1]} (between %{customdata[2]} and %{customdata[3]})<br>%{customdata[4]}<extra></extra>"
        )
    )
    # 100 is not a figure from the data: it is where deliveries equal the plan.
    fig.add_vline(x=100, line_dash="dash", line_color="black", annotation_text="plan met", annotation_position="top")
    return fig


def _plan_year(minerals: pd.DataFrame) -> str:
    return " and ".join(str(year) for year in minerals["period_end"].dt.year.unique())


def _day(minerals: pd.DataFrame) -> str:
    last = pd.Timestamp(minerals["period_end"].max())
    return f"{last.day} {last:%B}"


def _section_titles(source: str | Path | None) -> pd.Series:
    return load("sitc_divisions", source).drop_duplicates("section").set_index("section")["section_title"]


def _years(aid: pd.DataFrame) -> str:
    return " and ".join(str(year) for year in sorted(aid["year"].dropna().unique()))


def aid_by_donor(include_implausible: bool = False, source: str | Path | None = None) -> go.Figure:
    """Tonnes delivered by each donor, by SITC section, on a log axis.

    ``include_implausible`` (True or False) adds the lines flagged in
    ``implausible_reason``, as :func:`aidstats.per_donor` does; it is checked
    before anything is read.
    """
    include_implausible = flag(include_implausible, "include_implausible")
    aid = load("aid_deliveries", source)
    base = _fields("aid_deliveries", source)["quantity_base"]
    sections = _section_titles(source)
    totals = per_donor(aid, by="sitc_section", include_implausible=include_implausible).reset_index()
    totals = totals[totals["tonnes"] > 0].sort_values(["sitc_section", "donor_code"])
    section = totals["sitc_section"].astype(str)  # an enumeration (categorical); its title is looked up as text
    totals["class"] = (section + " " + section.map(sections)).map(plain)
    totals["donor"] = _plain_column(totals, "donor")
    units = unit_symbols(source)
    totals["tonnes_text"] = [format_value(value, base, unit="t", symbols=units).text for value in totals["tonnes"]]
    totals["source"] = _wrap(_table_source(aid, source))
    fig = px.bar(
        totals,
        x="donor",
        y="tonnes",
        color="class",
        barmode="group",
        log_y=True,
        custom_data=["class", "lines", "source", "tonnes_text"],
        labels={"tonnes": "Tonnes (log scale)", "donor": "", "class": "SITC (1950) section"},
        title=f"Goods delivered to the DPRK in {_years(aid)}, tonnes by donor and commodity class",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate="<b>%{x}</b>, %{customdata[0]}<br>%{customdata[3]} over %{customdata[1]} lines<br>%{customdata[2]}<extra></extra>"
    )
    return fig


def donor_composition(source: str | Path | None = None) -> go.Figure:
    """How many commodity lines each donor sent in each SITC section."""
    aid = load("aid_deliveries", source)
    sections = _section_titles(source)
    counts = aid.groupby(["donor", "sitc_section"], observed=True).size().unstack(fill_value=0)
    counts.columns = [plain(f"{s} {sections[s]}") for s in counts.columns]
    label = _wrap(_table_source(aid, source))
    fig = go.Figure(
        go.Heatmap(
            z=counts.to_numpy(),
            x=list(counts.columns),
            y=[plain(donor) for donor in counts.index],
            text=counts.to_numpy(),
            texttemplate="%{text}",
            # The source goes in as data, not into the template, where a "%{…}" in it would be read as a placeholder.
            customdata=[[label] * counts.shape[1]] * counts.shape[0],
            colorscale="Blues",
            hovertemplate="<b>%{y}</b>, %{x}<br>%{z} commodity lines<br>%{customdata}<extra></extra>",
            colorbar={"title": "lines"},
        )
    )
    fig.update_layout(title="Composition of each donor's deliveries: commodity lines by SITC (1950) section", template=TEMPLATE)
    return fig


def _railway_caption(source) -> str:
    rail = load("railway_damage", source)
    return f"Share of each railway asset reported lost for {_period(rail['period_start'], rail['period_end'])}; hover for the counts as printed."


def _plan_caption(source) -> str:
    minerals = load("mineral_exports", source)
    return (
        f"Deliveries by {_day(minerals)} as a percentage of the whole {_plan_year(minerals)} plan; "
        "hover for the implied plan and its bounds."
    )


def _aid_caption(source) -> str:
    aid = load("aid_deliveries", source)
    base = _fields("aid_deliveries", source)["quantity_base"]
    parts = ["Tonnes by donor and commodity class on a log scale."]
    tonnes, units = aid["base_unit"] == "t", unit_symbols(source)
    for row in aid[tonnes & aid["implausible_reason"].notna()].itertuples():
        parts.append(
            f"The implausible {format_value(row.quantity_base, base, unit='t', symbols=units).text} of {row.commodity} is left out."
        )
    # A package may leave the units code list out; its codes are then named as they are.
    titles = load("units", source).set_index("unit")["title"] if "units" in list_tables(source) else pd.Series(dtype=str)
    for donor, rows in aid.groupby("donor", sort=False, observed=True):
        if not (rows["base_unit"] == "t").any():
            units = [titles.get(unit, unit) for unit in rows["base_unit"].unique()]
            listed = ", ".join(units[:-1]) + " and " + units[-1] if len(units) > 1 else units[0]
            parts.append(f"{donor} sent nothing measured in tonnes; its quantities are given in {listed}.")
    return " ".join(parts)


def _composition_caption(source) -> str:
    return "Number of commodity lines each donor sent in each class (quantities of different units are never added)."


class Chart(NamedTuple):
    """A chart: ``make(source=…)`` draws it, ``caption(source)`` says what it shows, both from the package in ``source``."""

    make: object
    caption: object


CHARTS = {
    "railway_losses": Chart(railway_losses, _railway_caption),
    "plan_fulfilment": Chart(plan_fulfilment_chart, _plan_caption),
    "aid_by_donor": Chart(aid_by_donor, _aid_caption),
    "donor_composition": Chart(donor_composition, _composition_caption),
}


def caption(name: str, source: str | Path | None = None) -> str:
    """The caption of chart ``name``, written from the data of the package in ``source`` (default: the bundled one)."""
    return CHARTS[name].caption(source)


def chart_script(name: str, source: str | Path | None = None) -> str:
    """The one way a chart reaches a page: a script that files the figure of chart ``name`` under
    ``window.aidstatsCharts[name]``, for ``site.js`` to draw into ``<div data-chart="name">``.

    The site ships it as ``assets/chart-<name>.js``; the dashboard writes it into the page.
    The figure is plotly's JSON, written compactly with its keys sorted (so a build is
    byte-identical), with ``</`` and ``<!--`` escaped, so no text in it can end the script or open a
    comment when it is written into a page; data text in labels and hovers was made plain by the chart function.
    """
    import json

    figure = json.loads(CHARTS[name].make(source=source).to_json())
    text = json.dumps(figure, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    # Inline in the dashboard, only "</" (which would end the script) and "<!--" (which would open an
    # HTML comment in it) could break out; both are written as JavaScript escapes of the same text.
    text = text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
    return f"(window.aidstatsCharts = window.aidstatsCharts || {{}})[{json.dumps(name)}] = {text};\n"


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
    """The plotly CDN address of the plotly.js the installed plotly bundles (not the Python package's version)."""
    from plotly.offline import get_plotlyjs_version

    return f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
