"""The suspense worklist and an officer's allocate, split and refund, on a real database.

Each test starts from the caseload of tests/data/bank/applied/EXPECTED.md with rules.csv
applied. That leaves three receipts in suspense and these balances and open invoices:

    line 7  06/06/2025  £480.00  MUM                Mr J Smith
    line 8  07/06/2025   £50.00  CC000101 CC000102  A Relative
    line 9  09/06/2025  £100.00  CARE               Margaret Ellis

    CC000101 £180.00  INV00000001 owes £180.00 (INV00000006 paid)
    CC000104 £240.00  INV00000009 owes £240.00 (INV00000004 paid)
    CC000105 £480.00  INV00000005 and INV00000010 owe £240.00 each
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from debtdesk.db.models import AuditEvent, BankReceipt, LedgerEntry, SuspenseAction
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services.bank_import import BankImports
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.suspense import Part, Suspense, SuspenseActionLine
from tests.services.support import cached_balance, snapshot
from tests.services.test_bank_import import APPLIED, allocations, build_caseload, outstanding

MUM, RELATIVE, CARE = "line 7", "line 8", "line 9"


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement runs render PDFs: let pytest-qt make the application."""


@pytest.fixture
def held(db: Database, tmp_path: Path) -> dict[str, int]:
    """The caseload with rules.csv applied; the receipt ids in suspense by source."""
    build_caseload(db, tmp_path)
    BankImports(db).apply(APPLIED / "rules.csv")
    return {line.source: line.id for line in Suspense(db).worklist()}


def _receipt(db: Database, receipt_id: int) -> tuple[str, str, int | None, int | None]:
    with db.sessions() as s:
        r = s.get(BankReceipt, receipt_id)
        assert r is not None
        return r.status.value, r.rule.value, r.account_id, r.entry_id


def _audits(db: Database) -> list[tuple[str, str, str, object, object]]:
    with db.sessions() as s:
        return [
            (a.actor, a.action, a.entity_id, a.before, a.after)
            for a in s.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity == "bank_receipt")
                .order_by(AuditEvent.id)
            )
        ]


def _payments_from_suspense(db: Database) -> list[tuple[int, int, date, object, object, str, str]]:
    """(account, pence, effective, method, source, reference, description) posted by officers."""
    with db.sessions() as s:
        return [
            (e.account_id, e.amount, e.effective_date, e.method, e.source, e.reference,
             e.description)
            for e in s.scalars(
                select(LedgerEntry)
                .where(LedgerEntry.source == EntrySource.USER)
                .order_by(LedgerEntry.id)
            )
        ]  # fmt: skip


def test_the_worklist_lists_what_is_waiting_oldest_first(
    db: Database, held: dict[str, int]
) -> None:
    lines = Suspense(db).worklist()
    assert [
        (x.source, x.received_on, x.amount, x.remaining, x.reference, x.payer, x.bank_reference,
         x.reason, x.file_name)
        for x in lines
    ] == [
        (MUM, date(2025, 6, 6), 48000, 48000, "MUM", "Mr J Smith", "FP1006",
         "2 accounts have this payer's name and amount due", "rules.csv"),
        (RELATIVE, date(2025, 6, 7), 5000, 5000, "CC000101 CC000102", "A Relative", "FP1007",
         "the reference names more than one account (CC000101, CC000102)", "rules.csv"),
        (CARE, date(2025, 6, 9), 10000, 10000, "CARE", "Margaret Ellis", "FP1008",
         "no account reference found", "rules.csv"),
    ]  # fmt: skip
    assert len({x.batch for x in lines}) == 1


