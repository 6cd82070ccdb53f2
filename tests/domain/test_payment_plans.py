"""Tests for payment plans; every date and amount expected is worked out in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.money import Pence
from debtdesk.domain.payment_plans import (
    Frequency,
    Instalment,
    InstalmentState,
    due_date,
    plan_state,
    schedule,
)

# Monday 2 Mar 2026 (1 Jan 2026 is a Thursday; +31 days -> Sun 1 Feb; +28 -> Sun 1 Mar).
MAR2 = date(2026, 3, 2)

# £50.00 a month for a £150.00 arrears: due 2 Mar, 2 Apr and 2 May 2026. With the
# defaults (£1.00, 7 days) each grace period ends on due + 7 (9 Mar, 9 Apr, 9 May) and a
# plan that is short then breaks on due + 8 (10 Mar, 10 Apr, 10 May).
PLAN = schedule(MAR2, Frequency.MONTHLY, 5_000, 15_000)


def amounts(payments: list[tuple[date, Pence]], as_of: date) -> list[tuple[Pence, Pence]]:
    """Each instalment's ``(paid, outstanding)`` at ``as_of``."""
    state = plan_state(PLAN, payments, as_of)
    return [(s.paid, s.outstanding) for s in state.instalments]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, date(2026, 1, 31)),
        (1, date(2026, 2, 28)),  # 2026 is not a leap year
        (2, date(2026, 3, 31)),  # counted from the start: back to the 31st
        (3, date(2026, 4, 30)),
        (4, date(2026, 5, 31)),
        (12, date(2027, 1, 31)),
        (13, date(2027, 2, 28)),
    ],
)
def test_monthly_dates_from_the_31st(n: int, expected: date) -> None:
    assert due_date(date(2026, 1, 31), Frequency.MONTHLY, n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, date(2028, 2, 29)),  # 2028 is a leap year
        (2, date(2028, 3, 31)),
        (3, date(2028, 4, 30)),
        (4, date(2028, 5, 31)),
        (13, date(2029, 2, 28)),  # 2029 is not
    ],
)
def test_monthly_dates_in_a_leap_year(n: int, expected: date) -> None:
    assert due_date(date(2028, 1, 31), Frequency.MONTHLY, n) == expected


@pytest.mark.parametrize(
    ("frequency", "n", "expected"),
    [
        (Frequency.WEEKLY, 0, MAR2),
        (Frequency.WEEKLY, 1, date(2026, 3, 9)),
        (Frequency.WEEKLY, 4, date(2026, 3, 30)),  # 2 + 28 = 30 Mar
        (Frequency.WEEKLY, 5, date(2026, 4, 6)),  # 30 Mar + 7: 31 Mar is +1, 6 Apr is +7
        (Frequency.FOUR_WEEKLY, 0, MAR2),
        (Frequency.FOUR_WEEKLY, 1, date(2026, 3, 30)),  # 2 + 28 = 30 Mar
        (Frequency.FOUR_WEEKLY, 2, date(2026, 4, 27)),  # 30 Mar + 28: 31 Mar +1, 27 Apr +28
        # 13 × 28 = 364 days, one short of the 365 from 2 Mar 2026 to 2 Mar 2027.
        (Frequency.FOUR_WEEKLY, 13, date(2027, 3, 1)),
    ],
)
def test_weekly_and_four_weekly_dates(frequency: Frequency, n: int, expected: date) -> None:
    assert due_date(MAR2, frequency, n) == expected


def test_weekly_dates_cross_the_year_end() -> None:
    # Mon 29 Dec 2025: +7 -> 5 Jan 2026 (29 -> 31 Dec is +2, 5 Jan is +7).
    assert due_date(date(2025, 12, 29), Frequency.WEEKLY, 1) == date(2026, 1, 5)


def test_negative_index_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_date(MAR2, Frequency.WEEKLY, -1)


