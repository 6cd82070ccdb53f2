"""The dd run on a real database: collections worked out by hand from the statements.

The statement is the advance notice (FACTS.md §5.4): a live mandate collects each
statement's amount due on the due date moved to the next working day, and never earlier
than ``dd.advance_notice_days`` (10) working days after the statement date. A run on D
schedules each such collection dated on or before D and posts each one dated before D.
Working days skip weekends and England and Wales bank holidays (FACTS.md §9).

The client in most tests pays £70.00 a week for care costing £100.00 (INDIVIDUAL: due
14 days after the statement), £280.00 a period:

    NOV  09/11/2026 - 06/12/2026, statement Mon 07/12/2026, due Mon 21/12/2026
    DEC  07/12/2026 - 03/01/2027, statement Mon 04/01/2027, due Mon 18/01/2027

A mandate set up before is lodged by a run on Mon 30/11/2026: its 0N's processing date
(Day 2 of the Bacs cycle) is Tue 01/12/2026, before the NOV statement.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select

from debtdesk.db.models import Account, Collection, LedgerEntry, Mandate, Statement
from debtdesk.domain.caseload import AccountStatus, MandateStatus
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.periods import Period
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.dd_run import DdRunResult, DirectDebitRun
from debtdesk.services.errors import BadInput
from debtdesk.services.mandates import Mandates
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care, snapshot

NOV = Period(date(2026, 11, 9))
DEC = Period(date(2026, 12, 7))
LODGE = date(2026, 11, 30)  # a Monday: Day 1; the 0N is processed (lodged) Tue 01/12/2026
COUNCIL = {
    "bacs.service_user_number": "123456",
    "bank.sort_code": "40-12-34",
    "bank.account_number": "12345678",
}


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement runs render PDFs: let pytest-qt make the application."""


def _council(db: Database, *, leave_out: str = "") -> None:
    for key, value in COUNCIL.items():
        if key != leave_out:
            Settings(db).set(key, value)


def _client(db: Database, reference: str, start: date = NOV.start) -> int:
    with db.sessions.begin() as s:
        account = add_account(s, reference, f"Client {reference}")
        add_care(s, account, start, 7000, 10000)
    return account


def _mandate(db: Database, account: int, reference: str, payer: str = "Mrs Ann Payer") -> int:
    return Mandates(db).create(account, reference, payer, "20-00-00", "55779911", date(2026, 11, 2))


def _dd(db: Database, day: date, tmp_path: Path) -> DdRunResult:
    return DirectDebitRun(db).run(day, tmp_path / "bacs")


def _statements(db: Database, period: Period, tmp_path: Path) -> None:
    StatementRuns(db).run(period.end, tmp_path / "statements")


def _counts(r: DdRunResult) -> tuple[int, int, int, int, int]:
    """(instructions, scheduled, collected, pence collected, files)."""
    return (r.instructions, r.scheduled, r.collected, r.collected_total, len(r.files))


def _collections(db: Database, account: int) -> list[tuple[date, date, int, str, str]]:
    """(collection date, processing date, pence, code, status), oldest first."""
    with db.sessions() as s:
        rows = s.scalars(
            select(Collection)
            .where(Collection.account_id == account)
            .order_by(Collection.collection_date, Collection.id)
        )
        return [(c.collection_date, c.processing_date, c.amount, c.transaction_code,
                 c.status.value) for c in rows]  # fmt: skip


def _payments(db: Database, account: int) -> list[tuple[date, int, object, str, str]]:
    """(effective, pence, method, reference, description) of the account's payments."""
    with db.sessions() as s:
        rows = s.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.account_id == account, LedgerEntry.kind == EntryKind.PAYMENT)
            .order_by(LedgerEntry.effective_date, LedgerEntry.id)
        )
        return [(e.effective_date, e.amount, e.method, e.reference, e.description) for e in rows]


def _pay(db: Database, account: int, pence: int, day: date, method: PaymentMethod) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, day,
            source=EntrySource.USER, actor="tester", method=method,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


