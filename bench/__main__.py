"""``python -m bench``: build or reuse the caseloads, measure, print a table, write JSON.

Options: ``--sizes 25000,100000``, ``--out bench/out`` (the cached databases),
``--rebuild``, ``--json PATH``, ``--repeat N`` (timed calls per measurement),
``--gui-repeat N`` (fresh GUI processes per size), ``--skip-gui``, ``--binary PATH`` (the
GUI start of a built bundle, e.g. ``dist/debtdesk/debtdesk``, in place of this source),
``--statement-sizes 25000`` (the sizes the statement run is timed at), ``--skip-statements``,
``--money-in-sizes 25000`` (the sizes the ARUDD and bank imports are timed at), ``--skip-money-in``,
``--aged-debt-sizes 100000`` (the sizes the aged debt workbook is timed at), ``--skip-aged-debt``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import aged_debt, build, caseload, gui_start, money_in, statements
from bench.report import Measurement, table, write_json


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of whole numbers") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be whole numbers of at least 1")
    return sizes


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number of at least 1")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of debtdesk at county size, beside their floors (bench/README.md).",
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=[25_000, 100_000], help="accounts, comma-separated"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("bench/out"), help="where the databases are cached"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the databases afresh")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--repeat", type=_positive, default=20, help="timed calls (default 20)")
    parser.add_argument(
        "--gui-repeat", type=_positive, default=10, help="GUI processes per size (default 10)"
    )
    parser.add_argument("--skip-gui", action="store_true", help="no GUI start or memory")
    parser.add_argument(
        "--binary", type=Path, help="time the GUI start of a built bundle's program instead"
    )
    parser.add_argument(
        "--statement-sizes",
        type=_sizes,
        default=[25_000],
        help="of --sizes, those the statement run is timed at (default 25000)",
    )
    parser.add_argument(
        "--skip-statements", action="store_true", help="no statement run or its floors"
    )
    parser.add_argument(
        "--money-in-sizes",
        type=_sizes,
        default=[25_000],
        help="of --sizes, those the ARUDD and bank CSV imports are timed at (default 25000)",
    )
    parser.add_argument("--skip-money-in", action="store_true", help="no ARUDD or bank import")
    parser.add_argument(
        "--aged-debt-sizes",
        type=_sizes,
        default=[100_000],
        help="of --sizes, those the aged debt workbook is timed at (default 100000)",
    )
    parser.add_argument("--skip-aged-debt", action="store_true", help="no aged debt workbook")
    return parser


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_measurement(meta: dict[str, object]) -> Measurement:
    seconds = float(meta["build_seconds"])  # type: ignore[arg-type]
    floor = meta.get("write_floor_seconds")
    return Measurement(
        "demo build",
        int(meta["accounts"]),  # type: ignore[call-overload]
        [seconds * 1000],
        None if floor is None else [float(floor) * 1000],  # type: ignore[arg-type]
        note=f"one build, {meta['built_at']}; floor = the same rows by sqlite3 executemany",
        details=dict(meta),
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from debtdesk.services.database import open_database

    results: list[Measurement] = []
    started = datetime.now(UTC)
    loads: list[dict[str, float]] = []
    for size in args.sizes:
        _log(f"== {size:,} accounts (load average {os.getloadavg()[0]:.2f})")
        loads.append({"size": size, "before": round(os.getloadavg()[0], 2)})
        meta = build.ensure(args.out, size, rebuild=args.rebuild, log=_log)
        results.append(build_measurement(meta))
        path = build.database_path(args.out, size)
        db = open_database(str(path), actor="bench")
        try:
            results += caseload.measure(db, path, size, args.repeat, log=_log)
        finally:
            db.close()
        if not args.skip_gui:
            results += gui_start.measure(path, size, args.gui_repeat, _log, args.binary)
        if not args.skip_statements and size in args.statement_sizes:
            results += statements.measure(args.out, size, log=_log)
        if not args.skip_money_in and size in args.money_in_sizes:
            results += money_in.measure(args.out, size, log=_log)
        if not args.skip_aged_debt and size in args.aged_debt_sizes:
            results += aged_debt.measure(args.out, size, min(args.repeat, 3), log=_log)
        loads[-1]["after"] = round(os.getloadavg()[0], 2)

    print(table(results))
    print("\nnotes:")
    for m in results:
        if m.note:
            print(f"  {m.name} @ {m.size:,}: {m.note}")
        breakdown = m.details.get("median_ms_since_process_start")
        if breakdown:
            steps = ", ".join(f"{k.replace('_', ' ')} {v:,.0f}" for k, v in breakdown.items())
            print(f"    median ms since process start: {steps}")
        stages = m.details.get("stages_ms")
        if stages:
            steps = ", ".join(f"{k} {v / 1000:,.1f} s" for k, v in stages.items())
            print(f"    stages: {steps}")
    failed = [m for m in results if m.passed is False]
    print(f"\n{len(failed)} of {sum(m.passed is not None for m in results)} targets missed.")
    if args.json:
        write_json(
            args.json,
            results,
            {
                "started_at": started.isoformat(timespec="seconds"),
                "sizes": args.sizes,
                "repeat": args.repeat,
                "gui_repeat": args.gui_repeat,
                "statement_sizes": [] if args.skip_statements else args.statement_sizes,
                "money_in_sizes": [] if args.skip_money_in else args.money_in_sizes,
                "aged_debt_sizes": [] if args.skip_aged_debt else args.aged_debt_sizes,
                "targets": "time targets: p95 under the limit; floor targets: median ratio",
                "load_average_1min": loads,
            },
        )
        print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
