"""``python -m bench.diagnose``: why the caseload's first page and search cost what they do.

Hand-run evidence for the benchmark's misses, read-only on a cached caseload. It captures
the SQL the services emit (as ``python -m bench`` does), normalises it to a canonical
shape, and replays rewrites of it through plain ``sqlite3``, round-robin so load on the
machine hits every variant alike, checking that each returns the same count and accounts:

- *index walk, count(id)*: the caseload SQL before commit 2c4340d — ``count(accounts.id)``
  (which scans a whole index, where SQLite answers ``count(*)`` from the b-tree) and, with
  a search, ``ORDER BY accounts.balance DESC …`` (SQLite walks the sort column's index and
  visits every row to test the LIKE: 100,000 look-ups when few match).
- *filter, then sort*: ``count(*)``, and with a search ``ORDER BY +accounts.balance DESC``
  (the unary plus keeps SQLite off the index: scan, filter, sort the matches) — the shape
  debtdesk emits since 2c4340d.
- *one query*: as the last, with the count taken in the same scan as the page by
  ``count(*) OVER ()``, so a search scans the table once instead of twice.

Each runs on a plain connection and with ``PRAGMA mmap_size`` covering the file. Then the
first page's service time is split into per call and per row overhead over its floor.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import text

from bench import build
from bench.caseload import ORDERS, PAGE, SEARCHES
from bench.sql import Statement, capture
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database, open_database

Rewrite = Callable[[list[Statement]], list[Statement]]
_UNARY_PLUS = re.compile(r"\(\+ ?(accounts\.\w+)\)|\+ ?(accounts\.\w+)")


def _index_walk_sql(sql: str) -> str:
    """Without unary plus (the ORDER BY may use an index) and with ``count(accounts.id)``."""
    sql = _UNARY_PLUS.sub(lambda m: m.group(1) or m.group(2), sql)
    return sql.replace("count(*)", "count(accounts.id)")


def _filter_then_sort_sql(sql: str) -> str:
    """``count(*)``; with a search, unary plus on the inner ORDER BY."""
    sql = _index_walk_sql(sql).replace("count(accounts.id)", "count(*)")
    if "LIKE" not in sql:
        return sql
    for column in ("balance", "reference"):
        for direction in (" DESC", ""):
            sql = sql.replace(
                f"ORDER BY accounts.{column}{direction}, accounts.id{direction} LIMIT",
                f"ORDER BY +accounts.{column}{direction}, +accounts.id{direction} LIMIT",
            )
    return sql


def _index_walk(statements: list[Statement]) -> list[Statement]:
    return [Statement(_index_walk_sql(s.sql), s.parameters) for s in statements]


def _filter_then_sort(statements: list[Statement]) -> list[Statement]:
    return [Statement(_filter_then_sort_sql(s.sql), s.parameters) for s in statements]


def _one_query(statements: list[Statement]) -> list[Statement]:
    shaped = _filter_then_sort(statements)
    if "LIKE" not in shaped[-1].sql:
        return shaped
    page = shaped[-1]
    sql = page.sql.replace(
        "(SELECT accounts.id AS id FROM accounts",
        "(SELECT accounts.id AS id, count(*) OVER () AS total FROM accounts",
        1,
    )
    sql = sql.replace("SELECT accounts.id,", "SELECT accounts.id, anon_1.total,", 1)
    return [Statement(sql, page.parameters)]


VARIANTS: dict[str, Rewrite] = {
    "index walk, count(id)": _index_walk,
    "filter, then sort": _filter_then_sort,
    "one query": _one_query,
}


def _queries() -> list[tuple[str, CaseloadQuery]]:
    queries = [
        (f"first page {label}", CaseloadQuery(sort=sort, descending=descending))
        for sort, descending, label in (ORDERS[1], ORDERS[0])
    ]
    for fragment, _why in SEARCHES:
        for sort, descending, label in ORDERS:
            queries.append(
                (
                    f"search {fragment!r} {label}",
                    CaseloadQuery(search=fragment, sort=sort, descending=descending),
                )
            )
    return queries


def _captured(db: Database, query: CaseloadQuery) -> list[Statement]:
    caseload = Caseload(db)
    with capture(db.engine) as statements:
        caseload.count(query)
        caseload.page(query, 0, PAGE)
    # One space between words (no literal in these statements holds two), so rewrites match.
    return [Statement(" ".join(s.sql.split()), s.parameters) for s in statements]


def _answer(conn: sqlite3.Connection, statements: list[Statement]) -> tuple[int, list[int]]:
    """(how many match, the page's account ids), whichever shape the statements have."""
    results = [conn.execute(s.sql, s.parameters).fetchall() for s in statements]
    if len(results) == 2:
        return results[0][0][0], [row[0] for row in results[1]]
    rows = results[0]
    return (rows[0][1] if rows else 0), [row[0] for row in rows]


def _replay(conn: sqlite3.Connection, statements: list[Statement]) -> None:
    for s in statements:
        conn.execute(s.sql, s.parameters).fetchall()


def _plans(conn: sqlite3.Connection, statements: list[Statement]) -> list[object]:
    """What tells the shapes apart: each statement's query plan and how it counts."""
    return [
        (
            [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {s.sql}", s.parameters)],
            "count(*)" in s.sql,
        )
        for s in statements
    ]


def _time(conn: sqlite3.Connection, statements: list[Statement]) -> float:
    started = time.perf_counter()
    for s in statements:
        conn.execute(s.sql, s.parameters).fetchall()
    return (time.perf_counter() - started) * 1000


def sql_variants(db: Database, path: Path, repeat: int) -> None:
    connections = {"": sqlite3.connect(f"file:{path}?mode=ro", uri=True)}
    mmap = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    mmap.execute(f"PRAGMA mmap_size={path.stat().st_size + (1 << 20)}").fetchall()
    connections[" +mmap"] = mmap
    columns = [(v, c) for c in connections for v in VARIANTS]
    header = ["query (ms, median)", "debtdesk emits"] + [f"{v}{c}" for v, c in columns]
    lines = []
    for name, query in _queries():
        emitted = _captured(db, query)
        plain = connections[""]
        expected = _answer(plain, emitted)
        shapes = {v: rewrite(emitted) for v, rewrite in VARIANTS.items()}
        for variant, statements in shapes.items():
            got = _answer(plain, statements)
            if got != expected:
                raise AssertionError(f"{variant} changes the answer to {name}")
        samples: dict[tuple[str, str], list[float]] = {key: [] for key in columns}
        for _ in range(repeat + 1):  # the first round warms up and is dropped
            for variant, conn_name in columns:
                samples[variant, conn_name].append(_time(connections[conn_name], shapes[variant]))
        medians = [statistics.median(samples[key][1:]) for key in columns]
        emitted_plan = _plans(plain, emitted)
        same = [v for v, statements in shapes.items() if _plans(plain, statements) == emitted_plan]
        lines.append(
            [f"{name} ({expected[0]:,} match)", same[0] if same else "other"]
            + [f"{m:.2f}" for m in medians]
        )
        print(f"  {name}: done", flush=True)
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    print()
    for number, row in enumerate([header, *lines]):
        print(
            " | ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if number == 0:
            print("-+-".join("-" * w for w in widths))
    for conn in connections.values():
        conn.close()


def overhead(db: Database, path: Path, repeat: int) -> None:
    """The service's time over its floor: per call (1-row page) and per row (200 rows)."""
    caseload = Caseload(db)
    plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    query = CaseloadQuery(sort="balance", descending=True)

    def median(call: Callable[[], object]) -> float:
        call()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    def session_trip() -> None:
        with db.sessions() as session:
            session.execute(text("SELECT 1")).all()

    print("\nservice overhead over the floor (ms, median):")
    print(
        f"  session round trip (SELECT 1): {median(session_trip):.3f}"
        f"  vs plain sqlite3 {median(lambda: plain.execute('SELECT 1').fetchall()):.3f}"
    )
    for limit in (1, PAGE):
        with capture(db.engine) as statements:
            caseload.page(query, 0, limit)
        service = median(partial(caseload.page, query, 0, limit))
        floor = median(partial(_replay, plain, list(statements)))
        print(
            f"  Caseload.page(limit={limit}): {service:.3f} vs floor {floor:.3f}"
            f" (overhead {service - floor:.3f})"
        )
    plain.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.diagnose", description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    path = build.database_path(args.out, args.size)
    if not path.exists():
        parser.error(f"{path} is missing: run python -m bench --sizes {args.size} first")
    db = open_database(str(path), actor="bench")
    try:
        sql_variants(db, path, args.repeat)
        overhead(db, path, max(args.repeat, 30))
    finally:
        db.close()


if __name__ == "__main__":
    main()
