"""The workflows (.github/workflows/release.yml and ci.yml), what CI installs (.ci/run), and pre-commit.

Both workflows are checked against GitHub's workflow schema (check-jsonschema's
copy, so no network). Of the release, the steps that matter to users are run
here as GitHub would run them (``bash -e``), with a stand-in for ``gh``: the
tag check, the step that writes the assets, the registry check and the upload.
So the asset the workflow attaches is the file ``aidstats.download()`` asks for.
Of CI, the commands each job runs are checked against the README, TESTING.md
and the markers pyproject.toml registers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from conftest import made_once

import aidstats
from aidstats import metadata
from aidstats.publish.release import known_hashes
from aidstats.remote.fetch import release_url

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
VENV_BIN = Path(sys.executable).parent
ARCHIVE = f"aidstats-data-{metadata.VERSION}.zip"  # the name README and fetch.py promise
REPOSITORY = "aidstats/aidstats"  # where metadata.RELEASE_URL points


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def step(job: dict, step_id: str) -> dict:
    found = [s for s in job["steps"] if s.get("id") == step_id]
    assert len(found) == 1, f"expected one step with id {step_id!r}; found {len(found)}"
    return found[0]


def run_step(script: str, cwd: Path, env: dict[str, str], extra_path: Path | None = None) -> subprocess.CompletedProcess:
    """Run a step's script as GitHub runs a ``run:`` step with bash: ``bash -e``, in ``cwd``, with aidstats on PATH.

    The script file is written outside ``cwd``, which other tests may be reading at the same time."""
    path = os.pathsep.join(str(p) for p in (extra_path, VENV_BIN) if p) + os.pathsep + os.environ["PATH"]
    with tempfile.TemporaryDirectory() as scratch:
        file = Path(scratch, "step.sh")
        file.write_text(script, encoding="utf-8")
        return subprocess.run(
            ["bash", "-e", str(file)], cwd=cwd, env={**os.environ, "PATH": path, **env}, capture_output=True, text=True, timeout=600
        )


@pytest.mark.slow  # check-jsonschema in a process of its own, a second each
@pytest.mark.parametrize("path", [WORKFLOW, CI], ids=["release", "ci"])
def test_the_workflow_passes_the_github_workflow_schema(path):
    checker = shutil.which("check-jsonschema", path=str(VENV_BIN)) or shutil.which("check-jsonschema")
    assert checker, "check-jsonschema is not installed (pip install check-jsonschema)"
    done = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_schema_check_would_catch_a_mistake(tmp_path):
    """The schema is really applied: a job with a misspelt key fails it."""
    broken = tmp_path / "release.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("    runs-on: ubuntu-latest", "    run-on: ubuntu-latest", 1), encoding="utf-8"
    )
    checker = shutil.which("check-jsonschema", path=str(VENV_BIN)) or shutil.which("check-jsonschema")
    done = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert "run-on" in done.stdout


def test_it_runs_on_version_tags_only(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers == {"push": {"tags": ["v*"]}}


def test_the_tag_must_be_this_version_and_the_release_where_aidstats_looks(workflow, tmp_path):
    tag_step = step(workflow["jobs"]["build"], "tag")
    assert tag_step["env"] == {"TAG": "${{ github.ref_name }}", "REPOSITORY": "${{ github.repository }}"}
    assert workflow["jobs"]["build"]["outputs"]["version"] == "${{ steps.tag.outputs.version }}"
    output = tmp_path / "github_output"

    done = run_step(tag_step["run"], tmp_path, {"TAG": f"v{metadata.VERSION}", "REPOSITORY": REPOSITORY, "GITHUB_OUTPUT": str(output)})
    assert done.returncode == 0, done.stderr
    assert output.read_text(encoding="utf-8") == f"version={metadata.VERSION}\n"

    wrong_tag = run_step(tag_step["run"], tmp_path, {"TAG": "v99.0.0", "REPOSITORY": REPOSITORY, "GITHUB_OUTPUT": str(output)})
    assert wrong_tag.returncode == 1
    assert f"the tag is v99.0.0; expected v{metadata.VERSION}" in wrong_tag.stderr

    fork = run_step(tag_step["run"], tmp_path, {"TAG": f"v{metadata.VERSION}", "REPOSITORY": "someone/fork", "GITHUB_OUTPUT": str(output)})
    assert fork.returncode == 1
    assert f"this release publishes https://github.com/someone/fork/releases/download/v{metadata.VERSION}/{ARCHIVE}" in fork.stderr


@pytest.fixture(scope="module")
def assets(workflow, tmp_path_factory) -> Path:
    """The folder the workflow's asset step writes (dist/), written once per run by running that step; the tests only read it."""

    def write(folder: Path) -> None:
        done = run_step(step(workflow["jobs"]["build"], "assets")["run"], folder, {})
        assert done.returncode == 0, done.stdout + done.stderr

    return made_once(tmp_path_factory, "release-assets", write)


