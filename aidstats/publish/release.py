"""The release archive that users download, and the registry of its sha256.

The archive is deterministic: members in sorted order, every timestamp set
to the data's release date, fixed permissions and compression, so the same
data always gives the same bytes (and the same sha256).  Beside the data and
the documents it holds the exports (:mod:`aidstats.publish.export`) under
``exports/<format>/``, which are deterministic too; so writing it needs the
``export`` extra.  Its README.md is not the repository's but one written from the
package it holds (:mod:`aidstats.publish.archive_readme`), so rewording the
repository's README leaves the archive, and its recorded sha256, as they were.

``aidstats/registry.txt`` (kept by :mod:`aidstats.package`) records the sha256 of each release
archive, in pooch's registry format (``<file name> <sha256>`` per line), so
an installed aidstats can check the archive it downloads (pooch's registry
model).  ``python -m aidstats.publish.release`` builds the archive from the checkout
and records its hash; a test fails if the record and a fresh archive differ.
"""

from __future__ import annotations

import argparse
import tempfile
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from aidstats import metadata
from aidstats.errors import AidstatsError
from aidstats.extras import require
from aidstats.package import (  # noqa: F401  (REGISTRY, known_hashes: documented here before they moved)
    DESCRIPTOR,
    REGISTRY,
    check_output_file,
    check_outputs,
    known_hashes,
    output_file,
    output_folder,
    read_descriptor,
    record_hash,
    sha256,
    write_text,
)

if TYPE_CHECKING:
    from aidstats.publish.export import ExportFile

# Besides datapackage.json and clean/: what a user needs to cite the data and know its terms. The archive's
# README.md is written from the package (README below), never copied from the repository.
DOCUMENTS = ["LICENSE", "LICENSE-DATA", "CITATION.cff"]
README = "README.md"


def archive_name(version: str = metadata.VERSION) -> str:
    """The file name of the release archive of ``version``."""
    return f"aidstats-data-{version}.zip"


def release_members(root: Path) -> list[Path]:
    """The files of the release, relative to ``root``, in a stable order."""
    resources = read_descriptor(root)["resources"] if (root / DESCRIPTOR).is_file() else []
    members = ["datapackage.json", *DOCUMENTS, *(r["path"] for r in resources)]
    missing = [m for m in members if not (root / m).is_file()]
    if missing:
        raise FileNotFoundError(f"cannot package {root}: missing {', '.join(missing)}; run 'aidstats build' in a checkout")
    return sorted(Path(m) for m in dict.fromkeys(members))


def build_archive(root: Path, out: Path, registry: Path | None = None, exports: list[ExportFile] | None = None) -> tuple[Path, str]:
    """Write the release archive (data, documents, exports and its README) and ``<archive>.sha256`` into ``out``.

    Parameters
    ----------
    root : pathlib.Path
        The package folder: ``datapackage.json``, ``clean/`` and the documents.
    out : pathlib.Path
        Folder to write into; created if missing.
    registry : pathlib.Path, optional
        A registry file to record the archive's sha256 in (usually :data:`REGISTRY`);
        none is written if not given.
    exports : list of ExportFile, optional
        The exports of ``root`` already written by :func:`aidstats.publish.export.write_exports`
        (as it returned them), to be put in the archive as they are; by default they are
        written into a temporary folder here.  The archive's bytes are the same either way.

    Returns
    -------
    tuple of pathlib.Path and str
        The archive's path and its sha256 in hexadecimal.

    Raises
    ------
    aidstats.errors.OutputError
        If ``out``, the archive, its ``.sha256`` or ``registry`` may not be written (checked
        before anything is written; see :mod:`aidstats.package`).
    """
    folder = f"aidstats-data-{metadata.VERSION}"
    stamp = (*map(int, metadata.CREATED[:10].split("-")), 0, 0, 0)
    members: dict[str, Path | bytes] = {member.as_posix(): root / member for member in release_members(root)}
    # Every output is checked before anything is made, so a refused .sha256 leaves no archive behind.
    name = archive_name()
    check_outputs(out, files=[name, f"{name}.sha256"], writable=True)  # before the exports take their while
    if registry is not None:
        check_output_file(registry)
    target = check_output_file(output_folder(out) / name)
    sidecar = check_output_file(out / f"{name}.sha256")
    with ExitStack() as stack:
        if exports is None:
            from aidstats.publish.export import write_exports  # pandas and the exporters, only when an archive is made

            exports = write_exports(Path(stack.enter_context(tempfile.TemporaryDirectory())), root)
        for made in exports:
            members[f"exports/{made.format}/{made.path.name}"] = made.path
        from aidstats.publish.archive_readme import archive_readme  # loads the tables, as the exports do

        members[README] = archive_readme(root, sorted(members)).encode("utf-8")
        with output_file(target) as partial, zipfile.ZipFile(partial, "w") as archive:
            for member, path in sorted(members.items()):
                info = zipfile.ZipInfo(f"{folder}/{member}", date_time=stamp)
                info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path if isinstance(path, bytes) else path.read_bytes(), compresslevel=9)
    digest = sha256(target)
    write_text(sidecar, f"{digest}  {target.name}\n")
    if registry is not None:
        record_hash(target.name, digest, registry)
    return target, digest


def main(argv: list[str] | None = None) -> None:
    """``python -m aidstats.publish.release [--out DIR]``: build the archive from this checkout and record its hash."""
    from aidstats.loader import data_root

    parser = argparse.ArgumentParser(prog="python -m aidstats.publish.release", description=main.__doc__)
    parser.add_argument("--out", type=Path, default=Path("dist"), help="Folder to write the archive and its .sha256 into.")
    args = parser.parse_args(argv)
    try:
        require("export", parser.prog)  # the archive holds the exports, the workbook among them
        path, digest = build_archive(data_root(), args.out, registry=REGISTRY)
    except (AidstatsError, OSError) as err:
        # One line, as the aidstats command prints it; an OutputError's message names the path.
        plain = isinstance(err, AidstatsError) or err.errno is None
        message = str(err) if plain else f"cannot make the release archive: {err.strerror}: {err.filename}"
        parser.exit(1, f"Error: {message}\n")
    print(f"{digest}  {path}\nrecorded in {REGISTRY}")


if __name__ == "__main__":
    main()
