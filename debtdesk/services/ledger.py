"""Posting to the ledger: entries, invoices and oldest-first allocation, inside a transaction.

These helpers add to the caller's session and flush; they never commit. The cached
account balance moves in the same statement as every entry it sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy import ColumnElement, Select, exists, insert, select, update
from sqlalchemy.orm import Session, aliased

from debtdesk.db.models import Account, Allocation, Counter, Invoice, LedgerEntry
from debtdesk.domain.allocation import Allocation as DomainAllocation
from debtdesk.domain.allocation import OpenCredit, OpenInvoice, allocate_oldest_first
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import (
    INVOICE_KINDS,
    EntryKind,
    EntrySource,
    PaymentMethod,
    sign_problem,
)
from debtdesk.services.errors import BadInput
from debtdesk.services.sql import chunks, pence_sum, unindexed

INVOICE_SERIES = "invoice"


def next_number(session: Session, series: str) -> int:
    """The next number in a series (1, 2, …), taken inside the caller's transaction."""
    return take_numbers(session, series, 1)


def take_numbers(session: Session, series: str, count: int) -> int:
    """The first of ``count`` numbers taken at once from a series, under its row lock.

    The numbers ``next_number`` would have handed out one by one in the same transaction.
    """
    counter = session.get(Counter, series, with_for_update=True)
    if counter is None:
        counter = Counter(name=series, value=0)
        session.add(counter)
    first = counter.value + 1
    counter.value += count
    session.flush()
    return first


def invoice_number(value: int) -> str:
    """An invoice number as printed: ``INV00001234`` (fixed width: text order is number order)."""
    return f"INV{value:08d}"


