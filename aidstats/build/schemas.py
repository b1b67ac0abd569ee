"""The tables: one pandera model each, the single source of truth.

Each model says, for every column, its type, constraints, title, description
and unit.  ``datapackage.json``, the documentation's data dictionary and the tests are
generated from here.  A column with ``derived_from`` in its metadata is
computed by the build; every other column is transcribed in ``raw/<table>.csv``.

A model becomes a table of the package by its ``@table(...)`` decorator, which
adds it to :data:`TABLES` with its keys and its derivation; the tables are in
the order their models are declared here.  Nothing else lists them: the build,
the descriptor, the validator, the site, the exports and the tests all read
:data:`TABLES` or the ``datapackage.json`` made from it.

This module imports pandera, so only the build and the validator import it:
loading a table never does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from aidstats.build import derive

Text = Series[pd.StringDtype]
Whole = Series[pd.Int64Dtype]
Real = Series[float]
Date = Series[pd.Timestamp]
Enum = Series[pd.CategoricalDtype]

ISO_DATE_OR_INTERVAL = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"

# A number as printed: digits with optional thousands commas and decimals.
PRINTED_NUMBER = r"^(\d{1,3}(,\d{3})*|\d+)(\.\d+)?$"


def column(title: str, description: str, *, unit: str | None = None, derived_from: list[str] | None = None, **checks):
    """A pandera Field carrying the metadata the data package publishes."""
    metadata = {"unit": unit, "derived_from": derived_from}
    return pa.Field(title=title, description=description, metadata=metadata, **checks)


def quote_column():
    return column(
        "Quote",
        "The shortest verbatim span of the paper that contains this row's figures; it occurs in raw/source/ and in a row of the passages table.",
    )


# The ten SITC (1950) sections: every section column is this enumeration (categorical, one set of
# categories, so section columns of different tables join and concatenate as one dtype).
SITC_SECTIONS = [str(section) for section in range(10)]


def sitc_column(level: str):
    # The ten sections are an enumeration (so the site offers them as a facet); divisions are a code list.
    checks = {"isin": SITC_SECTIONS} if level == "section" else {}
    return column(f"SITC {level}", f"SITC (1950) {level} of the commodity, from commodity_classes.", derived_from=["commodity"], **checks)


def source_column():
    return column(
        "Source",
        "The footnote the paper attaches to the sentence this row quotes (its register row in the sources table; "
        "where that footnote is an 'Ibid.' or a repeat, the register's full_citation_id leads to the full citation).",
    )


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str
    reference: list[str]


@dataclass(frozen=True)
class Table:
    """What the build needs to know about a table beyond its columns (see :func:`table`)."""

    model: type[pa.DataFrameModel]
    primary_key: list[str]
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    # Columns whose text must occur in the row's quote as a whole word or number (not inside a longer one).
    printed_in_quote: list[str] = field(default_factory=list)
    # Tables its computed columns are looked up in (besides its foreign keys).
    uses: list[str] = field(default_factory=list)
    # Computes the columns whose metadata has derived_from; None for a table without any.
    derive: Callable | None = None

    @property
    def name(self) -> str:
        return self.model.Config.name


TABLES: dict[str, Table] = {}
"""Every table by name, filled by :func:`table` in the order the models are declared below.

