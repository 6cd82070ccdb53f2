"""Referrals to agents, legal and the court: recorded, returned, refused, and exported.

The figures, worked by hand:

    RF000001 Mrs Ann Able  enforcement agent, Bristow & Sutor, ref BS-4471,
                           referred Mon 02/03/2026 for £1,250.00; returned Thu 30/04/2026,
                           £800.00 recovered
    RF000002 "=cmd"        tracing agent, @Trace UK, ref TR-0091, referred Mon 16/03/2026
                           for £432.10; still open. At 01/06/2026 it has been out
                           15 (rest of March) + 30 (April) + 31 (May) + 1 = 77 days

    totals: referred 125000 + 43210 = 168210 pence (£1,682.10);
            recovered 80000 + 0 = 80000 pence (£800.00)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.referrals import ReferralKind
from debtdesk.reports.workbook import COUNT, DATE, POUNDS
from debtdesk.services.database import Database, open_database
from debtdesk.services.deferred_payments import DeferredPayments
from debtdesk.services.errors import BadInput, NotAllowed, NotFound
from debtdesk.services.referrals import Referrals
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.users import Users
from tests.services.support import add_account, table_counts

EA, TRACE = ReferralKind.ENFORCEMENT_AGENT, ReferralKind.TRACING_AGENT
MAR_2, MAR_16, APR_30, AS_OF = (
    date(2026, 3, 2),
    date(2026, 3, 16),
    date(2026, 4, 30),
    date(2026, 6, 1),
)
OPEN_EA = (
    "RF000001 already has referral 1, enforcement agent to Bristow & Sutor "
    "(their reference BS-4471) on 02/03/2026, not yet returned: record its return first"
)


@pytest.fixture
def accounts(db: Database) -> tuple[int, int]:
    with db.sessions.begin() as s:
        return add_account(s, "RF000001", "Mrs Ann Able"), add_account(s, "RF000002", "=cmd")


def _referral_actions(db: Database) -> list[str]:
    with db.engine.connect() as c:
        return [
            r[0]
            for r in c.execute(
                text("SELECT action FROM audit_events WHERE action LIKE 'referral.%' ORDER BY id")
            )
        ]


@pytest.fixture
def unchanged(db: Database, accounts: tuple[int, int]) -> Iterator[None]:
    """Every row count is the same after the test as before it."""
    Referrals(db).refer(accounts[0], EA, MAR_2, 125_000, "Bristow & Sutor", "BS-4471")
    before = table_counts(db.engine)
    listed = Referrals(db).listing()
    yield
    assert table_counts(db.engine) == before
    assert Referrals(db).listing() == listed


def test_a_referral_is_recorded_listed_and_returned(
    db: Database, accounts: tuple[int, int]
) -> None:
    able, _ = accounts
    ref_id = Referrals(db).refer(able, EA, MAR_2, 125_000, "  Bristow & Sutor ", " BS-4471 ")
    [line] = Referrals(db).for_account(able)
    assert (line.id, line.account_ref, line.client_name) == (ref_id, "RF000001", "Mrs Ann Able")
    assert (line.kind, line.kind_name, line.referred_on, line.amount) == (
        EA, "Enforcement agent", MAR_2, 125_000,
    )  # fmt: skip
    assert (line.agency, line.reference, line.actor) == ("Bristow & Sutor", "BS-4471", "tester")
    assert (line.returned_on, line.outcome, line.recovered) == (None, "", 0)
    assert line.is_open and line.days_out(date(2026, 3, 12)) == 10  # 02/03 to 12/03
    assert line.days_out(date(2026, 3, 1)) == 0  # never below zero
    assert Referrals(db).listing(open_only=True) == [line]

    Referrals(db).record_return(ref_id, APR_30, " Goods removed; part paid ", 80_000)
    [line] = Referrals(db).for_account(able)
    assert (line.returned_on, line.outcome, line.recovered) == (
        APR_30, "Goods removed; part paid", 80_000,
    )  # fmt: skip
    assert not line.is_open and line.days_out(AS_OF) is None
    assert Referrals(db).listing(open_only=True) == []
    assert Referrals(db).listing() == [line]
    assert _referral_actions(db) == ["referral.refer", "referral.return"]

    # Returned, the same kind may go again; while that one is open another kind may too.
    again = Referrals(db).refer(able, EA, date(2026, 5, 4), 45_000, "Marston")
    DeferredPayments(db).record(able, DpaOutcome.NOT_AVAILABLE, APR_30, "Lives at home")
    legal = Referrals(db).refer(able, ReferralKind.LEGAL, date(2026, 5, 4), 45_000, "Legal")
    assert [r.id for r in Referrals(db).listing(open_only=True)] == [again, legal]


def test_the_list_is_by_date_referred_then_id_with_account_and_client(
    db: Database, accounts: tuple[int, int]
) -> None:
    able, cmd = accounts
    first = Referrals(db).refer(cmd, TRACE, MAR_16, 43_210, "@Trace UK", "TR-0091")
    second = Referrals(db).refer(able, EA, MAR_2, 125_000, "Bristow & Sutor", "BS-4471")
    DeferredPayments(db).record(able, DpaOutcome.OFFERED, MAR_2)
    DeferredPayments(db).record(able, DpaOutcome.REFUSED, MAR_16)
    third = Referrals(db).refer(able, ReferralKind.COUNTY_COURT_CLAIM, MAR_16, 125_000, "HMCTS")
    listed = Referrals(db).listing()
    assert [(r.id, r.account_ref, r.client_name, r.kind_name) for r in listed] == [
        (second, "RF000001", "Mrs Ann Able", "Enforcement agent"),
        (first, "RF000002", "=cmd", "Tracing agent"),
        (third, "RF000001", "Mrs Ann Able", "County court claim"),
    ]
    assert [r.id for r in Referrals(db).for_account(able)] == [second, third]
    assert [r.id for r in Referrals(db).for_account(cmd)] == [first]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("agency", "amount", "message"),
    [
        ("  ", 10_000, "say who the account is referred to (the agency)"),
        ("Bristow & Sutor", 0, "a referral must be for more than £0.00, not £0.00"),
        ("Bristow & Sutor", -100, "a referral must be for more than £0.00, not -£1.00"),
        ("x" * 121, 10_000, "the agency's name is longer than 120 characters"),
    ],
)
def test_a_referral_without_an_agency_or_amount_is_refused_and_nothing_is_written(
    db: Database, accounts: tuple[int, int], agency: str, amount: int, message: str
) -> None:
    with pytest.raises(BadInput, match=re.escape(message)):
        Referrals(db).refer(accounts[1], TRACE, MAR_16, amount, agency)


@pytest.mark.usefixtures("unchanged")
def test_a_second_open_referral_of_the_same_kind_is_refused_naming_the_first(
    db: Database, accounts: tuple[int, int]
) -> None:
    with pytest.raises(BadInput, match=re.escape(OPEN_EA)):
        Referrals(db).refer(accounts[0], EA, MAR_16, 5_000, "Marston", "M-1")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("returned_on", "outcome", "recovered", "message"),
    [
        (date(2026, 3, 1), "Nil return", 0, "made on 02/03/2026 cannot be returned on 01/03/2026"),
        (APR_30, " ", 0, "say what the outcome of the referral was"),
        (APR_30, "Paid", -1, "recovered cannot be less than £0.00, not -£0.01"),
        (APR_30, "Paid", 125_001, "£1,250.01 recovered is more than the £1,250.00 referred"),
    ],
)
def test_a_return_that_cannot_be_is_refused_and_nothing_is_written(
    db: Database, returned_on: date, outcome: str, recovered: int, message: str
) -> None:
    [open_one] = Referrals(db).listing()
    with pytest.raises(BadInput, match=re.escape(message)):
        Referrals(db).record_return(open_one.id, returned_on, outcome, recovered)


def test_a_referral_is_returned_once_and_on_its_own_day_at_the_earliest(
    db: Database, accounts: tuple[int, int]
) -> None:
    ref_id = Referrals(db).refer(accounts[0], EA, MAR_2, 125_000, "Bristow & Sutor", "BS-4471")
    Referrals(db).record_return(ref_id, MAR_2, "Paid in full to the agent", 125_000)  # all of it
    before = table_counts(db.engine)
    with pytest.raises(BadInput, match=re.escape("was returned already on 02/03/2026")):
        Referrals(db).record_return(ref_id, APR_30, "Again", 0)
    assert table_counts(db.engine) == before
    [line] = Referrals(db).listing()
    assert (line.returned_on, line.outcome, line.recovered) == (
        MAR_2, "Paid in full to the agent", 125_000,
    )  # fmt: skip


@pytest.mark.usefixtures("unchanged")
def test_no_such_account_or_referral_and_a_stranger_are_refused(
    db: Database, accounts: tuple[int, int]
) -> None:
    with pytest.raises(NotFound, match="no account with id 999"):
        Referrals(db).refer(999, EA, MAR_2, 100, "Marston")
    with pytest.raises(NotFound, match="no referral 999"):
        Referrals(db).record_return(999, APR_30, "Paid", 0)
    stranger = open_database(db.url, actor="stranger")
    try:
        with pytest.raises(NotAllowed, match="stranger is not a debtdesk user"):
            Referrals(stranger).refer(accounts[1], TRACE, MAR_16, 100, "Trace UK")
        with pytest.raises(NotAllowed, match="stranger is not a debtdesk user"):
            Referrals(stranger).record_return(1, APR_30, "Paid", 0)
    finally:
        stranger.close()


def test_an_officer_may_refer(db: Database, accounts: tuple[int, int]) -> None:
    Users(db).add("officer", "Olu Officer", UserRole.OFFICER)
    officer = open_database(db.url, actor="officer")
    try:
        ref_id = Referrals(officer).refer(accounts[1], TRACE, MAR_16, 43_210, "Trace UK")
        Referrals(officer).record_return(ref_id, APR_30, "Traced to a new address", 0)
    finally:
        officer.close()
    [line] = Referrals(db).listing()
    assert (line.actor, line.recovered, line.is_open) == ("officer", 0, False)


def _values(sheet: Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_workbook_reads_back_typed_with_totals_and_text_that_never_runs(
    db: Database, accounts: tuple[int, int], tmp_path: Path
) -> None:
    able, cmd = accounts
    ea = Referrals(db).refer(able, EA, MAR_2, 125_000, "Bristow & Sutor", "BS-4471")
    Referrals(db).record_return(ea, APR_30, "Goods removed; part paid", 80_000)
    Referrals(db).refer(cmd, TRACE, MAR_16, 43_210, "@Trace UK", "TR-0091")

    path = Referrals(db).export(tmp_path / "referrals.xlsx", AS_OF)
    assert path == tmp_path / "referrals.xlsx"
    assert not (tmp_path / "referrals.xlsx.part").exists()
    book = load_workbook(path)
    assert book.sheetnames == ["Cover", "Referrals"]
    cover = {row[0]: row[1] for row in _values(book["Cover"]) if row and row[0]}
    assert cover["As at"] == datetime(2026, 6, 1) and "Referrals" in cover
    sheet = book["Referrals"]
    assert _values(sheet)[0] == [
        "Account", "Client", "Kind", "Agency", "Reference", "Referred on", "Amount referred",
        "Returned on", "Outcome", "Recovered", "Days out",
    ]  # fmt: skip
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:K3"  # the header and the two referrals, not the total
    assert _values(sheet)[1:] == [
        ["RF000001", "Mrs Ann Able", "Enforcement agent", "Bristow & Sutor", "BS-4471",
         datetime(2026, 3, 2), 1250, datetime(2026, 4, 30), "Goods removed; part paid",
         800, None],
        ["RF000002", "=cmd", "Tracing agent", "@Trace UK", "TR-0091",
         datetime(2026, 3, 16), 432.1, None, None, 0, 77],
        ["Total", None, None, None, None, None, "=SUBTOTAL(109,G2:G3)", None, None,
         "=SUBTOTAL(109,J2:J3)", None],
    ]  # fmt: skip
    # What the totals add: referred 1,250.00 + 432.10, recovered 800.00 + 0.00.
    assert Decimal(str(sheet["G2"].value)) + Decimal(str(sheet["G3"].value)) == Decimal("1682.10")
    assert sheet["J2"].value + sheet["J3"].value == 800

    # Money is numbers shown in pounds; dates are dates shown as dates.
    for coordinate in ("G2", "J2", "G3", "J3", "G4", "J4"):
        cell = sheet[coordinate]
        assert cell.number_format == POUNDS, coordinate
    for coordinate in ("G2", "J2", "G3", "J3"):
        assert isinstance(sheet[coordinate].value, (int, float)), coordinate
    assert sheet["G4"].font.b and sheet["A4"].font.b
    for coordinate in ("F2", "H2", "F3"):
        assert sheet[coordinate].is_date and sheet[coordinate].number_format == DATE, coordinate
    assert sheet["K3"].data_type == "n" and sheet["K3"].number_format == COUNT
    # A client named like a formula is a string with Excel's quote prefix: shown, never run.
    for coordinate in ("B3", "D3"):
        assert sheet[coordinate].data_type == "s" and sheet[coordinate].quotePrefix, coordinate
    assert not sheet["B2"].quotePrefix


def test_the_report_is_as_at_its_date(db: Database, accounts: tuple[int, int]) -> None:
    able, cmd = accounts
    ea = Referrals(db).refer(able, EA, MAR_2, 125_000, "Bristow & Sutor", "BS-4471")
    Referrals(db).record_return(ea, APR_30, "Goods removed; part paid", 80_000)
    Referrals(db).refer(cmd, TRACE, MAR_16, 43_210, "@Trace UK", "TR-0091")
    reports = Reports(db)

    # At Wed 01/04/2026 both are out, the return of 30/04 not yet made: the EA one
    # 30 (02/03 to 01/04) days, the trace 16 (16/03 to 01/04).
    april = reports.build("referrals", date(2026, 4, 1))
    [table] = april.sheets[0].tables
    assert [(r[0], r[7], r[8], r[9], r[10]) for r in table.rows] == [
        ("RF000001", None, None, 0, 30),
        ("RF000002", None, None, 0, 16),
    ]
    assert april.summary == {
        "referrals": 2, "open": 2, "referred": "1682.10", "recovered": "0.00",
    }  # fmt: skip
    # On the day of the return it counts; at 10/03 only the EA referral was made (8 days).
    assert reports.build("referrals", APR_30).summary["recovered"] == "800.00"
    march = reports.build("referrals", date(2026, 3, 10))
    assert [(r[0], r[10]) for r in march.sheets[0].tables[0].rows] == [("RF000001", 8)]
    assert march.text == (
        "Referrals at 10/03/2026: 1 (1 open), £1,250.00 referred, £0.00 recovered"
    )


def test_an_empty_list_still_has_its_header(db: Database, tmp_path: Path) -> None:
    path = Referrals(db).export(tmp_path / "none.xlsx", AS_OF)
    sheet = load_workbook(path)["Referrals"]
    assert sheet["A1"].value == "Account" and sheet.auto_filter.ref == "A1:K1"
    assert sheet.max_row == 1  # no rows, so no totals row


def test_exporting_into_a_folder_that_does_not_exist_is_refused(
    db: Database, tmp_path: Path
) -> None:
    with pytest.raises(BadInput, match="the folder .* does not exist"):
        Referrals(db).export(tmp_path / "missing" / "r.xlsx", AS_OF)
