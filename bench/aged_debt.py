"""The aged debt workbook at county size, beside writing the same cells with openpyxl alone.

Issue 8 asks for aged debt for the 100,000-account caseload within 1.3× of a floor:
"writing the same rows and cells straight with openpyxl write-only mode, no database".

* **The copy.** The cached ``caseload-N.sqlite`` is copied (SQLite's backup API) once to
  ``aged-debt-N.sqlite`` and opened with ``open_database``, which migrates it (the cache
  may be older than the schema); the migration's backup of the copy is deleted. The copy
  is kept and reused (``--fresh`` copies it again); the report only reads it.
* **The report**: ``Reports(db).write("aged-debt", path, 2026-11-23)`` timed from the call
  to its return: the queries, building the rows, writing and renaming the file.
* **The floor**: the workbook the report wrote, cell for cell, materialised from the built
  :class:`~debtdesk.reports.report.Report` before any timing (money already as the
  ``Decimal`` pounds a cell holds, text already made safe, totals rows as their formula
  text, each cell's number format and bold), then written into a write-only
  ``Workbook`` with nothing else: the same sheets (the cover too), column widths, frozen
  panes and filters, and per cell its value, number format and font. Two ways are timed
  and the faster is the floor: ``public`` sets ``number_format``/``font`` on a
  ``WriteOnlyCell`` (openpyxl's documented way); ``shared`` gives every cell of one format
  the same style array (what a careful writer does). Unstyled text and ints go in as
  plain values.
* The runs alternate report and floors ``--repeat`` times (default 3) after one untimed
  warm-up report (its time is in the JSON as ``first_run_s``); the ratio is the median
  report over the median floor. ``--profile`` adds one report run under cProfile and
  prints its hotspots.

``python -m bench.aged_debt [N] [--repeat 3] [--fresh] [--profile] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from bench import build
from bench.report import Measurement, table, write_json
from bench.statements import copy_database

AS_OF = date(2026, 11, 23)
MAX_RATIO = 1.3
NAME = "aged-debt"


def prepare(out: Path, size: int, fresh: bool = False, log: Any = print) -> Path:
    """The migrated copy of the size's caseload the report reads; its path."""
    from debtdesk.services.database import open_database

    build.ensure(out, size, log=log)
    copy = out / f"aged-debt-{size}.sqlite"
    if fresh or not copy.exists():
        started = time.perf_counter()
        copy_database(build.database_path(out, size), copy)
        log(f"  copied the cache to {copy} in {time.perf_counter() - started:,.1f} s")
    started = time.perf_counter()
    db = open_database(str(copy), actor="bench")
    migration = db.migration
    db.close()
    if migration.backup is not None:
        Path(migration.backup).unlink(missing_ok=True)
        log(
            f"  migrated {migration.from_revision} -> {migration.to_revision} in "
            f"{time.perf_counter() - started:,.1f} s"
        )
    return copy


@dataclass(frozen=True)
class FloorCell:
    value: Any
    number_format: str | None  # None: General
    bold: bool = False
    quoted: bool = False  # text with Excel's quote prefix (it would read as a formula)
    formula: bool = False


@dataclass(frozen=True)
class FloorSheet:
    title: str
    widths: dict[str, float]
    freeze: str | None
    filter_ref: str | None
    rows: list[list[FloorCell | None]]


def materialise(path: Path) -> list[FloorSheet]:
    """Every cell of the workbook the report wrote: value, number format and bold.

    Read back (normal mode) from the report's own file, so the floor writes exactly its
    cells; money comes back as float and is turned into the Decimal pounds the report
    wrote (from its pence), dates stay datetimes as openpyxl writes a date cell.
    """
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        rows: list[list[FloorCell | None]] = []
        for row in ws.iter_rows():
            cells: list[FloorCell | None] = []
            for cell in row:
                value = cell.value
                if value is None:
                    cells.append(None)
                    continue
                if isinstance(value, float):
                    value = Decimal(round(value * 100)).scaleb(-2)
                fmt = cell.number_format if cell.number_format != "General" else None
                bold = bool(cell.font and cell.font.b)
                quoted = bool(cell.quotePrefix)
                cells.append(FloorCell(value, fmt, bold, quoted, cell.data_type == "f"))
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        filter_ref = ws.auto_filter.ref or None
        sheets.append(FloorSheet(ws.title, widths, ws.freeze_panes, filter_ref, rows))
    return sheets


