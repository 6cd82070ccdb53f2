"""``BankImports.apply`` on a real database: the samples of tests/data/bank/applied.

``build_caseload`` makes the caseload tests/data/bank/applied/EXPECTED.md describes: five
individuals (care £100.00 a week, so each period charges the assessed weekly amount × 4)
and two statement runs, P0 31/03-27/04/2025 (statements 28/04, due 12/05/2025) and P1
28/04-25/05/2025 (statements 26/05, due 09/06/2025). Numbers follow the run order:

    CC000101  Mrs Margaret Ellis  £70.00 -> INV00000001, INV00000006 £280.00; due £560.00
    CC000102  Susan Finch         £50.00 -> INV00000002, INV00000007 £200.00; due £400.00
    CC000103  Ada Brown           £35.00 -> INV00000003, INV00000008 £140.00; due £280.00
    CC000104  Mr John Smith       £60.00 -> INV00000004, INV00000009 £240.00; due £480.00
    CC000105  Mrs Jane Smith      £60.00 -> INV00000005, INV00000010 £240.00; due £480.00

Statements ST00000001-05 are P0's, ST00000006-10 P1's, in the same account order.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from debtdesk.db.models import (
    Account,
    Allocation,
    BankReceipt,
    Batch,
    Invoice,
    LedgerEntry,
    Representative,
)
from debtdesk.domain.caseload import RepresentativeRole
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.domain.periods import Period
from debtdesk.services.bank_import import BankImports
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.imports import FileRefused
from debtdesk.services.mandates import Mandates
from debtdesk.services.statement_run import StatementRuns
from tests.services.support import add_account, add_care, cached_balance, snapshot, table_counts

DATA = Path(__file__).resolve().parent.parent / "data" / "bank"
APPLIED = DATA / "applied"
P0 = Period(date(2025, 3, 31))
P1 = Period(date(2025, 4, 28))
CLIENTS = (  # reference, client, weekly contribution (pence)
    ("CC000101", "Mrs Margaret Ellis", 7000),
    ("CC000102", "Susan Finch", 5000),
    ("CC000103", "Ada Brown", 3500),
    ("CC000104", "Mr John Smith", 6000),
    ("CC000105", "Mrs Jane Smith", 6000),
)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement runs render PDFs: let pytest-qt make the application."""


def build_caseload(db: Database, out: Path) -> dict[str, int]:
    """The caseload of EXPECTED.md; returns account ids by reference."""
    ids: dict[str, int] = {}
    with db.sessions.begin() as s:
        for reference, name, weekly in CLIENTS:
            ids[reference] = add_account(s, reference, name)
            add_care(s, ids[reference], P0.start, weekly, 10000)
        s.add(
            Representative(
                account_id=ids["CC000103"], name="Peter Brown", role=RepresentativeRole.EXECUTOR
            )
        )
    Mandates(db).create(ids["CC000104"], "DDREF0104", "John Smith", "20-00-00", "55779911",
                        date(2025, 4, 1))  # fmt: skip
    StatementRuns(db).run(P0.end, out)
    StatementRuns(db).run(P1.end, out)
    return ids


def receipts(db: Database) -> list[tuple[str, date, int, str, str, str, str | None]]:
    """(source, received, pence, status, rule, reason, account) of every receipt."""
    with db.sessions() as s:
        return [
            (r.source, r.received_on, r.amount, r.status.value, r.rule.value, r.reason, ref)
            for r, ref in s.execute(
                select(BankReceipt, Account.reference)
                .outerjoin(Account, Account.id == BankReceipt.account_id)
                .order_by(BankReceipt.id)
            )
        ]


def allocations(db: Database, reference: str) -> list[tuple[int, str, int, date]]:
    """(receipt's pence, invoice number, pence allocated, effective) for an account."""
    with db.sessions() as s:
        return [
            (-entry_amount, number, amount, effective)
            for entry_amount, number, amount, effective in s.execute(
                select(LedgerEntry.amount, Invoice.number, Allocation.amount,
                       Allocation.effective_date)
                .join(LedgerEntry, LedgerEntry.id == Allocation.entry_id)
                .join(Invoice, Invoice.id == Allocation.invoice_id)
                .join(Account, Account.id == Allocation.account_id)
                .where(Account.reference == reference)
                .order_by(LedgerEntry.effective_date, Invoice.number)
            )
        ]  # fmt: skip


