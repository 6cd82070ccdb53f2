"""``BacsImports.apply`` on a real database, against the reports in tests/data/bacs/applied.

EXPECTED.md beside the reports says what each must do; these tests prove it. Every
figure is worked out by hand here from FACTS.md §5 and the module's rules.

Each client pays a weekly contribution w for care costing £100.00 a week from 09/11/2026,
so the period 09/11 - 06/12/2026 charges 28 x w/7 = 4w, on a statement dated Mon
07/12/2026 and due Mon 21/12/2026 (INDIVIDUAL: 14 days). The mandate is lodged by a dd
run on Mon 30/11 (its 0N processed Tue 01/12), so the statement is collected on Mon
21/12: 10 working days after 07/12 is 21/12, the due date itself. The collection's Bacs
processing date (Day 2) is the working day before, Fri 18/12/2026: the ARUDDs'
originalProcessingDate. A dd run on 21/12 schedules it; one on Tue 22/12 posts it as a
payment effective 21/12, and the account owes nothing.

Christmas Day 2026 is a Friday and Boxing Day (Saturday) is observed on Mon 28/12, so a
task from a report dated Tue 22/12 is due 3 working days later on Tue 29/12 (23, 24, 29);
one from Mon 21/12 on Thu 24/12 (22, 23, 24); one from Wed 09/12 on Mon 14/12.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from debtdesk.db.models import (
    Account,
    BacsItem,
    Batch,
    Collection,
    LedgerEntry,
    Mandate,
    MandateEvent,
    Task,
)
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.periods import Period
from debtdesk.services.accounts import Accounts
from debtdesk.services.bacs_import import BacsImportResult, BacsImports
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.dd_run import DirectDebitRun
from debtdesk.services.errors import BadInput
from debtdesk.services.mandates import Mandates
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care, snapshot, table_counts

BACS = Path(__file__).resolve().parents[1] / "data" / "bacs"
APPLIED = BACS / "applied"
NOV = Period(date(2026, 11, 9))
LODGE, COLLECTED, POSTED = date(2026, 11, 30), date(2026, 12, 21), date(2026, 12, 22)
COUNCIL = {
    "bacs.service_user_number": "418276",
    "bank.sort_code": "30-96-34",
    "bank.account_number": "41872956",
}


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement run renders PDFs: let pytest-qt make the application."""


def _clients(db: Database, payers: dict[str, tuple[str, int]], first: int = 1) -> None:
    """The council's settings, then per mandate reference ``DDxx00000n`` an account
    ``xx00000n`` paying (payer name, weekly pence) and its mandate on 20-00-00 5577000n."""
    for key, value in COUNCIL.items():
        Settings(db).set(key, value)
    for n, (reference, (payer, weekly)) in enumerate(payers.items(), first):
        with db.sessions.begin() as s:
            account = add_account(s, reference[2:], f"Client {payer}")
            add_care(s, account, NOV.start, weekly, 10000)
        Mandates(db).create(
            account, reference, payer, "20-00-00", f"5577{n:04d}", date(2026, 11, 2)
        )


def _dd(db: Database, day: date, tmp_path: Path) -> tuple[int, int, int]:
    """A dd run: (instructions sent, collections scheduled, collections posted)."""
    result = DirectDebitRun(db).run(day, tmp_path / "bacs")
    return result.instructions, result.scheduled, result.collected


def _collect(db: Database, tmp_path: Path, *, post: bool = True) -> None:
    """Lodge, issue the statements, schedule the collections (and post them)."""
    _dd(db, LODGE, tmp_path)
    StatementRuns(db).run(NOV.end, tmp_path / "statements")
    _dd(db, COLLECTED, tmp_path)
    if post:
        _dd(db, POSTED, tmp_path)


def _mandate_id(db: Database, reference: str) -> int:
    with db.sessions() as s:
        found = s.scalar(select(Mandate.id).where(Mandate.reference == reference))
    assert found is not None
    return found


def _summary(result: BacsImportResult) -> tuple[object, ...]:
    return (result.kind, result.items, result.applied, result.unmatched, result.total)


