"""Import paths from before the modules were grouped into wings (aidstats 0.2.0 and earlier).

Until 0.2.0 every module sat directly in ``aidstats/``, and the README, TESTING.md
and users' scripts name some of them (``aidstats.figures``, ``aidstats.fetch.retrieve``,
``aidstats.diff.diff_packages``, ``python -m aidstats.release``).  Those paths keep
working: importing an old path gives the very module object at its new home (so a
monkeypatch or an ``isinstance`` check sees one module, not a copy), and
``python -m`` with an old path runs the new module as a script.

This table is the only place that knows the old names; ``tests/test_layers.py`` imports
every one of them.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

# Old path -> the module's home now.
MOVED = {
    "aidstats.citation_files": "aidstats.publish.citation_files",
    "aidstats.cite": "aidstats.publish.cite",
    "aidstats.crosscheck": "aidstats.build.crosscheck",
    "aidstats.dashboard": "aidstats.web.dashboard",
    "aidstats.database": "aidstats.publish.database",
    "aidstats.derive": "aidstats.build.derive",
    "aidstats.descriptor": "aidstats.build.descriptor",
    "aidstats.diff": "aidstats.remote.diff",
    "aidstats.distinct": "aidstats.build.distinct",
    "aidstats.docs": "aidstats.publish.readme",
    "aidstats.export": "aidstats.publish.export",
    "aidstats.fetch": "aidstats.remote.fetch",
    "aidstats.figures": "aidstats.web.figures",
    "aidstats.numbers": "aidstats.text.numbers",
    "aidstats.passages": "aidstats.text.passages",
    "aidstats.printed": "aidstats.text.printed",
    "aidstats.rawcsv": "aidstats.build.rawcsv",
    "aidstats.release": "aidstats.publish.release",
    "aidstats.schemas": "aidstats.build.schemas",
    "aidstats.site": "aidstats.web.site",
    "aidstats.stata": "aidstats.publish.stata",
    "aidstats.validate": "aidstats.build.validate",
    "aidstats.workbook": "aidstats.publish.workbook",
}
# `aidstats.build` is not here: it is now the build wing's package, whose __init__ answers the names
# the old module `aidstats/build.py` offered (build, build_tables, ...), so `from aidstats.build import build` still works.
ALIASES = MOVED


class _OldPath(importlib.abc.MetaPathFinder, importlib.abc.InspectLoader):
    """Finds an old module path and answers it with the module at its new home."""

    def __init__(self) -> None:
        self._specs: dict[str, importlib.machinery.ModuleSpec] = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in ALIASES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, origin=ALIASES[fullname])

    def create_module(self, spec):
        module = importlib.import_module(ALIASES[spec.name])
        # The import system is about to set the shared module's __spec__ to this alias's spec; keep
        # its own, to put back in exec_module, so the module still names its new home.
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self._specs.pop(module.__spec__.name)

    def get_source(self, fullname):
        return None

    def get_code(self, fullname):
        # `python -m aidstats.release` asks runpy for the old path's code: run the new module as __main__.
        return compile(f"import runpy\nrunpy.run_module({ALIASES[fullname]!r}, run_name='__main__', alter_sys=True)\n", fullname, "exec")

    def is_package(self, fullname):
        return False


def install() -> None:
    """Put the old-path finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, _OldPath) for finder in sys.meta_path):
        sys.meta_path.append(_OldPath())