def outstanding(db: Database, number: str) -> int:
    """An invoice's amount less what is allocated to it."""
    with db.sessions() as s:
        invoice = s.scalars(select(Invoice).where(Invoice.number == number)).one()
        paid = sum(s.scalars(select(Allocation.amount).where(Allocation.invoice_id == invoice.id)))
        return invoice.amount - paid


def balances(db: Database) -> dict[str, int]:
    return {ref: cached_balance(db.engine, ref) for ref, _, _ in CLIENTS}


M, S, N = "matched", "suspense", "none"
REF, NAME = "reference", "payer_and_amount"
BY_NAME = "payer's name and the amount of the latest statement"


def test_each_matching_rule_on_a_generic_csv(db: Database, tmp_path: Path) -> None:
    build_caseload(db, tmp_path)
    result = BankImports(db).apply(APPLIED / "rules.csv")

    # 100 + 280 + 140 + 240 + 400 + 480 + 50 + 100 = £1,790.00 in 8 receipts.
    assert (result.kind, result.items, result.matched, result.suspense, result.total) == (
        "generic", 8, 5, 3, 179000,
    )  # fmt: skip
    assert result.file_name == "rules.csv"
    two = "the reference names more than one account (CC000101, CC000102)"
    assert receipts(db) == [
        ("line 2", date(2025, 6, 2), 10000, M, REF, "reference CC000101", "CC000101"),
        ("line 3", date(2025, 6, 3), 28000, M, REF, "reference INV00000006", "CC000101"),
        ("line 4", date(2025, 6, 4), 14000, M, REF, "reference ST00000008", "CC000103"),
        ("line 5", date(2025, 6, 5), 24000, M, REF, "reference DDREF0104", "CC000104"),
        ("line 6", date(2025, 6, 6), 40000, M, NAME, BY_NAME, "CC000102"),
        ("line 7", date(2025, 6, 6), 48000, S, N,
         "2 accounts have this payer's name and amount due", None),
        ("line 8", date(2025, 6, 7), 5000, S, N, two, None),
        ("line 9", date(2025, 6, 9), 10000, S, N, "no account reference found", None),
    ]  # fmt: skip

    # Ellis: "cc 000101 march" (£100.00) goes oldest first, to INV00000001 (due 12/05);
    # "Inv 00000006" (£280.00) pays INV00000006 (due 09/06) first although INV00000001
    # is older and still owes £280.00 - £100.00 = £180.00.
    assert allocations(db, "CC000101") == [
        (10000, "INV00000001", 10000, date(2025, 6, 2)),
        (28000, "INV00000006", 28000, date(2025, 6, 3)),
    ]
    assert (outstanding(db, "INV00000001"), outstanding(db, "INV00000006")) == (18000, 0)
    # Finch's £400.00 is exactly her latest statement's amount due: both invoices.
    assert allocations(db, "CC000102") == [
        (40000, "INV00000002", 20000, date(2025, 6, 6)),
        (40000, "INV00000007", 20000, date(2025, 6, 6)),
    ]
    assert allocations(db, "CC000103") == [(14000, "INV00000003", 14000, date(2025, 6, 4))]
    assert allocations(db, "CC000104") == [(24000, "INV00000004", 24000, date(2025, 6, 5))]
    assert allocations(db, "CC000105") == []
    # Balances: 56000 - 10000 - 28000; 40000 - 40000; 28000 - 14000; 48000 - 24000; 48000.
    assert balances(db) == {
        "CC000101": 18000, "CC000102": 0, "CC000103": 14000, "CC000104": 24000,
        "CC000105": 48000,
    }  # fmt: skip
    assert check(db).ok


