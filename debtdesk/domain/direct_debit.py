"""When a direct debit may be collected: on a working day, after the advance notice.

The statement is the advance notice (FACTS.md §5.4): a collection falls on the due date,
moved to the next working day, and never earlier than the notice period (10 working
days by default) after the statement date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from debtdesk.domain.working_days import add_working_days, next_working_day

ADVANCE_NOTICE_WORKING_DAYS = 10


def collection_date(
    due: date, notice_given: date, notice_working_days: int = ADVANCE_NOTICE_WORKING_DAYS
) -> date:
    """The date an amount due on ``due`` is collected after notice given on ``notice_given``."""
    return max(next_working_day(due), add_working_days(notice_given, notice_working_days))


class CollectionStatus(StrEnum):
    """Where a scheduled collection stands."""

    SCHEDULED = "scheduled"  # in a submission file; not yet posted
    COLLECTED = "collected"  # its date passed with no return: posted as a payment
    RETURNED = "returned"  # an ARUDD returned it unpaid: the payment was reversed
    CANCELLED = "cancelled"  # stopped before it was collected (ADDACS, AUDDIS, an officer)
    NOT_NEEDED = "not_needed"  # nothing was owed when it came to be scheduled


class MandateEventKind(StrEnum):
    """A change in a mandate's life, kept in its history."""

    CREATED = "created"
    LODGED = "lodged"  # its 0N went to the bureau: live from then
    ACCEPTED = "accepted"  # AUDDIS accepted the file that lodged it
    REJECTED = "rejected"  # AUDDIS: the paying bank rejected it, or the whole file
    CANCEL_REQUESTED = "cancel_requested"  # an officer cancelled it; a 0C is due
    CANCEL_SENT = "cancel_sent"  # its 0C went to the bureau
    CANCELLED = "cancelled"
    HELD = "held"  # collections stopped until an officer acts
    RELEASED = "released"
    AMENDED = "amended"  # new account details or other amendment
    REINSTATED = "reinstated"
    RETURNED_DEBIT = "returned_debit"  # an ARUDD returned one of its collections
    FINAL_COLLECTION = "final_collection"  # a 19 closed it at the bank


def mask_digits(value: str, shown: int = 2) -> str:
    """Bank details as shown to anyone but the officer who set them up: ``******56``."""
    if len(value) <= shown:
        return "*" * len(value)
    return "*" * (len(value) - shown) + value[-shown:]
