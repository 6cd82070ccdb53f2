"""The aged debt report (services.reporting.aged_debt), worked by hand, then checked against
``account show`` and ``check`` on the demo, and read back as a workbook.

The hand-worked caseload, as at Tue 30/06/2026 (ages are 30/06/2026 less the due date):

* AD000001 Mrs Ann Able (INDIVIDUAL, officer Olive Officer). Bills: A £100.00 due
  30/06/2026 (0 days: not due), B £200.00 due 31/05/2026 (30 days: 1-30), C £300.00 due
  01/01/2026 (180 days: 91-180). Paid £250.00 on 10/06/2026, set against C (oldest
  first): C owes £50.00. Paid £120.00 on 05/07/2026, after the date: it does not count.
  Balance £600.00 - £250.00 = £350.00. A complaint hold from 20/05/2026 (review
  31/07/2026) and a plan of £50.00 a month from 08/06/2026 (its first instalment paid by
  the £250.00, inside the 7 days' grace; the plan sets its own "payment plan being kept"
  hold); a dispute hold from 01/03/2026 ended on 01/04/2026 is not shown.
* AD000002 Mr Bob Barr (BUSINESS, no officer). D £1,000.00 due 31/05/2025 (395 days:
  over 365), E £40.00 due 15/04/2026 (15 + 31 + 30 = 76 days: 61-90). Balance
  £1,040.00. A recovery run on 20/06/2026 sends a reminder; one on 10/07/2026 the final
  reminder (14 days after the reminder), after the date.
* AD000003 =HYPERLINK("x") (INDIVIDUAL, Olive Officer): F £80.00 due 01/03/2026, paid
  £100.00 on 10/03/2026: in credit, £20.00 unallocated, nothing owed by age.
* AD000004 paid in full (not shown); AD000005 billed on 06/07/2026, after the date (not
  shown at 30/06/2026: £60.00 not due at 10/07/2026).

Totals at 30/06/2026: 3 accounts; balance £350.00 + £1,040.00 - £20.00 = £1,370.00; not due
£100.00, 1-30 £200.00, 61-90 £40.00, 91-180 £50.00, over 365 £1,000.00; unallocated -£20.00.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from debtdesk.db.models import Account
from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.payment_plans import Frequency
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.holds import Holds
from debtdesk.services.payment_plans import PaymentPlans, PlanTerms
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.users import Users
from debtdesk.services.worklist import Worklists
from tests.services.support import DEMO_AS_OF, add_account

AS_OF = date(2026, 6, 30)
LATER = date(2026, 7, 10)
HEADERS = [
    "Reference", "Client", "Officer", "Customer type", "Status", "Recovery stage", "Holds",
    "Plan", "Balance", "Not due", "1–30 days", "31–60", "61–90", "91–180", "181–365",
    "Over 365", "Unallocated",
]  # fmt: skip
NAMES = ("not_due", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365")


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


def _bill(db: Database, account: int, due: date, pence: int, issued: date | None = None) -> None:
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.SUNDRY, issued or due, due,
            [(EntryKind.CHARGE, pence, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip


def _pay(db: Database, account: int, on: date, pence: int) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, on, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.BANK_TRANSFER,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


@pytest.fixture
def caseload(db: Database, tmp_path: Path) -> Database:
    with db.sessions.begin() as s:
        able = add_account(s, "AD000001", "Mrs Ann Able")
        barr = add_account(s, "AD000002", "Mr Bob Barr", type_code="BUSINESS")
        link = add_account(s, "AD000003", '=HYPERLINK("x")')
        paid = add_account(s, "AD000004", "Mr Paid Up")
        late = add_account(s, "AD000005", "Ms Late Starter")
    olive = Users(db).add("olive", "Olive Officer", UserRole.OFFICER).id
    for account in (able, link):
        Worklists(db).reassign_account(account, olive)
    _bill(db, able, date(2026, 1, 1), 300_00, issued=date(2025, 12, 18))  # C
    _bill(db, able, date(2026, 5, 31), 200_00, issued=date(2026, 5, 17))  # B
    _bill(db, able, date(2026, 6, 30), 100_00, issued=date(2026, 6, 16))  # A
    _pay(db, able, date(2026, 6, 10), 250_00)
    _pay(db, able, date(2026, 7, 5), 120_00)  # after the date
    _bill(db, barr, date(2025, 5, 31), 1000_00, issued=date(2025, 5, 1))  # D
    _bill(db, barr, date(2026, 4, 15), 40_00, issued=date(2026, 3, 16))  # E
    _bill(db, link, date(2026, 3, 1), 80_00, issued=date(2026, 2, 15))  # F
    _pay(db, link, date(2026, 3, 10), 100_00)
    _bill(db, paid, date(2026, 2, 1), 50_00, issued=date(2026, 1, 18))
    _pay(db, paid, date(2026, 2, 5), 50_00)
    _bill(db, late, date(2026, 7, 20), 60_00, issued=date(2026, 7, 6))
    holds = Holds(db)
    holds.set(able, HoldReason.COMPLAINT, date(2026, 5, 20), review=date(2026, 7, 31))
    dispute = holds.set(able, HoldReason.DISPUTE, date(2026, 3, 1), review=date(2026, 5, 1))
    holds.end(dispute, date(2026, 4, 1), "Resolved")
    PaymentPlans(db).create(
        able, PlanTerms(50_00, Frequency.MONTHLY, date(2026, 6, 8), 300_00, PaymentMethod.CARD)
    )
    RecoveryRuns(db).run(date(2026, 6, 20), tmp_path / "run1")
    RecoveryRuns(db).run(LATER, tmp_path / "run2")
    return db


def _aged(**buckets: int) -> list[int]:
    return [buckets.get(name, 0) for name in NAMES]


def test_the_hand_worked_caseload_as_at_the_date(caseload: Database) -> None:
    report = Reports(caseload).build("aged-debt", AS_OF)
    accounts, summary = report.sheets
    [table] = accounts.tables
    assert [c.header for c in table.columns] == HEADERS
    assert [list(row) for row in table.rows] == [
        ["AD000001", "Mrs Ann Able", "Olive Officer", "INDIVIDUAL", "Active", "",
         "Complaint; Payment plan being kept", "£50.00 a month from 08/06/2026",
         350_00, *_aged(not_due=100_00, **{"1_30": 200_00, "91_180": 50_00}), 0],
        ["AD000002", "Mr Bob Barr", "", "BUSINESS", "Active", "Reminder", "", "",
         1040_00, *_aged(**{"61_90": 40_00, "over_365": 1000_00}), 0],
        ["AD000003", '=HYPERLINK("x")', "Olive Officer", "INDIVIDUAL", "Active", "", "", "",
         -20_00, *_aged(), -20_00],
    ]  # fmt: skip
    by_officer, by_type = summary.tables
    assert [list(r) for r in by_officer.rows] == [
        # Able and the credit account: £350.00 - £20.00; then Barr, who has no officer.
        ["Olive Officer", 2, 330_00, *_aged(not_due=100_00, **{"1_30": 200_00, "91_180": 50_00}),
         -20_00],
        ["No officer", 1, 1040_00, *_aged(**{"61_90": 40_00, "over_365": 1000_00}), 0],
    ]  # fmt: skip
    assert [list(r)[:3] for r in by_type.rows] == [
        ["BUSINESS", 1, 1040_00],
        ["INDIVIDUAL", 2, 330_00],
    ]
    assert report.summary == {
        "accounts": 3, "balance": "1370.00",
        "aged": {"not_due": "100.00", "1_30": "200.00", "31_60": "0.00", "61_90": "40.00",
                 "91_180": "50.00", "181_365": "0.00", "over_365": "1000.00"},
        "unallocated": "-20.00",
    }  # fmt: skip
    assert report.text == "Aged debt at 30/06/2026: 3 accounts, £1,370.00"
    assert report.parameters == (("As at", AS_OF),)


def test_ten_days_later_the_late_payment_and_bill_count(caseload: Database) -> None:
    """At 10/07/2026 the £120.00 of 05/07 has paid C's £50.00 and £70.00 of B: Able owes
    A £100.00 (10 days: 1-30) and B £130.00 (40 days: 31-60), £230.00; Barr has had the
    final reminder that day; AD000005's £60.00 bill is not yet due."""
    rows = {
        r[0]: list(r) for r in Reports(caseload).build("aged-debt", LATER).sheets[0].tables[0].rows
    }
    assert rows["AD000001"][8:] == [230_00, *_aged(**{"1_30": 100_00, "31_60": 130_00}), 0]
    assert rows["AD000002"][5] == "Final reminder"
    assert rows["AD000005"][8:] == [60_00, *_aged(not_due=60_00), 0]
    # Before the plan began and before the complaint: no plan, the dispute only.
    early = Reports(caseload).build("aged-debt", date(2026, 3, 15)).sheets[0].tables[0].rows
    able = next(r for r in early if r[0] == "AD000001")
    assert (able[5], able[6], able[7]) == ("", "Dispute", "")


