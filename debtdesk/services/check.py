"""``debtdesk check``: the ledger's invariants, every problem listed rather than the first.

What it proves: each cached balance is the sum of the account's entries; each invoice's
amount is the sum of its lines; no invoice or credit is over-allocated; no account has
positive unallocated credit; every entry has the sign its kind needs; every reversal
mirrors the entry it reverses; debts belong to invoices of the same account; every
collected or returned direct debit and every matched bank receipt agrees with the entry
that posted it, and no receipt in suspense is allocated beyond its amount; the
append-only triggers are in place; and the audit chain is unbroken.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session, aliased

from debtdesk.db.append_only import APPEND_ONLY_TABLES, trigger_names
from debtdesk.db.models import (
    Account,
    Allocation,
    BankReceipt,
    Collection,
    Invoice,
    LedgerEntry,
    SuspenseAction,
)
from debtdesk.domain.direct_debit import CollectionStatus
from debtdesk.domain.ledger import INVOICE_KINDS, EntryKind
from debtdesk.domain.money import json_pounds
from debtdesk.domain.receipts import ReceiptStatus
from debtdesk.services.audit import chain_problems
from debtdesk.services.check_interest import interest_problems
from debtdesk.services.database import Database
from debtdesk.services.sql import pence_sum

_POSITIVE = (
    EntryKind.RETURNED_PAYMENT,
    EntryKind.REFUND,
    EntryKind.INTEREST,
    EntryKind.COMPENSATION,
)
_NEGATIVE = (EntryKind.PAYMENT, EntryKind.CREDIT, EntryKind.WRITE_OFF)
_TRIGGER_COUNT = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({})",
    "postgresql": "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ({})",
}


@dataclass(frozen=True)
class CheckResult:
    accounts: int
    entries: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _balances(session: Session) -> list[str]:
    sums = (
        select(LedgerEntry.account_id, pence_sum(LedgerEntry.amount).label("total"))
        .group_by(LedgerEntry.account_id)
        .subquery()
    )
    rows = session.execute(
        select(Account.reference, Account.balance, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.balance != func.coalesce(sums.c.total, 0))
        .order_by(Account.reference)
    )
    return [
        f"{ref}: cached balance {json_pounds(cached)} but its entries sum to {json_pounds(total)}"
        for ref, cached, total in rows
    ]


def _invoices(session: Session) -> list[str]:
    lines = (
        select(LedgerEntry.invoice_id, pence_sum(LedgerEntry.amount).label("total"))
        .where(LedgerEntry.invoice_id.is_not(None))
        .group_by(LedgerEntry.invoice_id)
        .subquery()
    )
    allocated = (
        select(Allocation.invoice_id, pence_sum(Allocation.amount).label("total"))
        .group_by(Allocation.invoice_id)
        .subquery()
    )
    problems = [
        f"{ref}: invoice {number} is for {json_pounds(amount)} but its lines sum to "
        f"{json_pounds(total)}"
        for ref, number, amount, total in session.execute(
            select(
                Account.reference, Invoice.number, Invoice.amount, func.coalesce(lines.c.total, 0)
            )
            .join(Account, Account.id == Invoice.account_id)
            .outerjoin(lines, lines.c.invoice_id == Invoice.id)
            .where(Invoice.amount != func.coalesce(lines.c.total, 0))
        )
    ]
    for ref, number, total, alloc in session.execute(
        select(Account.reference, Invoice.number, lines.c.total, allocated.c.total)
        .join(Account, Account.id == Invoice.account_id)
        .join(lines, lines.c.invoice_id == Invoice.id)
        .join(allocated, allocated.c.invoice_id == Invoice.id)
        .where(or_(allocated.c.total > lines.c.total, allocated.c.total < 0))
    ):
        problems.append(
            f"{ref}: invoice {number} has {json_pounds(alloc)} allocated against "
            f"{json_pounds(total)} owed"
        )
    return problems


def _allocations(session: Session) -> list[str]:
    used = (
        select(Allocation.entry_id, pence_sum(Allocation.amount).label("total"))
        .group_by(Allocation.entry_id)
        .subquery()
    )
    problems = [
        f"{ref}: entry {entry_id} ({kind.value} {json_pounds(amount)}) has "
        f"{json_pounds(total)} allocated"
        for ref, entry_id, kind, amount, total in session.execute(
            select(
                Account.reference,
                LedgerEntry.id,
                LedgerEntry.kind,
                LedgerEntry.amount,
                used.c.total,
            )
            .join(Account, Account.id == LedgerEntry.account_id)
            .join(used, used.c.entry_id == LedgerEntry.id)
            .where(
                or_(
                    used.c.total > -LedgerEntry.amount,
                    used.c.total < 0,
                    LedgerEntry.invoice_id.is_not(None),
                )
            )
        )
    ]
    entry = aliased(LedgerEntry)
    problems += [
        f"allocation {alloc_id} joins records of different accounts"
        for (alloc_id,) in session.execute(
            select(Allocation.id)
            .join(entry, entry.id == Allocation.entry_id)
            .join(Invoice, Invoice.id == Allocation.invoice_id)
            .where(
                or_(
                    entry.account_id != Allocation.account_id,
                    Invoice.account_id != Allocation.account_id,
                )
            )
        )
    ]
    outside = (
        select(LedgerEntry.account_id, pence_sum(LedgerEntry.amount).label("total"))
        .where(LedgerEntry.invoice_id.is_(None))
        .group_by(LedgerEntry.account_id)
        .subquery()
    )
    allocated = (
        select(Allocation.account_id, pence_sum(Allocation.amount).label("total"))
        .group_by(Allocation.account_id)
        .subquery()
    )
    unallocated = outside.c.total + func.coalesce(allocated.c.total, 0)
    problems += [
        f"{ref}: unallocated credit is positive ({json_pounds(value)}): more was allocated "
        "or refunded than was paid"
        for ref, value in session.execute(
            select(Account.reference, unallocated)
            .join(outside, outside.c.account_id == Account.id)
            .outerjoin(allocated, allocated.c.account_id == Account.id)
            .where(unallocated > 0)
        )
    ]
    return problems


def _entries(session: Session) -> list[str]:
    original = aliased(LedgerEntry)
    describe = select(Account.reference, LedgerEntry.id, LedgerEntry.kind, LedgerEntry.amount).join(
        Account, Account.id == LedgerEntry.account_id
    )
    problems = [
        f"{ref}: entry {entry_id} is a {kind.value} of {json_pounds(amount)}, "
        "which must be positive"
        for ref, entry_id, kind, amount in session.execute(
            describe.where(
                LedgerEntry.kind.in_(_POSITIVE),
                LedgerEntry.reverses_id.is_(None),
                LedgerEntry.amount <= 0,
            )
        )
    ]
    problems += [
        f"{ref}: entry {entry_id} is a {kind.value} of {json_pounds(amount)}, "
        "which must be negative"
        for ref, entry_id, kind, amount in session.execute(
            describe.where(
                LedgerEntry.kind.in_(_NEGATIVE),
                LedgerEntry.reverses_id.is_(None),
                LedgerEntry.amount >= 0,
            )
        )
    ]
    problems += [
        f"{ref}: entry {entry_id} is a {kind.value} of zero"
        for ref, entry_id, kind, amount in session.execute(describe.where(LedgerEntry.amount == 0))
    ]
    problems += [
        f"{ref}: entry {entry_id} ({kind.value}) is a debt but belongs to no invoice"
        for ref, entry_id, kind, amount in session.execute(
            describe.where(LedgerEntry.kind.in_(INVOICE_KINDS), LedgerEntry.invoice_id.is_(None))
        )
    ]
    problems += [
        f"{ref}: entry {entry_id} belongs to an invoice of another account"
        for ref, entry_id, kind, amount in session.execute(
            describe.join(Invoice, Invoice.id == LedgerEntry.invoice_id).where(
                Invoice.account_id != LedgerEntry.account_id
            )
        )
    ]
    mirrors = or_(
        LedgerEntry.kind == original.kind,
        and_(LedgerEntry.kind == EntryKind.RETURNED_PAYMENT, original.kind == EntryKind.PAYMENT),
    )
    problems += [
        f"{ref}: entry {entry_id} does not mirror entry {reversed_id}, which it reverses"
        for ref, entry_id, reversed_id in session.execute(
            select(Account.reference, LedgerEntry.id, original.id)
            .join(Account, Account.id == LedgerEntry.account_id)
            .join(original, original.id == LedgerEntry.reverses_id)
            .where(
                or_(
                    LedgerEntry.amount != -original.amount,
                    LedgerEntry.account_id != original.account_id,
                    ~mirrors,
                )
            )
        )
    ]
    return problems


def _money_in(session: Session) -> list[str]:
    """Collections and bank receipts agree with the entries that posted them."""
    payment = aliased(LedgerEntry)
    returned = aliased(LedgerEntry)
    problems = [
        f"{ref}: collection {collection_id} ({status.value}) of {json_pounds(amount)} does "
        "not match its payment entry"
        for ref, collection_id, status, amount in session.execute(
            select(Account.reference, Collection.id, Collection.status, Collection.amount)
            .join(Account, Account.id == Collection.account_id)
            .outerjoin(payment, payment.id == Collection.payment_entry_id)
            .where(
                Collection.status.in_((CollectionStatus.COLLECTED, CollectionStatus.RETURNED)),
                or_(
                    payment.id.is_(None),
                    payment.amount != -Collection.amount,
                    payment.account_id != Collection.account_id,
                    payment.kind != EntryKind.PAYMENT,
                ),
            )
        )
    ]
    problems += [
        f"{ref}: collection {collection_id} is returned but no returned-payment entry "
        "reverses its payment"
        for ref, collection_id in session.execute(
            select(Account.reference, Collection.id)
            .join(Account, Account.id == Collection.account_id)
            .outerjoin(returned, returned.id == Collection.return_entry_id)
            .where(
                Collection.status == CollectionStatus.RETURNED,
                or_(returned.id.is_(None), returned.reverses_id != Collection.payment_entry_id),
            )
        )
    ]
    problems += [
        f"bank receipt {receipt_id} ({source}) is matched but its payment entry differs"
        for receipt_id, source in session.execute(
            select(BankReceipt.id, BankReceipt.source)
            .outerjoin(payment, payment.id == BankReceipt.entry_id)
            .where(
                BankReceipt.status == ReceiptStatus.MATCHED,
                or_(
                    payment.id.is_(None),
                    payment.amount != -BankReceipt.amount,
                    payment.account_id != BankReceipt.account_id,
                ),
            )
        )
    ]
    used = (
        select(SuspenseAction.receipt_id, pence_sum(SuspenseAction.amount).label("used"))
        .group_by(SuspenseAction.receipt_id)
        .subquery()
    )
    problems += [
        f"bank receipt {receipt_id} ({source}, {json_pounds(amount)}): {json_pounds(done)} "
        "allocated or refunded from suspense, more than it"
        + (" or less than it" if resolved else "")
        for receipt_id, source, amount, done, resolved in session.execute(
            select(
                BankReceipt.id,
                BankReceipt.source,
                BankReceipt.amount,
                func.coalesce(used.c.used, 0),
                BankReceipt.status == ReceiptStatus.RESOLVED,
            )
            .outerjoin(used, used.c.receipt_id == BankReceipt.id)
            .where(
                or_(
                    func.coalesce(used.c.used, 0) > BankReceipt.amount,
                    and_(
                        BankReceipt.status == ReceiptStatus.RESOLVED,
                        func.coalesce(used.c.used, 0) != BankReceipt.amount,
                    ),
                )
            )
        )
    ]
    return problems


def _triggers(session: Session) -> list[str]:
    dialect = session.get_bind().dialect.name
    names = [name for table in APPEND_ONLY_TABLES for name in trigger_names(dialect, table)]
    expected = len(names)
    found = session.scalar(
        text(_TRIGGER_COUNT[dialect].format(", ".join(f"'{name}'" for name in names)))
    )
    if found != expected:
        return [f"the append-only triggers are missing ({found} of {expected} present)"]
    return []


def run_check(session: Session) -> CheckResult:
    """Every invariant, on everything in the database."""
    problems = (
        _triggers(session)
        + _balances(session)
        + _invoices(session)
        + _allocations(session)
        + _entries(session)
        + _money_in(session)
        + interest_problems(session)
        + list(chain_problems(session))
    )
    accounts = session.scalar(select(func.count()).select_from(Account)) or 0
    entries = session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
    return CheckResult(accounts, entries, tuple(problems))


def check(db: Database) -> CheckResult:
    with db.sessions() as session:
        return run_check(session)
