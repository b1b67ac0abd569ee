"""Time ``aidstats site`` (every page, chart, export and the release archive): a committed version against the working tree.

    python benchmarks/site_build.py [--baseline REV] [--runs N] [--output FILE | --write]

The baseline (``HEAD`` by default) is exported with ``git archive`` into a
temporary folder (the repository is not touched) and run from there with its
own code and bundled data; the working tree is run as it is.  Each run is a
fresh Python process writing a new folder, the baseline's and the working
tree's runs alternating so that a busy machine slows both alike; wall time and
the process's CPU time (user + system, from ``os.wait4``) are recorded, with the
1-minute load average before each run.  The two sites are then compared file by
file: a change meant only to be faster must write the same bytes.

Prints a Markdown section (``--output`` writes it to a file; ``--write`` puts it
in BENCHMARKS.md in place of the one an earlier run wrote).  Not a test: no
timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from page_load import cpu, emit, export, revision_label

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- site-build:start -->", "<!-- site-build:end -->"
VERSIONS = ("baseline", "working tree")


def run_site(tree: Path, out: Path) -> dict:
    """One ``aidstats site -o out`` from ``tree``'s own code and data, in a fresh process: seconds of wall and CPU time."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    loadavg = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", "from aidstats.cli import main; main()", "site", "-o", str(out)],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"aidstats site failed in {tree}: {child.stderr.read().decode(errors='replace')}")
    child.stderr.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "loadavg": loadavg}


def differing(old: Path, new: Path) -> list[str]:
    """The paths, relative to the sites, that are in one site only or differ in their bytes."""
    found = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in compare.left_only + compare.right_only + compare.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compare.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in sorted(compare.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(old, new), "")
    return sorted(found)


def report(results: dict, label: str, differ: list[str], runs: int, when: str, command: str) -> str:
    """The BENCHMARKS.md section: medians, the ratio and whether the two sites are the same bytes (all computed here)."""
    med = {(v, k): statistics.median(r[k] for r in results[v]) for v in VERSIONS for k in ("wall", "cpu")}
    loads = [r["loadavg"] for v in VERSIONS for r in results[v]]
    lines = [
        START,
        f"## 6. Writing the website: `aidstats site` ({runs} runs each, medians)",
        "",
        f"Run on {when} with `{command}`; machine: {cpu()}, {os.cpu_count()} cores, {platform.platform()}; Python "
        f"{platform.python_version()}. Each run is a fresh process writing a new folder; the baseline ({label}, its own code "
        "and bundled data, exported with `git archive`) and the working tree alternate. CPU time is the process's user and "
        f"system time. Load average (1 minute) before the runs: {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores.",
        "",
        "| version | wall time | CPU time |",
        "|---|---|---|",
    ]
    for version in VERSIONS:
        name = label if version == "baseline" else "working tree"
        lines.append(f"| {name} | {med[version, 'wall']:.2f} s | {med[version, 'cpu']:.2f} s |")
    ratio = med["working tree", "cpu"] / med["baseline", "cpu"]
    lines += [
        "",
        f"The working tree takes {ratio:.2f}× the baseline's CPU time "
        f"({'less' if ratio < 1 else 'more'} by {abs(1 - ratio) * 100:.0f}%) and "
        f"{med['working tree', 'wall'] / med['baseline', 'wall']:.2f}× its wall time.",
        "The two sites are the same bytes, file by file."
        if not differ
        else f"The two sites differ in {len(differ)} files: "
        + ", ".join(f"`{d}`" for d in differ[:10])
        + (" …" if len(differ) > 10 else "")
        + ".",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(text: str, output: Path) -> None:
    """Put ``text`` in ``output`` in place of the section an earlier run wrote (between the markers), or before the install-size section."""
    current = output.read_text(encoding="utf-8")
    if START in current and END in current:
        before, _, rest = current.partition(START)
        after = rest.partition(END)[2].lstrip("\n")
    else:
        anchor = current.index("<!-- install-size:start -->")
        before, after = current[:anchor], current[anchor:]
    output.write_text(before + text + "\n" + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare against (default HEAD)")
    parser.add_argument("--runs", type=int, default=5, help="runs per version (default 5)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--output", type=Path, help="write the Markdown here instead of printing it")
    target.add_argument("--write", action="store_true", help="put the section in BENCHMARKS.md in place of the old one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trees = {"baseline": export(args.baseline, tmp / "old-tree"), "working tree": ROOT}
        results: dict[str, list[dict]] = {v: [] for v in VERSIONS}
        for run in range(args.runs):
            print(f"run {run + 1} of {args.runs} ...", file=sys.stderr)
            for version in VERSIONS:
                results[version].append(run_site(trees[version], tmp / f"{version}-{run}"))
        differ = differing(tmp / "baseline-0", tmp / "working tree-0")
    label = revision_label(args.baseline)
    command = " ".join(["python benchmarks/site_build.py", *sys.argv[1:]])
    text = report(results, label, differ, args.runs, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), command)
    emit(text, args, write_section)


if __name__ == "__main__":
    main()
