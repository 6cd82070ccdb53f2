"""The demo's rows, and one account's ledger played out event by event.

The demo writes millions of rows with bulk inserts, so it assigns ids itself and keeps
the rows as dictionaries. :class:`AccountBook` raises an account's invoices, takes its
payments and returned direct debits in date order, and allocates each credit to the
oldest invoice first with :func:`~debtdesk.domain.allocation.allocate_oldest_first`,
as the ledger services do for a live caseload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from debtdesk.domain.allocation import OpenCredit, OpenInvoice, allocate_oldest_first
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.periods import Period
from debtdesk.services.ledger import invoice_number

Row = dict[str, Any]


def posted(day: date) -> datetime:
    """When a historical entry was keyed: that evening, UTC."""
    return datetime.combine(day, time(18, 0), tzinfo=UTC)


@dataclass
class Ids:
    """The next id per table (the demo fills an empty database)."""

    account: int = 1
    representative: int = 1
    assessment: int = 1
    package: int = 1
    invoice: int = 1
    entry: int = 1
    allocation: int = 1
    mandate: int = 1
    collection: int = 1

    def take(self, table: str) -> int:
        value: int = getattr(self, table)
        setattr(self, table, value + 1)
        return value


@dataclass
class Rows:
    """Rows waiting for the next bulk insert, per table."""

    accounts: list[Row] = field(default_factory=list)
    representatives: list[Row] = field(default_factory=list)
    assessments: list[Row] = field(default_factory=list)
    packages: list[Row] = field(default_factory=list)
    mandates: list[Row] = field(default_factory=list)
    invoices: list[Row] = field(default_factory=list)
    entries: list[Row] = field(default_factory=list)
    allocations: list[Row] = field(default_factory=list)
    collections: list[Row] = field(default_factory=list)


@dataclass
class _Invoice:
    number: str
    due: date
    issued: date
    outstanding: int


class AccountBook:
    """One account's invoices, payments and allocations, in the order they happened."""

    def __init__(self, ids: Ids, rows: Rows, account_id: int, batch_id: int) -> None:
        self._ids = ids
        self._rows = rows
        self.account_id = account_id
        self._batch_id = batch_id
        self._invoices: dict[int, _Invoice] = {}
        self._open: set[int] = set()
        self._credits: dict[int, list[Any]] = {}  # entry id -> [effective, available]
        self._paid_by: dict[int, list[tuple[int, int, int]]] = {}  # entry -> allocations
        self._received: dict[int, int] = {}  # payment entry id -> amount received
        self.balance = 0
        self.entries = 0

    def _entry(self, kind: EntryKind, amount: int, day: date, **values: Any) -> int:
        entry_id = self._ids.take("entry")
        self._rows.entries.append(
            {
                "id": entry_id,
                "account_id": self.account_id,
                "kind": kind,
                "amount": amount,
                "effective_date": day,
                "posted_at": posted(day),
                "source": EntrySource.RUN,
                "batch_id": self._batch_id,
                "actor": "demo",
                "invoice_id": None,
                "period_start": None,
                "method": None,
                "reference": "",
                "description": "",
                "reverses_id": None,
                **values,
            }
        )
        self.balance += amount
        self.entries += 1
        return entry_id

    def _allocation(
        self, entry_id: int, invoice_id: int, amount: int, day: date, reverses: int | None = None
    ) -> int:
        allocation_id = self._ids.take("allocation")
        self._rows.allocations.append(
            {
                "id": allocation_id,
                "account_id": self.account_id,
                "entry_id": entry_id,
                "invoice_id": invoice_id,
                "amount": amount,
                "effective_date": day,
                "posted_at": posted(day),
                "actor": "demo",
                "reverses_id": reverses,
            }
        )
        return allocation_id

    def charge(self, period: Period, amount: int, due: date) -> None:
        """The statement for a period: an invoice of one charge, on the statement date."""
        invoice_id = self._ids.take("invoice")
        issued = period.statement_date
        self._rows.invoices.append(
            {
                "id": invoice_id,
                "account_id": self.account_id,
                "number": invoice_number(invoice_id),
                "kind": InvoiceKind.STATEMENT,
                "issued_on": issued,
                "due_on": due,
                "amount": amount,
                "period_start": period.start,
                "period_end": period.end,
                "batch_id": self._batch_id,
                "created_at": posted(issued),
            }
        )
        self._entry(
            EntryKind.CHARGE,
            amount,
            issued,
            invoice_id=invoice_id,
            period_start=period.start,
            description=f"Contribution {period}",
        )
        self._invoices[invoice_id] = _Invoice(invoice_number(invoice_id), due, issued, amount)
        self._open.add(invoice_id)
        self._allocate()

    @property
    def outstanding(self) -> int:
        return sum(self._invoices[i].outstanding for i in self._open)

    def pay(
        self, day: date, amount: int, method: PaymentMethod, reference: str, description: str
    ) -> int:
        """A payment received, allocated oldest first; returns its entry id."""
        entry_id = self._entry(
            EntryKind.PAYMENT,
            -amount,
            day,
            method=method,
            reference=reference,
            description=description,
        )
        self._credits[entry_id] = [day, amount]
        self._received[entry_id] = amount
        self._allocate()
        return entry_id

    def return_payment(self, entry_id: int, day: date, description: str) -> int:
        """A direct debit returned unpaid: the payment's allocations are undone; its id."""
        returned = self._entry(
            EntryKind.RETURNED_PAYMENT,
            self._received[entry_id],
            day,
            method=PaymentMethod.DIRECT_DEBIT,
            reverses_id=entry_id,
            description=description,
        )
        for allocation_id, invoice_id, allocated in self._paid_by.pop(entry_id, []):
            self._allocation(entry_id, invoice_id, -allocated, day, reverses=allocation_id)
            self._invoices[invoice_id].outstanding += allocated
            self._open.add(invoice_id)
        self._credits[entry_id][1] = 0
        self._allocate()
        return returned

    def _allocate(self) -> None:
        credits = [OpenCredit(i, c[0], c[1]) for i, c in self._credits.items() if c[1] > 0]
        if not credits or not self._open:
            return
        owing = [
            OpenInvoice(i, inv.number, inv.due, inv.issued, inv.outstanding)
            for i in self._open
            for inv in (self._invoices[i],)
        ]
        for allocation in allocate_oldest_first(owing, credits):
            allocation_id = self._allocation(
                allocation.entry_id,
                allocation.invoice_id,
                allocation.amount,
                allocation.effective,
            )
            invoice = self._invoices[allocation.invoice_id]
            invoice.outstanding -= allocation.amount
            if invoice.outstanding == 0:
                self._open.discard(allocation.invoice_id)
            self._credits[allocation.entry_id][1] -= allocation.amount
            self._paid_by.setdefault(allocation.entry_id, []).append(
                (allocation_id, allocation.invoice_id, allocation.amount)
            )
