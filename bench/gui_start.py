"""GUI start to a visible caseload, and resident memory with it open, in a fresh process.

Each start runs the app as the ``debtdesk`` command does, ``python -m debtdesk --db DB``
(or a built bundle's program, ``--binary``), with ``DEBTDESK_STARTUP_PROBE`` set to the
wall-clock time it was started, so the interpreter's start and every import count. The app's
own probe (``debtdesk/gui/startup_probe.py``) notes when the main window is visible with
caseload rows, paints it once, reads VmRSS and VmHWM, prints its figures and closes the
window. ``QT_QPA_PLATFORM=offscreen`` unless a display is asked for (``--display``), and
QSettings go to a throwaway folder, so no remembered geometry or database is used.

    python -m bench.gui_start DB [--binary dist/debtdesk/debtdesk] [--repeat N] [--display]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Measurement
from debtdesk.gui.startup_probe import ENVIRONMENT, MARKER, TIMEOUT_MS

START_LIMIT_MS = 2000.0
MEMORY_LIMIT_MB = 400.0


def run_once(db: Path, binary: Path | None = None, display: bool = False) -> dict[str, Any]:
    """Start the app once; its figures (seconds since it was started)."""
    program = [str(binary)] if binary else [sys.executable, "-m", "debtdesk"]
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as home:
        env = {**os.environ, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home}
        if not display:
            env["QT_QPA_PLATFORM"] = "offscreen"
        env.pop("DEBTDESK_DB", None)
        env["DEBTDESK_CONFIG"] = str(Path(home) / "none.ini")  # no machine-wide database
        env[ENVIRONMENT] = repr(time.time())
        done = subprocess.run(
            [*program, "--db", str(db)],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_MS / 1000 + 30,
            cwd=Path(__file__).resolve().parent.parent,
        )
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            outcome: dict[str, Any] = json.loads(line[len(MARKER) :])
            if "first_rows" in outcome["marks"]:
                outcome["stderr"] = done.stderr.strip().splitlines()[-5:]
                return outcome
            raise RuntimeError(f"the GUI did not show the caseload: {outcome}\n{done.stderr}")
    raise RuntimeError(f"the GUI failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


def measure(
    db: Path, size: int, repeat: int, log: Any = print, binary: Path | None = None
) -> list[Measurement]:
    """GUI start to a visible caseload, and memory with it open, over ``repeat`` starts."""
    runs = []
    for _ in range(repeat):
        runs.append(run_once(db, binary))
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


def main(argv: list[str] | None = None) -> int:
    """Time ``repeat`` starts on one database; print each and the medians."""
    parser = argparse.ArgumentParser(prog="python -m bench.gui_start", description=__doc__)
    parser.add_argument("db", type=Path, help="the caseload to open")
    parser.add_argument("--binary", type=Path, help="a built program (default: this source)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--display", action="store_true", help="draw on $DISPLAY, not offscreen")
    args = parser.parse_args(argv)
    runs = [run_once(args.db, args.binary, args.display) for _ in range(args.repeat)]
    for run in runs:
        print(json.dumps({"marks": run["marks"], "rows": run["rows"], "platform": run["platform"]}))
    for key in runs[0]["marks"]:
        values = [run["marks"][key] * 1000 for run in runs]
        print(
            f"{key:14s} median {statistics.median(values):7,.0f} ms  "
            f"min {min(values):7,.0f}  max {max(values):7,.0f}"
        )
    rss = [run["memory_mb"].get("VmRSS", 0.0) for run in runs]
    print(f"{'VmRSS':14s} median {statistics.median(rss):7,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
