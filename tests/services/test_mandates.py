"""The direct debit instruction register: set up, cancel, hold and release, with history.

A new mandate is pending with its 0N due until a dd run sends it; it is lodged, and live,
from that file's processing date (Day 2 of the Bacs cycle: the working day after the
run's date, or after the next working day when the run is on a holiday). An officer's
cancellation of a lodged mandate sends a 0C at the next run; one never lodged sends
nothing. Bank details are masked for everyone but the officer who keyed them.

Dates worked by hand (FACTS.md §9, England and Wales):

    a run on Mon 30/11/2026 lodges on Tue 01/12/2026
    a run on Thu 24/12/2026 lodges on Tue 29/12/2026 (25/12 Christmas, the weekend,
        28/12 the Boxing Day substitute)
    the client's statement for 09/11-06/12/2026 is dated Mon 07/12 and collected on
        Mon 21/12/2026 (due 14 days later; 10 working days' notice end the same day)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from debtdesk.db.models import Account, CarePackage, FinancialAssessment, Mandate
from debtdesk.domain.caseload import AccountStatus
from debtdesk.domain.periods import Period
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database, open_database
from debtdesk.services.dd_run import DirectDebitRun, instruction_processing_date
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.mandates import Mandates, MandateView
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care

NOV = Period(date(2026, 11, 9))
DEC = Period(date(2026, 12, 7))
SIGNED = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement runs render PDFs: let pytest-qt make the application."""


@pytest.fixture
def account(db: Database) -> int:
    """A client paying £70.00 a week from 09/11/2026, with the council's Bacs settings."""
    Settings(db).set("bacs.service_user_number", "123456")
    Settings(db).set("bank.sort_code", "401234")
    Settings(db).set("bank.account_number", "12345678")
    with db.sessions.begin() as s:
        account_id = add_account(s, "MD000001", "Mrs Zoë O'Hara")
        add_care(s, account_id, NOV.start, 7000, 10000)
    return account_id


def _create(db: Database, account: int, reference: str = "MDREF0001", **details: str) -> int:
    return Mandates(db).create(
        account,
        reference,
        details.get("payer", "Mrs Zoë O'Hara"),
        details.get("sort_code", "20-00-00"),
        details.get("account_number", "5577 9911"),
        SIGNED,
    )


def _view(db: Database, account: int) -> MandateView:
    return Mandates(db).for_account(account)[0]


def _kinds(view: MandateView) -> list[tuple[str, date, str]]:
    return [(e.kind, e.effective_date, e.actor) for e in view.history]


def _mandate_count(db: Database) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Mandate)) or 0


def test_a_new_mandate_waits_for_the_dd_run_to_lodge_it(
    db: Database, account: int, tmp_path: Path
) -> None:
    _create(db, account, " mdref0001 ")  # stored trimmed and upper case
    view = _view(db, account)
    assert (view.reference, view.status, view.instruction_due, view.lodged_on) == (
        "MDREF0001", "pending", "0N", None,
    )  # fmt: skip
    assert (view.sort_code, view.account_number, view.set_up_by) == ("200000", "55779911", "tester")
    assert _kinds(view) == [("created", SIGNED, "tester")]

    # Thu 24/12/2026 is Day 1; Day 2 is the next working day after Christmas, Sat, Sun
    # and Mon 28/12 (Boxing Day substitute): Tue 29/12/2026.
    assert instruction_processing_date(date(2026, 12, 24)) == date(2026, 12, 29)
    assert instruction_processing_date(date(2026, 11, 30)) == date(2026, 12, 1)
    result = DirectDebitRun(db).run(date(2026, 12, 24), tmp_path)
    assert result.instructions == 1

    view = _view(db, account)
    assert (view.status, view.instruction_due, view.lodged_on) == ("live", None, date(2026, 12, 29))
    assert _kinds(view) == [("created", SIGNED, "tester"), ("lodged", date(2026, 12, 29), "tester")]
    lodged = view.history[-1]
    assert (lodged.before or {})["status"] == "pending"
    assert (lodged.after or {})["status"] == "live"
    assert (lodged.after or {})["instruction_due"] is None


