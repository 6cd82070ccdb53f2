"""Tests for working days: the calendar for each case is worked out by hand in a comment."""

from __future__ import annotations

from datetime import date

from debtdesk.domain.working_days import previous_working_day


def test_previous_working_day_on_an_ordinary_week() -> None:
    # Wednesday 14/10/2026 -> Tuesday 13/10/2026.
    assert previous_working_day(date(2026, 10, 14)) == date(2026, 10, 13)
    # Monday 12/10/2026 -> back over the weekend to Friday 09/10/2026.
    assert previous_working_day(date(2026, 10, 12)) == date(2026, 10, 9)


def test_previous_working_day_never_returns_the_day_itself() -> None:
    # Saturday 10/10/2026 is not a working day; the one before it is Friday 09/10/2026.
    assert previous_working_day(date(2026, 10, 10)) == date(2026, 10, 9)


def test_previous_working_day_over_christmas_2026() -> None:
    # Tue 29/12/2026 <- Mon 28/12 Boxing Day (observed), Sun 27, Sat 26, Fri 25 Christmas
    # Day -> Thursday 24/12/2026.
    assert previous_working_day(date(2026, 12, 29)) == date(2026, 12, 24)


def test_previous_working_day_over_easter_2027() -> None:
    # Tue 30/03/2027 <- Mon 29/03 Easter Monday, Sun 28, Sat 27, Fri 26 Good Friday
    # -> Thursday 25/03/2027.
    assert previous_working_day(date(2027, 3, 30)) == date(2027, 3, 25)