def _rows(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """What a dd run may write: collections, ledger, allocations, mandates and history."""
    kept = ("collections", "ledger_entries", "allocations", "mandates", "mandate_events")
    return {name: rows for name, rows in snapshot(db.engine).items() if name in kept}


def _balance(db: Database, reference: str, day: date) -> int:
    return Accounts(db).detail(reference, day).balance


def _std18(path: Path) -> list[tuple[str, ...]]:
    """The file's records cut at the positions of FACTS.md §5.5 (1-6, 7-14, 15, ...)."""
    text = path.read_bytes().decode("ascii")
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert all(len(line) == 106 for line in lines), lines
    cuts = (0, 6, 14, 15, 17, 23, 31, 35, 46, 64, 82, 100, 106)
    return [tuple(line[a:b] for a, b in pairwise(cuts)) for line in lines]


def _csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("ascii")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(text.split("\r\n")[:-1]))


def _file(result: DdRunResult, suffix: str) -> Path:
    [path] = [p for p in result.files if p.name.endswith(suffix)]
    assert path.exists() and not path.with_name(path.name + ".part").exists()
    return path


def test_a_statement_is_collected_on_its_due_date_and_posted_once_after_it(
    db: Database, tmp_path: Path
) -> None:
    _council(db)
    account = _client(db, "DD000001")
    _mandate(db, account, "DDREF0001")
    assert _counts(_dd(db, LODGE, tmp_path)) == (1, 0, 0, 0, 2)  # the 0N files only
    _statements(db, NOV, tmp_path)  # £280.00, dated Mon 07/12, due Mon 21/12/2026

    # 10 working days after Mon 07/12 (08-11, 14-18, 21) is Mon 21/12, the due date
    # itself, a working day: the collection is dated 21/12. A run on Fri 18/12 is early.
    assert _counts(_dd(db, date(2026, 12, 18), tmp_path)) == (0, 0, 0, 0, 0)

    # On Mon 21/12 it is scheduled (dated <= D) but not posted (not dated < D). Its
    # processing date (Day 2) is the working day before: Fri 18/12/2026.
    scheduled = _dd(db, date(2026, 12, 21), tmp_path)
    assert _counts(scheduled) == (0, 1, 0, 0, 2)
    assert _collections(db, account) == [
        (date(2026, 12, 21), date(2026, 12, 18), 28000, "01", "scheduled"),
    ]
    assert _balance(db, "DD000001", date(2026, 12, 21)) == 28000
    # Payer 200000 55779911, code 01, council 401234 12345678, free field blank, £280.00
    # as 11 digits, names upper case to 18, processing date 18/12/2026 = day 352.
    assert _std18(_file(scheduled, "collections.std18.txt")) == [
        ("200000", "55779911", "0", "01", "401234", "12345678", "    ", "00000028000",
         "WEXSHIRE CC".ljust(18), "DDREF0001".ljust(18), "MRS ANN PAYER".ljust(18), " 26352"),
    ]  # fmt: skip
    assert _csv(_file(scheduled, "collections.bureau.csv")) == [
        ["200000", "55779911", "MRS ANN PAYER", "280.00", "01", "401234", "12345678",
         "WEXSHIRE CC", "DDREF0001", "18/12/2026"],
    ]  # fmt: skip

    # Tue 22/12: posted as a direct debit payment effective on the collection date.
    posted = _dd(db, date(2026, 12, 22), tmp_path)
    assert _counts(posted) == (0, 0, 1, 28000, 0)
    assert _collections(db, account)[0][3:] == ("01", "collected")
    assert _payments(db, account) == [
        (date(2026, 12, 21), -28000, PaymentMethod.DIRECT_DEBIT, "DDREF0001",
         "Direct debit collection (01)"),
    ]  # fmt: skip
    assert _balance(db, "DD000001", date(2026, 12, 20)) == 28000
    detail = Accounts(db).detail("DD000001", date(2026, 12, 21))
    assert (detail.balance, detail.unallocated) == (0, 0)
    assert check(db).ok

    # The same date again finds nothing new: no rows, no files. An earlier date is refused.
    before = _rows(db)
    files = sorted((tmp_path / "bacs").iterdir())
    assert _counts(_dd(db, date(2026, 12, 22), tmp_path)) == (0, 0, 0, 0, 0)
    with pytest.raises(BadInput, match="before the last dd run"):
        _dd(db, date(2026, 12, 21), tmp_path)
    assert _rows(db) == before
    assert sorted((tmp_path / "bacs").iterdir()) == files


