"""The caseload report (``caseload``) on a real database, worked by hand.

Care at £100.00 a week from 12/10/2026 at a weekly contribution w; statement runs for OCT
(12/10 - 08/11/2026, dated 09/11, due 23/11) and NOV (09/11 - 06/12, dated 07/12, due
21/12) each charge 28 x w/7 = 4w. The report runs from Mon 23/11 to Sun 20/12/2026 (the
default: the 28 days to the date), so the debt at start is as at Sun 22/11:

    CL000001 Olive  w £70.00  OCT £280.00, NOV £280.00; pays £100.00 on 16/11 (before),
                    £150.00 on 10/12 (in), £50.00 on 28/12 (after the date)
    CL000002 Olive  w £35.00  OCT £140.00, NOV £140.00; £50.00 written off on 14/12
    CL000003 Peter  w £50.00  OCT £200.00, NOV £200.00; pays £200.00 by transfer on 30/11,
                    returned unpaid on 03/12; an adjustment of +£12.34 on 01/12
    CL000004 none   w £17.50  OCT £70.00 (paid by cheque 12/11), NOV £70.00
    CL000005 Peter  ceased, nothing on it
    CL000006 Quinn  w £17.50  OCT £70.00, NOV £70.00; Quinn is no longer active
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, text

from debtdesk.db.models import Account, LedgerEntry
from debtdesk.domain.caseload import AccountStatus, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.money import json_pounds
from debtdesk.domain.periods import Period
from debtdesk.domain.write_offs import WriteOffReason
from debtdesk.services import ledger
from debtdesk.services.database import Database, open_database
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.statement_run import StatementRuns
from debtdesk.services.users import Users
from debtdesk.services.worklist import Worklists
from debtdesk.services.write_offs import WriteOffs
from tests.services.support import add_account, add_care
from tests.services.test_report_dd_failures import POUNDS

OCT, NOV = Period(date(2026, 10, 12)), Period(date(2026, 11, 9))
AS_OF = date(2026, 12, 20)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement run renders PDFs: let pytest-qt make the application."""


@contextmanager
def login(db: Database, name: str) -> Iterator[Database]:
    other = open_database(db.url, actor=name)
    try:
        yield other
    finally:
        other.close()


