"""Service calls beside their floors: the caseload's first page, search, opening an account.

Each call is what the GUI does: the caseload model's first load is ``Caseload.count`` then
``Caseload.page(query, 0, 200)`` on a worker; the account window's load is
``Accounts.detail_by_id``. The call is made once to warm up and capture its SQL, then the
call and its replay through plain ``sqlite3`` alternate ``repeat`` times.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bench.report import Measurement
from bench.sql import Floor, Statement, capture
from debtdesk.services.accounts import Accounts
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database

PAGE = 200  # the caseload model's page size (debtdesk.gui.caseload_model.PAGE_SIZE)
AS_OF = date(2026, 11, 23)
LIMIT_MS = 100.0
MAX_RATIO = 1.5
SEARCHES = (
    ("ashd", "a surname fragment (Ashdown): about 1 in 70"),
    ("patel", "matches nobody in the demo"),
    ("maureen delaney", "a first name and surname: a handful"),
    ("mrs", "a title: about a third of the caseload"),
)
ORDERS = (("reference", False, "by reference"), ("balance", True, "by balance desc"))
ACCOUNT_SAMPLE = 5


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(
    name: str,
    size: int,
    call: Callable[[], Any],
    db: Database,
    floor: Floor,
    repeat: int,
    details: dict[str, Any] | None = None,
) -> tuple[Measurement, Any]:
    """Time ``call`` and the replay of its SQL alternately; the measurement and a result."""
    with capture(db.engine) as statements:
        result = call()
    floor.run(statements)  # warm the floor's statement cache as the call warmed its own
    samples: list[float] = []
    floors: list[float] = []
    each: list[list[float]] = [[] for _ in statements]
    rows: list[int] = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(_ms(time.perf_counter() - started))
        total, times, rows = floor.run(statements)
        floors.append(_ms(total))
        for i, seconds in enumerate(times):
            each[i].append(_ms(seconds))
    measurement = Measurement(
        name,
        size,
        samples,
        floors,
        details={
            **(details or {}),
            "statements": [
                _describe(floor, statement, times, count)
                for statement, times, count in zip(statements, each, rows, strict=True)
            ],
        },
    )
    return measurement, result


def _describe(floor: Floor, statement: Statement, times: list[float], rows: int) -> dict[str, Any]:
    return {
        "sql": " ".join(statement.sql.split()),
        "parameters": [str(p) for p in statement.parameters],
        "rows": rows,
        "floor_median_ms": round(statistics.median(times), 3),
        "plan": floor.plan(statement),
    }


def first_page(caseload: Caseload, query: CaseloadQuery) -> Callable[[], tuple[int, int]]:
    """What the caseload model's first load runs: the count, then the first page."""

    def call() -> tuple[int, int]:
        return caseload.count(query), len(caseload.page(query, 0, PAGE))

    return call


def long_histories(path: Path, sample: int = ACCOUNT_SAMPLE) -> list[tuple[int, int]]:
    """(account id, ledger entries) of the accounts with the most entries."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT account_id, count(*) AS n FROM ledger_entries "
            "GROUP BY account_id ORDER BY n DESC, account_id LIMIT ?",
            (sample,),
        ).fetchall()


def measure(
    db: Database, path: Path, size: int, repeat: int, log: Any = print
) -> list[Measurement]:
    """The caseload and account measurements at one size."""
    caseload, accounts = Caseload(db), Accounts(db)
    floor = Floor(path)
    results: list[Measurement] = []
    try:
        for sort, descending, label in (ORDERS[1], ORDERS[0]):
            query = CaseloadQuery(sort=sort, descending=descending)
            m, (count, shown) = timed(
                f"first page {label}", size, first_page(caseload, query), db, floor, repeat
            )
            m.details.update(matching=count, rows=shown, query=repr(query))
            m.limit, m.max_ratio = LIMIT_MS, MAX_RATIO
            if sort == "reference":
                m.note = "the GUI's default order"
            results.append(m)
            log(f"  {m.name}: median {m.median:.2f} ms, floor {m.floor_median:.2f} ms")

        for text, why in SEARCHES:
            for sort, descending, label in ORDERS:
                query = CaseloadQuery(search=text, sort=sort, descending=descending)
                m, (count, shown) = timed(
                    f"search {text!r} {label}", size, first_page(caseload, query), db, floor, repeat
                )
                m.details.update(matching=count, rows=shown, query=repr(query))
                m.limit, m.max_ratio = LIMIT_MS, MAX_RATIO
                m.note = f"{why}: {count:,} match"
                results.append(m)
                log(f"  {m.name}: median {m.median:.2f} ms, floor {m.floor_median:.2f} ms")

        sample = long_histories(path)
        combined: Measurement | None = None
        per_account = []
        for account_id, _entries in sample:
            m, detail = timed(
                "open account",
                size,
                partial(accounts.detail_by_id, account_id, AS_OF),
                db,
                floor,
                repeat,
            )
            per_account.append(
                {
                    "account_id": account_id,
                    "reference": detail.reference,
                    "ledger_lines": len(detail.ledger),
                    "invoices": len(detail.invoices),
                    "median_ms": round(m.median, 3),
                    "p95_ms": round(m.p95, 3),
                    "floor_median_ms": round(m.floor_median or 0, 3),
                    "statements": m.details["statements"],
                }
            )
            if combined is None:
                combined = m
            else:
                combined.samples += m.samples
                assert combined.floor is not None and m.floor is not None
                combined.floor += m.floor
        assert combined is not None
        combined.name = f"open account (all tabs, {len(sample)} longest)"
        combined.limit = LIMIT_MS
        lines = [a["ledger_lines"] for a in per_account]
        combined.note = f"{min(lines)}–{max(lines)} ledger lines; ratio shown, no ratio target"
        combined.details = {"as_of": AS_OF.isoformat(), "accounts": per_account}
        results.append(combined)
        log(f"  {combined.name}: median {combined.median:.2f} ms")
    finally:
        floor.close()
    return results