@pytest.mark.parametrize("missing", sorted(COUNCIL))
def test_missing_council_settings_refuse_the_run_and_change_nothing(
    db: Database, tmp_path: Path, missing: str
) -> None:
    _council(db, leave_out=missing)
    account = _client(db, "DD000003")
    _mandate(db, account, "DDREF0003")  # a 0N is waiting: the run has a file to write
    before = snapshot(db.engine)

    with pytest.raises(BadInput, match=missing.replace(".", r"\.")):
        _dd(db, LODGE, tmp_path)

    assert snapshot(db.engine) == before
    assert not (tmp_path / "bacs").exists() or not any((tmp_path / "bacs").iterdir())
    Settings(db).set(missing, COUNCIL[missing])
    assert _counts(_dd(db, LODGE, tmp_path)) == (1, 0, 0, 0, 2)


@pytest.mark.parametrize(
    ("start", "notice", "collected", "processing", "julian"),
    [
        # NOV with 14 days' notice: after Mon 07/12/2026 come 08-11 (4), 14-18 (9),
        # 21-24 (13); Fri 25/12 Christmas and Mon 28/12 Boxing Day (substitute) are
        # skipped; Tue 29/12 (14), later than the due date 21/12. Day 2 is the working
        # day before: Thu 24/12/2026, day 358.
        (NOV.start, "14", date(2026, 12, 29), date(2026, 12, 24), " 26358"),
        # 20/07-16/08/2026 with 3 days' notice: statement Mon 17/08, due Mon 31/08, the
        # Summer bank holiday, moved to Tue 01/09; the notice ends Thu 20/08, before it.
        # Day 2: Fri 28/08/2026 (the weekend and 31/08 skipped), day 240.
        (date(2026, 7, 20), "3", date(2026, 9, 1), date(2026, 8, 28), " 26240"),
        # 29/03-25/04/2027 with the default 10 days: statement Mon 26/04, due Mon 10/05;
        # 27-30/04 (4), Mon 03/05 Early May bank holiday skipped, 04-07/05 (8), 10/05
        # (9), Tue 11/05 (10), a day after the due date. Day 2: Mon 10/05/2027, day 130.
        (date(2027, 3, 29), None, date(2027, 5, 11), date(2027, 5, 10), " 27130"),
    ],
)  # fmt: skip
def test_collection_dates_skip_weekends_and_bank_holidays(
    db: Database,
    tmp_path: Path,
    start: date,
    notice: str | None,
    collected: date,
    processing: date,
    julian: str,
) -> None:
    _council(db)
    if notice is not None:
        Settings(db).set("dd.advance_notice_days", notice)
    account = _client(db, "DD000004", start)
    _mandate(db, account, "DDREF0004")
    _dd(db, start + timedelta(days=21), tmp_path)  # a Monday: lodged on the Tuesday
    _statements(db, Period(start), tmp_path)

    assert _counts(_dd(db, collected - timedelta(days=1), tmp_path)) == (0, 0, 0, 0, 0)
    result = _dd(db, collected, tmp_path)
    assert _counts(result) == (0, 1, 0, 0, 2)
    assert _collections(db, account) == [(collected, processing, 28000, "01", "scheduled")]
    [record] = _std18(_file(result, "collections.std18.txt"))
    assert record[3] == "01" and record[11] == julian
    [row] = _csv(_file(result, "collections.bureau.csv"))
    assert row[9] == f"{processing:%d/%m/%Y}"

    assert _counts(_dd(db, collected + timedelta(days=1), tmp_path)) == (0, 0, 1, 28000, 0)
    assert _payments(db, account)[0][:2] == (collected, -28000)
    assert check(db).ok


