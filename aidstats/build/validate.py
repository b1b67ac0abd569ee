"""``aidstats validate``: is the committed package exactly what raw/ gives?

Four independent checks, each reported separately:
1. the committed clean/ and datapackage.json equal a fresh build from raw/
   (CSV byte for byte; Parquet by content, so a pyarrow upgrade alone that
   changes the file's bytes does not fail it);
2. every file's size and sha256 match datapackage.json;
3. every committed Parquet table passes its pandera model;
4. frictionless validates the package (types, constraints, keys, CSV hashes).
"""

from __future__ import annotations

import tempfile
from copy import deepcopy
from pathlib import Path

import pandera.pandas as pa
import pyarrow.parquet as pq

from aidstats.build.run import build_tables, write_outputs
from aidstats.build.schemas import TABLES
from aidstats.package import PARQUET_SUFFIX, read_descriptor, verify


def validate_package(root: Path) -> list[str]:
    """Return a list of problems (empty if the package is valid)."""
    committed = root / "datapackage.json"
    if not committed.is_file():
        return [f"{committed} does not exist; run 'aidstats build'"]
    descriptor = read_descriptor(root)
    failures = _matches_fresh_build(root, descriptor)
    failures += verify(root)  # the same size and sha256 check a download gets
    failures += _pandera(root)
    failures += _frictionless(committed)
    return failures


def _matches_fresh_build(root: Path, descriptor: dict) -> list[str]:
    frames = build_tables(root)
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder)
        write_outputs(frames, fresh)
        for name in TABLES:
            for suffix in ("csv", "parquet"):
                rel = f"clean/{name}.{suffix}"
                if not (root / rel).is_file():
                    failures.append(f"{rel} is missing; run 'aidstats build'")
                elif suffix == "csv" and (root / rel).read_bytes() != (fresh / rel).read_bytes():
                    failures.append(f"{rel} differs from a fresh build of raw/; run 'aidstats build'")
                elif suffix == "parquet" and not pq.read_table(root / rel).equals(pq.read_table(fresh / rel)):
                    failures.append(f"{rel} holds other data than a fresh build of raw/; run 'aidstats build'")
        expected = read_descriptor(fresh)
        if _without_parquet_facts(descriptor) != _without_parquet_facts(expected):
            failures.append("datapackage.json differs from a fresh build of raw/ (beyond Parquet sizes and hashes); run 'aidstats build'")
    return failures


def _without_parquet_facts(descriptor: dict) -> dict:
    copy = deepcopy(descriptor)
    for resource in copy["resources"]:
        if resource["name"].endswith(PARQUET_SUFFIX):
            resource.pop("bytes", None)
            resource.pop("hash", None)
    return copy


def _pandera(root: Path) -> list[str]:
    failures = []
    for name, table in TABLES.items():
        path = root / "clean" / f"{name}.parquet"
        if not path.is_file():
            continue
        frame = pq.read_table(path).to_pandas(date_as_object=False)
        try:
            table.model.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as err:
            failures.append(f"clean/{name}.parquet fails its schema:\n{err.failure_cases.head(10).to_string()}")
    return failures


def _frictionless(descriptor_path: Path) -> list[str]:
    import frictionless

    report = frictionless.validate(str(descriptor_path))
    failures = [f"frictionless: {error.type}: {error.message}" for error in report.errors]
    failures += [f"frictionless: {task.name}: {error.type}: {error.message}" for task in report.tasks for error in task.errors]
    return failures
