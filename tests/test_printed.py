"""Numbers as the paper prints them, read back to their exact values by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aidstats.text.printed import NotANumber, decimals, parse_printed


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("5,346", Decimal(5346), None),  # thousands separated by commas (footnote 48)
        ("1,250,000 tons", Decimal(1_250_000), "tons"),  # two commas, then a unit word
        ("0.84", Decimal("0.84"), None),
        ("1928", Decimal(1928), None),  # four digits without a comma, as in "1928 out of 2410"
        ("two", Decimal(2), None),
        ("Two", Decimal(2), None),  # at the start of a sentence
        ("sixty-two", Decimal(60 + 2), None),
        ("twenty", Decimal(20), None),
        ("nineteen", Decimal(19), None),
        ("ninety-nine", Decimal(90 + 9), None),
        ("A week", Decimal(1), "week"),  # "A week later"
        ("an hour", Decimal(1), "hour"),
        ("100 million units", Decimal(100 * 1_000_000), "units"),
        ("50 thousand tons", Decimal(50 * 1_000), "tons"),
        ("2.5 million", Decimal(25 * 100_000), None),  # 2.5 x 1,000,000
        ("2.5 Thousand", Decimal(2_500), None),  # a scale word in any case, as "Two" is read
        ("5 thousands", Decimal(5), "thousands"),  # not a scale word: "thousands" is left as the unit
        ("year and a half", Decimal(3) / 2, None),  # "another year and a half"
        ("20,000 dozens", Decimal(20_000), "dozens"),
        ("4 units of penicillin", Decimal(4), "units of penicillin"),  # the unit is the rest of the text
    ],
)
def test_parse_printed_reads_the_exact_value_and_unit_word(text, value, unit):
    assert parse_printed(text) == (value, unit)


def test_parse_printed_keeps_decimal_exactness():
    """0.1 + 0.2 as printed is exactly 0.3, which floats would not give."""
    assert parse_printed("0.1")[0] + parse_printed("0.2")[0] == Decimal("0.3")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tons",  # a word that is not a number
        "several tons",
        "6x7",
        "12,34",  # a comma that does not separate thousands
        "1,2345",
        "-5",
        "5.",
        " 5",
        "Sixty-Two",  # only the first word may be capitalised
        "year and a half tons",
    ],
)
def test_text_that_is_not_a_printed_number_is_refused_naming_the_text(text):
    with pytest.raises(NotANumber) as caught:
        parse_printed(text)
    assert caught.value.args == (text,)  # the message is the text itself, for the problem report
    assert isinstance(caught.value, ValueError)  # callers that catch ValueError still catch it


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("52.7", 1),
        ("32", 0),
        ("0.84", 2),
        ("120.40", 2),  # a trailing zero is printed precision, kept
        ("5,346", 0),
        ("1,234.5", 1),
        ("two", 0),
        ("100 million units", 0),
        ("2.5 million", 0),  # 2,500,000: the printed decimal is a digit of the millions, not a decimal of the value
    ],
)
def test_decimals_counts_the_digits_printed_after_the_point(text, places):
    assert decimals(text) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Each worked out by hand: the value the figure stands for, then its decimal places.
        (
            "1.5 million units",
            0,
        ),  # 1.5 x 1,000,000 = 1,500,000: a whole number, no decimals (one printed digit after the point, less six zeros)
        ("1.5 million", 0),  # the same without a unit word
        ("1.5", 1),  # 1.5 itself: one decimal
        ("1.2345 thousand", 1),  # 1.2345 x 1,000 = 1,234.5: four printed decimals less three zeros
        ("2.25 thousand", 0),  # 2,250: two printed decimals less three zeros, never fewer than none
        ("0.840", 3),  # 0.840: the trailing zero is printed precision
        ("120.4", 1),  # lead's 120.4% (footnote 48)
        ("year and a half", 1),  # the phrase stands for 1.5
        ("2.5 Thousand", 0),  # a scale word in any case, as number words are: 2,500
        ("twenty-two", 0),
    ],
)
def test_one_decimals_rule_for_the_build_and_the_workbook(text, places):
    from aidstats.publish import workbook

    assert decimals(text) == places
    assert workbook.decimals is decimals  # the workbook's number formats use this very rule
    assert workbook._places(text) == places


def test_decimals_refuses_what_is_not_a_number():
    with pytest.raises(NotANumber):
        decimals("about")
