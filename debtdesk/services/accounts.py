"""One account as at a date: balance, aged debt, invoices, ledger, assessments, packages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Allocation,
    CarePackage,
    CustomerType,
    FinancialAssessment,
    Invoice,
    LedgerEntry,
    Mandate,
    Representative,
    User,
)
from debtdesk.domain.ageing import age
from debtdesk.domain.direct_debit import mask_digits
from debtdesk.services.database import Database
from debtdesk.services.errors import NotFound


@dataclass(frozen=True)
class RepresentativeLine:
    name: str
    role: str
    address: str
    phone: str
    email: str
    receives_correspondence: bool
    authority_checked_on: date | None


@dataclass(frozen=True)
class LedgerLine:
    id: int
    effective_date: date
    posted_on: date
    kind: str
    description: str
    reference: str
    method: str
    invoice: str
    amount: int
    running_balance: int
    reverses_id: int | None


@dataclass(frozen=True)
class InvoiceLine:
    id: int
    number: str
    kind: str
    issued: date
    due: date
    amount: int
    outstanding: int
    period_start: date | None
    period_end: date | None
    days_overdue: int


@dataclass(frozen=True)
class AssessmentLine:
    effective_from: date
    effective_to: date | None
    weekly_contribution: int
    reason: str


@dataclass(frozen=True)
class PackageLine:
    service: str
    provider: str
    weekly_cost: int
    start: date
    end: date | None
    funding: str


@dataclass(frozen=True)
class MandateLine:
    reference: str
    status: str
    payer_name: str
    sort_code_masked: str
    account_number_masked: str


@dataclass(frozen=True)
class AccountDetail:
    """Everything the account view's tabs and ``account show`` need, as at ``as_of``."""

    id: int
    reference: str
    name: str
    date_of_birth: date | None
    address: str
    postcode: str
    social_care_client_id: str
    care_setting: str
    status: str
    date_of_death: date | None
    officer: str
    customer_type: str
    customer_type_name: str
    flags: tuple[str, ...]
    as_of: date
    balance: int
    unallocated: int
    aged: dict[str, int]
    representatives: tuple[RepresentativeLine, ...]
    ledger: tuple[LedgerLine, ...]
    invoices: tuple[InvoiceLine, ...]
    assessments: tuple[AssessmentLine, ...]
    packages: tuple[PackageLine, ...]
    mandate: MandateLine | None

    @property
    def open_invoices(self) -> tuple[InvoiceLine, ...]:
        return tuple(inv for inv in self.invoices if inv.outstanding != 0)


def _ledger(session: Session, account_id: int, as_of: date) -> tuple[list[LedgerLine], int, int]:
    """Entries effective by ``as_of``, running balance; the balance; the part outside invoices."""
    rows = session.execute(
        select(LedgerEntry, Invoice.number)
        .outerjoin(Invoice, Invoice.id == LedgerEntry.invoice_id)
        .where(LedgerEntry.account_id == account_id, LedgerEntry.effective_date <= as_of)
        .order_by(LedgerEntry.effective_date, LedgerEntry.id)
    ).all()
    lines: list[LedgerLine] = []
    running = 0
    outside_invoices = 0
    for entry, number in rows:
        running += entry.amount
        if entry.invoice_id is None:
            outside_invoices += entry.amount
        lines.append(
            LedgerLine(
                entry.id,
                entry.effective_date,
                entry.posted_at.date(),
                entry.kind.value,
                entry.description,
                entry.reference,
                entry.method.value if entry.method else "",
                number or "",
                entry.amount,
                running,
                entry.reverses_id,
            )
        )
    return lines, running, outside_invoices


def _invoices(session: Session, account_id: int, as_of: date) -> tuple[list[InvoiceLine], int]:
    """Invoices raised by ``as_of`` with their outstanding amounts; the total allocated."""
    amounts: dict[int, int] = defaultdict(int)
    for invoice_id, amount in session.execute(
        select(LedgerEntry.invoice_id, LedgerEntry.amount).where(
            LedgerEntry.account_id == account_id,
            LedgerEntry.invoice_id.is_not(None),
            LedgerEntry.effective_date <= as_of,
        )
    ):
        amounts[invoice_id] += amount
    allocated: dict[int, int] = defaultdict(int)
    for invoice_id, amount in session.execute(
        select(Allocation.invoice_id, Allocation.amount).where(
            Allocation.account_id == account_id, Allocation.effective_date <= as_of
        )
    ):
        allocated[invoice_id] += amount
    invoices = session.scalars(
        select(Invoice)
        .where(Invoice.account_id == account_id, Invoice.id.in_(list(amounts)))
        .order_by(Invoice.due_on, Invoice.number)
    ).all()
    lines = [
        InvoiceLine(
            inv.id,
            inv.number,
            inv.kind.value,
            inv.issued_on,
            inv.due_on,
            amounts[inv.id],
            amounts[inv.id] - allocated[inv.id],
            inv.period_start,
            inv.period_end,
            max(0, (as_of - inv.due_on).days),
        )
        for inv in invoices
    ]
    return lines, sum(allocated.values())