def test_schedule_ends_with_the_remainder() -> None:
    # £1,000.00 at £300.00 a week: 300 + 300 + 300 = 900, leaving £100.00 for a fourth.
    assert schedule(MAR2, Frequency.WEEKLY, 30_000, 100_000) == [
        Instalment(1, date(2026, 3, 2), 30_000),
        Instalment(2, date(2026, 3, 9), 30_000),
        Instalment(3, date(2026, 3, 16), 30_000),
        Instalment(4, date(2026, 3, 23), 10_000),
    ]


@pytest.mark.parametrize(
    ("instalment", "total", "expected"),
    [
        (5_000, 15_000, [5_000, 5_000, 5_000]),  # divides exactly: no smaller last one
        (20_000, 15_000, [15_000]),  # instalment above the total: one instalment of it all
        (1, 3, [1, 1, 1]),
        (3_333, 10_000, [3_333, 3_333, 3_333, 1]),  # 3 × 3,333 = 9,999
    ],
)
def test_schedule_amounts(instalment: Pence, total: Pence, expected: list[Pence]) -> None:
    plan = schedule(MAR2, Frequency.MONTHLY, instalment, total)
    assert [inst.amount for inst in plan] == expected
    assert [inst.number for inst in plan] == list(range(1, len(expected) + 1))


