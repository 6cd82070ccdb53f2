"""Everything a statement run needs to know about every account, read in a few queries.

A county has tens of thousands of accounts; reading them one by one would cost more
than rendering their statements. :func:`load_facts` reads each table once and hands
back one :class:`AccountFacts` per account, in postcode order (the print room's order).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select
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
    Statement,
)
from debtdesk.domain import charging
from debtdesk.domain.caseload import AccountStatus, MandateStatus
from debtdesk.domain.correspondence import Contact
from debtdesk.domain.correspondence import Representative as Rep
from debtdesk.domain.ledger import EntryKind, PaymentMethod
from debtdesk.domain.periods import PERIOD_DAYS, Period
from debtdesk.services.charges import PERIOD_KINDS


@dataclass(frozen=True)
class PreviousStatement:
    """The account's last statement: where the next one picks up."""

    statement_date: date
    closing_balance: int
    last_entry_id: int


@dataclass(frozen=True)
class Entry:
    """A ledger entry as a statement lists it."""

    id: int
    effective: date
    kind: EntryKind
    amount: int
    method: PaymentMethod | None
    description: str
    is_reversal: bool


@dataclass
class AccountFacts:
    """One account as the run sees it before posting anything."""

    id: int
    reference: str
    client: Contact
    deceased: bool
    terms_days: int
    balance: int
    date_of_death: date | None
    representatives: list[Rep] = field(default_factory=list)
    assessments: list[charging.Assessment] = field(default_factory=list)
    packages: list[charging.CarePackage] = field(default_factory=list)
    charged: dict[date, int] = field(default_factory=dict)
    previous: PreviousStatement | None = None
    recent: list[Entry] = field(default_factory=list)
    mandate: str | None = None
    outstanding: int = 0  # what its invoices still owe, all allocations counted

    @property
    def has_unallocated_credit(self) -> bool:
        """Credit not yet set against an invoice: the balance is below what invoices owe."""
        return self.balance < self.outstanding

    def basis(self, rates: tuple[charging.RateChange, ...]) -> charging.ChargeBasis:
        return charging.ChargeBasis(
            tuple(self.assessments), tuple(self.packages), self.date_of_death, rates
        )

    def cutoff(self, period: Period) -> tuple[date, int | None]:
        """Entries on or before this date (and up to this id) were on the last statement.

        With no statement yet, the account starts as if it had one on the previous
        period's statement date.
        """
        if self.previous is None:
            return period.statement_date - timedelta(days=PERIOD_DAYS), None
        return self.previous.statement_date, self.previous.last_entry_id

    def since_last_statement(self, period: Period) -> list[Entry]:
        """Entries effective by the statement date that no earlier statement showed."""
        cut_date, cut_id = self.cutoff(period)
        return [
            e
            for e in self.recent
            if e.effective <= period.statement_date
            and (e.effective > cut_date or (cut_id is not None and e.id > cut_id))
        ]

    def brought_forward(self, period: Period) -> int:
        """The last statement's closing balance, or the balance at the cutoff date."""
        if self.previous is not None:
            return self.previous.closing_balance
        cut_date, _ = self.cutoff(period)
        return self.balance - sum(e.amount for e in self.recent if e.effective > cut_date)


