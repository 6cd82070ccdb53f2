"""The statement run at county size, beside its floor: the same pages painted straight to PDF.

The cached caseload is copied to a scratch file (SQLite's backup API, so a WAL the
cache may have is included) and ``StatementRuns(db).run(period_end, out)`` is timed once
for the period after the last run on record (the demo records one for the last complete
period as of its build date), with the time of each stage taken from the run's own
progress reports.

The floor is the same statements' HTML, read back from the ``documents`` table after
the run, painted into one PDF with nothing but Qt: a ``QPdfWriter`` (A4, 15 mm margins,
96 dpi), one ``QPainter``, and per page ``QTextDocument.drawContents`` with
``newPage`` between (TECH.md "PDF through Qt"), the shipped fonts registered and the
logo given to each document as the engine does. No database, no footer, no file per
statement. It runs in a fresh process; only the painting is timed, from opening the
writer to closing the file, not starting Python and Qt. The 2-process floor splits the
pages in two contiguous halves, each process writing its own PDF; both start together
once Qt is up in each, and the floor is the first start to the last finish.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import build
from bench.report import Measurement

MAX_RATIO = 1.5
BEFORE_FIRST_REPORT = "reading accounts (before the first report)"
AFTER_LAST_REPORT = "filing and commit (after the last report)"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` at ``target`` (WAL included), replacing what was there."""
    _remove(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=0)
    finally:
        src.close()
        dst.close()


def next_period_end(db: Any) -> date:
    """The end of the period after the last statement run on record.

    A caseload built before the demo recorded its last run has none: the period after
    the last complete one as of the build date, which is what the demo charged to.
    """
    from debtdesk.domain.periods import Period, last_complete_period
    from debtdesk.services.settings import period_anchor
    from debtdesk.services.statement_run import last_run

    with db.sessions() as session:
        anchor = period_anchor(session)
        last = last_run(session)
        if last is not None and last.as_of is not None:
            return Period(last.as_of).end  # a statement date is the next period's first day
    return Period(last_complete_period(build.AS_OF, anchor).end + timedelta(days=1)).end


@dataclass
class StageClock:
    """The run's progress reports as stage times: each stage ends at its last report.

    The time before the first report is a stage of its own (the run reads every account
    before it first reports "Charging accounts"), and so is the time after the last.
    """

    started: float = field(default_factory=time.perf_counter)
    order: list[str] = field(default_factory=list)
    first: float | None = None
    last: dict[str, float] = field(default_factory=dict)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first = now
        if stage not in self.last:
            self.order.append(stage)
        self.last[stage] = now

    def seconds(self, finished: float) -> dict[str, float]:
        """Seconds per stage, in the order first reported, with before and after."""
        previous = self.first if self.first is not None else finished
        spans: dict[str, float] = {BEFORE_FIRST_REPORT: previous - self.started}
        for stage in self.order:
            end = max(self.last[stage], previous)
            spans[stage] = end - previous
            previous = end
        spans[AFTER_LAST_REPORT] = finished - previous
        return spans


def _floor_worker(
    htmls: list[str],
    target: str,
    logo: str,
    barrier: Any,
    results: Any,
) -> None:
    """In a fresh process: paint ``htmls`` into ``target`` with nothing but Qt."""
    try:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QMarginsF, QRectF, QSizeF, QUrl
        from PySide6.QtGui import (
            QImage,
            QPageLayout,
            QPageSize,
            QPainter,
            QPdfWriter,
            QTextDocument,
        )

        from debtdesk.documents.pdf import LOGO_URL, ensure_qt

        ensure_qt()  # a QGuiApplication, and the shipped fonts registered as the engine does
        image = QImage(logo) if logo else QImage()
        barrier.wait()
        started = time.monotonic()
        writer = QPdfWriter(target)
        writer.setResolution(96)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        size = QSizeF(writer.pageLayout().paintRectPixels(96).size())
        width, height = size.width(), size.height()
        painter = QPainter(writer)
        pages = 0
        for html in htmls:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setPageSize(size)
            if not image.isNull():
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(LOGO_URL), image)
            doc.setHtml(html)
            for page in range(doc.pageCount()):
                if pages:
                    writer.newPage()
                top = page * height
                painter.save()
                painter.translate(0, -top)
                doc.drawContents(painter, QRectF(0, top, width, height))
                painter.restore()
                pages += 1
        painter.end()
        del painter, writer
        finished = time.monotonic()
        results.put(("ok", started, finished, pages))
    except BaseException as exc:  # the parent reports it
        results.put(("error", repr(exc), 0, 0))
        raise


