"""services.charges: the charging facts read from the database, and the recalculation."""

from __future__ import annotations

from datetime import date

from debtdesk.db.models import CarePackage, FinancialAssessment
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.charging import Funding
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.periods import last_complete_period, period_containing
from debtdesk.services import ledger
from debtdesk.services.charges import recalculation
from debtdesk.services.database import Database
from debtdesk.services.demo import build_demo
from tests.services.support import new_account

FIRST = period_containing(date(2025, 3, 31))  # 31/03/2025 to 27/04/2025, the anchor period
SECOND = period_containing(date(2025, 4, 28))  # 28/04/2025 to 25/05/2025


def test_a_demo_caseload_leaves_nothing_to_recalculate(db: Database) -> None:
    as_of = date(2026, 11, 23)
    build_demo(db, accounts=120, seed=11, as_of=as_of)
    with db.sessions() as session:
        for account_id in range(1, 121):
            assert recalculation(session, account_id, last_complete_period(as_of)) == []


def test_a_backdated_assessment_credits_the_charged_period_and_charges_the_missed_one(
    db: Database,
) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "CH000001")
        s.add(
            FinancialAssessment(
                account_id=account,
                effective_from=date(2025, 3, 31),
                effective_to=None,
                weekly_contribution=7000,
            )
        )
        s.add(
            CarePackage(
                account_id=account,
                service="Home care",
                weekly_cost=10000,
                start_date=date(2025, 3, 31),
                end_date=None,
                funding=Funding.COUNCIL,
            )
        )
        s.flush()
        # Period 1: 28 days at min(£70, £100) = £70 a week: 28 × 70 / 7 = £280.00 due.
        [first] = recalculation(s, account, FIRST)
        assert (first.period, first.due, first.charged, first.difference) == (
            FIRST,
            28000,
            0,
            28000,
        )
        ledger.raise_invoice(
            s,
            account,
            InvoiceKind.STATEMENT,
            FIRST.statement_date,
            date(2025, 5, 12),
            [(EntryKind.CHARGE, 28000, FIRST.start, "Contribution")],
            source=EntrySource.RUN,
            actor="tester",
            period=(FIRST.start, FIRST.end),
        )
        assert recalculation(s, account, FIRST) == []

    with db.sessions.begin() as s:
        # A reassessment reported late: £35 a week from Monday 14 April 2025 (day 15).
        original = s.query(FinancialAssessment).filter_by(account_id=account).one()
        original.effective_to = date(2025, 4, 13)
        s.add(
            FinancialAssessment(
                account_id=account,
                effective_from=date(2025, 4, 14),
                effective_to=None,
                weekly_contribution=3500,
            )
        )
        s.flush()
        # Period 1 now: 14 days × £70/7 + 14 days × £35/7 = £140 + £70 = £210.00;
        # £280.00 was charged, so £70.00 is credited. Period 2, never charged:
        # 28 days × £35/7 = £140.00.
        differences = recalculation(s, account, SECOND)
        assert [(d.period, d.due, d.charged, d.difference) for d in differences] == [
            (FIRST, 21000, 28000, -7000),
            (SECOND, 14000, 0, 14000),
        ]
