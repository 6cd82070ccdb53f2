"""When a direct debit may be collected: on a working day, after the advance notice.

The statement is the advance notice (FACTS.md §5.4): a collection falls on the due date,
moved to the next working day, and never earlier than the notice period (10 working
days by default) after the statement date.
"""

from __future__ import annotations

from datetime import date

from debtdesk.domain.working_days import add_working_days, next_working_day

ADVANCE_NOTICE_WORKING_DAYS = 10


def collection_date(
    due: date, notice_given: date, notice_working_days: int = ADVANCE_NOTICE_WORKING_DAYS
) -> date:
    """The date an amount due on ``due`` is collected after notice given on ``notice_given``."""
    return max(next_working_day(due), add_working_days(notice_given, notice_working_days))
