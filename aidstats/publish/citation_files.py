"""CITATION.cff and .zenodo.json, written from :mod:`aidstats.metadata`.

GitHub reads CITATION.cff ("Cite this repository"), Zenodo reads .zenodo.json
when a release is archived and given a DOI.  Both are generated here from the
one set of facts the package, the README and ``aidstats cite`` use, so they
cannot disagree.  ``python -m aidstats.publish.citation_files`` rewrites them; a test
fails when either is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aidstats import metadata

FILES = ("CITATION.cff", ".zenodo.json")
_MESSAGE = "If you use these data, please cite the data package and the study the figures come from."


def _quoted(text) -> str:
    # A JSON string is a YAML double-quoted scalar, so any text is written safely.
    return json.dumps(str(text), ensure_ascii=False)


def citation_cff() -> str:
    """The Citation File Format (1.2.0) text of this release."""
    lines = [
        "cff-version: 1.2.0",
        f"message: {_quoted(_MESSAGE)}",
        f"title: {_quoted('aidstats: ' + metadata.TITLE)}",
        "type: dataset",
        f"version: {_quoted(metadata.VERSION)}",
        f"date-released: {_quoted(metadata.CREATED[:10])}",
        f"abstract: {_quoted(metadata.DESCRIPTION)}",
        "authors:",
        *[f"  - name: {_quoted(c['title'])}" for c in metadata.CONTRIBUTORS],
        f"license: {metadata.LICENSES[0]['name']}",
        "keywords:",
        *[f"  - {_quoted(k)}" for k in metadata.KEYWORDS],
        "references:",
        "  - type: article",
        "    authors:",
        f"      - family-names: {_quoted(metadata.PAPER_AUTHOR[0])}",
        f"        given-names: {_quoted(metadata.PAPER_AUTHOR[1])}",
        f"    title: {_quoted(metadata.PAPER_TITLE)}",
        f"    journal: {_quoted(metadata.PAPER_JOURNAL)}",
        f"    volume: {metadata.PAPER_VOLUME}",
    ]
    return "\n".join(lines) + "\n"


def zenodo_json() -> str:
    """Zenodo's deposit metadata for this release, as .zenodo.json."""
    family, given = metadata.PAPER_AUTHOR
    record = {
        "title": f"aidstats: {metadata.TITLE}",
        "upload_type": "dataset",
        "description": metadata.DESCRIPTION,
        "version": metadata.VERSION,
        "publication_date": metadata.CREATED[:10],
        "creators": [{"name": c["title"]} for c in metadata.CONTRIBUTORS],
        # Zenodo names licences by their lower-case SPDX identifier.
        "license": metadata.LICENSES[0]["name"].lower(),
        "keywords": metadata.KEYWORDS,
        "references": [f"{given} {family}, “{metadata.PAPER_TITLE},” {metadata.PAPER_JOURNAL}, vol. {metadata.PAPER_VOLUME}"],
        "notes": _MESSAGE,
    }
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def write(root: Path) -> list[Path]:
    """Write both files into ``root`` (the project folder) and return their paths."""
    written = []
    for name, text in zip(FILES, (citation_cff(), zenodo_json()), strict=True):
        path = root / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()):
        print(f"wrote {path}")
