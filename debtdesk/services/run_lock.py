"""One run of a kind at a time: a lock held for the life of the run's transaction.

PostgreSQL gives a transaction-scoped advisory lock that a second run fails to take at
once. SQLite has one writer at a time: the run writes first, so it holds the database's
write lock until it commits or rolls back; a second run waits for SQLite's busy timeout
and is then refused. Either way a killed run's lock goes with its connection.
"""

from __future__ import annotations

import zlib

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from debtdesk.db.engine import SQLITE_BUSY_TIMEOUT_MS
from debtdesk.services.errors import BadInput
from debtdesk.services.ledger import next_number

SQLITE_WAIT_MS = 1000


def acquire(session: Session, name: str) -> None:
    """Take the run lock ``name`` for the session's transaction, or refuse.

    Raises:
        BadInput: another run holds it.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"debtdesk:{name}".encode())
        if not session.scalar(select(func.pg_try_advisory_xact_lock(key))):
            raise BadInput(f"another {name} is in progress: try again when it has finished")
        return
    # Wait a second for the write lock, not the connection's usual ten. The pragma is set
    # on the driver's connection: a refused write ends the session's transaction, and the
    # connection goes back to the pool with its usual timeout whatever happens.
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}")
    try:
        next_number(session, f"run:{name}")
    except OperationalError as exc:
        if "locked" in str(exc.orig):
            # SQLite has one lock for every write: the holder may be another run or
            # another long change, such as an import.
            raise BadInput(
                f"the database is busy with another {name} or another long change "
                f"(an import?): try again when it has finished"
            ) from exc
        raise
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


LEDGER_WAIT = "30s"


def hold_ledger(session: Session) -> None:
    """Keep other postings out of the ledger until the transaction ends (PostgreSQL).

    A statement lists the entries no earlier statement showed, cut off by ledger id; an
    entry whose id was taken before a run but committed after it would fall between two
    statements. So a run first waits (up to :data:`LEDGER_WAIT`) for postings in
    progress to commit, and holds new ones back until it commits, as SQLite's single
    writer does anyway.

    Raises:
        BadInput: postings in progress did not finish in time.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text(f"SET LOCAL lock_timeout = '{LEDGER_WAIT}'"))
    try:
        session.execute(text("LOCK TABLE ledger_entries IN SHARE ROW EXCLUSIVE MODE"))
    except OperationalError as exc:
        raise BadInput(
            f"other postings to the ledger did not finish within {LEDGER_WAIT}: "
            "try again in a moment"
        ) from exc
    session.execute(text("SET LOCAL lock_timeout = DEFAULT"))
