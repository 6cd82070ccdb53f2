"""Month-end reconciliation: the ledger's movement, receipts against the bank, and suspense.

For a calendar month (issue 4 item 6):

* **Ledger**, per customer type and overall: opening balance + charges − receipts +
  returned direct debits + adjustments − write-offs = closing balance, every figure the sum
  of entries effective in the month (before it, for the opening; by its end, for the
  closing). Charges are charge, interest and compensation entries (a recalculation credit
  is a negative charge); adjustments are adjustments, credits and refunds paid out.
* **Receipts by method** against what the bank saw: direct debit payments against the
  collections collected in the month (the Bacs credits), returned payments against the
  ARUDD items applied, and bank-transfer payments against the receipts on the bank
  statements imported for the month, less those of them refunded or still in suspense
  today. A receipt allocated from suspense is a payment on the day it was received (the
  payer paid then), so this tie is as known today: it holds again once the receipts of
  the month are allocated, whenever that is.
* **Suspense**: the control account as it moved: opening, received (receipts put in
  suspense, by the date received), out (allocated or refunded, by the day the officer
  acted, by the UTC day), closing. A receipt received in May and allocated in June is in
  May's closing suspense and June's "allocated".

Every equation that does not hold is listed in ``problems``; an empty list means the month
reconciles.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    BacsItem,
    BankReceipt,
    Batch,
    Collection,
    CustomerType,
    LedgerEntry,
    SuspenseAction,
)
from debtdesk.domain.ledger import EntryKind, PaymentMethod
from debtdesk.domain.money import format_pounds
from debtdesk.domain.receipts import ReceiptStatus, SuspenseActionKind
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.sql import pence_sum

_CHARGES = (EntryKind.CHARGE, EntryKind.INTEREST, EntryKind.COMPENSATION)
_ADJUSTMENTS = (EntryKind.ADJUSTMENT, EntryKind.CREDIT, EntryKind.REFUND)


@dataclass(frozen=True)
class LedgerRow:
    label: str
    opening: int
    charges: int
    receipts: int
    returns: int
    adjustments: int
    write_offs: int
    closing: int

    @property
    def expected_closing(self) -> int:
        return (
            self.opening
            + self.charges
            - self.receipts
            + self.returns
            + self.adjustments
            - self.write_offs
        )

    @property
    def balances(self) -> bool:
        return self.expected_closing == self.closing


@dataclass(frozen=True)
class MethodRow:
    method: str
    posted: int
    """Pence posted to accounts in the month by this method."""
    bank: int | None
    """What the bank side shows for the same money; None where there is no bank figure."""
    note: str = ""

    @property
    def difference(self) -> int | None:
        return None if self.bank is None else self.posted - self.bank


@dataclass(frozen=True)
class SuspenseRow:
    opening: int
    received: int
    allocated: int
    refunded: int
    closing: int


@dataclass(frozen=True)
class Reconciliation:
    start: date
    end: date
    by_type: tuple[LedgerRow, ...]
    total: LedgerRow
    methods: tuple[MethodRow, ...]
    bank_receipts: int
    """Money in on the bank statements imported for the month (their receipts dated in it)."""
    bank_debits: int
    suspense: SuspenseRow
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month.

    Raises:
        BadInput: not a real month.
    """
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise BadInput(f"{year}-{month:02d} is not a month debtdesk can reconcile")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


