"""Debt ageing: how long invoices have been past due, grouped into buckets.

This module owns the buckets and the arithmetic of age. An invoice's age at ``as_of``
is ``as_of - due date`` in days. Choosing which entries count (those effective on or
before ``as_of``) and what is still outstanding is the caller's work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from debtdesk.domain.money import Pence

BUCKETS: tuple[str, ...] = ("not_due", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365")
"""Bucket keys, youngest first."""

BUCKET_LABELS: dict[str, str] = {
    "not_due": "Not yet due",
    "1_30": "1–30 days",
    "31_60": "31–60 days",
    "61_90": "61–90 days",
    "91_180": "91–180 days",
    "181_365": "181–365 days",
    "over_365": "Over 365 days",
}
"""How each bucket reads to a person (statements, case packs, the account view)."""

# The oldest age (in days) each bucket after "not_due" holds; "over_365" has no limit.
_UPPER_LIMITS: tuple[tuple[int, str], ...] = (
    (0, "not_due"),
    (30, "1_30"),
    (60, "31_60"),
    (90, "61_90"),
    (180, "91_180"),
    (365, "181_365"),
)


def bucket_for(days_past_due: int) -> str:
    """The bucket for an age in days: not due (0 or less), 1–30, …, 181–365, over 365."""
    for limit, bucket in _UPPER_LIMITS:
        if days_past_due <= limit:
            return bucket
    return "over_365"


def age(items: Iterable[tuple[date, Pence]], as_of: date) -> dict[str, Pence]:
    """Outstanding amounts by age bucket.

    Args:
        items: ``(due date, outstanding pence)`` for each invoice.
        as_of: The date the ages are measured at.

    Returns:
        Every bucket in :data:`BUCKETS` order mapped to its total; 0 where empty.
    """
    totals = dict.fromkeys(BUCKETS, 0)
    for due, outstanding in items:
        totals[bucket_for((as_of - due).days)] += outstanding
    return totals
