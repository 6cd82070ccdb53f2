"""The write-offs report for 01/04/2026 to 30/06/2026 (the financial year's default start),
worked by hand. RULES.md limits: team leader £1,000.00, finance manager £10,000.00.

Each account owes £1,500.00 (WO000004 £20,000.00). "officer" recommends; "leader" (team
leader) and "finance" (finance manager) decide; times are 10:00 UTC on the day:

    W1 WO000001 rec 20/03 £400.00 hardship      approved by leader on 10/04
    W2 WO000002 rec 15/04 £1,200.00 untraceable approved by finance on 01/05
    W3 WO000003 rec 05/05 £300.00 uneconomical  refused by leader on 06/05
    W4 WO000004 rec 10/05 £15,000.00 deceased   referred by finance on 12/05 (over £10,000)
    W5 WO000005 rec 01/06 £500.00 hardship      approved by leader on 03/07 (after 30/06)
    W6 WO000006 rec 01/07 £100.00 uneconomical  (after 30/06)

To 30/06: recommended in the period W2, W3, W4, W5 = 4; W1 recommended before it but
approved in it (a row, noted). Approved W1 + W2 = 2, £400.00 + £1,200.00 = £1,600.00, the
write-off entries effective 01/04-30/06 (W5's is dated 03/07). Refused 1 (W3), referred 1
(W4). W5 is still "recommended" at 30/06; W6 is not there at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from debtdesk.db.models import LedgerEntry
from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.write_offs import WriteOffReason
from debtdesk.reports.workbook import COUNT, DATE, POUNDS
from debtdesk.services import ledger
from debtdesk.services.database import Database, open_database
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.users import Users
from debtdesk.services.write_offs import WriteOffs
from tests.services.support import add_account, clock_at

JUNE_30 = date(2026, 6, 30)
HARDSHIP, UNTRACEABLE = WriteOffReason.HARDSHIP, WriteOffReason.UNTRACEABLE
UNECONOMICAL, DECEASED = WriteOffReason.UNECONOMICAL, WriteOffReason.DECEASED_NO_ESTATE


@contextmanager
def acting(db: Database, login: str, day: date) -> Iterator[WriteOffs]:
    """WriteOffs as ``login``, the clock at 10:00 UTC on ``day``."""
    other = open_database(db.url, actor=login)
    try:
        with clock_at(datetime.combine(day, time(10), tzinfo=UTC)):
            yield WriteOffs(other)
    finally:
        other.close()


def _recommend(db: Database, account: int, day: date, pence: int, reason: WriteOffReason) -> int:
    with acting(db, "officer", day) as w:
        return w.recommend(account, pence, reason, "evidence on file")


@pytest.fixture
def write_offs(db: Database) -> dict[str, int]:
    for login, role in [
        ("officer", UserRole.OFFICER),
        ("leader", UserRole.TEAM_LEADER),
        ("finance", UserRole.FINANCE_MANAGER),
    ]:
        Users(db).add(login, login.title(), role)
    ids: dict[str, int] = {}
    with db.sessions.begin() as s:
        for n in range(1, 7):
            ref = f"WO00000{n}"
            ids[ref] = add_account(s, ref, f"Client {n}")
            ledger.raise_invoice(
                s, ids[ref], InvoiceKind.SUNDRY, date(2026, 1, 5), date(2026, 1, 19),
                [(EntryKind.CHARGE, 20_000_00 if n == 4 else 1_500_00, None, "Contribution")],
                source=EntrySource.USER, actor="tester",
            )  # fmt: skip
    wo = {
        "W1": _recommend(db, ids["WO000001"], date(2026, 3, 20), 400_00, HARDSHIP),
        "W2": _recommend(db, ids["WO000002"], date(2026, 4, 15), 1_200_00, UNTRACEABLE),
        "W3": _recommend(db, ids["WO000003"], date(2026, 5, 5), 300_00, UNECONOMICAL),
        "W4": _recommend(db, ids["WO000004"], date(2026, 5, 10), 15_000_00, DECEASED),
        "W5": _recommend(db, ids["WO000005"], date(2026, 6, 1), 500_00, HARDSHIP),
        "W6": _recommend(db, ids["WO000006"], date(2026, 7, 1), 100_00, UNECONOMICAL),
    }
    with acting(db, "leader", date(2026, 4, 10)) as w:
        w.approve(wo["W1"], date(2026, 4, 10))
    with acting(db, "finance", date(2026, 5, 1)) as w:
        w.approve(wo["W2"], date(2026, 5, 1))
    with acting(db, "leader", date(2026, 5, 6)) as w:
        w.reject(wo["W3"], "the debtor has savings: pursue")
    with acting(db, "finance", date(2026, 5, 12)) as w:
        w.approve(wo["W4"], date(2026, 5, 12))
    with acting(db, "leader", date(2026, 7, 3)) as w:
        w.approve(wo["W5"], date(2026, 7, 3))
    return wo


LEADER, FINANCE = "team leader (up to £1,000.00)", "finance manager (up to £10,000.00)"


def test_the_period_as_it_stood_on_its_last_day(db: Database, write_offs: dict[str, int]) -> None:
    report = Reports(db).build("write-offs", JUNE_30)
    assert report.parameters == (("From", date(2026, 4, 1)), ("To (as at)", JUNE_30))
    rows = [list(r) for r in report.sheets[0].tables[0].rows]
    assert rows == [
        ["WO000001", "Client 1", date(2026, 3, 20), "Officer", 400_00,
         "Hardship or vulnerability", "approved", date(2026, 4, 10), "Leader", LEADER, 400_00,
         "recommended before the period"],
        ["WO000002", "Client 2", date(2026, 4, 15), "Officer", 1_200_00,
         "Untraceable (gone away)", "approved", date(2026, 5, 1), "Finance", FINANCE,
         1_200_00, ""],
        ["WO000003", "Client 3", date(2026, 5, 5), "Officer", 300_00, "Uneconomical to pursue",
         "refused", date(2026, 5, 6), "Leader", LEADER, None, ""],
        ["WO000004", "Client 4", date(2026, 5, 10), "Officer", 15_000_00,
         "Debtor deceased, no estate", "referred to the chief finance officer",
         date(2026, 5, 12), "Finance", "finance manager (above every limit, £10,000.00)",
         None, ""],
        ["WO000005", "Client 5", date(2026, 6, 1), "Officer", 500_00,
         "Hardship or vulnerability", "recommended", None, "", "", None, ""],
    ]  # fmt: skip
    assert report.summary == {
        "recommended": 4, "approved": 2, "approved_amount": "1600.00", "refused": 1,
        "referred": 1,
    }  # fmt: skip
    by_reason = {r[0]: list(r[1:]) for r in report.sheets[1].tables[0].rows}
    assert by_reason["Hardship or vulnerability"] == [1, 500_00, 1, 400_00]  # W5; W1
    assert by_reason["Untraceable (gone away)"] == [1, 1_200_00, 1, 1_200_00]
    assert by_reason["Uneconomical to pursue"] == [1, 300_00, 0, 0]
    assert by_reason["Debtor deceased, no estate"] == [1, 15_000_00, 0, 0]
    # The other five reasons: nothing.
    assert [v[0] for v in by_reason.values()].count(0) == 5 and len(by_reason) == 9
    assert [list(r) for r in report.sheets[2].tables[0].rows] == [
        ["team leader", 1, 400_00],
        ["finance manager", 1, 1_200_00],
        ["administrator", 0, 0],
    ]


def _ledger_write_offs(db: Database, start: date, end: date) -> int:
    with db.sessions() as s:
        return -sum(
            s.scalars(
                select(LedgerEntry.amount).where(
                    LedgerEntry.kind == EntryKind.WRITE_OFF,
                    LedgerEntry.effective_date.between(start, end),
                )
            )
        )


@pytest.mark.parametrize(
    ("start", "end", "pence"),
    [
        (date(2026, 4, 1), JUNE_30, 1_600_00),  # W1 + W2
        (date(2026, 4, 1), date(2026, 7, 31), 2_100_00),  # + W5 on 03/07
        (date(2026, 4, 11), date(2026, 5, 31), 1_200_00),  # W2 only
        (date(2026, 4, 1), date(2026, 4, 9), 0),
    ],
)
def test_approved_in_the_period_is_the_ledger_s_write_offs(
    db: Database, write_offs: dict[str, int], start: date, end: date, pence: int
) -> None:
    report = Reports(db).build("write-offs", end, start)
    assert report.summary["approved_amount"] == f"{pence // 100}.{pence % 100:02d}"
    assert _ledger_write_offs(db, start, end) == pence


def test_a_later_date_sees_the_later_decision(db: Database, write_offs: dict[str, int]) -> None:
    # To 31/07: W5 approved on 03/07 and W6 recommended on 01/07 join in.
    report = Reports(db).build("write-offs", date(2026, 7, 31))
    statuses = {r[0]: r[6] for r in report.sheets[0].tables[0].rows}
    assert (statuses["WO000005"], statuses["WO000006"]) == ("approved", "recommended")
    assert report.summary["recommended"] == 5 and report.summary["approved"] == 3
    # To 09/05: W3 was refused on 06/05, W4 not yet referred; W5 not yet recommended.
    report = Reports(db).build("write-offs", date(2026, 5, 9))
    statuses = {r[0]: r[6] for r in report.sheets[0].tables[0].rows}
    assert statuses == {"WO000001": "approved", "WO000002": "approved", "WO000003": "refused"}
    assert report.summary["referred"] == 0


def test_the_workbook_reads_back(db: Database, write_offs: dict[str, int], tmp_path: Path) -> None:
    _, path = Reports(db).write("write-offs", tmp_path / "wo.xlsx", JUNE_30)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Write-offs", "By reason", "By authority"]
    ws = book["Write-offs"]
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("B2", "A1:L6")
    assert (ws["C2"].value.date(), ws["C2"].number_format) == (date(2026, 3, 20), DATE)
    assert (ws["H2"].value.date(), ws["H2"].number_format) == (date(2026, 4, 10), DATE)
    assert [round(ws[f"E{r}"].value * 100) for r in range(2, 7)] == [
        400_00, 1_200_00, 300_00, 15_000_00, 500_00,
    ]  # fmt: skip
    assert ws["E2"].number_format == POUNDS and ws["K3"].number_format == POUNDS
    assert (ws["A7"].value, ws["E7"].value, ws["K7"].value) == (
        "Total", "=SUBTOTAL(109,E2:E6)", "=SUBTOTAL(109,K2:K6)",
    )  # fmt: skip
    reasons = book["By reason"]
    assert (reasons.freeze_panes, reasons.auto_filter.ref) == ("A2", "A1:E10")
    assert [c.value for c in reasons[11]] == [
        "Total", "=SUBTOTAL(109,B2:B10)", "=SUBTOTAL(109,C2:C10)", "=SUBTOTAL(109,D2:D10)",
        "=SUBTOTAL(109,E2:E10)",
    ]  # fmt: skip
    assert reasons["B2"].number_format == COUNT and reasons["C2"].number_format == POUNDS
    roles = book["By authority"]
    assert [roles["A2"].value, roles["B2"].value, round(roles["C2"].value * 100)] == [
        "team leader", 1, 400_00,
    ]  # fmt: skip
    assert roles["C5"].value == "=SUBTOTAL(109,C2:C4)"
