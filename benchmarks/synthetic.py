"""Synthetic aid_deliveries-shaped raw tables of any size, for the build benchmark.

Rows cycle through the real 84 printed rows (so every quote, code and unit is
valid) with a fresh sequence number each, so the build does all its checks.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_raw(rows: int, folder: Path) -> Path:
    """A copy of raw/ in ``folder`` whose aid_deliveries.csv has ``rows`` rows."""
    raw = folder / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    shutil.copytree(ROOT / "raw", raw)
    with open(ROOT / "raw" / "aid_deliveries.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        real = list(reader)
    with open(raw / "aid_deliveries.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            row = list(real[i % len(real)])
            row[0] = str(i + 1)
            writer.writerow(row)
    return raw / "aid_deliveries.csv"