def load_facts(session: Session, period: Period) -> list[AccountFacts]:
    """Every account's facts for a run for ``period``, in postcode then reference order."""
    accounts: dict[int, AccountFacts] = {}
    for row in session.execute(
        select(
            Account.id,
            Account.reference,
            Account.client_name,
            Account.address,
            Account.postcode,
            Account.status,
            Account.date_of_death,
            Account.balance,
            CustomerType.payment_terms_days,
        )
        .join(CustomerType, CustomerType.id == Account.customer_type_id)
        .order_by(Account.postcode, Account.reference)
    ):
        accounts[row.id] = AccountFacts(
            id=row.id,
            reference=row.reference,
            client=Contact(row.client_name, row.address, row.postcode),
            deceased=row.status == AccountStatus.DECEASED or row.date_of_death is not None,
            terms_days=row.payment_terms_days,
            balance=row.balance,
            date_of_death=row.date_of_death,
        )
    # Columns, not ORM objects: a county has over a hundred thousand of these rows.
    for account_id, *rep in session.execute(
        select(
            Representative.account_id,
            Representative.name,
            Representative.role,
            Representative.address,
            Representative.receives_correspondence,
        ).order_by(Representative.id)
    ):
        accounts[account_id].representatives.append(Rep(*rep))
    for account_id, *assessment in session.execute(
        select(
            FinancialAssessment.account_id,
            FinancialAssessment.effective_from,
            FinancialAssessment.effective_to,
            FinancialAssessment.weekly_contribution,
        ).order_by(FinancialAssessment.id)
    ):
        accounts[account_id].assessments.append(charging.Assessment(*assessment))
    for account_id, *package in session.execute(
        select(
            CarePackage.account_id,
            CarePackage.start_date,
            CarePackage.end_date,
            CarePackage.weekly_cost,
            CarePackage.funding,
        ).order_by(CarePackage.id)
    ):
        accounts[account_id].packages.append(charging.CarePackage(*package))
    charged: dict[int, dict[date, int]] = defaultdict(dict)
    for account_id, period_start, total in session.execute(
        select(LedgerEntry.account_id, LedgerEntry.period_start, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.kind.in_(PERIOD_KINDS), LedgerEntry.period_start.is_not(None))
        .group_by(LedgerEntry.account_id, LedgerEntry.period_start)
    ):
        charged[account_id][period_start] = int(total)
    for account_id, by_period in charged.items():
        accounts[account_id].charged = by_period
    for account_id, total in session.execute(
        select(Invoice.account_id, func.sum(Invoice.amount)).group_by(Invoice.account_id)
    ):
        accounts[account_id].outstanding += int(total)
    for account_id, total in session.execute(
        select(Allocation.account_id, func.sum(Allocation.amount)).group_by(Allocation.account_id)
    ):
        accounts[account_id].outstanding -= int(total)
    _previous_statements(session, accounts)
    _recent_entries(session, accounts, period)
    for account_id, reference in session.execute(
        select(Mandate.account_id, Mandate.reference).where(Mandate.status == MandateStatus.LIVE)
    ):
        accounts[account_id].mandate = reference
    return list(accounts.values())


def _previous_statements(session: Session, accounts: dict[int, AccountFacts]) -> None:
    latest = (
        select(Statement.account_id, func.max(Statement.period_start).label("period_start"))
        .group_by(Statement.account_id)
        .subquery()
    )
    for account_id, statement_date, closing, last_entry_id in session.execute(
        select(
            Statement.account_id,
            Statement.statement_date,
            Statement.closing_balance,
            Statement.last_entry_id,
        ).join(
            latest,
            (latest.c.account_id == Statement.account_id)
            & (latest.c.period_start == Statement.period_start),
        )
    ):
        accounts[account_id].previous = PreviousStatement(statement_date, closing, last_entry_id)


def _recent_entries(session: Session, accounts: dict[int, AccountFacts], period: Period) -> None:
    """Entries any account's next statement may show, and those after a cutoff date."""
    cutoffs = [facts.cutoff(period) for facts in accounts.values()]
    if not cutoffs:
        return
    earliest = min(cut_date for cut_date, _ in cutoffs)
    ids = [cut_id for _, cut_id in cutoffs if cut_id is not None]
    condition = LedgerEntry.effective_date > earliest
    if ids:
        condition = or_(condition, LedgerEntry.id > min(ids))
    for row in session.execute(
        select(
            LedgerEntry.id,
            LedgerEntry.account_id,
            LedgerEntry.effective_date,
            LedgerEntry.kind,
            LedgerEntry.amount,
            LedgerEntry.method,
            LedgerEntry.description,
            LedgerEntry.reverses_id,
        )
        .where(condition)
        .order_by(LedgerEntry.effective_date, LedgerEntry.id)
    ):
        accounts[row.account_id].recent.append(
            Entry(
                row.id,
                row.effective_date,
                row.kind,
                row.amount,
                row.method,
                row.description,
                row.reverses_id is not None,
            )
        )
