"""``debtdesk --self-test``: prove that this build, installed or frozen, carries all it needs.

In a temporary folder it makes a new SQLite database and migrates it, builds a small demo
caseload, runs one statement run (PDFs through Qt in worker processes, with the shipped
fonts), writes one report workbook and reads it back, and shows the main window until its
caseload is on screen. It prints one line a step and exits 0 when every step passed, or 1
at the first failure, with its traceback on stderr. Without a display (a Linux server, CI)
Qt draws offscreen. Nothing outside the temporary folder is read or written, apart from
the user running it becoming the first administrator of that throwaway database.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

AS_OF = date(2026, 11, 10)
"""The demo's last day: the same caseload and statement period on every run."""
DEMO_ACCOUNTS = 120
"""Enough statements for the run to use its worker processes (it does from 100)."""
WINDOW_TIMEOUT_MS = 60_000


def run_self_test() -> int:
    """Run every step; the exit status (0 passed, 1 failed)."""
    _choose_platform()
    from debtdesk import __version__

    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"debtdesk {__version__} self-test ({frozen}, {sys.platform})", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="debtdesk-selftest-") as name:
        folder = Path(name)
        db = str(folder / "selftest.sqlite")
        owed: list[Decimal] = []  # the demo's balance, which the workbook must total
        steps: list[tuple[str, Callable[[], str]]] = [
            ("resources", _resources),
            ("database", lambda: _database(db)),
            ("demo caseload", lambda: _demo(db, owed)),
            ("statement PDFs", lambda: _statements(db, folder)),
            ("workbook", lambda: _workbook(db, folder, owed[0])),
            ("main window", lambda: _window(db, folder)),
        ]
        for step_name, step in steps:
            t0 = time.perf_counter()
            try:
                detail = step()
            except Exception as exc:  # every failure is reported the same way
                print(f"self-test: {step_name}: FAILED: {exc}", flush=True)
                traceback.print_exc()
                return 1
            ms = (time.perf_counter() - t0) * 1000
            print(f"self-test: {step_name}: ok in {ms:,.0f} ms: {detail}", flush=True)
    print(f"self-test: PASSED in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


def _choose_platform() -> None:
    """Offscreen when there is no display to draw on (a Linux machine without X or Wayland)."""
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _cli(argv: list[str]) -> str:
    """Run one command in this process; its last line of output."""
    from debtdesk.cli import main

    out = StringIO()
    with redirect_stdout(out):
        status = main(argv)
    text = out.getvalue().strip()
    if status != 0:
        raise RuntimeError(f"debtdesk {' '.join(argv)} exited {status}: {text[-500:]}")
    return text.splitlines()[-1] if text else ""


def _resources() -> str:
    from debtdesk.resources import resource_path

    fonts = sorted(resource_path("fonts").glob("*.ttf"))
    templates = sorted(resource_path("templates").rglob("*.html"))
    for needed in ("bank_rate.csv", "icons/wexshire-logo.png", "fonts/DejaVuSans.ttf"):
        if not resource_path(needed).is_file():
            raise FileNotFoundError(f"{resource_path(needed)} is missing")
    if not templates:
        raise FileNotFoundError(f"no templates in {resource_path('templates')}")
    return f"{len(fonts)} fonts, {len(templates)} templates in {resource_path()}"


def _database(db: str) -> str:
    from debtdesk.db.migrate import SCHEMA_HEAD, head_revision
    from debtdesk.services.database import open_database

    if head_revision() != SCHEMA_HEAD:
        raise RuntimeError(
            f"the migration scripts end at {head_revision()}, this build needs {SCHEMA_HEAD}"
        )
    database = open_database(db)
    try:
        migration = database.migration
    finally:
        database.close()
    if migration.from_revision is not None or migration.to_revision != SCHEMA_HEAD:
        raise RuntimeError(f"migrated {migration.from_revision} to {migration.to_revision}")
    return f"a new database migrated to schema revision {migration.to_revision}"


def _demo(db: str, owed: list[Decimal]) -> str:

    argv = ["--db", db, "demo", "--accounts", str(DEMO_ACCOUNTS), "--as-of", AS_OF.isoformat()]
    result = json.loads(_cli([*argv, "--seed", "1", "--json"]))
    if result["accounts"] != DEMO_ACCOUNTS:
        raise RuntimeError(f"the demo made {result['accounts']} accounts")
    checked = json.loads(_cli(["--db", db, "check", "--json"]))
    if not checked["ok"]:
        raise RuntimeError(f"check found problems: {checked['problems'][:3]}")
    owed.append(Decimal(result["balance_total"]))
    return (
        f"{result['accounts']} accounts, {result['entries']} ledger entries, "
        f"£{Decimal(result['balance_total']):,} owed; check ok"
    )


def _statements(db: str, folder: Path) -> str:
    import pikepdf

    from debtdesk.domain.periods import last_complete_period

    period_end = last_complete_period(AS_OF).end + timedelta(days=28)
    out = folder / "statements"
    argv = ["--db", db, "statements", "run", "--period-end", period_end.isoformat()]
    result = json.loads(_cli([*argv, "--out", str(out), "--json"]))
    pdfs = sorted(out.rglob("*.pdf"))
    if result["issued"] < 1 or len(pdfs) < 2:
        raise RuntimeError(f"{result['issued']} statements issued, {len(pdfs)} PDFs written")
    with pikepdf.open(result["print_file"]) as pdf:
        pages = len(pdf.pages)
        fonts = {
            str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]
            for page in pdf.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }
    if not any(font.startswith("DejaVu") for font in fonts):
        raise RuntimeError(f"the print file lacks the shipped fonts (it has {sorted(fonts)})")
    return (
        f"{result['issued']} statements for the period to {period_end:%d/%m/%Y}, "
        f"a print file of {pages} pages in {', '.join(sorted(fonts))}"
    )


