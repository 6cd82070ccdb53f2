"""What the charging rules need from the database, and what an account still owes them.

``charge_basis`` gathers an account's assessments, packages, date of death and the FNC
rate history into a :class:`~debtdesk.domain.charging.ChargeBasis`; ``charged_by_period``
sums what the ledger has charged for each period. ``recalculation`` compares the two
through :func:`~debtdesk.domain.charging.recalculate`: what a statement run would post.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, CarePackage, FinancialAssessment, FncRate, LedgerEntry
from debtdesk.domain import charging
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.limitation import LIMITATION_YEARS
from debtdesk.domain.periods import Period
from debtdesk.services.settings import period_anchor

# Entries that charge or credit a period: a statement's charge lines, and the credit a
# recalculation posts when a period now charges less than it did.
PERIOD_KINDS = (EntryKind.CHARGE, EntryKind.CREDIT)


def fnc_rates(session: Session) -> tuple[charging.RateChange, ...]:
    return tuple(
        charging.RateChange(rate.effective_from, rate.weekly)
        for rate in session.scalars(select(FncRate).order_by(FncRate.effective_from))
    )


def charge_basis(
    session: Session, account_id: int, rates: tuple[charging.RateChange, ...] | None = None
) -> charging.ChargeBasis:
    """The account's charging facts as they stand now."""
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    assessments = tuple(
        charging.Assessment(a.effective_from, a.effective_to, a.weekly_contribution)
        for a in session.scalars(
            select(FinancialAssessment).where(FinancialAssessment.account_id == account_id)
        )
    )
    packages = tuple(
        charging.CarePackage(p.start_date, p.end_date, p.weekly_cost, p.funding)
        for p in session.scalars(select(CarePackage).where(CarePackage.account_id == account_id))
    )
    return charging.ChargeBasis(
        assessments,
        packages,
        account.date_of_death,
        rates if rates is not None else fnc_rates(session),
    )


def charged_by_period(session: Session, account_id: int) -> dict[date, int]:
    """What the ledger has charged for each period start.

    Charges and the recalculation credits that name a period count together.
    """
    totals: dict[date, int] = defaultdict(int)
    for period_start, amount in session.execute(
        select(LedgerEntry.period_start, LedgerEntry.amount).where(
            LedgerEntry.account_id == account_id,
            LedgerEntry.kind.in_(PERIOD_KINDS),
            LedgerEntry.period_start.is_not(None),
        )
    ):
        totals[period_start] += amount
    return dict(totals)


def recalculation(
    session: Session, account_id: int, up_to: Period
) -> list[charging.PeriodDifference]:
    """Each period up to ``up_to`` where what is due now differs from what was charged."""
    return charging.recalculate(
        charge_basis(session, account_id),
        charged_by_period(session, account_id),
        up_to,
        earliest=up_to.statement_date - relativedelta(years=LIMITATION_YEARS),
        anchor=period_anchor(session),
    )
