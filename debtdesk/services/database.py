"""Opening a caseload: where the database is, migrating it, and the handle services use."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from debtdesk.db.engine import (
    database_url,
    hide_password,
    make_engine,
    make_sessions,
    sqlite_path,
)
from debtdesk.db.migrate import DatabaseTooNew, MigrationResult, upgrade
from debtdesk.db.models import Account
from debtdesk.services.errors import BadInput
from debtdesk.services.site_config import configured_database

__all__ = ["Database", "DatabaseTooNew", "default_database", "open_database", "user_database"]

_LOCATIONS = "debtdesk opens a SQLite file path or a postgresql+psycopg:// or sqlite:/// URL"


@dataclass
class Database:
    """An open, migrated caseload. Services open their sessions from ``sessions``."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    migration: MigrationResult
    actor: str

    @property
    def display_name(self) -> str:
        """The file path of a SQLite database, or the URL of a server without its password."""
        path = sqlite_path(self.url)
        if path is not None:
            return str(path)
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def account_count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(Account)) or 0

    def close(self) -> None:
        self.engine.dispose()


def default_database() -> str:
    """``$DEBTDESK_DB``, else the machine's settings file's database, else the user's own file.

    Raises:
        BadInput: the machine's settings file cannot be read (see :mod:`.site_config`).
    """
    configured = os.environ.get("DEBTDESK_DB")
    if configured:
        return configured
    return configured_database() or user_database()


def user_database() -> str:
    """``debtdesk.sqlite`` in the user's data folder."""
    folder = Path(platformdirs.user_data_dir("debtdesk", appauthor=False))
    return str(folder / "debtdesk.sqlite")


def open_database(db: str | None = None, actor: str | None = None) -> Database:
    """Open (creating if new) and migrate the caseload named by a path or URL.

    Raises:
        DatabaseTooNew: the database was written by a newer debtdesk.
        BadInput: the path or URL cannot be opened as a debtdesk database.
    """
    location = db or default_database()
    if "://" not in location and location.startswith("\\\\"):
        raise BadInput(
            f"{location} is on a network share: a SQLite database must be on this computer's "
            "own disk (its write-ahead log cannot be shared over a network, and a shared "
            "file can be corrupted); a team shares a PostgreSQL database instead"
        )
    try:
        url = database_url(location)
        path = sqlite_path(url)
        engine = make_engine(url)  # connects to nothing yet
    except (ArgumentError, ImportError) as exc:  # an unknown dialect (postgres://) or driver
        raise BadInput(hide_password(f"cannot open {location}: {exc}; {_LOCATIONS}")) from exc
    if path is not None:
        if path.is_dir():
            raise BadInput(f"{path} is a folder, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInput(f"cannot create the folder for {path}: {exc.strerror}") from exc
    try:
        migration = upgrade(engine)
    except DatabaseTooNew:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise BadInput(
            hide_password(f"cannot open {location} as a debtdesk database: {reason}")
        ) from exc
    database = Database(url, engine, make_sessions(engine), migration, actor or getpass.getuser())
    from debtdesk.services.users import ensure_administrator  # users needs Database first

    ensure_administrator(database)
    return database