def _mandates(db: Database, *refs: str) -> dict[str, tuple[object, ...]]:
    """Per mandate: (status, hold reason, sort code, account number, its collections'
    statuses oldest first, the account's balance as at 22/12/2026, dd_returned flagged)."""
    found = {}
    with db.sessions() as s:
        for ref in refs:
            m = s.scalars(select(Mandate).where(Mandate.reference == ref)).one()
            collections = s.scalars(
                select(Collection.status)
                .where(Collection.mandate_id == m.id)
                .order_by(Collection.collection_date)
            )
            account = Accounts(db).detail_by_id(m.account_id, POSTED)
            found[ref] = (m.status.value, m.hold_reason, m.sort_code, m.account_number,
                          [c.value for c in collections], account.balance,
                          "dd_returned" in account.flags)  # fmt: skip
    return found


def _tasks(db: Database, batch: int) -> dict[str, tuple[str, date]]:
    """The batch's tasks, all open: account reference -> (kind, due)."""
    with db.sessions() as s:
        rows = s.execute(
            select(Account.reference, Task.kind, Task.due_on, Task.status)
            .join(Task, Task.account_id == Account.id)
            .where(Task.batch_id == batch)
        ).all()
    assert all(status.value == "open" for *_, status in rows)
    return {ref: (kind.value, due) for ref, kind, due, _ in rows}


def _items(db: Database, batch: int) -> list[tuple[object, ...]]:
    """The batch's items in file order: (reference, outcome, code, pence, account)."""
    with db.sessions() as s:
        rows = s.execute(
            select(BacsItem, Account.reference)
            .outerjoin(Account, Account.id == BacsItem.account_id)
            .where(BacsItem.batch_id == batch)
            .order_by(BacsItem.id)
        )
        return [(i.reference, i.outcome, i.code, i.amount, account) for i, account in rows]


def _returns(db: Database, batch: int) -> dict[str, tuple[int, date, bool]]:
    """The batch's returned payments: account -> (pence, effective, whether it reverses the
    collection's payment and is its return, the collection being marked returned)."""
    with db.sessions() as s:
        rows = s.execute(
            select(Account.reference, LedgerEntry, Collection)
            .join(LedgerEntry, LedgerEntry.account_id == Account.id)
            .outerjoin(Collection, Collection.return_entry_id == LedgerEntry.id)
            .where(LedgerEntry.batch_id == batch, LedgerEntry.kind == EntryKind.RETURNED_PAYMENT)
        ).all()
    return {
        ref: (e.amount, e.effective_date, c is not None and e.reverses_id == c.payment_entry_id
              and c.status.value == "returned")
        for ref, e, c in rows
    }  # fmt: skip


def _events(db: Database, batch: int) -> list[tuple[str, str, str]]:
    """The batch's mandate history events, by mandate: (reference, kind, reason)."""
    with db.sessions() as s:
        rows = s.execute(
            select(Mandate.reference, MandateEvent.kind, MandateEvent.reason)
            .join(MandateEvent, MandateEvent.mandate_id == Mandate.id)
            .where(MandateEvent.batch_id == batch)
            .order_by(Mandate.reference, MandateEvent.id)
        )
        return [(ref, kind.value, reason) for ref, kind, reason in rows]


@contextmanager
def _unchanged(db: Database) -> Iterator[None]:
    """Asserts every table has the same row count, and the same rows, after the block."""
    counts, rows = table_counts(db.engine), snapshot(db.engine)
    yield
    assert table_counts(db.engine) == counts
    assert snapshot(db.engine) == rows


# --- ARUDD --------------------------------------------------------------------------------

SEVERAL = {  # w pence a week -> 4w collected on 21/12/2026, as the file says
    "DDAR000001": ("M ELLIS", 7000),  # £280.00, code 0: refer to payer
    "DDAR000002": ("H FINCH", 3512),  # £140.48, 0128: refer to payer (4-digit)
    "DDAR000003": ("A OKAFOR", 5250),  # £210.00, 1012: instruction cancelled (4-digit)
    "DDAR000004": ("J PATEL", 9999),  # £399.96, 2: payer deceased
    "DDAR000005": ("R SINGH", 1750),  # £70.00, B: account closed (ref padded with spaces)
    "DDAR000006": ("T BROWN", 4321),  # £172.84, 4: advance notice disputed
    "DDAR000007": ("E JONES", 6000),  # £240.00, 0777 SOMETHING NEW: not in the table
}


