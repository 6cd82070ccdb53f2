"""Month-end reconciliation on a small month built by hand, every figure worked out below.

Two individuals, care £100.00 a week: CC000201 Mrs Ann Able assessed £70.00 a week and
paying by direct debit (mandate DDREF0201), CC000202 Mr Bob Best assessed £50.00 a week
and paying by bank transfer. Periods of 28 days charge the assessment × 4:

    Mon 14/04/2025  dd run: the 0N is processed (lodged) Tue 15/04
    Mon 28/04/2025  statements for 31/03-27/04: Able £280.00, Best £200.00, due 12/05
    Wed 14/05/2025  dd run: Able's £280.00 is collected on Tue 13/05 (10 working days
                    after 28/04, skipping the 05/05 bank holiday, is 13/05, later than
                    the due date), processing date Mon 12/05; posted as it is before 14/05
    Thu 15/05/2025  bank: £100.00 "CC000202" from Bob Best: matched
    Fri 16/05/2025  bank: £25.00 "GIFT" from Anon Payer: suspense
    Tue 20/05/2025  bank: £7.50 charges (a debit); ARUDD dated 20/05 returns Able's £280.00
    Mon 26/05/2025  statements for 28/04-25/05: Able £280.00, Best £200.00
    Tue 03/06/2025  an officer allocates the £25.00 to CC000202 (effective 16/05)
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from debtdesk.db.models import CustomerType
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.periods import Period
from debtdesk.reports.workbook import POUNDS
from debtdesk.services import ledger
from debtdesk.services.bacs_import import BacsImports
from debtdesk.services.bank_import import BankImports
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.dd_run import DirectDebitRun
from debtdesk.services.errors import BadInput
from debtdesk.services.mandates import Mandates
from debtdesk.services.reconciliation import LedgerRow, MethodRow, Reconciliations, SuspenseRow
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from debtdesk.services.suspense import Suspense
from tests.services.support import add_account, add_care, clock_at

P0, P1 = Period(date(2025, 3, 31)), Period(date(2025, 4, 28))
TYPES = ("Business or public body", "Estate of a person who has died", "Individual")
DD_NOTE = "against the collections collected in the month"
ARUDD_NOTE = "against the ARUDD items applied in the month"
BANK_NOTE = "against the bank statements' receipts, less refunds and what is in suspense"

BANK_CSV = """date,amount,reference,payer,bank_reference
15/05/2025,100.00,CC000202,Bob Best,FP3001
16/05/2025,25.00,GIFT,Anon Payer,FP3002
20/05/2025,-7.50,CHARGES,,CHG3003
"""
ARUDD = """<?xml version="1.0" encoding="UTF-8"?>
<BACSDocument xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:noNamespaceSchemaLocation="newbacs-advices.xsd"><Data><ARUDD>
 <Header reportType="REFT1019" adviceNumber="020" currentProcessingDate="2025-05-20"/>
 <AddresseeInformation name="WEXSHIRE COUNCIL"/>
 <ServiceLicenseInformation userName="WEXSHIRE COUNCIL" userNumber="123456"/>
 <Advice><OriginatingAccountRecords><OriginatingAccountRecord>
  <OriginatingAccount name="WEXSHIRE CC" number="12345678" sortCode="40-12-34" type="0"/>
  <ReturnedDebitItem ref="DDREF0201" transCode="01" returnCode="0"
   returnDescription="REFER TO PAYER" originalProcessingDate="2025-05-12" valueOf="280.00"
   currency="GBP">
   <PayerAccount number="55779911" ref="DDREF0201" name="MRS ANN ABLE" sortCode="20-00-00"/>
  </ReturnedDebitItem>
  <Totals numberOf="1" valueOf="280.00" currency="GBP"/>
 </OriginatingAccountRecord></OriginatingAccountRecords></Advice>
</ARUDD></Data></BACSDocument>
"""


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement runs render PDFs: let pytest-qt make the application."""


def _zero(label: str, balance: int = 0) -> LedgerRow:
    return LedgerRow(label, balance, 0, 0, 0, 0, 0, balance)


