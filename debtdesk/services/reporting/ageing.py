"""Balances and aged debt for every account at once, as at a date (RULES.md "Allocation and
ageing"): only entries and allocations effective on or before ``as_of`` count, whenever
they were posted, so a receipt dated after it never reduces the debt shown.

An invoice's outstanding amount is the sum of its entries less what is allocated to it;
an account's unallocated credit is its balance less its invoices' outstanding amounts
(the same arithmetic as ``account show``, for all accounts in two grouped queries; the
ageing is summed by account and bucket in the database).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Subquery, case, func, select, union_all
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


def _owing(as_of: date) -> Subquery:
    """``(invoice_id, outstanding)`` of every invoice not settled at ``as_of``.

    One pass over each covering index (an invoice's lines by (invoice, date, amount), its
    allocations by (invoice, date, amount)), set against each other by invoice in the
    database, so only the invoices still owing something come back: at county size a
    few hundred thousand of millions.
    """
    lines = select(LedgerEntry.invoice_id, LedgerEntry.amount).where(
        LedgerEntry.invoice_id.is_not(None), LedgerEntry.effective_date <= as_of
    )
    paid = select(Allocation.invoice_id, -Allocation.amount).where(
        Allocation.effective_date <= as_of
    )
    both = union_all(lines, paid).subquery()
    return (
        select(both.c.invoice_id, pence_sum(both.c.amount).label("outstanding"))
        .group_by(both.c.invoice_id)
        .having(func.sum(both.c.amount) != 0)
        .subquery()
    )


def outstanding_invoices(session: Session, as_of: date) -> Iterator[tuple[int, date, int]]:
    """``(account id, due date, outstanding pence)`` of every invoice not settled at ``as_of``."""
    owing = _owing(as_of)
    yield from session.execute(
        select(Invoice.account_id, Invoice.due_on, owing.c.outstanding).join(
            owing, owing.c.invoice_id == Invoice.id
        )
    ).tuples()


def _oldest_due(bucket: str) -> int:
    """The most days past due a bucket before ``over_365`` holds (from domain.ageing)."""
    return max(days for days in range(-1, 1000) if bucket_for(days) == bucket)


_LIMITS = tuple((_oldest_due(b), b) for b in BUCKETS[:-1])
"""``(most days past due, bucket)`` youngest first; older than the last is ``BUCKETS[-1]``."""


def aged_debts(session: Session, as_of: date) -> dict[int, dict[str, int]]:
    """Each account owing on an invoice at ``as_of``: its outstanding pence by age bucket
    (every bucket of :data:`BUCKETS`), summed in the database."""
    owing = _owing(as_of)
    # age = as_of - due <= limit  <=>  due >= as_of - limit
    bucket = case(
        *((Invoice.due_on >= as_of - timedelta(days=limit), name) for limit, name in _LIMITS),
        else_=BUCKETS[-1],
    ).label("bucket")
    aged: dict[int, dict[str, int]] = {}
    for account_id, name, outstanding in session.execute(
        select(Invoice.account_id, bucket, pence_sum(owing.c.outstanding))
        .join(owing, owing.c.invoice_id == Invoice.id)
        .group_by(Invoice.account_id, bucket)
    ).tuples():
        buckets = aged.get(account_id)
        if buckets is None:
            buckets = aged[account_id] = dict.fromkeys(BUCKETS, 0)
        buckets[name] = outstanding
    return aged


def aged_accounts(session: Session, as_of: date) -> dict[int, AgedAccount]:
    """Every account with a balance or an unsettled invoice at ``as_of``, aged."""
    balances = balances_at(session, as_of)
    aged = aged_debts(session, as_of)
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
