"""Money in at county size: an ARUDD and a bank statement imported, beside parsing them alone.

Issue 4 asks for an ARUDD of 5,000 returns and a bank CSV of 50,000 receipts imported
into the 25,000-account caseload, within 3× of the floor of parsing the same files.

The cached caseload is copied (SQLite's backup API) to ``money-in-N-base.sqlite`` and
the council's Bacs service user number and bank account are set there (as the demo
sets them; set again in case an older cache lacks them). The two files are made from
that copy's own rows by :mod:`bench.money_in_files` (seeded, so every run imports the
same bytes) and kept in ``money-in-N/``.

* **Floor**: ``read_bacs_report(bytes, name)`` and ``parse_bank_csv(bytes, name,
  PROFILES["generic"])`` on the bytes already in memory, best of ``--repeat`` (3).
* **Import**: per run, the base is copied afresh to ``money-in-N.sqlite`` (so the runs
  are independent and the cache never holds an import), the database opened (not
  timed), then ``BacsImports(db).apply(arudd)`` and ``BankImports(db).apply(csv,
  "generic")`` are each timed from the call to its return: reading and parsing the file,
  matching, posting, allocating, recording the items and committing.
* After the last run's imports, ``debtdesk check`` is run on that copy, and timed.
* **Write floor** (:mod:`bench.money_in_floor`), from the last run: the rows each import
  wrote, written again into the database as it was before it with the raw driver and
  committed. It is reported beside the issue's ratio: it is what any implementation must
  spend on top of parsing, so the import over (parse + write floor) is the overhead that
  is the code's own.

The ratio is the median import over the best parse. ``--profile`` adds one more run on a
fresh copy under cProfile and prints each import's hotspots (file:line), keeping the
``.prof`` files beside the copy.
"""

from __future__ import annotations

import cProfile
import gc
import io
import os
import pstats
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import build, money_in_files, money_in_floor
from bench.report import Measurement
from bench.statements import copy_database

MAX_RATIO = 3.0
SETTINGS = {
    "bacs.service_user_number": "418276",
    "bank.sort_code": "309634",
    "bank.account_number": "41872956",
}


def prepare(out: Path, size: int, log: Any = print) -> Path:
    """A copy of the size's caseload with the council's Bacs and bank settings; its path."""
    from debtdesk.services.database import open_database
    from debtdesk.services.settings import Settings

    source = build.database_path(out, size)
    base = out / f"money-in-{size}-base.sqlite"
    log(f"  money in: copying {source.name} to {base.name}…")
    copy_database(source, base)
    db = open_database(str(base), actor="bench")  # migrates an older cache
    try:
        settings = Settings(db)
        for key, value in SETTINGS.items():
            if settings.get(key) != value:
                settings.set(key, value)
    finally:
        db.close()
    with sqlite3.connect(base) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        collected = conn.execute(
            "SELECT count(*) FROM collections WHERE status = 'collected'"
        ).fetchone()[0]
    if collected < money_in_files.ARUDD_ITEMS:
        raise RuntimeError(
            f"{source} has {collected:,} collected direct debits, fewer than the "
            f"{money_in_files.ARUDD_ITEMS:,} returns wanted: it was built before the demo "
            f"recorded collections; rebuild it (python -m bench.build {size} --rebuild)"
        )
    return base


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def parse_floor(arudd: Path, bank: Path, repeat: int) -> dict[str, Any]:
    """Seconds to parse each file from bytes in memory, every sample, and what was read."""
    from debtdesk.importers.bacs_reports import AruddReport, read_bacs_report
    from debtdesk.importers.bank_statement import PROFILES, parse_bank_csv

    arudd_bytes, bank_bytes = arudd.read_bytes(), bank.read_bytes()
    arudd_samples, bank_samples = [], []
    report: Any = None
    statement: Any = None
    for _ in range(repeat):
        seconds, (report, problems) = _timed(lambda: read_bacs_report(arudd_bytes, arudd.name))
        if problems or not isinstance(report, AruddReport):
            raise RuntimeError(f"{arudd.name} refused: {problems[:5]}")
        arudd_samples.append(seconds)
        seconds, statement = _timed(
            lambda: parse_bank_csv(bank_bytes, bank.name, PROFILES["generic"])
        )
        bank_samples.append(seconds)
    return {
        "arudd": arudd_samples,
        "bank": bank_samples,
        "arudd_items": len(report.items),
        "bank_receipts": len(statement.receipts),
        "bank_debits": len(statement.debits),
    }


def import_once(
    base: Path,
    scratch: Path,
    arudd: Path,
    bank: Path,
    *,
    check_after: bool = False,
    middle: Path | None = None,
) -> dict[str, Any]:
    """Both imports on a fresh copy of ``base``: their seconds and results (and the check's).

    Args:
        middle: where to copy the database between the two imports (untimed), for the
            write floor.
    """
    from debtdesk.services.bacs_import import BacsImports
    from debtdesk.services.bank_import import BankImports
    from debtdesk.services.check import check
    from debtdesk.services.database import open_database

    copy_database(base, scratch)
    db = open_database(str(scratch), actor="bench")
    try:
        arudd_seconds, bacs = _timed(lambda: BacsImports(db).apply(arudd))
        if middle is not None:
            copy_database(scratch, middle)
        bank_seconds, receipts = _timed(lambda: BankImports(db).apply(bank, "generic"))
        found: dict[str, Any] = {
            "arudd_seconds": arudd_seconds,
            "bank_seconds": bank_seconds,
            "bacs": bacs,
            "bank": receipts,
        }
        if check_after:
            found["check_seconds"], found["check"] = _timed(lambda: check(db))
        return found
    finally:
        db.close()


