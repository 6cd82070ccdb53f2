"""How long the app takes from launch to a visible caseload, measured from outside.

A measuring program (``bench/gui_start.py``, the release check of a bundle) starts
``debtdesk --db DB`` with ``DEBTDESK_STARTUP_PROBE`` set to the wall-clock time it started
the process (seconds since the epoch). The app then watches its own event loop every
millisecond; when the main window is visible with caseload rows it paints the window once,
prints one line, ``debtdesk-startup {json}``, and closes the window, which ends the app
normally. The figures are seconds since that start, so the interpreter's start, the
bundle's loading and every import count. Without the variable nothing is installed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from debtdesk.gui.main_window import MainWindow

ENVIRONMENT = "DEBTDESK_STARTUP_PROBE"
MARKER = "debtdesk-startup "
TIMEOUT_MS = 120_000


def install(app: QApplication, window: MainWindow) -> QTimer | None:
    """Watch ``window`` when asked to by the environment; the timer (keep it), or None."""
    value = os.environ.get(ENVIRONMENT)
    if not value:
        return None
    try:
        started = float(value)
    except ValueError:  # a measurement's mistake must not stop the app
        print(f"debtdesk: {ENVIRONMENT}={value!r} is not a time; not measuring", file=sys.stderr)
        return None
    marks: dict[str, float] = {"qapplication": time.time() - started}
    timer = QTimer(window)

    def report(outcome: dict[str, Any]) -> None:
        timer.stop()
        print(MARKER + json.dumps({"marks": marks, **outcome}), file=sys.stdout, flush=True)
        window.close()

    def poll() -> None:
        if "window_shown" not in marks and window.isVisible():
            marks["window_shown"] = time.time() - started
        if "database_open" not in marks and window.database is not None:
            marks["database_open"] = time.time() - started
        if window.isVisible() and window.model.rowCount() > 0:
            marks["first_rows"] = time.time() - started
            window.grab()  # laid out and painted with its rows, as a screen would show it
            marks["painted"] = time.time() - started
            report(
                {
                    "rows": window.model.rowCount(),
                    "matching": window.model.matching,
                    "query": repr(window.model.query),
                    "platform": app.platformName(),
                    "memory_mb": _memory(),
                }
            )
        elif time.time() - started > TIMEOUT_MS / 1000:
            report({"error": f"no caseload rows after {TIMEOUT_MS // 1000} s"})

    timer.setInterval(1)
    timer.timeout.connect(poll)
    timer.start()
    return timer


def _memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process in MB (10^6 bytes), where /proc has them."""
    status = Path("/proc/self/status")
    if not status.exists():
        return {}
    figures = {}
    for line in status.read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0]) * 1024 / 1e6
    return figures
