"""Tests for debt ageing buckets; ages are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.ageing import BUCKETS, age, bucket_for


def test_bucket_keys_youngest_first() -> None:
    assert BUCKETS == ("not_due", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365")


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-30, "not_due"),
        (0, "not_due"),  # due today: not yet past due
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "91_180"),
        (180, "91_180"),
        (181, "181_365"),
        (365, "181_365"),
        (366, "over_365"),
        (5_000, "over_365"),
    ],
)
def test_bucket_boundaries(days: int, bucket: str) -> None:
    assert bucket_for(days) == bucket


def test_age_sums_outstanding_by_bucket() -> None:
    as_of = date(2025, 6, 30)
    items = [
        (date(2025, 7, 14), 1_000),  # 30 Jun - 14 Jul = -14 days: not due
        (date(2025, 6, 30), 500),  # 0 days: not due -> not_due 1,000 + 500 = 1,500
        (date(2025, 6, 29), 200),  # 1 day: 1_30
        (date(2025, 5, 31), 300),  # 31 May -> 30 Jun = 30 days: 1_30 -> 200 + 300 = 500
        (date(2025, 5, 30), 400),  # 31 days: 31_60
        # 30 Jun 2024 -> 30 Jun 2025 crosses no 29 Feb (2025 is not a leap year): 365.
        (date(2024, 6, 30), 700),  # 181_365
        (date(2024, 6, 29), 900),  # 366 days: over_365
    ]
    assert age(items, as_of) == {
        "not_due": 1_500,
        "1_30": 500,
        "31_60": 400,
        "61_90": 0,
        "91_180": 0,
        "181_365": 700,
        "over_365": 900,
    }


def test_age_of_nothing_has_every_bucket_at_zero() -> None:
    result = age([], date(2025, 6, 30))
    assert list(result) == list(BUCKETS)
    assert set(result.values()) == {0}


def test_age_accepts_any_iterable() -> None:
    # A generator: 1 Apr -> 30 Jun is 29 + 31 + 30 = 90 days: 61_90.
    result = age(((date(2025, 4, 1), n) for n in (100, 250)), date(2025, 6, 30))
    assert result["61_90"] == 350
