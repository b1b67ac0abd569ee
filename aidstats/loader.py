"""Load the published tables: Parquet for the data, datapackage.json for the metadata.

Reads only the built package (never raw/ or the schemas), so loading needs
neither pandera nor frictionless.  The data are found inside the installed
wheel (``aidstats/data/``) or, in a checkout, at the project root.

Sources
    Every function and command that takes a package (:func:`load`, :func:`list_tables`,
    ``aidstats list``/``show``/``export --source``, ``aidstats diff``, and through
    :func:`aidstats.package.locate` also ``aidstats download``) takes the same kinds, and
    :func:`package_root` is the one function that turns any of them into a folder:

    - nothing (None): the package installed with aidstats;
    - a folder holding ``datapackage.json``, or the path of a ``datapackage.json``: read where it is;
    - a local release ``.zip``: unpacked into this version's download cache, in a folder named by
      the archive's sha256 (and used again from there while it still passes verification; the
      cache is pooch's user cache folder, so without the ``download`` extra set ``AIDSTATS_CACHE_DIR``);
    - a ``file://`` URL: the local path it names, as above;
    - an ``https://`` or ``http://`` URL of a ``datapackage.json`` or a ``.zip``: downloaded, verified
      and cached by :func:`aidstats.download`.
Verification
    Before any of them is used, every file is checked against the ``bytes`` and ``sha256`` its
    ``datapackage.json`` gives (:func:`aidstats.package.verify`); a package with a file that does
    not match is refused with an :class:`~aidstats.errors.PackageError` (a download's with a
    :class:`~aidstats.errors.DownloadError`) naming each file that failed.  The check is remembered
    while no file of the package changes (:func:`aidstats.package.verified`), so the installed
    package is hashed once per process (a few milliseconds), not on every load.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from aidstats._arguments import given
from aidstats.package import DESCRIPTOR, PARQUET_SUFFIX, SOURCE_KINDS, check_package, file_version, is_url, locate, read_descriptor


def data_root() -> Path:
    """The folder holding datapackage.json and clean/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise FileNotFoundError(f"no {DESCRIPTOR} in {here / 'data'} or {here.parent}; run 'aidstats build' in a checkout")


def package_root(source: str | os.PathLike | None = None, *, unpack_into: Path | None = None) -> Path:
    """The folder of the verified data package ``source`` names: the one place a source is resolved.

    Parameters
    ----------
    source : str or path, optional
        None for the bundled package; a folder holding ``datapackage.json``; the path of a
        ``datapackage.json``; a local release ``.zip``; or an ``https://``, ``http://`` or
        ``file://`` URL of a ``datapackage.json`` or a ``.zip`` (see the module's docstring).
    unpack_into : pathlib.Path, optional
        A folder that does not exist yet to unpack a local ``.zip`` into instead of the cache
        (``aidstats diff`` passes a temporary one, which it removes).

    Raises
    ------
    FileNotFoundError
        If a path does not exist, or holds none of these.
    aidstats.errors.PackageError
        If the package fails verification (every file that failed is named), or a ``.zip`` is
        not a readable archive, holds no ``datapackage.json`` or has a member that would leave it.
    aidstats.errors.DownloadError
        If a URL cannot be downloaded or its package fails verification.
    TypeError
        If ``source`` is neither None, a string nor a path.
    """
    if source is None:
        root = data_root()
        return check_package(root, f"{root} (the package installed with aidstats)")
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"source must be None or {SOURCE_KINDS} (a str or a path); got {given(source)}")
    where = os.fspath(source)
    path: str | os.PathLike = source
    if is_url(source):
        parsed = urlparse(source)
        if parsed.scheme.lower() != "file":
            from aidstats.remote.fetch import download

            return download(source)
        path = unquote(parsed.path)
    kind, found = locate(path)
    if kind == "folder":
        return check_package(found, where)
    from aidstats.remote.fetch import unpacked

    return unpacked(found, where, unpack_into)


def descriptor(root: Path | None = None) -> dict:
    """The parsed datapackage.json of the bundled package, or of the package folder ``root`` (not resolved nor verified here)."""
    return read_descriptor(Path(root) if root else data_root())