def test_the_workbook(caseload: Database, tmp_path: Path) -> None:
    _, path = Reports(caseload).write("aged-debt", tmp_path / "aged", AS_OF)
    assert path == tmp_path / "aged.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == ["Cover", "Accounts", "Summary"]
    ws = book["Accounts"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:Q4"
    link = ws["B4"]
    assert (link.value, link.data_type) == ('=HYPERLINK("x")', "s")  # text, never a formula
    able = [c.value for c in ws[2]]
    assert [round(v * 100) for v in able[8:]] == [35000, 10000, 20000, 0, 0, 5000, 0, 0, 0]
    assert ws["I2"].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    total = [c.value for c in ws[5]]
    assert total[0] == "Total"
    assert total[8] == "=SUBTOTAL(109,I2:I4)"
    assert total[16] == "=SUBTOTAL(109,Q2:Q4)"
    assert ws["I5"].number_format == ws["I2"].number_format and ws["I5"].font.b
    summary = book["Summary"]
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    assert rows[0][0] == "By officer"
    assert rows[1][:3] == ["Officer", "Accounts", "Balance"]
    assert rows[2][:2] == ["Olive Officer", 2] and round(rows[2][2] * 100) == 33000
    assert rows[4][:3] == ["Total", "=SUBTOTAL(109,B3:B4)", "=SUBTOTAL(109,C3:C4)"]
    assert rows[6][0] == "By customer type"
    assert rows[8][0] == "BUSINESS" and round(rows[8][2] * 100) == 104000
    assert summary["B3"].number_format == "#,##0"
    cover = [[c.value for c in row] for row in book["Cover"].iter_rows()]
    assert ["As at", AS_OF] in [
        [r[0], r[1].date() if r[1] else None] for r in cover if r[0] == "As at"
    ]


def test_the_demo_agrees_with_account_show_and_check(demo: Database) -> None:
    with demo.sessions() as s:
        references = list(s.scalars(select(Account.reference).order_by(Account.reference)))
    detail = Accounts(demo)
    for as_of in (DEMO_AS_OF, date(2026, 3, 31)):
        report = Reports(demo).build("aged-debt", as_of)
        rows = {r[0]: list(r) for r in report.sheets[0].tables[0].rows}
        for reference in references:
            shown = detail.detail(reference, as_of)
            expected = [shown.balance, *(shown.aged[b] for b in NAMES), shown.unallocated]
            if reference in rows:
                assert rows[reference][8:] == expected, (reference, as_of)
                assert rows[reference][1:4] == [shown.name, shown.officer, shown.customer_type]
            else:  # left out only when there is nothing to show
                assert expected == [0] * 9, (reference, as_of)
    result = check(demo)
    assert result.ok
    total = sum(r[8] for r in Reports(demo).build("aged-debt", DEMO_AS_OF).sheets[0].tables[0].rows)
    with demo.sessions() as s:
        cached = sum(s.scalars(select(Account.balance)))
    assert total == cached


# Days past due at the date and the bucket each lands in (RULES.md), at every edge.
EDGES = [
    (-5, "not_due"), (0, "not_due"), (1, "1_30"), (30, "1_30"), (31, "31_60"), (60, "31_60"),
    (61, "61_90"), (90, "61_90"), (91, "91_180"), (180, "91_180"), (181, "181_365"),
    (365, "181_365"), (366, "over_365"),
]  # fmt: skip


def test_bucket_edges(db: Database) -> None:
    """One bill a day-count above, each of 2**i pence, so every bucket's total says which
    bills are in it: not due 1 + 2 = 3; 1-30 4 + 8 = 12; 31-60 16 + 32 = 48; 61-90 64 + 128
    = 192; 91-180 256 + 512 = 768; 181-365 1024 + 2048 = 3072; over 365 4096."""
    with db.sessions.begin() as s:
        account = add_account(s, "AD000009", "Ms Edge")
    for i, (days, _) in enumerate(EDGES):
        due = date.fromordinal(AS_OF.toordinal() - days)
        _bill(db, account, due, 2**i, issued=min(due, AS_OF))
    [row] = Reports(db).build("aged-debt", AS_OF).sheets[0].tables[0].rows
    assert list(row[8:]) == [8191, 3, 12, 48, 192, 768, 3072, 4096, 0]
