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
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from numbers import Integral
from typing import NamedTuple

DIGITS = 4
# How a unit is written after a number and in a header; any other unit is written as its code.
SYMBOLS = {"percent": "%", "count": "", "fraction": ""}
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


def unit_symbol(unit: str | None) -> str:
    """How ``unit`` (a code from the units table, or a field's ``unit``) is written after a number: "%" for percent, nothing for a count or fraction."""
    if not unit:
        return ""
    return SYMBOLS.get(unit, unit)


def with_unit(text: str, unit: str | None) -> str:
    """``text`` followed by its unit: ``"52.7%"``, ``"1,250,000 t"``; a count or an empty text unchanged.

    >>> with_unit("1,250,000", "t"), with_unit("52.7", "percent"), with_unit("452", "count")
    ('1,250,000 t', '52.7%', '452')
    """
    symbol = unit_symbol(unit)
    if not text or not symbol:
        return text
    return f"{text}{symbol}" if symbol == "%" else f"{text} {symbol}"


def format_value(value, field: Mapping, unit: str | None = None, digits: int = DIGITS) -> Shown:
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
    full = with_unit(format_number(value), unit)
    text = with_unit(format_number(value, digits), unit) if how == "computed" else full
    return Shown(text, full)


def header(field: Mapping) -> str:
    """A column header: the field's title (or name) and its fixed unit, as in "Delivered (t)" or "Percent of plan (%)".

    A field whose unit varies by row (``unitField``) gets its title alone; its
    unit column says the unit of each row.

    >>> header({"name": "plan_t", "title": "Implied plan", "unit": "t"})
    'Implied plan (t)'
    >>> header({"name": "quantity", "title": "Quantity", "unitField": "unit"})
    'Quantity'
    """
    title = field.get("title") or field["name"]
    unit = field.get("unit")
    return f"{title} ({SYMBOLS.get(unit) or unit})" if unit else title


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
