"""The payment plans report on plans worked by hand (tolerance £1.00, grace 7 days).

Each account owes an opening balance the plan covers; payments by card:

    A PP000001 £100.00 a month from Mon 02/03/2026, £300.00 (due 02/03, 02/04, 02/05),
      agreed 20/02. Paid 02/03 £100.00, 06/04 £100.00 (in grace), nothing for 02/05, so
      broken on Sun 10/05 (02/05 + 7 days + 1); £100.00 more on 01/06, too late to mend it.
    B PP000002 £50.00 a week from Mon 06/04/2026, £150.00 (06/04, 13/04, 20/04), agreed
      01/04. Paid on each due date: completed on 20/04.
    C PP000003 £100.00 a month from Wed 01/04/2026, £400.00, agreed 25/03. Paid 01/04 and
      01/05; cancelled on 15/05.
    D PP000004 £20.00 every 4 weeks from Wed 20/05/2026, £60.00, agreed 05/05. Paid 20/05.
    E PP000005 £50.00 a month from Mon 01/06/2026, £100.00, agreed 01/06: after both dates.

At Sat 09/05/2026 (A's last day of grace):
    A kept      due 300  paid 200  short 100 (inside its grace)
    B completed due 150  paid 150  (as on 20/04, when it ended)
    C kept      due 200  paid 200  (cancelled only on 15/05)
    D active    nothing due yet (agreed 05/05, first instalment 20/05)
At Sun 31/05/2026:
    A broken 10/05: due 300 paid 200 short 100 (as on 10/05; the 01/06 payment is later)
    B completed 20/04: 150/150/0;  C cancelled 15/05: due 200 paid 200 (as on 15/05)
    D kept: due 20 paid 20
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from debtdesk.db.models import PaymentPlan
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.reports.workbook import COUNT, DATE, POUNDS
from debtdesk.services import ledger
from debtdesk.services.database import Database
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms, review_plans
from debtdesk.services.reporting.runs import Reports
from tests.services.support import add_account, clock_at

MAY_9, MAY_31 = date(2026, 5, 9), date(2026, 5, 31)
MONTHLY, WEEKLY, FOUR_WEEKLY = Frequency.MONTHLY, Frequency.WEEKLY, Frequency.FOUR_WEEKLY


def _account(db: Database, reference: str, arrears: int) -> int:
    with db.sessions.begin() as s:
        account = add_account(s, reference, f"Client {reference}")
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, date(2026, 1, 5), date(2026, 1, 19),
            [(EntryKind.CHARGE, arrears, None, "Arrears brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account


def _statement(db: Database, account: int, issued: date, due: date, pence: int) -> None:
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.STATEMENT, issued, due,
            [(EntryKind.CHARGE, pence, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip


def _pay(db: Database, account: int, *days_and_pence: tuple[date, int]) -> None:
    with db.sessions.begin() as s:
        for on, pence in days_and_pence:
            ledger.post_entry(
                s, account, EntryKind.PAYMENT, -pence, on, source=EntrySource.USER,
                actor="tester", method=PaymentMethod.CARD,
            )  # fmt: skip
        ledger.allocate(s, account, "tester")


def _plan(db: Database, account: int, agreed: date, terms: tuple[int, Frequency, date, int]) -> int:
    with clock_at(datetime.combine(agreed, time(10), tzinfo=UTC)):
        return PaymentPlans(db).create(account, PlanTerms(*terms, PaymentMethod.CARD))


@pytest.fixture
def plans(db: Database) -> dict[str, int]:
    ids = {ref: _account(db, ref, pence) for ref, pence in [
        ("PP000001", 300_00), ("PP000002", 150_00), ("PP000003", 400_00),
        ("PP000004", 60_00), ("PP000005", 100_00),
    ]}  # fmt: skip
    plan = {
        "A": _plan(db, ids["PP000001"], date(2026, 2, 20),
                   (100_00, MONTHLY, date(2026, 3, 2), 300_00)),
        "B": _plan(db, ids["PP000002"], date(2026, 4, 1),
                   (50_00, WEEKLY, date(2026, 4, 6), 150_00)),
        "C": _plan(db, ids["PP000003"], date(2026, 3, 25),
                   (100_00, MONTHLY, date(2026, 4, 1), 400_00)),
        "D": _plan(db, ids["PP000004"], date(2026, 5, 5),
                   (20_00, FOUR_WEEKLY, date(2026, 5, 20), 60_00)),
        "E": _plan(db, ids["PP000005"], date(2026, 6, 1),
                   (50_00, MONTHLY, date(2026, 6, 1), 100_00)),
    }  # fmt: skip
    _pay(db, ids["PP000001"], (date(2026, 3, 2), 100_00), (date(2026, 4, 6), 100_00),
         (date(2026, 6, 1), 100_00))  # fmt: skip
    _pay(db, ids["PP000002"], *((date(2026, 4, d), 50_00) for d in (6, 13, 20)))
    _pay(db, ids["PP000003"], (date(2026, 4, 1), 100_00), (date(2026, 5, 1), 100_00))
    PaymentPlans(db).cancel(plan["C"], date(2026, 5, 15), "moved to a deferred payment")
    _pay(db, ids["PP000004"], (date(2026, 5, 20), 20_00))
    return plan


def _rows(db: Database, as_of: date) -> list[tuple[object, ...]]:
    """(reference, status, ended, due, paid, shortfall) of each plan in the report."""
    report = Reports(db).build("plans", as_of)
    return [(r[0], r[14], r[15], r[11], r[12], r[13]) for r in report.sheets[0].tables[0].rows]


AT_MAY_9 = [
    ("PP000001", "kept", None, 300_00, 200_00, 100_00),
    ("PP000002", "completed", date(2026, 4, 20), 150_00, 150_00, 0),
    ("PP000003", "kept", None, 200_00, 200_00, 0),
    ("PP000004", "active", None, 0, 0, 0),
]
AT_MAY_31 = [
    ("PP000001", "broken", date(2026, 5, 10), 300_00, 200_00, 100_00),
    ("PP000002", "completed", date(2026, 4, 20), 150_00, 150_00, 0),
    ("PP000003", "cancelled", date(2026, 5, 15), 200_00, 200_00, 0),
    ("PP000004", "kept", None, 20_00, 20_00, 0),
]


def test_each_plan_as_it_stood_on_two_dates(db: Database, plans: dict[str, int]) -> None:
    assert _rows(db, MAY_9) == AT_MAY_9
    assert _rows(db, MAY_31) == AT_MAY_31
    report = Reports(db).build("plans", MAY_31)
    first = list(report.sheets[0].tables[0].rows[0])
    assert first[:11] == [
        "PP000001", plans["A"], "Client PP000001", "", date(2026, 2, 20), date(2026, 3, 2),
        "a month", 100_00, 3, 300_00, "card",
    ]  # fmt: skip
    assert report.summary == {
        "plans": 4, "active": 0, "kept": 1, "broken": 1, "completed": 1, "cancelled": 1,
        "replaced": 0,
    }  # fmt: skip
    assert report.text == (
        "Payment plans at 31/05/2026: 4 plans, 1 kept, 1 broken, 1 completed, 1 cancelled"
    )
    # By status: plans, total to pay, paid, shortfall.
    assert [list(r) for r in report.sheets[1].tables[0].rows] == [
        ["active", 0, 0, 0, 0],
        ["kept", 1, 60_00, 20_00, 0],
        ["broken", 1, 300_00, 200_00, 100_00],
        ["completed", 1, 150_00, 150_00, 0],
        ["cancelled", 1, 400_00, 200_00, 0],
        ["replaced", 0, 0, 0, 0],
    ]


def test_the_status_recorded_later_does_not_change_the_past(
    db: Database, plans: dict[str, int]
) -> None:
    # The recovery run of 31/05 records A broken (10/05) and B completed (20/04): the
    # report reads the same before and after, and on 09/05 A is still kept.
    with db.sessions.begin() as s:
        review_plans(s, MAY_31, "tester")
    assert _rows(db, MAY_9) == AT_MAY_9
    assert _rows(db, MAY_31) == AT_MAY_31
    # Before anything was agreed, there is nothing to show.
    assert _rows(db, date(2026, 2, 19)) == []


def test_a_renegotiated_plan_is_replaced_on_the_new_start(
    db: Database, plans: dict[str, int]
) -> None:
    # D renegotiated to £10.00 every 4 weeks from 17/06 (it covers the £40.00 left), recorded
    # today; £10.00 paid on 17/06. Counted from its start (a plan entered late is in force
    # from then): on 30/06 D is replaced (on 17/06) and the new plan kept, due 10 paid 10.
    new = PaymentPlans(db).renegotiate(
        plans["D"], PlanTerms(10_00, FOUR_WEEKLY, date(2026, 6, 17), 40_00, PaymentMethod.CARD)
    )
    _pay(db, plan_account(db, new), (date(2026, 6, 17), 10_00))
    assert _rows(db, MAY_31)[3] == AT_MAY_31[3]  # not replaced yet on 31/05
    report = Reports(db).build("plans", date(2026, 6, 30))
    rows = {r[1]: (r[14], r[15], r[11], r[12], r[13]) for r in report.sheets[0].tables[0].rows}
    # D as on 17/06: due 20/05 (£20.00) and 17/06 (£20.00); the £20.00 paid 20/05 and the
    # £10.00 of 17/06 (the account's payments count toward its plan): paid £30.00, short £10.00.
    assert rows[plans["D"]] == ("replaced", date(2026, 6, 17), 40_00, 30_00, 10_00)
    # The new plan: its £10.00 due 17/06, paid by the £10.00 of that day (payments from its
    # start only).
    assert rows[new] == ("kept", None, 10_00, 10_00, 0)
    assert report.summary["replaced"] == 1


def plan_account(db: Database, plan_id: int) -> int:
    with db.sessions() as s:
        plan = s.get(PaymentPlan, plan_id)
        assert plan is not None
        return plan.account_id


def test_contributions_falling_due_count_and_later_statements_do_not(db: Database) -> None:
    # F PP000006: £100.00 a month from 02/03/2026 covering £100.00 (one instalment), paid
    # 02/03. A statement issued 16/03 for £50.00 falls due 30/03 and is never paid.
    account = _account(db, "PP000006", 100_00)
    _plan(db, account, date(2026, 2, 25), (100_00, MONTHLY, date(2026, 3, 2), 100_00))
    _pay(db, account, (date(2026, 3, 2), 100_00))
    _statement(db, account, date(2026, 3, 16), date(2026, 3, 30), 50_00)
    # 10/03: the statement did not exist yet; the £100.00 paid everything: completed 02/03.
    assert _rows(db, date(2026, 3, 10)) == [
        ("PP000006", "completed", date(2026, 3, 2), 100_00, 100_00, 0)
    ]
    # 06/04: the £50.00 due 30/03 is unpaid but inside its grace (to 06/04): kept.
    assert _rows(db, date(2026, 4, 6)) == [("PP000006", "kept", None, 150_00, 100_00, 50_00)]
    # 15/04: broken on 07/04 (30/03 + 7 + 1), £50.00 short.
    assert _rows(db, date(2026, 4, 15)) == [
        ("PP000006", "broken", date(2026, 4, 7), 150_00, 100_00, 50_00)
    ]


def test_the_workbook_reads_back(db: Database, plans: dict[str, int], tmp_path: Path) -> None:
    _, path = Reports(db).write("plans", tmp_path / "plans.xlsx", MAY_31)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Plans", "Summary"]
    ws = book["Plans"]
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("C2", "A1:P5")
    assert ws["O1"].value == "Status at the date" and ws["O2"].value == "broken"
    assert ws["E2"].value.date() == date(2026, 2, 20) and ws["E2"].number_format == DATE
    assert (ws["P2"].value.date(), ws["P2"].number_format) == (date(2026, 5, 10), DATE)
    assert (round(ws["H2"].value * 100), ws["H2"].number_format) == (100_00, POUNDS)
    assert (ws["I2"].value, ws["I2"].number_format) == (3, COUNT)
    assert [round(ws[f"N{r}"].value * 100) for r in range(2, 6)] == [100_00, 0, 0, 0]
    assert ws["A6"].value == "Total"
    assert ws["H6"].value is None  # instalments are not added up
    for letter in "JLMN":
        assert ws[f"{letter}6"].value == f"=SUBTOTAL(109,{letter}2:{letter}5)"
        assert ws[f"{letter}6"].number_format == POUNDS
    summary = book["Summary"]
    assert (summary.freeze_panes, summary.auto_filter.ref) == ("A2", "A1:E7")
    assert [c.value for c in summary[3]][:2] == ["kept", 1]
    assert summary["B8"].value == "=SUBTOTAL(109,B2:B7)"
    assert summary["E8"].value == "=SUBTOTAL(109,E2:E7)"
    assert round(summary["D5"].value * 100) == 150_00
