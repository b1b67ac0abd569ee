from __future__ import annotations

import pytest
from conftest import run_cli

import aidstats


@pytest.mark.parametrize("command", ["build", "validate", "list", "show"])
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_list_shows_every_table_with_its_rows():
    result = run_cli("list")
    assert result.exit_code == 0
    for name in aidstats.list_tables():
        assert name in result.output
    assert "84" in result.output


def test_show_prints_title_rows_and_source():
    result = run_cli("show", "mineral_exports")
    assert result.exit_code == 0
    assert "Mineral deliveries" in result.output and "beryllium concentrate" in result.output
    assert "Akimov" in result.output  # footnote 48's document


def test_show_unknown_table_lists_the_valid_ones():
    result = run_cli("show", "railways")
    assert result.exit_code == 2
    assert "railway_damage" in result.output