class Reconciliations:
    """Month-end reconciliation, shown in the GUI and exported as a workbook."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def month(self, year: int, month: int) -> Reconciliation:
        """The month's figures.

        Raises:
            BadInput: not a month debtdesk can reconcile.
        """
        start, end = month_bounds(year, month)
        with self._db.sessions() as session:
            return reconcile(session, start, end)

    def export(self, year: int, month: int, path: Path) -> Path:
        """Write the month's reconciliation as a workbook (the ``reconciliation`` report).

        Raises:
            BadInput: not a month, the folder does not exist or the file cannot be written.
        """
        from debtdesk.services.reporting.runs import Reports  # openpyxl only when exporting

        end = month_bounds(year, month)[1]
        try:
            return Reports(self._db).write("reconciliation", path, end)[1]
        except OSError as exc:
            raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from exc


def reconcile(session: Session, start: date, end: date) -> Reconciliation:
    """The reconciliation of the days from ``start`` to ``end`` (a calendar month)."""
    by_type = _ledger(session, start, end)
    total = LedgerRow(
        "All customer types", *(sum(getattr(row, f) for row in by_type) for f in _FIELDS)
    )
    suspense = _suspense(session, start, end)
    bank_in, bank_out = _bank_totals(session, start, end)
    methods = _methods(session, start, end, bank_in)
    problems = [
        f"{row.label}: opening {format_pounds(row.opening)} and the month's movements "
        f"give {format_pounds(row.expected_closing)}, but the closing balance is "
        f"{format_pounds(row.closing)}"
        for row in (*by_type, total)
        if not row.balances
    ]
    problems += [
        f"{row.method.replace('_', ' ')}: posted {format_pounds(row.posted)} but the bank "
        f"side shows {format_pounds(row.bank)}"
        for row in methods
        if row.bank is not None and row.difference
    ]
    if suspense.opening + suspense.received - suspense.allocated - suspense.refunded != (
        suspense.closing
    ):
        problems.append("suspense does not balance")
    return Reconciliation(
        start, end, by_type, total, methods, bank_in, bank_out, suspense, tuple(problems)
    )


_FIELDS = ("opening", "charges", "receipts", "returns", "adjustments", "write_offs", "closing")


def _ledger(session: Session, start: date, end: date) -> tuple[LedgerRow, ...]:
    e = LedgerEntry
    in_month = (e.effective_date >= start) & (e.effective_date <= end)

    def part(condition: ColumnElement[bool], sign: int = 1) -> ColumnElement[int]:
        return pence_sum(case((condition, e.amount * sign), else_=0))

    rows = session.execute(
        select(
            CustomerType.name,
            part(e.effective_date < start),
            part(in_month & e.kind.in_(_CHARGES)),
            part(in_month & (e.kind == EntryKind.PAYMENT), -1),
            part(in_month & (e.kind == EntryKind.RETURNED_PAYMENT)),
            part(in_month & e.kind.in_(_ADJUSTMENTS)),
            part(in_month & (e.kind == EntryKind.WRITE_OFF), -1),
            part(e.effective_date <= end),
        )
        .select_from(CustomerType)
        .join(Account, Account.customer_type_id == CustomerType.id, isouter=True)
        .join(e, e.account_id == Account.id, isouter=True)
        .group_by(CustomerType.id, CustomerType.name)
        .order_by(CustomerType.name)
    ).all()
    return tuple(LedgerRow(name, *(int(v) for v in values)) for name, *values in rows)


def _bank_totals(session: Session, start: date, end: date) -> tuple[int, int]:
    received = session.scalar(
        select(pence_sum(BankReceipt.amount)).where(BankReceipt.received_on.between(start, end))
    )
    debits = 0
    for (parameters,) in session.execute(
        select(Batch.parameters).where(
            Batch.kind.in_(("bank_csv", "bank_camt053")), Batch.as_of.between(start, end)
        )
    ):
        debits += int(parameters.get("debits_total", 0))
    return int(received or 0), debits


def _methods(session: Session, start: date, end: date, bank_in: int) -> tuple[MethodRow, ...]:
    e = LedgerEntry
    posted: dict[str, int] = defaultdict(int)
    for method, amount in session.execute(
        select(e.method, pence_sum(-e.amount))
        .where(e.kind == EntryKind.PAYMENT, e.effective_date.between(start, end))
        .group_by(e.method)
    ):
        posted[method.value if method else "unknown"] += int(amount)
    returned = session.scalar(
        select(pence_sum(e.amount)).where(
            e.kind == EntryKind.RETURNED_PAYMENT, e.effective_date.between(start, end)
        )
    )
    collected = session.scalar(
        select(pence_sum(Collection.amount)).where(
            Collection.payment_entry_id.is_not(None),
            Collection.collection_date.between(start, end),
        )
    )
    arudd = session.scalar(
        select(pence_sum(BacsItem.amount))
        .join(Batch, Batch.id == BacsItem.batch_id)
        .where(
            Batch.kind == "bacs_arudd",
            BacsItem.outcome == "applied",
            Batch.as_of.between(start, end),
        )
    )
    # Of the bank receipts dated in the month: what went back to payers and what is still
    # in suspense are not posted to accounts.
    refunded = session.scalar(
        select(pence_sum(SuspenseAction.amount))
        .join(BankReceipt, BankReceipt.id == SuspenseAction.receipt_id)
        .where(
            SuspenseAction.kind == SuspenseActionKind.REFUND,
            BankReceipt.received_on.between(start, end),
        )
    )
    held = _still_in_suspense(session, start, end)
    bank_posted = bank_in - int(refunded or 0) - held
    rows = [
        MethodRow(
            PaymentMethod.DIRECT_DEBIT.value,
            posted.pop(PaymentMethod.DIRECT_DEBIT.value, 0),
            int(collected or 0),
            "against the collections collected in the month",
        ),
        MethodRow(
            "returned_direct_debit",
            int(returned or 0),
            int(arudd or 0),
            "against the ARUDD items applied in the month",
        ),
        MethodRow(
            PaymentMethod.BANK_TRANSFER.value,
            posted.pop(PaymentMethod.BANK_TRANSFER.value, 0),
            bank_posted,
            "against the bank statements' receipts, less refunds and what is in suspense",
        ),
    ]
    rows += [MethodRow(method, amount, None) for method, amount in sorted(posted.items())]
    return tuple(rows)


def _still_in_suspense(session: Session, start: date, end: date) -> int:
    received = session.scalar(
        select(pence_sum(BankReceipt.amount)).where(
            BankReceipt.status == ReceiptStatus.SUSPENSE,
            BankReceipt.received_on.between(start, end),
        )
    )
    used = session.scalar(
        select(pence_sum(SuspenseAction.amount))
        .join(BankReceipt, BankReceipt.id == SuspenseAction.receipt_id)
        .where(
            BankReceipt.status == ReceiptStatus.SUSPENSE,
            BankReceipt.received_on.between(start, end),
        )
    )
    return int(received or 0) - int(used or 0)


def _suspense(session: Session, start: date, end: date) -> SuspenseRow:
    """Receipts count in suspense from the day received until the day an officer acts."""
    first = datetime.combine(start, time(), tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)

    def received(condition: ColumnElement[bool]) -> int:
        return int(
            session.scalar(
                select(pence_sum(BankReceipt.amount)).where(
                    BankReceipt.status != ReceiptStatus.MATCHED, condition
                )
            )
            or 0
        )

    def acted(kind: SuspenseActionKind, condition: ColumnElement[bool]) -> int:
        return int(
            session.scalar(
                select(pence_sum(SuspenseAction.amount)).where(
                    SuspenseAction.kind == kind, condition
                )
            )
            or 0
        )

    before = received(BankReceipt.received_on < start)
    out_before = sum(acted(k, SuspenseAction.at < first) for k in SuspenseActionKind)
    opening = before - out_before
    came = received(BankReceipt.received_on.between(start, end))
    in_month = (SuspenseAction.at >= first) & (SuspenseAction.at < after)
    allocated = acted(SuspenseActionKind.ALLOCATE, in_month)
    refunded = acted(SuspenseActionKind.REFUND, in_month)
    closing_in = received(BankReceipt.received_on <= end)
    closing_out = sum(acted(k, SuspenseAction.at < after) for k in SuspenseActionKind)
    return SuspenseRow(opening, came, allocated, refunded, closing_in - closing_out)
