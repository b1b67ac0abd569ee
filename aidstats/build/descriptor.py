"""Generate ``datapackage.json`` from the pandera models, never by hand.

Each table is published twice: as CSV (the resource frictionless validates,
with foreign keys) and as Parquet (typed, for pandas, DuckDB, polars), both
with ``bytes`` and a ``sha256`` hash.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from aidstats import metadata
from aidstats.build.schemas import TABLES, Table
from aidstats.package import PARQUET_SUFFIX, file_facts
from aidstats.text.citation import source_lines


def field_descriptor(name: str, column: pa.Column, table: Table) -> dict:
    info = column.metadata or {}
    descriptor = {"name": name, "type": _field_type(column.dtype), "title": column.title, "description": column.description}
    if info.get("unit") == "from the unit column":
        descriptor["unitField"] = "unit"
    elif info.get("unit") == "from the base_unit column":
        descriptor["unitField"] = "base_unit"
    elif info.get("unit"):
        descriptor["unit"] = info["unit"]
    if info.get("derived_from"):
        descriptor["derivedFrom"] = info["derived_from"]
    constraints = {"required": not column.nullable}
    if table.primary_key == [name]:
        constraints["unique"] = True
    for check in column.checks:
        constraints |= _constraint(check.name, check.statistics)
    descriptor["constraints"] = constraints
    return descriptor


def _field_type(dtype) -> str:
    text = str(dtype)
    if text.startswith(("Int", "int")):
        return "integer"
    if text.startswith(("float", "Float")):
        return "number"
    if text.startswith("datetime"):
        return "date"
    if text.startswith("bool"):
        return "boolean"
    return "string"


def _constraint(check: str, stats: dict) -> dict:
    if check == "isin":
        return {"enum": list(stats["allowed_values"])}
    if check == "greater_than_or_equal_to":
        return {"minimum": stats["min_value"]}
    if check == "greater_than":
        return {"exclusiveMinimum": stats["min_value"]}
    if check == "less_than_or_equal_to":
        return {"maximum": stats["max_value"]}
    if check == "in_range":
        return {"minimum": stats["min_value"], "maximum": stats["max_value"]}
    if check == "str_matches":
        # Table Schema patterns match the whole value, so the anchors go.
        return {"pattern": stats["pattern"].removeprefix("^").removesuffix("$")}
    raise ValueError(f"no Table Schema constraint for the pandera check {check}; add one in descriptor.py")


def table_schema(table: Table) -> dict:
    schema = table.model.to_schema()
    return {
        "fields": [field_descriptor(name, column, table) for name, column in schema.columns.items()],
        "missingValues": [""],
        "primaryKey": table.primary_key,
        "foreignKeys": [{"fields": fk.fields, "reference": {"resource": fk.resource, "fields": fk.reference}} for fk in table.foreign_keys],
    }


def resource_sources(frames: dict[str, pd.DataFrame], table: Table, lines: dict[str, str]) -> list[dict]:
    """The paper, and each archival document the table's rows cite, titled by ``lines``
    (the register's :func:`~aidstats.text.citation.source_lines`, made once per build)."""
    register = frames["sources"]
    cited = []
    if "source_id" in table.model.to_schema().columns:
        cited = list(dict.fromkeys(frames[table.name]["source_id"]))
    paper = register.loc[register["kind"] == "paper", "source_id"].tolist()
    cited = [sid for sid in cited if sid not in paper]  # the paper leads the list once, even where rows cite it
    # An "Ibid." is titled with the full citation it stands for, so the title alone locates the document.
    citations = dict(zip(register["source_id"], register["citation"], strict=True))
    return [{"title": citations[sid] if sid in paper else lines[sid], "path": f"sources.csv#{sid}"} for sid in paper + cited]


def table_caveats(frames: dict[str, pd.DataFrame], name: str) -> list[dict]:
    """The caveats about one table, for its resource (and so for ``df.attrs``)."""
    rows = frames["caveats"][frames["caveats"]["table"] == name]
    fields = ["caveat_id", "row_key", "column_name", "issue", "quote", "treatment"]
    return [{k: (None if pd.isna(v) else str(v)) for k, v in row.items()} for row in rows[fields].to_dict("records")]


def package_descriptor(frames: dict[str, pd.DataFrame], folder: Path) -> dict:
    """The whole descriptor, given the built frames and the folder holding clean/."""
    resources = []
    lines = source_lines(frames["sources"])
    for table in TABLES.values():
        config = table.model.Config
        common = {
            "title": config.title,
            "description": config.description,
            "sources": resource_sources(frames, table, lines),
            "caveats": table_caveats(frames, table.name),
        }
        schema = table_schema(table)
        csv_path, parquet_path = f"clean/{table.name}.csv", f"clean/{table.name}.parquet"
        resources.append(
            {
                "name": table.name,
                "type": "table",
                "path": csv_path,
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
            }
            | common
            | file_facts(folder / csv_path)
            | {"schema": schema}
        )
        resources.append(
            # "file", not "table": frictionless then checks the Parquet file's bytes and
            # hash (it cannot for a table resource); the schema stays as documentation,
            # and `aidstats validate` checks the Parquet content against it with pandera.
            {
                "name": table.name + PARQUET_SUFFIX,
                "type": "file",
                "path": parquet_path,
                "scheme": "file",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
            }
            | common
            | {"title": config.title + " (Parquet)"}
            | file_facts(folder / parquet_path)
            | {"schema": schema}
        )
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": metadata.NAME,
        "title": metadata.TITLE,
        "description": metadata.DESCRIPTION,
        "version": metadata.VERSION,
        "created": metadata.CREATED,
        "licenses": metadata.LICENSES,
        "sources": [{"title": metadata.PAPER}],
        "contributors": metadata.CONTRIBUTORS,
        "keywords": metadata.KEYWORDS,
        "citation": metadata.CITATION,
        "resources": resources,
    }
