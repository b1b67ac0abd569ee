"""Every page carries the package as a schema.org Dataset in JSON-LD, as Google Dataset Search reads it (issue 19).

Google requires ``name`` and ``description`` (50 to 5,000 characters) and recommends, among others,
``license``, ``creator``, ``citation``, ``version``, ``keywords``, ``temporalCoverage``,
``spatialCoverage`` and ``distribution``, whose ``DataDownload``s each need a ``contentUrl`` and an
``encodingFormat``.  The expected values are read here from datapackage.json and the clean CSVs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aidstats import metadata
from aidstats.web import jsonld

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


class _Scripts(HTMLParser):
    """The text of each ``<script type="application/ld+json">`` as an HTML parser reads it (so an early ``</script>`` would show)."""

    def __init__(self):
        super().__init__()
        self.found, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._in:
            self.found.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.found[-1] += data


def datasets(html: str) -> list[dict]:
    parser = _Scripts()
    parser.feed(html)
    return [json.loads(text) for text in parser.found]


def _rows(name: str) -> list[dict]:
    with open(ROOT / "clean" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_dataset(data: dict) -> None:
    """The properties every page's Dataset must carry, equal to the descriptor's."""
    assert data["@context"].rstrip("/") in ("https://schema.org", "http://schema.org")
    assert data["@type"] == "Dataset"
    assert data["name"] == DESCRIPTOR["title"]
    assert data["description"] == DESCRIPTOR["description"] and 50 <= len(data["description"]) <= 5000
    assert data["version"] == DESCRIPTOR["version"]
    assert data["license"] == DESCRIPTOR["licenses"][0]["path"] and data["license"].startswith("https://")
    assert [c["name"] for c in data["creator"]] == [c["title"] for c in DESCRIPTOR["contributors"]]
    assert all(c["@type"] in ("Person", "Organization") for c in data["creator"])
    assert data["citation"] == [s["title"] for s in DESCRIPTOR["sources"]]  # the paper, to be cited beside the data
    assert data["creditText"] == DESCRIPTOR["citation"]
    assert data["keywords"] == DESCRIPTOR["keywords"]
    assert data["temporalCoverage"] == "1950-01/1956"  # see test_temporal_coverage_spans_every_period_the_figures_cover
    places = [p["name"] for p in data["spatialCoverage"]]
    assert "North Korea" in places[0] and set(places[1:]) == {row["name"] for row in _rows("donors")}
    assert data["distribution"], "no DataDownload"
    for item in data["distribution"]:
        assert item["@type"] == "DataDownload" and item["contentUrl"] and item["encodingFormat"], item
    archive = data["distribution"][0]
    assert archive["encodingFormat"] == "application/zip"


def test_every_page_of_the_site_carries_the_package_as_a_schema_org_dataset(built_site):
    pages = sorted(built_site.glob("*.html"))
    assert len(pages) == 1 + len({r["name"] for r in DESCRIPTOR["resources"] if r["format"] == "csv"})
    first = None
    for page in pages:
        found = datasets(page.read_text(encoding="utf-8"))
        assert len(found) == 1, page.name
        check_dataset(found[0])
        first = first or found[0]
        assert found[0] == first, page.name  # one Dataset, the same on every page
    # Every table as CSV and Parquet, at its path in the site, with its media type and the descriptor's hash.
    downloads = {item["contentUrl"]: item for item in first["distribution"]}
    for resource in DESCRIPTOR["resources"]:
        item = downloads[f"data/{resource['path']}"]
        assert item["encodingFormat"] == resource["mediatype"] and item["name"] == resource["title"]
        file = built_site / item["contentUrl"]  # every page is at the top of the site: the URL resolves against it
        assert hashlib.sha256(file.read_bytes()).hexdigest() == item["sha256"] == resource["hash"].removeprefix("sha256:")
    archive = first["distribution"][0]
    assert (built_site / archive["contentUrl"]).is_file() and archive["contentUrl"].endswith(f"-{DESCRIPTOR['version']}.zip")
    assert downloads["data/datapackage.json"]["encodingFormat"] == "application/json"
    assert (built_site / first["url"]).is_file() and first["url"] == "index.html"  # the page that describes the dataset
    assert (built_site / "data" / "datapackage.json").is_file()


def test_the_dashboard_carries_it_too_with_the_published_archive(built_dashboard):
    found = datasets(built_dashboard.read_text(encoding="utf-8"))
    assert len(found) == 1
    check_dataset(found[0])
    # A file opened from anywhere: no path relative to a site, the archive where the release publishes it.
    (archive,) = found[0]["distribution"]
    assert archive["contentUrl"] == metadata.RELEASE_URL.format(version=DESCRIPTOR["version"])
    assert archive["contentUrl"].startswith("https://")
    assert found[0]["url"] == jsonld.SITE_URL


def test_temporal_coverage_spans_every_period_the_figures_cover():
    # By hand: the earliest period any figure applies to is key_figures' "1950-01" (the lead request of
    # January 1950); the latest is the Three Year Plan, "1954/1956"; the railway, mineral and goods tables lie between.
    periods = [row["period"] for row in _rows("key_figures") if row["period"]]
    assert "1950-01" in periods and "1954/1956" in periods
    assert min(p[:7] for p in periods) == "1950-01" and max(p.split("/")[-1][:4] for p in periods) == "1956"
    dates = [row[c] for name in ("railway_damage", "mineral_exports") for row in _rows(name) for c in ("period_start", "period_end")]
    assert min(dates) > "1950-01" and max(dates) < "1956"
    assert {row["year"] for row in _rows("aid_deliveries")} <= {"1950", "1951", "1952", "1953"}
    assert jsonld.temporal_coverage() == "1950-01/1956"


def test_temporal_coverage_follows_the_data(project_copy):
    import pandas as pd

    import aidstats
    from aidstats.package import file_facts

    # The railway account moved to end in 1957: a table's Parquet file rewritten, with its size and hash in the descriptor.
    frame = aidstats.load("railway_damage", project_copy)
    frame["period_end"] = pd.Timestamp("1957-03-31")
    frame.attrs = {}
    path = project_copy / "clean" / "railway_damage.parquet"
    frame.to_parquet(path, index=False)
    descriptor = json.loads((project_copy / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["path"] == "clean/railway_damage.parquet").update(file_facts(path))
    (project_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert jsonld.temporal_coverage(project_copy) == "1950-01/1957-03-31"


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- x", "a & b ]]>", "</SCRIPT >"])
def test_no_text_can_end_the_script_element(text):
    data = {"@type": "Dataset", "name": text, "description": text}
    written = str(jsonld.script_text(data))
    assert not re.search(r"[<>&]", written)
    assert json.loads(written) == data  # the same text to a JSON reader
    # And written into a page, an HTML parser finds the one script, whole.
    from aidstats.web.site import render_template

    package = {**DESCRIPTOR, "title": text, "citation": text}
    page = render_template(
        "home.html",
        title=text,
        package=package,
        tables=[],
        table_rows=[],
        headlines=[],
        archive={"name": "a.zip", "bytes": 1, "sha256": "0"},
        exports=[],
        chart_list=[],
        caveat_counts=[],
        jsonld=jsonld.script_text(data),
    )
    assert datasets(page) == [data]