@dataclass(frozen=True)
class FloorResult:
    seconds: float
    pages: int
    files: tuple[Path, ...]
    each_seconds: tuple[float, ...]


def floor(htmls: Sequence[str], logo: str, folder: Path, processes: int) -> FloorResult:
    """Paint ``htmls`` straight to PDF in ``processes`` fresh processes (contiguous halves)."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    size, extra = divmod(len(htmls), processes)
    bounds, start = [], 0
    for n in range(processes):
        stop = start + size + (1 if n < extra else 0)
        bounds.append((start, stop))
        start = stop
    files = tuple(folder / f"floor-{processes}p-{n}.pdf" for n in range(processes))
    workers = [
        context.Process(
            target=_floor_worker,
            args=(list(htmls[a:b]), str(files[n]), logo, barrier, results),
            name=f"bench-floor-{n}",
        )
        for n, (a, b) in enumerate(bounds)
    ]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=3600) for _ in workers]
    for worker in workers:
        worker.join()
    errors = [a for a in answers if a[0] != "ok"]
    if errors:
        raise RuntimeError(f"floor process failed: {errors[0][1]}")
    first = min(a[1] for a in answers)
    last = max(a[2] for a in answers)
    return FloorResult(
        last - first, sum(a[3] for a in answers), files, tuple(a[2] - a[1] for a in answers)
    )


def _stored_html(path: Path, batch_id: int) -> tuple[list[str], int, int]:
    """The run's statements' HTML in print order; their pages; the print file's pages."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT html_zlib, pages FROM documents WHERE batch_id = ? AND kind = 'statement' "
            "ORDER BY id",
            (batch_id,),
        ).fetchall()
        print_pages = conn.execute(
            "SELECT pages FROM documents WHERE batch_id = ? AND kind = 'print_file'", (batch_id,)
        ).fetchone()
    htmls = [zlib.decompress(blob).decode("utf-8") for blob, _ in rows]
    return htmls, sum(pages for _, pages in rows), int(print_pages[0]) if print_pages else 0


def _run_batch(path: Path, period_end: date) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT id FROM batches WHERE kind = 'statement_run' AND finished_at IS NOT NULL "
            "AND json_extract(parameters, '$.period_end') = ? ORDER BY id DESC LIMIT 1",
            (period_end.isoformat(),),
        ).fetchone()
    if row is None:
        raise RuntimeError(f"no finished statement run for {period_end} in {path}")
    return int(row[0])


def _pdf_pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else 0.0


