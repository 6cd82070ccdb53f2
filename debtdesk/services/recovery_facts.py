"""What the recovery policy needs to know of each account at a date, read in bulk.

* **Overdue**: invoices due before ``as_of`` with something outstanding at ``as_of``
  (their lines effective by then, less what was allocated to them by then): the oldest
  one's due date and the total.
* **The stage reached**: the account's stage history since recovery last ended (a
  ``cleared`` event), each stage with the date it was reached.
* **The last failed direct debit's reason**: the code of the latest ARUDD item applied
  to the account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    BacsItem,
    CustomerType,
    Invoice,
    RecoveryEvent,
)
from debtdesk.services.ledger import invoice_outstanding

CLEARED = "cleared"
"""The stage history's marker: nothing was overdue any more, so recovery ended."""


@dataclass(frozen=True)
class Overdue:
    oldest_due: date
    amount: int


@dataclass
class StageHistory:
    current: str | None = None
    reached: dict[str, date] = field(default_factory=dict)


def overdue_at(session: Session, as_of: date) -> dict[int, Overdue]:
    """Every account with something overdue at ``as_of``."""
    open_ = (
        select(
            Invoice.account_id,
            Invoice.due_on,
            invoice_outstanding(as_of).label("outstanding"),
        )
        .where(Invoice.due_on < as_of)
        .subquery()
    )
    found: dict[int, Overdue] = {}
    for account_id, oldest, amount in session.execute(
        select(open_.c.account_id, func.min(open_.c.due_on), func.sum(open_.c.outstanding))
        .where(open_.c.outstanding > 0)
        .group_by(open_.c.account_id)
    ).tuples():
        found[account_id] = Overdue(oldest, int(amount))
    return found


def stage_histories(session: Session) -> dict[int, StageHistory]:
    """Each account's stages since recovery last ended (accounts with none are absent)."""
    histories: dict[int, StageHistory] = defaultdict(StageHistory)
    for account_id, stage, effective in session.execute(
        select(
            RecoveryEvent.account_id, RecoveryEvent.stage, RecoveryEvent.effective_date
        ).order_by(RecoveryEvent.account_id, RecoveryEvent.id)
    ).tuples():
        if stage == CLEARED:
            histories[account_id] = StageHistory()
        else:
            history = histories[account_id]
            history.current = stage
            history.reached[stage] = effective
    return {a: h for a, h in histories.items() if h.current is not None}


def customer_types(session: Session) -> dict[int, tuple[str, bool]]:
    """Each account's customer type: (code, is a business)."""
    return {
        account_id: (code, is_business)
        for account_id, code, is_business in session.execute(
            select(Account.id, CustomerType.code, CustomerType.is_business).join(
                CustomerType, CustomerType.id == Account.customer_type_id
            )
        ).tuples()
    }


def last_failed_debits(session: Session) -> dict[int, str]:
    """Each account's latest returned direct debit's reason code."""
    latest = (
        select(func.max(BacsItem.id))
        .where(
            BacsItem.account_id.is_not(None),
            BacsItem.amount.is_not(None),
            BacsItem.outcome == "applied",
        )
        .group_by(BacsItem.account_id)
    )
    return {
        account_id: code
        for account_id, code in session.execute(
            select(BacsItem.account_id, BacsItem.code).where(BacsItem.id.in_(latest))
        ).tuples()
        if account_id is not None
    }
