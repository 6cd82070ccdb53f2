"""Schema migrations: the Alembic history, upgraded at start-up after a backup.

A SQLite file is copied (with SQLite's online backup) before any upgrade. Each upgrade
(creating a database too) records this build's version and the revision it reached in
``schema_builds``, in the upgrade's own transaction. A database whose revision this build
does not know was written by a newer debtdesk and is refused, never touched; the refusal
names the build that wrote it when ``schema_builds`` says.
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
from sqlalchemy import Connection, Engine, insert, inspect, text
from sqlalchemy.exc import DBAPIError

from debtdesk import __version__
from debtdesk.db.engine import sqlite_path
from debtdesk.db.models import SchemaBuild

MIGRATIONS = Path(__file__).with_name("migrations")
_UPGRADE_LOCK = 0x64656274  # "debt": the PostgreSQL advisory lock one upgrade holds at a time
SCHEMA_HEAD = "0013"
"""The head revision this source tree was written for; a frozen bundle's self-test compares
it with :func:`head_revision` to notice a migration script left out."""


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


def _written_by(engine: Engine, revision: str) -> str | None:
    """The version of the debtdesk that brought the database to ``revision``, if recorded.

    Read only, and tolerant: a database from before ``schema_builds`` (or from a build whose
    table differs) answers None.
    """
    with engine.connect() as connection:
        try:
            if not inspect(connection).has_table("schema_builds"):
                return None
            version = connection.execute(
                text(
                    "SELECT version FROM schema_builds WHERE revision = :revision"
                    " ORDER BY id DESC LIMIT 1"
                ),
                {"revision": revision},
            ).scalar()
        except DBAPIError:
            return None
        finally:
            connection.rollback()
    return None if version is None else str(version)


def _too_new(engine: Engine, revision: str, head: str) -> DatabaseTooNew:
    writer = _written_by(engine, revision)
    this = f"this is debtdesk {__version__}, which knows schema revisions up to {head}"
    if writer is None:
        return DatabaseTooNew(
            f"This database is at schema revision {revision}, which was written by a newer "
            f"debtdesk; {this}. Open it with a newer debtdesk; it has not been changed."
        )
    return DatabaseTooNew(
        f"This database is at schema revision {revision}, written by debtdesk {writer}; "
        f"{this}. Open it with debtdesk {writer} or later; it has not been changed."
    )


def _record_build(connection: Connection, head: str) -> None:
    connection.execute(
        insert(SchemaBuild).values(
            revision=head, version=__version__, upgraded_at=datetime.now(UTC)
        )
    )


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

    A database already at head is left alone; any upgrade adds a ``schema_builds`` row.
    Upgrades are one at a time (SQLite's write lock, a PostgreSQL advisory lock): a second
    process that found the database older waits, then finds it upgraded and does nothing.

    Raises:
        DatabaseTooNew: the database's revision is unknown to this build.
    """
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return MigrationResult(current, head, None)
    if current is not None and not _known(current):
        raise _too_new(engine, current, head)
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
                else:
                    # Every desktop of a team starts the new build at nine o'clock: one
                    # upgrades, the others wait here, then find the database at head.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
                current = MigrationContext.configure(connection).get_current_revision()
                if current != head:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    _record_build(connection, head)
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
