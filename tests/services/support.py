"""Helpers shared by the service and CLI tests: extra databases, accounts, raw-SQL sums."""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from debtdesk.db import types as db_types
from debtdesk.db.engine import sqlite_path
from debtdesk.db.models import Account, Base, CarePackage, CustomerType, FinancialAssessment
from debtdesk.domain.charging import Funding
from debtdesk.services.database import Database, open_database
from debtdesk.services.demo import build_demo
from tests.conftest import BACKEND, add_machine_login

_extra = itertools.count(1)

# The demo caseload most service tests share: built once per session, copied per test.
DEMO_ACCOUNTS, DEMO_SEED, DEMO_AS_OF = 60, 3, date(2026, 11, 23)


@pytest.fixture
def make_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """A factory of further fresh, migrated databases on the backend under test."""
    opened: list[Database] = []
    created: list[str] = []
    server = request.getfixturevalue("pg_server") if BACKEND == "postgresql" else None

    def make() -> Database:
        number = next(_extra)
        if server is not None:
            name = f"x{os.getpid()}_{number}"
            server.create_database(name, template="template_debtdesk")  # type: ignore[attr-defined]
            created.append(name)
            url = server.url(name)  # type: ignore[attr-defined]
        else:
            url = f"sqlite:///{tmp_path / f'extra{number}.sqlite'}"
        database = open_database(url, actor="tester")
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()
    for name in created:
        server.drop_database(name)  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def demo_source(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of the shared demo caseload. Never opened by a test: only copied."""
    server = request.getfixturevalue("pg_server") if BACKEND == "postgresql" else None
    name = f"demo{os.getpid()}_{next(_extra)}"  # one per module that registers the fixture
    if server is not None:
        server.create_database(name, template="template_debtdesk")  # type: ignore[attr-defined]
        url = str(server.url(name))  # type: ignore[attr-defined]
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    database = open_database(url, actor="tester")  # its first administrator, as in every test
    add_machine_login(database)
    build_demo(database, DEMO_ACCOUNTS, DEMO_SEED, DEMO_AS_OF)
    database.close()  # no connection may stay open on a PostgreSQL template
    yield url
    if server is not None:
        server.drop_database(name)  # type: ignore[attr-defined]


@pytest.fixture
def demo(request: pytest.FixtureRequest, demo_source: str, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the shared demo caseload (60 accounts, seed 3, to 23 Nov 2026)."""
    server = request.getfixturevalue("pg_server") if BACKEND == "postgresql" else None
    name = f"d{os.getpid()}_{next(_extra)}"
    if server is not None:
        template = demo_source.rsplit("/", 1)[1]
        server.create_database(name, template=template)  # type: ignore[attr-defined]
        url = str(server.url(name))  # type: ignore[attr-defined]
    else:
        source_path = sqlite_path(demo_source)
        assert source_path is not None
        target = tmp_path / "demo-copy.sqlite"
        source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        url = f"sqlite:///{target}"
    database = open_database(url, actor="tester")
    yield database
    database.close()
    if server is not None:
        server.drop_database(name)  # type: ignore[attr-defined]


def new_account(session: Session, reference: str, type_code: str = "INDIVIDUAL") -> int:
    """An account made directly with the ORM (no service), returning its id."""
    type_id = session.scalar(select(CustomerType.id).where(CustomerType.code == type_code))
    assert type_id is not None, type_code
    account = Account(
        reference=reference,
        client_name=f"Test Client {reference}",
        postcode="WX1 1AA",
        customer_type_id=type_id,
        search_text=f"{reference} test client {reference} wx1 1aa".lower(),
    )
    session.add(account)
    session.flush()
    return account.id


def entries_sum(engine: Engine, reference: str, as_of: date | None = None) -> int:
    """The sum of an account's ledger entries (effective on or before ``as_of``), by raw SQL."""
    sql = (
        "SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e "
        "JOIN accounts a ON a.id = e.account_id WHERE a.reference = :ref"
    )
    params: dict[str, object] = {"ref": reference}
    if as_of is not None:
        sql += " AND e.effective_date <= :as_of"
        params["as_of"] = as_of
    with engine.connect() as connection:
        return int(connection.execute(text(sql), params).scalar_one())


def cached_balance(engine: Engine, reference: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT balance FROM accounts WHERE reference = :ref"), {"ref": reference}
            ).scalar_one()
        )


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the schema, and the Alembic version row."""
    names = [table.name for table in Base.metadata.sorted_tables] + ["alembic_version"]
    with engine.connect() as connection:
        return {
            name: int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())  # noqa: S608
            for name in names
        }


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (and the Alembic version), in a stable order."""
    names = [table.name for table in Base.metadata.sorted_tables] + ["alembic_version"]
    with engine.connect() as connection:
        return {
            name: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {name}"))),  # noqa: S608
                key=repr,
            )
            for name in names
        }


def add_account(
    session: Session,
    reference: str,
    client_name: str,
    *,
    address: str = "",
    postcode: str = "WX1 1AA",
    type_code: str = "INDIVIDUAL",
) -> int:
    """An account for a named client made directly with the ORM, returning its id."""
    type_id = session.scalar(select(CustomerType.id).where(CustomerType.code == type_code))
    assert type_id is not None, type_code
    account = Account(
        reference=reference,
        client_name=client_name,
        address=address,
        postcode=postcode,
        customer_type_id=type_id,
        search_text=f"{reference} {client_name} {postcode}".lower()[:240],
    )
    session.add(account)
    session.flush()
    return account.id


def add_care(
    session: Session,
    account_id: int,
    start: date,
    weekly_contribution: int,
    weekly_cost: int,
    *,
    end: date | None = None,
    funding: Funding = Funding.COUNCIL,
) -> None:
    """An assessment and a care package of that weekly cost, both from ``start`` (pence)."""
    session.add(
        FinancialAssessment(
            account_id=account_id,
            effective_from=start,
            effective_to=end,
            weekly_contribution=weekly_contribution,
        )
    )
    session.add(
        CarePackage(
            account_id=account_id,
            service="Home care",
            weekly_cost=weekly_cost,
            start_date=start,
            end_date=end,
            funding=funding,
        )
    )
    session.flush()


LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}


def pdf_text(path: Path, *, layout: bool = True) -> str:
    """A PDF's text as pdftotext reads it, every run of whitespace made one space.

    With ``layout`` a table row reads left to right on one line ("… a week £122.14").
    The font's ligatures come back as the letters they join ("ﬃ" as "ffi").
    """
    result = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return " ".join(text.split())


@contextmanager
def clock_at(when: datetime) -> Iterator[None]:
    """Timestamps (``db.types.utcnow``: audit, actions, batches) read ``when`` meanwhile.

    Value dates never read the clock; this is for the few rules that go by the moment
    something was done (the reconciliation's suspense), tested without editing rows
    behind the append-only triggers.
    """

    class _Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return when.astimezone(tz) if tz is not None else when.replace(tzinfo=None)

    original = db_types.datetime
    db_types.datetime = _Frozen  # type: ignore[misc]
    try:
        yield
    finally:
        db_types.datetime = original  # type: ignore[misc]