@pytest.mark.parametrize(
    ("instalment", "total", "message"),
    [
        (0, 10_000, "instalment must"),
        (-500, 10_000, "instalment must"),
        (5_000, 0, "plan total"),
        (5_000, -1, "plan total"),
    ],
)
def test_schedule_refuses_nothing_or_less(instalment: Pence, total: Pence, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule(MAR2, Frequency.MONTHLY, instalment, total)


def test_instalment_refuses_a_bad_number_or_amount() -> None:
    with pytest.raises(ValueError):
        Instalment(0, MAR2, 5_000)
    with pytest.raises(ValueError):
        Instalment(1, MAR2, 0)


def test_plan_state_refuses_no_instalments_or_negative_settings() -> None:
    with pytest.raises(ValueError):
        plan_state([], [], MAR2)
    with pytest.raises(ValueError):
        plan_state(PLAN, [], MAR2, tolerance=-1)
    with pytest.raises(ValueError):
        plan_state(PLAN, [], MAR2, grace_days=-1)


def test_plan_kept_with_exact_payments() -> None:
    payments = [(date(2026, 3, 2), 5_000), (date(2026, 4, 2), 5_000), (date(2026, 5, 2), 5_000)]
    state = plan_state(PLAN, payments, date(2026, 5, 31))
    assert state.instalments == tuple(InstalmentState(inst, 5_000, 0, False) for inst in PLAN)
    assert (state.paid, state.outstanding, state.total) == (15_000, 0, 15_000)
    assert not state.broken
    assert state.broken_on is None
    assert state.completed
    assert state.completed_on == date(2026, 5, 2)


def test_nothing_due_yet_is_kept() -> None:
    # as_of 1 Mar is before the first due date: nothing paid, nothing broken.
    state = plan_state(PLAN, [], date(2026, 3, 1))
    assert (state.paid, state.outstanding) == (0, 15_000)
    assert state.broken_on is None
    assert state.completed_on is None


def test_short_payment_breaks_on_due_plus_eight() -> None:
    # £48.50 paid on 4 Mar against £50.00 due 2 Mar: short £1.50 > £1.00. Grace ends
    # 2 + 7 = 9 Mar; the plan is broken on 10 Mar.
    payments = [(date(2026, 3, 4), 4_850)]

    day_before = plan_state(PLAN, payments, date(2026, 3, 9))
    assert day_before.broken_on is None
    assert day_before.instalments[0] == InstalmentState(PLAN[0], 4_850, 150, False)

    on_the_day = plan_state(PLAN, payments, date(2026, 3, 10))
    assert on_the_day.broken
    assert on_the_day.broken_on == date(2026, 3, 10)
    assert on_the_day.instalments[0] == InstalmentState(PLAN[0], 4_850, 150, True)
    # Instalment 2 (due 2 Apr) is not due yet: not short.
    assert on_the_day.instalments[1] == InstalmentState(PLAN[1], 0, 5_000, False)
    assert (on_the_day.paid, on_the_day.outstanding) == (4_850, 10_150)


def test_kept_then_broken_on_a_later_instalment() -> None:
    # Instalment 1 paid in full on 2 Mar; nothing for instalment 2 (due 2 Apr). Due
    # through instalment 2 = 10,000, paid by 9 Apr = 5,000: short 5,000 -> broken 10 Apr.
    payments = [(date(2026, 3, 2), 5_000)]
    assert plan_state(PLAN, payments, date(2026, 4, 9)).broken_on is None
    state = plan_state(PLAN, payments, date(2026, 4, 10))
    assert state.broken_on == date(2026, 4, 10)
    assert [s.short_after_grace for s in state.instalments] == [False, True, False]


@pytest.mark.parametrize(
    ("paid", "broken_on"),
    [
        (4_900, None),  # short 5,000 - 4,900 = 100: exactly £1.00, not more -> kept
        (4_899, date(2026, 3, 10)),  # short 101: £1.01 -> broken on 2 Mar + 8
    ],
)
def test_tolerance_boundary(paid: Pence, broken_on: date | None) -> None:
    # as_of 31 Mar: after instalment 1's grace, before instalment 2 falls due.
    state = plan_state(PLAN, [(date(2026, 3, 2), paid)], date(2026, 3, 31))
    assert state.broken_on == broken_on


def test_tolerance_and_grace_come_from_the_caller() -> None:
    # Short £1.50 on instalment 1: kept with a £2.00 tolerance; with 3 days' grace the
    # grace ends 5 Mar and the plan breaks on 6 Mar.
    payments = [(date(2026, 3, 2), 4_850)]
    assert plan_state(PLAN, payments, date(2026, 3, 31), tolerance=200).broken_on is None
    assert plan_state(PLAN, payments, date(2026, 3, 31), grace_days=3).broken_on == date(2026, 3, 6)


def test_shortfalls_add_up_across_instalments() -> None:
    # 60p short on each of two instalments: 60 <= 100 keeps instalment 1, but through
    # instalment 2 the plan is 10,000 - (4,940 + 4,940) = 120 short -> broken 10 Apr.
    payments = [(date(2026, 3, 2), 4_940), (date(2026, 4, 2), 4_940)]
    state = plan_state(PLAN, payments, date(2026, 4, 30))
    assert state.broken_on == date(2026, 4, 10)
    assert [s.short_after_grace for s in state.instalments] == [False, True, False]


def test_cured_on_the_last_day_of_grace() -> None:
    # £48.50 on 4 Mar, the missing £1.50 on 9 Mar (due + 7): 4,850 + 150 = 5,000 by the
    # end of grace -> kept.
    payments = [(date(2026, 3, 4), 4_850), (date(2026, 3, 9), 150)]
    state = plan_state(PLAN, payments, date(2026, 3, 31))
    assert state.broken_on is None
    assert state.instalments[0] == InstalmentState(PLAN[0], 5_000, 0, False)


def test_paid_a_day_too_late_stays_broken() -> None:
    # The missing £1.50 on 10 Mar (due + 8): the plan broke that day, and stays broken
    # though instalment 1 is now paid in full.
    payments = [(date(2026, 3, 4), 4_850), (date(2026, 3, 10), 150)]
    state = plan_state(PLAN, payments, date(2026, 3, 31))
    assert state.broken_on == date(2026, 3, 10)
    assert state.instalments[0] == InstalmentState(PLAN[0], 5_000, 0, True)
    # Still broken on 10 Mar even once the whole plan is paid.
    later = plan_state(PLAN, [*payments, (date(2026, 4, 1), 10_000)], date(2026, 6, 30))
    assert later.broken_on == date(2026, 3, 10)
    assert later.completed_on == date(2026, 4, 1)


def test_overpayment_carries_forward() -> None:
    # £80.00 on 2 Mar: instalment 1 takes 5,000, instalment 2 the other 3,000 (2,000 left).
    # £20.00 on 2 Apr clears instalment 2: through it 10,000 due, 10,000 paid -> kept.
    payments = [(date(2026, 3, 2), 8_000), (date(2026, 4, 2), 2_000)]
    assert amounts(payments[:1], date(2026, 3, 31)) == [(5_000, 0), (3_000, 2_000), (0, 5_000)]
    state = plan_state(PLAN, payments, date(2026, 4, 30))
    assert [(s.paid, s.outstanding) for s in state.instalments] == [
        (5_000, 0),
        (5_000, 0),
        (0, 5_000),  # due 2 May: not yet due on 30 Apr
    ]
    assert state.broken_on is None
    # Without the £20.00: through instalment 2, 10,000 - 8,000 = 2,000 short -> 10 Apr.
    assert plan_state(PLAN, payments[:1], date(2026, 4, 30)).broken_on == date(2026, 4, 10)


def test_payment_before_the_due_date_counts() -> None:
    # £50.00 on 20 Feb, before the plan's first due date, pays instalment 1.
    state = plan_state(PLAN, [(date(2026, 2, 20), 5_000)], date(2026, 3, 31))
    assert state.instalments[0] == InstalmentState(PLAN[0], 5_000, 0, False)
    assert state.broken_on is None


def test_payments_after_as_of_are_ignored() -> None:
    # as_of 1 Apr: the 2 Apr payment does not count yet, so 5,000 paid and 10,000 to pay.
    payments = [(date(2026, 3, 2), 5_000), (date(2026, 4, 2), 10_000)]
    state = plan_state(PLAN, payments, date(2026, 4, 1))
    assert (state.paid, state.outstanding) == (5_000, 10_000)
    assert state.completed_on is None
    # Seen on 8 Mar, the 9 Mar top-up is not in yet: instalment 1 is 150 short.
    short = [(date(2026, 3, 2), 4_850), (date(2026, 3, 9), 150)]
    assert amounts(short, date(2026, 3, 8))[0] == (4_850, 150)
    assert amounts(short, date(2026, 3, 9))[0] == (5_000, 0)


def test_completed_on_the_payment_that_reaches_the_total() -> None:
    # 5,000 (2 Mar) + 5,000 (2 Apr) = 10,000 < 15,000; + 6,000 (20 Apr) = 16,000 >= 15,000.
    payments = [(date(2026, 3, 2), 5_000), (date(2026, 4, 2), 5_000), (date(2026, 4, 20), 6_000)]
    assert plan_state(PLAN, payments, date(2026, 4, 19)).completed_on is None
    state = plan_state(PLAN, payments, date(2026, 4, 20))
    assert state.completed_on == date(2026, 4, 20)
    # The £10.00 beyond the total is not the plan's: paid stops at the total.
    assert (state.paid, state.outstanding) == (15_000, 0)
    assert state.instalments[2] == InstalmentState(PLAN[2], 5_000, 0, False)


def test_returned_payment_counts_against_the_plan() -> None:
    # £50.00 on 2 Mar returned (-£50.00) on 6 Mar: by 9 Mar nothing paid -> broken 10 Mar.
    payments = [(date(2026, 3, 2), 5_000), (date(2026, 3, 6), -5_000)]
    state = plan_state(PLAN, payments, date(2026, 3, 10))
    assert state.broken_on == date(2026, 3, 10)
    assert state.instalments[0] == InstalmentState(PLAN[0], 0, 5_000, True)


def test_returned_payment_undoes_completion() -> None:
    # £150.00 on 2 Mar completes the plan; returned on 5 Mar it is no longer complete;
    # paid again on 8 Mar it completes on 8 Mar (still within instalment 1's grace).
    payments = [(date(2026, 3, 2), 15_000), (date(2026, 3, 5), -15_000)]
    assert plan_state(PLAN, payments, date(2026, 3, 4)).completed_on == date(2026, 3, 2)
    assert plan_state(PLAN, payments, date(2026, 3, 5)).completed_on is None
    again = plan_state(PLAN, [*payments, (date(2026, 3, 8), 15_000)], date(2026, 3, 31))
    assert again.completed_on == date(2026, 3, 8)
    assert again.broken_on is None
