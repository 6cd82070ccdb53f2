"""The interest report on a real database, worked by hand (FACTS.md §1.2; the runs' own
arithmetic is in test_interest_run.py).

Three business customers, every debt late in January–June 2026: reference date
31/12/2025, Bank Rate 3.75%, statutory rate 11.75% (£587.50 a year on £5,000). Runs on
31/03, 30/04 and 31/05/2026; the report is for 01/04 to 31/05/2026 (the financial year so
far), so the 31/03 run is before it.

* LP000001, £5,000 due 15/01. 31/03: 75 days (16 + 28 + 31) = 587.50 × 75 / 365 = £120.72
  and £70, invoice £190.72. The principal is paid on 31/03, so nothing more accrues. £50.72
  paid on 15/04 goes to the interest invoice (received); the £70 compensation waived on
  10/05 is credited back to it. Owed at 31/05: 190.72 − 50.72 − 70.00 = £70.00.
* LP000002, £3,000 due 31/01, £1,000 paid 02/03 and 01/04, and £1,000 dated 15/04 but
  recorded after the 30/04 run (test_interest_run's example): 31/03 £47.64 + £70; 30/04
  £9.98; 31/05 £4.83 credited. In the period: 9.98 − 4.83 = £5.15. Owed at 31/05: 117.64 +
  9.98 − 4.83 = £122.79.
* LP000003, £12,000 due 15/04 (£1,410 a year). 30/04: 15 days = 1410 × 15 / 365 = £57.95
  and £100 (£10,000 or more); 31/05: 46 days = 1410 × 46 / 365 = £177.70, so £119.75 more.
  Owed at 31/05: £277.70.

Period totals: interest 0 + 5.15 + 177.70 = £182.85; compensation £100.00; waived £70.00;
received £50.72; outstanding 70.00 + 122.79 + 277.70 = £470.49.
As at 30/04 instead: LP000001 owes 190.72 − 50.72 = £140.00 (nothing waived yet),
LP000002 charged £9.98 and owes £127.62, LP000003 charged £57.95 + £100 and owes £157.95.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.reports.workbook import DATE, PERCENT, POUNDS
from debtdesk.services import ledger
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.interest import InterestWaivers
from debtdesk.services.interest_run import InterestRunResult, InterestRuns
from debtdesk.services.reporting.runs import Reports
from tests.services.support import add_account

START, D = date(2026, 4, 1), date(2026, 5, 31)
HYPERLINK = '=HYPERLINK("x")'
RATE = Decimal("0.1175")


def _debt(db: Database, reference: str, client: str, pence: int, due: date) -> int:
    with db.sessions.begin() as s:
        account = add_account(s, reference, client, type_code="BUSINESS")
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, due, due,
            [(EntryKind.CHARGE, pence, None, "Balance brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account


def _pay(db: Database, account: int, pence: int, day: date) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, day, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.BANK_TRANSFER,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


@pytest.fixture
def runs(db: Database) -> list[InterestRunResult]:
    """The three accounts and the three runs of the docstring, in the order they happened."""
    alpha = _debt(db, "LP000001", "Alpha Care Ltd", 5_000_00, date(2026, 1, 15))
    beta = _debt(db, "LP000002", HYPERLINK, 3_000_00, date(2026, 1, 31))
    _debt(db, "LP000003", "Gamma Homes Ltd", 12_000_00, date(2026, 4, 15))
    interest = InterestRuns(db)
    _pay(db, beta, 1_000_00, date(2026, 3, 2))
    results = [interest.run(date(2026, 3, 31))]
    _pay(db, alpha, 5_000_00, date(2026, 3, 31))
    _pay(db, beta, 1_000_00, date(2026, 4, 1))
    _pay(db, alpha, 50_72, date(2026, 4, 15))
    results.append(interest.run(date(2026, 4, 30)))
    _pay(db, beta, 1_000_00, date(2026, 4, 15))  # back-dated
    [line] = InterestWaivers(db).for_account(alpha)
    InterestWaivers(db).waive(line.invoice_id, "compensation", "Goodwill", date(2026, 5, 10))
    results.append(interest.run(date(2026, 5, 31)))
    return results


ROWS = [  # reference, client, type, principal, rate, interest, compensation, waived,
    # received, outstanding
    ("LP000001", "Alpha Care Ltd", "BUSINESS", 5_000_00, RATE, 0, 0, 70_00, 50_72, 70_00),
    ("LP000002", HYPERLINK, "BUSINESS", 3_000_00, RATE, 5_15, 0, 0, 0, 122_79),
    ("LP000003", "Gamma Homes Ltd", "BUSINESS", 12_000_00, RATE, 177_70, 100_00, 0, 0, 277_70),
]
TOTALS = [182_85, 100_00, 70_00, 50_72, 470_49]


def test_the_figures_worked_by_hand(db: Database, runs: list[InterestRunResult]) -> None:
    report = Reports(db).build("interest", D)  # from 1 April, the financial year's start
    invoices = report.sheets[0].tables[0]
    assert [(r[0], r[1], r[2], r[5], r[6], *r[7:]) for r in invoices.rows] == ROWS
    assert [(r[3], r[4]) for r in invoices.rows] == [
        ("INV00000001", date(2026, 1, 15)), ("INV00000002", date(2026, 1, 31)),
        ("INV00000003", date(2026, 4, 15)),
    ]  # fmt: skip
    assert report.summary == {
        "invoices": 3, "interest": "182.85", "compensation": "100.00", "waived": "70.00",
        "received": "50.72", "outstanding": "470.49",
    }  # fmt: skip
    assert report.parameters == (("From", START), ("To (as at)", D))
    by_account = report.sheets[1].tables[0].rows
    assert [list(r) for r in by_account] == [[*r[:3], 1, *r[5:]] for r in ROWS]
    assert [list(r) for r in report.sheets[2].tables[0].rows] == [["BUSINESS", 3, *TOTALS]]


def test_charged_is_what_the_runs_in_the_period_posted_and_check_proves(
    db: Database, runs: list[InterestRunResult]
) -> None:
    """The 30/04 run: £9.98 + £57.95 = £67.93 and £100; the 31/05 run: £119.75 − £4.83 =
    £114.92. The interest invoices raised in the period (9.98, 157.95, 119.75 = £287.68)
    are the positive interest and the compensation; less the £4.83 credit, £282.85."""
    assert [(r.interest, r.compensation) for r in runs] == [
        (120_72 + 47_64, 140_00), (67_93, 100_00), (114_92, 0),
    ]  # fmt: skip
    in_period = [r for r in runs if START <= r.as_of <= D]
    report = Reports(db).build("interest", D)
    assert sum(r.interest for r in in_period) == 182_85
    assert sum(r.compensation for r in in_period) == 100_00
    assert (report.summary["interest"], report.summary["compensation"]) == ("182.85", "100.00")
    with db.engine.connect() as c:
        raised = c.execute(
            text(
                "SELECT sum(amount) FROM invoices WHERE kind = :kind "
                "AND issued_on BETWEEN :start AND :end"
            ),
            {"kind": InvoiceKind.INTEREST.value, "start": START, "end": D},
        ).scalar_one()
    assert int(raised) == 287_68 == 182_85 + 4_83 + 100_00
    assert check(db).ok


def test_only_what_is_dated_by_the_end_of_the_period_counts(
    db: Database, runs: list[InterestRunResult]
) -> None:
    """A payment to the interest dated 10/06 and a run on 30/06 leave 31/05 as it was; as
    at 30/04 the waiver, the 31/05 run and the credit are not yet there."""
    before = Reports(db).build("interest", D)
    _pay(db, _account(db, "LP000001"), 70_00, date(2026, 6, 10))
    assert InterestRuns(db).run(date(2026, 6, 30)).interest > 0
    after = Reports(db).build("interest", D)
    assert after.sheets == before.sheets and after.summary == before.summary
    earlier = Reports(db).build("interest", date(2026, 4, 30))
    assert [(r[0], *r[7:]) for r in earlier.sheets[0].tables[0].rows] == [
        ("LP000001", 0, 0, 0, 50_72, 140_00),
        ("LP000002", 9_98, 0, 0, 0, 127_62),
        ("LP000003", 57_95, 100_00, 0, 0, 157_95),
    ]
    # From 1 May only: the 30/04 charges and the 15/04 receipt fall before it.
    may = Reports(db).build("interest", D, date(2026, 5, 1))
    assert [(r[0], *r[7:]) for r in may.sheets[0].tables[0].rows] == [
        ("LP000001", 0, 0, 70_00, 0, 70_00),
        ("LP000002", -4_83, 0, 0, 0, 122_79),
        ("LP000003", 119_75, 0, 0, 0, 277_70),
    ]


def _account(db: Database, reference: str) -> int:
    with db.engine.connect() as c:
        return int(
            c.execute(
                text("SELECT id FROM accounts WHERE reference = :r"), {"r": reference}
            ).scalar_one()
        )


def test_the_workbook(db: Database, runs: list[InterestRunResult], tmp_path: Path) -> None:
    _, path = Reports(db).write("interest", tmp_path / "interest.xlsx", D)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Invoices", "By account", "By customer type"]
    ws = book["Invoices"]
    assert [c.value for c in ws[1]] == [
        "Reference", "Client", "Customer type", "Invoice", "Due", "Principal",
        "Statutory rate", "Interest charged", "Compensation charged", "Waived", "Received",
        "Outstanding at 31/05/2026",
    ]  # fmt: skip
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:L4"
    for row, want in zip(ws.iter_rows(min_row=2, max_row=4), ROWS, strict=True):
        assert [c.value for c in row[:3]] == list(want[:3])  # the formula-like name is text
        assert row[4].number_format == DATE
        assert (row[6].value, row[6].number_format) == (pytest.approx(0.1175), PERCENT)
        money = [row[5], *row[7:]]
        assert [round(c.value * 100) for c in money] == [want[3], *want[5:]]
        assert {c.number_format for c in money} == {POUNDS}
    assert ws["B3"].data_type == "s"
    totals = [c.value for c in ws[5]]
    assert totals[0] == "Total"
    assert totals[5] == "=SUBTOTAL(109,F2:F4)"
    assert totals[7:] == [f"=SUBTOTAL(109,{c}2:{c}4)" for c in "HIJKL"]
    assert totals[6] is None  # a rate is not added up
    by_type = book["By customer type"]
    assert [c.value for c in by_type[1]][:2] == ["Customer type", "Invoices"]
    assert [round(c.value * 100) for c in by_type[2][2:]] == TOTALS
    assert [c.value for c in by_type[3]] == ["Total"] + [
        f"=SUBTOTAL(109,{c}2:{c}2)" for c in "BCDEFG"
    ]