def build_may(db: Database, folder: Path) -> int:
    """The month of the module docstring, up to (not including) the officer's allocation.

    Returns the id of the receipt in suspense.
    """
    for key, value in {"bacs.service_user_number": "123456", "bank.sort_code": "40-12-34",
                       "bank.account_number": "12345678"}.items():  # fmt: skip
        Settings(db).set(key, value)
    with db.sessions.begin() as s:
        able = add_account(s, "CC000201", "Mrs Ann Able")
        add_care(s, able, P0.start, 7000, 10000)
        best = add_account(s, "CC000202", "Mr Bob Best")
        add_care(s, best, P0.start, 5000, 10000)
    Mandates(db).create(able, "DDREF0201", "Mrs Ann Able", "20-00-00", "55779911", date(2025, 4, 1))
    DirectDebitRun(db).run(date(2025, 4, 14), folder / "bacs")
    StatementRuns(db).run(P0.end, folder / "statements")
    assert DirectDebitRun(db).run(date(2025, 5, 14), folder / "bacs").collected_total == 28000
    (folder / "may.csv").write_text(BANK_CSV)
    assert BankImports(db).apply(folder / "may.csv").suspense == 1
    (folder / "arudd.xml").write_text(ARUDD)
    assert BacsImports(db).apply(folder / "arudd.xml").applied == 1
    StatementRuns(db).run(P1.end, folder / "statements")
    [held] = Suspense(db).worklist()
    return held.id


def test_may_reconciles_before_and_after_the_suspense_receipt_is_allocated_in_june(
    db: Database, tmp_path: Path
) -> None:
    held = build_may(db, tmp_path)
    recs = Reconciliations(db)

    # At the end of May, before anyone acts on the £25.00:
    #   opening  = P0's charges on 28/04: 28000 + 20000           = 48000
    #   charges  = P1's charges on 26/05: 28000 + 20000           = 48000
    #   receipts = Able's dd 28000 (13/05) + Best's transfer 10000 = 38000
    #   returns  = Able's returned dd on 20/05                     = 28000
    #   closing  = 48000 + 48000 - 38000 + 28000                   = 86000
    #   (Able 28000 + 28000 - 28000 + 28000 = 56000; Best 20000 + 20000 - 10000 = 30000)
    may = recs.month(2025, 5)
    individual = LedgerRow("Individual", 48000, 48000, 38000, 28000, 0, 0, 86000)
    assert (may.start, may.end) == (date(2025, 5, 1), date(2025, 5, 31))
    assert may.by_type == (_zero(TYPES[0]), _zero(TYPES[1]), individual)
    assert may.total == LedgerRow("All customer types", 48000, 48000, 38000, 28000, 0, 0, 86000)
    # Bank transfers: the statement's £125.00 less the £25.00 still in suspense = £100.00.
    assert may.methods == (
        MethodRow("direct_debit", 28000, 28000, DD_NOTE),
        MethodRow("returned_direct_debit", 28000, 28000, ARUDD_NOTE),
        MethodRow("bank_transfer", 10000, 12500 - 2500, BANK_NOTE),
    )
    assert (may.bank_receipts, may.bank_debits) == (12500, 750)
    assert may.suspense == SuspenseRow(
        opening=0, received=2500, allocated=0, refunded=0, closing=2500
    )
    assert may.problems == () and may.ok

    # On 03/06 the officer allocates it to Best; the payment is effective 16/05, when the
    # money arrived. The action's time is the clock's, set to 03/06/2025 10:00 UTC.
    with clock_at(datetime(2025, 6, 3, 10, 0, tzinfo=UTC)):
        Suspense(db).allocate(held, "CC000202", note="Mr Best's gift to his own account")

    # May again: receipts 38000 + 2500 = 40500; closing 86000 - 2500 = 83500. The bank
    # side is the statement's £125.00 whole, nothing being in suspense now.
    may = recs.month(2025, 5)
    individual = LedgerRow("Individual", 48000, 48000, 40500, 28000, 0, 0, 83500)
    assert may.by_type == (_zero(TYPES[0]), _zero(TYPES[1]), individual)
    assert may.total == LedgerRow("All customer types", 48000, 48000, 40500, 28000, 0, 0, 83500)
    assert may.methods == (
        MethodRow("direct_debit", 28000, 28000, DD_NOTE),
        MethodRow("returned_direct_debit", 28000, 28000, ARUDD_NOTE),
        MethodRow("bank_transfer", 12500, 12500, BANK_NOTE),
    )
    # Suspense counts the receipt out on the day the officer acted (June), so at the end
    # of May it was still held.
    assert may.suspense == SuspenseRow(0, 2500, 0, 0, 2500)
    assert may.problems == ()

    # June: nothing new on the ledger; the £25.00 leaves suspense.
    june = recs.month(2025, 6)
    assert june.by_type == (_zero(TYPES[0]), _zero(TYPES[1]), _zero("Individual", 83500))
    assert june.methods == (
        MethodRow("direct_debit", 0, 0, DD_NOTE),
        MethodRow("returned_direct_debit", 0, 0, ARUDD_NOTE),
        MethodRow("bank_transfer", 0, 0, BANK_NOTE),
    )
    assert (june.bank_receipts, june.bank_debits) == (0, 0)
    assert june.suspense == SuspenseRow(
        opening=2500, received=0, allocated=2500, refunded=0, closing=0
    )
    assert june.problems == ()
    assert check(db).ok


