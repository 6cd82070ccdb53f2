"""Reading a workbook the way LibreOffice sees it: every sheet converted to CSV by a
headless ``soffice`` (Debian's ``libreoffice-calc-nogui``, installed by bootstrap.sh).

LibreOffice computes the formulas as it loads the file, so the CSV holds the totals
rows' results. Numbers come out unformatted (``1123.94``, no £ or thousands separator);
dates and percentages keep their kind (``15/01/2026``, ``2.13%``). LibreOffice runs in
the en_GB locale (its own locale data: the system needs none installed), so a date reads
day first and a decimal point is a point whatever the machine's settings.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# Field separator ",", text delimiter '"', UTF-8 (76), first line 1, default cell format
# and language, don't quote all text, detect special numbers, save cell contents as
# stored (not as shown), no formulas, keep spaces, every sheet to NAME-SHEET.csv (-1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
TIMEOUT = 120  # seconds; a conversion takes about 5 s, most of it making the profile
# Printed on stderr on a machine without Java; LibreOffice needs none to read a workbook.
HARMLESS = ("Warning: failed to launch javaldx - java may not function correctly",)
LOCALE = "en_GB.UTF-8"
_WRITING = re.compile(r"^Writing sheet (.*) -> (.*)$")

Rows = list[list[str]]


def soffice() -> str:
    """The ``soffice`` program, or an AssertionError saying how to install it."""
    found = shutil.which("soffice")
    if found is None:
        raise AssertionError(
            "LibreOffice's soffice is not on PATH: the workbook check needs Debian's "
            "libreoffice-calc-nogui package (./bootstrap.sh test installs it)"
        )
    return found


def convert_sheets(
    workbook: Path, folder: Path | None = None, timeout: float = TIMEOUT
) -> dict[str, Rows]:
    """Each sheet of ``workbook`` as LibreOffice computes it, by title, in the book's order.

    Asserts that ``soffice`` exits 0 and says nothing on stderr beyond :data:`HARMLESS`
    (it exits 0 even when it cannot load the file, saying so on stderr).

    Args:
        workbook: the .xlsx file.
        folder: where the CSV files (and LibreOffice's profile) are kept, to look at after
            a failure; by default a temporary folder, removed afterwards.
        timeout: seconds before the conversion counts as hung.
    """
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        return _convert(workbook, folder, timeout)
    with tempfile.TemporaryDirectory(prefix="debtdesk-soffice-") as scratch:
        return _convert(workbook, Path(scratch), timeout)


def _convert(workbook: Path, folder: Path, timeout: float) -> dict[str, Rows]:
    program = soffice()
    # A private profile per call: parallel conversions would otherwise share one, and a
    # second soffice hands its work to the first over the profile's pipe.
    profile, out = folder / "profile", folder / "csv"
    result = subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "LC_ALL": LOCALE, "LANG": LOCALE},
    )
    complaints = [
        line for line in result.stderr.splitlines() if line.strip() and line not in HARMLESS
    ]
    assert result.returncode == 0, f"soffice exited {result.returncode}: {result.stderr}"
    assert not complaints, f"soffice complained converting {workbook}: {complaints}"
    written = [m.groups() for m in map(_WRITING.match, result.stdout.splitlines()) if m]
    assert written, f"soffice wrote no sheet of {workbook}: {result.stdout}"
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(f).name for _, f in written)
    return {title: _read(Path(file)) for title, file in written}


def _read(path: Path) -> Rows:
    with path.open(encoding="utf-8", newline="") as file:
        return [list(row) for row in csv.reader(file)]
