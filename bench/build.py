"""The benchmark caseloads: built once with ``build_demo``, cached in the output folder.

``caseload-N.sqlite`` sits beside ``caseload-N.json``, which records how long the build
took when it ran (and its floor: writing the same rows with plain ``sqlite3``), so a
reused database reports the build time it was made in. A build goes to a ``.partial``
file first, so an interrupted one is never reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

SEED = 7
AS_OF = date(2026, 11, 23)


def database_path(out: Path, accounts: int) -> Path:
    return out / f"caseload-{accounts}.sqlite"


def meta_path(out: Path, accounts: int) -> Path:
    return out / f"caseload-{accounts}.json"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "debtdesk"], capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{'+dirty' if dirty.strip() else ''}"


def _demo_source() -> str:
    """A short hash of the demo's source, to tell builds by different demo code apart."""
    import debtdesk.services.demo as demo
    import debtdesk.services.demo_people as people

    digest = hashlib.sha1(usedforsecurity=False)
    for module in (demo, people):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:12]


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table (the big ones) of a built caseload."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "accounts",
                "invoices",
                "ledger_entries",
                "allocations",
                "financial_assessments",
                "care_packages",
                "representatives",
                "mandates",
            )
        }


def write_floor(source: Path, scratch: Path) -> float:
    """Seconds to write every row of ``source`` into an empty copy of its schema by hand.

    The floor of the demo build: the same tables, indexes and rows, written with
    ``executemany`` in one transaction under the pragmas debtdesk uses (WAL, synchronous
    NORMAL, foreign keys on). Only the inserts are timed, not reading the source.
    """
    _remove(scratch)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(scratch, isolation_level=None)
    try:
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA synchronous=NORMAL")
        dst.execute("PRAGMA foreign_keys=ON")
        schema = src.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).fetchall()
        for kind, _name, sql in schema:
            if kind in ("table", "index"):
                dst.execute(sql)
        tables = [name for kind, name, _sql in schema if kind == "table"]
        elapsed = 0.0
        dst.execute("BEGIN")
        for table in tables:
            cursor = src.execute(f"SELECT * FROM {table} ORDER BY rowid")  # noqa: S608
            width = len(cursor.description)
            insert = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"  # noqa: S608
            while rows := cursor.fetchmany(20_000):
                started = time.perf_counter()
                dst.executemany(insert, rows)
                elapsed += time.perf_counter() - started
        started = time.perf_counter()
        dst.execute("COMMIT")
        elapsed += time.perf_counter() - started
        return elapsed
    finally:
        src.close()
        dst.close()
        _remove(scratch)


def build(out: Path, accounts: int, log: Any = print) -> dict[str, Any]:
    """Build ``caseload-N.sqlite`` afresh with ``build_demo`` and record how long it took."""
    from debtdesk.services.database import open_database
    from debtdesk.services.demo import build_demo

    out.mkdir(parents=True, exist_ok=True)
    final = database_path(out, accounts)
    partial = final.with_name(final.name + ".partial")
    _remove(partial)
    log(f"building {final} ({accounts:,} accounts, seed {SEED}, as of {AS_OF})…")
    revision, demo_source, load = _git_revision(), _demo_source(), os.getloadavg()
    started = time.perf_counter()
    db = open_database(str(partial), actor="bench")
    migrated = time.perf_counter()
    result = build_demo(db, accounts=accounts, seed=SEED, as_of=AS_OF)
    finished = time.perf_counter()
    db.close()
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    log(f"  built in {finished - migrated:,.1f} s; timing the floor (plain sqlite3 inserts)…")
    floor = write_floor(partial, out / f"floor-{accounts}.sqlite")
    _remove(final)
    partial.rename(final)
    for suffix in ("-wal", "-shm"):
        leftover = Path(f"{partial}{suffix}")
        if leftover.exists():
            leftover.rename(Path(f"{final}{suffix}"))
    meta: dict[str, Any] = {
        "accounts": accounts,
        "seed": SEED,
        "as_of": AS_OF.isoformat(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "debtdesk_revision": revision,
        "demo_source_sha1": demo_source,
        "load_average_at_start": [round(x, 2) for x in load],
        "open_database_seconds": round(migrated - started, 3),
        "build_seconds": round(finished - migrated, 3),
        "write_floor_seconds": round(floor, 3),
        "entries": result.entries,
        "balance_total": result.balance_total,
        "rows": row_counts(final),
        "file_bytes": final.stat().st_size,
    }
    meta_path(out, accounts).write_text(json.dumps(meta, indent=2) + "\n")
    log(f"  floor {floor:,.1f} s; {meta['file_bytes'] / 1e6:,.0f} MB")
    return meta


def ensure(out: Path, accounts: int, rebuild: bool = False, log: Any = print) -> dict[str, Any]:
    """The cached caseload's record, building it first if missing (or if asked to)."""
    path, meta_file = database_path(out, accounts), meta_path(out, accounts)
    if not rebuild and path.exists() and meta_file.exists():
        meta: dict[str, Any] = json.loads(meta_file.read_text())
        if meta.get("accounts") == accounts and meta.get("seed") == SEED:
            log(f"reusing {path} (built {meta['built_at']} in {meta['build_seconds']:,.1f} s)")
            if meta.get("demo_source_sha1") != _demo_source():
                log("  note: the demo's code has changed since; --rebuild to time the new one")
            return meta
    return build(out, accounts, log)


if __name__ == "__main__":  # python -m bench.build N: build one caseload (e.g. in the background)
    import sys

    for size in (arg for arg in sys.argv[1:] if arg.isdigit()):
        ensure(Path("bench/out"), int(size), rebuild="--rebuild" in sys.argv)
