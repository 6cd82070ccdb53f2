"""Dates as people and files write them: ISO ``2026-11-22`` or British ``22/11/2026``."""

from __future__ import annotations

import re
from datetime import date, datetime

_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class DateError(ValueError):
    """Text that is not a date."""


def parse_date(text: str) -> date:
    """Parse an ISO date or a ``dd/mm/yyyy`` date.

    Raises:
        DateError: the text is neither, or names a day that does not exist.
    """
    cleaned = text.strip()
    try:
        match = _UK.match(cleaned)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(cleaned)
    except ValueError as exc:
        raise DateError(f"{text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)") from exc


def as_date(value: object) -> date:
    """A date from a spreadsheet cell or text; a datetime at midnight is taken as its date.

    Raises:
        DateError: the value is not a date.
    """
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise DateError(f"{value!r} has a time of day; expected a date")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise DateError(f"{value!r} is not a date")
