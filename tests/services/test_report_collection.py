"""The collection performance report (``collection``) on a real database, worked by hand.

Care at £100.00 a week from 09/11/2026 (anchor 31/03/2025: NOV is 09/11 - 06/12/2026, DEC
07/12/2026 - 03/01/2027, JAN 04/01 - 31/01/2027), a weekly contribution w, so a whole period
charges 28 x w/7 = 4w:

    CO000001  INDIVIDUAL  w £70.00  NOV £280.00, collected by direct debit on Mon 21/12,
              returned unpaid by an ARUDD of Tue 22/12 (code 0); DEC £280.00
    CO000002  INDIVIDUAL  w £35.00  NOV £140.00; pays £100.00 by cheque on 15/12/2026 and
              £40.00 by card on 05/01/2027. Its care is found (after NOV's run) to have
              ended on Sun 22/11, so DEC's run recalculates NOV as 14 x £5.00 = £70.00 and
              credits £70.00 naming NOV; DEC charges it nothing
    CO000003  BUSINESS    w £50.00  NOV £200.00, paid by bank transfer on 20/12/2026;
              DEC £200.00

NOV's statements are dated 07/12/2026 (in DEC's days), DEC's charges and the credit
04/01/2027 (in JAN's).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from debtdesk.db.models import CarePackage, FinancialAssessment
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.periods import Period
from debtdesk.services import ledger
from debtdesk.services.database import Database
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care
from tests.services.test_report_dd_failures import (
    NOV,
    POSTED,
    POUNDS,
    apply_bacs,
    arudd_xml,
    collect,
    mandated,
)

DEC = Period(date(2026, 12, 7))


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement run renders PDFs: let pytest-qt make the application."""


def _pay(db: Database, account: int, pence: int, day: date, method: PaymentMethod) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, day,
            source=EntrySource.USER, actor="tester", method=method,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


@pytest.fixture
def collected(db: Database, tmp_path: Path) -> Database:
    mandated(db, {"CO000001": (7000, "INDIVIDUAL")})
    with db.sessions.begin() as s:
        cheque = add_account(s, "CO000002", "Client B")
        add_care(s, cheque, NOV.start, 3500, 10000)
        firm = add_account(s, "CO000003", "Client C", type_code="BUSINESS")
        add_care(s, firm, NOV.start, 5000, 10000)
    collect(db, tmp_path)  # NOV's statements, the direct debit collected 21/12
    apply_bacs(
        db,
        tmp_path,
        "arudd.xml",
        arudd_xml(POSTED, [("DDCO000001", "280.00", "0", "REFER TO PAYER")]),
    )
    _pay(db, cheque, 10000, date(2026, 12, 15), PaymentMethod.CHEQUE)
    _pay(db, firm, 20000, date(2026, 12, 20), PaymentMethod.BANK_TRANSFER)
    _pay(db, cheque, 4000, date(2027, 1, 5), PaymentMethod.CARD)
    with db.sessions.begin() as s:  # the care ended on 22/11, learned after NOV's run
        package = s.scalars(select(CarePackage).where(CarePackage.account_id == cheque)).one()
        package.end_date = date(2026, 11, 22)
        assessment = s.scalars(
            select(FinancialAssessment).where(FinancialAssessment.account_id == cheque)
        ).one()
        assessment.effective_to = date(2026, 11, 22)
    StatementRuns(db).run(DEC.end, tmp_path / "statements")
    return db


def _quiet(rows: list[list[object]], first: int) -> None:
    """The rows before ``first`` are whole periods with nothing in them."""
    for row in rows[:first]:
        assert row[3:] == [0, 0, 0, 0, 0, None]