def test_a_bank_transfer_with_no_bank_statement_is_a_problem(db: Database, tmp_path: Path) -> None:
    # A £120.00 invoice on 03/03/2025 and a £50.00 "bank transfer" keyed by hand on 12/03
    # with no bank statement behind it: March's ledger balances, its bank side does not.
    with db.sessions.begin() as s:
        account = add_account(s, "CC000301", "Mr Carl Cole")
        ledger.raise_invoice(
            s, account, InvoiceKind.STATEMENT, date(2025, 3, 3), date(2025, 3, 17),
            [(EntryKind.CHARGE, 12000, None, "Charge")], source=EntrySource.USER, actor="tester",
        )  # fmt: skip
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -5000, date(2025, 3, 12), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.BANK_TRANSFER, reference="CC000301",
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    # The bank's only receipt in March, £30.00 nobody can place, is refunded on 20/03.
    (tmp_path / "march.csv").write_text(
        "date,amount,reference,payer,bank_reference\n14/03/2025,30.00,THANKS,A Stranger,FP9\n"
    )
    BankImports(db).apply(tmp_path / "march.csv")
    [held] = Suspense(db).worklist()
    with clock_at(datetime(2025, 3, 20, 15, 0, tzinfo=UTC)):
        Suspense(db).refund(held.id, "not ours: sent back")

    march = Reconciliations(db).month(2025, 3)
    assert march.total == LedgerRow("All customer types", 0, 12000, 5000, 0, 0, 0, 7000)
    # Bank side: £30.00 received less £30.00 refunded = £0.00, against £50.00 posted.
    assert march.methods[2] == MethodRow("bank_transfer", 5000, 3000 - 3000, BANK_NOTE)
    assert march.methods[2].difference == 5000
    assert (march.bank_receipts, march.bank_debits) == (3000, 0)
    assert march.suspense == SuspenseRow(
        opening=0, received=3000, allocated=0, refunded=3000, closing=0
    )
    assert march.problems == ("bank transfer: posted £50.00 but the bank side shows £0.00",)
    assert not march.ok
    # February saw none of it; April opens at 12000 - 5000 = 7000 and reconciles.
    assert Reconciliations(db).month(2025, 2).problems == ()
    april = Reconciliations(db).month(2025, 4)
    assert april.total == _zero("All customer types", 7000)
    assert april.suspense == SuspenseRow(0, 0, 0, 0, 0) and april.problems == ()
    assert check(db).ok


@pytest.mark.parametrize(("year", "month"), [(2025, 0), (2025, 13), (1999, 12)])
def test_a_month_that_is_not_one_is_refused(db: Database, year: int, month: int) -> None:
    with pytest.raises(BadInput, match="is not a month debtdesk can reconcile"):
        Reconciliations(db).month(year, month)


