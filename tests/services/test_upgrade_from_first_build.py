"""Upgrades from the first build: a caseload file written by debtdesk's first build (schema
revision 0001, tests/data/first_build/README.md) is backed up and migrated to head with its
figures intact; the first build, handed that upgraded file, refuses it untouched.

The file is SQLite, copied to a temporary folder, so these tests run the same whichever
backend the rest of the suite is on.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

import debtdesk
from debtdesk.db import migrate
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import DatabaseTooNew, open_database

FIRST_BUILD = Path(__file__).parents[1] / "data" / "first_build" / "caseload-0001.sqlite"

# What the first build printed when it made the file (README.md): `demo --accounts 12
# --seed 3 --as-of 2026-06-30 --json`, and its `account show CC000011 --as-of 2026-06-30`.
ACCOUNTS, ENTRIES, BALANCE_TOTAL = 12, 505, 29_975_80
AS_OF = date(2026, 6, 30)
# The first build's rows, by table.
FIRST_BUILD_ROWS = {
    "accounts": 12,
    "allocations": 288,
    "audit_events": 1,
    "batches": 1,
    "care_packages": 13,
    "counters": 1,
    "customer_types": 3,
    "financial_assessments": 37,
    "fnc_rates": 5,
    "invoices": 267,
    "ledger_entries": 505,
    "mandates": 8,
    "representatives": 4,
    "settings": 0,
    "users": 11,
}


def _copy(folder: Path) -> Path:
    folder.mkdir()
    path = folder / FIRST_BUILD.name
    shutil.copyfile(FIRST_BUILD, path)
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _rows(connection: sqlite3.Connection) -> dict[str, int]:
    names = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
        " ORDER BY name"
    ).fetchall()
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for (name,) in names
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_first_builds_file_is_at_revision_0001() -> None:
    original = _read_only(FIRST_BUILD)
    try:
        assert original.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert original.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert _rows(original) == FIRST_BUILD_ROWS
    finally:
        original.close()


def test_a_caseload_from_the_first_build_is_backed_up_and_upgraded(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    path = _copy(folder)

    database = open_database(str(path), actor="tester")
    try:
        result = database.migration
        assert (result.from_revision, result.to_revision) == ("0001", migrate.head_revision())
        assert migrate.current_revision(database.engine) == migrate.head_revision()

        # The first build's figures, unchanged by every migration since.
        outcome = check(database)
        assert outcome.ok, outcome.problems
        assert (outcome.accounts, outcome.entries) == (ACCOUNTS, ENTRIES)
        with database.engine.connect() as connection:
            counted = connection.execute(
                text("SELECT count(*), sum(amount) FROM ledger_entries")
            ).one()
            references = list(
                connection.execute(
                    text("SELECT reference FROM accounts ORDER BY reference")
                ).scalars()
            )
            builds = [
                tuple(row)
                for row in connection.execute(text("SELECT revision, version FROM schema_builds"))
            ]
        assert tuple(counted) == (ENTRIES, BALANCE_TOTAL)
        accounts = Accounts(database)
        assert sum(accounts.detail(ref, AS_OF).balance for ref in references) == BALANCE_TOTAL
        assert len(references) == ACCOUNTS

        detail = accounts.detail("CC000011", AS_OF)
        assert (detail.name, detail.status, detail.customer_type) == (
            "Mrs Irene Okafor",
            "active",
            "INDIVIDUAL",
        )
        assert (detail.balance, detail.unallocated, detail.mandate) == (2_840_63, 0, None)
        assert detail.aged == {
            "not_due": 1_232_44,
            "1_30": 1_232_44,
            "31_60": 375_75,
            "61_90": 0,
            "91_180": 0,
            "181_365": 0,
            "over_365": 0,
        }
        assert [
            (i.number, i.issued, i.due, i.amount, i.outstanding) for i in detail.open_invoices
        ] == [
            ("INV00000255", date(2026, 4, 27), date(2026, 5, 11), 1_218_33, 375_75),
            ("INV00000256", date(2026, 5, 25), date(2026, 6, 8), 1_232_44, 1_232_44),
            ("INV00000257", date(2026, 6, 22), date(2026, 7, 6), 1_232_44, 1_232_44),
        ]

        # This build recorded that it brought the database to head.
        assert builds == [(migrate.head_revision(), debtdesk.__version__)]
    finally:
        database.close()

    # The backup, beside the file, is the first build's database as it was.
    backup = result.backup
    assert backup is not None
    assert backup.parent == folder
    assert backup.name.startswith("caseload-0001.sqlite.bak-0001-")
    assert sorted(p.name for p in folder.iterdir()) == [path.name, backup.name]
    copy, original = _read_only(backup), _read_only(FIRST_BUILD)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert _rows(copy) == FIRST_BUILD_ROWS
        assert list(copy.iterdump()) == list(original.iterdump())
    finally:
        copy.close()
        original.close()


def test_the_first_build_refuses_a_database_this_build_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that knows only revision 0001 opening the file after this build upgraded it:
    refused, with a message naming both builds and both revisions, and nothing written.

    It is today's refusal code with the history cut back to 0001, standing in for an older
    build: the real first build could not name the newer version (schema_builds came with
    0013), and said only that the revision was unknown to it."""
    folder = tmp_path / "data"
    path = _copy(folder)
    open_database(str(path), actor="tester").close()  # upgraded to head by this build
    head = migrate.head_revision()
    this_version = debtdesk.__version__
    files_before = sorted(p.name for p in folder.iterdir())
    digest = _sha256(path)

    first_build = tmp_path / "first_build_migrations"
    shutil.copytree(
        migrate.MIGRATIONS,
        first_build,
        ignore=shutil.ignore_patterns("__pycache__", "00[0-9][0-9]_*.py"),
    )
    shutil.copy(next(migrate.MIGRATIONS.glob("versions/0001_*.py")), first_build / "versions")
    monkeypatch.setattr(migrate, "MIGRATIONS", first_build)
    monkeypatch.setattr(migrate, "__version__", "0.0.1")
    assert migrate.head_revision() == "0001"

    with pytest.raises(DatabaseTooNew) as refused:
        open_database(str(path), actor="tester")

    assert str(refused.value) == (
        f"This database is at schema revision {head}, written by debtdesk {this_version}; "
        "this is debtdesk 0.0.1, which knows schema revisions up to 0001. "
        f"Open it with debtdesk {this_version} or later; it has not been changed."
    )
    assert _sha256(path) == digest
    assert sorted(p.name for p in folder.iterdir()) == files_before  # no second backup
