"""Numbers as the paper prints them: "5,346", "0.84", "two", "100 million units".

The build derives every numeric column from the printed text with these
functions, so a number in ``clean/`` can always be traced back to its
characters in the source.
"""

from __future__ import annotations

import re
from decimal import Decimal

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()  # noqa: SIM905
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905
WORD_NUMBERS = {word: n for n, word in enumerate(_ONES)}
WORD_NUMBERS |= {word: 20 + 10 * i for i, word in enumerate(_TENS)}
WORD_NUMBERS |= {f"{tens}-{one}": 20 + 10 * i + j for i, tens in enumerate(_TENS) for j, one in enumerate(_ONES[1:10], 1)}
WORD_NUMBERS |= {"a": 1, "an": 1}  # "A week later"
# Quantities the paper prints only as a phrase: "another year and a half", and a year with no
# number before it ("the past year of negotiations", "another year").
PHRASES = {"year and a half": Decimal("1.5"), "year": Decimal("1")}
SCALES = {"thousand": 1_000, "million": 1_000_000}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A scale word, like a number word, in any case ("Two", "2.5 Thousand").
_PRINTED = re.compile(rf"^(?P<number>{_DIGITS}|[A-Za-z]+(?:-[a-z]+)?)(?: (?P<scale>(?i:{'|'.join(SCALES)})))?(?: (?P<unit>.+))?$")


class NotANumber(ValueError):
    """The text does not start with a number as the paper prints numbers."""


def parse_printed(text: str) -> tuple[Decimal, str | None]:
    """Split printed text into its exact value and the unit word that follows, if any.

    >>> parse_printed("5,346")
    (Decimal('5346'), None)
    >>> parse_printed("100 million units")
    (Decimal('100000000'), 'units')
    >>> parse_printed("two")
    (Decimal('2'), None)
    """
    number, scale, unit = _read(text)
    return number * SCALES[scale] if scale else number, unit


def _read(text: str) -> tuple[Decimal, str | None, str | None]:
    """The number as printed (before its scale word), the scale word and the unit word."""
    if text in PHRASES:
        return PHRASES[text], None, None
    match = _PRINTED.match(text)
    if not match:
        raise NotANumber(text)
    number = match["number"]
    if number[0].isdigit():
        value = Decimal(number.replace(",", ""))
    elif number.lower() in WORD_NUMBERS:
        value = Decimal(WORD_NUMBERS[number.lower()])
    else:
        raise NotANumber(text)
    return value, match["scale"] and match["scale"].lower(), match["unit"]


def decimals(text: str) -> int:
    """Decimal places of the value a printed figure stands for: the one rule for its precision.

    The digits printed after the point, less the zeros a scale word adds
    ("thousand" 3, "million" 6), and never fewer than none.  The build reads
    a percentage's precision with it (:func:`aidstats.metrics.implied_plan`'s
    bounds), and the workbook shows each number read from print with this
    many decimals.  A figure printed with a scale word is stored multiplied out
    ("1.5 million" is 1,500,000), so its printed decimals are not decimals of
    the value: it has none.  A word or a phrase has the decimals of its value
    ("two": none, "year and a half": 1.5, one).

    >>> decimals("52.7"), decimals("32"), decimals("52.70"), decimals("8,443")
    (1, 0, 2, 0)
    >>> decimals("1.5 million units"), decimals("2.25 thousand"), decimals("1.2345 thousand")
    (0, 0, 1)
    >>> decimals("two"), decimals("year and a half")
    (0, 1)

    Raises
    ------
    NotANumber
        If ``text`` is not a number as the paper prints numbers.
    """
    number, scale, _ = _read(text)
    exponent = number.as_tuple().exponent  # -2 for "52.70"
    places = -exponent if isinstance(exponent, int) else 0
    zeros = Decimal(SCALES[scale]).adjusted() if scale else 0  # 6 for "million"
    return max(0, places - zeros)