def test_an_arudd_across_two_originating_accounts_reverses_each_collection(
    db: Database, tmp_path: Path
) -> None:
    _clients(db, SEVERAL)
    _collect(db, tmp_path)

    result = BacsImports(db).apply(APPLIED / "arudd_several.xml")

    # 3 items in the income account's record (£630.48) and 4 in the residential one's
    # (399.96 + 70.00 + 172.84 + 240.00 = £882.80): 7 items, £1,513.28, all matched.
    assert _summary(result) == ("ARUDD", 7, 7, 0, 151328)
    with db.sessions() as s:  # the batch lists what the file was and what it did
        batch = s.get(Batch, result.batch)
    assert batch is not None and (batch.kind, batch.file_name, batch.parameters) == (
        "bacs_arudd", "arudd_several.xml", {"items": 7, "applied": 7, "unmatched": 0,
                                            "total": 151328})  # fmt: skip
    # Each collected payment is reversed in full on the report's date, Tue 22/12/2026:
    # the account owed nothing on 21/12 and owes the collection again on 22/12.
    amounts = {"AR000001": 28000, "AR000002": 14048, "AR000003": 21000, "AR000004": 39996,
               "AR000005": 7000, "AR000006": 17284, "AR000007": 24000}  # fmt: skip
    assert _returns(db, result.batch) == {ref: (p, POSTED, True) for ref, p in amounts.items()}
    assert all(Accounts(db).detail(ref, COLLECTED).balance == 0 for ref in amounts)
    # Codes 0 and 0128 keep the mandate live; 1012 (= 1), 2 and B cancel it; 4 holds it;
    # 0777 is unknown, so nothing changes and an officer decides. Every account is flagged.
    live, cancelled = ("live", None), ("cancelled", None)
    held = ("live", "ARUDD 4: Advance notice disputed (code 4)")
    states = [live, live, cancelled, cancelled, cancelled, held, live]
    assert _mandates(db, *SEVERAL) == {
        ref: (*state, "200000", f"5577{n:04d}", ["returned"], pence, True)
        for n, (ref, state, pence) in enumerate(
            zip(SEVERAL, states, amounts.values(), strict=True), 1
        )
    }
    due = date(2026, 12, 29)  # Tue 22/12 + 3 working days (23, 24, 29)
    assert _tasks(db, result.batch) == {
        "AR000001": ("re_present", due), "AR000002": ("re_present", due),
        "AR000003": ("new_instruction", due), "AR000004": ("deceased", due),
        "AR000005": ("new_instruction", due), "AR000006": ("stop_until_resolved", due),
        "AR000007": ("unknown_return", due),
    }  # fmt: skip
    with db.sessions() as s:  # re-present within a month of the original processing date
        details = s.scalar(
            select(Task.details).join(Account, Account.id == Task.account_id)
            .where(Task.batch_id == result.batch, Account.reference == "AR000001")
        )  # fmt: skip
    assert details is not None and "Re-present by 18/01/2027 at the latest." in details
    assert _items(db, result.batch) == [
        ("DDAR000001", "applied", "0", 28000, "AR000001"),
        ("DDAR000002", "applied", "0128", 14048, "AR000002"),
        ("DDAR000003", "applied", "1012", 21000, "AR000003"),
        ("DDAR000004", "applied", "2", 39996, "AR000004"),
        ("DDAR000005", "applied", "B", 7000, "AR000005"),
        ("DDAR000006", "applied", "4", 17284, "AR000006"),
        ("DDAR000007", "applied", "0777", 24000, "AR000007"),
    ]
    assert check(db).ok


def test_an_arudd_of_one_item_posts_a_collection_not_yet_posted_then_returns_it(
    db: Database, tmp_path: Path
) -> None:
    _clients(db, {"DDON000001": ("S KHAN", 8000)})  # 4 x £80.00 = £320.00
    _collect(db, tmp_path, post=False)  # scheduled for 21/12 by the 21/12 run, not posted

    result = BacsImports(db).apply(APPLIED / "arudd_one_item.xml")

    assert _summary(result) == ("ARUDD", 1, 1, 0, 32000)
    with db.sessions() as s:
        entries = s.scalars(
            select(LedgerEntry)
            .join(Account, Account.id == LedgerEntry.account_id)
            .where(Account.reference == "ON000001")
            .order_by(LedgerEntry.id)
        ).all()
        collection = s.scalars(select(Collection)).one()
    # The charge; the payment the import posted first, effective on the collection date;
    # its return on the report's date, naming it.
    assert [(e.kind, e.amount, e.effective_date) for e in entries] == [
        (EntryKind.CHARGE, 32000, date(2026, 12, 7)),
        (EntryKind.PAYMENT, -32000, COLLECTED),
        (EntryKind.RETURNED_PAYMENT, 32000, POSTED),
    ]
    _, payment, returned = entries
    assert payment.batch_id == returned.batch_id == result.batch
    assert returned.reverses_id == collection.payment_entry_id == payment.id
    assert (collection.status.value, collection.return_entry_id) == ("returned", returned.id)
    # Code 3 (account transferred) holds the mandate: a new instruction is needed.
    held = ("live", "ARUDD 3: Account transferred (code 3)", "200000", "55770001")
    assert _mandates(db, "DDON000001")["DDON000001"] == (*held, ["returned"], 32000, True)
    assert _tasks(db, result.batch) == {"ON000001": ("new_instruction", date(2026, 12, 29))}
    # The next dd run neither posts the returned collection nor collects on the held mandate.
    assert _dd(db, POSTED, tmp_path) == (0, 0, 0)
    assert Accounts(db).detail("ON000001", POSTED).balance == 32000
    assert check(db).ok


