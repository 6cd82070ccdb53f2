"""``insert_ids``: many rows inserted at once, each one's new id handed back in order."""

from __future__ import annotations

from sqlalchemy import select, text

from debtdesk.db.models import Batch
from debtdesk.services.database import Database
from debtdesk.services.sql import insert_ids


def _batch(kind: str) -> dict[str, object]:
    return {"kind": kind, "file_name": "", "actor": "tester", "parameters": {}}


def test_the_ids_are_the_rows_in_the_order_given(db: Database) -> None:
    kinds = [f"test_{n:03d}" for n in range(120)]
    with db.sessions.begin() as session:
        ids = insert_ids(session.connection(), Batch, [_batch(k) for k in kinds])
        again = insert_ids(session.connection(), Batch, [_batch("test_again")])
    assert len(set(ids)) == 120 and again[0] not in ids
    with db.sessions() as session:
        rows = session.execute(select(Batch.id, Batch.kind).where(Batch.id.in_(ids)))
        found = {id_: kind for id_, kind in rows}
    assert [found[i] for i in ids] == kinds


def test_ids_follow_the_largest_even_after_a_gap(db: Database) -> None:
    with db.sessions.begin() as session:
        first = insert_ids(session.connection(), Batch, [_batch("a"), _batch("b")])
    with db.engine.begin() as connection:  # a row with a far higher id, as an import may leave
        connection.execute(
            text(
                "INSERT INTO batches (id, kind, file_name, actor, parameters, started_at)"
                " VALUES (:id, 'far', '', 'x', '{}', CURRENT_TIMESTAMP)"
            ),
            {"id": first[-1] + 500},
        )
    with db.sessions.begin() as session:
        later = insert_ids(session.connection(), Batch, [_batch("c")])
    assert later[0] > first[-1] and later[0] != first[-1] + 500


def test_no_rows_no_statement(db: Database) -> None:
    with db.sessions.begin() as session:
        assert insert_ids(session.connection(), Batch, []) == []
