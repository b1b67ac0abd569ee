"""The optional parts of aidstats: which extra brings which library, and what to say when one is missing.

``pip install aidstats`` brings only what loading the tables and the helpers
need (pandas, pyarrow, NumPy) and the command line (typer, rich).  The rest
comes with an extra::

    pip install "aidstats[build]"     # aidstats build / validate: pandera, frictionless
    pip install "aidstats[viz]"       # aidstats dashboard / site, aidstats.web.figures: plotly, Jinja2
    pip install "aidstats[download]"  # aidstats download, aidstats.download(): pooch, requests
    pip install "aidstats[all]"       # all of them

:data:`EXTRAS` must agree with ``[project.optional-dependencies]`` in
``pyproject.toml``; a test checks that, and that every third-party module
aidstats imports is either a plain dependency or in an extra.

This module imports nothing beyond the standard library, so checking for an
extra costs nothing.
"""

from __future__ import annotations

import importlib.util

from aidstats.errors import MissingExtra

# Extra -> the modules of it that aidstats imports (each installs under the same name).
EXTRAS: dict[str, tuple[str, ...]] = {
    "build": ("pandera", "frictionless"),
    # The dashboard and the site are both rendered from Jinja2 templates and both carry plotly charts.
    "viz": ("plotly", "jinja2", "markupsafe"),
    # tqdm draws pooch's progress bar when stderr is a terminal; without it pooch refuses to start.
    "download": ("pooch", "requests", "urllib3", "tqdm"),
    # The workbook; the Stata files and the SQLite database need only pandas and the standard library.
    "export": ("openpyxl",),
}


def _installed(module: str) -> bool:
    # find_spec looks without importing, so the check stays cheap; a module set to None in
    # sys.modules (how tests block one) counts as missing, as an import of it would fail.
    return importlib.util.find_spec(module) is not None


def require(extra: str, needed_by: str = "this command") -> None:
    """Raise :class:`MissingExtra` unless every library of ``extra`` is installed.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS`: ``"build"``, ``"viz"``, ``"download"`` or ``"export"``.
    needed_by : str
        What needs it, for the message: ``"this command"`` on the command
        line, or a function such as ``"aidstats.download()"``.

    Raises
    ------
    MissingExtra
        Naming the first missing library and the extra to install.
    KeyError
        If ``extra`` is not a key of :data:`EXTRAS`.

    Examples
    --------
    >>> require("nothing")
    Traceback (most recent call last):
    ...
    KeyError: "no extra named 'nothing'; the extras are: build, viz, download, export"
    """
    if extra not in EXTRAS:
        raise KeyError(f"no extra named {extra!r}; the extras are: {', '.join(EXTRAS)}")
    for module in EXTRAS[extra]:
        if not _installed(module):
            raise MissingExtra(module, extra, needed_by)


def missing_extra(error: ImportError, needed_by: str = "this command") -> MissingExtra | None:
    """The :class:`MissingExtra` that explains a failed import, or None if no extra would fix it.

    Parameters
    ----------
    error : ImportError
        A failed import, such as the ``ModuleNotFoundError`` of ``import plotly.express``.
    needed_by : str
        What needed the module, for the message (see :func:`require`).

    Returns
    -------
    MissingExtra or None
        ``error`` itself if it is a :class:`MissingExtra`; one naming the
        extra whose library (or a submodule of it) failed to import; None for
        any other module, such as a dependency missing from a broken install.

    Examples
    --------
    >>> str(missing_extra(ModuleNotFoundError("No module named 'plotly'", name="plotly.express")))
    'this command needs plotly: pip install "aidstats[viz]"'
    >>> missing_extra(ModuleNotFoundError("No module named 'narwhals'", name="narwhals")) is None
    True
    """
    if isinstance(error, MissingExtra):
        return error
    module = (error.name or "").partition(".")[0]
    for extra, modules in EXTRAS.items():
        if module in modules:
            return MissingExtra(module, extra, needed_by)
    return None
