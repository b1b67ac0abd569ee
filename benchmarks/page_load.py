"""Page load of a site table page and of the dashboard in Chromium, at full speed and with the CPU throttled 4×: a committed version against the working tree.

    python benchmarks/page_load.py [--baseline REV] [--runs N] [--viewport WxH] [--output FILE | --write]

Both versions are written from their own code and data: the baseline (``HEAD``
by default) is exported with ``git archive`` into a temporary folder (the
repository is not touched) and run from there; the working tree is run as it
is.  Each writes ``aidstats site`` and ``aidstats dashboard``; each page is then
opened from ``file://`` in headless Debian Chromium, offline, in a fresh
browser context (nothing cached), once at full speed and once with the
renderer's CPU slowed 4× (CDP ``Emulation.setCPUThrottlingRate``, a mid-range
phone), the baseline's and the working tree's loads alternating so that a busy
machine slows both alike.  The 1-minute load average is sampled before every
load and printed beside the medians.

What is timed, in page time (``performance.now()``, 0 = navigation start):

- **table interactive**: the moment the page's script has wired the table
  (sort, filter, facets, row panel).  Both versions' ``site.js`` write the
  row count (``#row-count``) as the last step of wiring the table; a
  MutationObserver installed before any script of the page records the first
  time a script changes it (the text the HTML parser put there, if any, is not
  counted).  A version whose ``site.js`` also calls
  ``performance.mark("aidstats-table-interactive")`` is timed at the later of
  the two, so a row count written before the wiring is done cannot flatter it.
- **wired table drawn**: the end of the first frame the browser draws after
  that moment (a ``requestAnimationFrame`` set when the row count is written,
  then a message, which runs once that frame is done): the first moment a
  reader sees a table that answers a click.
- **every row drawn**: where the page marks ``aidstats-table-drawn``
  (``site.js``, a frame after it lays out the rows ``table.html``'s script
  and ``site.css`` left out while the page loaded), that mark; otherwise the
  wired table drawn (a version without the mark draws every row in that
  frame).  Where nothing was folded (a window too tall) the mark still comes
  a frame or two after the rows were drawn.
- **plotly.js requested**: the start of the first request for a ``plotly*.js``
  file.  Chromium keeps no resource-timing entries for ``file://`` pages, so the
  request's start (Playwright's ``request.timing``, Chromium's wall clock) is
  put in page time by subtracting ``performance.timeOrigin``; the page's own
  request, so placed, is checked against the navigation entry's
  ``fetchStart`` (the largest difference is printed).
- **first chart drawn**: the first time a chart's ``.plot`` element holds the
  ``.main-svg`` that plotly.js draws.
- first contentful paint and the load event, from the browser's own entries.
- **layout shift**: the sum of the page's ``layout-shift`` entries (Chromium's
  Layout Instability API, the score behind Cumulative Layout Shift, here
  without session windows) up to the moment the times are read, after the
  first chart is drawn.

Prints a Markdown section with the issue-19 verdicts computed from the numbers
(or writes it to ``--output``; ``--write`` puts it in BENCHMARKS.md in place of
the section an earlier run wrote).  Not a test: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
PAGE = "aid_deliveries.html"  # the table page with the most charts and the longest table
PAGES = ("site page", "dashboard")
VERSIONS = ("baseline", "working tree")
RATES = (1, 4)  # CPU throttling: 1 = full speed, 4 = a mid-range phone
MARK = "aidstats-table-interactive"
DRAWN_MARK = "aidstats-table-drawn"
PLOTLY = re.compile(r"/plotly[^/]*\.js(\?|#|$)")
START, END = "<!-- page-load:start -->", "<!-- page-load:end -->"

# Issue 19's targets, for the working tree at 4× CPU throttling.
TABLE_TARGET_S = 0.5
CHART_TARGET_S = 1.5

# Installed before any script of the page runs.  A MutationObserver's callback runs as a microtask right after the
# script that made the change, so performance.now() there is the moment the change was made (to a script's length).
# A watch over the whole document costs the page a record for every node the parser inserts: on aid_deliveries,
# measured, about 0.15 s at 4x (11 loads each, medians 0.70 s with such a watch, 0.55 s without), which no reader
# pays.  So the whole document is watched only until #row-count is parsed (it comes before the table): then only
# #row-count is, and the charts are looked for again from DOMContentLoaded (charts.js draws none before; a chart
# drawn earlier would be timed at DOMContentLoaded, later than it was).  A page without #row-count (the dashboard,
# which draws its charts while it is parsed) is watched whole throughout.
PROBE = """
(() => {
  const probe = window.__aidstatsProbe = {count: null, drawn: null, chart: null, shift: 0};
  new PerformanceObserver(list => { for (const entry of list.getEntries()) probe.shift += entry.value; })
    .observe({type: 'layout-shift', buffered: true});
  // Set when the row count is first written: the end of the frame drawn next (a message sent from its callback runs once it is done).
  const afterNextFrame = () => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { probe.drawn = performance.now(); };
    channel.port2.postMessage(null);
  });
  const chartSeen = now => {
    if (probe.chart === null && document.querySelector('.plot .main-svg, [data-chart] .main-svg')) probe.chart = now;
  };
  let count = null, countEmpty = true;
  const counter = new MutationObserver(records => {
    // The first change a script makes: the parser's own text, if #row-count had any, is not counted.
    if (probe.count === null && records.some(r => countEmpty || r.removedNodes.length || r.type === 'characterData')) {
      probe.count = performance.now();
      afterNextFrame();
    }
  });
  const charts = new MutationObserver(() => chartSeen(performance.now()));
  const whole = new MutationObserver(() => {
    const now = performance.now();
    count = document.getElementById('row-count');
    if (count) {
      // The batch in which the parser inserted #row-count: whatever text it holds now is the HTML's.
      countEmpty = !count.firstChild;
      whole.disconnect();
      counter.observe(count, {childList: true, subtree: true, characterData: true});
      document.addEventListener('DOMContentLoaded', () => {
        chartSeen(performance.now());
        charts.observe(document, {childList: true, subtree: true});
      });
    } else {
      chartSeen(now);
    }
  });
  whole.observe(document, {childList: true, subtree: true});
})();
"""

TABLE_DONE = """([marks, name]) => marks ? performance.getEntriesByName(name).length > 0 : window.__aidstatsProbe.count !== null"""

READ = """([name, drawnName]) => {
  const p = window.__aidstatsProbe;
  const mark = performance.getEntriesByName(name)[0];
  const drawnMark = performance.getEntriesByName(drawnName)[0];
  const navigation = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {
    count: p.count, drawn: p.drawn, chart: p.chart, shift: p.shift, mark: mark ? mark.startTime : null,
    drawnMark: drawnMark ? drawnMark.startTime : null,
    paint: paint ? paint.startTime : null, load: navigation.loadEventEnd, fetchStart: navigation.fetchStart,
    origin: performance.timeOrigin, table: !!document.querySelector("table.data[id^='table-']"),
  };
}"""


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def export(revision: str, into: Path) -> Path:
    """The files of ``revision`` in ``into`` (``git archive``: reads the repository, changes nothing)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def short_commit(revision: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", revision], check=True, capture_output=True, text=True
    ).stdout.strip()


