"""The statute-barred report on a real database, its dates worked by hand.

As at Tue 24/11/2026; "barred soon" looks to 24/05/2027 (six calendar months). A debt
can be claimed to the sixth anniversary of its due date; a payment set against it or a
written acknowledgment, made while it is still in time, restarts the six years from its
date (Limitation Act 1980 s29(5)); one made later does not revive it (s29(7)).

=========  ==========  =======  ==========================  ==========  =============
account    due         amount   what happened (by D)        last day    as at D
=========  ==========  =======  ==========================  ==========  =============
SB000001   01/12/2020  £500     paid £100 on 10/03/2021      10/03/2027  soon, 106 days
SB000002   15/11/2020  £300     acknowledged 01/03/2021      01/03/2027  soon, 97 days
SB000003   20/11/2020  £250     paid £50 on 22/11/2026       20/11/2026  barred 4 days
                                (too late: no revival)
SB000004   01/12/2020  £600     paid £100 on 01/12/2026      01/12/2026  soon, 7 days
                                (after D: does not count)
SB000005   10/12/2020  £700     acknowledged 30/11/2026      10/12/2026  soon, 16 days
                                (after D: does not count)
SB000006   24/11/2020  £70      —                            24/11/2026  soon, 0 days
           24/05/2021  £80      —                            24/05/2027  soon, 181 days
           25/05/2021  £90      —                            25/05/2027  not listed
SB000007   01/01/2020  £1,000   paid £200 on 15/06/2020      15/06/2026  barred 162 days
=========  ==========  =======  ==========================  ==========  =============

Days: 24/11/2026 to 24/02/2027 is 30 + 31 + 31 = 92; to 10/03/2027 92 + 4 + 10 = 106; to
01/03/2027 92 + 5 = 97; to 24/05/2027 6 + 31 + 31 + 28 + 31 + 30 + 24 = 181. 15/06/2026 to
24/11/2026 is 30 + 31 + 31 + 30 + 31 + 9 = 162.
Barred soon: 70 + 600 + 700 + 300 + 400 + 80 = £2,150.00 on 6 invoices; already barred:
800 + 200 = £1,000.00 on 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.referrals import ReferralKind
from debtdesk.reports.report import Value
from debtdesk.reports.workbook import COUNT, DATE, POUNDS
from debtdesk.services import ledger
from debtdesk.services.contact_notes import ContactNotes, NewNote
from debtdesk.services.database import Database
from debtdesk.services.recovery import recovery_summary
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.referrals import Referrals
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.users import Users
from debtdesk.services.worklist import Worklists
from tests.services.support import add_account, clock_at

D = date(2026, 11, 24)
LATER = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)  # the clock once the later events happen


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


def _invoice(db: Database, account: int, pence: int, due: date) -> None:
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.SUNDRY, due, due,
            [(EntryKind.CHARGE, pence, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip


def _account(db: Database, number: int, *debts: tuple[int, date]) -> int:
    reference = f"SB{number:06d}"
    with db.sessions.begin() as s:
        account = add_account(s, reference, f"Client {number}", address="1 High Street")
    for pence, due in debts:
        _invoice(db, account, pence, due)
    return account


def _pay(db: Database, account: int, pence: int, day: date) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, day, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.CHEQUE,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


def _acknowledge(db: Database, account: int, day: date) -> None:
    ContactNotes(db).add(
        account,
        NewNote(
            datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC), ContactChannel.LETTER,
            Direction.INBOUND, "The client", "Letter accepting the debt", acknowledges_debt=True,
        ),
    )  # fmt: skip


@pytest.fixture
def accounts(db: Database) -> dict[str, int]:
    """The table above, with only what happened by D; later events are the tests' own."""
    ids = {
        "SB000001": _account(db, 1, (500_00, date(2020, 12, 1))),
        "SB000002": _account(db, 2, (300_00, date(2020, 11, 15))),
        "SB000003": _account(db, 3, (250_00, date(2020, 11, 20))),
        "SB000004": _account(db, 4, (600_00, date(2020, 12, 1))),
        "SB000005": _account(db, 5, (700_00, date(2020, 12, 10))),
        "SB000006": _account(
            db,
            6,
            (70_00, date(2020, 11, 24)),
            (80_00, date(2021, 5, 24)),
            (90_00, date(2021, 5, 25)),
        ),  # fmt: skip
        "SB000007": _account(db, 7, (1_000_00, date(2020, 1, 1))),
    }
    _pay(db, ids["SB000001"], 100_00, date(2021, 3, 10))
    _acknowledge(db, ids["SB000002"], date(2021, 3, 1))
    _pay(db, ids["SB000003"], 50_00, date(2026, 11, 22))
    _pay(db, ids["SB000007"], 200_00, date(2020, 6, 15))
    return ids