def _values(sheet: Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_workbook_has_a_cover_numbers_in_pounds_totals_and_text_that_never_runs(
    db: Database, tmp_path: Path
) -> None:
    build_may(db, tmp_path)
    with db.sessions.begin() as s:  # a customer type whose name looks like a formula
        s.add(CustomerType(code="EVIL", name='=HYPERLINK("http://x.example","y")',
                           is_business=False, payment_terms_days=14))  # fmt: skip
    path = Reconciliations(db).export(2025, 5, tmp_path / "may.xlsx")
    assert path == tmp_path / "may.xlsx" and not (tmp_path / "may.xlsx.part").exists()
    book = load_workbook(path)
    assert book.sheetnames == ["Cover", "Ledger", "Receipts by method", "Suspense", "Problems"]

    cover = {row[0]: row[1] for row in _values(book["Cover"]) if row and row[0]}
    assert cover["Month-end reconciliation"] is None  # the title, alone on its row
    assert (cover["Month"], cover["From"], cover["To"]) == (
        "May 2025", datetime(2025, 5, 1), datetime(2025, 5, 31),
    )  # fmt: skip

    sheet = book["Ledger"]
    assert _values(sheet)[0] == [
        "Customer type", "Opening balance", "Charges", "Receipts", "Returned direct debits",
        "Adjustments", "Write-offs", "Closing balance", "Balances",
    ]  # fmt: skip
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("B2", "A1:I5")
    # Four customer types by name (the formula-like one first), then the totals row.
    assert [row[0] for row in _values(sheet)[1:]] == [
        '=HYPERLINK("http://x.example","y")', *TYPES, "Total",
    ]  # fmt: skip
    # Kept as typed, but a string with Excel's quote prefix: shown, never run as a formula.
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    # The figures of the first test, end of May before the allocation, in pounds.
    assert _values(sheet)[4] == ["Individual", 480, 480, 380, 280, 0, 0, 860, "yes"]
    assert _values(sheet)[1][1:] == [0, 0, 0, 0, 0, 0, 0, "yes"]
    for cell in sheet[5][1:8]:
        assert isinstance(cell.value, (int, float)) and cell.number_format == POUNDS, (
            cell.coordinate
        )
    # The totals row adds the four types with SUBTOTAL (a filter narrows it); what it adds
    # up to is the month's total: 480 + 480 - 380 + 280 = 860 closing.
    totals = sheet[6]
    assert [c.value for c in totals[1:8]] == [f"=SUBTOTAL(109,{col}2:{col}5)" for col in "BCDEFGH"]
    assert totals[0].value == "Total" and totals[8].value is None
    assert all(c.font.b and c.number_format == POUNDS for c in totals[1:8])
    added = [sum(Decimal(str(sheet.cell(r, c).value)) for r in range(2, 6)) for c in range(2, 9)]
    assert added == [480, 480, 380, 280, 0, 0, 860]

    methods = book["Receipts by method"]
    assert _values(methods) == [
        ["Method", "Posted to accounts", "Bank side", "Difference", "Compared with"],
        ["Direct debit", 280, 280, 0, DD_NOTE],
        ["Returned direct debit", 280, 280, 0, ARUDD_NOTE],
        ["Bank transfer", 100, 100, 0, BANK_NOTE],
        [None, None, None, None, None],  # a blank row, then the bank statements' table
        ["Bank statements", "Amount", None, None, None],
        ["Receipts (money in)", 125, None, None, None],
        ["Debits (money out)", 7.5, None, None, None],
    ]
    assert (methods.freeze_panes, methods.auto_filter.ref) == ("A2", "A1:E4")
    assert all(methods.cell(r, c).number_format == POUNDS for r in (2, 3, 4) for c in (2, 3, 4))
    assert methods["B7"].number_format == POUNDS

    suspense = book["Suspense"]
    assert _values(suspense) == [
        ["Suspense", "Amount"], ["Opening", 0], ["Received", 25],
        ["Allocated to accounts", 0], ["Refunded", 0], ["Closing", 25],
    ]  # fmt: skip
    assert all(suspense.cell(r, 2).number_format == POUNDS for r in range(2, 7))
    assert _values(book["Problems"]) == [["Problem"], ["None: the month reconciles"]]


def test_the_report_of_a_month_that_does_not_reconcile(db: Database, tmp_path: Path) -> None:
    # The month of the bank-transfer test above: its workbook at the month's end, and to
    # 9 March (the month to date: the payment of the 12th has not happened yet).
    with db.sessions.begin() as s:
        account = add_account(s, "CC000301", "Mr Carl Cole")
        ledger.raise_invoice(
            s, account, InvoiceKind.STATEMENT, date(2025, 3, 3), date(2025, 3, 17),
            [(EntryKind.CHARGE, 12000, None, "Charge")], source=EntrySource.USER, actor="tester",
        )  # fmt: skip
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -5000, date(2025, 3, 12), source=EntrySource.USER,
            actor="tester", method=PaymentMethod.BANK_TRANSFER, reference="CC000301",
        )  # fmt: skip
    problem = "bank transfer: posted £50.00 but the bank side shows £0.00"
    to_date = Reports(db).build("reconciliation", date(2025, 3, 9))
    assert to_date.summary["closing"] == "120.00" and to_date.summary["ok"] is True
    assert ("Month", "March 2025 to 09/03/2025") in to_date.parameters
    report, path = Reports(db).write("reconciliation", tmp_path / "march", date(2025, 3, 31))
    assert path == tmp_path / "march.xlsx"
    assert report.summary == {
        "month": "2025-03", "ok": False, "opening": "0.00", "closing": "70.00",
        "problems": [problem],
    }  # fmt: skip
    assert report.text == f"Reconciliation March 2025: 1 problems\n  {problem}"
    book = load_workbook(path)
    assert _values(book["Problems"]) == [["Problem"], [problem]]
    assert _values(book["Receipts by method"])[3] == ["Bank transfer", 50, 0, 50, BANK_NOTE]
    with pytest.raises(BadInput, match="is not a month debtdesk can reconcile"):
        Reports(db).build("reconciliation", date(1999, 12, 31))