def revision_label(revision: str) -> str:
    """How a report names ``revision``: a name with its commit ("`HEAD` (989ae16)"), a commit once ("`989ae16`")."""
    short = short_commit(revision)
    return f"`{short}`" if short.startswith(revision) or revision.startswith(short) else f"`{revision}` ({short})"


def write_pages(tree: Path, out: Path) -> dict[str, Path]:
    """Run ``tree``'s own aidstats (its code and bundled data) to write the site and the dashboard into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    run = [sys.executable, "-c", "from aidstats.cli import main; main()"]
    subprocess.run([*run, "site", "-o", str(out / "site")], check=True, capture_output=True, cwd=tree, env=env)
    subprocess.run([*run, "dashboard", "-o", str(out / "dashboard.html")], check=True, capture_output=True, cwd=tree, env=env)
    return {"site page": out / "site" / PAGE, "dashboard": out / "dashboard.html"}


def marks_table(page: Path) -> bool:
    """Whether the page's scripts call the table-interactive mark (then the load waits for it, not only the row count)."""
    scripts = [page] + (sorted((page.parent / "assets").glob("*.js")) if page.name != "dashboard.html" else [])
    return any(MARK in path.read_text(encoding="utf-8", errors="replace") for path in scripts if path.is_file())


def weight(page: Path) -> int:
    """Bytes of the page and, for a site page, of the site's assets."""
    assets = page.parent / "assets"
    extra = sum(p.stat().st_size for p in assets.rglob("*") if p.is_file()) if page.name != "dashboard.html" and assets.is_dir() else 0
    return page.stat().st_size + extra


