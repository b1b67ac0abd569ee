"""The checks the public helpers make on their arguments, in one place.

A wrong argument is refused before any work is done, with a ``TypeError``
(the wrong kind of thing) or a ``ValueError`` (the right kind, a wrong value)
whose message names the argument, shows what was given and says what is
expected, so that no pandas or NumPy error reaches the user::

    actual must be a number, or an array, list or Series of numbers; got '100' (str)
    aid must be the aid_deliveries table; got the 'mineral_exports' table, without its columns 'donor_code', …

Used by :mod:`aidstats.metrics`, :mod:`aidstats.summaries` and the chart
functions of :mod:`aidstats.web.figures`.  NumPy only at import, like
:mod:`aidstats.metrics`: pandas is looked at only when the caller has
imported it (a pandas object cannot be given otherwise).
"""

from __future__ import annotations

import numbers as _abc
import sys

import numpy as np

NUMBERS = "a number, or an array, list or Series of numbers"
# How many labels, columns or characters of a value a message shows.
_SHOWN, _CHARACTERS = 5, 60


def _pandas():
    return sys.modules.get("pandas")


def given(value) -> str:
    """What a message says was given: a short repr and its type, or the shape of a frame, Series or array.

    >>> given("100"), given(True), given(None), given(np.array([1, 2]))
    ("'100' (str)", 'True (bool)', 'None', 'an array of dtype int64 and shape (2,)')
    """
    pd = _pandas()
    if pd is not None and isinstance(value, pd.DataFrame):
        name = value.attrs.get("name")
        return f"the {name!r} table" if isinstance(name, str) else f"a DataFrame with columns {_few(value.columns)}"
    if pd is not None and isinstance(value, pd.Series):
        return f"a Series of dtype {value.dtype} with index {_few(value.index)}"
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    if value is None:
        return "None"
    text = repr(value)
    text = text if len(text) <= _CHARACTERS else text[: _CHARACTERS - 1] + "…"
    return f"{text} ({type(value).__name__})"


def path(value, name: str, expected: str):
    """``value`` if it is None, a str or a path (``os.PathLike``); a TypeError naming ``name`` otherwise.

    >>> path("data", "dest", "a folder")
    'data'
    """
    import os

    if value is None or isinstance(value, str | os.PathLike):
        return value
    raise TypeError(f"{name} must be None or {expected} (a str or a path); got {given(value)}")


def positive(value, name: str) -> float:
    """``value`` as a float if it is a real number greater than 0 (not a boolean); else a TypeError or ValueError.

    >>> positive(2, "timeout")
    2.0
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, _abc.Real):
        raise TypeError(f"{name} must be a number of seconds greater than 0; got {given(value)}")
    if not value > 0:  # also refuses NaN
        raise ValueError(f"{name} must be a number of seconds greater than 0; got {given(value)}")
    return float(value)


def _few(labels) -> str:
    labels = list(labels)
    shown = ", ".join(map(repr, labels[:_SHOWN]))
    return f"[{shown}{', …' if len(labels) > _SHOWN else ''}]"


def flag(value, name: str) -> bool:
    """``value`` if it is True or False (Python's or NumPy's); a TypeError naming ``name`` otherwise.

    A string such as "no" would be true, so it is refused rather than read.

    >>> flag(np.True_, "include_implausible")
    True
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name} must be True or False; got {given(value)}")


def choice(value, name: str, accepted: tuple[str, ...], *, none: bool = False):
    """``value`` if it is one of ``accepted`` (or None, when ``none``); else an error listing them.

    >>> choice("asset", "by", ("asset_group", "asset"))
    'asset'
    """
    if value is None and none:
        return value
    expected = ", ".join(map(repr, accepted)) + (", or None" if none else "")
    if not isinstance(value, str):
        raise TypeError(f"cannot group {name}={given(value)}; expected one of {expected}")
    if value not in accepted:
        raise ValueError(f"cannot group {name}={value!r}; expected one of {expected}")
    return value


def table(value, name: str, table_name: str, columns: tuple[str, ...], numeric: tuple[str, ...] = ()):
    """``value`` if it is a DataFrame with ``columns`` (``numeric`` ones holding numbers), or None.

    A string is taken for a table's name and refused with how to load the
    table; a frame of another table is refused naming the columns it lacks.
    """
    pd = _pandas()
    if value is None:
        return value
    expected = f"the {table_name} table as a DataFrame, or None to load it"
    if isinstance(value, str):
        raise TypeError(f"{name} must be {expected}; got the string {value!r}: pass aidstats.load({table_name!r}) instead")
    if pd is None or not isinstance(value, pd.DataFrame):
        raise TypeError(f"{name} must be {expected}; got {given(value)}")
    missing = [column for column in columns if column not in value.columns]
    if missing:
        raise ValueError(f"{name} must be the {table_name} table; got {given(value)}, without its columns {', '.join(map(repr, missing))}")
    twice = [column for column in columns if list(value.columns).count(column) > 1]
    if twice:
        raise ValueError(f"{name} must be the {table_name} table; got {given(value)}, with more than one column {twice[0]!r}")
    for column in numeric:
        dtype = value[column].dtype
        if not _numeric(dtype):
            raise TypeError(
                f"{name} must be the {table_name} table; got {given(value)}, whose column {column!r} holds {dtype}, not numbers"
            )
    return value


