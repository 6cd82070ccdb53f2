"""Unallocated cash: the suspense worklist, and allocating, splitting or refunding a receipt.

A receipt nobody could place waits in suspense. An officer resolves all of what remains of
it in one action: to one account (optionally naming the invoice it pays), split across
accounts, or refunded to the payer (in whole, or as one part of a split). Each part is a
:class:`SuspenseAction`; a part to an account is also a payment entry on that account,
effective on the day the money was received. Every action is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    BankReceipt,
    Batch,
    Invoice,
    SuspenseAction,
)
from debtdesk.domain.ledger import EntrySource, PaymentMethod
from debtdesk.domain.money import format_pounds
from debtdesk.domain.receipts import MatchRule, ReceiptStatus, SuspenseActionKind
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.postings import Postings
from debtdesk.services.users import require


@dataclass(frozen=True)
class SuspenseLine:
    id: int
    received_on: date
    amount: int
    remaining: int
    reference: str
    payer: str
    bank_reference: str
    reason: str
    """Why it could not be matched."""
    batch: int
    file_name: str
    source: str
    """Where in the file: ``line 12`` or ``Stmt[1]/Ntry[3]``."""


@dataclass(frozen=True)
class Part:
    """One part of a resolution: to an account (optionally an invoice), or a refund."""

    amount: int
    account_ref: str | None = None
    invoice_number: str | None = None

    @property
    def is_refund(self) -> bool:
        return self.account_ref is None


@dataclass(frozen=True)
class SuspenseActionLine:
    kind: str
    amount: int
    account_ref: str | None
    invoice_number: str | None
    note: str
    actor: str
    effective_date: date


def remaining(session: Session, receipt: BankReceipt) -> int:
    """What of a receipt in suspense is not yet allocated or refunded."""
    used = session.scalar(
        select(func.coalesce(func.sum(SuspenseAction.amount), 0)).where(
            SuspenseAction.receipt_id == receipt.id
        )
    )
    return receipt.amount - int(used or 0)


class Suspense:
    """The unallocated-cash worklist and its actions, for the GUI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def worklist(self) -> list[SuspenseLine]:
        """Receipts still in suspense, oldest first."""
        with self._db.sessions() as session:
            rows = session.execute(
                select(BankReceipt, Batch.file_name)
                .join(Batch, Batch.id == BankReceipt.batch_id)
                .where(BankReceipt.status == ReceiptStatus.SUSPENSE)
                .order_by(BankReceipt.received_on, BankReceipt.id)
            ).all()
            return [
                SuspenseLine(
                    r.id,
                    r.received_on,
                    r.amount,
                    remaining(session, r),
                    r.reference,
                    r.payer,
                    r.bank_reference,
                    r.reason,
                    r.batch_id,
                    file_name or "",
                    r.source,
                )
                for r, file_name in rows
            ]

    def history(self, receipt_id: int) -> list[SuspenseActionLine]:
        """What officers did with a receipt."""
        with self._db.sessions() as session:
            rows = session.execute(
                select(SuspenseAction, Account.reference, Invoice.number)
                .outerjoin(Account, Account.id == SuspenseAction.account_id)
                .outerjoin(Invoice, Invoice.id == SuspenseAction.invoice_id)
                .where(SuspenseAction.receipt_id == receipt_id)
                .order_by(SuspenseAction.id)
            ).all()
            return [
                SuspenseActionLine(
                    a.kind.value, a.amount, ref, number, a.note, a.actor, a.effective_date
                )
                for a, ref, number in rows
            ]

    def allocate(
        self, receipt_id: int, account_ref: str, invoice_number: str | None = None, note: str = ""
    ) -> None:
        """All that remains of a receipt to one account (and the invoice it names, if any)."""
        self.resolve(receipt_id, None, note, account_ref=account_ref, invoice=invoice_number)

    def refund(self, receipt_id: int, note: str) -> None:
        """Pay all that remains of a receipt back to the payer."""
        if not note.strip():
            raise BadInput("say why the receipt is refunded and how (the payer's bank details)")
        self.resolve(receipt_id, None, note, refund=True)

    def split(self, receipt_id: int, parts: Sequence[Part], note: str = "") -> None:
        """Resolve a receipt in parts that add up to what remains of it."""
        if len(parts) < 2:
            raise BadInput("a split has at least two parts")
        self.resolve(receipt_id, parts, note)

    def resolve(
        self,
        receipt_id: int,
        parts: Sequence[Part] | None,
        note: str,
        *,
        account_ref: str | None = None,
        invoice: str | None = None,
        refund: bool = False,
    ) -> None:
        """One officer action on a receipt in suspense, whole or not at all.

        Raises:
            NotFound: no such receipt, account or invoice.
            BadInput: the receipt is not in suspense, the parts do not add up to what
                remains, a part is not more than zero, or an invoice is another account's.
        """
        actor = self._db.actor
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            receipt = session.get(BankReceipt, receipt_id, with_for_update=True)
            if receipt is None:
                raise NotFound(f"no receipt {receipt_id}")
            if receipt.status is not ReceiptStatus.SUSPENSE:
                raise BadInput(f"receipt {receipt_id} is not in suspense ({receipt.status.value})")
            left = remaining(session, receipt)
            if parts is None:
                parts = [Part(left, None if refund else account_ref, invoice)]
            _check_parts(parts, left)
            batch = Batch(
                kind="suspense",
                as_of=receipt.received_on,
                actor=actor,
                parameters={"receipt": receipt_id},
            )
            session.add(batch)
            session.flush()
            postings = Postings(batch.id, actor, EntrySource.USER)
            actions: list[tuple[SuspenseAction, int | None]] = []
            for part in parts:
                action = SuspenseAction(
                    receipt_id=receipt.id,
                    kind=SuspenseActionKind.REFUND
                    if part.is_refund
                    else SuspenseActionKind.ALLOCATE,
                    amount=part.amount,
                    effective_date=receipt.received_on,
                    note=note.strip(),
                    actor=actor,
                )
                staged = None
                if not part.is_refund:
                    account_id, invoice_id = _target(session, part)
                    action.account_id, action.invoice_id = account_id, invoice_id
                    staged = postings.payment(
                        account_id,
                        part.amount,
                        receipt.received_on,
                        PaymentMethod.BANK_TRANSFER,
                        reference=receipt.reference,
                        description="Bank payment allocated from suspense"
                        + (f" ({receipt.payer})" if receipt.payer else ""),
                        invoice_id=invoice_id,
                    )
                actions.append((action, staged))
            ids = postings.post(session)
            for action, staged in actions:
                if staged is not None:
                    action.entry_id = ids[staged]
                session.add(action)
            receipt.status = ReceiptStatus.RESOLVED
            receipt.rule = MatchRule.OFFICER
            if len(parts) == 1 and not parts[0].is_refund:
                receipt.account_id = actions[0][0].account_id
                receipt.entry_id = actions[0][0].entry_id
            session.flush()
            audit.record(
                session,
                actor,
                "suspense.resolve",
                "bank_receipt",
                receipt.id,
                {"status": "suspense", "remaining": left},
                {
                    "status": "resolved",
                    "parts": [
                        {
                            "kind": a.kind.value,
                            "amount": a.amount,
                            "account": p.account_ref,
                            "invoice": p.invoice_number,
                        }
                        for (a, _), p in zip(actions, parts, strict=True)
                    ],
                    "note": note.strip(),
                },
            )


def _check_parts(parts: Sequence[Part], left: int) -> None:
    for number, part in enumerate(parts, start=1):
        if part.amount <= 0:
            raise BadInput(f"part {number}: the amount must be more than zero")
    total = sum(part.amount for part in parts)
    if total != left:
        raise BadInput(
            f"the parts add up to {format_pounds(total)} but {format_pounds(left)} "
            "remains of the receipt; they must match"
        )


def _target(session: Session, part: Part) -> tuple[int, int | None]:
    reference = (part.account_ref or "").strip().upper()
    account_id = session.scalar(select(Account.id).where(Account.reference == reference))
    if account_id is None:
        raise NotFound(f"no account {reference!r}")
    if not part.invoice_number:
        return account_id, None
    number = part.invoice_number.strip().upper()
    invoice = session.scalar(select(Invoice).where(Invoice.number == number))
    if invoice is None:
        raise NotFound(f"no invoice {number!r}")
    if invoice.account_id != account_id:
        raise BadInput(f"invoice {number} is not on account {reference}")
    return account_id, invoice.id