@pytest.mark.parametrize(
    ("reference", "sort_code", "account_number", "problem"),
    [
        ("MDREF0001", "20-00-0", "55779911", "sort code '20000': 6 digits"),
        ("MDREF0001", "20-00-0A", "55779911", "sort code"),
        ("MDREF0001", "200000", "5577991", "account number '5577991': 8 digits"),
        ("MDREF0001", "200000", "557799112", "account number"),
        ("AB123", "200000", "55779911", "reference: is 5 characters; at least 6"),
        ("MDREF00012345678901", "200000", "55779911", "at most 18"),
        ("DDIC12345", "200000", "55779911", "starts with 'DDIC'"),
        ("AAAAAAAA", "200000", "55779911", "all the same character"),
        ("MD_REF_01", "200000", "55779911", "characters Bacs refuses"),
    ],
)
def test_bad_bank_details_or_references_are_refused(
    db: Database,
    account: int,
    reference: str,
    sort_code: str,
    account_number: str,
    problem: str,
) -> None:
    with pytest.raises(BadInput) as refused:
        _create(db, account, reference, sort_code=sort_code, account_number=account_number)
    assert problem in str(refused.value)
    assert _mandate_count(db) == 0


def test_a_reference_in_use_or_a_second_active_mandate_is_refused(
    db: Database, account: int, tmp_path: Path
) -> None:
    with pytest.raises(NotFound):
        _create(db, account + 1000)
    first = _create(db, account)
    with pytest.raises(BadInput, match="already has mandate MDREF0001"):
        _create(db, account, "MDREF0002")  # the first is pending
    DirectDebitRun(db).run(date(2026, 11, 30), tmp_path)
    with pytest.raises(BadInput, match="already has mandate MDREF0001"):
        _create(db, account, "MDREF0002")  # and now live

    with db.sessions.begin() as s:
        other = add_account(s, "MD000002", "Mr Other Client")
    with pytest.raises(BadInput, match="MDREF0001 is already in use"):
        _create(db, other, "mdref0001")
    assert _mandate_count(db) == 1

    # Once the first is cancelled a new one may be set up, but never under its reference.
    Mandates(db).cancel(first, date(2026, 12, 2), "Payer moved bank")
    with pytest.raises(BadInput, match="already in use"):
        _create(db, account, "MDREF0001")
    second = _create(db, account, "MDREF0002", sort_code="30-00-01", account_number="11223344")
    assert [v.id for v in Mandates(db).for_account(account)] == [second, first]  # newest first


def test_bank_details_are_shown_only_to_the_officer_who_keyed_them(
    db: Database, account: int
) -> None:
    _create(db, account)
    mine = _view(db, account)
    assert (mine.sort_code, mine.account_number, mine.masked) == ("200000", "55779911", False)
    # The history is read by anyone: its snapshots are masked even for the officer.
    assert mine.history[0].after is not None
    assert (mine.history[0].after["sort_code"], mine.history[0].after["account_number"]) == (
        "****00", "******11",
    )  # fmt: skip

    colleague = open_database(db.url, actor="someone")
    try:
        theirs = Mandates(colleague).for_account(account)[0]
    finally:
        colleague.close()
    assert (theirs.sort_code, theirs.account_number, theirs.masked) == (
        "****00", "******11", True,
    )  # fmt: skip
    assert (theirs.reference, theirs.payer_name, theirs.set_up_by) == (
        "MDREF0001", "Mrs Zoë O'Hara", "tester",
    )  # fmt: skip


