"""Working days in England and Wales: weekdays that are not bank holidays.

Bacs does not process on weekends or England and Wales bank holidays (FACTS.md §9), so
collections and notice periods count these days. Holidays come from the ``holidays``
package with ``subdiv="ENG"``; without the subdivision Easter Monday and the August bank
holiday are missing.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """A weekday that is not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The working day ``count`` working days after ``day`` (``day`` itself not counted)."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def previous_working_day(day: date) -> date:
    """The working day before ``day`` (``day`` itself never counts)."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days_apart(first: date, second: date) -> int:
    """How many working days separate two dates: those after the earlier, up to the later.

    The same date, or a weekend day and the Monday after it, are 0 or 1 apart accordingly:
    Fri -> Mon is 1, Mon -> Mon a week later is 5.
    """
    low, high = sorted((first, second))
    count = 0
    while low < high:
        low += timedelta(days=1)
        if is_working_day(low):
            count += 1
    return count
