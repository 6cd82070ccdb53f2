"""``check`` on a demo caseload: clean to start with, then every corruption it must find.

The corruptions are made the way someone working behind debtdesk's back would: raw
SQL on a plain connection, in the ways the append-only triggers still allow (changing an
account's cached balance, adding rows, editing the audit trail).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, text

from debtdesk.db.models import Allocation, LedgerEntry
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.money import json_pounds
from debtdesk.services.check import check
from debtdesk.services.database import Database
from debtdesk.services.settings import Settings
from tests.services.support import cached_balance, entries_sum


def _scalar(db: Database, sql: str, **params: object) -> object:
    with db.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def _victims(db: Database) -> list[tuple[str, int]]:
    """The first three accounts (by reference) with a payment and an invoice: (ref, id)."""
    with db.engine.connect() as connection:
        return [
            (ref, account_id)
            for ref, account_id in connection.execute(
                text(
                    "SELECT a.reference, a.id FROM accounts a WHERE"
                    " EXISTS (SELECT 1 FROM ledger_entries e"
                    "         WHERE e.account_id = a.id AND e.kind = 'payment')"
                    " AND EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = a.id)"
                    " ORDER BY a.reference LIMIT 3"
                )
            )
        ]


def test_a_demo_caseload_passes(demo: Database) -> None:
    """The shared demo: 60 accounts, seed 3, ending 23 Nov 2026 (tests/services/support.py)."""
    result = check(demo)
    assert result.problems == ()
    assert result.ok
    assert result.accounts == 60
    assert result.entries == _scalar(demo, "SELECT count(*) FROM ledger_entries")


def _nudge_balance(db: Database, ref: str, pence: int) -> int:
    """Move an account's cached balance and nothing else; returns the true balance."""
    true_balance = entries_sum(db.engine, ref)
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE accounts SET balance = balance + :pence WHERE reference = :ref"),
            {"ref": ref, "pence": pence},
        )
    assert cached_balance(db.engine, ref) == true_balance + pence
    return true_balance


def _positive_payment(db: Database, account_id: int) -> int:
    """A "payment" of +£12.34 (a payment must be negative), with the cached balance moved
    to match so that the sign is the only thing wrong with the ledger; returns its id."""
    with db.engine.begin() as connection:
        entry_id = connection.execute(
            insert(LedgerEntry.__table__)
            .values(
                account_id=account_id,
                kind=EntryKind.PAYMENT,
                amount=1234,
                effective_date=date(2026, 11, 2),
                posted_at=datetime(2026, 11, 2, 12, tzinfo=UTC),
                source=EntrySource.USER,
                actor="mallory",
                reference="",
                description="",
            )
            .returning(LedgerEntry.__table__.c.id)
        ).scalar_one()
        connection.execute(
            text("UPDATE accounts SET balance = balance + 1234 WHERE id = :id"), {"id": account_id}
        )
    return int(entry_id)


def _over_allocate(db: Database, account_id: int) -> tuple[str, int, int]:
    """Allocate a penny more than the whole of the account's first invoice to it, from its
    first payment; returns the invoice's number, its amount and the total now allocated."""
    with db.engine.connect() as connection:
        invoice_id, number, amount = connection.execute(
            text(
                "SELECT id, number, amount FROM invoices WHERE account_id = :id ORDER BY id LIMIT 1"
            ),
            {"id": account_id},
        ).one()
        payment_id = connection.execute(
            text(
                "SELECT id FROM ledger_entries WHERE account_id = :id AND kind = 'payment'"
                " ORDER BY id LIMIT 1"
            ),
            {"id": account_id},
        ).scalar_one()
        already = connection.execute(
            text("SELECT coalesce(sum(amount), 0) FROM allocations WHERE invoice_id = :id"),
            {"id": invoice_id},
        ).scalar_one()
    with db.engine.begin() as connection:
        connection.execute(
            insert(Allocation.__table__).values(
                account_id=account_id,
                entry_id=payment_id,
                invoice_id=invoice_id,
                amount=amount + 1,
                effective_date=date(2026, 11, 2),
                posted_at=datetime(2026, 11, 2, 12, tzinfo=UTC),
                actor="mallory",
            )
        )
    return number, int(amount), int(already) + int(amount) + 1


def test_a_cached_balance_that_disagrees_is_the_only_problem_reported(demo: Database) -> None:
    ref = _victims(demo)[0][0]
    total = _nudge_balance(demo, ref, -500)
    assert check(demo).problems == (
        f"{ref}: cached balance {json_pounds(total - 500)} but its entries sum to "
        f"{json_pounds(total)}",
    )


def test_a_payment_with_the_wrong_sign_is_reported(demo: Database) -> None:
    ref, account_id = _victims(demo)[1]
    entry_id = _positive_payment(demo, account_id)
    problems = check(demo).problems
    assert f"{ref}: entry {entry_id} is a payment of 12.34, which must be negative" in problems
    assert {p.split(":")[0] for p in problems} == {ref}


def test_an_over_allocated_invoice_is_reported(demo: Database) -> None:
    ref, account_id = _victims(demo)[2]
    number, amount, allocated = _over_allocate(demo, account_id)
    problems = check(demo).problems
    assert (
        f"{ref}: invoice {number} has {json_pounds(allocated)} allocated "
        f"against {json_pounds(amount)} owed"
    ) in problems
    assert {p.split(":")[0] for p in problems} == {ref}


def test_each_corruption_is_listed_against_its_account(demo: Database) -> None:
    (bal_ref, _), (sign_ref, sign_id), (over_ref, over_id) = _victims(demo)
    true_balance = _nudge_balance(demo, bal_ref, 1)  # a penny
    entry_id = _positive_payment(demo, sign_id)
    number, amount, allocated = _over_allocate(demo, over_id)

    problems = check(demo).problems

    assert (
        f"{bal_ref}: cached balance {json_pounds(true_balance + 1)} but its entries sum to "
        f"{json_pounds(true_balance)}"
    ) in problems
    assert f"{sign_ref}: entry {entry_id} is a payment of 12.34, which must be negative" in (
        problems
    )
    assert (
        f"{over_ref}: invoice {number} has {json_pounds(allocated)} allocated "
        f"against {json_pounds(amount)} owed"
    ) in problems
    # Every problem names one of the three accounts; the other 57 are clean.
    assert {p.split(":")[0] for p in problems} == {bal_ref, sign_ref, over_ref}


def test_a_changed_audit_event_is_reported(demo: Database) -> None:
    last = _scalar(demo, "SELECT max(id) FROM audit_events")
    with demo.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"), {"id": last}
        )
    assert check(demo).problems == (f"audit event {last} was changed after it was written",)


def test_a_removed_audit_event_breaks_the_chain(db: Database) -> None:
    settings = Settings(db)
    for name in ("First Council", "Second Council", "Third Council"):
        settings.set("council.name", name)
    with db.engine.connect() as connection:
        ids = list(connection.execute(text("SELECT id FROM audit_events ORDER BY id")).scalars())
    assert len(ids) == 4  # the first administrator, then the three settings
    assert check(db).ok
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[2]})
    assert check(db).problems == (
        f"audit event {ids[3]} does not follow the one before it (a row is missing)",
    )


def test_a_dropped_append_only_trigger_is_reported(db: Database) -> None:
    drop = (
        "DROP TRIGGER ledger_entries_no_delete"
        if db.is_sqlite
        else "DROP TRIGGER ledger_entries_no_truncate ON ledger_entries"
    )
    with db.engine.begin() as connection:
        connection.execute(text(drop))
    assert check(db).problems == ("the append-only triggers are missing (13 of 14 present)",)
