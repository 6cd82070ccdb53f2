"""Engines and sessions for SQLite (the default) and PostgreSQL (a team's shared caseload)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def database_url(db: str) -> str:
    """A SQLAlchemy URL from what a person typed: a URL as it is, anything else a SQLite path."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def hide_password(text: str) -> str:
    """Text with any URL's password as ``***`` (``postgresql+psycopg://user:***@host/db``),
    as debtdesk shows a server's URL wherever a person can read it."""
    return _PASSWORD.sub(r"\1***@", text)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with WAL and foreign keys on for SQLite; pre-ping for PostgreSQL."""
    if url.startswith("sqlite"):
        # A pooled connection may be checked out by a worker thread after the GUI thread
        # returned it; each is used by one thread at a time, so the check is not needed.
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """The session factory services open their transactions from."""
    return sessionmaker(engine, expire_on_commit=False)
