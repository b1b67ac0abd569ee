"""The web wing: the website, the one-file dashboard and the plotly figures they show.

What lives here
    ``figures``    the plotly charts, built from the loaded tables (``aidstats.figures`` is its old path)
    ``site``       ``aidstats site``: one page per table plus a home page, from the Jinja2 templates
    ``dashboard``  ``aidstats dashboard``: one self-contained HTML file of the charts
    ``jsonld``     the package as a schema.org Dataset (JSON-LD), which every page carries for dataset search
    ``assets/``    templates, CSS, JavaScript (``site.js`` the tables, ``charts.js`` the charts) and the vendored
                   partial plotly.js bundle, which ``charts.js`` requests only once a table is interactive

What to edit
    A new page: a template in ``assets/templates`` and its writer in ``site``.
    A new chart: in ``figures``, a function drawing it, one writing its caption and one giving the numbers it
    shows (its table view and CSV download), and its ``Chart`` entry in ``figures.CHARTS``; name it in
    ``site.TABLE_CHARTS`` to show it on a table's page (the home page and the dashboard show every chart).
    A new table needs nothing here: every table gets its page from its schema.

The wing reads only a built package (and the exports made by ``aidstats.publish``); it never reads ``raw/``.
It reads a table with ``aidstats.loader.load_rows``, the rows without ``df.attrs``: pandas copies a frame's attrs
into every frame or Series made from it, and a site reads columns thousands of times.
"""