def profile_once(
    base: Path, scratch: Path, arudd: Path, bank: Path, top: int = 25, log: Any = print
) -> dict[str, str]:
    """One more run on a fresh copy under cProfile: each import's hotspots, as text."""
    from debtdesk.services.bacs_import import BacsImports
    from debtdesk.services.bank_import import BankImports
    from debtdesk.services.database import open_database

    copy_database(base, scratch)
    db = open_database(str(scratch), actor="bench")
    texts: dict[str, str] = {}
    try:
        calls: dict[str, Callable[[], Any]] = {
            "arudd": lambda: BacsImports(db).apply(arudd),
            "bank": lambda: BankImports(db).apply(bank, "generic"),
        }
        for name, call in calls.items():
            profiler = cProfile.Profile()
            gc.collect()
            profiler.runcall(call)
            saved = scratch.with_name(f"{scratch.stem}-{name}.prof")
            profiler.dump_stats(saved)
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(top)
            stats.sort_stats("cumulative").print_stats(top)
            texts[name] = buffer.getvalue()
            log(f"  profile of the {name} import ({saved}):\n{texts[name]}")
    finally:
        db.close()
    return texts


def measure(
    out: Path,
    size: int,
    runs: int = 3,
    repeat: int = 3,
    profile: bool = False,
    log: Any = print,
) -> list[Measurement]:
    """The two imports on fresh copies of the size's caseload, beside parsing their files."""
    base = prepare(out, size, log)
    folder = out / f"money-in-{size}"
    scratch = out / f"money-in-{size}.sqlite"
    middle = out / f"money-in-{size}-after-arudd.sqlite"
    floor_scratch = out / f"money-in-{size}-write-floor.sqlite"
    arudd = money_in_files.write_arudd(base, folder / "arudd.xml")
    bank = money_in_files.write_bank_csv(base, folder / "bank.csv", build.AS_OF)
    log(
        f"  ARUDD {arudd.path} ({arudd.path.stat().st_size / 1e6:,.1f} MB): {arudd.items:,} "
        f"returns of {arudd.window} collections {arudd.earliest}…{arudd.latest}, "
        f"report {arudd.report_date}, codes {arudd.codes}"
    )
    log(
        f"  bank CSV {bank.path} ({bank.path.stat().st_size / 1e6:,.1f} MB): {bank.rows:,} "
        f"credits, {bank.kinds}"
    )
    floor = parse_floor(arudd.path, bank.path, repeat)
    log(
        f"  parse only, best of {repeat}: ARUDD {min(floor['arudd']) * 1000:,.0f} ms, "
        f"bank CSV {min(floor['bank']) * 1000:,.0f} ms"
    )
    load_before = os.getloadavg()
    found: list[dict[str, Any]] = []
    for run in range(1, runs + 1):
        log(f"  import run {run} of {runs} on a fresh copy ({scratch.name})…")
        last_run = run == runs
        found.append(
            import_once(
                base,
                scratch,
                arudd.path,
                bank.path,
                check_after=last_run,
                middle=middle if last_run else None,
            )
        )
        last = found[-1]
        log(
            f"    ARUDD {last['arudd_seconds']:,.2f} s ({last['bacs'].applied:,} applied, "
            f"{last['bacs'].unmatched:,} unmatched); bank {last['bank_seconds']:,.2f} s "
            f"({last['bank'].matched:,} matched, {last['bank'].suspense:,} to suspense)"
        )
    load_after = os.getloadavg()
    last = found[-1]
    checked = last["check"]
    log(
        f"    debtdesk check after the imports: {'ok' if checked.ok else checked.problems[:5]} "
        f"in {last['check_seconds']:,.1f} s"
    )
    log("  write floor: the rows each import wrote, written again by the raw driver…")
    arudd_write = money_in_floor.measure(base, middle, floor_scratch)
    bank_write = money_in_floor.measure(middle, scratch, floor_scratch)
    for name, write in (("ARUDD", arudd_write), ("bank", bank_write)):
        log(
            f"    {name}: {write.seconds * 1000:,.0f} ms to insert {write.inserted} "
            f"and update {write.updated}"
        )
    hotspots: dict[str, str] = {}
    if profile:
        hotspots = profile_once(base, scratch, arudd.path, bank.path, log=log)

    arudd_ms = [r["arudd_seconds"] * 1000 for r in found]
    bank_ms = [r["bank_seconds"] * 1000 for r in found]
    arudd_floor, bank_floor = min(floor["arudd"]) * 1000, min(floor["bank"]) * 1000
    shared: dict[str, Any] = {
        "runs": runs,
        "parse_repeat": repeat,
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "scratch": str(scratch),
        "check_ok": checked.ok,
        "check_problems": list(checked.problems[:20]),
        "check_ms": round(last["check_seconds"] * 1000, 1),
    }
    bacs = last["bacs"]
    receipts = last["bank"]
    arudd_row = Measurement(
        "ARUDD import",
        size,
        arudd_ms,
        [arudd_floor],
        max_ratio=MAX_RATIO,
        note=(
            f"{bacs.items:,} returns ({arudd.window} collections): {bacs.applied:,} applied, "
            f"{bacs.unmatched:,} unmatched; import {statistics.median(arudd_ms) / 1000:,.2f} s "
            f"(median of {runs}), parse {arudd_floor:,.0f} ms (best of {repeat}): "
            f"{statistics.median(arudd_ms) / arudd_floor:,.1f}×; "
            + _beside_write(statistics.median(arudd_ms), arudd_floor, arudd_write)
        ),
        details={
            **shared,
            "file": str(arudd.path),
            "file_bytes": arudd.path.stat().st_size,
            "items": bacs.items,
            "applied": bacs.applied,
            "unmatched": bacs.unmatched,
            "total_pence": bacs.total,
            "report_date": arudd.report_date.isoformat(),
            "collections": {
                "chosen_from": arudd.window,
                "earliest_processing_date": arudd.earliest.isoformat(),
                "latest_processing_date": arudd.latest.isoformat(),
            },
            "return_codes": arudd.codes,
            "import_ms": [round(ms, 1) for ms in arudd_ms],
            "parse_ms": [round(s * 1000, 1) for s in floor["arudd"]],
            "write_floor_ms": round(arudd_write.seconds * 1000, 1),
            "write_floor_rows": {"inserted": arudd_write.inserted, "updated": arudd_write.updated},
            "hotspots": hotspots.get("arudd"),
        },
    )
    bank_row = Measurement(
        "bank CSV import",
        size,
        bank_ms,
        [bank_floor],
        max_ratio=MAX_RATIO,
        note=(
            f"{receipts.items:,} credits: {receipts.matched:,} matched, "
            f"{receipts.suspense:,} to suspense; import "
            f"{statistics.median(bank_ms) / 1000:,.2f} s (median of {runs}), parse "
            f"{bank_floor:,.0f} ms (best of {repeat}): "
            f"{statistics.median(bank_ms) / bank_floor:,.1f}×; "
            + _beside_write(statistics.median(bank_ms), bank_floor, bank_write)
        ),
        details={
            **shared,
            "file": str(bank.path),
            "file_bytes": bank.path.stat().st_size,
            "rows": bank.rows,
            "kinds_generated": bank.kinds,
            "receipts": receipts.items,
            "matched": receipts.matched,
            "suspense": receipts.suspense,
            "total_pence": receipts.total,
            "import_ms": [round(ms, 1) for ms in bank_ms],
            "parse_ms": [round(s * 1000, 1) for s in floor["bank"]],
            "write_floor_ms": round(bank_write.seconds * 1000, 1),
            "write_floor_rows": {"inserted": bank_write.inserted, "updated": bank_write.updated},
            "hotspots": hotspots.get("bank"),
        },
    )
    check_row = Measurement(
        "check after money in",
        size,
        [last["check_seconds"] * 1000],
        note=f"debtdesk check on the copy after both imports: "
        f"{'ok' if checked.ok else f'{len(checked.problems)} problems'}; no target",
        details={"check_ok": checked.ok, "check_problems": list(checked.problems[:20])},
    )
    return [arudd_row, bank_row, check_row]


