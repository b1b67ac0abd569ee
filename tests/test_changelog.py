"""CHANGELOG.md's counts of what changed are `aidstats diff`'s, regenerated from git history (issue 21).

Every entry but the oldest carries a block that tools/changelog_counts.py generates by diffing the
package as committed at the release before it (tools/releases.csv) with its own. Here each block is
generated again and must be the same, so a count cannot drift from the data. An entry for a release
not yet listed (the coming one, at the top) is diffed against the working tree.

The release commits are read from git history, so a shallow clone fails here, saying so: run the
tests in a full clone (`fetch-depth: 0` in the workflows).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"
HEADING = re.compile(r"## (\S+) — ")

_spec = importlib.util.spec_from_file_location("changelog_counts", ROOT / "tools" / "changelog_counts.py")
changelog_counts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(changelog_counts)


def entries() -> list[tuple[str, str]]:
    """Each (version, text) of CHANGELOG.md, newest first."""
    parts = re.split(r"^(?=## )", CHANGELOG.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [(heading[1], part) for part in parts if (heading := HEADING.match(part))]


def generated_block(entry: str) -> str | None:
    start = re.escape(changelog_counts.START.split("{old}")[0])
    found = re.search(f"{start}.*?{re.escape(changelog_counts.END)}", entry, re.DOTALL)
    return found[0] if found else None


def ref(version: str, newest: bool) -> str:
    """How changelog_counts names the package of ``version``: the version if it is released, else the working tree."""
    if version in changelog_counts.release_commits():
        return version
    if newest:
        return changelog_counts.WORKING_TREE
    pytest.fail(f"CHANGELOG.md has an entry {version}, released (not the newest) but not in tools/releases.csv")


ENTRIES = entries()


@pytest.mark.parametrize("index", range(len(ENTRIES) - 1), ids=[version for version, _ in ENTRIES[:-1]])
def test_each_entry_states_the_counts_aidstats_diff_gives_from_the_release_before(index):
    (version, entry), (older, _) = ENTRIES[index], ENTRIES[index + 1]
    try:
        expected = changelog_counts.counts(ref(older, newest=False), ref(version, newest=index == 0))
    except changelog_counts.HistoryError as err:
        pytest.fail(f"the counts of {version} cannot be regenerated from git history: {err}")
    found = generated_block(entry)
    assert found is not None, f"the {version} entry has no generated counts; add these:\n{expected}"
    assert found == expected, f"the {version} entry's counts are not aidstats diff's; replace them with:\n{expected}"


def test_the_releases_are_the_changelog_s_and_each_commit_holds_its_version():
    releases = changelog_counts.release_commits()
    released = [version for version, _ in reversed(ENTRIES) if version in releases]
    assert released == list(releases), "tools/releases.csv lists the CHANGELOG's releases, oldest first"
    unlisted = [version for version, _ in ENTRIES if version not in releases]
    assert unlisted in ([], [ENTRIES[0][0]]), f"only the newest entry may be unreleased; not in tools/releases.csv: {unlisted}"
    for version, commit in releases.items():
        assert re.fullmatch("[0-9a-f]{40}", commit), f"{version}: give the whole commit, not {commit!r}"
        try:
            changelog_counts.commit_of(version)  # says so if the clone is shallow
            descriptor = json.loads(changelog_counts.git("show", f"{commit}:datapackage.json"))
        except changelog_counts.HistoryError as err:
            pytest.fail(f"the release commits are read from git history: {err}")
        assert descriptor["version"] == version, f"{commit[:7]} holds {descriptor['version']}, not {version}"


def test_a_shallow_clone_fails_saying_it_is_shallow(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", ROOT.as_uri(), str(clone)], check=True, capture_output=True)
    oldest = next(iter(changelog_counts.release_commits()))  # not the clone's one commit
    with pytest.raises(changelog_counts.HistoryError, match=r"shallow.*fetch-depth: 0"):
        changelog_counts.counts(oldest, changelog_counts.WORKING_TREE, repo=clone)


def test_the_working_tree_against_itself_changes_no_table():
    block = changelog_counts.counts(changelog_counts.WORKING_TREE, changelog_counts.WORKING_TREE)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    tables = [resource["name"] for resource in descriptor["resources"] if resource["path"].endswith(".csv")]
    version = descriptor["version"]
    assert block.splitlines()[0] == changelog_counts.START.format(old=".", new=".")
    assert f"`aidstats diff` from {version} (the working tree) to {version} (the working tree):" in block
    assert f"- tables: 0 added, 0 removed, 0 changed, {len(tables)} unchanged" in block
    assert " changed:" not in block


def test_the_counts_of_each_kind_of_table():
    key = ["id"]
    result = {
        "tables": {
            # Three cells changed, two of them in row 1: two rows changed. Row 3 is new, and so is column y.
            "edited": {
                "status": "changed",
                "primary_key": key,
                "rows_added": [{"id": "3"}],
                "rows_removed": [],
                "cells_changed": [
                    {"key": {"id": "1"}, "column": "x", "old": "a", "new": "b"},
                    {"key": {"id": "1"}, "column": "z", "old": "c", "new": "d"},
                    {"key": {"id": "2"}, "column": "x", "old": "e", "new": "f"},
                ],
                "columns_added": ["y"],
                "columns_removed": [],
            },
            "kept": {"status": "unchanged", "primary_key": key, "rows_added": [], "rows_removed": [], "cells_changed": []},
            "new": {"status": "added", "primary_key": key, "rows_added": [{"id": "1"}, {"id": "2"}], "columns_added": ["id", "v"]},
            "gone": {"status": "removed", "primary_key": key, "rows_removed": [{"id": "1"}], "columns_removed": ["id"]},
        }
    }
    assert changelog_counts.render_counts(result, "0.1.0 (as committed at aaaaaaa)", "0.2.0 (the working tree)") == "\n".join(
        [
            "`aidstats diff` from 0.1.0 (as committed at aaaaaaa) to 0.2.0 (the working tree):",
            "",
            "- tables: 1 added, 1 removed, 1 changed, 1 unchanged",
            "- `edited` changed: rows 1 added, 0 removed, 2 changed (3 cells); columns added `y`",
            "- `new` added: 2 rows, columns `id`, `v`",
            "- `gone` removed: 1 row",
            "- unchanged: `kept`",
        ]
    )
