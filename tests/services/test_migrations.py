"""Schema migrations: new databases at head, models matching the migrated schema, newer
databases refused untouched (naming the build that wrote them), older SQLite files backed up
before an upgrade, each upgrade's build recorded, seed data."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

from debtdesk import __version__
from debtdesk.db import migrate
from debtdesk.db.models import Base, CustomerType
from debtdesk.services.check import check
from debtdesk.services.database import Database, DatabaseTooNew, open_database
from debtdesk.services.settings import Settings
from tests.services.support import snapshot

PROBE_REVISION = '''"""A later schema revision, for tests: adds one table.

Revision ID: 9000_probe
Revises: {head}
"""
from alembic import op
import sqlalchemy as sa

revision = "9000_probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("probe_newer", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("probe_newer")
'''


@pytest.fixture
def newer_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], str]:
    """Switch to a build with one revision more than the real history: head -> 9000_probe.

    The real migrations are copied and a revision added after the real head, so a
    database at the real head is "older" than the build once the returned function runs.
    """

    def switch() -> str:
        head = migrate.head_revision()
        scripts = tmp_path / "newer_migrations"
        shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
        (scripts / "versions" / "9000_probe.py").write_text(PROBE_REVISION.format(head=head))
        monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
        assert migrate.head_revision() == "9000_probe"
        return "9000_probe"

    return switch


def test_a_new_database_is_at_head(db: Database) -> None:
    head = migrate.head_revision()
    assert migrate.current_revision(db.engine) == head
    assert db.migration.to_revision == head


def test_a_brand_new_sqlite_file_is_created_migrated_and_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "new" / "caseload.sqlite"  # the folder does not exist yet either
    database = open_database(str(path), actor="tester")
    try:
        assert database.migration.from_revision is None
        assert database.migration.to_revision == migrate.head_revision()
        assert database.migration.backup is None
        assert migrate.current_revision(database.engine) == migrate.head_revision()
    finally:
        database.close()
    assert not [p for p in path.parent.iterdir() if ".bak-" in p.name]


def test_the_source_tree_has_every_migration_it_was_written_for() -> None:
    """SCHEMA_HEAD is what a frozen bundle's self-test compares with the scripts it holds."""
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_creating_a_database_records_this_build(db: Database) -> None:
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT revision, version FROM schema_builds")).all()
    assert [tuple(row) for row in rows] == [(migrate.head_revision(), __version__)]


def test_each_upgrade_records_its_build_and_opening_at_head_records_none(
    db: Database, db_url: str, newer_build: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old_head = migrate.head_revision()
    db.close()
    again = open_database(db_url, actor="tester")  # at head already: nothing recorded
    again.close()
    newer_build()
    monkeypatch.setattr(migrate, "__version__", "9.9.9")
    upgraded = open_database(db_url, actor="tester")
    try:
        with upgraded.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT revision, version, upgraded_at FROM schema_builds ORDER BY id")
            ).all()
    finally:
        upgraded.close()
    assert [(r.revision, r.version) for r in rows] == [
        (old_head, __version__),
        ("9000_probe", "9.9.9"),
    ]
    assert rows[0].upgraded_at <= rows[1].upgraded_at


def test_the_models_match_the_migrated_schema(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_append_only_triggers_are_made_by_the_migration(db: Database) -> None:
    tables = [
        "allocations",
        "contact_notes",
        "dpa_records",
        "ledger_entries",
        "mandate_events",
        "recovery_events",
        "suspense_actions",
    ]
    if db.is_sqlite:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        expected = [f"{t}_no_{action}" for t in tables for action in ("delete", "update")]
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
        expected = [f"{t}_no_{action}" for t in tables for action in ("change", "truncate")]
    with db.engine.connect() as connection:
        assert [row[0] for row in connection.execute(text(query))] == expected


def test_the_seeded_customer_types(db: Database) -> None:
    with db.sessions() as s:
        types = {
            t.code: (t.is_business, t.payment_terms_days, t.late_payment_interest)
            for t in s.scalars(select(CustomerType))
        }
    # CLI.md "Customer types": individual and estate 14 days, no interest; business 30 days,
    # Late Payment Act interest on.
    assert types == {
        "INDIVIDUAL": (False, 14, False),
        "ESTATE": (False, 14, False),
        "BUSINESS": (True, 30, True),
    }


def test_the_seeded_fnc_rates(db: Database) -> None:
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT effective_from, weekly FROM fnc_rates ORDER BY effective_from")
        ).all()
    # 1 April each year; 2026/27 is £267.68 a week.
    assert [(str(d), w) for d, w in rows] == [
        ("2022-04-01", 20919),
        ("2023-04-01", 21971),
        ("2024-04-01", 23588),
        ("2025-04-01", 25406),
        ("2026-04-01", 26768),
    ]


