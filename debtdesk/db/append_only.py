"""Append-only tables: UPDATE and DELETE (and PostgreSQL's TRUNCATE) fail in the database
itself, whoever tries them. The migrations create the triggers; ``debtdesk check`` counts
them."""

from __future__ import annotations

from typing import Any

APPEND_ONLY_TABLES = (
    "ledger_entries",
    "allocations",
    "mandate_events",
    "suspense_actions",
    "recovery_events",
    "contact_notes",
    "dpa_records",
)
"""Every append-only table, in the order the migrations made them so."""
MESSAGE = "is append-only: post a reversing entry instead"


def trigger_names(dialect: str, table: str) -> tuple[str, ...]:
    """The names of a table's triggers on a dialect."""
    if dialect == "sqlite":
        return (f"{table}_no_update", f"{table}_no_delete")
    return (f"{table}_no_change", f"{table}_no_truncate")


def create_triggers(op: Any, table: str) -> None:
    """Make the table append-only (``op`` is Alembic's, inside a migration)."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} {MESSAGE}'); END"
            )
        return
    op.execute(
        f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} {MESSAGE}'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
    )


def drop_triggers(op: Any, table: str) -> None:
    """Undo :func:`create_triggers` (SQLite drops a table's triggers with the table)."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        return
    op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
    op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute(f"DROP FUNCTION {table}_append_only()")
