"""The write floor of an import: the rows it wrote, written again with nothing else to do.

The issue's floor for money in is parsing the file alone. Beside it this measures what
no implementation can avoid on the same database: writing the rows the import wrote.
Given the database before an import and after it, every table's new and changed rows
(``after EXCEPT before``, found untimed) are written into a fresh copy of "before" with
the raw ``sqlite3`` driver, in one transaction with the app's pragmas (WAL, foreign keys
on, synchronous NORMAL): one ``executemany`` of INSERTs per table for new ids, one of
UPDATEs for changed ones, then COMMIT. Only that is timed. No parsing, matching,
deciding, reading or ORM: indexes, constraints and the commit's sync are what remain.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bench.statements import copy_database


@dataclass(frozen=True)
class WriteFloor:
    seconds: float
    inserted: dict[str, int]
    updated: dict[str, int]


def _tables(conn: sqlite3.Connection) -> list[str]:
    names = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name != 'alembic_version' ORDER BY name"
    ).fetchall()
    return [name for (name,) in names]


def _parents_first(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """The tables ordered so each comes after those its foreign keys name (itself aside)."""
    listed = set(tables)
    parents = {
        table: {row[2] for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        & listed - {table}
        for table in tables
    }
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:
            raise RuntimeError(f"foreign keys make a cycle among {listed - set(ordered)}")
        ordered += ready
    return ordered


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def changes(
    before: Path, after: Path
) -> dict[str, tuple[list[str], list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """Per table with an ``id``: its columns, the rows new in ``after``, the rows changed."""
    conn = sqlite3.connect(f"file:{after}?mode=ro", uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS before", (f"file:{before}?mode=ro",))
        found = {}
        for table in _parents_first(conn, _tables(conn)):
            columns = _columns(conn, table)
            if "id" not in columns:
                continue
            listed = ", ".join(f'"{c}"' for c in columns)
            top = conn.execute(f'SELECT coalesce(max(id), 0) FROM before."{table}"').fetchone()[0]
            rows = conn.execute(
                f'SELECT {listed} FROM main."{table}" EXCEPT SELECT {listed} FROM before."{table}"'
            ).fetchall()
            at = columns.index("id")
            new = sorted((r for r in rows if r[at] > top), key=lambda r: r[at])
            changed = [r for r in rows if r[at] <= top]
            if new or changed:
                found[table] = (columns, new, changed)
        return found
    finally:
        conn.close()


def measure(before: Path, after: Path, scratch: Path) -> WriteFloor:
    """Seconds to write ``after``'s new and changed rows into a copy of ``before``."""
    found = changes(before, after)
    copy_database(before, scratch)
    conn = sqlite3.connect(scratch, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        conn.execute("BEGIN")  # parents first, so each row's foreign keys hold as it goes in
        for table, (columns, new, changed) in found.items():
            listed = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            if new:
                conn.executemany(f'INSERT INTO "{table}" ({listed}) VALUES ({marks})', new)
            if changed:
                at = columns.index("id")
                sets = ", ".join(f'"{c}" = ?' for c in columns if c != "id")
                conn.executemany(
                    f'UPDATE "{table}" SET {sets} WHERE id = ?',
                    [(*row[:at], *row[at + 1 :], row[at]) for row in changed],
                )
        conn.execute("COMMIT")
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    return WriteFloor(
        seconds,
        {t: len(new) for t, (_, new, _) in found.items() if new},
        {t: len(changed) for t, (_, _, changed) in found.items() if changed},
    )