That order is the build order (a table's foreign keys and lookups point only to
tables declared before it) and the order of ``datapackage.json``, the site, the
exports and the documentation.
"""


def table(
    primary_key: Sequence[str],
    *,
    foreign_keys: Sequence[ForeignKey] = (),
    printed_in_quote: Sequence[str] = (),
    uses: Sequence[str] = (),
    derive: Callable | None = None,
):
    """Declare the decorated model a table of the package, in :data:`TABLES`.

    Parameters
    ----------
    primary_key
        The columns that identify a row.
    foreign_keys
        Columns whose values must be keys of another table (or of this one), declared above this one.
    printed_in_quote
        Columns whose text must occur in the row's ``quote`` as a whole word or number.
    uses
        Tables, declared above this one, that ``derive`` looks values up in besides its foreign keys.
    derive
        A function of :mod:`aidstats.build.derive` that computes the columns whose metadata has
        ``derived_from``: it takes the checked raw frame (index: CSV line), the tables built so far
        by name and the file name to show, and returns the frame with those columns and a list of
        problems.  Needed exactly when the model has such columns (a derivation may also only check).

    Raises
    ------
    TypeError
        If the declaration does not fit the model: a name that cannot be a file name, a missing
        title or description, an unknown column, a table referred to before it is declared, or
        computed columns without a ``derive`` function.  The message says which and what to do.
    """

    def register(model: type[pa.DataFrameModel]) -> type[pa.DataFrameModel]:
        declared = Table(model, list(primary_key), list(foreign_keys), list(printed_in_quote), list(uses), derive)
        problems = _declaration_problems(declared)
        if problems:
            raise TypeError(f"the table model {model.__name__} in aidstats/build/schemas.py: " + "; ".join(problems))
        TABLES[declared.name] = declared
        return model

    return register


def _declaration_problems(declared: Table) -> list[str]:
    config, name = declared.model.Config, declared.model.Config.name
    columns = list(declared.model.to_schema().columns)
    problems = []
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        problems.append(f"Config.name is {name!r}; expected a snake_case name, the stem of its raw file raw/<name>.csv")
    elif name in TABLES:
        problems.append(f"Config.name {name!r} is already the name of {TABLES[name].model.__name__}; expected a new name")
    problems += [
        f"Config.{key} is missing; expected a sentence for datapackage.json"
        for key in ("title", "description")
        if not getattr(config, key, None)
    ]
    named = [("primary key", c) for c in declared.primary_key] + [("printed_in_quote", c) for c in declared.printed_in_quote]
    named += [("foreign key", c) for key in declared.foreign_keys for c in key.fields]
    problems += [f"its {role} names {c!r}, which is not one of its columns ({', '.join(columns)})" for role, c in named if c not in columns]
    for key in declared.foreign_keys:
        target = declared if key.resource == name else TABLES.get(key.resource)
        if target is None:
            problems.append(
                f"its foreign key {key.fields} refers to {key.resource!r}, which is not declared above it; expected one of: {', '.join(TABLES)}"
            )
        elif missing := [c for c in key.reference if c not in target.model.to_schema().columns]:
            problems.append(f"its foreign key {key.fields} refers to {missing} of {key.resource}, which has no such column")
    problems += [
        f"it uses {other!r}, which is not declared above it; expected one of: {', '.join(TABLES)}"
        for other in declared.uses
        if other not in TABLES
    ]
    computed = [c for c, col in declared.model.to_schema().columns.items() if (col.metadata or {}).get("derived_from")]
    if computed and declared.derive is None:
        problems.append(
            f"its columns {', '.join(computed)} are computed (derived_from in their metadata) but no derive= function computes them; "
            "write one in aidstats/build/derive.py and pass derive=derive.<function>"
        )
    return problems


SOURCE_FK = ForeignKey(["source_id"], "sources", ["source_id"])


@table(["source_id"], foreign_keys=[ForeignKey(["full_citation_id"], "sources", ["source_id"])])
class Sources(pa.DataFrameModel):
    source_id: Text = column(
        "Source ID",
        "Stable identifier: 'fnNN' is the first document footnote NN cites, 'fnNN_2', 'fnNN_3', … the further documents "
        "the same footnote cites, in printed order; 'weathersby' is the paper itself.",
        str_matches=r"^(weathersby|fn\d+(_\d+)?)$",
    )
    kind: Enum = column(
        "Kind",
        "'paper' for the study itself, 'archival_document' for an archival document it cites, 'publication' for a published work it cites.",
        isin=["paper", "archival_document", "publication"],
    )
    footnote: Whole = column("Footnote", "Number of the footnote of the paper that prints this citation.", nullable=True, ge=1)
    citation: Text = column(
        "Citation",
        "This document's citation exactly as the footnote prints it (an 'Ibid.' prints only 'Ibid.' and perhaps pages); "
        "for the paper, its bibliographic reference.",
    )
    archive: Enum = column(
        "Archive",
        "Archive as printed in this footnote: AVPRF (Foreign Policy), APRF (Presidential), RTsKhIDNI (party records).",
        nullable=True,
        isin=["AVPRF", "APRF", "RTsKhIDNI"],
    )
    fond: Text = column("Fond", "Fond (collection) number as printed in this footnote.", nullable=True)
    opis: Text = column("Opis", "Opis (inventory) number as printed in this footnote.", nullable=True)
    delo: Text = column("Delo", "Delo (file) number, where the footnote prints 'Delo'.", nullable=True)
    por: Text = column("Por.", "Poryadkovyi nomer (item) number, where the footnote prints 'Por'.", nullable=True)
    papka: Text = column("Papka", "Papka (folder) number as printed in this footnote.", nullable=True)
    listy: Text = column("Listy", "Folio range as printed in this footnote.", nullable=True, str_matches=r"^\d+(-\d+)?(, \d+(-\d+)?)*$")
    pages: Text = column(
        "Pages",
        "Pages this footnote gives: of a publication, of the published text or translation of a document, or of the document itself "
        "after an 'Ibid.'; for a bare 'Ibid.', the pages it repeats from the footnote before.",
        nullable=True,
        str_matches=r"^\d+(-\d+)?$",
    )
    title: Text = column(
        "Title",
        "Title of the document as printed, without quotation marks; for an untitled document, the description the footnote gives, "
        "as a contiguous span of it (a trailing date is left out; a date inside the description stays, as in footnotes 19 and 55).",
        nullable=True,
    )
    author: Text = column("Author", "The author's name or names as this footnote prints them, without position.", nullable=True)
    author_position: Text = column("Author's position", "The author's position as this footnote prints it.", nullable=True)
    date: Text = column(
        "Date",
        "Date of the document as an ISO 8601 date, month or interval, where the footnote prints one.",
        nullable=True,
        str_matches=ISO_DATE_OR_INTERVAL,
    )
    full_citation_id: Text = column(
        "Full citation",
        "For an 'Ibid.' or a repeated citation: the source_id of the nearest earlier footnote that cites the same document in full "
        "(an 'Ibid.' chain is followed to it), so the archival location is one join away. Empty for a document's first full citation.",
        nullable=True,
    )
    note: Text = column("Note", "What a reader should know about this citation.", nullable=True)

    @pa.dataframe_check(error="a citation that begins 'Ibid.' has a full_citation_id")
    def ibid_has_full_citation(cls, df: pd.DataFrame) -> pd.Series:
        return ~df["citation"].str.startswith("Ibid") | df["full_citation_id"].notna()

    @pa.dataframe_check(error="full_citation_id names a row of an earlier footnote whose citation is a full one, not an 'Ibid.'")
    def full_citation_is_earlier_and_full(cls, df: pd.DataFrame) -> pd.Series:
        target = df.set_index("source_id")
        points = df["full_citation_id"]
        earlier = points.map(target["footnote"]).lt(df["footnote"])
        full = ~points.map(target["citation"]).str.startswith("Ibid")
        return points.isna() | (earlier & full).fillna(False).astype(bool)

    class Config:
        name = "sources"
        title = "Source register"
        description = (
            "The paper and every document cited in a footnote that a table cites, one row per footnote and document, "
            "with the citation as that footnote prints it and parsed; an 'Ibid.' or repeated citation links to the full citation."
        )
        strict = True
        coerce = True


@table(["code"])
class Donors(pa.DataFrameModel):
    code: Text = column(
        "ISO code", "ISO 3166-1 alpha-3 code; for a state that no longer exists, its withdrawn code.", str_matches=r"^[A-Z]{3}$"
    )
    name: Text = column("Name", "The country's name as printed in the paper.")
    iso_status: Enum = column("ISO status", "Whether the code is current or withdrawn from ISO 3166-1.", isin=["current", "withdrawn"])
    iso3166_3_code: Text = column(
        "ISO 3166-3 code", "Four-letter ISO 3166-3 code of a withdrawn country name.", nullable=True, str_matches=r"^[A-Z]{4}$"
    )
    note: Text = column("Note", "Remarks on the code.", nullable=True)

    @pa.dataframe_check(error="iso3166_3_code is filled in exactly when iso_status is withdrawn (ISO 3166-3)")
    def withdrawn_has_iso3166_3(cls, df: pd.DataFrame) -> pd.Series:
        return (df["iso_status"] == "withdrawn") == df["iso3166_3_code"].notna()

    class Config:
        name = "donors"
        title = "Countries"
        description = "Code list of the countries the tables name: the bloc states that delivered goods, and the USSR, destination of the mineral exports."
        strict = True
        coerce = True


@table(["unit"], foreign_keys=[ForeignKey(["base_unit"], "units", ["unit"])])
class Units(pa.DataFrameModel):
    unit: Text = column("Unit", "Unit code used in the tables.", str_matches=r"^[a-z_]+$")
    title: Text = column("Title", "What the unit is.")
    dimension: Text = column("Dimension", "What the unit measures; quantities are added only within one dimension.")
    base_unit: Text = column("Base unit", "The unit quantities of this dimension are converted to.")
    factor_to_base: Real = column("Factor to base", "Multiply a quantity in this unit by this factor to get the base unit.", gt=0)
    printed_as: Text = column("Printed as", "The words the paper prints for this unit, separated by '|'.", nullable=True)

    class Config:
        name = "units"
        title = "Units"
        description = "Code list of units, with their dimension and conversion to a base unit (tonnes, metres, items)."
        strict = True
        coerce = True


@table(["division"])
class SitcDivisions(pa.DataFrameModel):
    division: Text = column(
        "SITC division",
        "Two-digit division of the Standard International Trade Classification, original edition (1950).",
        str_matches=r"^\d{2}$",
    )
    title: Text = column("Title", "Short title of the division.")
    section: Enum = column("SITC section", "One-digit section the division belongs to.", isin=SITC_SECTIONS)
    section_title: Text = column("Section title", "Short title of the section.")

    @pa.dataframe_check(error="a division's first digit is its section")
    def division_in_section(cls, df: pd.DataFrame) -> pd.Series:
        return df["division"].str[0] == df["section"]

    class Config:
        name = "sitc_divisions"
        title = "SITC (original, 1950) sections and divisions"
        description = (
            "Code list of the 10 sections and 52 divisions of the United Nations Standard International Trade Classification "
            "in its original 1950 edition (Statistical Papers, Series M, No. 10), the classification contemporary with the data. "
            "Titles are short forms; the list was compiled without a printed copy of the classification at hand and should be checked against one."
        )
        strict = True
        coerce = True


@table(
    ["table", "commodity"],
    foreign_keys=[ForeignKey(["sitc_division"], "sitc_divisions", ["division"])],
    derive=derive.commodity_classes,
)
class CommodityClasses(pa.DataFrameModel):
    table: Enum = column("Table", "The table the commodity appears in.", isin=["mineral_exports", "aid_deliveries"])
    commodity: Text = column("Commodity", "The commodity as printed, as in that table.")
    sitc_section: Enum = column("SITC section", "One-digit SITC (1950) section.", derived_from=["sitc_division"], isin=SITC_SECTIONS)
    sitc_division: Text = column("SITC division", "Two-digit SITC (1950) division.")
    rationale: Text = column("Rationale", "Why the commodity is classed here, and the alternative where the printed name is ambiguous.")

    class Config:
        name = "commodity_classes"
        title = "Commodities classified by SITC (original, 1950)"
        description = "Each commodity in mineral_exports and aid_deliveries mapped to a section and division of the original SITC, with a one-line rationale."
        strict = True
        coerce = True


@table(
    ["asset"],
    foreign_keys=[SOURCE_FK, ForeignKey(["unit"], "units", ["unit"])],
    printed_in_quote=["lost_as_printed", "prewar_total_as_printed", "asset"],
    derive=derive.railway_damage,
)
class RailwayDamage(pa.DataFrameModel):
    asset: Text = column("Asset", "The railway asset as printed.")
    asset_group: Enum = column(
        "Asset group",
        "Grouping added by aidstats.",
        isin=["buildings", "track_and_structures", "communications_and_power", "rolling_stock"],
    )
    lost: Whole = column(
        "Lost",
        "Number (or kilometres) the account lists as lost (see the caveat railway_loss_period for the period).",
        unit="from the unit column",
        derived_from=["lost_as_printed"],
        ge=0,
    )
    prewar_total: Whole = column(
        "Prewar total", "Prewar stock.", unit="from the unit column", derived_from=["prewar_total_as_printed"], gt=0
    )
    # A code of the units table (its foreign key checks it), text as in every other table that names a unit.
    unit: Text = column("Unit", "count or km.")
    share_lost: Real = column(
        "Share lost",
        "lost / prewar_total.",
        unit="fraction",
        derived_from=["lost_as_printed", "prewar_total_as_printed"],
        in_range={"min_value": 0, "max_value": 1},
    )
    period_start: Date = column(
        "Period start", "First day of the half-year the account covers; the losses it lists may be older (railway_loss_period)."
    )
    period_end: Date = column(
        "Period end", "Last day of the half-year the account covers; the losses it lists may be older (railway_loss_period)."
    )
    source_id: Text = source_column()
    quote: Text = quote_column()
    lost_as_printed: Text = column("Lost as printed", "The lost figure exactly as printed.", str_matches=PRINTED_NUMBER)
    prewar_total_as_printed: Text = column("Prewar total as printed", "The prewar figure exactly as printed.", str_matches=PRINTED_NUMBER)

    @pa.dataframe_check(error="lost must not exceed prewar_total")
    def lost_within_prewar(cls, df: pd.DataFrame) -> pd.Series:
        return df["lost"] <= df["prewar_total"]

    @pa.dataframe_check(error="period_end must not be before period_start")
    def period_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["period_end"] >= df["period_start"]

    class Config:
        name = "railway_damage"
        title = "Losses of the DPRK railways reported for the first half of 1951"
        description = (
            "Railway assets that the DPRK Ministry of Communications' account for the first half of 1951 lists as lost, against the "
            "prewar stock, as reported by the Soviet embassy (footnote 45). The paper puts the losses in that half-year ('over this "
            "period of time'); whether they were suffered then or had accumulated since the war began is doubted in the caveat "
            "railway_loss_period."
        )
        strict = True
        coerce = True


@table(
    ["commodity"],
    foreign_keys=[
        SOURCE_FK,
        ForeignKey(["destination"], "donors", ["code"]),
        ForeignKey(["sitc_division"], "sitc_divisions", ["division"]),
    ],
    printed_in_quote=["delivered_as_printed", "percent_of_plan_as_printed", "commodity"],
    uses=["commodity_classes"],
    derive=derive.mineral_exports,
)
class MineralExports(pa.DataFrameModel):
    commodity: Text = column("Commodity", "The mineral product as printed.")
    delivered_t: Real = column(
        "Delivered", "Tonnes delivered to the USSR from 1 January to 31 August 1951.", unit="t", derived_from=["delivered_as_printed"], gt=0
    )
    percent_of_plan: Real = column(
        "Percent of plan",
        "Delivered as a percentage of the 1951 annual plan, as printed.",
        unit="percent",
        derived_from=["percent_of_plan_as_printed"],
        gt=0,
    )
    plan_t: Real = column(
        "Implied plan",
        "The implied 1951 plan: delivered_t / percent_of_plan × 100.",
        unit="t",
        derived_from=["delivered_as_printed", "percent_of_plan_as_printed"],
        gt=0,
    )
    plan_t_low: Real = column(
        "Implied plan, lower bound",
        "Lower bound (exclusive) of the implied plan given the printed precision of the percent: '32%' means 31.5 ≤ p < 32.5.",
        unit="t",
        derived_from=["delivered_as_printed", "percent_of_plan_as_printed"],
        gt=0,
    )
    plan_t_high: Real = column(
        "Implied plan, upper bound",
        "Upper bound of the implied plan given the printed precision of the percent.",
        unit="t",
        derived_from=["delivered_as_printed", "percent_of_plan_as_printed"],
        gt=0,
    )
    period_start: Date = column("Period start", "First day of the delivery period.")
    period_end: Date = column("Period end", "Last day of the delivery period.")
    destination: Text = column("Destination", "ISO code of the receiving country: SUN, the withdrawn code of the USSR.")
    source_id: Text = source_column()
    quote: Text = quote_column()
    sitc_section: Enum = sitc_column("section")
    sitc_division: Text = sitc_column("division")
    delivered_as_printed: Text = column("Delivered as printed", "The tonnage exactly as printed.", str_matches=PRINTED_NUMBER)
    percent_of_plan_as_printed: Text = column(
        "Percent of plan as printed", "The percentage exactly as printed, without the % sign.", str_matches=PRINTED_NUMBER
    )

    @pa.dataframe_check(error="plan_t must lie between plan_t_low and plan_t_high")
    def plan_within_bounds(cls, df: pd.DataFrame) -> pd.Series:
        return (df["plan_t_low"] < df["plan_t"]) & (df["plan_t"] <= df["plan_t_high"])

    @pa.dataframe_check(error="period_end must not be before period_start")
    def period_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["period_end"] >= df["period_start"]

    class Config:
        name = "mineral_exports"
        title = "Mineral deliveries from the DPRK to the USSR, January-August 1951"
        description = (
            "Mineral products North Korea delivered to the Soviet Union in the first eight months of 1951, "
            "each with its percentage of the 1951 annual plan, from the Soviet embassy's report on the export-import plan (footnote 48)."
        )
        strict = True
        coerce = True


@table(
    ["seq"],
    foreign_keys=[
        SOURCE_FK,
        ForeignKey(["donor_code", "donor"], "donors", ["code", "name"]),
        ForeignKey(["unit"], "units", ["unit"]),
        ForeignKey(["base_unit"], "units", ["unit"]),
        ForeignKey(["sitc_division"], "sitc_divisions", ["division"]),
    ],
    printed_in_quote=["quantity_as_printed", "commodity"],
    uses=["commodity_classes"],
    derive=derive.aid_deliveries,
)
class AidDeliveries(pa.DataFrameModel):
    seq: Whole = column("Sequence", "Position in the printed list.", ge=1)
    donor: Text = column("Donor", "The delivering country as printed.")
    donor_code: Text = column("Donor code", "ISO 3166-1 alpha-3 code of the donor (CSK, withdrawn, for Czechoslovakia).")
    commodity: Text = column("Commodity", "The goods as printed, without quantity or unit.")
    quantity: Whole = column(
        "Quantity",
        "The quantity as a number, in the unit of the unit column.",
        unit="from the unit column",
        derived_from=["quantity_as_printed"],
        gt=0,
    )
    unit: Text = column("Unit", "Unit of quantity, from the units code list.")
    quantity_as_printed: Text = column("Quantity as printed", "The quantity exactly as printed, with its unit word where one is printed.")
    quantity_base: Real = column(
        "Quantity in base unit",
        "quantity converted to the base unit of its dimension.",
        unit="from the base_unit column",
        derived_from=["quantity_as_printed", "unit"],
        gt=0,
    )
    base_unit: Text = column(
        "Base unit",
        "t for mass, m for length, item for counts (a dozen is 12 items); pair, roll, set, dose and penicillin_unit stay as they are.",
        derived_from=["unit"],
    )
    year: Whole = column("Year", "Year of delivery as the body of the paper gives it (footnote 53's title says 1952).", ge=1950, le=1953)
    source_id: Text = source_column()
    quote: Text = quote_column()
    implausible_reason: Text = column(
        "Implausible because",
        "Why the printed figure is implausible, where it is; empty otherwise. Kept as printed either way.",
        nullable=True,
    )
    sitc_section: Enum = sitc_column("section")
    sitc_division: Text = sitc_column("division")

    class Config:
        name = "aid_deliveries"
        title = "Goods delivered to the DPRK by China and five East European states, listed for 1951"
        description = (
            "Goods delivered to North Korea by China, Czechoslovakia, Poland, Hungary, Romania and Bulgaria, "
            "one row per donor and commodity, from a list held in the Soviet Foreign Ministry's archive (AVPRF, Fond 0102; footnote 53, which is damaged). The paper introduces the list 'For 1951'; "
            "the cited document's title says 1952 (caveat goods_list_year)."
        )
        strict = True
        coerce = True


@table(
    ["figure_id"],
    foreign_keys=[SOURCE_FK, ForeignKey(["unit"], "units", ["unit"])],
    printed_in_quote=["value_as_printed", "value_high_as_printed"],
    derive=derive.key_figures,
)
class KeyFigures(pa.DataFrameModel):
    figure_id: Text = column("Figure ID", "Stable identifier of the figure.", str_matches=r"^[a-z0-9_]+$")
    topic: Enum = column(
        "Topic",
        "What the figure is about.",
        isin=["aid", "exports", "reconstruction", "negotiations", "casualties", "military", "destruction", "other"],
    )
    description: Text = column("Description", "What the number is, in one sentence.")
    value: Real = column(
        "Value", "The figure as a number (the low end of a range).", unit="from the unit column", derived_from=["value_as_printed"], ge=0
    )
    value_high: Real = column(
        "Value, high end",
        "The high end of a range such as 'two to three years'; empty otherwise.",
        unit="from the unit column",
        derived_from=["value_high_as_printed"],
        nullable=True,
        ge=0,
    )
    qualifier: Text = column("Qualifier", "Words that qualify the figure as printed ('more than', 'only'); empty otherwise.", nullable=True)
    unit: Text = column("Unit", "Unit of the value, from the units code list.")
    period: Text = column(
        "Date or period",
        "When the figure applies, as an ISO 8601 date or interval (1951-10, 1954/1956): the span the figure measures where the paper "
        "places both its ends; otherwise the date of the statement or document that gives it; empty where the figure concerns a time "
        "the paper does not give.",
        nullable=True,
        str_matches=ISO_DATE_OR_INTERVAL,
    )
    quote: Text = quote_column()
    source_id: Text = column(
        "Source", "The document the paper cites for the figure (the footnote after it), or the paper itself where no footnote documents it."
    )
    value_as_printed: Text = column(
        "Value as printed",
        "The number exactly as printed, in digits or words, without its unit; an article ('A week later', 'an underground radio "
        "broadcast station') where it counts one of what the paper measures or lists among counted things.",
    )
    value_high_as_printed: Text = column("High end as printed", "The high end of a range exactly as printed.", nullable=True)

    @pa.dataframe_check(error="value_high must exceed value")
    def range_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["value_high"].isna() | (df["value_high"] > df["value"])

    class Config:
        name = "key_figures"
        title = "Other figures printed in the paper"
        description = (
            "Every other quantitative statement in the body of the paper, each with its topic, its quote and the document cited for it."
        )
        strict = True
        coerce = True


@table(["enterprise_id"], foreign_keys=[SOURCE_FK], printed_in_quote=["name", "place"])
class ReconstructionEnterprises(pa.DataFrameModel):
    enterprise_id: Text = column("Enterprise ID", "Stable identifier.", str_matches=r"^[a-z0-9_]+$")
    name: Text = column("Name", "The enterprise as printed.")
    place: Text = column("Place", "Its location as printed.")
    industry: Text = column("Industry", "Its branch of industry (added by aidstats from the printed name).")
    arrangement: Enum = column(
        "Arrangement",
        "What the DPRK intended to ask of the Soviet Union, as Suzdalev reported it: that it restore the enterprise as its share of "
        "the work (restoration_to_be_requested), or that it create a Soviet-Korean joint share society to restore it "
        "(joint_share_society_to_be_requested); a request the DPRK meant to make, not a Soviet commitment.",
        isin=["restoration_to_be_requested", "joint_share_society_to_be_requested"],
    )
    source_id: Text = source_column()
    quote: Text = quote_column()

    class Config:
        name = "reconstruction_enterprises"
        title = "Enterprises the DPRK meant to ask the USSR to restore after the armistice"
        description = (
            "The six large enterprises the DPRK intended to ask the Soviet Union to restore as its share of postwar reconstruction, and "
            "the Aoji liquid fuel plant Kim Il Sung intended to ask it to restore through a Soviet-Korean joint share society, as "
            "Suzdalev reported on 7 August 1953 (footnote 55). They are requests the DPRK intended to make, as Suzdalev understood "
            "them, not Soviet commitments (see the caveat soviet_share_intended)."
        )
        strict = True
        coerce = True


# Where the register's documents are published, and what the published versions say beside the paper (issue 20).
PUBLICATION_STATUSES = ["confirmed", "probable", "not_found"]
VERDICTS = ["agrees", "differs", "absent", "not_seen"]
# An http(s) URL with a host and no spaces.
URL = r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/\S*)?$"
# At most 25 words (runs of non-space characters).
AT_MOST_25_WORDS = r"^\S+(\s+\S+){0,24}$"
PUBLISHERS_RIGHTS = (
    "The evidence column quotes at most 25 words of each published version (chiefly the publishers' translations), "
    "only so that each verdict can be checked; those quotations remain under their publishers' and translators' rights, "
    "and the CC BY licence of the data does not extend to them."
)


@table(["publication_id"], foreign_keys=[SOURCE_FK])
class Publications(pa.DataFrameModel):
    publication_id: Text = column(
        "Publication ID", "Stable identifier: the source_id and where the version is published.", str_matches=r"^[a-z0-9_]+$"
    )
    source_id: Text = column("Source", "The register row (sources table) whose document this is a published version of.")
    status: Enum = column(
        "Status",
        "confirmed: the document's date, author or addressee and archival reference agree with the footnote, or the publisher's "
        "note ties it to the cited publication; probable: date, author or addressee and content agree, but the archival reference "
        "(or, for a publication, its title page) was not seen; not_found: no published version was found where the searched "
        "column says we looked (the row's other columns are then empty).",
        isin=PUBLICATION_STATUSES,
    )
    publisher: Text = column(
        "Publisher", "Who publishes this version, and the host of the copy where it is not the publisher's own.", nullable=True
    )
    title: Text = column(
        "Title", "The document's title as the publisher gives it; empty where the stored copy does not show it.", nullable=True
    )
    document_date: Text = column(
        "Document date",
        "The document's date as the publisher gives it (for a publication, its date of publication), ISO 8601.",
        nullable=True,
        str_matches=ISO_DATE_OR_INTERVAL,
    )
    archival_reference: Text = column(
        "Archival reference",
        "The archival reference (or source line) exactly as the publisher prints it; empty where not seen.",
        nullable=True,
    )
    translator: Text = column("Translator", "The translator the publisher names; empty where not seen.", nullable=True)
    url: Text = column(
        "URL",
        "Where the published version can be read; empty where none was found, or where the only copies are unauthorised "
        "(a printed book is then cited by its publisher instead).",
        nullable=True,
        str_matches=URL,
    )
    matched_on: Text = column(
        "Matched on", "What was compared and agreed with the footnote: date, author, addressee, archival reference, content.", nullable=True
    )
    searched: Text = column("Searched", "Where we looked, and the numbers of the queries in notes/publications/search_log.md.")
    notes: Text = column("Notes", "What was not checked, and why; other copies.", nullable=True)

    @pa.dataframe_check(error="a status of not_found has no url, publisher or title")
    def not_found_is_empty(cls, df: pd.DataFrame) -> pd.Series:
        return (df["status"] != "not_found") | (df["url"].isna() & df["publisher"].isna() & df["title"].isna())

    class Config:
        name = "publications"
        title = "Published versions of the documents the paper cites"
        description = (
            "One row per published version (an edition or translation) of a document in the source register, with its "
            "publisher, title, date, archival reference as printed, translator, URL and what matched; and one row, with status "
            "not_found and where we looked, for each register row for which none was found."
        )
        strict = True
        coerce = True


@table(
    ["corroboration_id"],
    foreign_keys=[SOURCE_FK, ForeignKey(["publication_id"], "publications", ["publication_id"])],
)
class Corroboration(pa.DataFrameModel):
    corroboration_id: Text = column("Corroboration ID", "Stable identifier.", str_matches=r"^[a-z0-9_]+$")
    table: Enum = column("Table", "The table of the figure or reference compared.", isin=[*TABLES])
    row_key: Text = column("Row", "The row compared, as column=value (its primary key).", str_matches=r"^[a-z_]+=.+$")
    source_id: Text = column("Source", "The register row the compared row cites (for a sources row, itself).")
    publication_id: Text = column("Publication", "The published version compared (publications table).")
    value_in_paper: Text = column(
        "Value in the paper",
        "The figure, reference or title exactly as the paper prints it: a span of the row's quote (or, for a sources row, its citation).",
    )
    value_as_published: Text = column(
        "Value as published",
        "The same figure, reference or title as the published version gives it; it occurs in the evidence.",
        nullable=True,
    )
    evidence: Text = column(
        "Evidence",
        "At most 25 words of the published version, verbatim from the stored copy, that show the published value. " + PUBLISHERS_RIGHTS,
        nullable=True,
        str_matches=AT_MOST_25_WORDS,
    )
    locator: Text = column("Locator", "Where in the published version: section, paragraph, page or note.")
    verdict: Enum = column(
        "Verdict",
        "agrees; differs (the number, the unit, what is counted, the date or the place differs, and a caveat says how); absent "
        "(the published version does not carry the figure); not_seen (a published version exists but the stored copy we could "
        "read does not reach the passage, so neither agrees, differs nor absent can honestly be said).",
        isin=VERDICTS,
    )
    explanation: Text = column("Explanation", "What agrees or differs, or why it could not be seen.")

    @pa.dataframe_check(error="a verdict of agrees or differs has value_as_published and evidence")
    def compared_has_evidence(cls, df: pd.DataFrame) -> pd.Series:
        compared = df["verdict"].isin(["agrees", "differs"])
        return ~compared | (df["value_as_published"].notna() & df["evidence"].notna())

    class Config:
        name = "corroboration"
        title = "The paper's figures beside the published documents"
        description = (
            "One row per figure (key figures, reconstruction enterprises) and per archival reference or title (sources) whose "
            "document has a published version: the value as the paper prints it, as the published version gives it, up to 25 "
            "words of its wording, a locator and a verdict. " + PUBLISHERS_RIGHTS
        )
        strict = True
        coerce = True


# Declare a new table above this line.
# The caveats and passages tables come last: a caveat may concern any table (its derivation looks up
# the rows and columns it names, so that table is built before it), and every quote is in a passage.


@table(["caveat_id"], derive=derive.caveats)
class Caveats(pa.DataFrameModel):
    caveat_id: Text = column("Caveat ID", "Stable identifier.", str_matches=r"^[a-z0-9_]+$")
    # Any table: those declared above, this one, and passages (declared after it; the check at the end holds the list to TABLES).
    table: Enum = column("Table", "The table concerned.", isin=[*TABLES, "caveats", "passages"])
    row_key: Text = column(
        "Row",
        "The rows concerned, each as column=value (its primary key), several separated by ';'; empty for the whole table.",
        nullable=True,
        str_matches=r"^[a-z_]+=.+$",
    )
    column_name: Text = column("Column", "The column concerned; empty for whole rows.", nullable=True)
    issue: Text = column("Issue", "What is wrong or doubtful in the source.")
    quote: Text = column(
        "Evidence", "A verbatim span of the paper that shows the issue; it occurs in raw/source/ and in a row of the passages table."
    )
    treatment: Text = column("Treatment", "How aidstats treats it.")

    class Config:
        name = "caveats"
        title = "Caveats"
        description = "What a careful reader must know about the source: inconsistencies, damaged citations, doubtful figures, and how aidstats treats each."
        strict = True
        coerce = True


@table(["passage_id"])
class Passages(pa.DataFrameModel):
    passage_id: Text = column(
        "Passage ID", "'<file>-<n>': the n-th excerpt (line) of raw/source/<file>.txt.", str_matches=r"^[a-z0-9_]+-\d+$"
    )
    excerpt_file: Text = column("Excerpt file", "The file of raw/source/ that holds the excerpt.", str_matches=r"^[a-z0-9_]+\.txt$")
    text: Text = column(
        "Text",
        "The excerpt exactly as the paper's text prints it, with its footnote marks ('[footnoteRef:N]') and "
        "footnotes ('[N:  …]') inline where the converted text has them.",
    )

    class Config:
        name = "passages"
        title = "Passages of the paper"
        description = (
            "The sentences of the paper that hold a quote of any table (up to the footnote mark that documents it) and the "
            "footnotes the source register cites, verbatim, so that every quote can be checked and read in context. "
            "They are quoted from Kathryn Weathersby's paper for verification only and remain under its author's "
            "and publisher's copyright; the CC BY licence of the data does not extend to them."
        )
        strict = True
        coerce = True


_CAVEAT_TABLES = next(c for c in Caveats.to_schema().columns["table"].checks if c.name == "isin").statistics["allowed_values"]
if list(TABLES) != list(_CAVEAT_TABLES):
    raise TypeError(
        f"the tables are declared in the order {', '.join(TABLES)}, but a caveat may name {', '.join(_CAVEAT_TABLES)}; "
        "declare a new table's model above the line '# Declare a new table above this line.' in aidstats/build/schemas.py"
    )


def raw_columns(model: type[pa.DataFrameModel]) -> list[str]:
    """Columns transcribed in raw/, in the order the raw CSV has them."""
    schema = model.to_schema()
    return [name for name, col in schema.columns.items() if not (col.metadata or {}).get("derived_from")]