def _after_d(db: Database, ids: dict[str, int]) -> None:
    """What happens after D: SB000004 pays, SB000005 acknowledges the debt."""
    with clock_at(LATER):
        _pay(db, ids["SB000004"], 100_00, date(2026, 12, 1))
        _acknowledge(db, ids["SB000005"], date(2026, 11, 30))


SOON = [  # reference, due, outstanding, restarted on, by, last day, days left
    ("SB000006", date(2020, 11, 24), 70_00, None, "", date(2026, 11, 24), 0),
    ("SB000004", date(2020, 12, 1), 600_00, None, "", date(2026, 12, 1), 7),
    ("SB000005", date(2020, 12, 10), 700_00, None, "", date(2026, 12, 10), 16),
    ("SB000002", date(2020, 11, 15), 300_00, date(2021, 3, 1), "acknowledgment",
     date(2027, 3, 1), 97),
    ("SB000001", date(2020, 12, 1), 400_00, date(2021, 3, 10), "payment", date(2027, 3, 10), 106),
    ("SB000006", date(2021, 5, 24), 80_00, None, "", date(2027, 5, 24), 181),
]  # fmt: skip
BARRED = [
    ("SB000007", date(2020, 1, 1), 800_00, date(2020, 6, 15), "payment", date(2026, 6, 15), 162),
    ("SB000003", date(2020, 11, 20), 200_00, None, "", date(2026, 11, 20), 4),
]


def _picked(rows: Sequence[Sequence[Value]]) -> list[tuple[Value, ...]]:
    """Reference, due, outstanding, restarted on and by, last day, days of each row."""
    return [(r[0], r[4], r[5], r[6], r[7], r[8], r[9]) for r in rows]


def test_the_dates_worked_by_hand_and_only_what_happened_by_d(
    db: Database, accounts: dict[str, int]
) -> None:
    _after_d(db, accounts)
    report = Reports(db).build("statute-barred", D)
    soon, barred = (sheet.tables[0] for sheet in report.sheets)
    assert _picked(soon.rows) == SOON
    assert _picked(barred.rows) == BARRED
    assert report.summary == {
        "invoices": 6, "amount": "2150.00", "barred": 2, "barred_amount": "1000.00",
    }  # fmt: skip
    assert report.text == (
        "statute-barred at 24/11/2026: 6 invoice(s), £2,150.00, barred by 24/05/2027; "
        "2 invoice(s), £1,000.00, barred already"
    )
    # A day after the payment and the acknowledgment, both restart their debts' clocks:
    # 01/12/2032 and 30/11/2032, so neither is listed any more.
    later = Reports(db).build("statute-barred", date(2026, 12, 2))
    listed = {row[0] for row in later.sheets[0].tables[0].rows}
    assert "SB000004" not in listed and "SB000005" not in listed


def test_the_account_view_reads_the_same_rule(db: Database, accounts: dict[str, int]) -> None:
    """The Recovery tab's last day to claim (limits_for) agrees, as at D and after it."""
    _after_d(db, accounts)
    with clock_at(LATER):
        four = recovery_summary(db, accounts["SB000004"], D).limits
        five = recovery_summary(db, accounts["SB000005"], D).limits
        three = recovery_summary(db, accounts["SB000003"], D).limits
        five_later = recovery_summary(db, accounts["SB000005"], date(2026, 12, 1)).limits
    assert [line.last_day_to_claim for line in four] == [date(2026, 12, 1)]
    assert [line.last_day_to_claim for line in five] == [date(2026, 12, 10)]
    assert [line.last_day_to_claim for line in three] == [date(2026, 11, 20)]
    assert [line.last_day_to_claim for line in five_later] == [date(2032, 11, 30)]


