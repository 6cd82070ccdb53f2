"""Imports and runs as batches an officer can look back at: what came in, what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, BacsItem, BankReceipt, Batch
from debtdesk.services.database import Database
from debtdesk.services.errors import NotFound

IMPORT_KINDS = ("bacs_arudd", "bacs_addacs", "bacs_auddis", "bank_csv", "bank_camt053")
_NAMES = {
    "bacs_arudd": "ARUDD",
    "bacs_addacs": "ADDACS",
    "bacs_auddis": "AUDDIS",
    "bank_csv": "Bank statement (CSV)",
    "bank_camt053": "Bank statement (camt.053)",
    "dd_run": "Direct debit run",
}


@dataclass(frozen=True)
class BatchLine:
    id: int
    kind: str
    """What it was, as people say it: ``ARUDD``, ``Bank statement (CSV)``…"""
    file_name: str
    as_of: date | None
    actor: str
    finished_at: datetime | None
    summary: str


@dataclass(frozen=True)
class BatchItemLine:
    where: str
    """The line (or element) of the file."""
    reference: str
    name: str
    amount: int | None
    code: str
    outcome: str
    """applied, unmatched, recorded; matched, suspense or resolved for a receipt."""
    detail: str
    account_ref: str | None


def last_finished(session: Session, kind: str) -> Batch | None:
    """The finished run of a kind with the latest date (the latest of them on that date)."""
    return session.scalars(
        select(Batch)
        .where(Batch.kind == kind, Batch.finished_at.is_not(None))
        .order_by(Batch.as_of.desc(), Batch.id.desc())
        .limit(1)
    ).first()


def _summary(batch: Batch) -> str:
    p = batch.parameters or {}
    if batch.kind.startswith("bacs_"):
        applied, unmatched = p.get("applied", 0), p.get("unmatched", 0)
        return f"{p.get('items', 0)} items: {applied} applied, {unmatched} unmatched"
    if batch.kind.startswith("bank_"):
        matched, suspense = p.get("matched", 0), p.get("suspense", 0)
        return f"{p.get('receipts', 0)} receipts: {matched} matched, {suspense} to suspense"
    if batch.kind == "dd_run":
        return f"{p.get('scheduled', 0)} scheduled, {p.get('collected', 0)} collected"
    return ""


class Batches:
    """The list of imports and dd runs, and one batch's items."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def money_in(self, limit: int = 500) -> list[BatchLine]:
        """Bacs and bank imports and dd runs, newest first."""
        with self._db.sessions() as session:
            batches = session.scalars(
                select(Batch)
                .where(Batch.kind.in_((*IMPORT_KINDS, "dd_run")))
                .order_by(Batch.id.desc())
                .limit(limit)
            )
            return [
                BatchLine(
                    b.id,
                    _NAMES.get(b.kind, b.kind),
                    b.file_name or "",
                    b.as_of,
                    b.actor,
                    b.finished_at,
                    _summary(b),
                )
                for b in batches
            ]

    def items(self, batch_id: int) -> list[BatchItemLine]:
        """What became of each item of an imported file, in file order.

        Raises:
            NotFound: no such batch.
        """
        with self._db.sessions() as session:
            batch = session.get(Batch, batch_id)
            if batch is None:
                raise NotFound(f"no batch {batch_id}")
            if batch.kind.startswith("bank_"):
                receipts = session.execute(
                    select(BankReceipt, Account.reference)
                    .outerjoin(Account, Account.id == BankReceipt.account_id)
                    .where(BankReceipt.batch_id == batch_id)
                    .order_by(BankReceipt.id)
                )
                return [
                    BatchItemLine(
                        r.source,
                        r.reference,
                        r.payer,
                        r.amount,
                        r.rule.value,
                        r.status.value,
                        r.reason,
                        ref,
                    )
                    for r, ref in receipts
                ]
            items = session.execute(
                select(BacsItem, Account.reference)
                .outerjoin(Account, Account.id == BacsItem.account_id)
                .where(BacsItem.batch_id == batch_id)
                .order_by(BacsItem.id)
            )
            return [
                BatchItemLine(
                    f"line {i.line}" if i.line is not None else "",
                    i.reference,
                    i.payer_name,
                    i.amount,
                    i.code,
                    i.outcome,
                    i.detail,
                    ref,
                )
                for i, ref in items
            ]