def test_cancelling_a_mandate_never_lodged_sends_nothing(
    db: Database, account: int, tmp_path: Path
) -> None:
    mandate = _create(db, account)
    with pytest.raises(BadInput, match="reason"):
        Mandates(db).cancel(mandate, date(2026, 11, 20), "  ")

    Mandates(db).cancel(mandate, date(2026, 11, 20), "Payer changed their mind")

    view = _view(db, account)
    assert (view.status, view.instruction_due, view.lodged_on) == ("cancelled", None, None)
    assert _kinds(view)[-1] == ("cancelled", date(2026, 11, 20), "tester")
    assert view.history[-1].reason == "Payer changed their mind"
    result = DirectDebitRun(db).run(date(2026, 11, 30), tmp_path)
    assert (result.instructions, result.files) == (0, ())
    with pytest.raises(BadInput, match="already cancelled"):
        Mandates(db).cancel(mandate, date(2026, 12, 1), "Again")


def test_cancelling_a_lodged_mandate_stops_its_collection_and_sends_0c(
    db: Database, account: int, tmp_path: Path
) -> None:
    mandate = _create(db, account)
    DirectDebitRun(db).run(date(2026, 11, 30), tmp_path)  # lodged Tue 01/12/2026
    StatementRuns(db).run(NOV.end, tmp_path / "statements")  # £280.00 due Mon 21/12
    scheduled = DirectDebitRun(db).run(date(2026, 12, 21), tmp_path)
    assert scheduled.scheduled == 1

    # The payer cancels on 21/12, before the collection is posted: it is cancelled too.
    Mandates(db).cancel(mandate, date(2026, 12, 21), "Payer cancelled at the bank")

    view = _view(db, account)
    assert (view.status, view.instruction_due) == ("cancelled", "0C")
    assert _kinds(view)[-1] == ("cancel_requested", date(2026, 12, 21), "tester")
    [collection] = view.collections
    assert (collection.status, collection.note) == (
        "cancelled", "Mandate cancelled: Payer cancelled at the bank",
    )  # fmt: skip

    # Tue 22/12 is Day 1, Day 2 Wed 23/12/2026 (day 357): the 0C goes with no money, and
    # nothing is posted.
    result = DirectDebitRun(db).run(date(2026, 12, 22), tmp_path)
    assert (result.instructions, result.scheduled, result.collected) == (1, 0, 0)
    [std18] = [p for p in result.files if p.name.endswith("instructions.std18.txt")]
    [line] = std18.read_bytes().decode("ascii").split("\r\n")[:-1]
    assert (line[:6], line[6:14], line[15:17], line[35:46]) == (
        "200000", "55779911", "0C", "00000000000",
    )  # fmt: skip
    assert (line[64:82], line[82:100], line[100:]) == (
        "MDREF0001".ljust(18), "MRS ZOE O HARA".ljust(18), " 26357",
    )  # fmt: skip
    view = _view(db, account)
    assert (view.status, view.instruction_due) == ("cancelled", None)
    assert _kinds(view)[-1] == ("cancel_sent", date(2026, 12, 23), "tester")
    assert Accounts(db).detail("MD000001", date(2026, 12, 22)).balance == 28000
    assert check(db).ok


def test_a_held_mandate_collects_nothing_until_released(
    db: Database, account: int, tmp_path: Path
) -> None:
    mandate = _create(db, account)
    DirectDebitRun(db).run(date(2026, 11, 30), tmp_path)
    with pytest.raises(BadInput, match="not a live mandate on hold"):
        Mandates(db).release_hold(mandate, date(2026, 12, 1), "Nothing to release")
    with db.sessions.begin() as s:
        held = s.get(Mandate, mandate)
        assert held is not None
        held.hold_reason = "ARUDD 0: refer to payer"  # as a returned-debit import leaves it
    StatementRuns(db).run(NOV.end, tmp_path / "statements")  # £280.00, collected 21/12

    assert DirectDebitRun(db).run(date(2026, 12, 22), tmp_path).scheduled == 0
    assert _view(db, account).collections == ()

    Mandates(db).release_hold(mandate, date(2026, 12, 23), "Payer confirmed funds")
    view = _view(db, account)
    assert view.hold_reason is None
    assert _kinds(view)[-1] == ("released", date(2026, 12, 23), "tester")
    assert (view.history[-1].before or {})["hold_reason"] == "ARUDD 0: refer to payer"

    # The next run schedules the 21/12 collection (a past one too) and, dated before
    # Wed 23/12, posts it.
    result = DirectDebitRun(db).run(date(2026, 12, 23), tmp_path)
    assert (result.scheduled, result.collected, result.collected_total) == (1, 1, 28000)
    [collection] = _view(db, account).collections
    assert (collection.collection_date, collection.transaction_code, collection.status) == (
        date(2026, 12, 21), "01", "collected",
    )  # fmt: skip
    assert Accounts(db).detail("MD000001", date(2026, 12, 23)).balance == 0
    assert check(db).ok


