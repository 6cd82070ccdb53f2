"""Tests for money: the one rounding rule, parsing and formatting at the edge."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from debtdesk.domain.money import (
    MoneyError,
    format_pounds,
    json_pounds,
    parse_pounds,
    pence_from_decimal,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5, 2), 3),  # 2.5 -> 3 (half up; banker's rounding would give 2)
        (Fraction(3, 2), 2),  # 1.5 -> 2
        (Fraction(1, 2), 1),  # 0.5 -> 1
        (Fraction(-1, 2), -1),  # -0.5 -> -1 (halves away from zero)
        (Fraction(-5, 2), -3),  # -2.5 -> -3
        (Decimal("-2.5"), -3),
        (Decimal("2.4999"), 2),  # below the half: down
        (Decimal("-2.4999"), -2),
        (Fraction(4, 7), 1),  # 0.571... -> 1
        (Fraction(3, 7), 0),  # 0.428... -> 0
        (Fraction(0), 0),
        (7, 7),  # an int is already whole
        (-7, -7),
    ],
)
def test_round_half_up(value: Fraction | Decimal | int, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1,234.5", 123_450),  # 1,234 pounds x 100 + 50 pence (".5" is 50p)
        ("£12", 1_200),
        ("-3.07", -307),
        ("0.07", 7),
        (" £1,234,567.89 ", 123_456_789),
        ("12.30", 1_230),
    ],
)
def test_parse_pounds(text: str, pence: int) -> None:
    assert parse_pounds(text) == pence


@pytest.mark.parametrize("text", ["12.345", "abc", "1.2.3", "", "£", "1,23.00", "12."])
def test_parse_pounds_refuses(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_pounds(text)


def test_json_pounds() -> None:
    assert json_pounds(-123_450) == "-1234.50"
    assert json_pounds(5) == "0.05"
    assert json_pounds(0) == "0.00"
    assert json_pounds(100_000_000) == "1000000.00"


def test_format_pounds() -> None:
    assert format_pounds(123_450) == "£1,234.50"
    assert format_pounds(-1_200) == "-£12.00"
    assert format_pounds(-5) == "-£0.05"
    assert format_pounds(0) == "£0.00"


def test_pence_from_decimal() -> None:
    # 12.3 as a float is 12.2999999999999996...; read through repr it is 12.3 -> 1,230.
    assert pence_from_decimal(12.3) == 1_230
    assert pence_from_decimal(Decimal("12.30")) == 1_230
    assert pence_from_decimal("-0.07") == -7
    assert pence_from_decimal(5) == 500


@pytest.mark.parametrize("value", [0.001, Decimal("1.005"), "abc", "NaN", "Infinity"])
def test_pence_from_decimal_refuses(value: float | Decimal | str) -> None:
    with pytest.raises(MoneyError):
        pence_from_decimal(value)
