"""The audit chain when many events are recorded in one transaction, and across savepoints.

``audit.record`` keeps the chain's head on the session while a transaction lasts (an
import records thousands of events and writes them with one flush); these check the
chain that lands in the database, row by row, as ``check`` reads it.
"""

from __future__ import annotations

from sqlalchemy import text

from debtdesk.services import audit
from debtdesk.services.check import check
from debtdesk.services.database import Database


def _chain(db: Database) -> list[tuple[int, str, str, str, str]]:
    with db.engine.connect() as connection:
        return [
            (r.id, r.action, r.entity_id, r.prev_hash, r.hash)
            for r in connection.execute(
                text("SELECT id, action, entity_id, prev_hash, hash FROM audit_events ORDER BY id")
            )
        ]


def test_events_of_one_transaction_are_written_in_order_each_naming_the_one_before(
    db: Database,
) -> None:
    existing = _chain(db)
    head = existing[-1][4] if existing else audit.GENESIS
    with db.sessions.begin() as session:
        for n in range(1, 251):
            audit.record(session, "tester", "test.many", "thing", n, None, {"n": n})
    written = [row for row in _chain(db) if row[1] == "test.many"]
    assert [row[2] for row in written] == [str(n) for n in range(1, 251)]
    assert written[0][3] == head
    for before, after in zip(written, written[1:], strict=False):
        assert after[3] == before[4]
    assert check(db).ok  # every digest recomputed, every link followed


def test_an_event_in_a_savepoint_rolled_back_is_not_chained_to(db: Database) -> None:
    with db.sessions.begin() as session:
        audit.record(session, "tester", "test.kept", "thing", 1)
        savepoint = session.begin_nested()
        audit.record(session, "tester", "test.undone", "thing", 2)
        savepoint.rollback()
        audit.record(session, "tester", "test.after", "thing", 3)
    rows = _chain(db)
    actions = [row[1] for row in rows]
    assert "test.undone" not in actions
    kept, after = rows[actions.index("test.kept")], rows[actions.index("test.after")]
    assert after[3] == kept[4], "the event after the rollback names the one that was kept"
    assert check(db).ok


def test_a_session_used_again_chains_to_what_another_wrote_meanwhile(db: Database) -> None:
    with db.sessions() as session:
        with session.begin():
            audit.record(session, "tester", "test.first", "thing", 1)
        with db.sessions.begin() as other:
            audit.record(other, "someone", "test.other", "thing", 2)
        with session.begin():
            audit.record(session, "tester", "test.second", "thing", 3)
    rows = _chain(db)
    assert [row[1] for row in rows[-3:]] == ["test.first", "test.other", "test.second"]
    assert rows[-1][3] == rows[-2][4], "chained to the other session's event, not a stale head"
    assert check(db).ok
