"""The web wing: the website, the one-file dashboard and the plotly figures they show.

What lives here
    ``figures``    the plotly charts, built from the loaded tables (``aidstats.figures`` is its old path)
    ``site``       ``aidstats site``: one page per table plus a home page, from the Jinja2 templates
    ``dashboard``  ``aidstats dashboard``: one self-contained HTML file of the charts
    ``assets/``    templates, CSS, JavaScript and the vendored partial plotly.js bundle

What to edit
    A new page: a template in ``assets/templates`` and its writer in ``site``.
    A new chart: a function in ``figures`` and its entry in ``figures.CHARTS``.
    A new table needs nothing here: every table gets its page from its schema.

The wing reads only a built package (and the exports made by ``aidstats.publish``); it never reads ``raw/``.
"""