def _post(
    db: Database, account: int, kind: EntryKind, pence: int, day: date,
    method: PaymentMethod | None = None, reverses: int | None = None,
) -> int:  # fmt: skip
    with db.sessions.begin() as s:
        reversed_entry = s.get(LedgerEntry, reverses) if reverses else None
        entry = ledger.post_entry(
            s, account, kind, pence, day, source=EntrySource.USER, actor="tester",
            method=method, reverses=reversed_entry,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
        return entry.id


@pytest.fixture
def caseload(db: Database, tmp_path: Path) -> Database:
    users = Users(db)
    officers = {name: users.add(name.lower(), name, UserRole.OFFICER).id
                for name in ("Olive", "Peter", "Quinn")}  # fmt: skip
    users.add("leader", "Lee Leader", UserRole.TEAM_LEADER)
    plan = {"CL000001": (7000, "Olive"), "CL000002": (3500, "Olive"),
            "CL000003": (5000, "Peter"), "CL000004": (1750, None), "CL000005": (0, "Peter"),
            "CL000006": (1750, "Quinn")}  # fmt: skip
    ids = {}
    for reference, (weekly, officer) in plan.items():
        with db.sessions.begin() as s:
            ids[reference] = add_account(s, reference, f"Client {reference[-1]}")
            if weekly:
                add_care(s, ids[reference], OCT.start, weekly, 10000)
            else:
                s.get_one(Account, ids[reference]).status = AccountStatus.CEASED
        if officer:
            Worklists(db).reassign_account(ids[reference], officers[officer])
    users.change("quinn", active=False)
    for period in (OCT, NOV):
        StatementRuns(db).run(period.end, tmp_path / "statements")
    one, two, three = ids["CL000001"], ids["CL000002"], ids["CL000003"]
    _post(db, one, EntryKind.PAYMENT, -10000, date(2026, 11, 16), PaymentMethod.CHEQUE)
    _post(db, one, EntryKind.PAYMENT, -15000, date(2026, 12, 10), PaymentMethod.CARD)
    _post(db, one, EntryKind.PAYMENT, -5000, date(2026, 12, 28), PaymentMethod.CARD)
    paid = _post(db, three, EntryKind.PAYMENT, -20000, date(2026, 11, 30),
                 PaymentMethod.BANK_TRANSFER)  # fmt: skip
    _post(db, three, EntryKind.ADJUSTMENT, 1234, date(2026, 12, 1))
    _post(db, three, EntryKind.RETURNED_PAYMENT, 20000, date(2026, 12, 3),
          PaymentMethod.BANK_TRANSFER, reverses=paid)  # fmt: skip
    _post(db, ids["CL000004"], EntryKind.PAYMENT, -7000, date(2026, 11, 12),
          PaymentMethod.CHEQUE)  # fmt: skip
    with login(db, "olive") as olive:
        write_off = WriteOffs(olive).recommend(two, 5000, WriteOffReason.HARDSHIP, "SFS seen")
    with login(db, "leader") as leader:
        WriteOffs(leader).approve(write_off, date(2026, 12, 14))
    return db


def test_each_officers_debt_moves_from_start_to_end_by_what_happened(
    caseload: Database,
) -> None:
    report = Reports(caseload).build("caseload", AS_OF)  # from 23/11 by default

    rows = [list(r) for r in report.sheets[0].tables[0].rows]
    # Officer, accounts, in debt, start, charged, received, written off, other, end,
    # movement, overdue (OCT's bills were due 23/11; NOV's, due 21/12, are not yet).
    assert rows == [
        # CL1 at start 280 - 100 = £180.00 and CL2 £140.00: £320.00. Charged NOV's 280 +
        # 140 = £420.00; received £150.00 (the 28/12 payment is after the date); written
        # off £50.00. End 320 + 420 - 150 - 50 = £540.00 (CL1 £310.00, CL2 £230.00).
        # Overdue: OCT's £280.00 less £250.00 paid = £30.00, and £140.00 less the £50.00
        # written off = £90.00: £120.00.
        ["Olive", 2, 2, 32000, 42000, 15000, 5000, 0, 54000, 22000, 12000],
        # CL3 at start £200.00; charged £200.00; received £200.00 less £200.00 returned =
        # nothing; other +£12.34. End 200 + 200 + 12.34 = £412.34; OCT's £200.00 overdue
        # (the returned payment no longer pays it). CL5 is ceased owing nothing: not open.
        ["Peter", 1, 1, 20000, 20000, 0, 0, 1234, 41234, 21234, 20000],
        # Quinn has left but still has CL6: OCT £70.00 at start, NOV £70.00 charged,
        # £140.00 at the end, OCT's £70.00 overdue.
        ["Quinn (inactive)", 1, 1, 7000, 7000, 0, 0, 0, 14000, 7000, 7000],
        # CL4: OCT paid on 12/11, so nothing at start; NOV's £70.00, not yet due.
        ["Unassigned", 1, 1, 0, 7000, 0, 0, 0, 7000, 7000, 0],
    ]
    for _, _, _, start, charged, received, written_off, other, end, moved, _ in rows:
        assert start + charged - received - written_off + other == end == start + moved
    # Debt at start 320 + 200 + 70 + 0 = £590.00; at end 540 + 412.34 + 140 + 70 =
    # £1,162.34; five open accounts.
    assert report.summary == {"officers": 4, "accounts": 5, "debt_start": "590.00",
                              "debt_end": "1162.34"}  # fmt: skip
    assert report.parameters == (("From", date(2026, 11, 23)), ("To", AS_OF))


def test_a_payment_dated_after_the_date_counts_only_in_a_later_report(
    caseload: Database,
) -> None:
    # To Mon 28/12, from Tue 01/12: CL1's £50.00 of 28/12 now counts. At the start
    # (30/11) CL1 owed £180.00 and CL2 £140.00; NOV's £420.00 charged; £150.00 + £50.00
    # received; £50.00 written off: 320 + 420 - 200 - 50 = £490.00.
    report = Reports(caseload).build("caseload", date(2026, 12, 28), date(2026, 12, 1))

    olive = list(report.sheets[0].tables[0].rows[0])
    assert olive[:9] == ["Olive", 2, 2, 32000, 42000, 20000, 5000, 0, 49000]
    # Peter from 01/12: the payment of 30/11 is before the start (CL3 owed £0.00 then),
    # its return of 03/12 inside: received -£200.00. 0 + 200 + 200 + 12.34 = £412.34.
    peter = list(report.sheets[0].tables[0].rows[1])
    assert peter[3:9] == [0, 20000, -20000, 0, 1234, 41234]


def test_the_workbook_reads_back_typed_with_totals_frozen_and_filtered(
    caseload: Database, tmp_path: Path
) -> None:
    _, path = Reports(caseload).write("caseload", tmp_path / "caseload.xlsx", AS_OF)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Officers"]
    sheet = book["Officers"]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("B2", "A1:K5")
    assert [sheet.cell(2, c).value for c in (1, 2, 3)] == ["Olive", 2, 2]
    assert [round(sheet.cell(2, c).value * 100) for c in range(4, 12)] == [
        32000,
        42000,
        15000,
        5000,
        0,
        54000,
        22000,
        12000,
    ]
    assert sheet["B2"].number_format == "#,##0" and sheet["I2"].number_format == POUNDS
    assert [sheet.cell(6, c).value for c in (1, 2, 4, 9, 11)] == [
        "Total", "=SUBTOTAL(109,B2:B5)", "=SUBTOTAL(109,D2:D5)", "=SUBTOTAL(109,I2:I5)",
        "=SUBTOTAL(109,K2:K5)",
    ]  # fmt: skip
    cover = book["Cover"]
    assert cover["A1"].value == "Caseload by officer"
    with caseload.sessions() as s:  # the report only read the database
        assert s.scalar(select(Account.balance).where(Account.reference == "CL000001")) == 26000


def test_on_the_demo_caseload_the_totals_are_the_ledgers_by_raw_sql(demo: Database) -> None:
    start, as_of = date(2026, 10, 1), date(2026, 11, 23)
    report = Reports(demo).build("caseload", as_of, start)

    def ledger_total(day: date) -> int:
        with demo.engine.connect() as connection:
            sql = "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE effective_date <= :d"
            return int(connection.execute(text(sql), {"d": day}).scalar_one())

    assert report.summary["debt_start"] == json_pounds(ledger_total(date(2026, 9, 30)))
    assert report.summary["debt_end"] == json_pounds(ledger_total(as_of))
    for row in report.sheets[0].tables[0].rows:
        start_debt, charged, received, written_off, other, end = row[3:9]
        assert isinstance(start_debt, int) and isinstance(end, int)
        assert start_debt + charged - received - written_off + other == end  # type: ignore[operator]
