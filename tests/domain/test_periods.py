"""Tests for billing periods: every expected date is worked out by hand in a comment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from debtdesk.domain.periods import (
    DEFAULT_ANCHOR,
    PERIOD_DAYS,
    Period,
    check_anchor,
    last_complete_period,
    nearest_period_ends,
    period_containing,
    period_ending,
    periods_overlapping,
)

# The anchor period: Monday 31/03/2025 + 27 days = 27/04/2025 (31 Mar + 1 = 1 Apr, so
# + 27 = 27 Apr). The next starts 28/04/2025 and ends 28 Apr + 27 = 25 May.
P_MAR31 = Period(date(2025, 3, 31))
P_APR28 = Period(date(2025, 4, 28))


def test_default_anchor_is_a_monday_and_periods_are_four_weeks() -> None:
    assert DEFAULT_ANCHOR.isoformat() == "2025-03-31"
    assert DEFAULT_ANCHOR.weekday() == 0
    assert PERIOD_DAYS == 28


def test_period_end_statement_date_and_name() -> None:
    assert P_MAR31.end == date(2025, 4, 27)
    # Statement date is the day after the end: 27 Apr + 1 = 28 Apr.
    assert P_MAR31.statement_date == date(2025, 4, 28)
    assert str(P_MAR31) == "31/03/2025 to 27/04/2025"
    # 28 Apr + 27 days: April has 30 days, so 28 Apr + 2 = 30 Apr, + 25 more = 25 May.
    assert str(P_APR28) == "28/04/2025 to 25/05/2025"


def test_days_are_the_28_days_in_order() -> None:
    days = list(P_MAR31.days())
    assert len(days) == 28
    assert days[0] == date(2025, 3, 31)
    assert days[1] == date(2025, 4, 1)
    assert days[-1] == date(2025, 4, 27)
    assert all(b - a == timedelta(days=1) for a, b in zip(days, days[1:], strict=False))


def test_periods_order_by_start() -> None:
    assert P_MAR31 < P_APR28
    assert sorted([P_APR28, P_MAR31]) == [P_MAR31, P_APR28]


def test_check_anchor_accepts_monday_and_refuses_other_days() -> None:
    check_anchor(date(2025, 3, 31))  # Monday
    with pytest.raises(ValueError, match="not a Monday"):
        check_anchor(date(2025, 4, 1))  # Tuesday
    with pytest.raises(ValueError, match="not a Monday"):
        period_containing(date(2025, 5, 1), anchor=date(2025, 3, 30))  # Sunday


@pytest.mark.parametrize(
    ("day", "start"),
    [
        # The anchor itself: offset 0 -> 0 // 28 = 0 -> the anchor period.
        (date(2025, 3, 31), date(2025, 3, 31)),
        # The anchor period's last day: offset 27 -> 27 // 28 = 0.
        (date(2025, 4, 27), date(2025, 3, 31)),
        # 28 Apr: offset 28 -> 28 // 28 = 1 -> 31 Mar + 28 = 28 Apr.
        (date(2025, 4, 28), date(2025, 4, 28)),
        # 10 May: 31 Mar -> 30 Apr is 30 days, -> 10 May is 40; 40 // 28 = 1 -> 28 Apr.
        (date(2025, 5, 10), date(2025, 4, 28)),
        # Before the anchor. Sunday 30 Mar: offset -1 -> -1 // 28 = -1 ->
        # 31 Mar - 28 days = 3 Mar (March has 31 days: 31 - 28 = 3).
        (date(2025, 3, 30), date(2025, 3, 3)),
        # 3 Mar itself: offset -28 -> -28 // 28 = -1 -> 3 Mar.
        (date(2025, 3, 3), date(2025, 3, 3)),
        # Christmas 2024: 25 Dec -> 31 Dec is 6 days, + Jan 31 + Feb 28 + Mar 31 = 96,
        # so offset -96; -96 // 28 = -4 (-112 <= -96 < -84) -> 31 Mar - 112 days.
        # 31 Mar - 31 = 28 Feb, - 28 = 31 Jan, - 31 = 31 Dec (90 so far), - 22 = 9 Dec.
        (date(2024, 12, 25), date(2024, 12, 9)),
    ],
)
def test_period_containing_before_and_after_the_anchor(day: date, start: date) -> None:
    period = period_containing(day)
    assert period == Period(start)
    assert period.start.weekday() == 0
    assert period.start <= day <= period.end


def test_period_containing_with_another_anchor() -> None:
    # Anchor Monday 7 Apr 2025. 6 Apr: offset -1 -> -1 // 28 = -1 -> 7 Apr - 28 days:
    # 7 Apr - 7 = 31 Mar, - 21 = 10 Mar.
    assert period_containing(date(2025, 4, 6), anchor=date(2025, 4, 7)) == Period(date(2025, 3, 10))


def test_period_ending() -> None:
    # 27 Apr 2025 is the anchor period's last day.
    assert period_ending(date(2025, 4, 27)) == P_MAR31
    # 30 Mar 2025 ends the period before (3 Mar to 30 Mar).
    assert period_ending(date(2025, 3, 30)) == Period(date(2025, 3, 3))
    # Not a last day: the day before the end, a start day, a day in the middle.
    assert period_ending(date(2025, 4, 26)) is None
    assert period_ending(date(2025, 3, 31)) is None
    assert period_ending(date(2025, 4, 10)) is None


def test_nearest_period_ends() -> None:
    # 10 Apr is inside 31 Mar to 27 Apr: the end before it is 30 Mar (the day before the
    # period starts) and the end after it 27 Apr.
    assert nearest_period_ends(date(2025, 4, 10)) == (date(2025, 3, 30), date(2025, 4, 27))
    # A start day is not an end: 31 Mar -> (30 Mar, 27 Apr).
    assert nearest_period_ends(date(2025, 3, 31)) == (date(2025, 3, 30), date(2025, 4, 27))
    # An end day is both.
    assert nearest_period_ends(date(2025, 4, 27)) == (date(2025, 4, 27), date(2025, 4, 27))
    # Before the anchor: 20 Mar is in 3 Mar to 30 Mar; the end before is 2 Mar.
    assert nearest_period_ends(date(2025, 3, 20)) == (date(2025, 3, 2), date(2025, 3, 30))


def test_periods_overlapping() -> None:
    # Exactly one period.
    assert periods_overlapping(date(2025, 3, 31), date(2025, 4, 27)) == [P_MAR31]
    # One day each side of a boundary: 27 Apr and 28 Apr.
    assert periods_overlapping(date(2025, 4, 27), date(2025, 4, 28)) == [P_MAR31, P_APR28]
    # 30 Mar (last day of 3 Mar period) to 26 May (first day of the period after
    # 28 Apr to 25 May, which starts 25 May + 1 = 26 May): four periods.
    assert periods_overlapping(date(2025, 3, 30), date(2025, 5, 26)) == [
        Period(date(2025, 3, 3)),
        P_MAR31,
        P_APR28,
        Period(date(2025, 5, 26)),
    ]
    # A single day.
    assert periods_overlapping(date(2025, 4, 5), date(2025, 4, 5)) == [P_MAR31]
    # Last before first: nothing.
    assert periods_overlapping(date(2025, 4, 28), date(2025, 4, 27)) == []


def test_last_complete_period() -> None:
    # On 28 Apr the anchor period's statement date (28 Apr) has come.
    assert last_complete_period(date(2025, 4, 28)) == P_MAR31
    # On 27 Apr it has not (28 Apr > 27 Apr); the period before has (31 Mar <= 27 Apr).
    assert last_complete_period(date(2025, 4, 27)) == Period(date(2025, 3, 3))
    # Mid-period, 10 May (in 28 Apr to 25 May): the anchor period, due 28 Apr.
    assert last_complete_period(date(2025, 5, 10)) == P_MAR31
