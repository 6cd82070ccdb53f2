"""The unallocated cash and suspense report on a small caseload worked out by hand.

Bills (each raised and allocated like any other):

    CC000301 Mrs Ann Able       £100.00 issued 01/05/2025 due 15/05; £30.00 issued 02/06
    =HYPERLINK("x") CC000302    £80.00 issued 01/04/2025 due 15/04
    CC000303 Mr Carl Cole       £40.00 issued 01/05/2025 due 15/05
    CC000304 Mrs Dora Dent      £200.00 issued 01/05/2025 due 15/05

Money in:

    Tue 20/05/2025  bank "CC000301" £150.00: matched, pays the £100.00, £50.00 credit
    Fri 02/05/2025  card on CC000302 £100.00: pays the £80.00, £20.00 credit
    Thu 15/05/2025  card on CC000304 £50.00: owes £150.00, no credit
    Tue 10/06/2025  card on CC000302 £33.00: after 31/05
    bank receipts to suspense:
      R1 Sat 10/05/2025 £25.00 "GIFT" Anon Payer        never placed
      R2 Fri 16/05/2025 £40.00 "MUM" Mr C Cole          allocated to CC000303 on 03/06 (UTC)
      R3 Tue 20/05/2025 £60.00 "XYZ" Z Nobody           refunded on 28/05
      R4 Thu 05/06/2025 £10.00 "LATE" Late Payer        never placed

At 31/05/2025: credit on CC000301 £50.00 (balance -£50.00) and CC000302 £20.00
(balance -£20.00): 2 accounts, £70.00. CC000303 owes nothing once R2 is placed (the payment
is effective 16/05, the day received): balance 0, no credit. Suspense: R1 £25.00 (21 days)
and R2 £40.00 (15 days; placed only on 03/06) = £65.00; R3 left on 28/05, R4 came after.

At 30/06/2025: CC000301's £50.00 credit pays the £30.00 bill of 02/06, leaving £20.00;
CC000302 £20.00 + £33.00 = £53.00. Total £73.00. Suspense: R1 £25.00 (51 days) and R4
£10.00 (25 days) = £35.00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.reports.workbook import COUNT, DATE, POUNDS
from debtdesk.services import ledger
from debtdesk.services.bank_import import BankImports
from debtdesk.services.database import Database
from debtdesk.services.reconciliation import Reconciliations
from debtdesk.services.reporting.ageing import aged_accounts
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.suspense import Suspense
from tests.services.support import add_account, clock_at

MAY_END, JUNE_END = date(2025, 5, 31), date(2025, 6, 30)
HYPERLINK = '=HYPERLINK("x")'
BANK_CSV = """date,amount,reference,payer,bank_reference
10/05/2025,25.00,GIFT,Anon Payer,FP01
16/05/2025,40.00,MUM,Mr C Cole,FP02
20/05/2025,150.00,CC000301,Mrs A Able,FP03
20/05/2025,60.00,XYZ,Z Nobody,FP04
"""
LATE_CSV = """date,amount,reference,payer,bank_reference
05/06/2025,10.00,LATE,Late Payer,FP05
"""


def _bill(db: Database, account: int, issued: date, due: date, pence: int) -> None:
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.SUNDRY, issued, due,
            [(EntryKind.CHARGE, pence, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


def _pay(db: Database, account: int, on: date, pence: int) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, on, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CARD,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


@pytest.fixture
def caseload(db: Database, tmp_path: Path) -> dict[str, int]:
    with db.sessions.begin() as s:
        ids = {
            "CC000301": add_account(s, "CC000301", "Mrs Ann Able"),
            "CC000302": add_account(s, "CC000302", HYPERLINK),
            "CC000303": add_account(s, "CC000303", "Mr Carl Cole"),
            "CC000304": add_account(s, "CC000304", "Mrs Dora Dent"),
        }
    _bill(db, ids["CC000301"], date(2025, 5, 1), date(2025, 5, 15), 100_00)
    _bill(db, ids["CC000302"], date(2025, 4, 1), date(2025, 4, 15), 80_00)
    _bill(db, ids["CC000303"], date(2025, 5, 1), date(2025, 5, 15), 40_00)
    _bill(db, ids["CC000304"], date(2025, 5, 1), date(2025, 5, 15), 200_00)
    _pay(db, ids["CC000302"], date(2025, 5, 2), 100_00)
    _pay(db, ids["CC000304"], date(2025, 5, 15), 50_00)
    (tmp_path / "may.csv").write_text(BANK_CSV)
    with clock_at(datetime(2025, 5, 21, 9, 0, tzinfo=UTC)):
        assert BankImports(db).apply(tmp_path / "may.csv").suspense == 3
    held = {line.reference: line.id for line in Suspense(db).worklist()}
    with clock_at(datetime(2025, 5, 28, 11, 0, tzinfo=UTC)):
        Suspense(db).refund(held["XYZ"], "not ours: paid back to Z Nobody, 12-34-56 12345678")
    with clock_at(datetime(2025, 6, 3, 10, 0, tzinfo=UTC)):
        Suspense(db).allocate(held["MUM"], "CC000303", note="Mr Cole's own payment")
    _bill(db, ids["CC000301"], date(2025, 6, 2), date(2025, 6, 16), 30_00)
    (tmp_path / "june.csv").write_text(LATE_CSV)
    with clock_at(datetime(2025, 6, 6, 9, 0, tzinfo=UTC)):
        assert BankImports(db).apply(tmp_path / "june.csv").suspense == 1
    _pay(db, ids["CC000302"], date(2025, 6, 10), 33_00)
    return ids


def test_credit_and_suspense_at_the_end_of_may(db: Database, caseload: dict[str, int]) -> None:
    report = Reports(db).build("unallocated", MAY_END)
    credit, suspense = (sheet.tables[0].rows for sheet in report.sheets)
    assert [list(row) for row in credit] == [
        ["CC000301", "Mrs Ann Able", "", "INDIVIDUAL", 50_00, -50_00, None],
        ["CC000302", HYPERLINK, "", "INDIVIDUAL", 20_00, -20_00, None],
    ]
    assert [list(row) for row in suspense] == [
        [date(2025, 5, 10), 25_00, 25_00, "Anon Payer", "GIFT", "FP01", "may.csv, line 2", 21],
        [date(2025, 5, 16), 40_00, 40_00, "Mr C Cole", "MUM", "FP02", "may.csv, line 3", 15],
    ]
    assert report.summary == {
        "accounts": 2,
        "account_credit": "70.00",
        "suspense_items": 2,
        "suspense": "65.00",
    }
    assert report.text == (
        "Unallocated at 31/05/2025: 2 accounts in credit £70.00; 2 receipts in suspense £65.00"
    )


def test_at_the_end_of_june_only_what_stood_then_counts(
    db: Database, caseload: dict[str, int]
) -> None:
    report = Reports(db).build("unallocated", JUNE_END)
    credit, suspense = (sheet.tables[0].rows for sheet in report.sheets)
    # CC000301: £150.00 - £100.00 - £30.00 = £20.00; CC000302: £100.00 + £33.00 - £80.00.
    assert [(row[0], row[4], row[5]) for row in credit] == [
        ("CC000301", 20_00, -20_00),
        ("CC000302", 53_00, -53_00),
    ]
    assert [(row[0], row[2], row[7]) for row in suspense] == [
        (date(2025, 5, 10), 25_00, 51),
        (date(2025, 6, 5), 10_00, 25),
    ]
    assert report.summary["suspense"] == "35.00"
    assert report.summary["account_credit"] == "73.00"


def test_a_date_before_the_receipts_sees_none_of_them(
    db: Database, caseload: dict[str, int]
) -> None:
    # 01/05/2025: CC000302 owes its £80.00; nothing paid or received yet.
    report = Reports(db).build("unallocated", date(2025, 5, 1))
    assert report.summary == {
        "accounts": 0,
        "account_credit": "0.00",
        "suspense_items": 0,
        "suspense": "0.00",
    }


@pytest.mark.parametrize(("year", "month"), [(2025, 5), (2025, 6)])
def test_the_suspense_total_is_the_reconciliation_closing(
    db: Database, caseload: dict[str, int], year: int, month: int
) -> None:
    figures = Reconciliations(db).month(year, month)
    report = Reports(db).build("unallocated", figures.end)
    held = [row[2] for row in report.sheets[1].tables[0].rows]
    total = sum(pence for pence in held if isinstance(pence, int))
    assert total == figures.suspense.closing == {5: 65_00, 6: 35_00}[month]


def test_the_credit_is_what_ageing_calls_unallocated(
    db: Database, caseload: dict[str, int]
) -> None:
    report = Reports(db).build("unallocated", JUNE_END)
    with db.sessions() as s:
        aged = aged_accounts(s, JUNE_END)
    expected = {a: -x.unallocated for a, x in aged.items() if x.unallocated < 0}
    found = {caseload[str(row[0])]: row[4] for row in report.sheets[0].tables[0].rows}
    assert found == expected


def test_the_workbook_reads_back(db: Database, caseload: dict[str, int], tmp_path: Path) -> None:
    _, path = Reports(db).write("unallocated", tmp_path / "unallocated", MAY_END)
    assert path == tmp_path / "unallocated.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Account credit", "Suspense"]

    credit = book["Account credit"]
    assert (credit.freeze_panes, credit.auto_filter.ref) == ("B2", "A1:G3")
    assert [c.value for c in credit[1]] == [
        "Reference", "Client", "Officer", "Customer type",
        "Unallocated credit (shown positive)", "Balance", "Oldest open bill due",
    ]  # fmt: skip
    assert all(c.font.b for c in credit[1])
    assert credit["B3"].value == HYPERLINK and credit["B3"].data_type == "s"
    assert [round(credit[f"E{r}"].value * 100) for r in (2, 3)] == [50_00, 20_00]
    assert [round(credit[f"F{r}"].value * 100) for r in (2, 3)] == [-50_00, -20_00]
    assert {credit[f"{c}{r}"].number_format for c in "EF" for r in (2, 3)} == {POUNDS}
    assert credit["A4"].value == "Total"
    assert credit["E4"].value == "=SUBTOTAL(109,E2:E3)"
    assert credit["F4"].value == "=SUBTOTAL(109,F2:F3)"

    suspense = book["Suspense"]
    assert (suspense.freeze_panes, suspense.auto_filter.ref) == ("A2", "A1:H3")
    assert suspense["A2"].value.date() == date(2025, 5, 10)
    assert suspense["A2"].number_format == DATE
    assert [round(suspense[f"C{r}"].value * 100) for r in (2, 3)] == [25_00, 40_00]
    assert suspense["C2"].number_format == POUNDS
    assert (suspense["H2"].value, suspense["H2"].number_format) == (21, COUNT)
    totals = [c.value for c in suspense[4]]
    assert totals[0] == "Total"
    for column in (2, 3):
        letter = get_column_letter(column)
        assert totals[column - 1] == f"=SUBTOTAL(109,{letter}2:{letter}3)"
    assert totals[7] is None  # days are not added up
