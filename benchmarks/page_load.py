"""Time to interactive of a site page and of the dashboard in Chromium: a committed version against the working tree.

    python benchmarks/page_load.py [--baseline REV] [--runs N] [--output FILE]

Both versions are written from their own code and data: the baseline (``HEAD``
by default) is exported with ``git archive`` into a temporary folder (the
repository is not touched) and run from there; the working tree is run as it
is.  Each writes ``aidstats site`` and ``aidstats dashboard``; each page is then
opened from ``file://`` in headless Debian Chromium, offline, in a fresh
browser context (nothing cached), the baseline's and the working tree's runs
alternating so that a busy machine slows both alike.

"Interactive" is the first moment after the load event when every chart on
the page has been drawn by plotly.js and the main thread has gone idle
(``requestIdleCallback`` fired): the reader can hover, filter and scroll.
Page weight is the HTML plus every file under the site's ``assets/`` (the
data downloads left out), or the one dashboard file.

Prints a Markdown section (or writes it to ``--output``). Not a test: no
timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
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

# Installed before any script of the page runs: records when every chart is drawn, then when the page is next idle.
PROBE = """
window.__tti = new Promise(resolve => {
  // A chart is a div plotly.js draws into: written by plotly (.plotly-graph-div) or drawn by site.js ([data-chart]).
  const charts = () => document.querySelectorAll('.plotly-graph-div, [data-chart]');
  const drawn = () => [...charts()].every(c => c.querySelector('.main-svg'));
  const idle = () => requestIdleCallback(() => resolve({interactive: performance.now(), charts: charts().length}));
  window.addEventListener('load', () => {
    if (drawn()) return idle();
    new MutationObserver((_, observer) => { if (drawn()) { observer.disconnect(); idle(); } })
      .observe(document.body, {childList: true, subtree: true});
  });
});
"""


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


def write_pages(tree: Path, out: Path) -> dict[str, Path]:
    """Run ``tree``'s own aidstats (its code and bundled data) to write the site and the dashboard into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    run = [sys.executable, "-c", "from aidstats.cli import main; main()"]
    subprocess.run([*run, "site", "-o", str(out / "site")], check=True, capture_output=True, cwd=tree, env=env)
    subprocess.run([*run, "dashboard", "-o", str(out / "dashboard.html")], check=True, capture_output=True, cwd=tree, env=env)
    return {"site page": out / "site" / PAGE, "dashboard": out / "dashboard.html"}


def weight(page: Path) -> int:
    """Bytes of the page and, for a site page, of the site's assets."""
    assets = page.parent / "assets"
    extra = sum(p.stat().st_size for p in assets.rglob("*") if p.is_file()) if page.name != "dashboard.html" and assets.is_dir() else 0
    return page.stat().st_size + extra


def measure(browser, page_path: Path) -> dict:
    from browser import new_offline_page

    page = new_offline_page(browser)
    try:
        page.add_init_script(PROBE)
        page.goto(page_path.as_uri(), wait_until="load", timeout=120_000)
        probe = page.evaluate("window.__tti")
        navigation = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
        return {
            "interactive_ms": probe["interactive"],
            "load_ms": navigation["loadEventEnd"],
            "charts": probe["charts"],
            "errors": page.errors,
        }
    finally:
        page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare against (default HEAD)")
    parser.add_argument("--runs", type=int, default=7, help="page loads per page and version (default 7)")
    parser.add_argument("--output", type=Path, help="write the Markdown here instead of printing it")
    args = parser.parse_args()

    from browser import launch, require_chromium
    from playwright.sync_api import sync_playwright

    require_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        versions = {
            f"baseline ({args.baseline})": write_pages(export(args.baseline, tmp / "old-tree"), tmp / "old"),
            "working tree": write_pages(ROOT, tmp / "new"),
        }
        results = {(version, name): [] for version, pages in versions.items() for name in pages}
        load_averages = [os.getloadavg()[0]]
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for _ in range(args.runs):
                for name in ("site page", "dashboard"):
                    for version, pages in versions.items():
                        results[version, name].append(measure(browser, pages[name]))
            browser.close()
        load_averages.append(os.getloadavg()[0])
        weights = {(version, name): weight(path) for version, pages in versions.items() for name, path in pages.items()}

    lines = [
        f"## Time to interactive in Chromium ({args.runs} loads each, medians)",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python benchmarks/page_load.py`; machine: "
        f"{cpu()}, {os.cpu_count()} cores, {platform.platform()}; "
        f"1-minute load average {min(load_averages):.1f} to {max(load_averages):.1f}. Headless Debian Chromium, offline, "
        f"file://, a fresh context per load. Site page: `{PAGE}`.",
        "",
        "| page | version | weight | load event | interactive (charts drawn, then idle) | charts | page errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for (version, name), runs in results.items():
        lines.append(
            f"| {name} | {version} | {weights[version, name] / 1e6:.2f} MB "
            f"| {statistics.median(r['load_ms'] for r in runs) / 1000:.2f} s "
            f"| {statistics.median(r['interactive_ms'] for r in runs) / 1000:.2f} s "
            f"| {runs[0]['charts']} | {sum(len(r['errors']) for r in runs)} |"
        )
    text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
