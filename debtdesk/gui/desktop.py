"""Handing files to the desktop: a PDF or a folder opened in the system's own application."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

TEMP_FOLDER = "debtdesk-documents"


def open_path(path: Path | str) -> bool:
    """Open a file or folder as the desktop would on a double-click; False if it could not."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def temporary_pdf(data: bytes, title: str) -> Path:
    """Write ``data`` to a new PDF named after ``title`` in a temporary folder, for a viewer.

    A new name each time: a viewer may still hold the last one open (and locked, on Windows).
    """
    folder = Path(tempfile.gettempdir()) / TEMP_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-") or "document"
    with tempfile.NamedTemporaryFile(
        "wb", prefix=f"{name}-", suffix=".pdf", dir=folder, delete=False
    ) as file:
        file.write(data)
    return Path(file.name)
