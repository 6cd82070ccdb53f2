"""Payment plans paid by direct debit: the dd run collects their instalments, worked by hand.

The client owes £300.00 of arrears (an opening balance due Mon 19/10/2026). The mandate
is set up on 02/11 and lodged by a run on Mon 30/11/2026: its 0N is processed (lodged)
on Tue 01/12/2026. The plan is agreed on Mon 30/11/2026: £100.00 a month from Mon
07/12/2026, due 07/12/2026, Thu 07/01/2027 and Sun 07/02/2027.

The plan's schedule is the advance notice (FACTS.md §5.4), counted from the later of the
agreement and the lodging (Tue 01/12): 10 working days on is Tue 15/12/2026 (02-04,
07-11, 14, 15). So the instalments are collected on:

    1  due Mon 07/12/2026 -> Tue 15/12/2026 (the notice period), processed Mon 14/12
    2  due Thu 07/01/2027 -> Thu 07/01/2027, processed Wed 06/01/2027
    3  due Sun 07/02/2027 -> Mon 08/02/2027 (next working day), processed Fri 05/02/2027
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from debtdesk.db.models import Collection, Statement
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.domain.periods import Period
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.dd_run import DdRunResult, DirectDebitRun
from debtdesk.services.errors import BadInput
from debtdesk.services.mandates import Mandates
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care, clock_at, pdf_text

LODGE = date(2026, 11, 30)
AGREED = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
PLAN = PlanTerms(100_00, Frequency.MONTHLY, date(2026, 12, 7), 300_00, PaymentMethod.DIRECT_DEBIT)
NOV = Period(date(2026, 11, 9))


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement run renders PDFs: let pytest-qt make the application."""


