"""Money: integer pence, the one rounding rule, parsing and formatting at the edge.

Amounts are ``int`` pence everywhere inside debtdesk. Pounds appear only where a person
or a file reads or writes them: :func:`parse_pounds` takes text in, :func:`format_pounds`
and :func:`json_pounds` give text out. Rates and proportions are ``Decimal`` or
``Fraction``; they become pence through :func:`round_half_up`, once, where an amount is
posted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

Pence = int

_POUNDS = re.compile(r"^(?P<sign>-)?£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d{1,2}))?$")


class MoneyError(ValueError):
    """Text that is not an amount of money."""


def round_half_up(value: Fraction | Decimal | int) -> Pence:
    """Round an exact amount of pence to a whole penny, halves away from zero."""
    frac = Fraction(value)
    sign = -1 if frac < 0 else 1
    magnitude = abs(frac)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return sign * whole


def parse_pounds(text: str) -> Pence:
    """Parse pounds as written by a person or a spreadsheet (``"1,234.5"``) into pence.

    Raises:
        MoneyError: the text is not a plain amount with at most two decimals.
    """
    cleaned = text.strip().replace(" ", "")
    match = _POUNDS.match(cleaned)
    if match is None:
        raise MoneyError(f"{text!r} is not an amount in pounds")
    whole = int(match["whole"].replace(",", ""))
    frac = (match["frac"] or "").ljust(2, "0")
    pence = whole * 100 + int(frac)
    return -pence if match["sign"] else pence


def pence_from_decimal(value: Decimal | int | float | str) -> Pence:
    """Pence from a number of pounds that must already be whole pence (e.g. a spreadsheet cell).

    A float from a spreadsheet is read through its shortest decimal representation,
    so 12.3 becomes 1230 and never 1229.

    Raises:
        MoneyError: the value has fractions of a penny or is not a number.
    """
    try:
        dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise MoneyError(f"{value!r} is not an amount in pounds") from exc
    if not dec.is_finite():
        raise MoneyError(f"{value!r} is not an amount in pounds")
    pence = dec * 100
    if pence != pence.to_integral_value():
        raise MoneyError(f"{value!r} has fractions of a penny")
    return int(pence)


def json_pounds(pence: Pence) -> str:
    """Pounds with two decimals for JSON and files: ``-1234.50``."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


def format_pounds(pence: Pence) -> str:
    """Pounds for people: ``£1,234.50``, ``-£12.00``."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"
