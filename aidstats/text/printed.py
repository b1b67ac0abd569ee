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
_PRINTED = re.compile(rf"^(?P<number>{_DIGITS}|[A-Za-z]+(?:-[a-z]+)?)(?: (?P<scale>{'|'.join(SCALES)}))?(?: (?P<unit>.+))?$")


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
    if text in PHRASES:
        return PHRASES[text], None
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
    if match["scale"]:
        value *= SCALES[match["scale"]]
    return value, match["unit"]


def decimals(text: str) -> int:
    """Digits printed after the decimal point: the precision the figure claims.

    >>> decimals("52.7"), decimals("32")
    (1, 0)
    """
    value, _ = parse_printed(text)
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
