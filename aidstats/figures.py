"""One function per chart, each returning a plotly Figure (for notebooks and the dashboard).

Every hover names the source of the value: the footnote and the archival
document it cites.  Only this module and the dashboard import plotly.

Plotly reads the text of labels, legends and hovers as a small subset of
HTML (``<b>``, ``<br>``, ``<a href>``, entities), so every text that comes
from the data goes through :func:`plain` first and is shown as typed.
Each chart reads the bundled package, or the package folder (or URL) given
as ``source``.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from .cite import location
from .loader import load
from .summaries import per_donor, plan_fulfilment

TEMPLATE = "plotly_white"
GROUP_LABELS = {
    "buildings": "Buildings",
    "track_and_structures": "Track and structures",
    "communications_and_power": "Communications and power",
    "rolling_stock": "Rolling stock",
}


def plain(text) -> str:
    """``text`` as plotly shows it literally: ``&``, ``<`` and ``>`` as entities.

    Quotes are left alone: plotly's text is never an attribute value, and it
    decodes ``&amp;``, ``&lt;`` and ``&gt;`` but not ``&quot;``.

    >>> plain('<b>"a" & b</b>')
    '&lt;b&gt;"a" &amp; b&lt;/b&gt;'
    """
    return html.escape(str(text), quote=False)


def source_labels(source: str | Path | None = None) -> pd.Series:
    """'Footnote 45: <title> (<archive, fond, opis, …>)' for each source_id, escaped with :func:`plain`."""
    sources = load("sources", source).set_index("source_id")
    labels = {}
    for source_id, row in sources.iterrows():
        title = row["title"] if pd.notna(row["title"]) else row["citation"]
        where = location(row)
        label = f"Footnote {row['footnote']}: {title}" + (f" ({where})" if where else "") if pd.notna(row["footnote"]) else title
        labels[source_id] = plain(label)
    return pd.Series(labels)


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


def railway_losses(source: str | Path | None = None) -> go.Figure:
    """Share of each railway asset lost in the first half of 1951, grouped."""
    rail = load("railway_damage", source)
    rail = rail.assign(
        asset=_plain_column(rail, "asset"),
        group=rail["asset_group"].map(GROUP_LABELS),
        source=rail["source_id"].map(source_labels(source)).map(_wrap),
    )
    fig = px.bar(
        rail.sort_values(["asset_group", "share_lost"]),
        x="share_lost",
        y="asset",
        color="group",
        orientation="h",
        custom_data=["lost_as_printed", "prewar_total_as_printed", "unit", "source"],
        labels={"share_lost": "Share of prewar stock lost", "asset": "", "group": "Asset group"},
        title="DPRK railways: share of the prewar stock lost, January-June 1951",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate="<b>%{y}</b><br>lost %{customdata[0]} of %{customdata[1]} (%{customdata[2]})<br>share lost %{x:.1%}<br>%{customdata[3]}<extra></extra>"
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return fig


def plan_fulfilment_chart(source: str | Path | None = None) -> go.Figure:
    """Each mineral's deliveries by August 1951 as a percentage of the 1951 plan."""
    minerals = load("mineral_exports", source)
    plan = plan_fulfilment(minerals).merge(minerals[["commodity", "source_id"]], on="commodity")
    plan["source"] = plan["source_id"].map(source_labels(source)).map(_wrap)
    plan["commodity"] = _plain_column(plan, "commodity")
    plan = plan.sort_values("percent_of_plan")
    fig = px.bar(
        plan,
        x="percent_of_plan",
        y="commodity",
        color="status",
        orientation="h",
        custom_data=["delivered_t", "plan_t", "plan_t_low", "plan_t_high", "source"],
        color_discrete_map={"under plan": "#c0504d", "at plan": "#999999", "over plan": "#4f81bd"},
        labels={"percent_of_plan": "Percent of the 1951 plan delivered by 31 August", "commodity": "", "status": ""},
        title="Mineral deliveries to the USSR, January-August 1951, against the annual plan",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate=(
            "<b>%{y}</b><br>%{x}% of plan<br>delivered %{customdata[0]:,} t<br>"
            "implied plan %{customdata[1]:,.1f} t (between %{customdata[2]:,.1f} and %{customdata[3]:,.1f})<br>%{customdata[4]}<extra></extra>"
        )
    )
    fig.add_vline(x=100, line_dash="dash", line_color="black", annotation_text="100% of plan", annotation_position="top")
    return fig


def _section_titles(source: str | Path | None) -> pd.Series:
    return load("sitc_divisions", source).drop_duplicates("section").set_index("section")["section_title"]


def aid_by_donor(include_implausible: bool = False, source: str | Path | None = None) -> go.Figure:
    """Tonnes delivered by each donor, by SITC section, on a log axis."""
    sections = _section_titles(source)
    totals = per_donor(load("aid_deliveries", source), by="sitc_section", include_implausible=include_implausible).reset_index()
    totals = totals[totals["tonnes"] > 0].sort_values(["sitc_section", "donor_code"])
    totals["class"] = (totals["sitc_section"].astype(str) + " " + totals["sitc_section"].map(sections)).map(plain)
    totals["donor"] = _plain_column(totals, "donor")
    totals["source"] = _wrap(source_labels(source)["fn53"])
    fig = px.bar(
        totals,
        x="donor",
        y="tonnes",
        color="class",
        barmode="group",
        log_y=True,
        custom_data=["class", "lines", "source"],
        labels={"tonnes": "Tonnes (log scale)", "donor": "", "class": "SITC (1950) section"},
        title="Goods delivered to the DPRK in 1951, tonnes by donor and commodity class",
        template=TEMPLATE,
    )
    fig.update_traces(
        hovertemplate="<b>%{x}</b>, %{customdata[0]}<br>%{y:,.1f} t over %{customdata[1]} lines<br>%{customdata[2]}<extra></extra>"
    )
    return fig


def donor_composition(source: str | Path | None = None) -> go.Figure:
    """How many commodity lines each donor sent in each SITC section."""
    aid = load("aid_deliveries", source)
    sections = _section_titles(source)
    counts = aid.groupby(["donor", "sitc_section"], observed=True).size().unstack(fill_value=0)
    counts.columns = [plain(f"{s} {sections[s]}") for s in counts.columns]
    label = _wrap(source_labels(source)["fn53"])
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


CHARTS = {
    "railway_losses": (railway_losses, "Share of each railway asset lost in the first half of 1951; hover for the counts as printed."),
    "plan_fulfilment": (
        plan_fulfilment_chart,
        "Deliveries by 31 August as a percentage of the whole 1951 plan; hover for the implied plan and its bounds.",
    ),
    "aid_by_donor": (
        aid_by_donor,
        "Tonnes by donor and commodity class on a log scale. The implausible 1,250,000 t of handicraft equipment is left out; "
        "Czechoslovakia sent nothing measured in tonnes (machines, vehicles, instruments and goods counted in pairs or units).",
    ),
    "donor_composition": (
        donor_composition,
        "Number of commodity lines each donor sent in each class (quantities of different units are never added).",
    ),
}


def chart_html(name: str, source: str | Path | None = None) -> str:
    """The ``<div>`` and ``<script>`` that draw chart ``name``, for a page that loads plotly.js itself.

    Plotly writes the figure's JSON with ``<``, ``>`` and ``/`` escaped, so no
    text in it can end the script; data text in labels and hovers was made
    plain by the chart function.
    """
    make, _ = CHARTS[name]
    return make(source=source).to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{name}", config={"responsive": True})