def numbers(value, name: str, expected: str = NUMBERS):
    """``value`` as something to compute with: a float, a float array, or a numeric Series (index kept).

    Booleans, strings, None, dates and containers of them are refused with a
    TypeError; a list of lists of different lengths, or an integer too large
    for a float, with a ValueError.  Missing values inside an array, list or
    Series (None, NaN, pandas' NA) are kept as missing.

    >>> numbers([1, None], "actual")
    array([ 1., nan])
    >>> numbers("100", "actual")
    Traceback (most recent call last):
    ...
    TypeError: actual must be a number, or an array, list or Series of numbers; got '100' (str)
    """
    pd = _pandas()
    if _number(value):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"{name} must be {expected}; got {given(value)}, too large for a float") from None
    if isinstance(value, list | tuple):
        array = np.array(value, dtype=object)
        # NumPy keeps lists of different lengths as lists inside a one-dimensional array of objects.
        if any(isinstance(element, list | tuple | np.ndarray) for element in array.flat):
            raise ValueError(f"{name} must be {expected}; got {given(value)}, whose lists differ in length")
        return _elements(array, value, name, expected)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iuf":
            return value
        if value.dtype.kind == "O":
            return _elements(value, value, name, expected)
    elif pd is not None and isinstance(value, pd.Index | pd.api.extensions.ExtensionArray):
        if _numeric(value.dtype):
            return value.to_numpy(dtype=float, na_value=np.nan)
    elif pd is not None and isinstance(value, pd.Series):
        dtype = value.dtype
        if _numeric(dtype):
            return value
        if pd.api.types.is_object_dtype(dtype):
            return pd.Series(_elements(value.to_numpy(), value, name, expected), index=value.index, name=value.name)
    hint = "; a missing value is float('nan')" if value is None or _missing(value) else ""
    raise TypeError(f"{name} must be {expected}; got {given(value)}{hint}")


def _numeric(dtype) -> bool:
    """A pandas dtype of real numbers (NumPy's or pandas' nullable ones), not of booleans or complex numbers."""
    types = _pandas().api.types
    return types.is_numeric_dtype(dtype) and not types.is_bool_dtype(dtype) and not types.is_complex_dtype(dtype)


def _number(value) -> bool:
    return isinstance(value, _abc.Real) and not isinstance(value, bool | np.bool_)


def _missing(value) -> bool:
    pd = _pandas()
    return value is None or (pd is not None and value is pd.NA)


def _elements(array: np.ndarray, value, name: str, expected: str) -> np.ndarray:
    for element in array.flat:
        if not (_number(element) or _missing(element)):
            raise TypeError(f"{name} must be {expected}; got {given(value)}, holding {given(element)}")
    try:
        return np.array([np.nan if _missing(element) else float(element) for element in array.flat], dtype=float).reshape(array.shape)
    except OverflowError:
        raise ValueError(f"{name} must be {expected}; got {given(value)}, holding an integer too large for a float") from None


def aligned(**values) -> None:
    """Check that the arguments that are not single numbers have one shape, and Series one index.

    >>> aligned(actual=np.array([1.0, 2.0]), percent=np.array([3.0]))
    Traceback (most recent call last):
    ...
    ValueError: actual and percent must have the same shape (or be single numbers); actual has shape (2,), percent (1,)
    """
    pd = _pandas()
    shaped = {name: value for name, value in values.items() if np.ndim(value) > 0}
    names = " and ".join(shaped) if len(shaped) < 3 else ", ".join(list(shaped)[:-1]) + " and " + list(shaped)[-1]
    first, *others = list(shaped.items()) or [(None, None)]
    for name, value in others:
        if np.shape(value) != np.shape(first[1]):
            raise ValueError(
                f"{names} must have the same shape (or be single numbers); {first[0]} has shape {np.shape(first[1])}, {name} {np.shape(value)}"
            )
    series = [(name, value) for name, value in shaped.items() if pd is not None and isinstance(value, pd.Series)]
    for name, value in series[1:]:
        if not value.index.equals(series[0][1].index):
            raise ValueError(
                f"{series[0][0]} and {name} must be Series with the same index, in the same order; "
                f"{series[0][0]} has index {_few(series[0][1].index)}, {name} {_few(value.index)}"
            )
