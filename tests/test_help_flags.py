"""Help that shows each flag without a value type (issue 11, item 6): ``--force`` takes no value, so
``<bool>`` beside it only misleads, while an option that takes a value keeps its type."""

from __future__ import annotations

import pytest
from conftest import run_cli

from aidstats.cli import app

COMMANDS = [info.name or info.callback.__name__ for info in app.registered_commands]


@pytest.mark.parametrize("args", [[], *([command] for command in COMMANDS)], ids=["aidstats", *COMMANDS])
def test_help_shows_no_bool_beside_a_flag(args):
    result = run_cli(*args, "--help")
    assert result.exit_code == 0, result.output
    assert "--help" in result.stdout
    assert "<bool>" not in result.stdout


def test_flags_are_still_listed_and_value_options_keep_their_type():
    download = run_cli("download", "--help").stdout
    assert "--force" in download
    timeout = next(line for line in download.splitlines() if "--timeout" in line)
    assert "<float>" in timeout  # a value is expected: its type is worth showing
    assert "--version" in run_cli("--help").stdout