def test_unmatched_items_are_counted_and_listed_on_the_batch_not_refused(
    db: Database, tmp_path: Path
) -> None:
    three = {"DDUN000002": ("Q ADEYEMI", 7000), "DDUN000003": ("R MORGAN", 7000),
             "DDUN000004": ("S WALSH", 7000)}  # fmt: skip
    _clients(db, three)  # each collected £280.00 on Mon 21/12/2026
    _collect(db, tmp_path)

    result = BacsImports(db).apply(APPLIED / "arudd_unmatched.xml")

    # 280.00 + 280.01 + 280.00 + 280.00 = £1,120.01. DDNOSUCH01 is no mandate; DDUN000002's
    # £280.01 is not the £280.00 collected; DDUN000003's date, Fri 11/12, is 6 working days
    # from the collection (14-18/12 and 21/12); DDUN000004's, Mon 14/12, is 5: matched.
    assert _summary(result) == ("ARUDD", 4, 1, 3, 112001)
    assert _items(db, result.batch) == [
        ("DDNOSUCH01", "unmatched", "0", 28000, None),
        ("DDUN000002", "unmatched", "0", 28001, "UN000002"),
        ("DDUN000003", "unmatched", "0", 28000, "UN000003"),
        ("DDUN000004", "applied", "0", 28000, "UN000004"),
    ]
    with db.sessions() as s:
        why = s.scalars(
            select(BacsItem.detail).where(BacsItem.batch_id == result.batch).order_by(BacsItem.id)
        ).all()
    assert why[0] == "no mandate has the reference 'DDNOSUCH01'"
    assert "no collection of £280.01 under DDUN000002 within 5 working days of 18/12" in why[1]
    assert "no collection of £280.00 under DDUN000003 within 5 working days of 11/12" in why[2]
    # The unmatched ones are untouched: still collected, owing nothing, not flagged.
    assert _mandates(db, *three) == {
        "DDUN000002": ("live", None, "200000", "55770001", ["collected"], 0, False),
        "DDUN000003": ("live", None, "200000", "55770002", ["collected"], 0, False),
        "DDUN000004": ("live", None, "200000", "55770003", ["returned"], 28000, True),
    }
    assert _returns(db, result.batch) == {"UN000004": (28000, POSTED, True)}
    assert _tasks(db, result.batch) == {"UN000004": ("re_present", date(2026, 12, 29))}
    assert check(db).ok


# --- ADDACS -------------------------------------------------------------------------------

ADDACS = {
    f"DDAD{n:06d}": (name, 7000)  # £280.00 each
    for n, name in enumerate(("B ADAMS", "C BAKER", "D CLARK", "E DAVIS", "F EVANS", "G FOX",
                              "H GREEN", "I HILL", "K IRWIN", "L JONES"), 1)
}  # fmt: skip


def _addacs_setup(db: Database, tmp_path: Path) -> None:
    """Ten mandates, each with £280.00 scheduled for Mon 21/12/2026, except DDAD000010,
    which an officer cancelled on 14/12 (its 0C sent by the 21/12 run), so nothing."""
    _clients(db, ADDACS)
    _dd(db, LODGE, tmp_path)
    Mandates(db).cancel(_mandate_id(db, "DDAD000010"), date(2026, 12, 14), "Payer asked to stop")
    StatementRuns(db).run(NOV.end, tmp_path / "statements")
    assert _dd(db, COLLECTED, tmp_path) == (1, 9, 0)  # the 0C; 9 collections scheduled


