"""The release archive that users download, and the registry of its sha256.

The archive is deterministic: members in sorted order, every timestamp set
to the data's release date, fixed permissions and compression, so the same
data always gives the same bytes (and the same sha256).  Beside the data and
the documents it holds the exports (:mod:`aidstats.export`) under
``exports/<format>/``, which are deterministic too; so writing it needs the
``export`` extra.

``registry.txt`` beside this module records the sha256 of each release
archive, in pooch's registry format (``<file name> <sha256>`` per line), so
an installed aidstats can check the archive it downloads (pooch's registry
model).  ``python -m aidstats.release`` builds the archive from the checkout
and records its hash; a test fails if the record and a fresh archive differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

from . import metadata

# Besides datapackage.json and clean/: what a user needs to understand and cite the data.
DOCUMENTS = ["README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff"]
REGISTRY = Path(__file__).with_name("registry.txt")
HEADER = [
    "# sha256 of each aidstats release archive, in pooch's registry format: <file name> <sha256>.",
    "# Written by `python -m aidstats.release`; aidstats.download() checks the default release against it.",
]


def archive_name(version: str = metadata.VERSION) -> str:
    """The file name of the release archive of ``version``."""
    return f"aidstats-data-{version}.zip"


def release_members(root: Path) -> list[Path]:
    """The files of the release, relative to ``root``, in a stable order."""
    descriptor = root / "datapackage.json"
    resources = json.loads(descriptor.read_text(encoding="utf-8"))["resources"] if descriptor.is_file() else []
    members = ["datapackage.json", *DOCUMENTS, *(r["path"] for r in resources)]
    missing = [m for m in members if not (root / m).is_file()]
    if missing:
        raise FileNotFoundError(f"cannot package {root}: missing {', '.join(missing)}; run 'aidstats build' in a checkout")
    return sorted(Path(m) for m in dict.fromkeys(members))


def build_archive(root: Path, out: Path, registry: Path | None = None) -> tuple[Path, str]:
    """Write the release archive (data, documents and exports) and ``<archive>.sha256`` into ``out``.

    Parameters
    ----------
    root : pathlib.Path
        The package folder: ``datapackage.json``, ``clean/`` and the documents.
    out : pathlib.Path
        Folder to write into; created if missing.
    registry : pathlib.Path, optional
        A registry file to record the archive's sha256 in (usually :data:`REGISTRY`);
        none is written if not given.

    Returns
    -------
    tuple of pathlib.Path and str
        The archive's path and its sha256 in hexadecimal.
    """
    from .export import write_exports  # pandas and the exporters, only when an archive is made

    out.mkdir(parents=True, exist_ok=True)
    folder = f"aidstats-data-{metadata.VERSION}"
    stamp = (*map(int, metadata.CREATED[:10].split("-")), 0, 0, 0)
    target = out / archive_name()
    partial = target.with_suffix(".zip.part")
    members = {member.as_posix(): root / member for member in release_members(root)}
    with tempfile.TemporaryDirectory() as exports, zipfile.ZipFile(partial, "w") as archive:
        for made in write_exports(Path(exports), root):
            members[f"exports/{made.path.relative_to(exports).as_posix()}"] = made.path
        for member, path in sorted(members.items()):
            info = zipfile.ZipInfo(f"{folder}/{member}", date_time=stamp)
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    (out / f"{target.name}.sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    if registry is not None:
        record_hash(target.name, digest, registry)
    return target, digest


def known_hashes(registry: Path | None = None) -> dict[str, str]:
    """The sha256 of each archive in ``registry`` (default :data:`REGISTRY`); empty if there is no such file."""
    import pooch

    path = registry or REGISTRY
    if not path.is_file():
        return {}
    entries = pooch.create(path=path.parent, base_url="")
    entries.load_registry(path)
    return {name: digest.removeprefix("sha256:") for name, digest in entries.registry.items()}


def record_hash(name: str, digest: str, registry: Path | None = None) -> None:
    """Record ``digest`` as the sha256 of archive ``name`` in ``registry`` (default :data:`REGISTRY`).

    Comments are kept; the other entries are kept, sorted by name.
    """
    path = registry or REGISTRY
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else HEADER
    comments = [line for line in lines if line.startswith("#")]
    entries = {**{line.split()[0]: line for line in lines if line.strip() and not line.startswith("#")}, name: f"{name} {digest}"}
    partial = path.with_suffix(".part")
    partial.write_text("\n".join([*comments, *(entries[key] for key in sorted(entries))]) + "\n", encoding="utf-8")
    partial.replace(path)


def main(argv: list[str] | None = None) -> None:
    """``python -m aidstats.release [--out DIR]``: build the archive from this checkout and record its hash."""
    from .loader import data_root

    parser = argparse.ArgumentParser(prog="python -m aidstats.release", description=main.__doc__)
    parser.add_argument("--out", type=Path, default=Path("dist"), help="Folder to write the archive and its .sha256 into.")
    args = parser.parse_args(argv)
    try:
        path, digest = build_archive(data_root(), args.out, registry=REGISTRY)
    except FileNotFoundError as err:
        parser.exit(1, f"{err}\n")
    print(f"{digest}  {path}\nrecorded in {REGISTRY}")


if __name__ == "__main__":
    main()