def test_a_new_mandate_collects_statements_issued_after_it_was_lodged_only(
    db: Database, tmp_path: Path
) -> None:
    _council(db)
    account = _client(db, "DD000005")
    _statements(db, NOV, tmp_path)  # 07/12/2026: £280.00, due 21/12, before any mandate
    _mandate(db, account, "DDREF0005")

    # Wed 09/12 is Day 1; the 0N is processed, and the mandate lodged, Thu 10/12/2026.
    lodged = _dd(db, date(2026, 12, 9), tmp_path)
    assert _counts(lodged) == (1, 0, 0, 0, 2)
    assert _std18(_file(lodged, "instructions.std18.txt")) == [
        ("200000", "55779911", "0", "0N", "401234", "12345678", "    ", "00000000000",
         "WEXSHIRE CC".ljust(18), "DDREF0005".ljust(18), "MRS ANN PAYER".ljust(18), " 26344"),
    ]  # fmt: skip
    assert _csv(_file(lodged, "instructions.bureau.csv")) == [
        ["200000", "55779911", "MRS ANN PAYER", "0.00", "0N", "401234", "12345678",
         "WEXSHIRE CC", "DDREF0005", "10/12/2026"],
    ]  # fmt: skip
    with db.sessions() as s:
        mandate = s.scalars(select(Mandate).where(Mandate.account_id == account)).one()
        assert (mandate.status.value, mandate.lodged_on, mandate.instruction_due) == (
            "live", date(2026, 12, 10), None,
        )  # fmt: skip

    # 22/12: the 07/12 statement (its collection would be 21/12) was the notice for no
    # mandate: nothing is collected for it.
    assert _counts(_dd(db, date(2026, 12, 22), tmp_path)) == (0, 0, 0, 0, 0)
    # The DEC statement (04/01/2027) shows £280.00 brought forward + £280.00 = £560.00 due
    # on Mon 18/01/2027; 10 working days after 04/01 is 18/01. It is collected in full
    # and, dated before the run of Tue 19/01, posted by the same run.
    _statements(db, DEC, tmp_path)
    assert _counts(_dd(db, date(2027, 1, 19), tmp_path)) == (0, 1, 1, 56000, 2)
    assert _collections(db, account) == [
        (date(2027, 1, 18), date(2027, 1, 15), 56000, "01", "collected"),
    ]
    assert _balance(db, "DD000005", date(2027, 1, 18)) == 0
    assert check(db).ok


def test_the_first_collection_is_01_and_the_next_17(db: Database, tmp_path: Path) -> None:
    _council(db)
    account = _client(db, "DD000006")
    _mandate(db, account, "DDREF0006")
    _dd(db, LODGE, tmp_path)
    _statements(db, NOV, tmp_path)
    assert _counts(_dd(db, date(2026, 12, 22), tmp_path)) == (0, 1, 1, 28000, 2)
    # DEC: £280.00 brought forward, £280.00 received on 21/12, £280.00 charged: £280.00
    # due on 18/01/2027, collected under the same mandate as its second collection: 17.
    _statements(db, DEC, tmp_path)
    second = _dd(db, date(2027, 1, 19), tmp_path)
    assert _counts(second) == (0, 1, 1, 28000, 2)
    assert _collections(db, account) == [
        (date(2026, 12, 21), date(2026, 12, 18), 28000, "01", "collected"),
        (date(2027, 1, 18), date(2027, 1, 15), 28000, "17", "collected"),
    ]
    # 15/01/2027 is day 15 of 2027.
    [record] = _std18(_file(second, "collections.std18.txt"))
    assert (record[3], record[7], record[11]) == ("17", "00000028000", " 27015")
    assert [p[:2] + p[4:] for p in _payments(db, account)] == [
        (date(2026, 12, 21), -28000, "Direct debit collection (01)"),
        (date(2027, 1, 18), -28000, "Direct debit collection (17)"),
    ]
    assert _balance(db, "DD000006", date(2027, 1, 18)) == 0
    assert check(db).ok


def test_a_late_run_collects_arrears_repeated_on_a_later_statement_once(
    db: Database, tmp_path: Path
) -> None:
    _council(db)
    account = _client(db, "DD000007")
    _mandate(db, account, "DDREF0007")
    _dd(db, LODGE, tmp_path)
    _statements(db, NOV, tmp_path)  # £280.00 due 21/12
    _statements(db, DEC, tmp_path)  # no run collected 21/12: £560.00 due 18/01/2027

    # One run on 19/01/2027 schedules both, a past one too. 21/12: min(£280.00, owed
    # £560.00) = £280.00 (01). 18/01: min(£560.00, £560.00 - £280.00 scheduled) =
    # £280.00 (17). Both dated before D: both posted.
    assert _counts(_dd(db, date(2027, 1, 19), tmp_path)) == (0, 2, 2, 56000, 2)
    assert _collections(db, account) == [
        (date(2026, 12, 21), date(2026, 12, 18), 28000, "01", "collected"),
        (date(2027, 1, 18), date(2027, 1, 15), 28000, "17", "collected"),
    ]
    assert _balance(db, "DD000007", date(2027, 1, 19)) == 0
    assert check(db).ok


