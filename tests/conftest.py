"""Shared fixtures: a fresh, migrated database per test on SQLite or on a real PostgreSQL.

``DEBTDESK_TEST_DB=postgresql`` runs the suite on a private PostgreSQL server started
for the session (tests/pg_server.py); the default is a SQLite file per test.
"""

from __future__ import annotations

import getpass
import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never this machine's settings file (site_config): a path with no file, unless a test says.
os.environ["DEBTDESK_CONFIG"] = str(Path(tempfile.mkdtemp(prefix="debtdesk-config-")) / "none.ini")

from sqlalchemy import select  # noqa: E402

from debtdesk.db.engine import make_engine  # noqa: E402
from debtdesk.db.migrate import upgrade  # noqa: E402
from debtdesk.db.models import User  # noqa: E402
from debtdesk.domain.caseload import UserRole  # noqa: E402
from debtdesk.services.database import Database, open_database  # noqa: E402

BACKEND = os.environ.get("DEBTDESK_TEST_DB", "sqlite")
_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    from tests.pg_server import PostgresServer

    base = Path(tempfile.mkdtemp(prefix="debtdesk-pg-"))
    base.chmod(0o755)
    server = PostgresServer.start(base)
    try:
        server.create_database("template_debtdesk")
        # Migrated only, with no user: each test's database (a copy) gets its first
        # administrator from the login that opens it, as on SQLite.
        engine = make_engine(server.url("template_debtdesk"))
        upgrade(engine)
        engine.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database migrated to the current schema."""
    if BACKEND == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = f"t{os.getpid()}_{next(_names)}"
        server.create_database(name, template="template_debtdesk")  # type: ignore[attr-defined]
        yield server.url(name)  # type: ignore[attr-defined]
        server.drop_database(name)  # type: ignore[attr-defined]
    else:
        yield f"sqlite:///{tmp_path / 'caseload.sqlite'}"


def add_machine_login(database: Database) -> None:
    """Make this machine's login an administrator too, as an administrator would: the CLI
    and the GUI act as the operating-system login, the tests' services as "tester"."""
    login = getpass.getuser()
    with database.sessions.begin() as session:
        if session.scalar(select(User.id).where(User.username == login)) is None:
            session.add(User(username=login, display_name=login, role=UserRole.ADMINISTRATOR))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An open, migrated, empty caseload; "tester" (its creator) and this machine's login
    are administrators."""
    database = open_database(db_url, actor="tester")
    add_machine_login(database)
    yield database
    database.close()


@pytest.fixture
def ini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The machine's settings file for a test, not written yet: ``$DEBTDESK_CONFIG`` names it,
    and ``$DEBTDESK_DB`` is unset."""
    path = tmp_path / "machine" / "debtdesk.ini"
    path.parent.mkdir()
    monkeypatch.setenv("DEBTDESK_CONFIG", str(path))
    monkeypatch.delenv("DEBTDESK_DB", raising=False)
    return path
