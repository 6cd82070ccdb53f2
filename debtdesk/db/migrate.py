"""Schema migrations: the Alembic history, upgraded at start-up after a backup.

A SQLite file is copied (with SQLite's online backup) before any upgrade. A database
whose revision this build does not know was written by a newer debtdesk and is refused,
never touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from debtdesk import __version__
from debtdesk.db.engine import sqlite_path

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer build of debtdesk."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this build knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(_config())
    return any(rev.revision == revision for rev in script.walk_revisions())


def _backup_sqlite(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def upgrade(engine: Engine) -> MigrationResult:
    """Bring the database to this build's schema, backing up a SQLite file first.

    Raises:
        DatabaseTooNew: the database's revision is unknown to this build.
    """
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return MigrationResult(current, head, None)
    if current is not None and not _known(current):
        raise DatabaseTooNew(
            f"This database is at schema revision {current}, which is newer than this "
            f"build of debtdesk ({__version__}, schema revision {head}) knows. "
            "Open it with a newer debtdesk; it has not been changed."
        )
    backup = None
    path = sqlite_path(str(engine.url))
    if current is not None and path is not None and path.exists():
        backup = _backup_sqlite(path, current)
    config = _config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table other tables point at: SQLite's foreign
            # keys must be off while it does (they can only be switched outside a
            # transaction), and are checked whole before the upgrade commits.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    # Python's sqlite3 begins a transaction only before INSERT, UPDATE or
                    # DELETE; a CREATE TABLE before any of them would commit on its own, and
                    # a failed upgrade would leave half a schema. Begun here, it is whole.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(
                            f"the upgrade left {len(broken)} rows pointing at nothing "
                            f"(first: {tuple(broken[0])}); nothing was changed"
                        )
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    return MigrationResult(current, head, backup)
