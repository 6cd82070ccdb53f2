"""GUI start to a visible caseload, and resident memory with it open, in a fresh process.

The parent notes the wall-clock time, then starts ``python -m bench.gui_start DB`` with
that time in ``BENCH_T0`` (so the interpreter's start and every import count) and
``QT_QPA_PLATFORM=offscreen``. The child starts the app the way the ``debtdesk`` command
does (``debtdesk.cli.main(["--db", DB])``, which calls ``debtdesk.gui.app.run_gui``),
having created the QApplication itself only so that a 1 ms timer can watch the event
loop: the moment the main window is visible and its caseload model has rows is the
result. The window is then painted once (``grab``), VmRSS and VmHWM are read from
``/proc/self/status``, and the window is closed, which ends ``run_gui`` normally.
QSettings go to a throwaway folder, so no remembered geometry or database is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Measurement

START_LIMIT_MS = 2000.0
MEMORY_LIMIT_MB = 400.0
TIMEOUT_S = 120.0
MARKER = "BENCH-GUI-RESULT "


def _memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB (10^6 bytes)."""
    figures = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0]) * 1024 / 1e6
    return figures


def child(db: str) -> int:
    """In the child process: start the app on ``db`` and report when the caseload shows."""
    t0 = float(os.environ["BENCH_T0"])
    marks: dict[str, float] = {"interpreter": time.time() - t0}

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    marks["qapplication"] = time.time() - t0

    import debtdesk.cli
    from debtdesk.gui.main_window import MainWindow

    marks["imports"] = time.time() - t0
    outcome: dict[str, Any] = {"marks": marks}

    def window() -> Any:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                return widget
        return None

    def poll() -> None:
        main = window()
        if main is None:
            return
        if "window_shown" not in marks and main.isVisible():
            marks["window_shown"] = time.time() - t0
        if "database_open" not in marks and main.database is not None:
            marks["database_open"] = time.time() - t0
        if main.isVisible() and main.model.rowCount() > 0:
            marks["first_rows"] = time.time() - t0
            timer.stop()
            main.grab()  # lay out and paint the window with its rows, as a screen would
            marks["painted"] = time.time() - t0
            outcome["memory_mb"] = _memory()
            outcome["rows"] = main.model.rowCount()
            outcome["matching"] = main.model.matching
            outcome["query"] = repr(main.model.query)
            main.close()

    def give_up() -> None:
        outcome["error"] = f"no caseload rows after {TIMEOUT_S:.0f} s"
        app.exit(3)

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(int(TIMEOUT_S * 1000), give_up)
    status = debtdesk.cli.main(["--db", db])
    outcome["exit_status"] = status
    outcome["total_s"] = time.time() - t0
    print(MARKER + json.dumps(outcome), flush=True)
    return 0 if "first_rows" in marks else 1


def run_once(db: Path) -> dict[str, Any]:
    """Start the child once; its figures (seconds since the parent started it)."""
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": home,
            "XDG_DATA_HOME": home,
        }
        env.pop("DEBTDESK_DB", None)
        env["BENCH_T0"] = repr(time.time())
        done = subprocess.run(
            [sys.executable, "-m", "bench.gui_start", str(db)],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S + 30,
            cwd=Path(__file__).resolve().parent.parent,
        )
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            outcome: dict[str, Any] = json.loads(line[len(MARKER) :])
            if "first_rows" in outcome["marks"]:
                outcome["stderr"] = done.stderr.strip().splitlines()[-5:]
                return outcome
            raise RuntimeError(f"the GUI did not show the caseload: {outcome}\n{done.stderr}")
    raise RuntimeError(f"the GUI child failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


def measure(db: Path, size: int, repeat: int, log: Any = print) -> list[Measurement]:
    """GUI start to a visible caseload, and memory with it open, over ``repeat`` starts."""
    runs = []
    for _ in range(repeat):
        runs.append(run_once(db))
        log(f"  gui start: {runs[-1]['marks']['first_rows'] * 1000:,.0f} ms")
    marks = {key: [r["marks"][key] * 1000 for r in runs] for key in runs[0]["marks"]}
    breakdown = {key: round(sorted(v)[len(v) // 2], 1) for key, v in marks.items()}
    start = Measurement(
        "GUI start to visible caseload",
        size,
        marks["first_rows"],
        limit=START_LIMIT_MS,
        note=f"{repeat} fresh processes; first {runs[0]['rows']} rows of {runs[0]['query']}",
        details={
            "median_ms_since_process_start": breakdown,
            "first_rows": runs[0]["rows"],
            "matching": runs[0]["matching"],
            "stderr_sample": runs[0]["stderr"],
        },
    )
    rss = Measurement(
        "resident memory, caseload open (VmRSS)",
        size,
        [r["memory_mb"]["VmRSS"] for r in runs],
        limit=MEMORY_LIMIT_MB,
        unit="MB",
        note="read after the first page is painted",
    )
    hwm = Measurement(
        "peak resident memory (VmHWM)",
        size,
        [r["memory_mb"]["VmHWM"] for r in runs],
        unit="MB",
        note="high-water mark up to the same moment; no target",
    )
    return [start, rss, hwm]


if __name__ == "__main__":
    sys.exit(child(sys.argv[1]))
