"""``debtdesk interest run --as-of D``: Late Payment Act interest and compensation posted
on the overdue invoices of the customer types that attract it (domain.interest).

One transaction, one at a time, never back-dated; a second run for the same date does
nothing new (CLI.md). For each invoice of an interest-bearing customer type that fell due
before D (a statement's, an opening balance, a sundry debt; never an interest invoice),
within the last six years, and not before the team's ``interest.charge_from`` date when
it set one (so switching interest on does not bill years of settled invoices):

* the interest from the day after its due date to D, over the stretches between what
  was paid on it (allocations, by their dates), at the statutory rate fixed by its due
  date, rounded once; less what earlier runs posted on it. So interest stops growing once
  the invoice is paid and stays owed (claimable for six years);
* the fixed compensation, once, when it is first late;
* neither part once an officer has waived it.

What is due is raised as an interest invoice naming the invoice, a line for the interest
(with its rate and days) and one for the compensation, issued on D and payable on the
customer type's terms. A back-dated payment that cut the accrual below what was posted is
credited back against the invoice's interest. Each invoice's figures are kept
(``interest_charges``) for the account view and the statements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Allocation,
    Batch,
    CustomerType,
    InterestCharge,
    InterestWaiver,
    Invoice,
)
from debtdesk.db.types import utcnow
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.interest import compensation, exact_interest, statutory_rate, stretches
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.limitation import LIMITATION_YEARS
from debtdesk.domain.money import format_pounds, round_half_up
from debtdesk.domain.roles import Permission
from debtdesk.services import ledger, run_lock
from debtdesk.services.bank_rates import bank_rate_history
from debtdesk.services.batches import last_finished
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.settings import get_setting
from debtdesk.services.sql import chunks
from debtdesk.services.users import require

RUN_KIND = "interest_run"
LOCK = "interest run"
INTEREST, COMPENSATION = "interest", "compensation"


@dataclass(frozen=True)
class InterestRunResult:
    as_of: date
    invoices: int
    """Invoices something was posted on."""
    interest: int
    """Pence of interest posted (net of any credit for back-dated payments)."""
    compensation: int
    unknown_rates: int = 0
    """Invoices whose reference date is after the day the Bank Rate history is known to."""
    message: str = ""


def percent(value: Decimal) -> str:
    """``Decimal("11.75")`` -> ``11.75%``."""
    return f"{value.quantize(Decimal('0.01'))}%"


def describe(result: InterestRunResult) -> str:
    """One line for the CLI and the GUI."""
    text = (
        f"interest run for {result.as_of:%d/%m/%Y}: {result.invoices} invoice(s), interest "
        f"{format_pounds(result.interest)}, compensation {format_pounds(result.compensation)}"
    )
    return f"{text}; {result.message}" if result.message else text


def limitation_start(as_of: date) -> date:
    """Invoices due before this are past the six years in which interest can be claimed
    (FACTS.md §1.1 "Claim period"): a run does not start charging them."""
    return as_of - relativedelta(years=LIMITATION_YEARS)


class InterestRuns:
    def __init__(self, db: Database) -> None:
        self._db = db

    def run(self, as_of: date) -> InterestRunResult:
        """Post the interest and compensation due at ``as_of``.

        Raises:
            NotAllowed: the login may not run batches.
            BadInput: a run for a later date was made already, another run is going, or
                the Bank Rate history has no rate for a debt's reference date.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.RUN_BATCHES)
            run_lock.acquire(session, LOCK)
            last = last_finished(session, RUN_KIND)
            if last is not None and last.as_of is not None and last.as_of >= as_of:
                if last.as_of > as_of:
                    raise BadInput(
                        f"the last interest run was for {last.as_of:%d/%m/%Y}; a run for an "
                        f"earlier date ({as_of:%d/%m/%Y}) cannot be made"
                    )
                return InterestRunResult(
                    as_of, 0, 0, 0, 0, f"the run for {as_of:%d/%m/%Y} was made already"
                )
            batch = Batch(kind=RUN_KIND, as_of=as_of, parameters={}, actor=self._db.actor)
            session.add(batch)
            session.flush()
            result = _Run(session, batch, self._db.actor).post(as_of)
            batch.parameters = {
                "invoices": result.invoices,
                "interest": result.interest,
                "compensation": result.compensation,
                "unknown_rates": result.unknown_rates,
            }
            batch.finished_at = utcnow()
            return result


