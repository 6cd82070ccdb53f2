"""The direct debit failures report (``dd-failures``) on a real database, worked by hand.

Five clients with mandates lodged by a dd run on Mon 30/11/2026. Three pay a weekly
contribution w for care at £100.00 a week from 09/11/2026, so the period 09/11 - 06/12/2026
charges 28 x w/7 = 4w on a statement dated 07/12 and due Mon 21/12 (INDIVIDUAL), collected
on 21/12 (10 working days after 07/12 is 21/12), Bacs processing date Fri 18/12; a dd run
on 22/12 posts the collections:

    DF000001  w £70.00  £280.00  returned by the ARUDD of Tue 22/12/2026, code 0128 (= 0)
    DF000002  w £35.00  £140.00  returned by the same ARUDD, code 1 (instruction cancelled)
    DF000003  w £50.00  £200.00  returned by an ARUDD of Tue 05/01/2027, code 0

DF000004 and DF000005 have no care. An ADDACS of Wed 23/12/2026 cancels DF000004's mandate
(code 1, by the payer) and amends DF000005's (code E: not a cancellation); one of Wed
06/01/2027 cancels DF000005's (code B, account closed).

Periods (anchor 31/03/2025): NOV 09/11 - 06/12/2026, DEC 07/12/2026 - 03/01/2027.
As at Thu 31/12/2026 the 13 periods end with NOV and "to date" is 07/12 - 31/12: the
22/12 returns and the 23/12 cancellation, nothing of January. As at Sun 10/01/2027 they end
with DEC (22/12 and 23/12 in its column) and "to date" is 04/01 - 10/01 (05/01 and 06/01).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.money import json_pounds
from debtdesk.domain.periods import Period
from debtdesk.services.bacs_import import BacsImports
from debtdesk.services.database import Database
from debtdesk.services.dd_run import DirectDebitRun
from debtdesk.services.mandates import Mandates
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from debtdesk.services.users import Users
from debtdesk.services.worklist import Worklists
from tests.services.support import add_account, add_care

NOV = Period(date(2026, 11, 9))
LODGE, COLLECTED, POSTED = date(2026, 11, 30), date(2026, 12, 21), date(2026, 12, 22)
SUN = "418276"
COUNCIL = {"bacs.service_user_number": SUN, "bank.sort_code": "30-96-34",
           "bank.account_number": "41872956"}  # fmt: skip
POUNDS = '"£"#,##0.00;[Red]-"£"#,##0.00'


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement run renders PDFs: let pytest-qt make the application."""


def arudd_xml(report_date: date, items: list[tuple[str, str, str, str]]) -> str:
    """An ARUDD of returned debits ``(reference, pounds, return code, description)``, each
    originally processed on Fri 18/12/2026."""
    debits = "".join(
        f'<ReturnedDebitItem ref="{ref}" transCode="01" returnCode="{code}" '
        f'returnDescription="{text}" originalProcessingDate="2026-12-18" valueOf="{pounds}" '
        f'currency="GBP"><PayerAccount number="55770001" ref="{ref}" name="PAYER" '
        f'sortCode="20-00-00"/></ReturnedDebitItem>'
        for ref, pounds, code, text in items
    )
    total = sum(Decimal(pounds) for _, pounds, _, _ in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><BACSDocument><Data><ARUDD>'
        f'<Header reportType="REFT1019" adviceNumber="1" currentProcessingDate="{report_date}"/>'
        '<AddresseeInformation name="WEXSHIRE CC"/>'
        f'<ServiceLicenseInformation userName="WEXSHIRE CC" userNumber="{SUN}"/>'
        "<Advice><OriginatingAccountRecords><OriginatingAccountRecord>"
        '<OriginatingAccount name="WEXSHIRE CC" number="41872956" sortCode="30-96-34" type="0"/>'
        f'{debits}<Totals numberOf="{len(items)}" valueOf="{total}" currency="GBP"/>'
        "</OriginatingAccountRecord></OriginatingAccountRecords></Advice>"
        "</ARUDD></Data></BACSDocument>"
    )