def account_detail(session: Session, reference: str, as_of: date) -> AccountDetail:
    """The account with this reference as at ``as_of`` (entries effective on or before it).

    Raises:
        NotFound: no account has this reference.
    """
    account = session.scalar(select(Account).where(Account.reference == reference.strip().upper()))
    if account is None:
        raise NotFound(f"no account with reference {reference!r}")
    return _detail(session, account, as_of)


def get_account(session: Session, account_id: int) -> Account:
    """The account with this id.

    Raises:
        NotFound: there is none.
    """
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account with id {account_id}")
    return account


def account_detail_by_id(session: Session, account_id: int, as_of: date) -> AccountDetail:
    """Like :func:`account_detail`, by the account's id (the caseload table's rows)."""
    return _detail(session, get_account(session, account_id), as_of)


def _detail(session: Session, account: Account, as_of: date) -> AccountDetail:
    ledger, balance, outside_invoices = _ledger(session, account.id, as_of)
    invoices, allocated = _invoices(session, account.id, as_of)
    officer = session.get(User, account.officer_id) if account.officer_id else None
    ctype = session.get(CustomerType, account.customer_type_id)
    assert ctype is not None
    mandate = session.scalars(
        select(Mandate).where(Mandate.account_id == account.id).order_by(Mandate.id.desc())
    ).first()
    reps = session.scalars(
        select(Representative).where(Representative.account_id == account.id)
    ).all()
    assessments = session.scalars(
        select(FinancialAssessment)
        .where(FinancialAssessment.account_id == account.id)
        .order_by(FinancialAssessment.effective_from, FinancialAssessment.id)
    ).all()
    packages = session.scalars(
        select(CarePackage)
        .where(CarePackage.account_id == account.id)
        .order_by(CarePackage.start_date, CarePackage.id)
    ).all()
    return AccountDetail(
        id=account.id,
        reference=account.reference,
        name=account.client_name,
        date_of_birth=account.date_of_birth,
        address=account.address,
        postcode=account.postcode,
        social_care_client_id=account.social_care_client_id or "",
        care_setting=account.care_setting.value if account.care_setting else "",
        status=account.status.value,
        date_of_death=account.date_of_death,
        officer=officer.display_name if officer else "",
        customer_type=ctype.code,
        customer_type_name=ctype.name,
        flags=tuple(account.flags or ()),
        as_of=as_of,
        balance=balance,
        unallocated=outside_invoices + allocated,
        aged=age(((inv.due, inv.outstanding) for inv in invoices if inv.outstanding), as_of),
        representatives=tuple(
            RepresentativeLine(
                r.name,
                r.role.value,
                r.address,
                r.phone,
                r.email,
                r.receives_correspondence,
                r.authority_checked_on,
            )
            for r in reps
        ),
        ledger=tuple(ledger),
        invoices=tuple(invoices),
        assessments=tuple(
            AssessmentLine(a.effective_from, a.effective_to, a.weekly_contribution, a.reason)
            for a in assessments
        ),
        packages=tuple(
            PackageLine(
                p.service, p.provider, p.weekly_cost, p.start_date, p.end_date, p.funding.value
            )
            for p in packages
        ),
        mandate=(
            MandateLine(
                mandate.reference,
                mandate.status.value,
                mandate.payer_name,
                mask_digits(mandate.sort_code),
                mask_digits(mandate.account_number),
            )
            if mandate
            else None
        ),
    )


class Accounts:
    """Account look-ups for the GUI and the CLI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def detail(self, reference: str, as_of: date) -> AccountDetail:
        with self._db.sessions() as session:
            return account_detail(session, reference, as_of)

    def detail_by_id(self, account_id: int, as_of: date) -> AccountDetail:
        with self._db.sessions() as session:
            return account_detail_by_id(session, account_id, as_of)
