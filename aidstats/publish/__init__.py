"""The publish wing: what is made from a built package for people who do not use Python.

What lives here
    ``export``          the registry of export formats and ``aidstats export``; one writer per format:
    ``workbook``        Excel (.xlsx, openpyxl), ``stata`` (.dta), ``database`` (SQLite, for SQL and Datasette)
    ``tables``          what the writers share: the package's tables, column headings, the package's date
    ``release``         the deterministic release archive (``aidstats package``, ``python -m aidstats.publish.release``)
    ``archive_readme``  the archive's own README.md, written from the package it holds (not the repository's README)
    ``cite``            ``aidstats cite``: plain-text and BibTeX citations of the package and a table's documents
    ``citation_files``  CITATION.cff and .zenodo.json, generated from ``aidstats.metadata``
    ``readme``          the Markdown made from the package: README.md's citation (``python -m aidstats.publish.readme``)
                        and the documentation's table of tables and data dictionary (docs/gen_pages.py)

What to edit
    A new export format: a module here with a ``write_<format>(out, root)`` function and one entry in
    ``export.FORMATS``; the release archive and the site pick it up from there (see CONTRIBUTING.md).
    A new table needs nothing here: every format writes every table of the package.

The wing reads only a built package (through ``aidstats.loader`` and ``aidstats.package``); it never reads ``raw/``.
"""
