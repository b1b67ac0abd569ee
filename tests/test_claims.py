"""What the README and the documentation say about installing and about the command line, held to what is true (issue 22).

The README's sections on these moved to the documentation (issue 18): installing to docs/getting-started.md,
releasing to docs/releasing.md, the command line to docs/cli.md; the claims are checked where they now are.

- Every ``pip install`` line in the README and the documentation installs something that exists: this checkout (``-e ".[…]"``),
  the repository aidstats names for its releases (``git+https://github.com/…``), or the name ``aidstats``
  from PyPI only because the release workflow publishes it there (trusted publishing); and the README
  says how to install before the first release is on PyPI.
- ``build`` and ``validate`` without ``--root`` work on the current folder when it holds raw/, and say so
  in one line when it does not (never on the folder aidstats is installed in).
- The README's error contract: one ``Error:`` line for a mistake in how a command is called, and for
  problems in the data, every problem listed, one indented line each, under a line that counts them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli, snapshot
from packaging.requirements import InvalidRequirement, Requirement

from aidstats import metadata

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").rglob("*.md"))}
GETTING_STARTED, RELEASING, CLI_PAGE = DOCS["docs/getting-started.md"], DOCS["docs/releasing.md"], DOCS["docs/cli.md"]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
CLI = Path(sys.executable).parent / "aidstats"  # the installed console script
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS = set(PYPROJECT["optional-dependencies"])
REPOSITORY = metadata.RELEASE_URL.split("/releases/")[0]  # https://github.com/aidstats/aidstats, where releases are
PYPI_PUBLISH = "pypa/gh-action-pypi-publish"


def paragraph(text: str, words: str) -> str:
    """The README's paragraph holding ``words``, its lines joined with spaces."""
    found = [p for p in re.split(r"\n\s*\n", text) if words in " ".join(p.split())]
    assert len(found) == 1, f"expected one paragraph with {words!r}; found {len(found)}"
    return " ".join(found[0].split())


# --- install lines -----------------------------------------------------------------------------


def install_lines(text: str) -> list[str]:
    """What each ``pip install`` in ``text`` installs, as written (``-e ".[all]"``, ``aidstats``, ``"aidstats[viz] @ git+…"``)."""
    return re.findall(r'pip install\s+((?:-e\s+)?(?:"[^"]+"|[^\s`"]+))', text)