def measure(browser, page_path: Path, rate: int, marks: bool, wait_table: bool, viewport: dict, chart_timeout_s: float) -> dict:
    """One load of ``page_path`` in a fresh context with the CPU slowed ``rate``×; times in ms of page time (None: not reached)."""
    from browser import new_offline_page
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    loadavg = os.getloadavg()[0]
    page = new_offline_page(browser, viewport=viewport)
    try:
        requests = []
        page.on("request", lambda request: requests.append(request))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.add_init_script(PROBE)
        page.goto(page_path.as_uri(), wait_until="load", timeout=180_000)
        if wait_table:
            with contextlib.suppress(PlaywrightTimeout):  # never wired: recorded as None, judged not met
                page.wait_for_function(TABLE_DONE, arg=[marks, MARK], timeout=120_000)
        # Not drawn in time is recorded as None: a lazy chart below the fold may wait for a scroll that never comes.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function("() => window.__aidstatsProbe.chart !== null", timeout=chart_timeout_s * 1000)
        got = page.evaluate(READ, [MARK, DRAWN_MARK])
        origin = got["origin"]
        document = next((r for r in requests if r.url == page_path.as_uri()), None)
        plotly = [r.timing["startTime"] - origin for r in requests if PLOTLY.search(r.url)]
        present = [t for t in (got["count"], got["mark"]) if t is not None]
        return {
            "table_ms": max(present) if present else None,
            "count_ms": got["count"],
            "mark_ms": got["mark"],
            "drawn_ms": got["drawn"],
            "all_rows_ms": got["drawnMark"] if got["drawnMark"] is not None else got["drawn"],
            "plotly_ms": min(plotly) if plotly else None,
            "chart_ms": got["chart"],
            "paint_ms": got["paint"],
            "load_ms": got["load"],
            "shift": got["shift"],
            "has_table": got["table"],
            "clock_check_ms": abs(document.timing["startTime"] - origin - got["fetchStart"]) if document else None,
            "loadavg": loadavg,
            "errors": list(page.errors),
        }
    finally:
        page.context.close()


# ---- the report: pure functions of the measurements (tests/test_benchmark_verdicts.py renders made-up ones) ----


def median(values: list) -> float | None:
    """The median, or None when any load did not reach the moment (a median of the loads that did would flatter)."""
    return None if not values or any(v is None for v in values) else statistics.median(values)


def seconds(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.2f} s"


def shift(score: float | None) -> str:
    return "—" if score is None else f"{score:.3f}"


def reached(ms: float | None) -> str:
    return "— (not reached in every load)" if ms is None else seconds(ms)


def plotly_cell(runs: list[dict]) -> str:
    times = [r["plotly_ms"] for r in runs if r["plotly_ms"] is not None]
    if not times:
        return "not requested"
    if len(times) < len(runs):
        return f"{seconds(statistics.median(times))} (requested in {len(times)} of {len(runs)} loads)"
    return seconds(statistics.median(times))


def plotly_after_table(run: dict) -> bool:
    """plotly.js was not requested before the table was interactive (not requested at all counts as after)."""
    if run["table_ms"] is None:
        return False
    return run["plotly_ms"] is None or run["plotly_ms"] >= run["table_ms"]


def verdict(met: bool) -> str:
    return "**Met**" if met else "**Not met**"


def verdict_lines(results: dict) -> list[str]:
    """The three issue-19 targets, judged on the working tree (the baseline's figures beside them)."""
    new_table = median([r["table_ms"] for r in results["site page", "working tree", 4]])
    old_table = median([r["table_ms"] for r in results["site page", "baseline", 4]])
    new_chart = median([r["chart_ms"] for r in results["dashboard", "working tree", 4]])
    old_chart = median([r["chart_ms"] for r in results["dashboard", "baseline", 4]])
    # Judged on the figure as printed (seconds to 2 places), so that the verdict and the number beside it agree.
    table_met = new_table is not None and round(new_table / 1000, 2) <= TABLE_TARGET_S
    chart_met = new_chart is not None and round(new_chart / 1000, 2) <= CHART_TARGET_S
    new_site = [r for rate in RATES for r in results["site page", "working tree", rate]]
    old_site = [r for rate in RATES for r in results["site page", "baseline", rate]]
    new_after = sum(plotly_after_table(r) for r in new_site)
    old_after = sum(plotly_after_table(r) for r in old_site)
    loads = f"(1 min) {load_range(results['site page', 'working tree', 4])}"
    return [
        f"- A table page interactive in at most {TABLE_TARGET_S:.1f} s at 4× CPU: {verdict(table_met)}: the working tree's median is "
        f"{reached(new_table)} (baseline {seconds(old_table)}; load average {loads}).",
        f"- The dashboard's first chart drawn in at most {CHART_TARGET_S:.1f} s at 4× CPU: {verdict(chart_met)}: the working tree's median is "
        f"{reached(new_chart)} (baseline {seconds(old_chart)}; load average (1 min) {load_range(results['dashboard', 'working tree', 4])}).",
        f"- plotly.js not requested before the table is interactive: {verdict(bool(new_site) and new_after == len(new_site))}: "
        f"in the working tree plotly.js was requested after the table was interactive, or not at all, in {new_after} of "
        f"{len(new_site)} loads of the site page (both CPU rates); in the baseline in {old_after} of {len(old_site)}.",
    ]