def post_entry(
    session: Session,
    account_id: int,
    kind: EntryKind,
    amount: int,
    effective: date,
    *,
    source: EntrySource,
    actor: str,
    batch_id: int | None = None,
    invoice_id: int | None = None,
    period_start: date | None = None,
    method: PaymentMethod | None = None,
    reference: str = "",
    description: str = "",
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one entry and move the account's cached balance with it.

    Raises:
        BadInput: the amount's sign does not suit the kind, or a debt has no invoice.
    """
    problem = sign_problem(kind, amount, is_reversal=reverses is not None and reverses.kind == kind)
    if problem:
        raise BadInput(problem)
    if kind in INVOICE_KINDS and invoice_id is None and reverses is None:
        raise BadInput(f"a {kind.value} must belong to an invoice")
    if reverses is not None and reverses.invoice_id is not None:
        raise BadInput(
            f"entry {reverses.id} is a line of an invoice; correct it with a credit, not a reversal"
        )
    entry = LedgerEntry(
        account_id=account_id,
        kind=kind,
        amount=amount,
        effective_date=effective,
        source=source,
        actor=actor,
        batch_id=batch_id,
        invoice_id=invoice_id if reverses is None else reverses.invoice_id,
        period_start=period_start,
        method=method,
        reference=reference,
        description=description,
        reverses_id=reverses.id if reverses is not None else None,
    )
    session.add(entry)
    session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(balance=Account.balance + amount)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    if reverses is not None:
        _undo_allocations(session, reverses, effective, actor)
    return entry


def _undo_allocations(session: Session, credit: LedgerEntry, effective: date, actor: str) -> None:
    """A reversed payment or credit no longer pays its invoices: undo what it paid."""
    undone = select(Allocation.reverses_id).where(Allocation.reverses_id.is_not(None))
    for allocation in session.scalars(
        select(Allocation).where(
            Allocation.entry_id == credit.id,
            unindexed(Allocation.reverses_id).is_(None),
            Allocation.id.not_in(undone),
        )
    ):
        session.add(
            Allocation(
                account_id=allocation.account_id,
                entry_id=credit.id,
                invoice_id=allocation.invoice_id,
                amount=-allocation.amount,
                effective_date=max(effective, allocation.effective_date),
                actor=actor,
                reverses_id=allocation.id,
            )
        )
    session.flush()


def raise_invoice(
    session: Session,
    account_id: int,
    kind: InvoiceKind,
    issued: date,
    due: date,
    lines: list[tuple[EntryKind, int, date | None, str]],
    *,
    source: EntrySource,
    actor: str,
    batch_id: int | None = None,
    period: tuple[date, date] | None = None,
) -> Invoice:
    """Raise an invoice of one or more lines (kind, amount, period start, description).

    Each line is posted as an entry effective on the issue date.
    """
    if not lines:
        raise BadInput("an invoice needs at least one line")
    total = sum(amount for _, amount, _, _ in lines)
    invoice = Invoice(
        account_id=account_id,
        number=invoice_number(next_number(session, INVOICE_SERIES)),
        kind=kind,
        issued_on=issued,
        due_on=due,
        amount=total,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        batch_id=batch_id,
    )
    session.add(invoice)
    session.flush()
    for line_kind, amount, period_start, description in lines:
        post_entry(
            session,
            account_id,
            line_kind,
            amount,
            issued,
            source=source,
            actor=actor,
            batch_id=batch_id,
            invoice_id=invoice.id,
            period_start=period_start,
            description=description,
        )
    return invoice


def allocate(session: Session, account_id: int, actor: str) -> int:
    """Set the account's unallocated credit against its outstanding invoices, oldest first.

    Returns how many allocations were made.
    """
    return allocate_accounts(session, [account_id], actor)


def allocate_accounts(
    session: Session,
    account_ids: Iterable[int],
    actor: str,
    named: Mapping[int, int] | None = None,
) -> int:
    """:func:`allocate` for many accounts at once, with a few queries per 500 accounts.

    Args:
        named: credit entry id -> the invoice that payment names; it pays that invoice
            first (as far as it is outstanding), and the rest oldest first.
    """
    rows: list[dict[str, object]] = []
    for chunk in chunks(sorted(set(account_ids))):
        rows += _allocate_chunk(session, list(chunk), actor, named or {})
    if rows:  # one multi-row INSERT, not one per ORM object
        session.flush()
        session.connection().execute(insert(Allocation), rows)
    return len(rows)


def _allocate_chunk(
    session: Session, account_ids: list[int], actor: str, named: Mapping[int, int]
) -> list[dict[str, object]]:
    """Open credits and open invoices summed in the database (only the open ones come
    back, not the accounts' whole history), then allocated account by account."""
    credits: dict[int, list[OpenCredit]] = defaultdict(list)
    for entry_id, account_id, effective, available in session.execute(_open_credits(account_ids)):
        credits[account_id].append(OpenCredit(entry_id, effective, available))
    if not credits:
        return []
    invoices: dict[int, list[OpenInvoice]] = defaultdict(list)
    for inv in session.execute(_open_invoices(sorted(credits))):
        invoices[inv.account_id].append(
            OpenInvoice(inv.id, inv.number, inv.due_on, inv.issued_on, inv.outstanding)
        )
    return [
        {
            "account_id": account_id,
            "entry_id": a.entry_id,
            "invoice_id": a.invoice_id,
            "amount": a.amount,
            "effective_date": a.effective,
            "actor": actor,
        }
        for account_id, account_credits in credits.items()
        if account_id in invoices
        for a in _allocate_account(invoices[account_id], account_credits, named)
    ]


def _open_credits(account_ids: list[int]) -> Select[tuple[int, int, date, int]]:
    """Credit entries (not reversed) with some of their amount not yet allocated."""
    allocated = (
        select(pence_sum(Allocation.amount))
        .where(Allocation.entry_id == LedgerEntry.id)
        .scalar_subquery()
    )
    reversal = aliased(LedgerEntry)
    available = (-LedgerEntry.amount - allocated).label("available")
    found = (
        select(LedgerEntry.id, LedgerEntry.account_id, LedgerEntry.effective_date, available)
        .where(
            LedgerEntry.account_id.in_(account_ids),
            unindexed(LedgerEntry.invoice_id).is_(None),
            LedgerEntry.amount < 0,
            LedgerEntry.kind.in_(CREDIT_KINDS),
            ~exists().where(reversal.reverses_id == LedgerEntry.id),
        )
        .subquery()
    )
    return select(found.c.id, found.c.account_id, found.c.effective_date, found.c.available).where(
        found.c.available > 0
    )


def invoice_outstanding(as_of: date | None = None) -> ColumnElement[int]:
    """An :class:`Invoice` row's outstanding pence, correlated in a query over invoices: its
    lines less what is allocated to it, counting only what is effective by ``as_of`` when
    given (RULES.md: ageing as at a date)."""
    lines = select(pence_sum(LedgerEntry.amount)).where(LedgerEntry.invoice_id == Invoice.id)
    paid = select(pence_sum(Allocation.amount)).where(Allocation.invoice_id == Invoice.id)
    if as_of is not None:
        lines = lines.where(LedgerEntry.effective_date <= as_of)
        paid = paid.where(Allocation.effective_date <= as_of)
    return lines.scalar_subquery() - paid.scalar_subquery()


def _open_invoices(account_ids: list[int]) -> Select[tuple[int, int, str, date, date, int]]:
    """The accounts' invoices with something outstanding: their lines less what paid them."""
    found = (
        select(
            Invoice.id,
            Invoice.account_id,
            Invoice.number,
            Invoice.due_on,
            Invoice.issued_on,
            invoice_outstanding().label("outstanding"),
        )
        .where(Invoice.account_id.in_(account_ids))
        .subquery()
    )
    return select(
        found.c.id,
        found.c.account_id,
        found.c.number,
        found.c.due_on,
        found.c.issued_on,
        found.c.outstanding,
    ).where(found.c.outstanding > 0)


def _allocate_account(
    invoices: list[OpenInvoice], credits: list[OpenCredit], named: Mapping[int, int]
) -> list[DomainAllocation]:
    """Named invoices first for the credits that name one, then oldest first."""
    if not any(credit.entry_id in named for credit in credits):
        return allocate_oldest_first(invoices, credits)
    result: list[DomainAllocation] = []
    outstanding = {inv.invoice_id: inv.outstanding for inv in invoices}
    available = {credit.entry_id: credit.available for credit in credits}
    for credit in credits:
        invoice_id = named.get(credit.entry_id)
        if invoice_id is None or outstanding.get(invoice_id, 0) <= 0:
            continue
        amount = min(credit.available, outstanding[invoice_id])
        invoice = next(inv for inv in invoices if inv.invoice_id == invoice_id)
        result.append(
            DomainAllocation(
                credit.entry_id, invoice_id, amount, max(credit.effective, invoice.effective)
            )
        )
        outstanding[invoice_id] -= amount
        available[credit.entry_id] -= amount
    return result + allocate_oldest_first(
        [
            replace(i, outstanding=outstanding[i.invoice_id])
            for i in invoices
            if outstanding[i.invoice_id] > 0
        ],
        [replace(c, available=available[c.entry_id]) for c in credits if available[c.entry_id] > 0],
    )


# Entries whose credit can be set against invoices.
CREDIT_KINDS = (EntryKind.PAYMENT, EntryKind.CREDIT, EntryKind.ADJUSTMENT, EntryKind.WRITE_OFF)
