"""Documentation that cannot drift: generated sections, CI, citation."""

from __future__ import annotations

import re

from conftest import ROOT

import aidstats
from aidstats.docs import CAVEATS_END, CAVEATS_START, END, START, caveats_markdown, tables_markdown

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_table_of_tables_is_current():
    generated = README[README.index(START) : README.index(END) + len(END)]
    assert generated == tables_markdown(), "run: python -m aidstats.docs README.md"
    caveats = README[README.index(CAVEATS_START) : README.index(CAVEATS_END) + len(CAVEATS_END)]
    assert caveats == caveats_markdown(), "run: python -m aidstats.docs README.md"


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    commands = setup_commands()
    assert len(commands) == 2
    assert "aidstats build" in commands[0] and "aidstats validate" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci


def test_citation_file_agrees_with_the_package():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{aidstats.__version__}"' in citation
    assert "North Korea and the Armistice Negotiations" in citation
    assert f"## {aidstats.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