def refused_untouched(db: Database, db_url: str, folder: Path) -> str:
    """Close ``db``, open it again expecting the refusal, and prove nothing changed: its
    rows and revision, and no backup or other file beside a SQLite database. The message."""
    before = snapshot(db.engine)
    revision = migrate.current_revision(db.engine)
    db.close()
    files_before = sorted(p.name for p in folder.iterdir())

    with pytest.raises(DatabaseTooNew) as refused:
        open_database(db_url, actor="tester")

    engine = create_engine(db_url)
    try:
        assert snapshot(engine) == before
        assert migrate.current_revision(engine) == revision
    finally:
        engine.dispose()
    assert sorted(p.name for p in folder.iterdir()) == files_before
    return str(refused.value)


def test_a_database_from_a_newer_build_is_refused_and_untouched(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    Settings(db).set("council.name", "Upper Wexshire Council")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    # No build recorded reaching 9999_future, so the refusal names the revision alone.
    assert refused_untouched(db, db_url, tmp_path) == (
        "This database is at schema revision 9999_future, which was written by a newer "
        f"debtdesk; this is debtdesk {__version__}, which knows schema revisions up to "
        f"{migrate.head_revision()}. Open it with a newer debtdesk; it has not been changed."
    )


def test_the_refusal_names_the_build_that_wrote_the_database(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    """The newer build recorded itself in schema_builds; its latest row for the database's
    revision names it (rows for other revisions or older builds are passed over)."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9015'"))
        connection.execute(
            text(
                "INSERT INTO schema_builds (revision, version, upgraded_at) VALUES"
                " ('9014', '0.2.0', '2027-01-04 09:00:00'),"
                " ('9015', '0.3.0', '2027-03-01 09:00:00'),"
                " ('9015', '0.3.1', '2027-04-01 09:00:00')"
            )
        )
    assert refused_untouched(db, db_url, tmp_path) == (
        "This database is at schema revision 9015, written by debtdesk 0.3.1; this is "
        f"debtdesk {__version__}, which knows schema revisions up to "
        f"{migrate.head_revision()}. Open it with debtdesk 0.3.1 or later; it has not been "
        "changed."
    )


def test_the_refusal_of_a_database_without_schema_builds_names_the_revision(
    db: Database, db_url: str
) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE schema_builds"))
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.close()

    with pytest.raises(DatabaseTooNew, match="at schema revision 9999_future, which was written"):
        open_database(db_url, actor="tester")


def test_an_older_sqlite_file_is_backed_up_then_upgraded(
    tmp_path: Path, newer_build: Callable[[], str]
) -> None:
    folder = tmp_path / "data"
    path = folder / "caseload.sqlite"
    old = open_database(str(path), actor="tester")  # made at the real head
    head = migrate.head_revision()
    Settings(old).set("council.name", "Old Wexshire Council")
    old.close()

    newer_build()
    upgraded = open_database(str(path), actor="tester")
    try:
        result = upgraded.migration
        assert (result.from_revision, result.to_revision) == (head, "9000_probe")
        assert result.backup is not None
        assert result.backup.parent == folder
        assert result.backup.name.startswith(f"caseload.sqlite.bak-{head}-")
        assert "probe_newer" in inspect(upgraded.engine).get_table_names()
        assert Settings(upgraded).get("council.name") == "Old Wexshire Council"
    finally:
        upgraded.close()

    # The backup is the database as it was: at the old head, with its data, no new table.
    backup = sqlite3.connect(result.backup)
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        assert backup.execute(
            "SELECT value FROM settings WHERE key = 'council.name'"
        ).fetchall() == [("Old Wexshire Council",)]
        tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "probe_newer" not in tables
        assert "ledger_entries" in tables
    finally:
        backup.close()

    # Opening it again finds it at head: no second backup.
    again = open_database(str(path), actor="tester")
    try:
        assert again.migration.backup is None
    finally:
        again.close()
    assert len([p for p in folder.iterdir() if ".bak-" in p.name]) == 1


def test_an_older_database_is_upgraded_on_open(
    db: Database, db_url: str, newer_build: Callable[[], str]
) -> None:
    """On either backend; only a SQLite file is backed up (a server has its own backups)."""
    db.close()
    old_head = migrate.head_revision()
    head = newer_build()
    upgraded = open_database(db_url, actor="tester")
    try:
        assert upgraded.migration.from_revision == old_head
        assert upgraded.migration.to_revision == head
        assert migrate.current_revision(upgraded.engine) == head
        assert "probe_newer" in inspect(upgraded.engine).get_table_names()
        assert (upgraded.migration.backup is not None) == upgraded.is_sqlite
    finally:
        upgraded.close()


def test_a_populated_database_from_an_early_schema_upgrades_whole(tmp_path: Path) -> None:
    """A SQLite caseload at revision 0003 with an account, an invoice, a charge on it and a
    payment allocated to it: the later migrations rebuild tables those rows point at
    (0007 collections, 0009 invoices and customer types), so SQLite's foreign keys are off
    while they run; every row is still there afterwards and `check` passes."""
    path = tmp_path / "early.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(text(
            "INSERT INTO accounts (id, reference, client_name, address, postcode, status,"
            " customer_type_id, flags, balance, search_text, version, created_at) VALUES (1,"
            " 'EA000001', 'Mrs Early', '', 'WX1 1AA', 'active', 1, '[]', 6000, 'ea000001', 1,"
            " '2026-01-01 00:00:00')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO invoices (id, account_id, number, kind, issued_on, due_on, amount,"
            " created_at) VALUES (1, 1, 'INV00000001', 'sundry', '2026-01-05', '2026-01-19',"
            " 10000, '2026-01-05 00:00:00')"
        ))  # fmt: skip
        for entry, kind, amount, invoice in ((1, "charge", 10000, 1), (2, "payment", -4000, None)):
            connection.execute(
                text(
                    "INSERT INTO ledger_entries (id, account_id, kind, amount, effective_date,"
                    " posted_at, source, actor, invoice_id, reference, description) VALUES"
                    " (:id, 1, :kind, :amount, '2026-01-10', '2026-01-10 00:00:00', 'user',"
                    " 'tester', :invoice, '', '')"
                ),
                {"id": entry, "kind": kind, "amount": amount, "invoice": invoice},
            )
        connection.execute(text(
            "INSERT INTO allocations (id, account_id, entry_id, invoice_id, amount,"
            " effective_date, posted_at, actor) VALUES (1, 1, 2, 1, 4000, '2026-01-10',"
            " '2026-01-10 00:00:00', 'tester')"
        ))  # fmt: skip
    engine.dispose()
    upgraded = open_database(str(path), actor="tester")
    try:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        with upgraded.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM ledger_entries")).scalar() == 2
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert check(upgraded).ok
    finally:
        upgraded.close()


def test_a_migration_that_fails_changes_nothing(
    db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A revision that creates a table and then fails: the upgrade is one transaction, so
    neither the table nor a new revision is left (SQLite's driver runs DDL outside a
    transaction unless one is begun explicitly)."""
    head = migrate.head_revision()
    scripts = tmp_path / "failing_migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    failing = PROBE_REVISION.format(head=head).replace(
        '    op.create_table("probe_newer", sa.Column("id", sa.Integer(), primary_key=True))',
        '    op.create_table("probe_newer", sa.Column("id", sa.Integer(), primary_key=True))\n'
        '    raise RuntimeError("the probe revision fails")',
    )
    (scripts / "versions" / "9000_probe.py").write_text(failing)
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    Settings(db).set("council.name", "Upper Wexshire Council")
    before = snapshot(db.engine)
    db.close()

    with pytest.raises(RuntimeError, match="the probe revision fails"):
        open_database(db_url, actor="tester")

    engine = create_engine(db_url)
    try:
        assert "probe_newer" not in inspect(engine).get_table_names()
        assert migrate.current_revision(engine) == head
        assert snapshot(engine) == before
    finally:
        engine.dispose()


SLOW_PROBE = PROBE_REVISION.replace(
    "def upgrade() -> None:\n",
    "def upgrade() -> None:\n    import time\n\n    time.sleep(1.5)  # both read it first\n",
)


def test_two_desktops_opening_an_older_database_at_once_upgrade_it_once(
    db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's desktops start the new build together: one upgrades, the other waits for it
    and then finds the database at head. Both open it; one build row is recorded."""
    old_head = migrate.head_revision()
    db.close()
    scripts = tmp_path / "slow_migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9000_probe.py").write_text(SLOW_PROBE.format(head=old_head))
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)

    start = threading.Barrier(2)
    outcomes: list[object] = []

    def desktop() -> None:
        start.wait()
        try:
            opened = open_database(db_url, actor="tester")
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            outcomes.append(exc)
        else:
            outcomes.append(opened.migration.from_revision)
            opened.close()

    threads = [threading.Thread(target=desktop) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # One did the upgrade from the old head; the other found it done (at 9000_probe).
    assert sorted(map(str, outcomes)) == sorted([old_head, "9000_probe"])
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT revision FROM schema_builds WHERE revision = '9000_probe'")
            ).fetchall()
        assert len(rows) == 1
        assert migrate.current_revision(engine) == "9000_probe"
    finally:
        engine.dispose()