def test_an_addacs_with_one_advice_for_each_code(db: Database, tmp_path: Path) -> None:
    _addacs_setup(db, tmp_path)

    result = BacsImports(db).apply(APPLIED / "addacs_all_codes.xml")

    # 11 advices: 10 name our mandates, DDNOSUCH02 none. No money: total 0.
    assert _summary(result) == ("ADDACS", 11, 10, 1, 0)
    assert _items(db, result.batch)[-1] == ("DDNOSUCH02", "unmatched", "1", None, None)
    # Effective Mon 21/12: cancelling (0, 1, 2, B) or holding (3 without new details, D)
    # cancels the collection scheduled that day; new details (3 with them, C) replace
    # the bank details; E amends nothing else; R makes the cancelled mandate live again.
    # Nothing is posted yet, so every account owes its £280.00; none is flagged.
    gone, kept = ["cancelled"], ["scheduled"]
    assert _mandates(db, *ADDACS) == {
        "DDAD000001": ("cancelled", None, "200000", "55770001", gone, 28000, False),
        "DDAD000002": ("cancelled", None, "200000", "55770002", gone, 28000, False),
        "DDAD000003": ("cancelled", None, "200000", "55770003", gone, 28000, False),
        "DDAD000004": ("live", None, "401122", "98760004", kept, 28000, False),
        "DDAD000005": ("live", "ADDACS 3: Account transferred to a new bank or building "
                       "society", "200000", "55770005", gone, 28000, False),
        "DDAD000006": ("cancelled", None, "200000", "55770006", gone, 28000, False),
        "DDAD000007": ("live", None, "200007", "55770007", kept, 28000, False),
        "DDAD000008": ("live", "ADDACS D: Advance notice disputed", "200000", "55770008",
                       gone, 28000, False),
        "DDAD000009": ("live", None, "200000", "55770009", kept, 28000, False),
        "DDAD000010": ("live", None, "200000", "55770010", [], 28000, False),
    }  # fmt: skip
    assert [(ref[-2:], kind) for ref, kind, _ in _events(db, result.batch)] == [
        ("01", "cancelled"), ("02", "cancelled"), ("03", "cancelled"), ("04", "amended"),
        ("05", "held"), ("06", "cancelled"), ("07", "amended"), ("08", "held"),
        ("09", "amended"), ("10", "reinstated"),
    ]  # fmt: skip
    due = date(2026, 12, 24)  # Mon 21/12 + 3 working days (22, 23, 24)
    assert _tasks(db, result.batch) == {
        "AD000001": ("new_instruction", due), "AD000002": ("other_payment_method", due),
        "AD000003": ("deceased", due), "AD000005": ("new_instruction", due),
        "AD000006": ("new_instruction", due), "AD000008": ("stop_until_resolved", due),
    }  # fmt: skip
    # Tue 22/12: the collections still scheduled (new details, amended) are posted; the
    # cancelled and held ones are not, so those accounts still owe £280.00.
    _dd(db, POSTED, tmp_path)
    nine = list(ADDACS)[:9]
    paid = {"DDAD000004", "DDAD000007", "DDAD000009"}
    assert {ref: row[5] for ref, row in _mandates(db, *nine).items()} == {
        ref: 0 if ref in paid else 28000 for ref in nine
    }
    assert check(db).ok


def test_addacs_3_with_new_details_lodges_a_new_instruction_to_the_new_account(
    db: Database, tmp_path: Path
) -> None:
    """FACTS.md §5.2, ADDACS 3 with old and new details: update the record and, as an
    AUDDIS user, send a 0N to the new account (no 0C to the old bank); only C (branch
    transfer) needs no 0C/0N pair. So a 0N is due for the next dd run."""
    _addacs_setup(db, tmp_path)
    BacsImports(db).apply(APPLIED / "addacs_all_codes.xml")
    with db.sessions() as s:
        due = dict(s.execute(select(Mandate.reference, Mandate.instruction_due)).all())
    assert due["DDAD000007"] is None  # C: branch transfer, no 0C/0N pair
    assert due["DDAD000004"] == "0N"  # 3 with new details: lodge on 40-11-22 98760004