def _workbook(db: str, folder: Path, owed: Decimal) -> str:
    import openpyxl

    target = folder / "aged-debt.xlsx"
    _cli(["--db", db, "report", "aged-debt", "--as-of", AS_OF.isoformat(), "--xlsx", str(target)])
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        accounts = book["Accounts"]
        header = [cell.value for cell in next(accounts.iter_rows(max_row=1))]
        balance = header.index("Balance")
        amounts = [
            Decimal(str(row[balance]))  # openpyxl reads money back as float
            for row in accounts.iter_rows(min_row=2, values_only=True)
            if isinstance(row[balance], int | float)  # not the totals row's formula
        ]
        sheets = list(book.sheetnames)
    finally:
        book.close()
    if sum(amounts) != owed:
        raise RuntimeError(f"the workbook's balances total £{sum(amounts)}, the demo owes £{owed}")
    return (
        f"{target.name} read back: sheets {', '.join(sheets)}; "
        f"{len(amounts)} accounts owing £{sum(amounts):,.2f}, the demo's balance"
    )


def _window(db: str, folder: Path) -> str:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from debtdesk.gui.app import configure_application
    from debtdesk.gui.main_window import MainWindow
    from debtdesk.gui.tasks import wait_for_tasks

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    settings = QSettings(str(folder / "gui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    shown: dict[str, float] = {}
    t0 = time.perf_counter()

    def poll() -> None:
        if window.isVisible() and window.model.rowCount() > 0:
            shown["ms"] = (time.perf_counter() - t0) * 1000
            shown["rows"] = window.model.rowCount()
            window.grab()  # laid out and painted, as on a screen
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(5)
    QTimer.singleShot(WINDOW_TIMEOUT_MS, app.quit)
    window.show()
    window.open_location(db)
    app.exec()
    timer.stop()
    wait_for_tasks()
    window.close_database()
    window.close()
    if "ms" not in shown:
        raise RuntimeError(f"the caseload did not show within {WINDOW_TIMEOUT_MS // 1000} s")
    return (
        f"{shown['rows']:.0f} caseload rows on screen {shown['ms']:,.0f} ms after the window "
        f"opened (Qt platform {app.platformName()})"
    )
