"""`aidstats site` from an installed wheel (issue 12): the site reads only the data package the wheel
carries (its passages table included), never a checkout's raw/ folder.

The wheel is installed with the ``viz`` and ``export`` extras (the site offers the exports), from the package index, into a fresh virtual
environment, and run from an empty folder.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pytest

import aidstats

pytestmark = pytest.mark.slow  # a wheel built and installed with its extras into a fresh virtual environment


# wheel and viz_env (conftest.py): the wheel, and it installed with the viz and export extras, made once per run.


def test_the_wheel_carries_the_package_and_its_documents_but_not_raw(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for document in ["datapackage.json", "README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", "clean/passages.parquet"]:
        assert f"aidstats/data/{document}" in names
    assert not any(name.startswith("aidstats/data/raw/") for name in names)


def test_the_site_works_from_an_installed_wheel(viz_env, tmp_path):
    done = subprocess.run([viz_env / "bin" / "aidstats", "site", "-o", "site"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert {f"{name}.html" for name in aidstats.list_tables()} <= {path.name for path in site.glob("*.html")}
    # The source panel's passages come from the wheel's passages table: the goods list's quote is in one of them.
    quote = aidstats.load("aid_deliveries").quote.iloc[0]
    shipped = "\n".join(path.read_text(encoding="utf-8") for path in (site / "assets").glob("*.js*"))
    assert json.dumps(quote, ensure_ascii=False)[1:-1] in shipped or quote in shipped
    # The release archive it offers is the installed version's.
    assert re.search(rf"aidstats-data-{re.escape(aidstats.__version__)}\.zip", (site / "index.html").read_text(encoding="utf-8"))