def _client(db: Database, reference: str, *, care: bool = False) -> int:
    for key, value in {
        "bacs.service_user_number": "123456",
        "bank.sort_code": "40-12-34",
        "bank.account_number": "12345678",
    }.items():
        Settings(db).set(key, value)
    with db.sessions.begin() as s:
        account = add_account(s, reference, f"Client {reference}")
        if care:
            add_care(s, account, NOV.start, 7000, 10000)  # £280.00 a period
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, date(2026, 10, 5), date(2026, 10, 19),
            [(EntryKind.CHARGE, 300_00, None, "Arrears brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account


def _mandate(db: Database, account: int, reference: str) -> None:
    Mandates(db).create(
        account, reference, "Mrs Ann Payer", "20-00-00", "55779911", date(2026, 11, 2)
    )


def _plan(db: Database, account: int, terms: PlanTerms = PLAN) -> int:
    with clock_at(AGREED):
        return PaymentPlans(db).create(account, terms)


def _dd(db: Database, day: date, tmp_path: Path) -> DdRunResult:
    return DirectDebitRun(db).run(day, tmp_path / "bacs")


def _counts(r: DdRunResult) -> tuple[int, int, int, int]:
    """(instructions, scheduled, collected, pence collected)."""
    return (r.instructions, r.scheduled, r.collected, r.collected_total)


def _collections(db: Database, account: int) -> list[tuple[object, ...]]:
    """(plan instalment, collection date, processing date, pence, code, status, note)."""
    with db.sessions() as s:
        return [
            (c.instalment, c.collection_date, c.processing_date, c.amount, c.transaction_code,
             c.status.value, c.note)
            for c in s.scalars(
                select(Collection)
                .where(Collection.account_id == account)
                .order_by(Collection.collection_date, Collection.id)
            )
        ]  # fmt: skip


def test_a_plan_by_direct_debit_needs_a_mandate(db: Database) -> None:
    account = _client(db, "DP000001")
    with pytest.raises(BadInput, match="DP000001 has no direct debit mandate"):
        _plan(db, account)
    assert PaymentPlans(db).for_account(account, LODGE) == []
    # Paid another way, no mandate is needed.
    card = PlanTerms(100_00, Frequency.MONTHLY, date(2026, 12, 7), 300_00, PaymentMethod.CARD)
    assert _plan(db, account, card) > 0


def test_each_instalment_is_collected_once_on_its_day_after_the_notice(
    db: Database, tmp_path: Path
) -> None:
    account = _client(db, "DP000002")
    _mandate(db, account, "DPREF0002")
    plan = _plan(db, account)  # the mandate is pending: enough to agree the plan
    assert _counts(_dd(db, LODGE, tmp_path)) == (1, 0, 0, 0)  # the 0N only

    # Instalment 1 was due Mon 07/12, but the notice runs to Tue 15/12.
    assert _counts(_dd(db, date(2026, 12, 14), tmp_path)) == (0, 0, 0, 0)
    first = _dd(db, date(2026, 12, 15), tmp_path)
    assert _counts(first) == (0, 1, 0, 0)
    label = f"Payment plan {plan}, instalment"
    assert _collections(db, account) == [
        (1, date(2026, 12, 15), date(2026, 12, 14), 100_00, "01", "scheduled", f"{label} 1"),
    ]
    [csv] = [p for p in first.files if p.name.endswith("collections.bureau.csv")]
    assert "DPREF0002,14/12/2026" in csv.read_text()

    # Posted the day after; the same day again does nothing.
    assert _counts(_dd(db, date(2026, 12, 16), tmp_path)) == (0, 0, 1, 100_00)
    assert _counts(_dd(db, date(2026, 12, 16), tmp_path)) == (0, 0, 0, 0)
    assert Accounts(db).detail("DP000002", date(2026, 12, 16)).balance == 200_00

    # Instalment 2 (Thu 07/01/2027) is a 17: the mandate has collected before.
    assert _counts(_dd(db, date(2027, 1, 6), tmp_path)) == (0, 0, 0, 0)
    assert _counts(_dd(db, date(2027, 1, 7), tmp_path)) == (0, 1, 0, 0)
    # Instalment 3 falls on Sun 07/02/2027: collected Mon 08/02, processed Fri 05/02.
    assert _counts(_dd(db, date(2027, 2, 8), tmp_path)) == (0, 1, 1, 100_00)
    assert _counts(_dd(db, date(2027, 2, 9), tmp_path)) == (0, 0, 1, 100_00)
    assert [row[:6] for row in _collections(db, account)] == [
        (1, date(2026, 12, 15), date(2026, 12, 14), 100_00, "01", "collected"),
        (2, date(2027, 1, 7), date(2027, 1, 6), 100_00, "17", "collected"),
        (3, date(2027, 2, 8), date(2027, 2, 5), 100_00, "17", "collected"),
    ]
    assert Accounts(db).detail("DP000002", date(2027, 2, 9)).balance == 0
    [view] = PaymentPlans(db).for_account(account, date(2027, 2, 9))
    assert (view.paid, view.outstanding, view.completed_on) == (300_00, 0, date(2027, 2, 8))
    assert check(db).ok


def test_a_cancelled_plan_collects_no_more(db: Database, tmp_path: Path) -> None:
    account = _client(db, "DP000003")
    _mandate(db, account, "DPREF0003")
    plan = _plan(db, account)
    _dd(db, LODGE, tmp_path)
    _dd(db, date(2026, 12, 16), tmp_path)  # instalment 1 scheduled 15/12, posted
    PaymentPlans(db).cancel(plan, date(2026, 12, 20), "Paying the rest by card")
    assert _counts(_dd(db, date(2027, 2, 9), tmp_path)) == (0, 0, 0, 0)
    assert [row[0] for row in _collections(db, account)] == [1]


def test_a_plan_never_collects_more_than_is_owed(db: Database, tmp_path: Path) -> None:
    account = _client(db, "DP000004")
    _mandate(db, account, "DPREF0004")
    _plan(db, account)
    _dd(db, LODGE, tmp_path)
    with db.sessions.begin() as s:  # £250.00 paid by card on 10/12: £50.00 left
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -250_00, date(2026, 12, 10),
            source=EntrySource.USER, actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    _dd(db, date(2026, 12, 16), tmp_path)
    _dd(db, date(2027, 1, 8), tmp_path)
    assert [row[0:6] for row in _collections(db, account)] == [
        (1, date(2026, 12, 15), date(2026, 12, 14), 50_00, "01", "collected"),
        (2, date(2027, 1, 7), date(2027, 1, 6), 0, "", "not_needed"),
    ]
    assert Accounts(db).detail("DP000004", date(2027, 1, 8)).balance == 0


def test_a_statement_collection_leaves_the_arrears_to_the_plan(
    db: Database, tmp_path: Path
) -> None:
    """NOV's statement (Mon 07/12, due Mon 21/12) asks for £580.00: £300.00 of arrears and
    £280.00 for the period. With a plan active, the statement's collection takes £280.00."""
    account = _client(db, "DP000005", care=True)
    _mandate(db, account, "DPREF0005")
    _plan(db, account)
    _dd(db, LODGE, tmp_path)
    StatementRuns(db).run(NOV.end, tmp_path / "statements")
    with db.sessions() as s:
        statement = s.scalars(select(Statement).where(Statement.account_id == account)).one()
        assert (statement.amount_due, statement.arrears) == (580_00, 300_00)
    [pdf] = (tmp_path / "statements").glob("statements-*/accounts/DP000005-*.pdf")
    text = pdf_text(pdf)
    assert "This includes £300.00 of arrears that your payment plan is paying" in text
    assert "will collect £280.00 on or just after 21 December 2026" in text
    _dd(db, date(2026, 12, 22), tmp_path)
    assert [row[0:6] for row in _collections(db, account)] == [
        (1, date(2026, 12, 15), date(2026, 12, 14), 100_00, "01", "collected"),
        (None, date(2026, 12, 21), date(2026, 12, 18), 280_00, "17", "collected"),
    ]
    # £580.00 less £100.00 and £280.00 collected: the £200.00 the plan still covers.
    assert Accounts(db).detail("DP000005", date(2026, 12, 22)).balance == 200_00
    assert check(db).ok
