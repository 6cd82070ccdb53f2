"""Payment plans through the service, worked by hand.

Arrears of £300.00 (one invoice). The plan: £100.00 a month from Mon 2 Mar 2026, due
2 Mar, 2 Apr and 2 May; a short instalment breaks it on due + 8 days (grace 7 days,
tolerance £1.00, the defaults).
"""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency, PlanStatus
from debtdesk.services import ledger
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.payment_plans import (
    PaymentPlans,
    PlanTerms,
    broken_counts,
    kept_plans,
    review_plans,
)
from tests.services.support import new_account

TERMS = PlanTerms(100_00, Frequency.MONTHLY, date(2026, 3, 2), 300_00, PaymentMethod.CARD)


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        account_id = new_account(s, "PP000001")
        ledger.raise_invoice(
            s, account_id, InvoiceKind.OPENING_BALANCE, date(2026, 1, 5), date(2026, 1, 19),
            [(EntryKind.CHARGE, 300_00, None, "Arrears brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account_id


def _pay(db: Database, account: int, on: date, pence: int) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, on, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


def test_a_plan_kept_then_broken_on_the_right_day(db: Database, account: int) -> None:
    plan_id = PaymentPlans(db).create(account, TERMS)
    _pay(db, account, date(2026, 3, 2), 100_00)
    _pay(db, account, date(2026, 4, 6), 100_00)  # 4 days late: inside the 7 days' grace
    # Nothing for 2 May: still kept on Sat 9 May (due + 7), broken on Sun 10 May.
    [plan] = PaymentPlans(db).for_account(account, date(2026, 5, 9))
    assert (plan.id, plan.status, plan.broken_on) == (plan_id, PlanStatus.ACTIVE, None)
    assert [(line.due, line.paid, line.outstanding) for line in plan.lines] == [
        (date(2026, 3, 2), 100_00, 0),
        (date(2026, 4, 2), 100_00, 0),
        (date(2026, 5, 2), 0, 100_00),
    ]
    with db.sessions() as s:
        assert kept_plans(s, [account], date(2026, 5, 9)) == {account}
        assert kept_plans(s, [account], date(2026, 5, 10)) == set()
    assert PaymentPlans(db).for_account(account, date(2026, 5, 10))[0].broken_on == date(
        2026, 5, 10
    )
    with db.sessions.begin() as s:
        assert review_plans(s, date(2026, 5, 9), "tester") == []
        assert review_plans(s, date(2026, 5, 10), "tester") == [
            (plan_id, account, PlanStatus.BROKEN, date(2026, 5, 10))
        ]
    [plan] = PaymentPlans(db).for_account(account, date(2026, 6, 1))
    assert (plan.status, plan.broken_on) == (PlanStatus.BROKEN, date(2026, 5, 10))
    with db.sessions() as s:
        assert broken_counts(s, [account]) == {account: 1}


def test_a_statement_during_the_plan_must_be_paid_too(db: Database, account: int) -> None:
    """A £50.00 statement issued 6 Apr, due 20 Apr: by Mon 27 Apr (due + 7) £250.00 must
    have come in (two instalments and the statement). Only £200.00 did: broken 28 Apr."""
    PaymentPlans(db).create(account, TERMS)
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.STATEMENT, date(2026, 4, 6), date(2026, 4, 20),
            [(EntryKind.CHARGE, 50_00, None, "Contribution")],
            source=EntrySource.RUN, actor="tester",
        )  # fmt: skip
    _pay(db, account, date(2026, 3, 2), 100_00)
    _pay(db, account, date(2026, 4, 2), 100_00)
    [plan] = PaymentPlans(db).for_account(account, date(2026, 4, 27))
    assert plan.broken_on is None
    assert [(line.kind, line.due, line.amount) for line in plan.lines] == [
        ("instalment", date(2026, 3, 2), 100_00),
        ("instalment", date(2026, 4, 2), 100_00),
        ("contribution", date(2026, 4, 20), 50_00),
        ("instalment", date(2026, 5, 2), 100_00),
    ]
    assert PaymentPlans(db).for_account(account, date(2026, 4, 28))[0].broken_on == date(
        2026, 4, 28
    )


def test_a_plan_paid_in_full_is_completed(db: Database, account: int) -> None:
    plan_id = PaymentPlans(db).create(account, TERMS)
    _pay(db, account, date(2026, 3, 6), 300_00)  # the lot, within the first one's grace
    with db.sessions.begin() as s:
        assert review_plans(s, date(2026, 3, 20), "tester") == [
            (plan_id, account, PlanStatus.COMPLETED, date(2026, 3, 6))
        ]


def test_paid_in_full_after_breaking_is_still_broken(db: Database, account: int) -> None:
    """Nothing by Mon 9 Mar (2 Mar + 7): broken on 10 Mar, whatever comes later."""
    plan_id = PaymentPlans(db).create(account, TERMS)
    _pay(db, account, date(2026, 3, 20), 300_00)
    with db.sessions.begin() as s:
        assert review_plans(s, date(2026, 3, 20), "tester") == [
            (plan_id, account, PlanStatus.BROKEN, date(2026, 3, 10))
        ]


def test_renegotiation_keeps_the_history(db: Database, account: int) -> None:
    first = PaymentPlans(db).create(account, TERMS)
    with pytest.raises(BadInput, match=f"plan {first} is active on this account"):
        PaymentPlans(db).create(account, TERMS)
    lower = PlanTerms(50_00, Frequency.MONTHLY, date(2026, 4, 1), 200_00, PaymentMethod.CARD)
    second = PaymentPlans(db).renegotiate(first, lower)
    plans = PaymentPlans(db).for_account(account, date(2026, 4, 1))
    assert [(p.id, p.status, p.replaces_id) for p in plans] == [
        (second, PlanStatus.ACTIVE, first),
        (first, PlanStatus.REPLACED, None),
    ]
    assert plans[1].ended_on == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("terms", "problem"),
    [
        (PlanTerms(0, Frequency.WEEKLY, date(2026, 3, 2), 100, PaymentMethod.CARD), "more than"),
        (PlanTerms(500, Frequency.WEEKLY, date(2026, 3, 2), 100, PaymentMethod.CARD),
         r"instalment \(£5.00\) is more than the arrears the plan covers \(£1.00\)"),
    ],
)  # fmt: skip
def test_bad_terms_are_refused(db: Database, account: int, terms: PlanTerms, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        PaymentPlans(db).create(account, terms)
    assert PaymentPlans(db).for_account(account, date(2026, 3, 2)) == []


def test_a_statement_issued_before_the_plan_but_due_after_it_is_an_ongoing_contribution(
    db: Database, account: int
) -> None:
    """A statement of £280.00 issued Mon 23 Feb, due Mon 9 Mar: not overdue when the plan
    starts on 2 Mar, so not among the arrears it covers. £100.00 paid on 2 Mar and
    £280.00 on 9 Mar pay instalment 1 and that statement; nothing is left for the
    instalment due 2 Apr, so the plan breaks on Fri 10 Apr (due + 7 days' grace + 1),
    not counted complete on £380.00 paid."""
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.STATEMENT, date(2026, 2, 23), date(2026, 3, 9),
            [(EntryKind.CHARGE, 280_00, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    PaymentPlans(db).create(account, TERMS)
    _pay(db, account, date(2026, 3, 2), 100_00)
    _pay(db, account, date(2026, 3, 9), 280_00)
    [plan] = PaymentPlans(db).for_account(account, date(2026, 4, 10))
    assert [(line.kind, line.due, line.amount, line.paid) for line in plan.lines] == [
        ("instalment", date(2026, 3, 2), 100_00, 100_00),
        ("contribution", date(2026, 3, 9), 280_00, 280_00),
        ("instalment", date(2026, 4, 2), 100_00, 0),
        ("instalment", date(2026, 5, 2), 100_00, 0),
    ]
    assert (plan.broken_on, plan.completed_on) == (date(2026, 4, 10), None)
