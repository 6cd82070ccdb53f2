"""The interest run and waivers on a real database, worked by hand (FACTS.md §1.2).

A business customer (BUSINESS: 30 days' terms, interest on). Every debt here is late in
January–June 2026: reference date 31/12/2025, Bank Rate 3.75%, statutory rate 11.75%.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from debtdesk.db.models import InterestCharge, Invoice, LedgerEntry
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.interest import InterestWaivers
from debtdesk.services.interest_run import InterestRuns
from debtdesk.services.settings import Settings
from tests.services.support import add_account, table_counts


def _debt(db: Database, reference: str, pence: int, due: date, type_code: str = "BUSINESS") -> int:
    """An account owing one opening balance of ``pence``, dated and due on ``due``."""
    with db.sessions.begin() as s:
        account = add_account(s, reference, f"{reference} Ltd", type_code=type_code)
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, due, due,
            [(EntryKind.CHARGE, pence, None, "Balance brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account


def _pay(db: Database, account: int, pence: int, day: date) -> None:
    with db.sessions.begin() as s:
        ledger.post_entry(
            s, account, EntryKind.PAYMENT, -pence, day, source=EntrySource.USER,
            actor="tester", method=PaymentMethod.BANK_TRANSFER,
        )  # fmt: skip
        ledger.allocate(s, account, "tester")


def _entries(db: Database, account: int) -> list[tuple[str, int, str]]:
    """(kind, pence, description) of the interest, compensation and credits posted."""
    with db.sessions() as s:
        return [
            (e.kind.value, e.amount, e.description)
            for e in s.scalars(
                select(LedgerEntry)
                .where(
                    LedgerEntry.account_id == account,
                    LedgerEntry.kind.in_(
                        (EntryKind.INTEREST, EntryKind.COMPENSATION, EntryKind.CREDIT)
                    ),
                )
                .order_by(LedgerEntry.id)
            )
        ]


def test_the_worked_example_posted_once_and_claimable_after_payment(db: Database) -> None:
    """£5,000 due 15/01/2026: at 16/03/2026, 60 days: £96.58 and £70 on an interest
    invoice issued 16/03, due 15/04 (30 days' terms). Paid in full on 16/03, a run on
    30/04 finds nothing more: the interest stays owed, it does not grow."""
    account = _debt(db, "LP000001", 5_000_00, date(2026, 1, 15))
    result = InterestRuns(db).run(date(2026, 3, 16))
    assert (result.invoices, result.interest, result.compensation) == (1, 96_58, 70_00)
    assert _entries(db, account) == [
        ("interest", 96_58, "INV00000001, 60 days late at 11.75% a year (Late Payment Act)"),
        ("compensation", 70_00, "INV00000001, the fixed sum (Late Payment Act)"),
    ]
    with db.sessions() as s:
        raised = s.scalars(select(Invoice).where(Invoice.kind == InvoiceKind.INTEREST)).one()
        assert (raised.issued_on, raised.due_on, raised.amount) == (
            date(2026, 3, 16), date(2026, 4, 15), 166_58,
        )  # fmt: skip

    before = table_counts(db.engine)
    again = InterestRuns(db).run(date(2026, 3, 16))
    assert (again.invoices, again.interest, again.compensation) == (0, 0, 0)
    assert table_counts(db.engine) == before
    with pytest.raises(BadInput, match=re.escape("the last interest run was for 16/03/2026")):
        InterestRuns(db).run(date(2026, 3, 15))

    _pay(db, account, 5_000_00, date(2026, 3, 16))  # the principal, oldest first
    later = InterestRuns(db).run(date(2026, 4, 30))
    assert (later.invoices, later.interest, later.compensation) == (0, 0, 0)
    assert Accounts(db).detail("LP000001", date(2026, 4, 30)).balance == 166_58
    assert check(db).ok


def test_part_payments_and_a_back_dated_payment(db: Database) -> None:
    """£3,000 due 31/01/2026; £1,000 paid 02/03.
    Run 31/03: 30 days on £3,000 + 29 days on £2,000 = (10575 + 6815) / 365 = £47.64; £70.
    £1,000 paid 01/04. Run 30/04: + 29 days on £1,000 since → (10575 + 7050 + 3407.5) / 365
    = £57.62, so £9.98 more. The last £1,000 is then recorded as paid on 15/04: to 31/05
    the interest is (10575 + 7050 + 1645) / 365 = £52.79, so £4.83 is credited back."""
    account = _debt(db, "LP000002", 3_000_00, date(2026, 1, 31))
    runs = InterestRuns(db)
    _pay(db, account, 1_000_00, date(2026, 3, 2))
    assert runs.run(date(2026, 3, 31)).interest == 47_64
    _pay(db, account, 1_000_00, date(2026, 4, 1))
    second = runs.run(date(2026, 4, 30))
    assert (second.interest, second.compensation) == (9_98, 0)
    _pay(db, account, 1_000_00, date(2026, 4, 15))
    credit = runs.run(date(2026, 5, 31))
    assert (credit.invoices, credit.interest, credit.compensation) == (1, -4_83, 0)
    with db.sessions() as s:
        charges = s.execute(
            select(InterestCharge.accrued, InterestCharge.days).order_by(InterestCharge.id)
        ).all()
    # Days late with something unpaid: 30 + 29; 30 + 30 + 29; 30 + 30 + 14.
    assert [tuple(c) for c in charges] == [(47_64, 59), (57_62, 89), (52_79, 74)]
    assert _entries(db, account)[-1][:2] == ("credit", -4_83)
    # Owed now: the interest £52.79 and the compensation £70 (the principal is paid).
    assert Accounts(db).detail("LP000002", date(2026, 5, 31)).balance == 122_79
    assert check(db).ok


def test_an_individual_is_never_charged_interest(db: Database) -> None:
    _debt(db, "LP000003", 5_000_00, date(2026, 1, 15), type_code="INDIVIDUAL")
    result = InterestRuns(db).run(date(2026, 3, 16))
    assert (result.invoices, result.interest, result.compensation) == (0, 0, 0)


def test_waivers_credit_what_was_posted_and_stop_later_charges(db: Database) -> None:
    """The £70 compensation waived after the first run is credited back; the interest
    waived before the second run stops it: £96.58 credited, nothing more charged."""
    account = _debt(db, "LP000004", 5_000_00, date(2026, 1, 15))
    runs, waivers = InterestRuns(db), InterestWaivers(db)
    runs.run(date(2026, 3, 16))
    [line] = waivers.for_account(account)
    assert (line.number, line.rate, line.days, line.interest, line.compensation) == (
        "INV00000001", Decimal("11.75"), 60, 96_58, 70_00,
    )  # fmt: skip
    waivers.waive(
        line.invoice_id, "compensation", "First late payment in ten years", date(2026, 3, 20)
    )
    with pytest.raises(BadInput, match="the compensation on INV00000001 is waived already"):
        waivers.waive(line.invoice_id, "compensation", "again", date(2026, 3, 20))
    with pytest.raises(BadInput, match="say why the interest is waived"):
        waivers.waive(line.invoice_id, "interest", " ", date(2026, 3, 20))
    waivers.waive(line.invoice_id, "interest", "Settled at the panel", date(2026, 3, 20))
    assert runs.run(date(2026, 4, 30)).invoices == 0
    [line] = waivers.for_account(account)
    assert (line.interest, line.compensation, line.waived) == (0, 0, ("compensation", "interest"))
    assert [e[:2] for e in _entries(db, account)] == [
        ("interest", 96_58), ("compensation", 70_00), ("credit", -70_00), ("credit", -96_58),
    ]  # fmt: skip
    assert Accounts(db).detail("LP000004", date(2026, 4, 30)).balance == 5_000_00
    assert check(db).ok


def test_only_invoices_due_from_the_teams_start_date(db: Database) -> None:
    """interest.charge_from 01/02/2026: of £1,000 due 15/01 and £1,000 due 15/02/2026, only
    the second is charged at 16/03: 29 days (16–28 Feb, 1–16 Mar) × 1000 × 0.1175 / 365 =
    £9.3356… → £9.34, and £70 (£1,000.00 is in the middle band)."""
    account = _debt(db, "LP000005", 1_000_00, date(2026, 1, 15))
    with db.sessions.begin() as s:
        ledger.raise_invoice(
            s, account, InvoiceKind.SUNDRY, date(2026, 2, 1), date(2026, 2, 15),
            [(EntryKind.CHARGE, 1_000_00, None, "Room hire")], source=EntrySource.USER,
            actor="tester",
        )  # fmt: skip
    Settings(db).set("interest.charge_from", "01/02/2026")
    result = InterestRuns(db).run(date(2026, 3, 16))
    assert (result.invoices, result.interest, result.compensation) == (1, 9_34, 70_00)
    assert _entries(db, account)[0][2].startswith("INV00000002, 29 days late at 11.75%")


def test_check_finds_an_interest_invoice_its_charges_do_not_explain(db: Database) -> None:
    """The worked example's interest invoice is £166.58; a charge row altered behind
    debtdesk's back to £90.00 of interest makes the charges £160.00."""
    _debt(db, "LP000006", 5_000_00, date(2026, 1, 15))
    InterestRuns(db).run(date(2026, 3, 16))
    assert check(db).ok
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE interest_charges SET interest = 9000"))
    assert check(db).problems == (
        "LP000006: interest invoice INV00000002 is 166.58 but its interest charges come to 160.00",
    )
