"""One account as at a date (services.accounts): balances and ageing by the entries
effective on or before that date, checked against hand-worked figures and raw SQL."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from debtdesk.db.models import Account, Allocation, Invoice, LedgerEntry
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger
from debtdesk.services.accounts import AccountDetail, Accounts
from debtdesk.services.database import Database
from debtdesk.services.errors import NotFound
from tests.services.support import entries_sum, new_account

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365")


def bucket(days_late: int) -> str:
    """RULES.md: not due (<= 0), 1-30, 31-60, 61-90, 91-180, 181-365, over 365."""
    for limit, name in ((0, "not_due"), (30, "1_30"), (60, "31_60"), (90, "61_90")):
        if days_late <= limit:
            return name
    if days_late <= 180:
        return "91_180"
    return "181_365" if days_late <= 365 else "over_365"


def only(name: str, pence: int) -> dict[str, int]:
    return {b: pence if b == name else 0 for b in BUCKETS}


@pytest.fixture
def one_invoice(db: Database) -> Database:
    """£100.00 issued 2 Mar 2026, due 16 Mar, paid in full on 20 Mar."""
    with db.sessions.begin() as s:
        account = new_account(s, "AS000001")
        ledger.raise_invoice(
            s,
            account,
            InvoiceKind.STATEMENT,
            date(2026, 3, 2),
            date(2026, 3, 16),
            [(EntryKind.CHARGE, 10000, date(2026, 2, 2), "Contribution")],
            source=EntrySource.RUN,
            actor="tester",
        )
        ledger.post_entry(
            s,
            account,
            EntryKind.PAYMENT,
            -10000,
            date(2026, 3, 20),
            source=EntrySource.USER,
            actor="tester",
            method=PaymentMethod.BANK_TRANSFER,
        )
        ledger.allocate(s, account, "tester")
    return db


# (as at, balance, aged) for one £100.00 invoice issued 2 Mar 2026, due 16 Mar, paid 20 Mar.
AS_AT = [
    (date(2026, 3, 1), 0, only("not_due", 0)),  # before the invoice was issued
    (date(2026, 3, 2), 10000, only("not_due", 10000)),  # issued, not yet due
    (date(2026, 3, 16), 10000, only("not_due", 10000)),  # the due date itself: 0 days
    (date(2026, 3, 17), 10000, only("1_30", 10000)),  # 1 day late
    (date(2026, 3, 19), 10000, only("1_30", 10000)),  # 3 days late, the eve of payment
    (date(2026, 3, 20), 0, only("not_due", 0)),  # paid
    (date(2027, 1, 1), 0, only("not_due", 0)),
]


def test_balance_and_ageing_as_at_a_date(one_invoice: Database) -> None:
    for as_of, balance, aged in AS_AT:
        detail = Accounts(one_invoice).detail("AS000001", as_of)
        assert detail.as_of == as_of
        assert (detail.balance, detail.aged, detail.unallocated) == (balance, aged, 0), as_of
        assert sum(i.outstanding for i in detail.open_invoices) == balance, as_of
        # A later payment is not in an earlier balance.
        assert detail.balance == entries_sum(one_invoice.engine, "AS000001", as_of), as_of


# Days past the due date and the bucket (RULES.md), at each edge.
EDGES = [
    (0, "not_due"),
    (1, "1_30"),
    (30, "1_30"),
    (31, "31_60"),
    (60, "31_60"),
    (61, "61_90"),
    (90, "61_90"),
    (91, "91_180"),
    (180, "91_180"),
    (181, "181_365"),
    (365, "181_365"),
    (366, "over_365"),
]


def test_ageing_bucket_edges(db: Database) -> None:
    due = date(2025, 1, 31)
    with db.sessions.begin() as s:
        account = new_account(s, "AS000002")
        ledger.raise_invoice(
            s,
            account,
            InvoiceKind.SUNDRY,
            date(2025, 1, 17),
            due,
            [(EntryKind.CHARGE, 4321, None, "Sundry")],
            source=EntrySource.USER,
            actor="tester",
        )
    for days_late, expected in EDGES:
        assert bucket(days_late) == expected  # this file's own reading of the rule
        detail = Accounts(db).detail("AS000002", due + timedelta(days=days_late))
        assert detail.aged == only(expected, 4321), days_late
        assert detail.invoices[0].days_overdue == days_late


def test_an_unknown_reference_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound, match="CC999999"):
        Accounts(db).detail("CC999999", date(2026, 1, 1))


def test_references_are_matched_whatever_their_case_and_spacing(one_invoice: Database) -> None:
    assert Accounts(one_invoice).detail("  as000001 ", date(2026, 3, 2)).balance == 10000


def _independent(db: Database, account_id: int, as_of: date) -> tuple[int, int, dict[str, int]]:
    """Balance, unallocated credit and aged debt as at a date, straight from the tables."""
    with db.sessions() as s:
        balance = s.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.account_id == account_id, LedgerEntry.effective_date <= as_of
            )
        )
        owed: dict[int, int] = defaultdict(int)
        outside = 0
        for invoice_id, amount in s.execute(
            select(LedgerEntry.invoice_id, LedgerEntry.amount).where(
                LedgerEntry.account_id == account_id, LedgerEntry.effective_date <= as_of
            )
        ):
            if invoice_id is None:
                outside += amount
            else:
                owed[invoice_id] += amount
        paid: dict[int, int] = defaultdict(int)
        for invoice_id, amount in s.execute(
            select(Allocation.invoice_id, Allocation.amount).where(
                Allocation.account_id == account_id, Allocation.effective_date <= as_of
            )
        ):
            paid[invoice_id] += amount
        due = dict(s.execute(select(Invoice.id, Invoice.due_on).where(Invoice.id.in_(owed))).all())
    aged = dict.fromkeys(BUCKETS, 0)
    for invoice_id, amount in owed.items():
        aged[bucket((as_of - due[invoice_id]).days)] += amount - paid[invoice_id]
    # Unallocated: credit outside invoices not yet set against one (allocations are positive).
    return int(balance or 0), outside + sum(paid.values()), aged


def test_demo_accounts_agree_with_their_tables(demo: Database) -> None:
    with demo.sessions() as s:
        accounts = s.execute(select(Account.id, Account.reference).order_by(Account.id)).all()
    service = Accounts(demo)
    dates = (date(2026, 11, 23), date(2026, 6, 15), date(2024, 12, 31))
    for (account_id, reference), as_of in itertools.product(accounts[::3], dates):  # 20 x 3
        where = (reference, as_of)
        detail: AccountDetail = service.detail(reference, as_of)
        balance, unallocated, aged = _independent(demo, account_id, as_of)
        assert detail.balance == balance == entries_sum(demo.engine, reference, as_of), where
        assert detail.unallocated == unallocated, where
        assert detail.aged == aged, where
        # CLI.md: the buckets sum to balance - unallocated.
        assert sum(detail.aged.values()) == detail.balance - detail.unallocated, where
        assert detail.unallocated <= 0, where