def publishes_to_pypi(workflow: dict) -> list[str]:
    """Why the release workflow does not publish this project's sdist and wheel to PyPI by trusted publishing; [] if it does."""
    jobs = workflow["jobs"]
    publishing = [name for name, job in jobs.items() if any(s.get("uses", "").startswith(f"{PYPI_PUBLISH}@") for s in job["steps"])]
    if len(publishing) != 1:
        return [f"expected one job that uses {PYPI_PUBLISH}; found {publishing}"]
    (name,) = publishing
    job, why = jobs[name], []
    publish = next(s for s in job["steps"] if s.get("uses", "").startswith(f"{PYPI_PUBLISH}@"))
    if set(publish.get("with", {})) & {"password", "user"}:
        why.append("it passes an API token; trusted publishing needs none")
    if job.get("permissions") != {"id-token": "write"}:
        why.append(f"the {name} job's permissions are {job.get('permissions')}; expected only id-token: write")
    if job.get("environment", {}).get("name") != "pypi":
        why.append(f"the {name} job runs in no environment named pypi (the one the README asks PyPI to trust)")
    fetched = [s["with"] for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    built = {
        s["with"]["name"]: (other, s["with"]["path"])
        for other, j in jobs.items()
        for s in j["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    if len(fetched) != 1 or fetched[0].get("path") != "dist/" or fetched[0].get("name") not in built:
        why.append(f"the {name} job does not fetch into dist/ (where {PYPI_PUBLISH} looks) an artifact another job keeps")
        return why
    builder, folder = built[fetched[0]["name"]]
    runs = " ".join(s.get("run", "") for s in jobs[builder]["steps"])
    if f"python -m build --outdir {folder.rstrip('/')}" not in runs:
        why.append(f"the {builder} job does not build the sdist and wheel into {folder} with python -m build")
    needs = job.get("needs", [])
    needs = [needs] if isinstance(needs, str) else needs
    if not {builder, "release"} <= set(needs):
        why.append(f"the {name} job needs {needs}; expected {builder} and release (the archive aidstats download fetches)")
    if "build" not in (needs_of := jobs[builder].get("needs", [])) and needs_of != "build":
        why.append(f"the {builder} job does not wait for the build job (validation and the tests)")
    return why


def not_provided(line: str, workflow: dict) -> str | None:
    """Why the ``pip install`` of ``line`` would not install aidstats as the README means; None if it would."""
    spec = line.removeprefix("-e").strip().strip('"')
    local = re.fullmatch(r"\.(?:\[(.+)\])?", spec)
    if local:  # this checkout
        extras = set(local.group(1).split(",")) if local.group(1) else set()
        return f"no extra {sorted(extras - EXTRAS)} in pyproject.toml" if extras - EXTRAS else None
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as err:
        return f"not a requirement: {err}"
    if requirement.name != PYPROJECT["name"]:
        return f"installs {requirement.name}, not {PYPROJECT['name']}"
    if requirement.extras - EXTRAS:
        return f"no extra {sorted(requirement.extras - EXTRAS)} in pyproject.toml"
    if requirement.url is not None:
        same = requirement.url == f"git+{REPOSITORY}"
        return None if same else f"{requirement.url} is not the repository releases come from, {REPOSITORY}"
    why = publishes_to_pypi(workflow)
    return f"the name {requirement.name} comes from PyPI, but {'; '.join(why)}" if why else None


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_every_install_line_in_the_readme_installs_what_it_says(workflow):
    lines = install_lines("\n".join([README, *DOCS.values()]))
    assert {'-e ".[all]"', '-e ".[test]"', "aidstats", f'"aidstats @ git+{REPOSITORY}"'} <= set(lines), lines
    wrong = {line: why for line in lines if (why := not_provided(line, workflow))}
    assert wrong == {}


def test_the_check_refuses_what_nothing_provides(workflow):
    """The old README's `pip install aidstats`, with a workflow that publishes nothing to PyPI, fails the check; so do
    another repository, another name and an extra that does not exist."""
    without_pypi = {"jobs": {name: job for name, job in workflow["jobs"].items() if name != "pypi"}}
    assert "comes from PyPI" in not_provided("aidstats", without_pypi)
    assert "comes from PyPI" in not_provided('"aidstats[viz]"', without_pypi)
    token = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    next(s for s in token["jobs"]["pypi"]["steps"] if "uses" in s and PYPI_PUBLISH in s["uses"])["with"] = {"password": "x"}
    assert "API token" in not_provided("aidstats", token)
    assert "not the repository" in not_provided('"aidstats @ git+https://github.com/someone/fork"', workflow)
    assert "installs aidstat" in not_provided("aidstat", workflow)
    assert "no extra ['plots']" in not_provided('"aidstats[plots]"', workflow)
    assert "no extra ['plots']" in not_provided('-e ".[plots]"', workflow)
    assert not_provided('"aidstats[viz] @ git+https://github.com/aidstats/aidstats"', workflow) is None


def test_the_readme_says_how_to_install_until_the_first_release_is_on_pypi():
    text = paragraph(GETTING_STARTED, "Only loading the tables?")
    assert "That name works once a release is on PyPI" in text
    assert f'until then install from the repository: `pip install "aidstats @ git+{REPOSITORY}"`' in text
    assert f'`pip install "aidstats[viz] @ git+{REPOSITORY}"`' in text


def test_the_release_workflow_publishes_to_pypi_by_trusted_publishing(workflow):
    assert publishes_to_pypi(workflow) == []
    assert "id-token" not in workflow["permissions"]  # only the job that publishes may ask for a token
    text = paragraph(RELEASING, "Pushing the tag `v<version>` publishes it")
    assert "uploads the sdist and wheel to PyPI by trusted publishing" in text
    assert "`pypi` environment as a trusted publisher of `aidstats`" in text


def distributions_check(workflow: dict) -> str:
    """The lines of the distributions step after it builds: the check that python-dist/ holds this version's two files."""
    script = next(s for s in workflow["jobs"]["distributions"]["steps"] if s.get("id") == "distributions")["run"]
    lines = script.splitlines()
    return "\n".join(lines[next(i for i, line in enumerate(lines) if "python -m build" in line) + 1 :])


@pytest.mark.parametrize(
    ("files", "status"),
    [
        ([f"aidstats-{metadata.VERSION}-py3-none-any.whl", f"aidstats-{metadata.VERSION}.tar.gz"], 0),
        (["aidstats-9.9.9-py3-none-any.whl", "aidstats-9.9.9.tar.gz"], 1),
        ([f"aidstats-{metadata.VERSION}.tar.gz"], 1),
    ],
    ids=["this version", "another version", "no wheel"],
)
def test_the_distributions_must_be_this_version(workflow, tmp_path, files, status):
    (tmp_path / "python-dist").mkdir()
    for name in files:
        (tmp_path / "python-dist" / name).write_bytes(b"")
    script = tmp_path / "check.sh"
    script.write_text(distributions_check(workflow), encoding="utf-8")
    done = subprocess.run(
        ["bash", "-e", str(script)], cwd=tmp_path, env={**os.environ, "VERSION": metadata.VERSION}, capture_output=True, text=True
    )
    assert done.returncode == status, done.stdout + done.stderr
    if status:
        assert "::error::python-dist/ holds" in done.stdout


# --- build and validate without --root -----------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "validate"])
def test_without_root_outside_a_project_says_so_in_one_line(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run_cli(command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: no raw/ in {tmp_path}; run in a project folder or pass --root\n"
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_without_root_outside_a_project_says_so(tmp_path):
    """As a user runs it after pip install: the folder it looks in is the current one, not the installed package's."""
    done = subprocess.run([CLI, "build"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"Error: no raw/ in {tmp_path}; run in a project folder or pass --root\n"


def test_build_without_root_in_a_project_folder_builds_there(project_copy, monkeypatch):
    for path in (project_copy / "clean").iterdir():
        path.unlink()
    (project_copy / "datapackage.json").unlink()
    monkeypatch.chdir(project_copy)
    result = run_cli("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"wrote {project_copy / 'clean'} and {project_copy / 'datapackage.json'}\n")
    # The whole package, written in the current folder: every file of clean/, and validate (also without --root) agrees.
    assert sorted(p.name for p in (project_copy / "clean").iterdir()) == sorted(p.name for p in (ROOT / "clean").iterdir())
    result = run_cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid: ")


def test_the_root_option_says_what_it_defaults_to():
    result = run_cli("build", "--help")
    assert "default: the current folder, if it holds raw/" in " ".join(result.stdout.replace("│", " ").split())
    text = paragraph(CLI_PAGE, "`build` and `validate` work on the project in the current folder")
    assert "or in the folder `--root DIR` names; anywhere else they say so in one line and change nothing" in text


# --- the error contract as the README states it ----------------------------------------------------


CONTRACT = paragraph(CLI_PAGE, "`aidstats --version` prints the version.")


def counted_report(stderr: str) -> list[str]:
    """The problems of a report that counts them in its first line and lists them one indented line each."""
    head, *problems = stderr.splitlines()
    found = re.match(r"(\d+) problem", head)
    assert found, f"the first line does not count the problems: {head!r}"
    assert int(found.group(1)) == len(problems) >= 2, stderr
    assert all(line.startswith("  ") and line.strip() for line in problems), stderr
    return problems


def test_the_readme_states_the_contract_that_the_commands_keep():
    assert "Every command reports a mistake in one line" not in README + CLI_PAGE  # not so for build, validate and download
    assert "is reported in one line on stderr starting `Error:`, with exit status 1 (it could not do its work) or 2" in CONTRACT
    assert (
        "`build` and `validate` print a line that says how many there are, then one indented line per problem "
        "(`build` then writes nothing); a download that fails verification prints its `Error:` line, then one "
        "indented line per problem." in CONTRACT
    )


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_build_lists_every_problem_in_the_data_under_a_count(project_copy):
    """Two faults in raw/: both listed, under a line that counts them; no Error: line; nothing written."""
    raw = project_copy / "raw"
    for name, old, new in [
        ("railway_damage.csv", "schools,buildings,11", "schools,building,11"),
        ("units.csv", "kg,kilogram,mass,t,0.001", "kg,kilogram,mass,t,abc"),
    ]:
        text = (raw / name).read_text(encoding="utf-8")
        assert old in text
        (raw / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(project_copy)
    result = run_cli("build", "--root", str(project_copy))
    assert (result.exit_code, result.stdout) == (1, "")
    problems = counted_report(result.stderr)
    assert any("raw/railway_damage.csv" in p for p in problems) and any("raw/units.csv" in p for p in problems)
    assert not any(line.startswith("Error:") for line in result.stderr.splitlines())
    assert snapshot(project_copy) == before


@pytest.mark.slow  # a whole build of a faulty copy; the fast loop keeps the builds conftest.py names
def test_validate_lists_every_problem_under_a_count(project_copy):
    for name in ("donors.csv", "units.csv"):
        with (project_copy / "clean" / name).open("a", encoding="utf-8") as out:
            out.write("changed by hand\n")
    result = run_cli("validate", "--root", str(project_copy))
    assert (result.exit_code, result.stdout) == (1, "")
    problems = counted_report(result.stderr)
    assert any("donors" in p for p in problems) and any("units" in p for p in problems)
    assert not any(line.startswith("Error:") for line in result.stderr.splitlines())


def test_a_download_that_fails_verification_lists_every_problem_under_its_error_line(tmp_path):
    descriptor = (ROOT / "datapackage.json").read_text(encoding="utf-8")
    files = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "clean").iterdir())]
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("datapackage.json", descriptor)
        for name in files:
            data = (ROOT / name).read_bytes()
            out.writestr(name, data + b"x" if name in ("clean/donors.csv", "clean/units.csv") else data)
    result = run_cli("download", archive.as_uri(), "--dest", str(tmp_path / "data"))
    assert (result.exit_code, result.stdout) == (1, "")
    head, *problems = result.stderr.splitlines()
    assert head.startswith(f"Error: download failed: the package from {archive.as_uri()} failed verification"), head
    assert len(problems) >= 2 and all(line.startswith("  ") for line in problems), result.stderr
    assert any("clean/donors.csv" in p for p in problems) and any("clean/units.csv" in p for p in problems)
    assert not (tmp_path / "data").exists()


def test_install_lines_are_found_however_they_are_written():
    text = 'a `pip install aidstats` b\n```sh\npython -m pip install -e ".[all]" && x\n```\n`pip install "aidstats[viz] @ git+u"`.'
    assert install_lines(text) == ["aidstats", '-e ".[all]"', '"aidstats[viz] @ git+u"']
