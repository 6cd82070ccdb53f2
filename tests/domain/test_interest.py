"""Late Payment Act interest and compensation, worked by hand (FACTS.md §1–2).

Bank Rate (FACTS.md §2): 5.25% from 03/08/2023, 5.00% from 01/08/2024, 4.75% from
07/11/2024, 4.50% from 06/02/2025, 4.25% from 08/05/2025, 4.00% from 07/08/2025, 3.75%
from 18/12/2025; known to 18/06/2026. Interest = principal × (Bank Rate on the reference
date + 8) / 100 × days / 365, summed over the stretches between part-payments and
rounded half-up once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from debtdesk.domain.interest import (
    BankRateHistory,
    RateChange,
    Stretch,
    compensation,
    days_late,
    interest_to,
    quote,
    reference_date,
    statutory_rate,
    stretches,
)

HISTORY = BankRateHistory(
    tuple(
        RateChange(day, Decimal(rate))
        for day, rate in (
            (date(2023, 8, 3), "5.25"),
            (date(2024, 8, 1), "5.00"),
            (date(2024, 11, 7), "4.75"),
            (date(2025, 2, 6), "4.50"),
            (date(2025, 5, 8), "4.25"),
            (date(2025, 8, 7), "4.00"),
            (date(2025, 12, 18), "3.75"),
        )
    ),
    known_to=date(2026, 6, 18),
)


def test_the_public_worked_example() -> None:
    """£5,000 due 15 Jan 2026, paid 16 Mar 2026: 60 days at 11.75% (3.75% on 31 Dec 2025
    + 8): 5000 × 0.1175 × 60 / 365 = £96.5753… → £96.58, and £70 compensation."""
    q = quote(HISTORY, 5_000_00, date(2026, 1, 15), date(2026, 3, 16))
    assert (q.rate.reference_date, q.rate.bank_rate, q.rate.rate) == (
        date(2025, 12, 31), Decimal("3.75"), Decimal("11.75"),
    )  # fmt: skip
    assert (q.days, q.interest, q.compensation, q.rate.known) == (60, 96_58, 70_00, True)


@pytest.mark.parametrize(
    ("due", "reference", "bank", "statutory"),
    [
        # Late from 1 January: the 31 December just before.
        (date(2024, 12, 31), date(2024, 12, 31), "4.75", "12.75"),
        (date(2025, 12, 31), date(2025, 12, 31), "3.75", "11.75"),
        # Late from 30 June (still January–June): 31 December of the year before.
        (date(2025, 6, 29), date(2024, 12, 31), "4.75", "12.75"),
        # Late from 1 July: 30 June of that year.
        (date(2025, 6, 30), date(2025, 6, 30), "4.25", "12.25"),
        # Late from 31 December (July–December): 30 June of that year, before the
        # 1 Aug 2024 cut, so 5.25%.
        (date(2024, 12, 30), date(2024, 6, 30), "5.25", "13.25"),
    ],
)
def test_the_reference_date_at_its_edges(
    due: date, reference: date, bank: str, statutory: str
) -> None:
    rate = statutory_rate(HISTORY, due)
    assert (rate.reference_date, rate.bank_rate, rate.rate) == (
        reference, Decimal(bank), Decimal(statutory),
    )  # fmt: skip


def test_reference_date_of_the_first_late_day() -> None:
    assert reference_date(date(2026, 1, 1)) == date(2025, 12, 31)
    assert reference_date(date(2026, 6, 30)) == date(2025, 12, 31)
    assert reference_date(date(2026, 7, 1)) == date(2026, 6, 30)
    assert reference_date(date(2026, 12, 31)) == date(2026, 6, 30)


def test_the_rate_stays_fixed_across_a_bank_rate_change() -> None:
    """£2,000 due Thu 31 Jul 2025: late from 1 Aug 2025, reference 30 Jun 2025 (4.25%),
    so 12.25% for the whole debt though Bank Rate fell on 7 Aug and 18 Dec 2025. To
    31 Jan 2026 that is 184 days (31+30+31+30+31+31): 2000 × 0.1225 × 184 / 365 =
    £123.5068… → £123.51."""
    q = quote(HISTORY, 2_000_00, date(2025, 7, 31), date(2026, 1, 31))
    assert (q.rate.rate, q.days, q.interest, q.compensation) == (
        Decimal("12.25"), 184, 123_51, 70_00,
    )  # fmt: skip


def test_a_leap_year_counts_29_february_over_365() -> None:
    """£1,000 due 15 Feb, to 15 Mar: 29 days in 2028 (16–29 Feb and 1–15 Mar), 28 in
    2027, each over 365 at 11.75% (the last known rate, 3.75% + 8, not known for the
    reference dates): 117.5 × 29 / 365 = £9.3356… → £9.34; × 28 / 365 = £9.0136… → £9.01."""
    leap = quote(HISTORY, 1_000_00, date(2028, 2, 15), date(2028, 3, 15))
    plain = quote(HISTORY, 1_000_00, date(2027, 2, 15), date(2027, 3, 15))
    assert (leap.days, leap.interest, plain.days, plain.interest) == (29, 9_34, 28, 9_01)
    assert not leap.rate.known and leap.rate.reference_date == date(2027, 12, 31)


def test_part_payments_split_the_interest_into_stretches() -> None:
    """£3,000 due Sat 31 Jan 2026 at 11.75%; £1,000 paid 2 Mar and £1,000 paid 1 Apr:
    1 Feb–2 Mar 30 days on £3,000 (£28.97…), 3 Mar–1 Apr 30 days on £2,000 (£19.31…),
    2 Apr–30 Apr 29 days on £1,000 (£9.33…): (10575 + 7050 + 3407.5) / 365 = £57.6233…
    → £57.62. Paid off on 30 Apr, it is still £57.62 at 31 May: claimable, not growing."""
    due, rate = date(2026, 1, 31), Decimal("11.75")
    paid = [(date(2026, 3, 2), 1_000_00), (date(2026, 4, 1), 1_000_00)]
    assert stretches(3_000_00, due, paid, date(2026, 4, 30)) == [
        Stretch(date(2026, 2, 1), date(2026, 3, 2), 3_000_00),
        Stretch(date(2026, 3, 3), date(2026, 4, 1), 2_000_00),
        Stretch(date(2026, 4, 2), date(2026, 4, 30), 1_000_00),
    ]
    assert interest_to(3_000_00, due, paid, date(2026, 4, 30), rate) == 57_62
    paid_off = [*paid, (date(2026, 4, 30), 1_000_00)]
    assert interest_to(3_000_00, due, paid_off, date(2026, 5, 31), rate) == 57_62


def test_a_payment_by_the_due_date_is_never_late_and_a_returned_one_is_owed_again() -> None:
    """£1,000 due 31 Jan 2026: £400 paid on the due date leaves £600 late from 1 Feb. A
    £600 payment on 10 Feb returned on 20 Feb: £600 for 1–10 Feb (10 days), nothing for
    11–20 Feb, £600 again for 21–28 Feb (8 days): 18 days × 600 × 0.1175 / 365 =
    £3.4767… → £3.48."""
    due, rate = date(2026, 1, 31), Decimal("11.75")
    paid = [
        (date(2026, 1, 31), 400_00),
        (date(2026, 2, 10), 600_00),
        (date(2026, 2, 20), -600_00),
    ]
    assert stretches(1_000_00, due, paid, date(2026, 2, 28)) == [
        Stretch(date(2026, 2, 1), date(2026, 2, 10), 600_00),
        Stretch(date(2026, 2, 21), date(2026, 2, 28), 600_00),
    ]
    assert interest_to(1_000_00, due, paid, date(2026, 2, 28), rate) == 3_48
    assert interest_to(1_000_00, due, [(date(2026, 1, 30), 1_000_00)], date(2026, 6, 1), rate) == 0


@pytest.mark.parametrize(
    ("amount", "fixed"),
    [(1, 40_00), (999_99, 40_00), (1_000_00, 70_00), (9_999_99, 70_00), (10_000_00, 100_00)],
)
def test_the_three_compensation_bands_and_their_edges(amount: int, fixed: int) -> None:
    assert compensation(amount) == fixed


def test_no_lateness_no_interest_and_no_compensation() -> None:
    q = quote(HISTORY, 500_00, date(2026, 3, 16), date(2026, 3, 16))
    assert (q.days, q.interest, q.compensation) == (0, 0, 0)
    assert days_late(date(2026, 3, 16), date(2026, 3, 1)) == 0


def test_the_history_refuses_what_it_cannot_answer() -> None:
    with pytest.raises(ValueError, match="starts on 03/08/2023; it has no rate for 31/12/2022"):
        statutory_rate(HISTORY, date(2023, 1, 1))
    with pytest.raises(ValueError, match="date order"):
        BankRateHistory(
            (RateChange(date(2025, 2, 6), Decimal(4)), RateChange(date(2024, 1, 1), Decimal(5))),
            date(2026, 1, 1),
        )
    with pytest.raises(ValueError, match="more than £0.00"):
        quote(HISTORY, 0, date(2026, 1, 15), date(2026, 3, 16))
