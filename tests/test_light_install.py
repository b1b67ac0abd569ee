"""The light install: ``pip install aidstats`` loads every table and runs the helpers without the extras,
and whatever needs an extra says which one in one line.

The first tests block an extra's libraries in this environment (a ``None`` in
``sys.modules`` makes an import of it fail as if it were not installed); the
last ones install the wheel, with its real plain dependencies from the package
index, into a fresh virtual environment, once per run (``light_env`` in conftest.py).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from aidstats.extras import EXTRAS, MissingExtra, missing_extra, require

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
HEAVY = ("pandera", "frictionless", "plotly", "pooch")  # the four the issue names


def block(monkeypatch, *modules: str) -> None:
    """Make ``import module`` (and of its submodules) fail with ModuleNotFoundError, as if it were not installed."""
    for module in modules:
        # A submodule already imported would otherwise still import: Python looks it up before its parent.
        for name in [name for name in sys.modules if name.startswith(f"{module}.")]:
            monkeypatch.setitem(sys.modules, name, None)
        monkeypatch.setitem(sys.modules, module, None)


def message(module: str, extra: str) -> str:
    return f'Error: this command needs {module}: pip install "aidstats[{extra}]"\n'


def requirement_name(requirement: str) -> str:
    """``"pandera>=0.35"`` -> ``"pandera"``; ``"aidstats[all]"`` -> ``"aidstats"``."""
    return re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower()


# --- pyproject.toml and aidstats/extras.py say the same thing --------------------------------


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_each_extra_installs_the_modules_aidstats_imports_from_it(extra):
    # Every module of EXTRAS installs under its own name, so the names must match one to one.
    assert sorted(map(requirement_name, PYPROJECT["optional-dependencies"][extra])) == sorted(EXTRAS[extra])


def test_all_is_every_extra_and_test_is_all():
    optional = PYPROJECT["optional-dependencies"]
    (everything,) = optional["all"]
    assert re.fullmatch(r"aidstats\[([a-z,]+)\]", everything).group(1).split(",") == list(EXTRAS)
    assert "aidstats[all]" in optional["test"]
    assert "aidstats[docs]" in optional["test"]  # the suite builds the documentation (tests/test_docs_site.py)
    # docs, like test, is for working on the project: aidstats imports none of it.
    assert set(optional) == {*EXTRAS, "all", "test", "docs"}, "an extra in pyproject.toml that aidstats/extras.py does not know"


def test_the_plain_install_brings_none_of_the_extras():
    plain = set(map(requirement_name, PYPROJECT["dependencies"]))
    assert plain == {"pandas", "pyarrow", "numpy", "typer", "rich"}
    assert not plain & {module for modules in EXTRAS.values() for module in modules}


def test_the_readme_set_up_installs_every_extra_and_ci_runs_its_test_command():
    section = (ROOT / "README.md").read_text(encoding="utf-8").partition("## Set-up: two commands")[2].partition("\n## ")[0]
    build, test = re.findall(r"```sh\n(.+?)\n```", section)
    assert 'pip install -e ".[all]" && .venv/bin/aidstats build && .venv/bin/aidstats validate' in build
    assert 'pip install -e ".[test]" && .venv/bin/python -m pytest' in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines(), ".ci/run runs the README's test command verbatim"


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the absolute imports in a Python file (relative imports are aidstats's own)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.partition(".")[0])
    return names


def test_every_library_aidstats_imports_is_a_dependency_or_in_an_extra():
    third_party = set()
    for path in (ROOT / "aidstats").rglob("*.py"):
        third_party |= imported_modules(path) - set(sys.stdlib_module_names) - {"aidstats", "__future__"}
    declared = set(map(requirement_name, PYPROJECT["dependencies"])) | {m for modules in EXTRAS.values() for m in modules}
    assert third_party - declared == set(), "imported but neither a dependency in pyproject.toml nor in an extra"


# --- aidstats.extras ------------------------------------------------------------------------


def test_require_names_the_first_missing_library_and_its_extra(monkeypatch):
    block(monkeypatch, "frictionless")
    with pytest.raises(MissingExtra) as caught:
        require("build", "aidstats.build.run.build()")
    assert str(caught.value) == 'aidstats.build.run.build() needs frictionless: pip install "aidstats[build]"'
    assert (caught.value.name, caught.value.extra) == ("frictionless", "build")
    assert isinstance(caught.value, ImportError), "code that catches ImportError still catches it"


def test_require_checks_every_library_of_the_extra_in_order(monkeypatch):
    block(monkeypatch, "urllib3", "tqdm")
    with pytest.raises(MissingExtra, match=r"^this command needs urllib3: pip install \"aidstats\[download\]\"$"):
        require("download")


def test_require_refuses_an_unknown_extra_and_lists_the_known_ones():
    with pytest.raises(KeyError) as caught:
        require("charts")
    assert caught.value.args == ("no extra named 'charts'; the extras are: build, viz, download, export",)


def test_missing_extra_speaks_of_the_command_unless_told_otherwise():
    found = MissingExtra("pooch", "download")
    assert str(found) == 'this command needs pooch: pip install "aidstats[download]"'


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_require_passes_when_the_extra_is_installed(extra):
    assert require(extra) is None  # this environment has every extra (the test extra pulls in all)


def test_missing_extra_maps_a_submodule_to_its_library():
    found = missing_extra(ModuleNotFoundError("No module named 'plotly'", name="plotly.express"), "aidstats.web.figures")
    assert str(found) == 'aidstats.web.figures needs plotly: pip install "aidstats[viz]"'
    assert (found.name, found.extra) == ("plotly", "viz")
    # A module two levels down is its library's too; without a needed_by the message says "this command".
    deep = missing_extra(ModuleNotFoundError("No module named 'plotly'", name="plotly.graph_objs._figure"))
    assert str(deep) == 'this command needs plotly: pip install "aidstats[viz]"'


def test_missing_extra_keeps_its_own_error_and_ignores_other_modules():
    own = MissingExtra("pooch", "download")
    assert missing_extra(own) is own
    assert missing_extra(ModuleNotFoundError("No module named 'narwhals'", name="narwhals")) is None
    assert missing_extra(ImportError("cannot import name 'x'")) is None  # no module name at all


# --- the command line, with an extra blocked -----------------------------------------------

# (command line, the library blocked, the extra the message must name); {tmp} is an empty folder.
COMMANDS = [
    pytest.param(args, module, extra, id=f"{args.split()[0]}-{module}", marks=marks)
    for args, module, extra, marks in [
        ("build", "pandera", "build", ()),
        ("build", "frictionless", "build", ()),
        ("validate", "frictionless", "build", ()),
        ("dashboard -o {tmp}/dashboard.html", "plotly", "viz", ()),
        ("dashboard -o {tmp}/dashboard.html", "jinja2", "viz", ()),
        ("site -o {tmp}/site", "jinja2", "viz", ()),
        ("site -o {tmp}/site", "plotly", "viz", ()),
        ("download --dest {tmp}/data", "pooch", "download", ()),
        ("export xlsx --out {tmp}/out", "openpyxl", "export", ()),
        ("package --out {tmp}/dist", "openpyxl", "export", ()),
        ("list --source https://127.0.0.1:9/datapackage.json", "pooch", "download", ()),
        ("show caveats --source https://127.0.0.1:9/datapackage.json", "requests", "download", ()),
    ]
]


@pytest.mark.parametrize(("args", "module", "extra"), COMMANDS)
def test_a_command_needing_a_missing_extra_names_it_in_one_line(monkeypatch, tmp_path, args, module, extra):
    monkeypatch.setenv("AIDSTATS_CACHE_DIR", str(tmp_path / "cache"))  # a download would stage beside it
    block(monkeypatch, module)
    result = run_cli(*args.format(tmp=tmp_path).split())
    assert result.exit_code == 1, result.output
    assert result.stderr == message(module, extra)
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == [], "a command that cannot run writes nothing"


def test_help_needs_no_extra(monkeypatch):
    block(monkeypatch, *(module for modules in EXTRAS.values() for module in modules))
    for command in ("build", "validate", "dashboard", "site", "download"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.stdout


def test_a_missing_library_that_no_extra_brings_is_not_disguised(monkeypatch):
    # A broken install (plotly without its own dependency narwhals) is not the user's doing:
    # it is not reported as an extra to install.
    def broken(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'narwhals'", name="narwhals")

    monkeypatch.setattr("aidstats.web.dashboard.write", broken)
    result = run_cli("dashboard", "-o", str(ROOT / "never-written.html"))
    assert isinstance(result.exception, ModuleNotFoundError) and result.exception.name == "narwhals"


def test_the_installed_command_reports_a_missing_extra_without_a_traceback(tmp_path):
    # The console script's own entry point, in a fresh interpreter where plotly cannot be imported.
    code = (
        "import sys; sys.modules['plotly'] = None; "
        "from aidstats.cli import main; sys.argv = ['aidstats', 'dashboard', '-o', sys.argv[1]]; main()"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "d.html")], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message("plotly", "viz"))


def test_download_from_python_names_the_extra(monkeypatch, tmp_path):
    import aidstats

    block(monkeypatch, "pooch")
    with pytest.raises(MissingExtra, match=r'^aidstats\.download\(\) needs pooch: pip install "aidstats\[download\]"$'):
        aidstats.download("file:///nowhere/datapackage.json", dest=tmp_path / "data")


# --- the wheel in a fresh virtual environment, without extras ------------------------------


# light_env (conftest.py): the wheel and its plain dependencies in a fresh virtual environment, made once per run.


def run_in(env: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # Only the environment's own bin/ on PATH: nothing from this one leaks in.
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=300, env={"PATH": f"{env / 'bin'}:/usr/bin:/bin"})


def test_the_plain_install_has_none_of_the_heavy_libraries(light_env, tmp_path):
    everything = sorted({*HEAVY, *(module for modules in EXTRAS.values() for module in modules)})
    code = f"import importlib.util, json; print(json.dumps([m for m in {everything!r} if importlib.util.find_spec(m)]))"
    done = run_in(light_env, "python", "-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_plain_install_loads_every_table_and_runs_the_helpers(light_env, tmp_path):
    import aidstats

    code = (
        "import json, aidstats; "
        "print(json.dumps({'file': aidstats.__file__, "
        "'rows': {n: len(aidstats.load(n)) for n in aidstats.list_tables()}, "
        "'helpers': [len(aidstats.plan_fulfilment()), len(aidstats.per_donor()), len(aidstats.loss_summary()), "
        "aidstats.implied_plan(0.84, 2.8).plan]}))"
    )
    done = run_in(light_env, "python", "-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["file"].startswith(str(light_env)), "the wheel's aidstats, not this checkout's"
    assert result["rows"] == {name: len(aidstats.load(name)) for name in aidstats.list_tables()}
    assert (result["rows"]["aid_deliveries"], result["rows"]["railway_damage"], result["rows"]["mineral_exports"]) == (84, 16, 16)
    plan_rows, donor_rows, loss_rows, plan = result["helpers"]
    assert (plan_rows, donor_rows, loss_rows) == (len(aidstats.plan_fulfilment()), len(aidstats.per_donor()), len(aidstats.loss_summary()))
    assert plan == pytest.approx(0.84 * 100 / 2.8)  # 0.84 is 2.8 % of the plan


def test_the_plain_install_lists_the_tables(light_env, tmp_path):
    import aidstats

    done = run_in(light_env, "aidstats", "list", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert all(name in done.stdout for name in aidstats.list_tables())


@pytest.mark.parametrize(
    ("args", "module", "extra"),
    [(["dashboard", "-o", "d.html"], "plotly", "viz"), (["build"], "pandera", "build")],
    ids=["dashboard", "build"],
)
def test_the_plain_install_names_the_extra_a_command_needs(light_env, tmp_path, args, module, extra):
    done = run_in(light_env, "aidstats", *args, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message(module, extra))
    assert list(tmp_path.iterdir()) == []