def test_matched_receipts_are_bank_transfer_payments_on_the_booking_date_and_debits_are_not(
    db: Database, tmp_path: Path
) -> None:
    build_caseload(db, tmp_path)
    result = BankImports(db).apply(APPLIED / "rules.csv")
    with db.sessions() as s:
        batch = s.get(Batch, result.batch)
        assert batch is not None
        # The last line (the debit) is dated 10/06/2025: the batch's date.
        assert (batch.kind, batch.file_name, batch.as_of) == (
            "bank_csv",
            "rules.csv",
            date(2025, 6, 10),
        )
        assert batch.parameters == {
            "kind": "generic", "account": None, "receipts": 8, "receipts_total": 179000,
            "debits": 1, "debits_total": 750, "matched": 5, "suspense": 3,
        }  # fmt: skip
        entries = [
            (ref, e.kind, e.amount, e.effective_date, e.method, e.source, e.reference,
             e.description)
            for e, ref in s.execute(
                select(LedgerEntry, Account.reference)
                .join(Account, Account.id == LedgerEntry.account_id)
                .where(LedgerEntry.batch_id == result.batch)
                .order_by(LedgerEntry.id)
            )
        ]  # fmt: skip
        linked = {
            source: entry_id
            for source, entry_id in s.execute(
                select(BankReceipt.source, BankReceipt.entry_id).order_by(BankReceipt.id)
            )
        }
        ids = list(s.scalars(select(LedgerEntry.id).where(LedgerEntry.batch_id == result.batch)
                             .order_by(LedgerEntry.id)))  # fmt: skip

    def paid(ref: str, pence: int, day: int, reference: str, payer: str) -> tuple[object, ...]:
        return (ref, EntryKind.PAYMENT, -pence, date(2025, 6, day), PaymentMethod.BANK_TRANSFER,
                EntrySource.BATCH, reference, f"Bank payment from {payer}")  # fmt: skip

    assert entries == [
        paid("CC000101", 10000, 2, "cc 000101 march", "M Ellis"),
        paid("CC000101", 28000, 3, "Inv 00000006", "Margaret Ellis"),
        paid("CC000103", 14000, 4, "ST00000008 for Ada", "Peter Brown"),
        paid("CC000104", 24000, 5, "DDREF0104 JUNE", "J Smith"),
        paid("CC000102", 40000, 6, "CARE FEES", "Mrs S Finch"),
    ]  # fmt: skip
    # Each matched receipt names its entry; the ones in suspense name none.
    assert linked == {
        "line 2": ids[0], "line 3": ids[1], "line 4": ids[2], "line 5": ids[3],
        "line 6": ids[4], "line 7": None, "line 8": None, "line 9": None,
    }  # fmt: skip


def test_a_lloyds_export_is_matched_without_a_payer_column(db: Database, tmp_path: Path) -> None:
    build_caseload(db, tmp_path)
    result = BankImports(db).apply(APPLIED / "rules_lloyds.csv", "lloyds")
    # 280 + 140 + 400 + 10 = £830.00; the £7.50 service charge is a debit.
    assert (result.kind, result.items, result.matched, result.suspense, result.total) == (
        "lloyds", 4, 3, 1, 83000,
    )  # fmt: skip
    assert [(r[0], r[2], r[3], r[5], r[6]) for r in receipts(db)] == [
        ("line 2", 28000, M, "reference CC000101", "CC000101"),
        ("line 3", 14000, M, "reference INV00000008", "CC000103"),
        # Finch's name and her £400.00 due are in the description, but Lloyds gives no
        # payer: only the reference rule can apply.
        ("line 5", 40000, S, "no account reference found", None),
        ("line 6", 1000, M, "reference DDREF0104", "CC000104"),
    ]
    # "HARLOW SOLS INV00000008" pays INV00000008 and leaves the older INV00000003 open.
    assert allocations(db, "CC000103") == [(14000, "INV00000008", 14000, date(2025, 6, 3))]
    assert (outstanding(db, "INV00000003"), outstanding(db, "INV00000008")) == (14000, 0)
    assert balances(db) == {
        "CC000101": 28000, "CC000102": 40000, "CC000103": 14000, "CC000104": 47000,
        "CC000105": 48000,
    }  # fmt: skip
    assert check(db).ok


def test_a_camt053_statement_with_a_batched_entry(db: Database, tmp_path: Path) -> None:
    build_caseload(db, tmp_path)
    result = BankImports(db).apply(APPLIED / "rules_camt053.xml")
    # 280.00 + (100.00 + 50.25) + 480.00 + 480.00 = £1,390.25 in 5 receipts.
    assert (result.kind, result.items, result.matched, result.suspense, result.total) == (
        "camt.053", 5, 3, 2, 139025,
    )  # fmt: skip
    tx = "Stmt[1]/Ntry[{}]/NtryDtls[1]/TxDtls[{}]".format
    assert [(r[0], r[1], r[2], r[3], r[5], r[6]) for r in receipts(db)] == [
        # Booked 02/06, value 03/06: the booking date is the receipt's date.
        (tx(1, 1), date(2025, 6, 2), 28000, M, "reference ST00000006", "CC000101"),
        (tx(2, 1), date(2025, 6, 4), 10000, S, "no account reference found", None),
        (tx(2, 2), date(2025, 6, 4), 5025, M, "reference CC000103", "CC000103"),
        (tx(4, 1), date(2025, 6, 9), 48000, S,
         "2 accounts have this payer's name and amount due", None),
        (tx(5, 1), date(2025, 6, 10), 48000, M, "reference CC000105", "CC000105"),
    ]  # fmt: skip
    assert allocations(db, "CC000105") == [
        (48000, "INV00000005", 24000, date(2025, 6, 10)),
        (48000, "INV00000010", 24000, date(2025, 6, 10)),
    ]
    with db.sessions() as s:
        batch = s.get(Batch, result.batch)
        assert batch is not None
        assert (batch.kind, batch.as_of) == ("bank_camt053", date(2025, 6, 30))
        assert batch.parameters["account"] == "GB33BUKB20201555555555"
        assert (batch.parameters["debits"], batch.parameters["debits_total"]) == (1, 750)
        assert (
            s.scalars(select(LedgerEntry.id).where(LedgerEntry.amount.in_((750, -750)))).all() == []
        )
    assert check(db).ok


