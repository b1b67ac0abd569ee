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


# ---- benchmarks/page_load.py: issue 19's page-load targets ----


@pytest.fixture(scope="module")
def page_load():
    spec = importlib.util.spec_from_file_location("bench_page_load", ROOT / "benchmarks" / "page_load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(table=None, plotly=None, chart=None, loadavg=1.0) -> dict:
    """One made-up page load, times in ms of page time (None: not reached / not requested)."""
    return {
        "table_ms": table,
        "count_ms": table,
        "mark_ms": None,
        "drawn_ms": None if table is None else table + 100.0,
        "all_rows_ms": None if table is None else table + 300.0,
        "plotly_ms": plotly,
        "chart_ms": chart,
        "paint_ms": 100.0,
        "load_ms": 900.0,
        "shift": 0.0131,
        "has_table": table is not None,
        "clock_check_ms": 0.1,
        "loadavg": loadavg,
        "errors": [],
    }


def page_results(new_tables, new_plotly, new_charts) -> dict:
    """Site page and dashboard, both versions, both CPU rates, 5 loads each; the baseline as the committed site
    behaves (plotly.js requested at 40 ms, long before its table is wired at 5 s)."""
    results = {}
    for rate in (1, 4):
        results["site page", "baseline", rate] = [load(table=5000.0, plotly=40.0, chart=5000.0) for _ in range(5)]
        results["dashboard", "baseline", rate] = [load(chart=4000.0) for _ in range(5)]
        results["site page", "working tree", rate] = [
            load(table=t, plotly=p, chart=2000.0, loadavg=1.5 + i / 10) for i, (t, p) in enumerate(zip(new_tables, new_plotly, strict=True))
        ]
        results["dashboard", "working tree", rate] = [load(chart=c) for c in new_charts]
    return results


def render_page_load(page_load, results) -> str:
    labels = {"baseline": "`HEAD` (abc1234)", "working tree": "working tree"}
    weights = {(v, n): 1_500_000 for v in ("baseline", "working tree") for n in ("site page", "dashboard")}
    return page_load.report(
        results, labels, weights, "today", 5, {"width": 1280, "height": 900}, "a machine", "python benchmarks/page_load.py"
    )


def test_page_load_targets_met_when_the_numbers_meet_them(page_load):
    results = page_results(
        new_tables=[300.0, 900.0, 500.0, 450.0, 700.0],  # sorted 300 450 500 700 900: median 500 ms = 0.50 s, at most 0.5 s
        new_plotly=[None, 950.0, 600.0, None, 800.0],  # each after its own table, or never
        new_charts=[1600.0, 1000.0, 1400.0, 1500.0, 1200.0],  # median 1400 ms
    )
    text = render_page_load(page_load, results)
    assert (
        "interactive in at most 0.5 s at 4× CPU: **Met**: the working tree's median is 0.50 s (baseline 5.00 s; load average (1 min) 1.5–1.9)"
        in text
    )
    assert "first chart drawn in at most 1.5 s at 4× CPU: **Met**: the working tree's median is 1.40 s (baseline 4.00 s" in text
    # 5 loads at each of the two CPU rates; the baseline requests plotly.js at 40 ms, before its table at 5 s, every time
    assert (
        "before the table is interactive: **Met**: in the working tree plotly.js was requested after the table was interactive, or not at all, in 10 of 10 loads"
        in text
    )
    assert "in the baseline in 0 of 10." in text
    assert "requested in 3 of 5 loads" in text  # the site page's plotly.js column says it was not always requested
    assert "| dashboard | working tree | 4× | 0.10 s | no table | no table | no table | not requested | 1.40 s |" in text
    # Each made-up load draws its wired table 100 ms after it is wired and every row 300 ms after: medians 600 and 800 ms.
    assert "| site page | working tree | 4× | 0.10 s | 0.50 s | 0.60 s | 0.80 s |" in text
    assert "| 0.90 s | 0.013 | 1.5–1.9 |" in text  # the load event, the layout shift to 3 places, the load average


def test_page_load_targets_not_met_when_a_number_misses(page_load):
    results = page_results(
        new_tables=[505.0, 505.0, 505.0, 300.0, 300.0],  # median 505 ms, printed 0.51 s: above 0.5 s
        new_plotly=[None, None, None, 250.0, None],  # one load asks for plotly.js at 250 ms, before its table at 300
        new_charts=[1000.0, 1000.0, None, 1000.0, 1000.0],  # one load never drew a chart: no honest median
    )
    text = render_page_load(page_load, results)
    assert "interactive in at most 0.5 s at 4× CPU: **Not met**: the working tree's median is 0.51 s" in text
    assert "first chart drawn in at most 1.5 s at 4× CPU: **Not met**: the working tree's median is — (not reached in every load)" in text
    assert (
        "before the table is interactive: **Not met**: in the working tree plotly.js was requested after the table was interactive, or not at all, in 8 of 10 loads"
        in text
    )


def test_a_table_never_wired_is_not_met_whatever_plotly_did(page_load):
    results = page_results(new_tables=[None] * 5, new_plotly=[None] * 5, new_charts=[1000.0] * 5)
    text = render_page_load(page_load, results)
    assert "interactive in at most 0.5 s at 4× CPU: **Not met**: the working tree's median is — (not reached in every load)" in text
    assert "or not at all, in 0 of 10 loads" in text


def test_page_load_section_replaces_the_old_one_and_keeps_the_rest(page_load, tmp_path):
    output = tmp_path / "BENCHMARKS.md"
    output.write_text(
        "# Benchmarks\n\n## 4. Validate\n\nfour\n\n## 5. Time to interactive\n\nold numbers\n\n"
        "<!-- install-size:start -->\n## Install size\n<!-- install-size:end -->\n",
        encoding="utf-8",
    )
    first = f"{page_load.START}\n## 5. Page load\n\nnew numbers\n{page_load.END}\n"
    page_load.write_section(first, output)
    text = output.read_text(encoding="utf-8")
    assert "old numbers" not in text and "new numbers" in text
    assert text.index("four") < text.index("new numbers") < text.index("## Install size")
    page_load.write_section(first.replace("new numbers", "newer numbers"), output)  # a second run: between the markers
    text = output.read_text(encoding="utf-8")
    assert "newer numbers" in text and "new numbers\n" not in text
    assert text.count(page_load.START) == 1 and text.count("## Install size") == 1


def test_a_busy_machine_is_said_to_be_busy_beside_the_page_loads(page_load, monkeypatch):
    monkeypatch.setattr(page_load.os, "cpu_count", lambda: 2)
    results = page_results(new_tables=[300.0] * 5, new_plotly=[None] * 5, new_charts=[1000.0] * 5)
    assert "the machine was not oversubscribed" in render_page_load(page_load, results)  # load averages 1.0 to 1.9
    results["dashboard", "baseline", 4][0]["loadavg"] = 6.5  # above 2 cores
    assert "ranged from 1.0 to 6.5 on 2 cores: other work was running" in render_page_load(page_load, results)


def test_a_baseline_is_named_with_its_commit_once(page_load, monkeypatch):
    monkeypatch.setattr(page_load, "short_commit", lambda revision: "989ae16")
    assert page_load.revision_label("HEAD") == "`HEAD` (989ae16)"
    assert page_load.revision_label("989ae16") == "`989ae16`"  # not "`989ae16` (989ae16)"
    assert page_load.revision_label("989ae16d8") == "`989ae16`"  # a longer hash: the same commit
    assert page_load.revision_label("main") == "`main` (989ae16)"


# ---- benchmarks/site_build.py: the time of `aidstats site` against a committed version ----


@pytest.fixture
def site_build(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # it takes the git export and the CPU's name from page_load
    spec = importlib.util.spec_from_file_location("bench_site_build", ROOT / "benchmarks" / "site_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_runs(*pairs: tuple[float, float]) -> list[dict]:
    return [{"wall": wall, "cpu": cpu, "loadavg": 1.0} for wall, cpu in pairs]


def test_site_build_reports_the_medians_and_the_ratio_of_cpu_times(site_build):
    # Medians: baseline wall 10, CPU 8; working tree wall 6, CPU 5: 5/8 = 0.625 ("0.62×" rounded half to even), 37.5% less.
    results = {"baseline": site_runs((10, 8), (12, 9), (9, 7)), "working tree": site_runs((6, 5), (7, 6), (5, 4))}
    text = site_build.report(results, "`HEAD` (abc1234)", [], 3, "today", "python benchmarks/site_build.py")
    assert "| `HEAD` (abc1234) | 10.00 s | 8.00 s |" in text
    assert "| working tree | 6.00 s | 5.00 s |" in text
    assert "takes 0.62× the baseline's CPU time (less by 38%) and 0.60× its wall time." in text
    assert "The two sites are the same bytes, file by file." in text


def test_site_build_says_more_when_slower_and_names_the_files_that_differ(site_build):
    results = {"baseline": site_runs((4, 4)), "working tree": site_runs((5, 5))}
    text = site_build.report(results, "`HEAD` (abc1234)", ["index.html", "assets/site.js"], 1, "today", "cmd")
    assert "takes 1.25× the baseline's CPU time (more by 25%)" in text
    assert "The two sites differ in 2 files: `index.html`, `assets/site.js`." in text


def test_site_build_finds_a_file_in_one_site_only_and_one_whose_bytes_differ(site_build, tmp_path):
    for side in ("old", "new"):
        (tmp_path / side / "assets").mkdir(parents=True)
        (tmp_path / side / "same.html").write_text("x")
    (tmp_path / "old" / "assets" / "site.js").write_text("a")
    (tmp_path / "new" / "assets" / "site.js").write_text("b")
    (tmp_path / "new" / "extra.json").write_text("{}")
    assert site_build.differing(tmp_path / "old", tmp_path / "new") == ["assets/site.js", "extra.json"]
