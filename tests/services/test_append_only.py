"""The ledger and its allocations are append-only in the database itself, on both backends.

Every statement here is raw SQL on a plain connection: no ORM, no service, nothing of
debtdesk between the statement and the database's own triggers.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from debtdesk.db.models import Allocation
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod
from debtdesk.services import ledger
from debtdesk.services.database import Database
from tests.services.support import new_account


@pytest.fixture
def posted(db: Database) -> dict[str, int]:
    """One invoice of £100.00, a payment of £60.00 and its allocation; their ids."""
    with db.sessions.begin() as s:
        account = new_account(s, "AO000001")
        invoice = ledger.raise_invoice(
            s,
            account,
            InvoiceKind.SUNDRY,
            date(2026, 3, 2),
            date(2026, 3, 16),
            [(EntryKind.CHARGE, 10000, None, "Contribution")],
            source=EntrySource.USER,
            actor="tester",
        )
        payment = ledger.post_entry(
            s,
            account,
            EntryKind.PAYMENT,
            -6000,
            date(2026, 3, 10),
            source=EntrySource.USER,
            actor="tester",
            method=PaymentMethod.CARD,
        )
        assert ledger.allocate(s, account, "tester") == 1
        allocation = s.scalars(select(Allocation).where(Allocation.entry_id == payment.id)).one()
        return {
            "ledger_entries": payment.id,
            "allocations": allocation.id,
            "invoice": invoice.id,
        }


def _rows(db: Database, table: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]  # noqa: S608


STATEMENTS = [
    "UPDATE {table} SET amount = amount + 1 WHERE id = :id",
    "UPDATE {table} SET actor = 'someone else' WHERE id = :id",
    "DELETE FROM {table} WHERE id = :id",
    "DELETE FROM {table}",
]


@pytest.mark.parametrize("table", ["ledger_entries", "allocations"])
def test_the_database_refuses_changes(db: Database, posted: dict[str, int], table: str) -> None:
    before = _rows(db, table)
    assert before, "the fixture posted rows to change"
    for statement in STATEMENTS:
        with db.engine.connect() as connection:
            with pytest.raises(DBAPIError, match=f"{table} is append-only"):
                connection.execute(text(statement.format(table=table)), {"id": posted[table]})
            connection.rollback()
        assert _rows(db, table) == before, statement


@pytest.mark.parametrize("table", ["ledger_entries", "allocations"])
def test_a_committed_transaction_cannot_change_them_either(
    db: Database, posted: dict[str, int], table: str
) -> None:
    """engine.begin() commits on success; the trigger stops the statement before that."""
    before = _rows(db, table)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(
            text(f"UPDATE {table} SET amount = 0 WHERE id = :id"),  # noqa: S608
            {"id": posted[table]},
        )
    assert _rows(db, table) == before


def test_postgresql_refuses_truncate(db: Database, posted: dict[str, int]) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE (tested above)")
    for table in ("allocations", "ledger_entries"):
        before = _rows(db, table)
        with db.engine.connect() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text(f"TRUNCATE {table} CASCADE"))
            connection.rollback()
        assert _rows(db, table) == before


def test_appending_is_still_allowed(db: Database, posted: dict[str, int]) -> None:
    """The triggers stop changes, not new rows: a reversing entry goes in."""
    with db.sessions.begin() as s:
        account = s.execute(
            text("SELECT account_id FROM ledger_entries WHERE id = :id"),
            {"id": posted["ledger_entries"]},
        ).scalar_one()
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ledger_entries (account_id, kind, amount, effective_date, posted_at,"
                " source, actor, reference, description, reverses_id) VALUES (:account, 'payment',"
                " 6000, :day, :posted, 'user', 'tester', '', 'reversal', :reverses)"
            ),
            {
                "account": account,
                "day": date(2026, 3, 11),
                "posted": "2026-03-11 12:00:00",
                "reverses": posted["ledger_entries"],
            },
        )
    amounts = [row[3] for row in _rows(db, "ledger_entries")]
    # The £100.00 charge, the £60.00 payment and its reversal.
    assert amounts == [10000, -6000, 6000]
