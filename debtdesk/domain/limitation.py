"""The six-year limit on recovering a sum, and what restarts it.

A sum due under the Care Act is recoverable within 6 years of the date it becomes due
(s69(3), FACTS.md §3.1). A part-payment or a written acknowledgment restarts the six
years from its date, but only while the debt is still in time: one made after the limit
has passed cannot revive it (Limitation Act 1980 s29(5), (7); FACTS.md §7.4). The day a
sum falls due is not counted, so the last day a claim can be issued is the sixth
anniversary of that date, and the sum is statute-barred from the day after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

LIMITATION_YEARS = 6


def last_day_to_claim(due: date, restarts: Iterable[date] = ()) -> date:
    """The last day a claim for a sum due on ``due`` can be issued.

    Args:
        restarts: Dates of part-payments and written acknowledgments of the debt; each
            one made on or before the last day then in force restarts the six years.
    """
    last = due + relativedelta(years=LIMITATION_YEARS)
    for day in sorted(restarts):
        if day > last:
            break  # too late: a barred debt is not revived
        last = max(last, day + relativedelta(years=LIMITATION_YEARS))
    return last


def statute_barred_on(due: date, restarts: Iterable[date] = ()) -> date:
    """The first day the sum can no longer be claimed."""
    return last_day_to_claim(due, restarts) + timedelta(days=1)