def measure(out: Path, size: int, log: Any = print) -> list[Measurement]:
    """Time the statement run on a copy of the size's caseload, then its floors."""
    from debtdesk.services.check import check
    from debtdesk.services.database import open_database
    from debtdesk.services.documents import council
    from debtdesk.services.statement_run import StatementRuns

    source = build.database_path(out, size)
    scratch = out / f"statements-{size}.sqlite"
    documents = out / f"statements-{size}-documents"
    floors_folder = out / f"statements-{size}-floor"
    log(f"  statement run: copying {source.name} to {scratch.name}…")
    copy_database(source, scratch)
    shutil.rmtree(documents, ignore_errors=True)
    shutil.rmtree(floors_folder, ignore_errors=True)
    floors_folder.mkdir(parents=True)
    db = open_database(str(scratch), actor="bench")  # migrates an older cache: not timed
    try:
        period_end = next_period_end(db)
        with db.sessions() as session:
            logo = council(session).logo
        load_before = os.getloadavg()
        log(f"  statement run for the period ending {period_end} (load {load_before[0]:.2f})…")
        clock = StageClock()
        result = StatementRuns(db).run(period_end, documents, progress=clock)
        finished = time.perf_counter()
        load_after = os.getloadavg()
        run_seconds = finished - clock.started
        stages = clock.seconds(finished)
        log(
            f"    {result.issued:,} statements in {run_seconds:,.1f} s "
            f"({_per_second(result.issued, run_seconds):,.1f}/s): "
            + ", ".join(f"{k} {v:,.1f} s" for k, v in stages.items())
        )
        checked = check(db)
        log(f"    debtdesk check: {'ok' if checked.ok else checked.problems[:5]}")
    finally:
        db.close()
    batch_id = _run_batch(scratch, period_end)
    htmls, statement_pages, print_pages = _stored_html(scratch, batch_id)
    assert result.print_file is not None
    print_file_pages = _pdf_pages(result.print_file)
    log(
        f"    {len(htmls):,} statements' HTML read back; {statement_pages:,} pages issued, "
        f"print file {print_file_pages:,} pages"
    )
    log(f"  floor: {len(htmls):,} statements painted straight to PDF in 1 process…")
    one = floor(htmls, logo, floors_folder, 1)
    log(f"    {one.seconds:,.1f} s ({_per_second(len(htmls), one.seconds):,.1f}/s)")
    log("  floor: the same in 2 processes…")
    two = floor(htmls, logo, floors_folder, 2)
    log(f"    {two.seconds:,.1f} s ({_per_second(len(htmls), two.seconds):,.1f}/s)")
    count = result.issued
    rates = {
        "run": round(_per_second(count, run_seconds), 1),
        "floor_1_process": round(_per_second(count, one.seconds), 1),
        "floor_2_processes": round(_per_second(count, two.seconds), 1),
    }
    details: dict[str, Any] = {
        "period_end": period_end.isoformat(),
        "statements": count,
        "total_charged_pence": result.total_charged,
        "statements_per_second": rates,
        "stages_ms": {k: round(v * 1000, 1) for k, v in stages.items()},
        "pages": {
            "statements_issued": statement_pages,
            "print_file_recorded": print_pages,
            "print_file_counted": print_file_pages,
            "floor_1_process": one.pages,
            "floor_2_processes": two.pages,
        },
        "floor_2_processes_ms": round(two.seconds * 1000, 1),
        "floor_2_processes_each_ms": [round(s * 1000, 1) for s in two.each_seconds],
        "ratio_to_2_process_floor": round(run_seconds / two.seconds, 2),
        "check_ok": checked.ok,
        "check_problems": list(checked.problems[:20]),
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "workers": os.cpu_count(),
        "scratch": str(scratch),
        "out": str(result.out),
        "print_file": str(result.print_file),
    }
    note = (
        f"{count:,} statements: {rates['run']:,.0f}/s; floor {rates['floor_1_process']:,.0f}/s "
        f"in 1 process, {rates['floor_2_processes']:,.0f}/s in 2 "
        f"(ratio to that {run_seconds / two.seconds:.2f}×); "
        f"{print_file_pages:,} pages printed of {statement_pages:,} issued"
    )
    run = Measurement(
        "statement run",
        size,
        [run_seconds * 1000],
        [one.seconds * 1000],
        max_ratio=MAX_RATIO,
        note=note,
        details=details,
    )
    against_two = Measurement(
        "statement run vs 2-process floor",
        size,
        [run_seconds * 1000],
        [two.seconds * 1000],
        note="the same run against the floor painted in 2 processes; no target",
        details={"statements": count},
    )
    return [run, against_two]


if __name__ == "__main__":  # python -m bench.statements [N]: this measurement alone
    import json
    import sys

    from bench.report import table

    sizes = [int(arg) for arg in sys.argv[1:] if arg.isdigit()] or [25_000]
    found: list[Measurement] = []
    for n in sizes:
        build.ensure(Path("bench/out"), n, log=lambda m: print(m, file=sys.stderr, flush=True))
        found += measure(Path("bench/out"), n, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(table(found))
    for m in found:
        print(f"  {m.name} @ {m.size:,}: {m.note}")
    print(json.dumps([m.as_json() for m in found], indent=2, default=str))