def write_floor(sheets: list[FloorSheet], path: Path, how: str) -> None:
    """The materialised cells written with openpyxl alone (``public`` or ``shared`` styles)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.styles.cell_style import StyleArray

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    templates: dict[tuple[str | None, bool, bool], Any] = {}
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        for letter, width in sheet.widths.items():
            ws.column_dimensions[letter].width = width
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        if sheet.filter_ref:
            ws.auto_filter.ref = sheet.filter_ref
        for row in sheet.rows:
            out: list[Any] = []
            for c in row:
                if c is None:
                    out.append(None)
                elif c.number_format is None and not (c.bold or c.quoted or c.formula):
                    out.append(c.value)
                elif how == "public":
                    cell = WriteOnlyCell(ws, c.value)
                    if c.number_format:
                        cell.number_format = c.number_format
                    if c.bold:
                        cell.font = bold
                    if c.quoted:
                        cell.quotePrefix = True
                    _text(cell, c)
                    out.append(cell)
                else:
                    key = (c.number_format, c.bold, c.quoted)
                    template = templates.get(key)
                    if template is None:
                        template = WriteOnlyCell(ws)
                        if c.number_format:
                            template.number_format = c.number_format
                        if c.bold:
                            template.font = bold
                        template.quotePrefix = c.quoted
                        templates[key] = template
                    cell = WriteOnlyCell(ws, c.value)
                    cell._style = StyleArray(template._style)
                    _text(cell, c)
                    out.append(cell)
            ws.append(out)
    book.save(path)


def _text(cell: Any, c: FloorCell) -> None:
    """Text that reads like a formula stays text (as the report writes it)."""
    if c.quoted:
        cell._value, cell.data_type = c.value, "s"


def _timed(call: Callable[[], object], cpu: list[float]) -> float:
    """Run ``call``; its wall time, with its CPU time (this process) added to ``cpu``."""
    wall, used = time.perf_counter(), time.process_time()
    call()
    cpu.append(time.process_time() - used)
    return time.perf_counter() - wall


def _profile(db: Any, path: Path) -> str:
    from debtdesk.services.reporting.runs import Reports

    profiler = cProfile.Profile()
    profiler.enable()
    Reports(db).write(NAME, path, AS_OF)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(35)
    text.write("\n")
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    return text.getvalue()


def measure(
    out: Path,
    size: int,
    repeat: int = 3,
    *,
    fresh: bool = False,
    profile: bool = False,
    log: Any = print,
) -> list[Measurement]:
    """The aged debt workbook of the size's caseload, timed beside its floor."""
    from debtdesk.services.database import open_database
    from debtdesk.services.reporting.runs import Reports

    copy = prepare(out, size, fresh, log)
    folder = out / f"aged-debt-{size}"
    folder.mkdir(exist_ok=True)
    target = folder / "aged-debt.xlsx"
    db = open_database(str(copy), actor="bench")
    try:
        reports = Reports(db)
        started = time.perf_counter()
        report, _ = reports.write(NAME, target, AS_OF)
        first = time.perf_counter() - started
        log(f"  first run (untimed warm-up) {first:,.1f} s: {report.text}")
        started = time.perf_counter()
        reports.build(NAME, AS_OF)
        build_s = time.perf_counter() - started
        sheets = materialise(target)
        cells = sum(1 for s in sheets for r in s.rows for c in r if c is not None)
        log(f"  build only {build_s:,.2f} s; {report.row_count:,} rows, {cells:,} cells")
        runs: list[float] = []
        floors: dict[str, list[float]] = {"public": [], "shared": []}
        cpu: dict[str, list[float]] = {"report": [], "public": [], "shared": []}
        for n in range(repeat):
            runs.append(_timed(lambda: reports.write(NAME, target, AS_OF), cpu["report"]))
            for how, samples in floors.items():
                floor = partial(write_floor, sheets, folder / f"floor-{how}.xlsx", how)
                samples.append(_timed(floor, cpu[how]))
            log(
                f"  run {n + 1}: report {runs[-1]:,.2f} s; floor public "
                f"{floors['public'][-1]:,.2f} s, shared {floors['shared'][-1]:,.2f} s "
                f"(CPU {cpu['report'][-1]:,.2f}, {cpu['public'][-1]:,.2f}, "
                f"{cpu['shared'][-1]:,.2f} s)"
            )
        if profile:
            print(_profile(db, folder / "profiled.xlsx"))
    finally:
        db.close()
    best = min(floors, key=lambda how: statistics.median(floors[how]))
    details = {
        "as_of": AS_OF.isoformat(),
        "rows": report.row_count,
        "accounts": report.summary["accounts"],
        "cells": cells,
        "first_run_s": round(first, 3),
        "build_only_s": round(build_s, 3),
        "floor_medians_s": {h: round(statistics.median(v), 3) for h, v in floors.items()},
        "cpu_medians_s": {k: round(statistics.median(v), 3) for k, v in cpu.items()},
        "floor": best,
        "file_bytes": target.stat().st_size,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    ratio = statistics.median(runs) / statistics.median(floors[best])
    return [
        Measurement(
            "aged debt workbook",
            size,
            [s * 1000 for s in runs],
            [s * 1000 for s in floors[best]],
            max_ratio=MAX_RATIO,
            note=(
                f"Reports.write('aged-debt', as at {AS_OF:%d/%m/%Y}): {report.row_count:,} "
                f"rows, {cells:,} cells, {ratio:.2f}× the floor ({best} styles; build alone "
                f"{build_s:,.1f} s)"
            ),
            details=details,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.aged_debt")
    parser.add_argument("size", nargs="?", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="copy the cached caseload again")
    parser.add_argument("--profile", action="store_true", help="add a run under cProfile")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    started = datetime.now().astimezone()
    results = measure(
        args.out, args.size, args.repeat, fresh=args.fresh, profile=args.profile,
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )  # fmt: skip
    print(table(results))
    for m in results:
        print(f"  {m.note}")
    if args.json:
        write_json(args.json, results, {"started_at": started.isoformat(timespec="seconds")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
