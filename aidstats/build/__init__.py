"""The build wing: ``raw/`` → checked tables → ``clean/`` and ``datapackage.json``.

What lives here
    ``schemas``     one pandera model per table: columns, types, constraints, titles, units (the source of truth)
    ``rawcsv``      reads a raw CSV line by line, naming file, line and column in every problem
    ``crosscheck``  checks across tables and against the paper (quotes, footnotes, register)
    ``derive``      the columns computed from printed values (e.g. percent of plan)
    ``distinct``    small pandas helpers the checks and derivations share
    ``descriptor``  writes ``datapackage.json`` from the schemas
    ``run``         the build itself (all or nothing) and its writers
    ``validate``    checks a built package against a fresh build, pandera and frictionless

What to edit
    A new table: a raw file ``raw/<name>.csv`` and a model in ``schemas`` (see CONTRIBUTING.md).
    A new check: a pandera check on the model, or a function in ``crosscheck`` for checks across tables.
    A new derived column: the model's field and a derivation in ``derive``.

The wing reads ``raw/`` and writes ``clean/``; it imports nothing from ``publish``, ``web``
or ``remote`` (the layer contract in pyproject.toml).  Its modules import pandera and
frictionless, so import them only where a build is wanted.
"""

from __future__ import annotations

import importlib

# `aidstats.build` was a module until 0.2.0; these names keep `from aidstats.build import build` working.
_OLD_MODULE_NAMES = ("build", "build_tables", "write_outputs", "read_source_text", "write_csv")


def __getattr__(name: str):
    if name in _OLD_MODULE_NAMES or (name.startswith("_") and not name.startswith("__")):
        return getattr(importlib.import_module("aidstats.build.run"), name)
    raise AttributeError(f"module 'aidstats.build' has no attribute {name!r}")
