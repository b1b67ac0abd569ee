"""``aidstats package``: the release archive that users download.

The archive is deterministic: members in sorted order, every timestamp set
to the data's release date, fixed permissions and compression, so the same
data always gives the same bytes (and the same sha256).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from . import metadata

# Besides datapackage.json and clean/: what a user needs to understand and cite the data.
DOCUMENTS = ["README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff"]


def archive_name(version: str = metadata.VERSION) -> str:
    return f"aidstats-data-{version}.zip"


def release_members(root: Path) -> list[Path]:
    """The files of the release, relative to ``root``, in a stable order."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    members = ["datapackage.json", *DOCUMENTS, *(r["path"] for r in descriptor["resources"])]
    missing = [m for m in members if not (root / m).is_file()]
    if missing:
        raise FileNotFoundError(f"cannot package {root}: missing {', '.join(missing)}; run 'aidstats build' in a checkout")
    return sorted(Path(m) for m in dict.fromkeys(members))


def build_archive(root: Path, out: Path) -> tuple[Path, str]:
    """Write the archive and ``<archive>.sha256`` into ``out``; return the path and hash."""
    out.mkdir(parents=True, exist_ok=True)
    folder = f"aidstats-data-{metadata.VERSION}"
    stamp = (*map(int, metadata.CREATED[:10].split("-")), 0, 0, 0)
    target = out / archive_name()
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w") as archive:
        for member in release_members(root):
            info = zipfile.ZipInfo(f"{folder}/{member.as_posix()}", date_time=stamp)
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (root / member).read_bytes(), compresslevel=9)
    partial.replace(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    (out / f"{target.name}.sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    return target, digest
