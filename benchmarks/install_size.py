"""Measure what ``pip install aidstats`` puts on disk, against each extra and ``aidstats[all]``.

    python benchmarks/install_size.py [--write] [--output BENCHMARKS.md]

Builds the wheel from this checkout and installs it into fresh virtual
environments, one per variant (plain, each extra, all), with pip resolving the
real dependencies from the package index (through pip's cache).  For each it
counts the installed distributions and the size on disk of the environment's
site-packages (allocated blocks, as ``du`` counts them, each file once), and
subtracts what an empty virtual environment already holds (pip, and setuptools
before Python 3.12).  Prints a Markdown section; ``--write`` puts it at the end
of BENCHMARKS.md, replacing the one a previous run wrote there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import venv
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from aidstats.extras import EXTRAS  # noqa: E402  (the checkout's, wherever this script is run from)

START, END = "<!-- install-size:start -->", "<!-- install-size:end -->"
# Run inside each environment: every distribution with the disk space of the files its RECORD lists, and site-packages.
INSPECT = """
import importlib.metadata, json, sysconfig
def used(path):
    return path.lstat().st_blocks * 512 if path.exists() else 0
sizes = {d.metadata["Name"]: sum(used(f.locate()) for f in d.files or []) for d in importlib.metadata.distributions()}
print(json.dumps([sizes, sysconfig.get_paths()["purelib"]]))
"""
# The libraries any pandas user reading Parquet has already: the floor of the plain install.
FLOOR = ("pandas", "pyarrow", "numpy")


def normalized(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): ``Jinja2`` and ``jinja2`` are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def disk_usage(folder: Path) -> int:
    """Bytes allocated on disk under ``folder``, each file counted once however many links it has."""
    seen, total = set(), 0
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            total += info.st_blocks * 512
    return total


def measure(env: Path, requirement: str | None) -> dict:
    """Create a virtual environment at ``env``, install ``requirement`` (None: nothing) and inspect it."""
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    if requirement is not None:
        subprocess.run([python, "-m", "pip", "install", "-q", requirement], check=True)
    sizes, site = json.loads(subprocess.run([python, "-c", INSPECT], check=True, capture_output=True, text=True).stdout)
    return {"sizes": {normalized(name): size for name, size in sizes.items()}, "bytes": disk_usage(Path(site))}


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) / 1024**2 for line in meminfo if line.startswith("MemTotal")), 0)
    pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM; {platform.platform()}; Python {platform.python_version()}; pip {pip}"


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def report(results: dict[str, dict], when: str) -> str:
    empty = results["empty"]
    rows = []
    for label, result in results.items():
        if label == "empty":
            continue
        added = result["sizes"].keys() - empty["sizes"].keys()
        rows.append(f"| `{label}` | {len(added)} | {megabytes(result['bytes'] - empty['bytes'])} |")
    light, full = results["pip install aidstats"], results['pip install "aidstats[all]"']
    plain = sorted(light["sizes"].keys() - empty["sizes"].keys())
    floor = sum(light["sizes"][name] for name in FLOOR)
    ratio = (full["bytes"] - empty["bytes"]) / (light["bytes"] - empty["bytes"])
    return "\n".join(
        [
            START,
            "## Install size: `pip install aidstats` against its extras",
            "",
            f'Run on {when} with `python benchmarks/install_size.py --write`: the wheel built from this checkout, installed with pip into a fresh virtual environment per line, pip resolving the newest releases that the requirements allow. "Distributions" counts what pip installed, aidstats included, beyond what a new virtual environment holds ({", ".join(sorted(empty["sizes"]))}); "size" is the disk space the environment\'s site-packages took beyond that ({megabytes(empty["bytes"])}), in allocated blocks as `du` counts them, byte-code caches included.',
            "",
            f"Machine: {machine()}.",
            "",
            "| command | distributions | size on disk |",
            "|---|---|---|",
            *rows,
            "",
            f"The plain install is what `aidstats.load`, the helpers and `aidstats list`/`show`/`cite`/`diff` need: {', '.join(plain)}. "
            f"Of its {megabytes(light['bytes'] - empty['bytes'])}, {megabytes(floor)} are {', '.join(FLOOR)} (the files their RECORDs list), which anyone reading Parquet with pandas has already. "
            f"The full install takes {len(full['sizes']) - len(light['sizes'])} more distributions and {ratio:.2f}× the disk space. "
            "No target: the point is that loading a table no longer installs the build, chart and download libraries.",
            END,
        ]
    )


def write_section(text: str, output: Path) -> None:
    """Put ``text`` at the end of ``output`` in place of the section an earlier run wrote; keep everything else."""
    current = output.read_text(encoding="utf-8") if output.is_file() else ""
    if START in current and END in current:
        before, _, rest = current.partition(START)
        after = rest.partition(END)[2]
        current = before.rstrip("\n") + after.rstrip("\n")
    output.write_text(f"{current.rstrip(chr(10))}\n\n{text}\n" if current.strip() else f"{text}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="put the section at the end of BENCHMARKS.md (otherwise only print it)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    with tempfile.TemporaryDirectory(prefix="aidstats-install-size-") as work:
        work = Path(work)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "dist"), str(ROOT)],
            check=True,
        )
        (wheel,) = (work / "dist").glob("aidstats-*.whl")
        variants = {
            "empty": None,
            "pip install aidstats": str(wheel),
            **{f'pip install "aidstats[{extra}]"': f"{wheel}[{extra}]" for extra in [*EXTRAS, "all"]},
        }
        results = {}
        for number, (label, requirement) in enumerate(variants.items()):
            print(f"{label} ...", file=sys.stderr)
            results[label] = measure(work / f"env{number}", requirement)
    text = report(results, when)
    print(text)
    if args.write:
        write_section(text, args.output)


if __name__ == "__main__":
    main()