def test_allocate_posts_a_payment_on_the_day_received_and_allocates_it(
    db: Database, held: dict[str, int]
) -> None:
    suspense = Suspense(db)
    suspense.allocate(held[CARE], " cc000101 ", note="Mrs Ellis phoned: her care fees")

    # £100.00 to CC000101, effective 09/06/2025 when it reached the bank, oldest first:
    # INV00000001 owed £180.00 and now owes £80.00. Balance 18000 - 10000 = 8000.
    [payment] = _payments_from_suspense(db)
    account = _receipt(db, held[CARE])[2]
    assert payment == (
        account, -10000, date(2025, 6, 9), PaymentMethod.BANK_TRANSFER, EntrySource.USER,
        "CARE", "Bank payment allocated from suspense (Margaret Ellis)",
    )  # fmt: skip
    assert allocations(db, "CC000101")[-1] == (10000, "INV00000001", 10000, date(2025, 6, 9))
    assert outstanding(db, "INV00000001") == 8000
    assert cached_balance(db.engine, "CC000101") == 8000

    status, rule, _, entry_id = _receipt(db, held[CARE])
    assert (status, rule, entry_id is not None) == ("resolved", "officer", True)
    assert suspense.history(held[CARE]) == [
        SuspenseActionLine("allocate", 10000, "CC000101", None,
                           "Mrs Ellis phoned: her care fees", "tester", date(2025, 6, 9)),
    ]  # fmt: skip
    assert [x.source for x in suspense.worklist()] == [MUM, RELATIVE]
    assert _audits(db) == [
        ("tester", "suspense.resolve", str(held[CARE]), {"status": "suspense", "remaining": 10000},
         {"status": "resolved", "note": "Mrs Ellis phoned: her care fees",
          "parts": [{"kind": "allocate", "amount": 10000, "account": " cc000101 ",
                     "invoice": None}]}),
    ]  # fmt: skip
    assert check(db).ok


def test_split_across_accounts_with_a_named_invoice(db: Database, held: dict[str, int]) -> None:
    suspense = Suspense(db)
    # Mr J Smith's £480.00 is £240.00 for each Smith; Jane's half names INV00000010.
    suspense.split(
        held[MUM],
        [Part(24000, "CC000104"), Part(24000, "CC000105", "inv00000010")],
        note="Mr Smith pays for both",
    )
    # John: INV00000009 was his only open invoice: paid, balance 24000 - 24000 = 0.
    assert allocations(db, "CC000104")[-1] == (24000, "INV00000009", 24000, date(2025, 6, 6))
    # Jane: the named INV00000010 is paid although INV00000005 is older; it still owes.
    assert allocations(db, "CC000105") == [(24000, "INV00000010", 24000, date(2025, 6, 6))]
    assert (outstanding(db, "INV00000005"), outstanding(db, "INV00000010")) == (24000, 0)
    assert (cached_balance(db.engine, "CC000104"), cached_balance(db.engine, "CC000105")) == (
        0, 24000,
    )  # fmt: skip
    assert [
        (h.kind, h.amount, h.account_ref, h.invoice_number) for h in suspense.history(held[MUM])
    ] == [
        ("allocate", 24000, "CC000104", None),
        ("allocate", 24000, "CC000105", "INV00000010"),
    ]
    # A split names no single account or entry on the receipt.
    assert _receipt(db, held[MUM]) == ("resolved", "officer", None, None)
    assert check(db).ok


def test_refund_whole_or_as_part_of_a_split(db: Database, held: dict[str, int]) -> None:
    suspense = Suspense(db)
    entries_before = len(_payments_from_suspense(db))
    suspense.refund(held[RELATIVE], "Not ours: returned to sort code 20-00-00 a/c 12345678")
    assert _receipt(db, held[RELATIVE]) == ("resolved", "officer", None, None)
    assert [(h.kind, h.amount, h.account_ref) for h in suspense.history(held[RELATIVE])] == [
        ("refund", 5000, None),
    ]
    assert len(_payments_from_suspense(db)) == entries_before  # a refund posts nothing

    # £100.00 from Margaret Ellis: £60.00 to her account, £40.00 paid back.
    suspense.split(held[CARE], [Part(6000, "CC000101"), Part(4000)], "£40 overpaid, refunded")
    assert [(h.kind, h.amount, h.account_ref) for h in suspense.history(held[CARE])] == [
        ("allocate", 6000, "CC000101"),
        ("refund", 4000, None),
    ]
    assert cached_balance(db.engine, "CC000101") == 18000 - 6000
    with db.sessions() as s:
        kinds = sorted(
            (a.kind.value, a.amount, a.entry_id is None) for a in s.scalars(select(SuspenseAction))
        )
    assert kinds == [("allocate", 6000, False), ("refund", 4000, True), ("refund", 5000, True)]
    assert check(db).ok


