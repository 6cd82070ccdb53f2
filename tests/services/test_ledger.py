"""Posting and allocation through services.ledger, on a real database.

Every expected figure is worked out by hand in the comments from RULES.md "Allocation and
ageing": credit goes to the oldest outstanding invoice first (by due date, then number);
an allocation is effective on the later of the credit's and the invoice's dates; an
account's balance is the sum of its entries.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from debtdesk.db.models import Allocation, Invoice, LedgerEntry
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from tests.services.support import cached_balance, entries_sum, new_account

USER = EntrySource.USER


def _invoice(s: Session, account: int, issued: date, due: date, pence: int) -> Invoice:
    return ledger.raise_invoice(
        s,
        account,
        InvoiceKind.SUNDRY,
        issued,
        due,
        [(EntryKind.CHARGE, pence, None, "Contribution")],
        source=USER,
        actor="tester",
    )


def _payment(s: Session, account: int, pence: int, day: date) -> LedgerEntry:
    return ledger.post_entry(
        s,
        account,
        EntryKind.PAYMENT,
        -pence,
        day,
        source=USER,
        actor="tester",
        method=PaymentMethod.DIRECT_DEBIT,
    )


def _allocations(db: Database, account: int) -> list[tuple[int, int, int, date]]:
    """(entry id, invoice id, pence, effective date) of every allocation, in order made."""
    with db.sessions() as s:
        return [
            (a.entry_id, a.invoice_id, a.amount, a.effective_date)
            for a in s.scalars(
                select(Allocation).where(Allocation.account_id == account).order_by(Allocation.id)
            )
        ]


def _assert_balance_is_sum(db: Database, reference: str, pence: int) -> None:
    assert entries_sum(db.engine, reference) == pence
    assert cached_balance(db.engine, reference) == pence


def test_oldest_first_across_three_invoices(db: Database) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "LG000001")
        # Raised newest first, so invoice numbers run against the due dates:
        c = _invoice(s, account, date(2026, 3, 2), date(2026, 3, 16), 30000).id  # £300, 1st no.
        a = _invoice(s, account, date(2026, 1, 5), date(2026, 1, 19), 10000).id  # £100, 2nd no.
        b = _invoice(s, account, date(2026, 2, 2), date(2026, 2, 16), 20000).id  # £200, 3rd no.
    with db.sessions.begin() as s:
        pay1 = _payment(s, account, 25000, date(2026, 3, 20)).id  # £250
        made = ledger.allocate(s, account, "tester")
    # £250 pays A (due 19 Jan) in full, £100, and £150 of B (due 16 Feb); C, due last, gets
    # nothing, whatever the invoice numbers. Effective 20 Mar: the payment is later than
    # either invoice's issue date.
    assert made == 2
    assert _allocations(db, account) == [
        (pay1, a, 10000, date(2026, 3, 20)),
        (pay1, b, 15000, date(2026, 3, 20)),
    ]
    # £100 + £200 + £300 - £250 = £350.
    _assert_balance_is_sum(db, "LG000001", 35000)

    detail = Accounts(db).detail("LG000001", date(2026, 3, 20))
    assert detail.balance == 35000
    assert detail.unallocated == 0
    assert {i.id: i.outstanding for i in detail.open_invoices} == {b: 5000, c: 30000}
    # On 20 Mar, B (due 16 Feb) is 32 days late: 31-60. C (due 16 Mar) is 4 days: 1-30.
    assert detail.aged == {
        "not_due": 0,
        "1_30": 30000,
        "31_60": 5000,
        "61_90": 0,
        "91_180": 0,
        "181_365": 0,
        "over_365": 0,
    }

    with db.sessions.begin() as s:
        pay2 = _payment(s, account, 40000, date(2026, 4, 1)).id  # £400
        ledger.allocate(s, account, "tester")
    # £400 pays B's last £50 then C's £300; £50 is left over, unallocated.
    assert _allocations(db, account)[2:] == [
        (pay2, b, 5000, date(2026, 4, 1)),
        (pay2, c, 30000, date(2026, 4, 1)),
    ]
    _assert_balance_is_sum(db, "LG000001", -5000)  # £350 - £400
    detail = Accounts(db).detail("LG000001", date(2026, 4, 1))
    assert detail.open_invoices == ()
    assert detail.unallocated == -5000
    assert sum(detail.aged.values()) == 0
    # Allocating again finds nothing to do.
    with db.sessions.begin() as s:
        assert ledger.allocate(s, account, "tester") == 0
    assert check(db).ok


def test_same_due_date_goes_to_the_lower_invoice_number(db: Database) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "LG000002")
        first = _invoice(s, account, date(2026, 1, 5), date(2026, 1, 19), 4000).id
        second = _invoice(s, account, date(2026, 1, 5), date(2026, 1, 19), 4000).id
        _payment(s, account, 5000, date(2026, 1, 19))
        ledger.allocate(s, account, "tester")
    # £50 against two £40 invoices due the same day: £40 to the lower number, £10 to the other.
    assert [(inv, pence) for _, inv, pence, _ in _allocations(db, account)] == [
        (first, 4000),
        (second, 1000),
    ]


def test_a_payment_before_any_invoice_waits_then_is_allocated(db: Database) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "LG000003")
        payment = _payment(s, account, 5000, date(2026, 1, 10)).id  # £50 on 10 Jan
        assert ledger.allocate(s, account, "tester") == 0  # nothing to allocate it to
    _assert_balance_is_sum(db, "LG000003", -5000)
    detail = Accounts(db).detail("LG000003", date(2026, 1, 31))
    assert (detail.balance, detail.unallocated, detail.open_invoices) == (-5000, -5000, ())

    with db.sessions.begin() as s:
        invoice = _invoice(s, account, date(2026, 2, 2), date(2026, 2, 16), 8000).id  # £80
        ledger.allocate(s, account, "tester")
    # The £50 goes to the invoice, effective on the invoice's issue date (2 Feb), the later
    # of the two dates; £30 is still owed.
    assert _allocations(db, account) == [(payment, invoice, 5000, date(2026, 2, 2))]
    _assert_balance_is_sum(db, "LG000003", 3000)

    # As at 1 Feb the invoice did not exist: the £50 is still unallocated credit.
    before = Accounts(db).detail("LG000003", date(2026, 2, 1))
    assert (before.balance, before.unallocated, before.open_invoices) == (-5000, -5000, ())
    # As at 2 Feb: £30 owed on an invoice not yet due, nothing unallocated.
    after = Accounts(db).detail("LG000003", date(2026, 2, 2))
    assert (after.balance, after.unallocated) == (3000, 0)
    assert [(i.id, i.outstanding) for i in after.open_invoices] == [(invoice, 3000)]
    assert after.aged["not_due"] == 3000
    assert check(db).ok


# (kind, pence, on an invoice?, why it is refused)
WRONG = [
    (EntryKind.PAYMENT, 1000, False, "must be negative"),
    (EntryKind.CREDIT, 1000, False, "must be negative"),
    (EntryKind.WRITE_OFF, 1000, False, "must be negative"),
    (EntryKind.REFUND, -1000, False, "must be positive"),
    (EntryKind.RETURNED_PAYMENT, -1000, False, "must be positive"),
    (EntryKind.INTEREST, -1000, True, "must be positive"),
    (EntryKind.COMPENSATION, -4000, True, "must be positive"),
    (EntryKind.PAYMENT, 0, False, "zero"),
    (EntryKind.CHARGE, 0, True, "zero"),
    (EntryKind.CHARGE, 1000, False, "must belong to an invoice"),
    (EntryKind.INTEREST, 1000, False, "must belong to an invoice"),
]


def test_entries_of_the_wrong_sign_are_refused_and_nothing_is_written(db: Database) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "LG000004")
        invoice = _invoice(s, account, date(2026, 1, 5), date(2026, 1, 19), 10000).id
    for kind, pence, with_invoice, message in WRONG:
        with pytest.raises(BadInput, match=message), db.sessions.begin() as s:
            ledger.post_entry(
                s,
                account,
                kind,
                pence,
                date(2026, 1, 20),
                source=USER,
                actor="tester",
                invoice_id=invoice if with_invoice else None,
            )
        with db.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one()
        assert count == 1, (kind, pence)
        _assert_balance_is_sum(db, "LG000004", 10000)


def test_a_reversal_has_the_opposite_sign_of_what_it_reverses(db: Database) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "LG000005")
        payment = _payment(s, account, 2500, date(2026, 1, 10))
    # A reversal of a payment is positive: a negative one is refused.
    refused = pytest.raises(BadInput, match="reversal of a payment must be positive")
    with refused, db.sessions.begin() as s:
        ledger.post_entry(
            s,
            account,
            EntryKind.PAYMENT,
            -2500,
            date(2026, 1, 11),
            source=USER,
            actor="tester",
            reverses=payment,
        )
    with db.sessions.begin() as s:
        ledger.post_entry(
            s,
            account,
            EntryKind.PAYMENT,
            2500,
            date(2026, 1, 11),
            source=USER,
            actor="tester",
            reverses=payment,
            description="keyed twice",
        )
    _assert_balance_is_sum(db, "LG000005", 0)
    assert check(db).ok


def test_the_cached_balance_moves_with_every_posting(db: Database) -> None:
    """A mix of postings across two accounts; after each, cached balance == sum of entries."""
    with db.sessions.begin() as s:
        one = new_account(s, "LG000006")
        two = new_account(s, "LG000007")
    steps = [
        # (account, what, pence) and the expected balances of (one, two) afterwards
        (one, "invoice", 12345, (12345, 0)),
        (two, "invoice", 999, (12345, 999)),
        (one, "payment", 345, (12000, 999)),
        (two, "payment", 1999, (12000, -1000)),
        (one, "invoice", 1, (12001, -1000)),
    ]
    for account, what, pence, (bal_one, bal_two) in steps:
        with db.sessions.begin() as s:
            if what == "invoice":
                _invoice(s, account, date(2026, 5, 4), date(2026, 5, 18), pence)
            else:
                _payment(s, account, pence, date(2026, 5, 5))
            ledger.allocate(s, account, "tester")
        _assert_balance_is_sum(db, "LG000006", bal_one)
        _assert_balance_is_sum(db, "LG000007", bal_two)
    assert check(db).ok


def test_a_payment_returned_before_it_was_allocated_pays_nothing(db: Database) -> None:
    with db.sessions.begin() as s:
        account = new_account(s, "LG000008")
        payment = _payment(s, account, 5000, date(2026, 1, 10))
        ledger.post_entry(
            s,
            account,
            EntryKind.RETURNED_PAYMENT,
            5000,
            date(2026, 1, 14),
            source=USER,
            actor="tester",
            method=PaymentMethod.DIRECT_DEBIT,
            reverses=payment,
        )
        _invoice(s, account, date(2026, 2, 2), date(2026, 2, 16), 8000)
        # The returned £50 is no credit: nothing to allocate to the £80 invoice.
        assert ledger.allocate(s, account, "tester") == 0
    _assert_balance_is_sum(db, "LG000008", 8000)  # -50 + 50 + 80
    detail = Accounts(db).detail("LG000008", date(2026, 2, 16))
    assert [i.outstanding for i in detail.open_invoices] == [8000]
    assert detail.unallocated == 0
    assert check(db).ok


def test_a_returned_payment_undoes_its_allocation(db: Database) -> None:
    """Found as a bug (the allocation stayed, check saw +£100 unallocated); fixed since."""
    with db.sessions.begin() as s:
        account = new_account(s, "LG000009")
        invoice = _invoice(s, account, date(2026, 1, 5), date(2026, 1, 19), 10000).id  # £100
        payment = _payment(s, account, 10000, date(2026, 1, 19))  # collected on the due date
        ledger.allocate(s, account, "tester")
        payment_id = payment.id
    paid = Accounts(db).detail("LG000009", date(2026, 1, 20))
    assert (paid.balance, paid.open_invoices) == (0, ())
    (original,) = _allocations(db, account)

    with db.sessions.begin() as s:
        ledger.post_entry(
            s,
            account,
            EntryKind.RETURNED_PAYMENT,
            10000,
            date(2026, 1, 23),  # the ARUDD's processing date
            source=USER,
            actor="tester",
            method=PaymentMethod.DIRECT_DEBIT,
            reverses=payment,
        )
        ledger.allocate(s, account, "tester")  # nothing left to allocate
    # £100 - £100 + £100: owed again, and the invoice is unpaid again.
    _assert_balance_is_sum(db, "LG000009", 10000)
    # The allocation is undone by a new row of the opposite amount, effective on the return.
    assert _allocations(db, account) == [
        original,
        (payment_id, invoice, -10000, date(2026, 1, 23)),
    ]
    with db.sessions() as s:
        first, undo = s.scalars(select(Allocation).order_by(Allocation.id)).all()
        assert undo.reverses_id == first.id
    assert check(db).problems == ()
    # The day before the return the invoice was still paid.
    before = Accounts(db).detail("LG000009", date(2026, 1, 22))
    assert (before.balance, before.open_invoices, before.unallocated) == (0, (), 0)
    detail = Accounts(db).detail("LG000009", date(2026, 2, 1))
    assert detail.unallocated == 0
    assert [(i.id, i.outstanding) for i in detail.open_invoices] == [(invoice, 10000)]
    assert detail.aged["1_30"] == 10000  # 1 Feb is 13 days after the due date, 19 Jan


def test_an_invoice_line_cannot_be_reversed(db: Database) -> None:
    """A charge on an invoice is corrected with a credit, not by reversing it."""
    with db.sessions.begin() as s:
        account = new_account(s, "LG000010")
        invoice = _invoice(s, account, date(2026, 1, 5), date(2026, 1, 19), 10000)
        (charge,) = s.scalars(select(LedgerEntry).where(LedgerEntry.invoice_id == invoice.id))
    with pytest.raises(BadInput, match="credit"), db.sessions.begin() as s:
        ledger.post_entry(
            s,
            account,
            EntryKind.CHARGE,
            -10000,
            date(2026, 1, 6),
            source=USER,
            actor="tester",
            reverses=charge,
        )
    _assert_balance_is_sum(db, "LG000010", 10000)
