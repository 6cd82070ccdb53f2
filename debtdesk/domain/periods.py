"""Billing periods: 28-day periods, back to back, counted from an anchor Monday.

This module owns the calendar of billing: which period a day falls in, where periods
end, and which periods a stretch of days touches. A period is named by its start and
end dates and is charged in arrears, on its statement date (the day after it ends).
The anchor is a setting; every function takes it as an argument and defaults to
:data:`DEFAULT_ANCHOR`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_ANCHOR = date(2025, 3, 31)
"""The default anchor: the Monday a period starts on (2025-03-31)."""

PERIOD_DAYS = 28
"""Days in a billing period (four weeks)."""

_LAST_DAY = timedelta(days=PERIOD_DAYS - 1)
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """One billing period, known by its first day.

    Attributes:
        start: The first day of the period (a Monday when built from a Monday anchor).
    """

    start: date

    @property
    def end(self) -> date:
        """The last day of the period, inclusive: 27 days after the start."""
        return self.start + _LAST_DAY

    @property
    def statement_date(self) -> date:
        """The day after the period ends, when its charge is raised (in arrears)."""
        return self.start + timedelta(days=PERIOD_DAYS)

    def days(self) -> Iterator[date]:
        """Yield each of the period's 28 days in order."""
        for offset in range(PERIOD_DAYS):
            yield self.start + timedelta(days=offset)

    def __str__(self) -> str:
        """The period as people read it: ``31/03/2025 to 27/04/2025``."""
        return f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"


def check_anchor(anchor: date) -> None:
    """Check that an anchor can start periods.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    if anchor.weekday() != 0:
        raise ValueError(f"the period anchor {anchor.isoformat()} is not a Monday")


def period_containing(day: date, anchor: date = DEFAULT_ANCHOR) -> Period:
    """The period a day falls in, before or after the anchor.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    check_anchor(anchor)
    offset = (day - anchor).days // PERIOD_DAYS * PERIOD_DAYS
    return Period(anchor + timedelta(days=offset))


def period_ending(day: date, anchor: date = DEFAULT_ANCHOR) -> Period | None:
    """The period whose last day is ``day``, or None if ``day`` ends no period.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    period = period_containing(day, anchor)
    return period if period.end == day else None


def nearest_period_ends(day: date, anchor: date = DEFAULT_ANCHOR) -> tuple[date, date]:
    """The last period end on or before ``day`` and the first on or after it.

    Both are ``day`` itself when a period ends on it.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    period = period_containing(day, anchor)
    if period.end == day:
        return day, day
    return period.start - _ONE_DAY, period.end


def periods_overlapping(first: date, last: date, anchor: date = DEFAULT_ANCHOR) -> list[Period]:
    """Every period with at least one day in ``first`` to ``last`` inclusive, in order.

    An empty list when ``last`` is before ``first``.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    if last < first:
        check_anchor(anchor)
        return []
    start = period_containing(first, anchor).start
    step = timedelta(days=PERIOD_DAYS)
    periods: list[Period] = []
    while start <= last:
        periods.append(Period(start))
        start += step
    return periods


def last_complete_period(as_of: date, anchor: date = DEFAULT_ANCHOR) -> Period:
    """The latest period whose statement date is on or before ``as_of``.

    That is the period before the one containing ``as_of``: the containing period's
    statement date is after ``as_of`` and the one before it falls due on the
    containing period's first day.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    current = period_containing(as_of, anchor)
    return Period(current.start - timedelta(days=PERIOD_DAYS))
