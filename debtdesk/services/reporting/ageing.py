"""Balances and aged debt for every account at once, as at a date (RULES.md "Allocation and
ageing"): only entries and allocations effective on or before ``as_of`` count, whenever
they were posted, so a receipt dated after it never reduces the debt shown.

An invoice's outstanding amount is the sum of its entries less what is allocated to it;
an account's unallocated credit is its balance less its invoices' outstanding amounts
(the same arithmetic as ``account show``, for all accounts in two grouped queries).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Allocation, Invoice, LedgerEntry
from debtdesk.domain.ageing import BUCKETS, bucket_for
from debtdesk.services.sql import pence_sum


@dataclass(frozen=True)
class AgedAccount:
    """One account's debt at a date: the balance, its ageing, the credit not yet allocated."""

    account_id: int
    balance: int
    aged: dict[str, int]  # every bucket of domain.ageing.BUCKETS
    unallocated: int  # zero or negative

    @property
    def overdue(self) -> int:
        return sum(v for k, v in self.aged.items() if k != "not_due")


def balances_at(session: Session, as_of: date) -> dict[int, int]:
    """Each account's balance at ``as_of`` (accounts with no entries by then are absent)."""
    rows = session.execute(
        select(LedgerEntry.account_id, pence_sum(LedgerEntry.amount))
        .where(LedgerEntry.effective_date <= as_of)
        .group_by(LedgerEntry.account_id)
    )
    return {account_id: total for account_id, total in rows}


def outstanding_invoices(session: Session, as_of: date) -> Iterator[tuple[int, date, int]]:
    """``(account id, due date, outstanding pence)`` of every invoice not settled at ``as_of``."""
    raised = (
        select(LedgerEntry.invoice_id, pence_sum(LedgerEntry.amount).label("amount"))
        .where(LedgerEntry.invoice_id.is_not(None), LedgerEntry.effective_date <= as_of)
        .group_by(LedgerEntry.invoice_id)
        .subquery()
    )
    allocated = (
        select(Allocation.invoice_id, pence_sum(Allocation.amount).label("amount"))
        .where(Allocation.effective_date <= as_of)
        .group_by(Allocation.invoice_id)
        .subquery()
    )
    rows = session.execute(
        select(Invoice.account_id, Invoice.due_on, raised.c.amount, allocated.c.amount)
        .join(raised, raised.c.invoice_id == Invoice.id)
        .outerjoin(allocated, allocated.c.invoice_id == Invoice.id)
    )
    for account_id, due_on, amount, paid in rows:
        outstanding = amount - (paid or 0)
        if outstanding:
            yield account_id, due_on, outstanding


def aged_accounts(session: Session, as_of: date) -> dict[int, AgedAccount]:
    """Every account with a balance or an unsettled invoice at ``as_of``, aged."""
    balances = balances_at(session, as_of)
    aged: dict[int, dict[str, int]] = {}
    for account_id, due_on, outstanding in outstanding_invoices(session, as_of):
        buckets = aged.get(account_id)
        if buckets is None:
            buckets = aged[account_id] = dict.fromkeys(BUCKETS, 0)
        buckets[bucket_for((as_of - due_on).days)] += outstanding
    result: dict[int, AgedAccount] = {}
    for account_id in balances.keys() | aged.keys():
        balance = balances.get(account_id, 0)
        buckets = aged.get(account_id) or dict.fromkeys(BUCKETS, 0)
        if balance == 0 and not any(buckets.values()):
            continue
        result[account_id] = AgedAccount(
            account_id, balance, buckets, balance - sum(buckets.values())
        )
    return result
