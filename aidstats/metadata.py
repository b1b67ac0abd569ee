"""Package-level facts about the dataset: one place, read by the build and the CLI.

``CREATED`` is the date of this data release, changed by hand with ``raw/``;
the build never reads the clock, so two builds give the same bytes.
"""

from __future__ import annotations

VERSION = "0.5.0"
CREATED = "2026-12-04T00:00:00Z"
NAME = "aidstats"
# Where each release's archive is published; `aidstats download` fetches the installed version's.
# Where the release workflow publishes the website (GitHub Pages), its documentation under docs/.
SITE_URL = "https://aidstats.github.io/aidstats/"
RELEASE_URL = "https://github.com/aidstats/aidstats/releases/download/v{version}/aidstats-data-{version}.zip"
# The title says what the package holds and no more: the goods list has no Soviet deliveries, the minerals
# went to the USSR, and the figures reach beyond 1951-1953 (1950's lead request, the Three Year Plan of
# 1954-1956); the description names the tables. Short, since every page of the site prints it.
TITLE = "The figures printed in Weathersby's 'North Korea and the Armistice Negotiations'"
DESCRIPTION = (
    "The statistics printed in Kathryn Weathersby, 'North Korea and the Armistice Negotiations' "
    "(Transactions of the Royal Asiatic Society Korea Branch, vol. 90): three core tables drawn from Soviet documents "
    "in Moscow archives, two of them embassy reports (railway losses reported for the first half of 1951, mineral deliveries to the USSR against "
    "the 1951 plan, and goods delivered to the DPRK by China and five East European states) and the paper's other figures. "
    "Every value is kept as printed, with the verbatim quote it comes from and the archival document cited for it."
)
KEYWORDS = ["Korean War", "North Korea", "DPRK", "Soviet Union", "foreign aid", "armistice", "economic history", "archives"]
LICENSES = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}]
CONTRIBUTORS = [{"title": "aidstats contributors", "roles": ["author"]}]
PAPER_KEY = "weathersby_armistice"
PAPER_AUTHOR = ("Weathersby", "Kathryn")  # family, given
PAPER_TITLE = "North Korea and the Armistice Negotiations"
PAPER_JOURNAL = "Transactions of the Royal Asiatic Society Korea Branch"
PAPER_VOLUME = 90
PAPER = f'{PAPER_AUTHOR[1]} {PAPER_AUTHOR[0]}, "{PAPER_TITLE}," {PAPER_JOURNAL}, vol. {PAPER_VOLUME}'
CITATION = f"aidstats contributors. aidstats: {TITLE}. Data package, version {VERSION}. Transcribed from {PAPER}."