def addacs_xml(report_date: date, items: list[tuple[str, str]]) -> str:
    """An ADDACS of advices ``(mandate reference, reason code)`` effective on its date."""
    advices = "".join(
        f'<MessagingAdvice user-number="{SUN}" record-type="A" effective-date="{report_date}" '
        f'reference="{ref}" payer-name="PAYER" payer-account-number="55770001" '
        f'payer-sort-code="200000" reason-code="{code}" aosn="{n:08d}"/>'
        for n, (ref, code) in enumerate(items, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><BACSDocument><Data><MessagingAdvices>'
        '<MessagingHeader document-number="0" advice-type="ADDACS" subject-first-aosn="00000001" '
        f'subject-last-aosn="{len(items):08d}" user-number="{SUN}" stream-identifier="0" '
        'envelope-sequence-number="00000002" '
        f'report-generation-date="{report_date}" user-name="WEXSHIRE CC" report-type="7001"/>'
        f'<AddresseeInformation name=" "/>{advices}<MessagingError/>'
        "</MessagingAdvices></Data></BACSDocument>"
    )


def apply_bacs(db: Database, tmp_path: Path, name: str, xml: str) -> None:
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    BacsImports(db).apply(path)


def mandated(db: Database, accounts: dict[str, tuple[int, str]]) -> dict[str, int]:
    """The council's settings; per reference an account (weekly pence, 0: no care, and its
    customer type) with a mandate ``DD<reference>``; their ids."""
    for key, value in COUNCIL.items():
        Settings(db).set(key, value)
    ids = {}
    for n, (reference, (weekly, type_code)) in enumerate(accounts.items(), 1):
        with db.sessions.begin() as s:
            ids[reference] = add_account(s, reference, f"Client {n}", type_code=type_code)
            if weekly:
                add_care(s, ids[reference], NOV.start, weekly, 10000)
        Mandates(db).create(
            ids[reference], f"DD{reference}", f"PAYER {n}", "20-00-00", f"5577{n:04d}",
            date(2026, 11, 2),
        )  # fmt: skip
    return ids


def collect(db: Database, tmp_path: Path) -> None:
    """Lodge the mandates, issue NOV's statements, schedule and post the collections."""
    DirectDebitRun(db).run(LODGE, tmp_path / "bacs")
    StatementRuns(db).run(NOV.end, tmp_path / "statements")
    DirectDebitRun(db).run(COLLECTED, tmp_path / "bacs")
    DirectDebitRun(db).run(POSTED, tmp_path / "bacs")


@pytest.fixture
def failures(db: Database, tmp_path: Path) -> Database:
    ids = mandated(db, {"DF000001": (7000, "INDIVIDUAL"), "DF000002": (3500, "INDIVIDUAL"),
                        "DF000003": (5000, "INDIVIDUAL"), "DF000004": (0, "INDIVIDUAL"),
                        "DF000005": (0, "INDIVIDUAL")})  # fmt: skip
    olive = Users(db).add("olive", "Olive Officer", UserRole.OFFICER)
    Worklists(db).reassign_account(ids["DF000001"], olive.id)
    collect(db, tmp_path)
    apply_bacs(db, tmp_path, "arudd1.xml", arudd_xml(POSTED, [
        ("DDDF000001", "280.00", "0128", "REFER TO PAYER"),
        ("DDDF000002", "140.00", "1", "INSTRUCTION CANCELLED"),
    ]))  # fmt: skip
    apply_bacs(
        db,
        tmp_path,
        "addacs1.xml",
        addacs_xml(date(2026, 12, 23), [("DDDF000004", "1"), ("DDDF000005", "E")]),
    )
    apply_bacs(db, tmp_path, "arudd2.xml", arudd_xml(date(2027, 1, 5), [
        ("DDDF000003", "200.00", "0", "REFER TO PAYER"),
    ]))  # fmt: skip
    apply_bacs(db, tmp_path, "addacs2.xml", addacs_xml(date(2027, 1, 6), [("DDDF000005", "B")]))
    return db


def _periods(rows: list[list[object]]) -> list[list[object]]:
    """The by-reason rows with only their last two period columns (the rest are zero)."""
    assert all(value == 0 for row in rows for value in row[3:15])
    return [[*row[:3], *row[15:]] for row in rows]


def test_returns_and_cancellations_count_by_code_and_period_as_at_the_date(
    failures: Database,
) -> None:
    report = Reports(failures).build("dd-failures", date(2027, 1, 10))

    by_reason, returned, cancelled = report.sheets
    # Columns: report, code, reason, 13 periods, to date, total, amount returned.
    # DEC holds the 22/12 returns and the 23/12 cancellation; "to date" the 05/01 return
    # and the 06/01 cancellation. 0128 is read as 0, so DF000001 and DF000003 share a row:
    # £280.00 + £200.00 = £480.00. Code E amends: not a cancellation.
    assert _periods([list(r) for r in by_reason.tables[0].rows]) == [
        ["ARUDD return", "0", "Refer to payer", 1, 1, 2, 48000],
        ["ARUDD return", "1", "Instruction cancelled", 1, 0, 1, 14000],
        ["ADDACS cancellation", "1", "Instruction cancelled by payer", 1, 0, 1, None],
        ["ADDACS cancellation", "B", "Account closed", 0, 1, 1, None],
    ]
    headers = [c.header for c in by_reason.tables[0].columns]
    assert headers[3] == "05/01–01/02/26" and headers[16:] == ["To date", "Total",
                                                                 "Amount returned"]  # fmt: skip
    # Return date, account, client, officer, collection date, amount, code, reason,
    # attempt (the first), plan instalment (none: a statement's collection).
    assert [list(r) for r in returned.tables[0].rows] == [
        [POSTED, "DF000001", "Client 1", "Olive Officer", COLLECTED, 28000, "0",
         "Refer to payer", 1, None],
        [POSTED, "DF000002", "Client 2", "", COLLECTED, 14000, "1", "Instruction cancelled",
         1, None],
        [date(2027, 1, 5), "DF000003", "Client 3", "", COLLECTED, 20000, "0",
         "Refer to payer", 1, None],
    ]  # fmt: skip
    assert [list(r) for r in cancelled.tables[0].rows] == [
        [date(2026, 12, 23), "DF000004", "Client 4", "", "DDDF000004", "1",
         "Instruction cancelled by payer"],
        [date(2027, 1, 6), "DF000005", "Client 5", "", "DDDF000005", "B", "Account closed"],
    ]  # fmt: skip
    # 280 + 140 + 200 = £620.00 returned.
    assert report.summary == {"returned": 3, "returned_amount": "620.00", "cancelled": 2}


def test_a_return_or_cancellation_dated_after_the_date_does_not_count(
    failures: Database,
) -> None:
    report = Reports(failures).build("dd-failures", date(2026, 12, 31))

    by_reason, returned, cancelled = report.sheets
    # The 13 periods end with NOV; "to date" 07/12 - 31/12 has the 22/12 and 23/12 items.
    # The ARUDD of 05/01 and ADDACS of 06/01, imported before the report, do not count.
    assert _periods([list(r) for r in by_reason.tables[0].rows]) == [
        ["ARUDD return", "0", "Refer to payer", 0, 1, 1, 28000],
        ["ARUDD return", "1", "Instruction cancelled", 0, 1, 1, 14000],
        ["ADDACS cancellation", "1", "Instruction cancelled by payer", 0, 1, 1, None],
    ]
    assert [r[1] for r in returned.tables[0].rows] == ["DF000001", "DF000002"]
    assert [r[1] for r in cancelled.tables[0].rows] == ["DF000004"]
    assert report.summary == {"returned": 2, "returned_amount": "420.00", "cancelled": 1}
    # The day before the return, nothing had failed.
    earlier = Reports(failures).build("dd-failures", date(2026, 12, 21))
    assert earlier.summary == {"returned": 0, "returned_amount": "0.00", "cancelled": 0}
    assert earlier.sheets[0].tables[0].rows == []


def test_the_workbook_reads_back_typed_with_totals_frozen_and_filtered(
    failures: Database, tmp_path: Path
) -> None:
    _, path = Reports(failures).write("dd-failures", tmp_path / "dd.xlsx", date(2027, 1, 10))

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "By reason", "Returned debits", "Mandates cancelled"]
    sheet = book["By reason"]
    # Header in row 1, four code rows in 2-5, totals in row 6. Columns D-P are the 13
    # periods, Q "to date", R the total, S the amount.
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("D2", "A1:S5")
    assert [sheet.cell(r, 17).value for r in range(2, 6)] == [1, 0, 0, 1]
    assert [sheet.cell(r, 18).value for r in range(2, 6)] == [2, 1, 1, 1]
    assert sheet["R2"].number_format == "#,##0"
    assert round(sheet["S2"].value * 100) == 48000 and sheet["S2"].number_format == POUNDS
    assert sheet["S4"].value is None  # a cancellation returns no money
    assert (sheet["A6"].value, sheet["Q6"].value, sheet["R6"].value, sheet["S6"].value) == (
        "Total", "=SUBTOTAL(109,Q2:Q5)", "=SUBTOTAL(109,R2:R5)", "=SUBTOTAL(109,S2:S5)",
    )  # fmt: skip
    detail = book["Returned debits"]
    assert (detail.freeze_panes, detail.auto_filter.ref) == ("C2", "A1:J4")
    assert detail["A2"].value.date() == POSTED and detail["A2"].number_format == "dd/mm/yyyy"
    assert [round(detail.cell(r, 6).value * 100) for r in range(2, 5)] == [28000, 14000, 20000]
    assert detail["F5"].value == "=SUBTOTAL(109,F2:F4)"
    mandates = book["Mandates cancelled"]
    assert (mandates.freeze_panes, mandates.auto_filter.ref) == ("C2", "A1:G3")
    assert mandates["F3"].value == "B"


def test_on_the_demo_caseload_the_returns_are_the_ledgers_by_raw_sql(demo: Database) -> None:
    as_of = date(2026, 11, 23)
    report = Reports(demo).build("dd-failures", as_of)
    first = report.parameters[1][1]
    with demo.engine.connect() as connection:
        count, total = connection.execute(
            text(
                "SELECT count(*), coalesce(sum(amount), 0) FROM ledger_entries "
                "WHERE kind = 'returned_payment' AND effective_date BETWEEN :a AND :b"
            ),
            {"a": first, "b": as_of},
        ).one()
    assert count > 0
    assert report.summary["returned"] == count
    assert report.summary["returned_amount"] == json_pounds(int(total))
    collection = Reports(demo).build("collection", as_of)  # the same returns, by period
    returned = sum(row[6] for row in collection.sheets[0].tables[0].rows)  # type: ignore[misc]
    assert returned == int(total)