def uploaded(workflow: dict, folder: Path, release_exists: bool, scratch: Path) -> list[list[str]]:
    """Run the upload step in ``folder`` with a stand-in ``gh`` (kept in ``scratch``) and return its calls (argument lists)."""
    upload = step(workflow["jobs"]["release"], "upload")
    stub = scratch / "stub"
    stub.mkdir(exist_ok=True)
    log = scratch / "gh.log"
    log.unlink(missing_ok=True)
    # gh release view fails when the release does not exist yet.
    view_status = 0 if release_exists else 1
    (stub / "gh").write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.exit({view_status} if sys.argv[1:3] == ['release', 'view'] else 0)\n",
        encoding="utf-8",
    )
    (stub / "gh").chmod(0o755)
    env = {"GH_TOKEN": "token", "TAG": f"v{metadata.VERSION}", "VERSION": metadata.VERSION, "REPOSITORY": REPOSITORY}
    done = run_step(upload["run"], folder, env, extra_path=stub)
    assert done.returncode == 0, done.stdout + done.stderr
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow  # the assets step writes the release archive and every export
def test_the_assets_are_the_archive_aidstats_downloads_and_the_exports(workflow, assets, tmp_path):
    calls = uploaded(workflow, assets, release_exists=False, scratch=tmp_path)
    assert [c[:3] for c in calls] == [
        ["release", "view", f"v{metadata.VERSION}"],
        ["release", "create", f"v{metadata.VERSION}"],
        ["release", "upload", f"v{metadata.VERSION}"],
    ]
    assert "--verify-tag" in calls[1]  # a release only for a tag that exists
    files = [Path(assets, a) for a in calls[2][3:] if not a.startswith("--") and a != REPOSITORY]
    assert all(f.is_file() for f in files)
    names = sorted(f.name for f in files)
    # The default download URL is release/download/<tag>/<asset name>.
    assert release_url() == f"https://github.com/{REPOSITORY}/releases/download/v{metadata.VERSION}/{ARCHIVE}"
    assert Path(urlparse(release_url()).path).name in names
    stata = [f"{table}.dta" for table in aidstats.list_tables()]
    expected = [ARCHIVE, f"{ARCHIVE}.sha256", "SHA256SUMS", "aidstats.xlsx", "aidstats.db", "metadata.json", *stata]
    assert names == sorted(expected)