def test_addacs_r_never_leaves_a_live_mandate_with_its_0c_still_to_send(
    db: Database, tmp_path: Path
) -> None:
    """An officer cancels DDAD000009 on 21/12 (0C due at the next run), then the bank
    re-instates it (ADDACS R). The council's cancellation stands: it must never be live
    with its 0C still to send (the bank would cancel what debtdesk goes on collecting)."""
    _addacs_setup(db, tmp_path)
    Mandates(db).cancel(_mandate_id(db, "DDAD000009"), COLLECTED, "Payer asked to stop")
    text = (APPLIED / "addacs_all_codes.xml").read_text()
    reinstated = tmp_path / "addacs_r.xml"  # the same report with DDAD000009's E made R
    old = 'reference="DDAD000009" payer-name="K IRWIN" payer-account-number="55770009" '
    old += 'payer-sort-code="200000" reason-code="E"'
    reinstated.write_text(text.replace(old, old[:-2] + 'R"'))
    BacsImports(db).apply(reinstated)
    with db.sessions() as s:
        m = s.scalars(select(Mandate).where(Mandate.reference == "DDAD000009")).one()
        assert (m.status.value, m.instruction_due) != ("live", "0C")


# --- AUDDIS -------------------------------------------------------------------------------

AUDDIS = {
    f"DDAU{n:06d}": (name, 7000)
    for n, name in enumerate(("N PRICE", "O QUINN", "P REID", "S TURNER", "U VAUGHAN",
                              "W YOUNG"), 1)
}  # fmt: skip


def _auddis_setup(db: Database, tmp_path: Path, *, cancel_third: bool = False) -> None:
    """DDAU000001-3 lodged by the run of Mon 30/11 (processing date Tue 01/12, file
    000001); DDAU000004-6 set up later and lodged by the run of Mon 07/12 (Tue 08/12, file
    000002), which also sends DDAU000003's 0C if an officer cancelled it on 04/12."""
    payers = list(AUDDIS.items())
    _clients(db, dict(payers[:3]))
    assert _dd(db, LODGE, tmp_path) == (3, 0, 0)
    _clients(db, dict(payers[3:]), first=4)
    if cancel_third:
        Mandates(db).cancel(_mandate_id(db, "DDAU000003"), date(2026, 12, 4), "Payer said stop")
    assert _dd(db, date(2026, 12, 7), tmp_path) == (3 + cancel_third, 0, 0)


def _lodging(db: Database) -> dict[str, tuple[str, str | None, date | None]]:
    """Each mandate's (status, instruction due, lodged on)."""
    with db.sessions() as s:
        rows = s.execute(select(Mandate).order_by(Mandate.reference)).scalars()
        return {m.reference: (m.status.value, m.instruction_due, m.lodged_on) for m in rows}


def test_an_auddis_acceptance_then_a_rejection(db: Database, tmp_path: Path) -> None:
    _auddis_setup(db, tmp_path)
    before = _lodging(db)

    accepted = BacsImports(db).apply(APPLIED / "auddis_accepted.xml")

    # One file-level advice, V: file 000001 (processed 01/12) confirms the three it lodged.
    assert _summary(accepted) == ("AUDDIS", 1, 1, 0, 0)
    assert _items(db, accepted.batch) == [("000001", "recorded", "V", None, None)]
    with db.sessions() as s:
        detail = s.scalar(select(BacsItem.detail).where(BacsItem.batch_id == accepted.batch))
    assert detail is not None and "3 instructions accepted, 0 rejected; 3 mandate(s)" in detail
    confirmed = [(ref, kind) for ref, kind, _ in _events(db, accepted.batch)]
    assert confirmed == [(f"DDAU00000{n}", "accepted") for n in (1, 2, 3)]  # not those of 08/12
    assert _lodging(db) == before  # still live, nothing due
    assert _tasks(db, accepted.batch) == {}

    result = BacsImports(db).apply(APPLIED / "auddis_rejected.xml")

    # The R advice (file 000002, error 30264), N for DDAU000001 (5, no account), D for
    # DDAU000002 (B, account closed), N for DDNOSUCH03 (no such mandate).
    assert _summary(result) == ("AUDDIS", 4, 3, 1, 0)
    assert _items(db, result.batch) == [
        ("000002", "recorded", "30264", None, None),
        ("DDAU000001", "applied", "5", None, "AU000001"),
        ("DDAU000002", "applied", "B", None, "AU000002"),
        ("DDNOSUCH03", "unmatched", "6", None, None),
    ]
    pending = ("pending", "0N", None)  # the rejected file's: to be lodged again
    assert _lodging(db) == {
        "DDAU000001": ("failed", None, date(2026, 12, 1)),
        "DDAU000002": ("failed", None, date(2026, 12, 1)),
        "DDAU000003": ("live", None, date(2026, 12, 1)),
        "DDAU000004": pending, "DDAU000005": pending, "DDAU000006": pending,
    }  # fmt: skip
    assert _tasks(db, result.batch) == {  # Wed 09/12 + 3 working days (10, 11, 14)
        "AU000001": ("check_instruction", date(2026, 12, 14)),
        "AU000002": ("new_instruction", date(2026, 12, 14)),
    }
    reasons = {ref: reason for ref, kind, reason in _events(db, result.batch)}
    assert "User Status is TEST on Arrival Day" in reasons["DDAU000004"]  # kind rejected
    # The next run (Mon 14/12) lodges the three again, processed Tue 15/12.
    assert _dd(db, date(2026, 12, 14), tmp_path) == (3, 0, 0)
    assert _lodging(db)["DDAU000005"] == ("live", None, date(2026, 12, 15))
    assert check(db).ok