def load_range(runs: list[dict]) -> str:
    values = [r["loadavg"] for r in runs]
    low, high = min(values), max(values)
    return f"{low:.1f}" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f}–{high:.1f}"


def probe_note(results: dict) -> str:
    """How the row-count probe and the mark compare where a version has both (the row count must not come first by much)."""
    pairs = [
        (r["count_ms"], r["mark_ms"])
        for version in VERSIONS
        for rate in RATES
        for r in results["site page", version, rate]
        if r["count_ms"] is not None and r["mark_ms"] is not None
    ]
    if not pairs:
        return "No version both wrote the row count and set the table-interactive mark during the same load, so each was timed by the one it has."
    gap = max(abs(mark - count) for count, mark in pairs)
    return (
        f"In the {len(pairs)} load{'s' if len(pairs) != 1 else ''} that had both the row count and the mark, they were at most "
        f"{gap:.0f} ms apart: the row count times the wiring of the table in a version without the mark as the mark does in one with it."
    )


def report(results: dict, labels: dict, weights: dict, when: str, runs: int, viewport: dict, machine: str, command: str) -> str:
    """The Markdown section for BENCHMARKS.md (section 5)."""
    lines = [
        START,
        f"## 5. Page load in Chromium at full speed and with the CPU throttled 4×: table interactive and drawn, plotly.js requested, first chart drawn ({runs} load{'s' if runs != 1 else ''} each, medians)",
        "",
        f"Run on {when} with `{command}`; machine: {machine}. Headless Debian Chromium, offline, "
        f"file://, a fresh browser context per load (nothing cached), viewport {viewport['width']}×{viewport['height']}; the CPU "
        "slowed with CDP `Emulation.setCPUThrottlingRate` (4 = a mid-range phone); the two versions' loads alternate. "
        f"Site page: `{PAGE}` (the longest table, two charts). Baseline: {labels['baseline']}; after: {labels['working tree']}.",
        "",
        "Times are page time from navigation start. *Table interactive*: the first time the page's script writes the row count "
        "(`#row-count`), the last step of wiring sort, filter, facets and the row panel in both versions' `site.js`, and, where "
        f'`site.js` calls `performance.mark("{MARK}")`, the later of the two. *Wired table drawn*: the end of the first frame the '
        "browser draws after that (a reader sees a table that answers a click). *Every row drawn*: where the page marks "
        f"`{DRAWN_MARK}` (`site.js`, a frame after it lays out the rows past the 24th that were left out of layout while the "
        "page loaded), that mark; otherwise the wired table drawn. *Layout shift*: the sum of the page's `layout-shift` entries until the first "
        "chart is drawn. *plotly.js requested*: the start of the first "
        "request for a `plotly*.js` file (none on the dashboard, which carries plotly.js inside the page). *First chart drawn*: the "
        "first time a chart's `.plot` holds plotly.js's `.main-svg`. A dash: not reached in every load. The load average is "
        "the 1-minute one, sampled before each load.",
        "",
        "| page | version | CPU | first paint | table interactive | wired table drawn | every row drawn | plotly.js requested "
        "| first chart drawn | load event | layout shift | load average | page errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in PAGES:
        for rate in RATES:
            for version in VERSIONS:
                rs = results[name, version, rate]
                has_table = any(r["has_table"] for r in rs)
                table = " | ".join(
                    seconds(median([r[key] for r in rs])) if has_table else "no table" for key in ("table_ms", "drawn_ms", "all_rows_ms")
                )
                lines.append(
                    f"| {name} | {labels[version]} | {rate}× | {seconds(median([r['paint_ms'] for r in rs]))} | {table} "
                    f"| {plotly_cell(rs)} | {seconds(median([r['chart_ms'] for r in rs]))} | {seconds(median([r['load_ms'] for r in rs]))} | {shift(median([r['shift'] for r in rs]))} "
                    f"| {load_range(rs)} | {sum(len(r['errors']) for r in rs)} |"
                )
    loads = [r["loadavg"] for rs in results.values() for r in rs]
    busy = f"The load average ranged from {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} cores: " + (
        "other work was running on the machine, so absolute times are inflated; the two versions' loads alternate, so both are slowed alike."
        if max(loads) > (os.cpu_count() or 1)
        else "the machine was not oversubscribed."
    )
    checks = [r["clock_check_ms"] for rs in results.values() for r in rs if r["clock_check_ms"] is not None]
    lines += [
        "",
        busy,
        "",
        "Weight (the page, and for the site page every file under `assets/`, the data downloads left out): "
        + "; ".join(f"{name} {labels[version]} {weights[version, name] / 1e6:.2f} MB" for name in PAGES for version in VERSIONS)
        + ". The weight limits are held by tests (`tests/test_site_reader.py`, `tests/test_dashboard.py`), which fail above "
        "them; no timing is asserted anywhere.",
        "",
        probe_note(results)
        + (
            f" Request times placed in page time agreed with the navigation entry's `fetchStart` to within {max(checks):.1f} ms."
            if checks
            else " The page's own request was not seen, so the request clock could not be checked."
        ),
        "",
        "Targets of issue 19, judged on the working tree, each verdict computed from the numbers above by the script:",
        "",
        *verdict_lines(results),
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(text: str, output: Path) -> None:
    """Put ``text`` in ``output`` in place of the section an earlier run wrote (between the markers, or the old
    unmarked "## 5." section); keep everything else."""
    current = output.read_text(encoding="utf-8")
    if START in current and END in current:
        before, _, rest = current.partition(START)
        after = rest.partition(END)[2].lstrip("\n")
    else:
        match = re.search(r"^## 5\..*?(?=^## |^<!-- |\Z)", current, flags=re.M | re.S)
        if not match:
            raise SystemExit(f"{output}: no page-load section (markers or '## 5.') to replace")
        before, after = current[: match.start()], current[match.end() :]
    output.write_text(before + text + ("\n" + after if after else ""), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare against (default HEAD)")
    parser.add_argument("--runs", type=int, default=5, help="loads per page, version and CPU rate (default 5)")
    parser.add_argument("--viewport", default="1280x900", help="window size WxH (default 1280x900; 375x812 for a phone)")
    parser.add_argument("--chart-timeout", type=float, default=30.0, help="seconds to wait for a first chart after the load event")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--output", type=Path, help="write the Markdown here instead of printing it")
    target.add_argument("--write", action="store_true", help="put the section in BENCHMARKS.md in place of the old one")
    args = parser.parse_args()
    width, _, height = args.viewport.partition("x")
    viewport = {"width": int(width), "height": int(height)}

    from browser import launch, require_chromium
    from playwright.sync_api import sync_playwright

    require_chromium()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        versions = {
            "baseline": write_pages(export(args.baseline, tmp / "old-tree"), tmp / "old"),
            "working tree": write_pages(ROOT, tmp / "new"),
        }
        labels = {"baseline": revision_label(args.baseline), "working tree": "working tree"}
        marks = {(version, name): marks_table(path) for version, pages in versions.items() for name, path in pages.items()}
        results = {(name, version, rate): [] for name in PAGES for version in VERSIONS for rate in RATES}
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for run in range(args.runs):
                print(f"load {run + 1} of {args.runs} ...", file=sys.stderr)
                for rate in RATES:
                    for name in PAGES:
                        for version in VERSIONS:
                            results[name, version, rate].append(
                                measure(
                                    browser,
                                    versions[version][name],
                                    rate,
                                    marks[version, name],
                                    wait_table=name == "site page",
                                    viewport=viewport,
                                    chart_timeout_s=args.chart_timeout,
                                )
                            )
            browser.close()
        weights = {(version, name): weight(path) for version, pages in versions.items() for name, path in pages.items()}

    command = " ".join(["python benchmarks/page_load.py", *sys.argv[1:]])
    machine = f"{cpu()}, {os.cpu_count()} cores, {platform.platform()}"
    text = report(results, labels, weights, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), args.runs, viewport, machine, command)
    print(f"took {time.monotonic() - started:.0f} s", file=sys.stderr)
    emit(text, args, write_section)


def emit(text: str, args, write) -> None:
    """Where a benchmark's section goes: ``--write`` puts it in BENCHMARKS.md (with ``write``), ``--output`` in a file,
    and without either it is printed."""
    if args.write:
        write(text, ROOT / "BENCHMARKS.md")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    elif not args.write:
        print(text)


if __name__ == "__main__":
    main()