def _beside_write(import_ms: float, parse_ms: float, write: money_in_floor.WriteFloor) -> str:
    write_ms = write.seconds * 1000
    return (
        f"write floor {write_ms:,.0f} ms, so parse + write alone is "
        f"{(parse_ms + write_ms) / parse_ms:,.1f}× the parse floor and the import is "
        f"{import_ms / (parse_ms + write_ms):,.1f}× parse + write"
    )


if __name__ == "__main__":  # python -m bench.money_in [N] [--runs R] [--repeat K] [--profile]
    import argparse
    import json
    import sys

    from bench.report import table

    parser = argparse.ArgumentParser(prog="python -m bench.money_in", description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[25_000], help="accounts")
    parser.add_argument("--runs", type=int, default=3, help="import runs (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="parses, best taken (default 3)")
    parser.add_argument("--profile", action="store_true", help="one more run under cProfile")
    parser.add_argument("--rebuild", action="store_true", help="build the caseload afresh")
    args = parser.parse_args()

    def _log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    found_rows: list[Measurement] = []
    for n in args.sizes:
        build.ensure(Path("bench/out"), n, rebuild=args.rebuild, log=_log)
        found_rows += measure(
            Path("bench/out"), n, args.runs, args.repeat, profile=args.profile, log=_log
        )
    print(table(found_rows))
    for m in found_rows:
        print(f"  {m.name} @ {m.size:,}: {m.note}")
    print(json.dumps([m.as_json() for m in found_rows], indent=2, default=str))
