"""The Excel workbook export: an About sheet, one sheet per table, and a Columns sheet.

openpyxl (the ``export`` extra) writes the workbook; the current time it
puts in the document properties and in every zip entry is replaced by the
package's ``created`` date, so the same package always gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from aidstats.extras import require
from aidstats.loader import descriptor
from aidstats.package import check_output_file, output_file
from aidstats.publish.tables import created, tables, unit_symbols
from aidstats.text.numbers import heading, unit_note
from aidstats.text.printed import NotANumber, decimals

WORKBOOK = "aidstats.xlsx"
WIDEST, WRAP_FROM = 60, 50  # characters: a column's greatest width; text longer than this is wrapped
PRINTED = "_as_printed"
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # the characters below space that XML 1.0 forbids
READING = (
    "Each table is on the sheet of its name, with the column titles and units in the header row; "
    "the sheet Columns describes every column. The caveats below say what is doubtful in the source "
    "and how the data treats it."
)


def write_workbook(root: Path, out: Path) -> list[Path]:
    """Write ``aidstats.xlsx`` into ``out`` and return its path in a list.

    Raises
    ------
    aidstats.extras.MissingExtra
        If openpyxl is not installed.
    """
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    path = check_output_file(out / WORKBOOK)  # before the workbook takes its while, as the other exports check theirs
    everything = tables(root)
    units = unit_symbols(root)
    book = Workbook()
    _about(book.active, root, everything)
    for name, meta, frame in everything:
        _table(book.create_sheet(name), meta, frame, units)
    _columns(book.create_sheet("Columns"), everything, units)
    stamp = created(root)
    book.properties.creator = "aidstats"
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the properties with the current time.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(buffer) as written, output_file(path) as partial, zipfile.ZipFile(partial, "w") as fixed:
        for info in written.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            fixed.writestr(entry, written.read(info), compresslevel=9)
    return [path]


def require_openpyxl(needed_by: str = "aidstats.export.export('xlsx')") -> None:
    """Raise :class:`~aidstats.extras.MissingExtra`, naming the export extra, unless openpyxl is installed.

    ``needed_by`` says what needs it, for the message ("this command" on the command line).
    """
    require("export", needed_by)


def _bold_header(sheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _fit(sheet) -> None:
    """Make each column as wide as its longest value, at most WIDEST characters, and wrap longer text."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")  # one object: openpyxl looks each assigned style up in its list
    for column in sheet.iter_cols():
        longest = max(len(str(cell.value)) for cell in column if cell.value is not None)  # a header at least
        sheet.column_dimensions[column[0].column_letter].width = min(longest + 2, WIDEST)
        if longest > WRAP_FROM:
            for cell in column:
                cell.alignment = wrap


def _about(sheet, root: Path, everything) -> None:
    """Title, version, citation, licence, provenance and caveats: what a reader needs before the data."""
    from openpyxl.styles import Font

    package = descriptor(root)
    licence = package["licenses"][0]
    sheet.title = "About"
    facts = [
        ("Title", package["title"]),
        ("Version", package["version"]),
        ("Cite as", package["citation"]),
        ("Source", package["sources"][0]["title"]),
        ("Licence", f"{licence['title']} ({licence['path']})"),
        ("Description", package["description"]),
        ("How to read", READING),
    ]
    for fact in facts:
        _append(sheet, fact)
    sheet.append([])
    sheet.append(["Table", "Rows", "Title", "Description", "Sources"])
    _bold_header(sheet, sheet.max_row)
    for name, meta, frame in everything:
        sources = "; ".join(source["title"] for source in meta.get("sources", []))
        _append(sheet, [name, len(frame), meta["title"], meta["description"], sources])
    sheet.append([])
    caveats = next((frame for name, _, frame in everything if name == "caveats"), None)
    if caveats is not None:
        sheet.append(["Caveats", "Row", "Column", "Issue", "Treatment"])
        _bold_header(sheet, sheet.max_row)
        for row in caveats[["table", "row_key", "column_name", "issue", "treatment"]].itertuples(index=False, name=None):
            _append(sheet, row)
    for (cell,) in sheet.iter_rows(max_col=1):
        cell.font = Font(bold=True)
    _fit(sheet)


def _table(sheet, meta: dict, frame: pd.DataFrame, units: dict[str, str]) -> None:
    """One table: a header of titles with units, frozen under the header, with a filter on every column."""
    fields = meta["schema"]["fields"]
    _append(sheet, [heading(f, fields, units) for f in fields])
    _bold_header(sheet, 1)
    formats = [_number_format(f, frame) for f in fields]
    for index, row in enumerate(frame.itertuples(index=False)):
        for cell, number_format in zip(_append(sheet, row), formats, strict=True):
            if number_format is not None:
                cell.number_format = number_format[index]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit(sheet)


def _append(sheet, values) -> list:
    """Add a row of cells: numbers as numbers, dates as dates, missing as an empty cell, and text as text.

    openpyxl stores a string that begins with "=" as a formula, which Excel would run
    (``=HYPERLINK(...)``, ``=WEBSERVICE(...)``): such a cell is set back to text, shown as typed.
    Returns the row's cells.  They are made here and handed to ``append``, rather than looked up
    after it as ``sheet[sheet.max_row]``: ``max_row`` goes through every cell of the sheet, so that
    lookup made a table's sheet take time in the square of its rows.
    """
    from openpyxl.cell import Cell

    cells = [Cell(sheet, value=_value(value)) for value in values]
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"
    sheet.append(cells)
    return cells


def _value(value):
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters: each becomes its Unicode control picture (␀ to ␟).
        return ILLEGAL.sub(lambda found: chr(0x2400 + ord(found.group())), value)
    if pd.isna(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value  # a date, not a midnight


def _places(printed: str) -> int:
    """The decimals a number read from ``printed`` shows: :func:`aidstats.text.printed.decimals`, the build's rule.

    >>> [_places(p) for p in ["0.84", "52.70", "1,250,000", "two", "1.5 million units", "year and a half"]]
    [2, 2, 0, 0, 0, 1]

    A missing figure, or text that is not a number as the paper prints one, shows none.
    """
    try:
        return decimals(printed)
    except NotANumber:
        return 0


def _number_format(field: dict, frame: pd.DataFrame) -> list[str] | None:
    """How a column's numbers are shown: the printed precision where the value was read from print.

    A number read from one ``*_as_printed`` column shows as many decimals as
    were printed (a format per row); any other number keeps Excel's General
    format, which shows what is stored.  (openpyxl shows dates as yyyy-mm-dd.)
    """
    source = field.get("derivedFrom", [])
    if field["type"] not in ("number", "integer") or len(source) != 1 or not source[0].endswith(PRINTED):
        return None
    return ["#,##0" + ("." + "0" * _places(p) if _places(p) else "") for p in frame[source[0]].fillna("")]


def _columns(sheet, everything, units: dict[str, str]) -> None:
    """Every column of every table: its table, name, title, unit and description."""
    sheet.append(["Table", "Column", "Title", "Unit", "Description"])
    _bold_header(sheet, 1)
    for name, meta, _ in everything:
        fields = meta["schema"]["fields"]
        for field in fields:
            _append(sheet, [name, field["name"], field.get("title"), unit_note(field, fields, units), field.get("description")])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit(sheet)
