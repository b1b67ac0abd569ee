"""The shape of the package: layers that data flows down, no import loop, and the old import paths."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import aidstats
from aidstats._moved import MOVED

ROOT = Path(__file__).resolve().parents[1]


def test_the_layer_contract_is_kept():
    # import-linter's own command, reading the contract in pyproject.toml.
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("aidstats", cache_dir=None)
    # A package's __init__ importing its own submodules is not a loop of modules; only aidstats
    # itself does that (lazily, by name), and grimp does not see it.
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_loop():
    class Graph:  # a loop of three, and one module outside it
        def __init__(self):
            self.modules = {"a", "b", "c", "d"}
            self.edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        def find_modules_directly_imported_by(self, module):
            return self.edges[module]

    assert _cycles(Graph()) == [["a", "b", "c"]]


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_import_path_gives_the_module_at_its_new_home(old):
    module = importlib.import_module(old)
    assert module is importlib.import_module(MOVED[old])
    assert module.__name__ == MOVED[old] and module.__spec__.name == MOVED[old]  # its own name kept


def test_from_imports_and_attribute_paths_of_old_modules_work():
    from aidstats.diff import diff_packages
    from aidstats.fetch import retrieve
    from aidstats.figures import CHARTS

    from aidstats.build import build, build_tables  # aidstats/build.py until 0.2.0

    assert build.__module__ == "aidstats.build.run" and build_tables.__module__ == "aidstats.build.run"
    assert retrieve.__module__ == "aidstats.remote.fetch" and diff_packages.__module__ == "aidstats.remote.diff"
    assert CHARTS is aidstats.web.figures.CHARTS


def test_python_dash_m_with_an_old_path_runs_the_module():
    result = subprocess.run(
        [sys.executable, "-m", "aidstats.release", "--help"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "usage: python -m aidstats.publish.release" in result.stdout


def test_every_wing_says_what_to_edit():
    for wing in ("build", "publish", "web", "remote", "text"):
        doc = importlib.import_module(f"aidstats.{wing}").__doc__
        assert doc and "What lives here" in doc, wing
        for module in sorted((ROOT / "aidstats" / wing).glob("*.py")):
            if module.stem != "__init__":
                assert f"``{module.stem}``" in doc, f"aidstats/{wing}/__init__.py does not name {module.name}"
    for wing in ("build", "publish", "web", "remote"):
        assert "What to edit" in importlib.import_module(f"aidstats.{wing}").__doc__, wing


def test_every_file_of_the_package_is_tracked_by_git():
    # A .gitignore pattern once matched aidstats/build/ (meant for a top-level build/), which left
    # the build wing's __init__.py out of commits: a clean clone would not have it.
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "aidstats"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    present = [p.relative_to(ROOT).as_posix() for p in (ROOT / "aidstats").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert sorted(set(present) - set(tracked)) == []
