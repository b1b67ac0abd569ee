"""Load the published tables: Parquet for the data, datapackage.json for the metadata.

Reads only the built package (never raw/ or the schemas), so loading needs
neither pandera nor frictionless.  The data are found inside the installed
wheel (``aidstats/data/``) or, in a checkout, at the project root.
"""

from __future__ import annotations

from pathlib import Path

from aidstats.package import DESCRIPTOR, PARQUET_SUFFIX, read_descriptor


def data_root() -> Path:
    """The folder holding datapackage.json and clean/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise FileNotFoundError(f"no {DESCRIPTOR} in {here / 'data'} or {here.parent}; run 'aidstats build' in a checkout")


def package_root(source: str | Path | None = None) -> Path:
    """The folder of a data package.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        None for the bundled package; a folder holding ``datapackage.json``; the
        path of a ``datapackage.json``; or an ``https://``, ``http://`` or
        ``file://`` URL, which :func:`aidstats.download` fetches, verifies and
        caches first.

    Raises
    ------
    FileNotFoundError
        If a path is neither a folder holding ``datapackage.json`` nor such a file.
    """
    if source is None:
        return data_root()
    if isinstance(source, str) and "://" in source:
        from aidstats.remote.fetch import download

        return download(source)
    path = Path(source)
    if path.name == DESCRIPTOR and path.is_file():
        return path.parent
    if (path / DESCRIPTOR).is_file():
        return path
    raise FileNotFoundError(f"no data package at {path}: expected a folder holding {DESCRIPTOR}, the path of a {DESCRIPTOR}, or a URL")


def descriptor(root: Path | None = None) -> dict:
    """The parsed datapackage.json of the bundled (or given) package."""
    return read_descriptor(Path(root) if root else data_root())


def list_tables(root: Path | None = None) -> list[str]:
    """Names of the tables, in the package's order."""
    return [r["name"] for r in descriptor(root)["resources"] if not r["name"].endswith(PARQUET_SUFFIX)]


def resource(name: str, root: Path | None = None) -> dict:
    """The descriptor of the CSV resource ``name``; an unknown name lists the valid ones."""
    for item in descriptor(root)["resources"]:
        if item["name"] == name:
            return item
    raise KeyError(f"no table named {name!r}; the tables are: {', '.join(list_tables(root))}")


def load(name: str, source: str | Path | None = None):
    """Load one table as a pandas DataFrame with its published dtypes.

    ``source`` is the bundled package by default, or a folder, the path of a
    ``datapackage.json`` or a URL of a data package (a URL is downloaded,
    verified and cached first; see :func:`package_root`).
    ``df.attrs`` carries the table's title, description, per-column units,
    titles and descriptions, sources, licences and citation.

    >>> df = load("mineral_exports")
    >>> df.loc[df.commodity == "lead", ["delivered_t", "percent_of_plan"]].values.tolist()
    [[8443.0, 120.4]]
    >>> df.attrs["units"]["delivered_t"]
    't'
    """
    import pyarrow.parquet as pq

    root = package_root(source)
    meta = resource(name, root)
    parquet = resource(name + PARQUET_SUFFIX, root)["path"]
    # Dates are stored as Parquet dates; pandas users get datetime64 columns.
    frame = pq.read_table(root / parquet).to_pandas(date_as_object=False)
    frame.attrs = _attrs(meta, descriptor(root))
    return frame


def _attrs(meta: dict, package: dict) -> dict:
    fields = meta["schema"]["fields"]
    return {
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"],
        "units": {f["name"]: f.get("unit") or (f"see column {f['unitField']}" if "unitField" in f else None) for f in fields},
        "fields": {f["name"]: {k: f[k] for k in ("title", "description", "type") if k in f} for f in fields},
        "primary_key": meta["schema"]["primaryKey"],
        "sources": [s["title"] for s in meta.get("sources", [])],
        "caveats": meta.get("caveats", []),
        "licenses": package["licenses"],
        "citation": package.get("citation"),
        "version": package["version"],
    }
