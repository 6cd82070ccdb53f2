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
    busy = BadInput(f"another {name} is in progress: try again when it has finished")
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"debtdesk:{name}".encode())
        if not session.scalar(select(func.pg_try_advisory_xact_lock(key))):
            raise busy
        return
    # Wait a second for the write lock, not the connection's usual ten.
    session.execute(text(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}"))
    try:
        next_number(session, f"run:{name}")
    except OperationalError as exc:
        if "locked" in str(exc.orig):
            raise busy from exc
        raise
    finally:
        session.execute(text(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}"))
