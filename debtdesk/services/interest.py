"""Late Payment Act interest on an account's invoices, as the runs charged it, and the
officer's waiver of an invoice's interest or compensation.

A waiver stops every later run charging that part on the invoice, and credits back what
was already posted for it, naming the invoice's latest interest invoice (so the credit
pays that first). It is recorded with its reason, once per part, and audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import InterestCharge, InterestWaiver, Invoice
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.roles import Permission
from debtdesk.services import audit, ledger
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.interest_run import COMPENSATION, INTEREST
from debtdesk.services.users import require

PARTS = {INTEREST: "interest", COMPENSATION: "compensation"}


@dataclass(frozen=True)
class InterestLine:
    """One invoice's Late Payment Act figures, as the latest run left them."""

    invoice_id: int
    number: str
    due: date
    amount: int
    reference_date: date
    rate: Decimal
    """The statutory rate, percent a year, fixed for the debt."""
    days: int
    """Days late at ``as_of``, the latest run's date."""
    as_of: date
    interest: int
    """Pence of interest charged so far (net of credits and waivers)."""
    compensation: int
    waived: tuple[str, ...]


def interest_lines(session: Session, account_id: int) -> list[InterestLine]:
    """Each of the account's invoices some interest run charged on, by due date."""
    charges: dict[int, list[InterestCharge]] = defaultdict(list)
    for charge in session.scalars(
        select(InterestCharge)
        .join(Invoice, Invoice.id == InterestCharge.invoice_id)
        .where(Invoice.account_id == account_id)
        .order_by(InterestCharge.id)
    ):
        charges[charge.invoice_id].append(charge)
    waivers: dict[int, list[InterestWaiver]] = defaultdict(list)
    for waiver in session.scalars(
        select(InterestWaiver).where(InterestWaiver.invoice_id.in_(list(charges)))
    ):
        waivers[waiver.invoice_id].append(waiver)
    lines = []
    for invoice in session.scalars(
        select(Invoice).where(Invoice.id.in_(list(charges))).order_by(Invoice.due_on, Invoice.id)
    ):
        made, last = charges[invoice.id], charges[invoice.id][-1]
        credited = {w.part: w.credited for w in waivers[invoice.id]}
        lines.append(
            InterestLine(
                invoice.id,
                invoice.number,
                invoice.due_on,
                invoice.amount,
                last.reference_date,
                Decimal(last.rate_bp) / 100,
                last.days,
                last.as_of,
                sum(c.interest for c in made) - credited.get(INTEREST, 0),
                sum(c.compensation for c in made) - credited.get(COMPENSATION, 0),
                tuple(sorted(credited)),
            )  # fmt: skip
        )
    return lines


class InterestWaivers:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[InterestLine]:
        with self._db.sessions() as session:
            get_account(session, account_id)
            return interest_lines(session, account_id)

    def waive(self, invoice_id: int, part: str, reason: str, on: date) -> int:
        """Waive the invoice's interest or compensation from now on, crediting back what
        was posted for it (effective ``on``); the waiver's id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such invoice.
            BadInput: an unknown part, no reason, or waived already.
        """
        if part not in PARTS:
            raise BadInput(f"{part!r}: waive the interest or the compensation")
        if not reason.strip():
            raise BadInput(f"say why the {part} is waived")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            invoice = session.get(Invoice, invoice_id)
            if invoice is None:
                raise NotFound(f"no invoice {invoice_id}")
            account = get_account(session, invoice.account_id)
            if session.scalar(
                select(InterestWaiver.id).where(
                    InterestWaiver.invoice_id == invoice_id, InterestWaiver.part == part
                )
            ):
                raise BadInput(f"the {part} on {invoice.number} is waived already")
            charges = list(
                session.scalars(
                    select(InterestCharge)
                    .where(InterestCharge.invoice_id == invoice_id)
                    .order_by(InterestCharge.id)
                )
            )
            posted = sum(c.interest if part == INTEREST else c.compensation for c in charges)
            waiver = InterestWaiver(
                invoice_id=invoice_id, part=part, reason=reason.strip(), credited=posted,
                actor=self._db.actor,
            )  # fmt: skip
            if posted > 0:
                entry = ledger.post_entry(
                    session, account.id, EntryKind.CREDIT, -posted, on,
                    source=EntrySource.USER, actor=self._db.actor,
                    description=f"{PARTS[part].capitalize()} on {invoice.number} waived: "
                    f"{reason.strip()}",
                )  # fmt: skip
                waiver.credit_entry_id = entry.id
                last = next(
                    (c.charge_invoice_id for c in reversed(charges) if c.charge_invoice_id), None
                )
                named = {entry.id: last} if last is not None else None
                ledger.allocate_accounts(session, [account.id], self._db.actor, named)
            session.add(waiver)
            session.flush()
            audit.record(
                session, self._db.actor, f"interest.waive_{part}", "account", account.reference,
                None, {"invoice": invoice.number, "credited": posted, "reason": waiver.reason},
            )  # fmt: skip
            return waiver.id
