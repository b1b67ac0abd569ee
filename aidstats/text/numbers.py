"""One number formatter for every place a value is shown: the site, the dashboard's hovers and ``aidstats show``.

What a value looks like is decided by its Table Schema field in
``datapackage.json`` (its ``type``, ``unit``, ``unitField`` and
``derivedFrom``), never by the value alone, so the same column reads the same
everywhere:

============  =====================================================  ==============================
kind          which fields                                           shown as
============  =====================================================  ==============================
year          ``type`` "year", or an integer named ``year``/``*_year``  ``1951``
identifier    any other integer without ``unit`` or ``unitField``    ``32`` (footnote, sequence)
quantity      an integer with ``unit`` or ``unitField``              ``1,250,000``
exact         a number not computed by the build, or read from       ``52.7``, ``100,000,000``
              one ``*_as_printed`` column                            (every digit it has)
computed      a number the build computed from other columns         ``10,144`` (full: ``10,144.212523719165``)
date          ``type`` "date"                                        ``1951-08-31``
text          everything else, ``*_as_printed`` included             verbatim
============  =====================================================  ==============================

No number is ever written in scientific notation.  A computed number keeps
at least :data:`DIGITS` significant digits and all of its integer digits;
its full value is returned beside it for a hover or a tooltip.

Units are written with the symbols of the package's units table
(:func:`symbols` reads them from its ``printed_as`` column), the same after a
number (``"52.7%"``, ``"1,250,000 t"``) and in a column heading
(:func:`heading`: ``"Percent of plan (%)"``), on the site, in ``aidstats show``,
in the workbook, in the ``.dta`` labels and in the SQLite metadata.  This
module reads no file: a caller passes the symbols in
(:func:`aidstats.publish.tables.unit_symbols` loads them from a package).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from numbers import Integral
from typing import NamedTuple

DIGITS = 4
INFINITY = {math.inf: "∞", -math.inf: "-∞"}


class Shown(NamedTuple):
    """A value as displayed: ``text`` to show, ``full`` the whole value (equal to ``text`` unless rounded)."""

    text: str
    full: str

    @property
    def rounded(self) -> bool:
        """Whether ``text`` was rounded, so ``full`` is worth offering (on hover, say)."""
        return self.text != self.full


def kind(field: Mapping) -> str:
    """How values of a Table Schema ``field`` are shown: see the module's table.

    Parameters
    ----------
    field : Mapping
        A field of a resource's ``schema.fields`` in ``datapackage.json``.

    Returns
    -------
    str
        One of "year", "identifier", "quantity", "exact", "computed", "date", "text".

    Examples
    --------
    >>> kind({"name": "year", "type": "integer"}), kind({"name": "seq", "type": "integer"})
    ('year', 'identifier')
    >>> kind({"name": "quantity", "type": "integer", "unitField": "unit"})
    'quantity'
    >>> kind({"name": "delivered_t", "type": "number", "unit": "t", "derivedFrom": ["delivered_as_printed"]})
    'exact'
    >>> kind({"name": "plan_t", "type": "number", "derivedFrom": ["delivered_as_printed", "percent_of_plan_as_printed"]})
    'computed'
    """
    name, type_ = field.get("name") or "", field.get("type")
    if type_ == "year" or (type_ == "integer" and (name == "year" or name.endswith("_year"))):
        return "year"
    if type_ == "integer":
        return "quantity" if field.get("unit") or field.get("unitField") else "identifier"
    if type_ == "number":
        sources = field.get("derivedFrom") or []
        printed = len(sources) == 1 and sources[0].endswith("_as_printed")
        return "computed" if sources and not printed else "exact"
    if type_ in ("date", "datetime"):
        return "date"
    return "text"


def format_number(value, digits: int | None = None, separators: bool = True) -> str:
    """A number as text, with thousands separators and never in scientific notation.

    Parameters
    ----------
    value : int or float
        The number; NaN gives "", infinity "∞" (or "-∞").
    digits : int, optional
        Round to this many significant digits, but never round away an
        integer digit, and drop trailing zeros.  By default every digit of the
        shortest decimal that reads back as ``value`` is kept.
    separators : bool
        Group the integer part in thousands with commas.

    Examples
    --------
    >>> format_number(1.25e6), format_number(1e8), format_number(0.5)
    ('1,250,000', '100,000,000', '0.5')
    >>> format_number(10144.212523719165, digits=4), format_number(0.8085867620751341, digits=4)
    ('10,144', '0.8086')
    >>> format_number(1951, separators=False)
    '1951'
    """
    if isinstance(value, Integral):
        number = Decimal(int(value))
    elif math.isnan(value):
        return ""
    elif math.isinf(value):
        return INFINITY[value]
    else:
        # repr gives the shortest decimal that reads back as the same float; Decimal then writes it without an exponent.
        number = Decimal(repr(float(value)))
    # Enough precision for every digit of any float (the default 28 would refuse to quantize 1e+28).
    with localcontext(prec=800):
        if digits is not None and number:
            decimals = max(0, digits - 1 - number.adjusted())
            number = number.quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_UP)
        # Trailing zeros say nothing about the value (32.0 == 32); "f" then writes an exponent as plain digits.
        number = number.normalize()
    if not number:
        number = Decimal(0)  # no "-0"
    return format(number, ",f" if separators else "f")


def _missing(value) -> bool:
    from pandas import isna

    return not isinstance(value, (list, tuple, dict)) and bool(isna(value))


def symbols(printed_as: Mapping[str, object]) -> dict[str, str]:
    """How each unit of the units table is written after a number, from the way the paper prints it.

    The rule, applied to the table's ``printed_as`` column (``"|"`` between
    the forms the paper uses):

    - the paper prints a sign, with no letter in it (``"%"``): that sign;
    - the paper prints no unit at all (empty: a count, people, items): no
      symbol, the number stands alone;
    - the paper prints a word (``"tons"``, ``"meters"``, ``"dozens"``): the
      unit's code (``"t"``, ``"m"``, ``"dozen"``), the short form the tables use.

    Parameters
    ----------
    printed_as : Mapping
        Unit code to its ``printed_as`` text, as in the package's ``units``
        table; a missing value (None, NaN, ``pd.NA``) is an empty one.

    Returns
    -------
    dict
        Unit code to its symbol, for :func:`with_unit`, :func:`format_value`
        and :func:`heading`.

    Examples
    --------
    >>> symbols({"percent": "%", "t": "tons", "count": None, "dozen": "dozen|dozens"})
    {'percent': '%', 't': 't', 'count': '', 'dozen': 'dozen'}
    """
    written = {}
    for unit, printed in printed_as.items():
        first = "" if _missing(printed) else str(printed).split("|")[0]
        if not first:
            written[unit] = ""  # printed bare: the number alone
        elif _has_letter(first):
            written[unit] = unit  # printed as a word: the code
        else:
            written[unit] = first  # printed as a sign
    return written


def _has_letter(text: str) -> bool:
    return any(character.isalpha() for character in text)


def unit_symbol(unit: str | None, symbols: Mapping[str, str] | None = None) -> str:
    """How ``unit`` (a code from the units table, or a field's ``unit``) is written after a number.

    Its symbol in ``symbols`` (see :func:`symbols`); a unit the table does not
    list (``"fraction"``), or any unit when no ``symbols`` are given, is
    written as its code.

    >>> unit_symbol("percent", {"percent": "%"}), unit_symbol("count", {"count": ""}), unit_symbol("fraction", {})
    ('%', '', 'fraction')
    """
    if not unit:
        return ""
    return (symbols or {}).get(unit, unit)


def with_unit(text: str, unit: str | None, symbols: Mapping[str, str] | None = None) -> str:
    """``text`` followed by its unit: ``"52.7%"``, ``"1,250,000 t"``; a unit without a symbol or an empty text adds nothing.

    A sign (no letter in it) is written against the number, a code after a space.

    >>> units = {"t": "t", "percent": "%", "count": ""}
    >>> with_unit("1,250,000", "t", units), with_unit("52.7", "percent", units), with_unit("452", "count", units)
    ('1,250,000 t', '52.7%', '452')
    """
    symbol = unit_symbol(unit, symbols)
    if not text or not symbol:
        return text
    return f"{text} {symbol}" if _has_letter(symbol) else f"{text}{symbol}"


def format_value(value, field: Mapping, unit: str | None = None, digits: int = DIGITS, symbols: Mapping[str, str] | None = None) -> Shown:
    """A value as a reader should see it, chosen by its field's :func:`kind`.

    Parameters
    ----------
    value
        One cell; None, NaN, ``pd.NA`` and ``NaT`` give empty texts.
    field : Mapping
        Its Table Schema field from ``datapackage.json``.
    unit : str, optional
        Append this unit to a number (``"1,250,000 t"``): pass the row's value
        of the field's ``unitField``, or the field's ``unit``.  Not appended
        by default, for table cells under a header that names the unit.
    digits : int
        Significant digits of a computed number's ``text``.
    symbols : Mapping, optional
        How each unit is written (see :func:`symbols`); without them a unit
        is written as its code.

    Returns
    -------
    Shown
        ``(text, full)``: ``full`` differs from ``text`` only for a computed
        number, where it holds every digit.

    Examples
    --------
    >>> format_value(1951, {"name": "year", "type": "integer"})
    Shown(text='1951', full='1951')
    >>> format_value(1250000.0, {"name": "quantity_base", "type": "number", "derivedFrom": ["quantity_as_printed", "unit"]}, unit="t")
    Shown(text='1,250,000 t', full='1,250,000 t')
    >>> format_value(52.7, {"name": "percent_of_plan", "type": "number"}, unit="percent", symbols={"percent": "%"})
    Shown(text='52.7%', full='52.7%')
    >>> format_value(116073.61963190183, {"name": "plan_t", "type": "number", "derivedFrom": ["a", "b"]})
    Shown(text='116,074', full='116,073.61963190183')
    """
    if _missing(value):
        return Shown("", "")
    how = kind(field)
    if how in ("year", "identifier"):
        return Shown(str(int(value)), str(int(value)))
    if how == "date":
        text = value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)
        return Shown(text, text)
    if how == "text":
        return Shown(str(value), str(value))
    full = with_unit(format_number(value), unit, symbols)
    text = with_unit(format_number(value, digits), unit, symbols) if how == "computed" else full
    return Shown(text, full)


def unit_note(field: Mapping, fields: Iterable[Mapping] = (), symbols: Mapping[str, str] | None = None, names: bool = False) -> str:
    """A column's unit as its heading shows it: "t", "%", "see Unit" for a unit given row by row, or "".

    A fixed ``unit`` is written as its symbol (see :func:`symbols`), or as its
    code when it has none ("count": a heading still says what is counted).  A
    ``unitField`` is named by that column's title (its name with ``names``).

    >>> unit_note({"name": "percent_of_plan", "unit": "percent"}, symbols={"percent": "%"})
    '%'
    >>> unit_note({"name": "lost", "unitField": "unit"}, [{"name": "unit", "title": "Unit"}])
    'see Unit'
    """
    if field.get("unit"):
        return unit_symbol(field["unit"], symbols) or field["unit"]
    if field.get("unitField"):
        other = next((f for f in fields if f.get("name") == field["unitField"]), {"name": field["unitField"]})
        return f"see {_label(other, names)}"
    return ""


def _label(field: Mapping, names: bool) -> str:
    return field["name"] if names else field.get("title") or field["name"]


def heading(field: Mapping, fields: Iterable[Mapping] = (), symbols: Mapping[str, str] | None = None, names: bool = False) -> str:
    """A column heading: the field's title (or name) and its unit, the one heading every page and export uses.

    The site's table and facets, ``aidstats show``, the workbook's header row,
    the ``.dta`` variable labels and the SQLite metadata all call this.

    Parameters
    ----------
    field : Mapping
        The column's Table Schema field.
    fields : iterable of Mapping
        Every field of its table, to title the column a ``unitField`` names.
    symbols : Mapping, optional
        How each unit is written (see :func:`symbols`); without them a unit
        is written as its code.
    names : bool
        Label the column, and the unit column it refers to, by name rather
        than title (``aidstats show``, where a reader types the names).

    Examples
    --------
    >>> units = {"t": "t", "percent": "%"}
    >>> heading({"name": "plan_t", "title": "Implied plan", "unit": "t"}, symbols=units)
    'Implied plan (t)'
    >>> heading({"name": "percent_of_plan", "title": "Percent of plan", "unit": "percent"}, symbols=units)
    'Percent of plan (%)'
    >>> fields = [{"name": "quantity", "title": "Quantity", "unitField": "unit"}, {"name": "unit", "title": "Unit"}]
    >>> heading(fields[0], fields), heading(fields[0], fields, names=True)
    ('Quantity (see Unit)', 'quantity (see unit)')
    """
    fields = list(fields)
    label, unit = _label(field, names), unit_note(field, fields, symbols, names)
    return f"{label} ({unit})" if unit else label


# The name this function had before headings had one home (aidstats 0.2.0): the site's headings.
header = heading


def format_frame(frame, fields: list[Mapping], digits: int = DIGITS):
    """Every cell of ``frame`` as shown text, column by column under its field.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as :func:`aidstats.load` returns it.
    fields : list of Mapping
        The table's Table Schema fields; a column without one is shown as text.
    digits : int
        Significant digits of computed numbers.

    Returns
    -------
    pandas.DataFrame
        Strings, same index and columns as ``frame``.
    """
    by_name = {field["name"]: field for field in fields}
    out = frame.astype(object).copy()
    for column in frame.columns:
        field = by_name.get(column, {})  # no field: shown as text
        out[column] = [format_value(value, field, digits=digits).text for value in frame[column]]
    return out
