"""The schema.org ``Dataset`` every page carries as JSON-LD, so search engines (Google Dataset Search) find the package.

It is read from the package: its descriptor (``datapackage.json``: title, description, version,
licences, contributors, keywords, citation, the paper it is transcribed from, and each resource's
path, media type and hash) and its tables (the periods the figures cover, the states in the donors
table).  Only two things are named here, for the descriptor has no field for them: the state the
figures are about (:data:`SUBJECT`) and the address of the published site (:data:`SITE_URL`).  Google requires ``name`` and ``description`` (50 to 5,000
characters) and recommends ``creator``, ``citation``, ``license``, ``keywords``, ``version``,
``temporalCoverage``, ``spatialCoverage`` and ``distribution`` (``DataDownload``s, each with a
``contentUrl`` and an ``encodingFormat``); every one of them is given.

On the site, a download's ``contentUrl`` is the file's path in the site (every page is at the
site's top level, and schema.org's ``contentUrl`` is a URL, resolved against the page); the
one-file dashboard, which may be opened from anywhere, names the release archive where it is
published.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from aidstats import metadata
from aidstats.loader import descriptor, list_tables, load_rows
from aidstats.publish.release import archive_name

# Where the release workflow publishes the site (one home: aidstats.metadata); the dashboard, a file that may be
# opened from anywhere, links to it and to its documentation by this address.
SITE_URL = metadata.SITE_URL
# The subject of every table: the state the figures are about.  The descriptor has no field for a
# place, so it is named here once; the other states come from the package's donors table.
SUBJECT = "Democratic People's Republic of Korea (North Korea)"
# A date, a month or a year as ISO 8601 writes it, alone or as a start/end interval (the pattern of key_figures.period).
_ISO = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:/(\d{4}(?:-\d{2}(?:-\d{2})?)?))?$")


def temporal_coverage(root: Path | None = None) -> str | None:
    """The span the figures cover, as an ISO 8601 interval ("1950-01/1956"): from the earliest start to the latest end.

    Read from every column that says when a figure applies: columns of type ``date``, integer
    columns named ``year``, and ISO 8601 dates or intervals in columns named ``period``.  The
    source register's ``date`` is the date a document was written, not a period its figures
    cover, so it is not read.  Each end keeps the precision it is written with.
    """
    starts: list[str] = []
    ends: list[str] = []
    package = descriptor(root)
    tables = set(list_tables(root))
    for resource in package["resources"]:
        if resource["name"] not in tables:
            continue
        fields = [f for f in resource["schema"]["fields"] if f["type"] == "date" or f["name"] in ("year", "period")]
        if not fields:
            continue
        frame = load_rows(resource["name"], root)
        for field in fields:
            for value in frame[field["name"]].dropna():
                if field["type"] == "date":
                    text = pd.Timestamp(value).strftime("%Y-%m-%d")
                    starts.append(text)
                    ends.append(text)
                elif field["name"] == "year":
                    starts.append(str(int(value)))
                    ends.append(str(int(value)))
                elif found := _ISO.match(str(value)):
                    starts.append(found.group(1))
                    ends.append(found.group(2) or found.group(1))
    if not starts:
        return None
    # "1951" starts before "1951-01-02" and ends after "1951-12-30": compare a start by its text (a shorter
    # prefix sorts first) and an end by its text padded past any day ("1951" as "1951-99-99").
    start = min(starts)
    end = max(ends, key=lambda text: text + "-99-99"[len(text) - 4 :])
    return start if start == end else f"{start}/{end}"


def _places(root: Path | None) -> list[dict]:
    places = [{"@type": "Place", "name": SUBJECT}]
    if "donors" in list_tables(root):
        places += [{"@type": "Place", "name": str(name)} for name in load_rows("donors", root)["name"].dropna()]
    return places


def dataset(package: dict, root: Path | None = None, site: bool = True, archive: dict | None = None) -> dict:
    """The schema.org ``Dataset`` of the package whose descriptor is ``package`` (read from ``root``).

    Parameters
    ----------
    package
        The package's descriptor.
    root
        The package folder its tables are read from (default: the bundled package).
    site
        True: for a page of the site, whose ``url`` is the site's home page and whose downloads
        are every resource at its path in the site (``data/clean/…``) and ``data/datapackage.json``.
        False: for a file on its own (the dashboard), whose ``url`` is the published site
        (:data:`SITE_URL`) and whose one download is the release archive.
    archive
        The release archive: ``{"name", "url", "sha256"}`` (``sha256`` may be None); by default the
        archive of the package's version where each release publishes it (:data:`aidstats.metadata.RELEASE_URL`).
    """
    version = package["version"]
    archive = archive or {"name": archive_name(version), "url": metadata.RELEASE_URL.format(version=version), "sha256": None}
    zipped = {
        "@type": "DataDownload",
        "name": f"{package['title']}: the data package (every table as CSV and Parquet, with datapackage.json)",
        "encodingFormat": "application/zip",
        "contentUrl": archive["url"],
    }
    if archive.get("sha256"):
        zipped["sha256"] = archive["sha256"]
    distribution = [zipped]
    if site:
        distribution.append(
            {
                "@type": "DataDownload",
                "name": "datapackage.json",
                "encodingFormat": "application/json",
                "contentUrl": "data/datapackage.json",
            }
        )
        for resource in package["resources"]:
            item = {
                "@type": "DataDownload",
                "name": resource["title"],
                "encodingFormat": resource["mediatype"],
                "contentUrl": f"data/{resource['path']}",
            }
            if str(resource.get("hash", "")).startswith("sha256:"):
                item["sha256"] = resource["hash"].removeprefix("sha256:")
            distribution.append(item)
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": package["title"],
        "alternateName": package["name"],
        "url": "index.html" if site else SITE_URL,
        "description": package["description"],
        "version": version,
        "license": [license_["path"] for license_ in package.get("licenses", []) if license_.get("path")],
        "creator": [
            {"@type": "Organization", "name": c["title"]} for c in package.get("contributors", []) if "author" in c.get("roles", ["author"])
        ],
        # Google: "academic articles recommended to be cited in addition to the dataset": the paper the figures are printed in.
        "citation": [source["title"] for source in package.get("sources", [])],
        "isBasedOn": [source["title"] for source in package.get("sources", [])],
        # How to cite the package itself, as the site prints it.
        "creditText": package.get("citation", ""),
        "keywords": package.get("keywords", []),
        "datePublished": str(package.get("created", ""))[:10],
        "spatialCoverage": _places(root),
        "distribution": distribution,
    }
    if coverage := temporal_coverage(root):
        data["temporalCoverage"] = coverage
    if len(data["license"]) == 1:
        data["license"] = data["license"][0]
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def script_text(data: dict):
    """``data`` as the text of a ``<script type="application/ld+json">`` element, safe to write into a page.

    JSON may write ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e`` and ``\\u0026``: the same text to a
    JSON reader, and no ``</script>``, ``<!--`` or ``]]>`` an HTML parser could act on.
    """
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
