"""The build: deterministic, atomic, and clear about bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

import aidstats.build


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_committed_package_equals_a_fresh_build():
    result = run_cli("validate")
    assert result.exit_code == 0, result.output


def test_build_is_deterministic_across_folders_and_environments(tmp_path):
    """Two builds in different folders, time zones, locales and hash seeds."""
    outputs = []
    for i, (tz, lang, seed) in enumerate([("UTC", "C.UTF-8", "1"), ("Asia/Pyongyang", "en_US.UTF-8", "4242")]):
        folder = tmp_path / f"build{i}"
        folder.mkdir()
        (folder / "raw").symlink_to(ROOT / "raw")
        env = os.environ | {"TZ": tz, "LANG": lang, "LC_ALL": lang, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "aidstats", "build", "--root", str(folder)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append(snapshot(folder))
    assert outputs[0] == outputs[1]
    assert outputs[0] == snapshot(ROOT)  # and both equal what is committed


# (file, text to replace, replacement, line, column, words the message must hold)
BAD_INPUTS = [
    ("railway_damage.csv", "tunnels,track_and_structures,67,", "tunnels,track_and_structures,6x7,", 10, "lost_as_printed", "'6x7'"),
    ("railway_damage.csv", "schools,buildings,11", "schools,building,11", 6, "asset_group", "one of: buildings"),
    ("mineral_exports.csv", "carbide,75,15,1951-01-01", "carbide,75,15,1951-13-01", 12, "period_start", "YYYY-MM-DD"),
    ("mineral_exports.csv", 'lead ore,"1,062",44,', 'lead ore,"1,062",45,', 16, "percent_of_plan_as_printed", "this row's quote"),
    ("aid_deliveries.csv", "5,China,CHN,nails", "5,China,CHX,nails", 6, "donor_code, donor", "raw/donors.csv"),
    ("aid_deliveries.csv", "7,Poland,POL,fittings", "6,Poland,POL,fittings", 8, "seq", "primary key"),
    ("aid_deliveries.csv", "300 tons of wire from China,", "300 tons of wire from Chine,", 7, "quote", "verbatim in raw/source"),
    (
        "aid_deliveries.csv",
        "10,Hungary,HUN,gas pipes,330 tons,t,1951,fn53",
        "10,Hungary,HUN,gas pipes,330 tons,t,1951,fn99",
        11,
        "source_id",
        "raw/sources.csv",
    ),
    ("aid_deliveries.csv", "13,Romania,ROU,air compressors,4,item", "13,Romania,ROU,air compressors,4,items", 14, "unit", "raw/units.csv"),
    ("units.csv", "kg,kilogram,mass,t,0.001", "kg,kilogram,mass,t,-1", 3, "factor_to_base", "greater than 0"),
    ("units.csv", "kg,kilogram,mass,t,0.001", "kg,kilo,gram,mass,t,0.001", 3, None, "7 fields"),
    (
        "donors.csv",
        "CSK,Czechoslovakia,withdrawn,CSHH",
        "CSK,Czechoslovakia,withdrawn,",
        6,
        "iso_status, iso3166_3_code",
        "iso3166_3_code=(empty)",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "line", "column", "words"), BAD_INPUTS, ids=[f"{b[0]}:{b[4]}" for b in BAD_INPUTS])
def test_bad_input_is_rejected_clearly_and_changes_nothing(project_copy, file, old, new, line, column, words):
    edit(project_copy / "raw" / file, old, new)
    before = snapshot(project_copy)
    result = run_cli("build", "--root", str(project_copy))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    where = f"raw/{file}:{line}:" + (f" column '{column}'" if column else "")
    matching = [message for message in result.output.splitlines() if where in message]
    assert matching, result.output
    assert any(words in message for message in matching), result.output
    assert snapshot(project_copy) == before


def test_a_rule_across_columns_names_the_columns_and_values(project_copy):
    # lost > prewar can only come from the source itself, so change both.
    edit(project_copy / "raw" / "source" / "railway_losses_fn45.txt", "11 out of 12 schools", "13 out of 12 schools")
    edit(
        project_copy / "raw" / "railway_damage.csv",
        "schools,buildings,11,12,count,1951-01-01,1951-06-30,fn45,11 out",
        "schools,buildings,13,12,count,1951-01-01,1951-06-30,fn45,13 out",
    )
    result = run_cli("build", "--root", str(project_copy))
    assert result.exit_code == 1
    assert (
        "raw/railway_damage.csv:6: column 'lost_as_printed, prewar_total_as_printed': found lost_as_printed=13, prewar_total_as_printed=12; expected lost must not exceed prewar_total"
        in result.output
    )


def test_all_problems_are_reported_at_once(project_copy):
    edit(project_copy / "raw" / "railway_damage.csv", "tunnels,track_and_structures,67,", "tunnels,track_and_structures,6x7,")
    edit(project_copy / "raw" / "aid_deliveries.csv", "5,China,CHN,nails", "5,China,CHX,nails")
    result = run_cli("build", "--root", str(project_copy))
    assert "raw/railway_damage.csv:10:" in result.output and "raw/aid_deliveries.csv:6:" in result.output


def test_a_failure_while_writing_leaves_the_previous_outputs(project_copy, monkeypatch):
    before = snapshot(project_copy)
    written = []

    def write_then_fail(table, path, **kwargs):
        written.append(path)
        if len(written) == 3:
            raise OSError("disk full (simulated)")
        original(table, path, **kwargs)

    original = aidstats.build.pq.write_table
    monkeypatch.setattr(aidstats.build.pq, "write_table", write_then_fail)
    with pytest.raises(OSError, match="simulated"):
        aidstats.build.build(project_copy)
    assert snapshot(project_copy) == before
    assert not list(project_copy.glob(".build-*")), "the staging folder is removed"


def test_validate_catches_a_changed_committed_file(project_copy):
    path = project_copy / "clean" / "railway_damage.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1036", "1037"), encoding="utf-8")
    result = run_cli("validate", "--root", str(project_copy))
    assert result.exit_code == 1
    assert "clean/railway_damage.csv differs from a fresh build" in result.output
    assert "clean/railway_damage.csv: " in result.output and "sha256" in result.output