def list_tables(source: str | os.PathLike | None = None) -> list[str]:
    """Names of the tables, in the package's order.

    ``source`` is the bundled package by default, or any source :func:`package_root` takes
    (a folder, a ``datapackage.json``, a ``.zip`` or a URL), verified first.
    """
    return _tables(descriptor(package_root(source)))


def _tables(package: dict) -> list[str]:
    return [r["name"] for r in package["resources"] if not r["name"].endswith(PARQUET_SUFFIX)]


def resource(name: str, root: Path | None = None) -> dict:
    """The descriptor of the table ``name`` (its CSV resource) in the package folder ``root`` (default: the bundled one).

    Raises
    ------
    KeyError
        For a name that is not a table, listing the tables; the name of a table's Parquet copy
        (``sources-parquet``) is refused naming the table it belongs to.
    """
    package = descriptor(root)
    tables = _tables(package)
    if name in tables:
        return next(item for item in package["resources"] if item["name"] == name)
    listed = f"the tables are: {', '.join(tables)}"
    table = name.removesuffix(PARQUET_SUFFIX) if isinstance(name, str) else None
    if table != name and table in tables:
        raise KeyError(f"no table named {name!r}: it is the Parquet copy of the table {table!r}; {listed}")
    raise KeyError(f"no table named {name!r}; {listed}")


def _parquet(name: str, root: Path) -> str:
    """The path of the Parquet copy of the table ``name``."""
    for item in descriptor(root)["resources"]:
        if item["name"] == name + PARQUET_SUFFIX:
            return item["path"]
    raise KeyError(f"table {name!r} has no Parquet copy (no resource {name + PARQUET_SUFFIX!r}) in {root / DESCRIPTOR}")


def load(name: str, source: str | os.PathLike | None = None):
    """Load one table as a pandas DataFrame with its published dtypes.

    ``source`` is the bundled package by default, or a folder, the path of a
    ``datapackage.json``, a local release ``.zip`` or a URL of a data package
    (see :func:`package_root`).  Every file of the package is checked against
    its ``datapackage.json`` before the table is read, and a package that fails
    is refused naming the files; the check is remembered while the files stay
    unchanged, so the bundled package is verified once per process.
    The table's Parquet file is read once per version of it, and every call
    returns a frame of its own, which the caller may change.
    ``df.attrs`` carries the table's title, description, per-column units,
    titles and descriptions, sources, licences and citation.

    Examples
    --------
    >>> df = load("mineral_exports")
    >>> df.loc[df.commodity == "lead", ["delivered_t", "percent_of_plan"]].values.tolist()
    [[8443.0, 120.4]]
    >>> df.attrs["units"]["delivered_t"]
    't'
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be the name of a table (a str), such as 'aid_deliveries'; got {given(name)}")
    root = package_root(source)
    frame = load_rows(name, root)
    frame.attrs = _attrs(resource(name, root), descriptor(root))
    return frame


def load_rows(name: str, source: str | os.PathLike | None = None):
    """The table ``name`` as :func:`load` gives it, without ``df.attrs``: for aidstats' own pages, charts and exports.

    pandas copies a frame's attrs, deeply, into every frame or Series made from it, which made
    a third of the time of ``aidstats site`` (thousands of column reads); these callers read the
    metadata from the descriptor instead.  Same checks and errors as :func:`load`.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be the name of a table (a str), such as 'aid_deliveries'; got {given(name)}")
    root = package_root(source)
    resource(name, root)  # a KeyError listing the tables for any other name
    path = root / _parquet(name, root)
    # A copy of the frame read once per version of the file: each caller may change its own.
    return _read(path.resolve(), file_version(path)).copy()


@lru_cache(maxsize=64)
def _read(path: Path, version: tuple):
    """The Parquet file at ``path`` as a DataFrame without attrs, read again whenever the file's facts change.

    A site or an export reads each table dozens of times; the package was verified just before
    (:func:`package_root`), and a file rewritten since has a new inode, size or change time.
    """
    import pyarrow.parquet as pq

    # Dates are stored as Parquet dates; pandas users get datetime64 columns.
    return pq.read_table(path).to_pandas(date_as_object=False)


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