class _Run:
    def __init__(self, session: Session, batch: Batch, actor: str) -> None:
        self.session, self.batch, self.actor = session, batch, actor
        self.history = bank_rate_history(session)

    def post(self, as_of: date) -> InterestRunResult:
        session = self.session
        start = get_setting(session, "interest.charge_from")
        since = [Invoice.due_on >= date.fromisoformat(start)] if start else []
        rows = session.execute(
            select(Invoice, CustomerType.payment_terms_days)
            .join(Account, Account.id == Invoice.account_id)
            .join(CustomerType, CustomerType.id == Account.customer_type_id)
            .where(
                CustomerType.late_payment_interest.is_(True),
                Invoice.kind != InvoiceKind.INTEREST,
                Invoice.amount > 0,
                Invoice.due_on < as_of,
                Invoice.due_on >= limitation_start(as_of),
                *since,
            )
            .order_by(Invoice.account_id, Invoice.due_on, Invoice.id)
        ).all()
        ids = [invoice.id for invoice, _ in rows]
        paid, posted, waived = self._paid(ids, as_of), self._posted(ids), self._waived(ids)
        count = interest_total = compensation_total = unknown = 0
        accounts: set[int] = set()
        for invoice, terms in rows:
            try:
                rate = statutory_rate(self.history, invoice.due_on)
            except ValueError as exc:
                raise BadInput(f"invoice {invoice.number}: {exc}; nothing was posted") from None
            late = stretches(invoice.amount, invoice.due_on, paid[invoice.id], as_of)
            accrued = round_half_up(exact_interest(late, rate.rate))
            interest_so_far, compensation_so_far, last_charge = posted[invoice.id]
            interest = 0 if INTEREST in waived[invoice.id] else accrued - interest_so_far
            fixed = (
                compensation(invoice.amount)
                if not compensation_so_far and COMPENSATION not in waived[invoice.id]
                else 0
            )
            if not interest and not fixed:
                continue
            days = sum(part.days for part in late)
            charge = InterestCharge(
                invoice_id=invoice.id,
                batch_id=self.batch.id,
                as_of=as_of,
                reference_date=rate.reference_date,
                bank_rate_bp=int(rate.bank_rate * 100),
                rate_bp=int(rate.rate * 100),
                days=days,
                accrued=accrued,
                interest=interest,
                compensation=fixed,
            )
            what = f"{days} days late at {percent(rate.rate)} a year"
            lines: list[tuple[EntryKind, int, date | None, str]] = []
            if interest > 0:
                lines.append(
                    (EntryKind.INTEREST, interest, None,
                     f"{invoice.number}, {what} (Late Payment Act)")
                )  # fmt: skip
            if fixed:
                lines.append(
                    (EntryKind.COMPENSATION, fixed, None,
                     f"{invoice.number}, the fixed sum (Late Payment Act)")
                )  # fmt: skip
            if lines:
                raised = ledger.raise_invoice(
                    session, invoice.account_id, InvoiceKind.INTEREST, as_of,
                    as_of + timedelta(days=terms), lines, source=EntrySource.RUN,
                    actor=self.actor, batch_id=self.batch.id,
                )  # fmt: skip
                charge.charge_invoice_id = raised.id
            if interest < 0:
                self._credit(invoice, -interest, as_of, what, last_charge)
            session.add(charge)
            accounts.add(invoice.account_id)
            count += 1
            interest_total += interest
            compensation_total += fixed
            unknown += not rate.known
        session.flush()
        ledger.allocate_accounts(session, accounts, self.actor)
        warning = (
            f"{unknown} invoice(s) use a reference date after {self.history.known_to:%d/%m/%Y}, "
            "the day the Bank Rate history is known to: check for newer Bank Rate decisions"
            if unknown
            else ""
        )
        return InterestRunResult(as_of, count, interest_total, compensation_total, unknown, warning)

    def _credit(
        self, invoice: Invoice, amount: int, as_of: date, what: str, last: int | None
    ) -> None:
        """Credit back interest a back-dated payment means was never owed."""
        entry = ledger.post_entry(
            self.session, invoice.account_id, EntryKind.CREDIT, -amount, as_of,
            source=EntrySource.RUN, actor=self.actor, batch_id=self.batch.id,
            description=f"Interest on {invoice.number} recalculated, {what}: a payment "
            "recorded since was back-dated",
        )  # fmt: skip
        if last is not None:
            ledger.allocate_accounts(
                self.session, [invoice.account_id], self.actor, {entry.id: last}
            )

    def _paid(self, ids: list[int], as_of: date) -> dict[int, list[tuple[date, int]]]:
        paid: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for chunk in chunks(ids):
            for invoice_id, day, amount in self.session.execute(
                select(Allocation.invoice_id, Allocation.effective_date, Allocation.amount).where(
                    Allocation.invoice_id.in_(chunk), Allocation.effective_date <= as_of
                )
            ).tuples():
                paid[invoice_id].append((day, amount))
        return paid

    def _posted(self, ids: list[int]) -> dict[int, tuple[int, int, int | None]]:
        """(interest posted, compensation posted, the last interest invoice) per invoice."""
        posted: dict[int, tuple[int, int, int | None]] = defaultdict(lambda: (0, 0, None))
        for chunk in chunks(ids):
            for invoice_id, interest, fixed, last in self.session.execute(
                select(
                    InterestCharge.invoice_id,
                    func.sum(InterestCharge.interest),
                    func.sum(InterestCharge.compensation),
                    func.max(InterestCharge.charge_invoice_id),
                )
                .where(InterestCharge.invoice_id.in_(chunk))
                .group_by(InterestCharge.invoice_id)
            ).tuples():
                posted[invoice_id] = (int(interest), int(fixed), last)
        return posted

    def _waived(self, ids: list[int]) -> dict[int, set[str]]:
        waived: dict[int, set[str]] = defaultdict(set)
        for chunk in chunks(ids):
            for invoice_id, part in self.session.execute(
                select(InterestWaiver.invoice_id, InterestWaiver.part).where(
                    InterestWaiver.invoice_id.in_(chunk)
                )
            ).tuples():
                waived[invoice_id].add(part)
        return waived