@pytest.mark.slow  # the assets step writes the release archive and every export
def test_the_assets_are_what_aidstats_package_writes(assets, tmp_path):
    """The archive attached is byte for byte the one `aidstats package` writes."""
    done = subprocess.run([str(VENV_BIN / "aidstats"), "package", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [ARCHIVE, f"{ARCHIVE}.sha256"]
    for name in (ARCHIVE, f"{ARCHIVE}.sha256"):
        assert (assets / "dist" / name).read_bytes() == (tmp_path / name).read_bytes()


@pytest.mark.slow  # the assets step writes the release archive and every export
def test_sha256sums_lists_every_other_asset_by_its_asset_name(assets):
    files = {p.name: p for p in (assets / "dist").rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
    lines = (assets / "dist" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert sorted(listed) == sorted(files)
    for name, digest in listed.items():
        assert digest == hashlib.sha256(files[name].read_bytes()).hexdigest(), name


@pytest.mark.slow  # the assets step writes the release archive and every export
def test_a_rerun_uploads_again_without_creating_the_release(workflow, assets, tmp_path):
    calls = uploaded(workflow, assets, release_exists=True, scratch=tmp_path)
    assert [c[:2] for c in calls] == [["release", "view"], ["release", "upload"]]
    assert "--clobber" in calls[1]


def test_two_assets_with_one_name_stop_the_release(workflow, tmp_path):
    script = step(workflow["jobs"]["build"], "assets")["run"]
    # Run only the duplicate check, on a dist/ where two folders hold a file of the same name.
    check = "\n".join(line for line in script.splitlines() if "duplicates" in line)
    for folder in ("stata", "sqlite"):
        (tmp_path / "dist" / folder).mkdir(parents=True)
        (tmp_path / "dist" / folder / "notes.csv").write_text("x\n", encoding="utf-8")
    done = run_step(check, tmp_path, {})
    assert done.returncode == 1
    assert "two files in dist/ share a name: notes.csv" in done.stdout


def test_the_archive_must_match_the_registry(workflow, tmp_path):
    registry_step = step(workflow["jobs"]["build"], "registry")["run"]
    recorded = known_hashes().get(ARCHIVE)
    assert recorded, f"aidstats/registry.txt records no sha256 for {ARCHIVE}; run python -m aidstats.publish.release"
    (tmp_path / "dist").mkdir()
    sha_file = tmp_path / "dist" / f"{ARCHIVE}.sha256"
    sha_file.write_text(f"{recorded}  {ARCHIVE}\n", encoding="utf-8")
    assert run_step(registry_step, tmp_path, {}).returncode == 0
    sha_file.write_text(f"{'0' * 64}  {ARCHIVE}\n", encoding="utf-8")
    done = run_step(registry_step, tmp_path, {})
    assert done.returncode == 1
    assert f"{ARCHIVE} has sha256 {'0' * 64}; expected {recorded}" in done.stderr


def test_artifacts_carry_dist_and_the_site_between_jobs(workflow):
    build, release, pages = (workflow["jobs"][j] for j in ("build", "release", "pages"))
    kept = {s["uses"].split("@")[0]: s.get("with", {}) for s in build["steps"] if "uses" in s}
    fetched = next(s["with"] for s in release["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert kept["actions/upload-artifact"]["path"] == fetched["path"] == "dist/"
    assert kept["actions/upload-artifact"]["name"] == fetched["name"]
    assert any(s.get("run") == "aidstats site -o site" for s in build["steps"])
    assert kept["actions/upload-pages-artifact"]["path"] == "site/"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in pages["steps"])
    assert pages["permissions"]["pages"] == pages["permissions"]["id-token"] == "write"
    assert pages["environment"]["name"] == "github-pages"
    assert release["permissions"] == {"contents": "write"}
    assert workflow["permissions"] == {"contents": "read"}  # nothing else may write


def test_the_documentation_is_built_strict_into_the_site_it_is_published_with(workflow):
    """After the site is written and before it is kept for Pages: mkdocs writes into site/docs/, which the pages link to."""
    steps = workflow["jobs"]["build"]["steps"]
    names = [s.get("run") or s.get("uses", "").split("@")[0] for s in steps]
    docs = step(workflow["jobs"]["build"], "docs")
    assert docs["run"] == "mkdocs build --strict --site-dir site/docs"
    assert names.index("aidstats site -o site") < steps.index(docs) < names.index("actions/upload-pages-artifact")
    base = (ROOT / "aidstats" / "web" / "assets" / "templates" / "base.html").read_text(encoding="utf-8")
    assert 'href="docs/index.html"' in base  # every page's header links to the documentation


def test_the_release_runs_the_tests_as_ci_does(workflow):
    runs = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert ".ci/run --system-only" in runs
    assert ".venv/bin/python -m pytest" in runs
    assert any('.venv/bin/python -m pip install -e ".[test]"' in r for r in runs)
    assert "aidstats validate" in runs  # a fresh build of raw/ against the committed package


# .ci/run: apt-get only for what is missing, R without its recommended packages.


BROWSERS = ("chromium", "chromium-headless-shell")


def run_ci(tmp_path: Path, *, browsers: tuple[str, ...] = BROWSERS, rscript: int | None) -> list[list[str]]:
    """Run .ci/run --system-only with stand-ins for apt-get, Rscript and the browsers installed; return apt-get's calls."""
    project, stub = tmp_path / "project", tmp_path / "bin"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    stub.mkdir()
    log = tmp_path / "apt.log"
    (stub / "apt-get").write_text(
        f"#!{sys.executable}\nimport json, sys\nopen({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n", encoding="utf-8"
    )
    for browser in browsers:
        (stub / browser).write_text("#!/bin/sh\n", encoding="utf-8")
    if rscript is not None:  # its exit status: 0 if readr and jsonlite load
        (stub / "Rscript").write_text(f"#!/bin/sh\nexit {rscript}\n", encoding="utf-8")
    for tool in stub.iterdir():
        tool.chmod(0o755)
    (stub / "dirname").symlink_to(shutil.which("dirname"))
    done = subprocess.run(
        [shutil.which("bash"), str(project / ".ci" / "run"), "--system-only"],
        env={"PATH": str(stub)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


R_INSTALL = ["install", "-y", "-qq", "--no-install-recommends", "r-base-core", "r-cran-readr", "r-cran-jsonlite"]


def test_ci_installs_r_without_recommends_when_r_is_missing(tmp_path):
    assert run_ci(tmp_path, rscript=None) == [["update", "-qq"], R_INSTALL]


def test_ci_installs_r_when_readr_or_jsonlite_is_missing(tmp_path):
    assert run_ci(tmp_path, rscript=1) == [["update", "-qq"], R_INSTALL]


@pytest.mark.parametrize(
    "installed, missing",
    [
        ((), ["chromium", "chromium-headless-shell"]),
        (("chromium-headless-shell",), ["chromium"]),
        (("chromium",), ["chromium-headless-shell"]),
    ],
    ids=["neither", "chromium", "headless shell"],
)
def test_ci_installs_only_the_browsers_missing(tmp_path, installed, missing):
    assert run_ci(tmp_path, browsers=installed, rscript=0) == [["update", "-qq"], ["install", "-y", "-qq", *missing]]


def test_ci_installs_nothing_when_everything_is_there(tmp_path):
    assert run_ci(tmp_path, rscript=0) == []


@pytest.mark.slow  # R
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_ci_asks_r_itself_whether_readr_and_jsonlite_load():
    """The check .ci/run runs before installing R succeeds here (both load) and fails for a package that is not there."""
    line = next(line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line.startswith("Rscript -e"))
    expression = line.split("'")[1]
    assert '"readr", "jsonlite"' in expression
    assert subprocess.run(["Rscript", "-e", expression], capture_output=True, timeout=120).returncode == 0
    missing = expression.replace('"jsonlite"', '"no.such.package"')
    assert subprocess.run(["Rscript", "-e", missing], capture_output=True, timeout=120).returncode != 0


# .github/workflows/ci.yml: on every push and pull request, lint, the fast tests on three Pythons, the whole suite.


@pytest.fixture(scope="module")
def ci() -> dict:
    return yaml.safe_load(CI.read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [s["run"] for s in job["steps"] if "run" in s]


FAST = '.venv/bin/python -m pytest -m "not slow and not browser"'


def test_ci_runs_on_every_push_and_pull_request_and_may_only_read(ci):
    triggers = ci.get("on", ci.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers == {"push": None, "pull_request": None}  # every branch and tag, every pull request
    assert ci["permissions"] == {"contents": "read"}
    assert set(ci["jobs"]) == {"lint", "fast", "floors", "full"}


def test_ci_lints_and_checks_formatting_with_the_ruff_the_test_extra_asks_for(ci, tmp_path):
    commands = runs(ci["jobs"]["lint"])
    assert {"ruff check", "ruff format --check", "lint-imports"} <= set(commands)
    # The install step writes the test extra's ruff and import-linter requirements, then installs them.
    install = next(c for c in commands if "lint-requirements.txt" in c)
    script = install.partition("python -m pip install")[0]
    done = run_step(script, tmp_path, {"RUNNER_TEMP": str(tmp_path)})
    assert done.returncode != 0 and "pyproject.toml" in done.stderr  # it reads the checkout's pyproject.toml
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    done = run_step(script, tmp_path, {"RUNNER_TEMP": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    test_extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["test"]
    wanted = [r for r in test_extra if r.startswith(("ruff", "import-linter"))]
    assert len(wanted) == 2
    assert (tmp_path / "lint-requirements.txt").read_text(encoding="utf-8").splitlines() == wanted


def test_ci_runs_the_fast_tests_on_python_3_11_3_12_and_3_13(ci):
    fast = ci["jobs"]["fast"]
    assert fast["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert fast["strategy"]["fail-fast"] is False  # one Python failing does not hide the others
    setup = next(s for s in fast["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    assert FAST in runs(fast)
    assert any('.venv/bin/python -m pip install -e ".[test]"' in c for c in runs(fast))


def test_ci_runs_the_fast_tests_with_every_lower_bound_of_aidstats_own_dependencies(ci, tmp_path):
    """The `floors` job pins each requirement of aidstats and of the extras `all` names at its `>=` bound."""
    from packaging.requirements import Requirement  # pytest's own dependency: a parser other than the step's regex

    floors = ci["jobs"]["floors"]
    setup = next(s for s in floors["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"  # the oldest Python aidstats supports, as TESTING.md says
    commands = runs(floors)
    pin = next(c for c in commands if "floors.txt" in c and "tomllib" in c)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    done = run_step(pin, tmp_path, {"RUNNER_TEMP": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    project = tomllib.loads(pyproject)["project"]
    extras = project["optional-dependencies"]
    assert extras["all"] == ["aidstats[build,viz,download,export]"]
    wanted = []
    for text in project["dependencies"] + extras["build"] + extras["viz"] + extras["download"] + extras["export"]:
        requirement = Requirement(text)
        (bound,) = requirement.specifier  # one bound each, a lower one
        assert bound.operator == ">=", text
        wanted.append(f"{requirement.name}=={bound.version}")
    assert len(wanted) == 5 + 2 + 3 + 4 + 1  # pandas, pyarrow, numpy, typer, rich; then each extra's, counted in pyproject.toml
    assert (tmp_path / "floors.txt").read_text(encoding="utf-8").splitlines() == wanted
    # A requirement without a lower bound stops the step instead of going untested.
    (tmp_path / "pyproject.toml").write_text(pyproject.replace('"rich>=14.1",', '"rich",', 1), encoding="utf-8")
    assert '"rich",' in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert run_step(pin, tmp_path, {"RUNNER_TEMP": str(tmp_path)}).returncode != 0
    assert '.venv/bin/python -m pip install -e ".[test]" -c "$RUNNER_TEMP/floors.txt"' in commands[-2]
    assert commands[-1] == FAST


def test_ci_runs_the_whole_suite_with_chromium_and_r_as_the_release_does(ci, workflow):
    full = ci["jobs"]["full"]
    assert full["container"] == workflow["jobs"]["build"]["container"]  # python:3.11-bookworm, shared memory for Chromium
    assert full["container"]["image"] == "python:3.11-bookworm"
    commands = runs(full)
    assert commands[0] == "bash .ci/run --system-only"  # Chromium and R from apt
    assert commands[-1] == ".venv/bin/python -m pytest"  # the README's test command: everything, nothing deselected
    assert "&& .venv/bin/python -m pytest\n" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_markers_ci_selects_by_are_registered_and_strict():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in options["addopts"].split()  # a misspelt marker is an error, not a test that always runs
    registered = {line.partition(":")[0] for line in options["markers"]}
    assert {"slow", "browser"} <= registered


def test_testing_md_gives_the_commands_ci_runs():
    testing = (ROOT / "TESTING.md").read_text(encoding="utf-8")
    for command in [FAST, ".venv/bin/python -m pytest", "ruff check", "ruff format --check", "lint-imports", "bash .ci/run --system-only"]:
        assert f"`{command}`" in testing, command


def test_pre_commit_runs_ruffs_lint_and_format_hooks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), "a released ruff, pinned"
    assert [hook["id"] for hook in repo["hooks"]] == ["ruff-check", "ruff-format"]
