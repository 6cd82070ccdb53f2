"""The six-year limit worked by hand (Care Act s69(3); Limitation Act 1980 s29)."""

from __future__ import annotations

from datetime import date

from debtdesk.domain.limitation import last_day_to_claim, statute_barred_on


def test_six_years_from_the_due_date() -> None:
    assert last_day_to_claim(date(2020, 3, 16)) == date(2026, 3, 16)
    assert statute_barred_on(date(2020, 3, 16)) == date(2026, 3, 17)


def test_a_leap_day_due_date() -> None:
    """29 Feb 2028 + 6 years: 2034 has no 29 Feb, so the last day is 28 Feb 2034."""
    assert last_day_to_claim(date(2028, 2, 29)) == date(2034, 2, 28)


def test_a_part_payment_in_time_restarts_the_six_years() -> None:
    """Due 16/03/2020; paid in part 01/10/2024: six years from then, 01/10/2030."""
    assert last_day_to_claim(date(2020, 3, 16), [date(2024, 10, 1)]) == date(2030, 10, 1)


def test_an_acknowledgment_on_the_last_day_still_counts() -> None:
    assert last_day_to_claim(date(2020, 3, 16), [date(2026, 3, 16)]) == date(2032, 3, 16)


def test_a_payment_after_the_limit_does_not_revive_the_debt() -> None:
    assert last_day_to_claim(date(2020, 3, 16), [date(2026, 3, 17)]) == date(2026, 3, 16)


def test_restarts_chain_and_an_earlier_one_never_shortens() -> None:
    """2020 due; 2025 payment (to 2031); 2030 acknowledgment (to 2036); a 2021 payment
    listed out of order changes nothing."""
    restarts = [date(2030, 5, 5), date(2021, 1, 4), date(2025, 6, 1)]
    assert last_day_to_claim(date(2020, 3, 16), restarts) == date(2036, 5, 5)
