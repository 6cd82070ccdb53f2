"""The floor: the SQL a service emits, captured, then replayed by hand through ``sqlite3``.

:func:`capture` listens to SQLAlchemy's ``before_cursor_execute`` on the service's engine
and records each statement with its parameters exactly as handed to the driver. A
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
    """Record the statements run on ``engine`` inside the ``with`` block."""
    captured: list[Statement] = []

    def record(
        _conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, many: bool
    ) -> None:
        if many:
            raise AssertionError("a read emitted executemany; the floor cannot replay it")
        captured.append(Statement(sql, tuple(parameters or ())))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", record)


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
