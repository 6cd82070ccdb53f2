"""The floor: the SQL a service emits, captured, then replayed by hand through ``sqlite3``.

:func:`capture` traces, through SQLite's own hook on the service's pooled connections,
each statement exactly as SQLite ran it, parameters bound in. A
:class:`Floor` replays them on its own plain ``sqlite3`` connection to the same file,
fetching every row, and times each statement; the floor of a call is the sum.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: tuple[Any, ...]


@contextmanager
def capture(engine: Engine) -> Iterator[list[Statement]]:
    """Record the statements run on ``engine`` inside the ``with`` block.

    SQLite's own trace hook on each pooled connection sees every statement, whether it
    came through SQLAlchemy's execution layer or straight to the driver (the caseload
    page does that), with its parameters written in as SQLite bound them.
    """
    captured: list[Statement] = []

    def trace(sql: str) -> None:
        if sql.lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH"):
            captured.append(Statement(sql, ()))

    def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(trace)

    def checkin(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            dbapi_connection.set_trace_callback(None)

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    try:
        yield captured
    finally:
        event.remove(engine, "checkout", checkout)
        event.remove(engine, "checkin", checkin)


class Floor:
    """A plain ``sqlite3`` connection to the benchmark's database file."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def run(self, statements: Sequence[Statement]) -> tuple[float, list[float], list[int]]:
        """Seconds for all the statements, seconds for each, and rows each returned."""
        each: list[float] = []
        rows: list[int] = []
        for statement in statements:
            started = time.perf_counter()
            result = self.connection.execute(statement.sql, statement.parameters).fetchall()
            each.append(time.perf_counter() - started)
            rows.append(len(result))
        return sum(each), each, rows

    def plan(self, statement: Statement) -> list[str]:
        """SQLite's EXPLAIN QUERY PLAN for a statement, one line per step, indented."""
        steps = self.connection.execute(
            f"EXPLAIN QUERY PLAN {statement.sql}", statement.parameters
        ).fetchall()
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _unused, detail in steps:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return lines

    def close(self) -> None:
        self.connection.close()