def test_an_auddis_rejected_file_sends_its_cancellations_again(
    db: Database, tmp_path: Path
) -> None:
    """The run of 07/12 put DDAU000003's 0C in the same instruction file as the three
    0Ns; AUDREJ says the bank refused that whole file, so the 0C never arrived: it is due
    again, as the 0Ns are, or the instruction would stay live at the paying bank."""
    _auddis_setup(db, tmp_path, cancel_third=True)
    BacsImports(db).apply(APPLIED / "auddis_rejected.xml")
    assert _lodging(db)["DDAU000003"] == ("cancelled", "0C", date(2026, 12, 1))
    assert _dd(db, date(2026, 12, 14), tmp_path) == (4, 0, 0)  # 3 x 0N and the 0C again


# --- refused whole, nothing written ------------------------------------------------------

ONE = APPLIED / "arudd_one_item.xml"
REFUSED = "refused, nothing was imported (1 problem):\n  "
DOCTYPE = "refused: the file declares a document type (<!DOCTYPE ...>); Bacs reports never do"
# fmt: off
REFUSALS = [  # (the file, what happened before, what the message says)
    pytest.param(APPLIED / "malformed.xml", "",
                 REFUSED + "line 17: not well-formed XML at column 7: mismatched tag",
                 id="malformed"),
    pytest.param(APPLIED / "truncated.xml", "",
                 "the file ends before the XML does (truncated?)", id="truncated"),
    pytest.param(BACS / "billion_laughs.xml", "", REFUSED + "line 2, <!DOCTYPE>: " + DOCTYPE,
                 id="billion-laughs"),
    pytest.param(BACS / "external_entity.xml", "", REFUSED + "line 2, <!DOCTYPE>: " + DOCTYPE,
                 id="external-entity"),
    pytest.param(APPLIED / "arudd_other_sun.xml", "",
                 REFUSED + "service user number 654321 is not the council's (418276)",
                 id="wrong-sun"),
    pytest.param(ONE, "unset", "the council's Bacs service user number is not set",
                 id="sun-not-set"),
    pytest.param(ONE, "imported", "this file (SHA-256 ", id="twice"),
    pytest.param(Path("copy.xml"), "imported", "this file (SHA-256 ", id="same-bytes-renamed"),
]
# fmt: on


@pytest.mark.parametrize(("path", "before", "message"), REFUSALS)
def test_a_refused_report_changes_nothing(
    db: Database, tmp_path: Path, path: Path, before: str, message: str
) -> None:
    _clients(db, {"DDON000001": ("S KHAN", 8000)})  # what arudd_one_item.xml returns
    _collect(db, tmp_path, post=False)
    if before == "unset":
        Settings(db).set("bacs.service_user_number", "")
    if before == "imported":
        first = BacsImports(db).apply(ONE).batch
        path = shutil.copyfile(ONE, tmp_path / path.name) if path != ONE else path
    with _unchanged(db), pytest.raises(BadInput) as refused:
        BacsImports(db).apply(path)
    assert str(refused.value).startswith(f"{path.name}: ")
    assert message in str(refused.value)
    if before == "imported":  # named the earlier batch; returned once only
        assert "…) was already imported on " in str(refused.value)
        assert f"as batch {first} (arudd_one_item.xml); nothing was imported" in str(refused.value)
        assert Accounts(db).detail("ON000001", POSTED).balance == 32000