@pytest.mark.parametrize(
    ("name", "profile", "kind", "total"),
    [
        ("generic.csv", None, "generic", 10315 + 123450 + 99),
        ("lloyds.csv", "lloyds", "lloyds", 10315 + 250000 + 5000),
        ("camt053.xml", None, "camt.053", 10315 + 250000 + 5000),
    ],
)
def test_the_older_samples_are_all_matched(
    db: Database, tmp_path: Path, name: str, profile: str | None, kind: str, total: int
) -> None:
    build_caseload(db, tmp_path)
    result = BankImports(db).apply(DATA / name, profile)
    assert (result.kind, result.items, result.matched, result.suspense, result.total) == (
        kind, 3, 3, 0, total,
    )  # fmt: skip
    assert check(db).ok


def test_a_bad_amount_refuses_the_whole_file_naming_the_lines(db: Database, tmp_path: Path) -> None:
    build_caseload(db, tmp_path)
    counts, rows = table_counts(db.engine), snapshot(db.engine)
    with pytest.raises(FileRefused) as refused:
        BankImports(db).apply(APPLIED / "bad_amount.csv")
    assert isinstance(refused.value, BadInput)
    assert refused.value.problems == (
        "line 3, amount: '12.3.4' is not an amount in pounds",
        "line 5, date: '31/06/2025' is not a date in the form dd/mm/yyyy",
    )
    assert str(refused.value).startswith(
        "bad_amount.csv: refused, nothing was imported (2 problems)"
    )
    # Lines 2 and 4 were good, but nothing at all was written.
    assert table_counts(db.engine) == counts
    assert snapshot(db.engine) == rows


def test_the_same_file_twice_is_refused_even_under_another_name(
    db: Database, tmp_path: Path
) -> None:
    build_caseload(db, tmp_path)
    first = BankImports(db).apply(APPLIED / "rules.csv")
    counts, rows = table_counts(db.engine), snapshot(db.engine)
    copy = tmp_path / "june.csv"
    shutil.copyfile(APPLIED / "rules.csv", copy)
    for path in (APPLIED / "rules.csv", copy):
        with pytest.raises(
            BadInput,
            match=rf"already imported.* as batch {first.batch} \(rules\.csv\); nothing was",
        ):
            BankImports(db).apply(path)
    assert table_counts(db.engine) == counts
    assert snapshot(db.engine) == rows
    assert check(db).ok


def test_an_unknown_profile_and_a_missing_file_are_refused(db: Database, tmp_path: Path) -> None:
    counts = table_counts(db.engine)
    with pytest.raises(
        BadInput,
        match="unknown bank statement profile 'barclays'; the profiles are: generic, lloyds",
    ):
        BankImports(db).apply(APPLIED / "rules.csv", "barclays")
    with pytest.raises(BadInput, match="cannot read"):
        BankImports(db).apply(tmp_path / "missing.csv")
    assert table_counts(db.engine) == counts


def test_a_payer_longer_than_the_column_is_not_a_database_error(
    db: Database, tmp_path: Path
) -> None:
    # BUG (PostgreSQL only): bank_receipts.payer is VARCHAR(200). A generic CSV whose payer
    # cell is longer raises psycopg's StringDataRightTruncation (an uncaught DataError, a
    # traceback and exit 1 from the CLI); SQLite stores it whole. The file should be
    # refused naming the line (BadInput) or the name cut, the same on both backends.
    (tmp_path / "long.csv").write_text(
        f"date,amount,reference,payer,bank_reference\n02/06/2025,10.00,GIFT,{'A' * 250},FP1\n"
    )
    try:
        result = BankImports(db).apply(tmp_path / "long.csv")
    except BadInput as exc:
        assert "line 2" in str(exc)
    else:
        assert (result.items, result.suspense) == (1, 1)
