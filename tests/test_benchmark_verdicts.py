"""BENCHMARKS.md's verdicts follow the numbers: a missed target is reported as missed.

``benchmarks/run.py`` is a script, not part of the package; its report is
rendered here from made-up measurements whose verdicts are known by hand.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_row(rows: int, build_s: float, bare_s: float, build_extra_mb: float, bare_extra_mb: float) -> dict:
    return {
        "rows": rows,
        "csv_mb": rows / 10_000,
        "build_s": build_s,
        "bare_s": bare_s,
        "build_peak_mb": 150 + build_extra_mb,
        "bare_peak_mb": 100 + bare_extra_mb,
        "build_extra_mb": build_extra_mb,
        "bare_extra_mb": bare_extra_mb,
        "build_stages": {"read": build_s / 4, "check": build_s / 4, "csv": build_s / 4, "parquet": build_s / 4},
        "bare_stages": {"read": bare_s / 2, "parquet": bare_s / 2},
        "arrow_read_s": bare_s / 4,
    }


def render(bench, imports, loads, builds, loadavg=(0.5, 0.7)) -> str:
    repeats = {"import": 3, "load": 3, "build": 1, "validate": 3}
    return bench.report(imports, loads, builds, {"frictionless": 2.0, "aidstats": 5.0}, repeats, "today", list(loadavg))


def test_each_target_is_met_or_missed_as_the_numbers_say(bench):
    imports = {"python": 0.02, "pandas": 1.0, "aidstats": 1.2}  # 1.2 / 1.0 = 1.20× > 1.05×: missed
    loads = {"pandas": 1.0, "aidstats": 1.05, "frictionless": 2.0}  # 1.05× <= 1.10×: met
    builds = [
        build_row(100_000, build_s=1.0, bare_s=0.2, build_extra_mb=40, bare_extra_mb=20),
        # 10× the rows: time 1 -> 100 s is rows^2 (missed growth); time 100 / 10 = 10× (missed);
        # memory 40 -> 400 MB is rows^1 and 400 / 200 = 2× (met)
        build_row(1_000_000, build_s=100.0, bare_s=10.0, build_extra_mb=400, bare_extra_mb=200),
    ]
    text = render(bench, imports, loads, builds)
    assert "**Missed**: `import aidstats` is 1.20×, above 1.05×." in text
    assert "**Met**: `aidstats.load` is 1.05×, within 1.10×." in text
    assert "- Time: **Missed**: the time ratio is 10.00×, above 3.00×." in text
    assert "- Memory: **Met**: the memory ratio (above start) is 2.00×, within 3.00×." in text
    assert "time grows as rows^2.00 and memory above start as rows^1.00" in text
    assert "**Missed**: the larger exponent is 2.00." in text
    assert "Reading costs 5.00× the baseline's read" in text  # 100 / 4 = 25 s against 10 / 2 = 5 s
    assert "The time target is missed and left missed" in text
    assert "read in 1.45 s and took 5.35 s in all" in text  # the run before the strict reader, at the same 10⁶ rows


def test_targets_met_are_reported_met(bench):
    imports = {"python": 0.02, "pandas": 1.0, "aidstats": 0.06}
    loads = {"pandas": 1.0, "aidstats": 1.2, "frictionless": 2.0}  # 1.2× > 1.1×: missed
    builds = [
        build_row(100_000, build_s=0.5, bare_s=0.2, build_extra_mb=50, bare_extra_mb=20),
        build_row(1_000_000, build_s=2.5, bare_s=1.0, build_extra_mb=400, bare_extra_mb=100),  # 2.5× met; memory 4× missed
    ]
    text = render(bench, imports, loads, builds)
    assert "**Met**: `import aidstats` is 0.06×, within 1.05×." in text
    assert "**Missed**: `aidstats.load` is 1.20×, above 1.10×." in text
    assert "- Time: **Met**: the time ratio is 2.50×, within 3.00×." in text
    assert "- Memory: **Missed**: the memory ratio (above start) is 4.00×, above 3.00×." in text
    # time 0.5 -> 2.5 s over 10× the rows: log10(5) = 0.70; memory 50 -> 400: log10(8) = 0.90
    assert "time grows as rows^0.70 and memory above start as rows^0.90" in text
    assert "**Met**: the larger exponent is 0.90." in text
    assert "The time target is missed and left missed" not in text  # the explanation belongs to a missed time target only
    assert "Before the strict reader" in text


def test_a_busy_machine_is_said_to_be_busy(bench, monkeypatch):
    monkeypatch.setattr(bench.os, "cpu_count", lambda: 2)
    assert "other work was running on the machine" in bench.busyness([1.0, 6.5])  # 6.5 > 2 cores
    assert "the machine was not oversubscribed" in bench.busyness([0.5, 1.9])
