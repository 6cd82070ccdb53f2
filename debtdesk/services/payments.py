"""An account's money in: payments, returned direct debits and refunds, and their source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from debtdesk.db.models import BankReceipt, Batch, LedgerEntry
from debtdesk.domain.ledger import EntryKind
from debtdesk.services.database import Database

_KINDS = (EntryKind.PAYMENT, EntryKind.RETURNED_PAYMENT, EntryKind.REFUND)
_SOURCES = {
    "dd_run": "direct debit run",
    "bacs_arudd": "ARUDD",
    "bank_csv": "bank statement",
    "bank_camt053": "bank statement",
    "suspense": "allocated from suspense",
    "demo": "history",
}


@dataclass(frozen=True)
class PaymentLine:
    entry_id: int
    effective_date: date
    kind: str
    method: str
    amount: int
    """Pence received (positive), or taken back by a return or refund (negative)."""
    reference: str
    description: str
    source: str
    """Where it came from: the run or file (and line) that posted it, or the officer."""
    returned: bool
    """A payment later returned unpaid (a returned-payment entry names it)."""


class Payments:
    """The account view's Payments tab."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[PaymentLine]:
        """Newest first."""
        reversal = aliased(LedgerEntry)
        with self._db.sessions() as session:
            returned = set(
                session.scalars(
                    select(reversal.reverses_id).where(
                        reversal.account_id == account_id, reversal.reverses_id.is_not(None)
                    )
                )
            )
            rows = session.execute(
                select(LedgerEntry, Batch.kind, Batch.file_name, BankReceipt.source)
                .outerjoin(Batch, Batch.id == LedgerEntry.batch_id)
                .outerjoin(BankReceipt, BankReceipt.entry_id == LedgerEntry.id)
                .where(LedgerEntry.account_id == account_id, LedgerEntry.kind.in_(_KINDS))
                .order_by(LedgerEntry.effective_date.desc(), LedgerEntry.id.desc())
            ).all()
            return [
                PaymentLine(
                    entry.id,
                    entry.effective_date,
                    entry.kind.value,
                    entry.method.value if entry.method else "",
                    -entry.amount,
                    entry.reference,
                    entry.description,
                    _source(entry.actor, kind, file_name, line),
                    entry.id in returned,
                )
                for entry, kind, file_name, line in rows
            ]


def _source(actor: str, kind: str | None, file_name: str | None, line: str | None) -> str:
    what = _SOURCES.get(kind or "", kind or "by hand")
    if file_name:
        what += f" {file_name}"
    if line:
        what += f", {line}"
    return f"{what} ({actor})"