def test_each_period_charges_and_collects_what_is_dated_in_it(collected: Database) -> None:
    report = Reports(collected).build("collection", date(2027, 1, 10))

    periods, by_type = report.sheets
    rows = [list(r) for r in periods.tables[0].rows]
    # Sun 10/01/2027 ends no period: the 13 periods end with DEC (the last whole one) and
    # begin 12 x 28 = 336 days before it, on Mon 05/01/2026; then JAN to date.
    assert len(rows) == 14
    assert rows[0][:3] == ["05/01/2026 to 01/02/2026", date(2026, 1, 5), date(2026, 2, 1)]
    _quiet(rows, 12)
    # DEC: charged 280 + 140 + 200 = £620.00 (07/12); £280.00 by direct debit (21/12);
    # £100.00 cheque + £200.00 transfer = £300.00 otherwise; £280.00 returned (22/12).
    # Net 280 + 300 - 280 = £300.00; rate 300 / 620 = 0.4838709... = 0.483871.
    assert rows[12] == ["07/12/2026 to 03/01/2027", DEC.start, DEC.end,
                        62000, 28000, 30000, 28000, 30000, Decimal("0.483871")]  # fmt: skip
    # To date: DEC's charges 280 + 200 = £480.00 less the £70.00 credit = £410.00 (04/01);
    # £40.00 by card (05/01); rate 40 / 410 = 0.0975609... = 0.097561.
    assert rows[13] == ["to date", date(2027, 1, 4), date(2027, 1, 10),
                        41000, 0, 4000, 0, 4000, Decimal("0.097561")]  # fmt: skip
    # Over the 13 periods only: BUSINESS charged £200.00 and paid it (100%); INDIVIDUAL
    # charged £420.00, £280.00 by direct debit returned, £100.00 by cheque: rate
    # 100 / 420 = 0.2380952... = 0.238095. ESTATE: nothing, no rate.
    assert [list(r) for r in by_type.tables[0].rows] == [
        ["BUSINESS", 20000, 0, 20000, 0, 20000, Decimal("1")],
        ["ESTATE", 0, 0, 0, 0, 0, None],
        ["INDIVIDUAL", 42000, 28000, 10000, 28000, 10000, Decimal("0.238095")],
    ]
    # All 14 rows: charged 620 + 410 = £1,030.00, collected 300 + 40 = £340.00;
    # 340 / 1030 = 33.0097...% = 33.01.
    assert report.summary == {"periods": 14, "charged": "1030.00", "collected": "340.00",
                              "rate": "33.01"}  # fmt: skip


def test_payments_and_returns_dated_after_the_date_do_not_count(collected: Database) -> None:
    # Mon 21/12/2026: the 13 periods end with NOV; to date is 07/12 - 21/12. The direct
    # debit collected that day counts; its return (22/12), the card payment (05/01) and
    # everything DEC's run dated 04/01 do not, though all were posted before the report.
    report = Reports(collected).build("collection", date(2026, 12, 21))

    rows = [list(r) for r in report.sheets[0].tables[0].rows]
    assert len(rows) == 14 and rows[12][:3] == [str(NOV), NOV.start, NOV.end]
    _quiet(rows, 13)
    # Charged £620.00; £280.00 by direct debit; £300.00 otherwise; nothing returned: net
    # £580.00, rate 580 / 620 = 0.9354838... = 0.935484.
    assert rows[13] == ["to date", DEC.start, date(2026, 12, 21),
                        62000, 28000, 30000, 0, 58000, Decimal("0.935484")]  # fmt: skip
    assert report.summary == {"periods": 14, "charged": "620.00", "collected": "580.00",
                              "rate": "93.55"}  # fmt: skip


def test_a_date_ending_a_period_has_no_period_to_date(collected: Database) -> None:
    # Sun 03/01/2027 ends DEC: 13 whole periods, DEC last (its days all by the date).
    report = Reports(collected).build("collection", DEC.end)

    rows = [list(r) for r in report.sheets[0].tables[0].rows]
    assert len(rows) == 13 and rows[-1][:3] == [str(DEC), DEC.start, DEC.end]
    assert rows[-1][3:8] == [62000, 28000, 30000, 28000, 30000]
    # 300 / 620 = 48.387...% = 48.39.
    assert report.summary == {"periods": 13, "charged": "620.00", "collected": "300.00",
                              "rate": "48.39"}  # fmt: skip


def test_the_workbook_reads_back_typed_with_totals_frozen_and_filtered(
    collected: Database, tmp_path: Path
) -> None:
    report, path = Reports(collected).write("collection", tmp_path / "c.xlsx", date(2027, 1, 10))

    assert report.name == "collection"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Periods", "By customer type"]
    sheet = book["Periods"]
    # Header row 1, 14 period rows (2-15), totals in row 16; A label, B-C dates, D-H
    # money, I the rate.
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("B2", "A1:I15")
    assert sheet["A15"].value == "to date" and sheet["B15"].value.date() == date(2027, 1, 4)
    assert sheet["B14"].number_format == "dd/mm/yyyy"
    assert [round(sheet.cell(14, c).value * 100) for c in range(4, 9)] == [
        62000,
        28000,
        30000,
        28000,
        30000,
    ]
    assert sheet["D14"].number_format == POUNDS and sheet["I14"].number_format == "0.0%"
    assert sheet["I14"].value == pytest.approx(0.483871)
    assert sheet["I2"].value is None  # nothing charged: no rate
    assert [sheet.cell(16, c).value for c in (1, 4, 8, 9)] == [
        "Total",
        "=SUBTOTAL(109,D2:D15)",
        "=SUBTOTAL(109,H2:H15)",
        '=IF(D16=0,"",H16/D16)',
    ]
    types = book["By customer type"]
    assert (types.freeze_panes, types.auto_filter.ref) == ("B2", "A1:G4")
    assert types["A4"].value == "INDIVIDUAL" and round(types["B4"].value * 100) == 42000
    assert types["G5"].value == '=IF(B5=0,"",F5/B5)'