def test_a_statement_paid_another_way_is_not_collected(db: Database, tmp_path: Path) -> None:
    _council(db)
    paid = _client(db, "DD000008")
    part = _client(db, "DD000009")
    _mandate(db, paid, "DDREF0008")
    _mandate(db, part, "DDREF0009", payer="Mr Bob Part")
    _dd(db, LODGE, tmp_path)
    _statements(db, NOV, tmp_path)  # £280.00 each, due 21/12/2026
    _pay(db, paid, 28000, date(2026, 12, 15), PaymentMethod.CARD)  # all of it
    _pay(db, part, 10000, date(2026, 12, 15), PaymentMethod.CHEQUE)  # £100.00 of it

    # 21/12: DD000008 owes nothing: a not-needed row, no money, no record in the file.
    # DD000009 owes £180.00: min(£280.00, £180.00) = £180.00.
    result = _dd(db, date(2026, 12, 21), tmp_path)
    assert _counts(result) == (0, 1, 0, 0, 2)
    assert _collections(db, paid) == [(date(2026, 12, 21), date(2026, 12, 18), 0, "", "not_needed")]
    with db.sessions() as s:
        number = s.scalar(select(Statement.number).where(Statement.account_id == paid))
        note = s.scalar(select(Collection.note).where(Collection.account_id == paid))
    assert note == f"Nothing owed when scheduled ({number} paid)"
    assert _collections(db, part) == [
        (date(2026, 12, 21), date(2026, 12, 18), 18000, "01", "scheduled"),
    ]
    [record] = _std18(_file(result, "collections.std18.txt"))
    assert (record[7], record[9], record[10]) == (
        "00000018000", "DDREF0009".ljust(18), "MR BOB PART".ljust(18),
    )  # fmt: skip
    assert _counts(_dd(db, date(2026, 12, 22), tmp_path)) == (0, 0, 1, 18000, 0)
    assert _payments(db, paid) == [
        (date(2026, 12, 15), -28000, PaymentMethod.CARD, "", ""),
    ]

    # DEC: £280.00 due from each on 18/01/2027. The not-needed row was no collection:
    # DD000008's first real one is still a 01; DD000009's second is a 17.
    _statements(db, DEC, tmp_path)
    assert _counts(_dd(db, date(2027, 1, 19), tmp_path)) == (0, 2, 2, 56000, 2)
    assert _collections(db, paid)[-1][2:] == (28000, "01", "collected")
    assert _collections(db, part)[-1][2:] == (28000, "17", "collected")
    assert check(db).ok


def test_a_run_on_the_demo_caseload_continues_each_live_mandate(
    demo: Database, tmp_path: Path
) -> None:
    # The demo (to 23/11/2026) has the council's Bacs settings, live mandates that have
    # collected before and no statements yet. NOV's statements are the next notices: an
    # individual's is due, and collected, on Mon 21/12/2026, the amount due in full (no
    # one has paid since), as a regular collection (17); none for a deceased client.
    _statements(demo, NOV, tmp_path)
    with demo.sessions() as s:
        expected = dict(
            s.execute(
                select(Statement.account_id, Statement.amount_due)
                .join(Mandate, Mandate.account_id == Statement.account_id)
                .join(Account, Account.id == Statement.account_id)
                .where(
                    Mandate.status == MandateStatus.LIVE,
                    Mandate.hold_reason.is_(None),
                    Account.status != AccountStatus.DECEASED,
                    Statement.due_on == date(2026, 12, 21),
                    Statement.amount_due > 0,
                )
            ).all()
        )
    assert expected
    scheduled = _dd(demo, date(2026, 12, 21), tmp_path)
    with demo.sessions() as s:
        made = s.execute(
            select(Collection.account_id, Collection.amount, Collection.transaction_code).where(
                Collection.batch_id == scheduled.batch
            )
        ).all()
    assert {account: amount for account, amount, _ in made} == expected
    assert {code for _, _, code in made} == {"17"}
    records = _std18(_file(scheduled, "collections.std18.txt"))
    assert sum(int(record[7]) for record in records) == sum(expected.values())
    assert {record[11] for record in records} == {" 26352"}  # Fri 18/12/2026

    posted = _dd(demo, date(2026, 12, 22), tmp_path)
    assert (posted.collected, posted.collected_total) == (len(expected), sum(expected.values()))
    assert check(demo).ok