def test_officer_stage_and_referral_as_at_d(
    db: Database, accounts: dict[str, int], tmp_path: Path
) -> None:
    """The recovery run of 10/11/2026 sends every account its reminder; a referral of
    26/11 and the run of 30/11/2026 (final reminders, 14 days on) come after D."""
    officer = Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    Worklists(db).reassign_account(accounts["SB000001"], officer.id)
    RecoveryRuns(db).run(date(2026, 11, 10), tmp_path)
    Referrals(db).refer(
        accounts["SB000002"], ReferralKind.TRACING_AGENT, date(2026, 11, 2), 300_00, "Trace UK"
    )
    Referrals(db).refer(
        accounts["SB000001"], ReferralKind.TRACING_AGENT, date(2026, 11, 26), 400_00, "Trace UK"
    )
    RecoveryRuns(db).run(date(2026, 11, 30), tmp_path)
    rows = {row[0]: row for row in Reports(db).build("statute-barred", D).sheets[0].tables[0].rows}
    assert (rows["SB000001"][2], rows["SB000001"][10], rows["SB000001"][11]) == (
        "Jo Smith", "Reminder", "",
    )  # fmt: skip
    assert (rows["SB000002"][2], rows["SB000002"][10], rows["SB000002"][11]) == (
        "", "Reminder", "with Trace UK (tracing agent) since 02/11/2026",
    )  # fmt: skip
    # At 30/11 the run gave final reminders, passing by the two accounts out with an agent.
    after = Reports(db).build("statute-barred", date(2026, 11, 30)).sheets[0].tables[0].rows
    assert {(row[0], row[10]) for row in after} == {
        ("SB000001", "Reminder"), ("SB000002", "Reminder"), ("SB000004", "Final reminder"),
        ("SB000005", "Final reminder"), ("SB000006", "Final reminder"),
    }  # fmt: skip


def test_the_workbook(db: Database, accounts: dict[str, int], tmp_path: Path) -> None:
    _after_d(db, accounts)
    _, path = Reports(db).write("statute-barred", tmp_path / "barred", D)
    assert path.name == "barred.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Barred soon", "Already barred"]
    for title, expected in (("Barred soon", SOON), ("Already barred", BARRED)):
        ws = book[title]
        last = 1 + len(expected)
        assert ws.freeze_panes == "B2"
        assert ws.auto_filter.ref == f"A1:L{last}"
        header = [c.value for c in ws[1]]
        assert header[:6] == ["Reference", "Client", "Officer", "Invoice", "Due",
                              "Outstanding at 24/11/2026"]  # fmt: skip
        assert header[6:] == ["Last payment or acknowledgment", "Which", "Last day to claim",
                              "Days left" if title == "Barred soon" else "Days since",
                              "Recovery stage", "Open referral"]  # fmt: skip
        for row, want in zip(ws.iter_rows(min_row=2, max_row=last), expected, strict=True):
            ref, due, pence, restarted, which, last_day, days = want
            assert row[0].value == ref
            assert (row[4].value.date(), row[4].number_format) == (due, DATE)
            assert (round(row[5].value * 100), row[5].number_format) == (pence, POUNDS)
            assert (row[6].value.date() if restarted else row[6].value) == restarted
            assert (row[7].value or "") == which
            assert (row[8].value.date(), row[8].number_format) == (last_day, DATE)
            assert (row[9].value, row[9].number_format) == (days, COUNT)
        totals = [c.value for c in ws[last + 1]]
        assert totals[0] == "Total"
        assert totals[5] == f"=SUBTOTAL(109,F2:F{last})"
        assert all(v is None for v in totals[6:])


def test_a_corrected_acknowledgment_counts_as_corrected(
    db: Database, accounts: dict[str, int]
) -> None:
    """SB000002's letter of 01/03/2021 is corrected: it did not accept the debt. The six
    years run from 15/11/2020 again: its last day to claim was 15/11/2026, 9 days before D."""
    [note] = ContactNotes(db).for_account(accounts["SB000002"])
    ContactNotes(db).correct(
        note.id,
        NewNote(
            note.happened_at, ContactChannel.LETTER, Direction.INBOUND, "The client",
            "Letter disputing the debt",
        ),
    )  # fmt: skip
    report = Reports(db).build("statute-barred", D)
    assert "SB000002" not in {row[0] for row in report.sheets[0].tables[0].rows}
    [row] = [r for r in report.sheets[1].tables[0].rows if r[0] == "SB000002"]
    assert (row[6], row[7], row[8], row[9]) == (None, "", date(2026, 11, 15), 9)
    [line] = recovery_summary(db, accounts["SB000002"], D).limits
    assert line.last_day_to_claim == date(2026, 11, 15)


def test_only_the_debtors_own_payment_restarts_the_six_years(db: Database) -> None:
    """A council credit set against the debt, and a payment later returned, are no payment
    "in respect of" the claim by the person liable (s29(5)): due 01/12/2020, the last day
    stays 01/12/2026, 7 days after D, with no restart shown."""
    account = _account(db, 8, (400_00, date(2020, 12, 1)))
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.CREDIT, -50_00, date(2021, 3, 1), source=EntrySource.USER,
            actor="tester", description="Goodwill credit",
        )  # fmt: skip
        ledger.allocate(s, account, "tester")
    rows = {row[0]: row for row in Reports(db).build("statute-barred", D).sheets[0].tables[0].rows}
    row = rows["SB000008"]
    assert (row[5], row[6], row[8], row[9]) == (350_00, None, date(2026, 12, 1), 7)