def _care_ends(db: Database, account: int, last_day: date) -> None:
    """Care ends on ``last_day`` and the account is closed (ceased)."""
    with db.sessions.begin() as s:
        for package in s.scalars(select(CarePackage).where(CarePackage.account_id == account)):
            package.end_date = last_day
        for assessment in s.scalars(
            select(FinancialAssessment).where(FinancialAssessment.account_id == account)
        ):
            assessment.effective_to = last_day
        client = s.get(Account, account)
        assert client is not None
        client.status = AccountStatus.CEASED


def test_a_final_collection_is_19_and_closes_the_mandate(
    db: Database, account: int, tmp_path: Path
) -> None:
    mandate = _create(db, account)
    DirectDebitRun(db).run(date(2026, 11, 30), tmp_path)
    StatementRuns(db).run(NOV.end, tmp_path / "statements")
    DirectDebitRun(db).run(date(2026, 12, 22), tmp_path)  # 21/12: £280.00, the 01
    # Care ends on Sun 20/12/2026: DEC (07/12/2026-03/01/2027) charges 14 days at £70.00
    # a week, £140.00, due Mon 18/01/2027, and that is all that is owed.
    _care_ends(db, account, date(2026, 12, 20))
    StatementRuns(db).run(DEC.end, tmp_path / "statements")

    result = DirectDebitRun(db).run(date(2027, 1, 19), tmp_path)

    assert (result.scheduled, result.collected, result.collected_total) == (1, 1, 14000)
    view = _view(db, account)
    assert view.id == mandate
    assert [(c.collection_date, c.amount, c.transaction_code) for c in view.collections] == [
        (date(2027, 1, 18), 14000, "19"),
        (date(2026, 12, 21), 28000, "01"),
    ]
    # The 19 closes the instruction at the bank: cancelled here, and no 0C is sent.
    assert (view.status, view.instruction_due) == ("cancelled", None)
    assert _kinds(view)[-1] == ("final_collection", date(2027, 1, 18), "tester")
    assert Accounts(db).detail("MD000001", date(2027, 1, 18)).balance == 0
    assert check(db).ok


def test_a_first_collection_that_is_also_the_last_cancels_the_mandate_with_0c(
    db: Database, account: int, tmp_path: Path
) -> None:
    # Care ends on Sun 22/11/2026 and the account is ceased: NOV charges 14 days at
    # £70.00 a week, £140.00, due and collected Mon 21/12/2026. It is the mandate's first
    # collection, so a 01 (FACTS.md §5.4: 19 only after a first), and also its last.
    mandate = _create(db, account)
    _care_ends(db, account, date(2026, 11, 22))
    DirectDebitRun(db).run(date(2026, 11, 30), tmp_path)
    StatementRuns(db).run(NOV.end, tmp_path / "statements")

    result = DirectDebitRun(db).run(date(2026, 12, 22), tmp_path)

    assert (result.collected, result.collected_total) == (1, 14000)
    [collection] = _view(db, account).collections
    assert (collection.transaction_code, collection.amount) == ("01", 14000)
    view = _view(db, account)
    assert view.id == mandate
    assert (view.status, view.instruction_due) == ("cancelled", "0C")