def test_refusals_change_nothing(db: Database, held: dict[str, int]) -> None:
    suspense = Suspense(db)
    with db.sessions() as s:
        matched = s.scalars(select(BankReceipt.id).where(BankReceipt.source == "line 2")).one()
    before = snapshot(db.engine)
    refused: list[tuple[type[Exception], str, Callable[[], None]]] = [
        (BadInput, r"the parts add up to £440\.00 but £480\.00 remains of the receipt",
         lambda: suspense.split(held[MUM], [Part(20000, "CC000104"), Part(24000, "CC000105")])),
        (BadInput, r"the parts add up to £490\.00 but £480\.00",
         lambda: suspense.split(held[MUM], [Part(24000, "CC000104"), Part(25000, "CC000105")])),
        (BadInput, r"part 2: the amount must be more than zero",
         lambda: suspense.split(held[MUM], [Part(48000, "CC000104"), Part(0, "CC000105")])),
        (BadInput, r"part 1: the amount must be more than zero",
         lambda: suspense.split(held[MUM], [Part(-100, "CC000104"), Part(48100, "CC000105")])),
        (BadInput, r"a split has at least two parts",
         lambda: suspense.split(held[MUM], [Part(48000, "CC000104")])),
        (NotFound, r"no account 'CC000999'",
         lambda: suspense.allocate(held[CARE], "CC000999")),
        # The second part is bad: the first (good) part must not be posted either.
        (NotFound, r"no account 'CC000999'",
         lambda: suspense.split(held[MUM], [Part(24000, "CC000104"), Part(24000, "CC000999")])),
        (NotFound, r"no invoice 'INV00009999'",
         lambda: suspense.allocate(held[CARE], "CC000101", "INV00009999")),
        (BadInput, r"invoice INV00000002 is not on account CC000101",
         lambda: suspense.allocate(held[CARE], "CC000101", "INV00000002")),
        (BadInput, rf"receipt {matched} is not in suspense \(matched\)",
         lambda: suspense.allocate(matched, "CC000101")),
        (NotFound, r"no receipt 999999",
         lambda: suspense.allocate(999999, "CC000101")),
        (BadInput, r"say why the receipt is refunded",
         lambda: suspense.refund(held[CARE], "   ")),
    ]  # fmt: skip
    for error, message, action in refused:
        with pytest.raises(error, match=message):
            action()
        assert snapshot(db.engine) == before, message

    # Once resolved, a receipt is no longer in suspense: a second action is refused.
    suspense.refund(held[CARE], "returned to payer")
    after = snapshot(db.engine)
    with pytest.raises(BadInput, match=rf"receipt {held[CARE]} is not in suspense \(resolved\)"):
        suspense.allocate(held[CARE], "CC000101")
    assert snapshot(db.engine) == after
    assert check(db).ok


def test_resolving_everything_empties_the_worklist_and_the_ledger_checks(
    db: Database, held: dict[str, int]
) -> None:
    suspense = Suspense(db)
    suspense.split(held[MUM], [Part(24000, "CC000104"), Part(24000, "CC000105")], "both")
    suspense.allocate(held[CARE], "CC000101")
    suspense.refund(held[RELATIVE], "paid back by cheque 100234")
    assert suspense.worklist() == []
    # CC000105: 48000 - 24000, oldest first, so INV00000005 is paid and INV00000010 owes.
    assert (outstanding(db, "INV00000005"), outstanding(db, "INV00000010")) == (0, 24000)
    refs = ("CC000101", "CC000104", "CC000105")
    assert [cached_balance(db.engine, ref) for ref in refs] == [8000, 0, 24000]
    with db.sessions() as s:
        assert (
            sorted(s.scalars(select(BankReceipt.status)).all())
            == ["matched"] * 5 + ["resolved"] * 3
        )
        assert s.scalars(
            select(LedgerEntry.id).where(LedgerEntry.kind != EntryKind.CHARGE,
                                         LedgerEntry.kind != EntryKind.PAYMENT)
        ).all() == []  # fmt: skip
    assert len(_audits(db)) == 3
    assert check(db).ok
