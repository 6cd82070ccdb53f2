"""Fixtures for the documents engine: Qt ready to render, and reading PDFs back with poppler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from debtdesk.documents.pdf import ensure_qt


@pytest.fixture(autouse=True)
def qt(qapp: QApplication) -> None:
    """pytest-qt's QApplication (widget tests need that kind), with the shipped fonts."""
    ensure_qt()


# The body of an A4 page in points: below the 15 mm top margin, 970 px (727.5 pt) high.
# Qt also writes, clipped and unseen, the last line of a paragraph's previous page
# above a page's body; pdftotext would read it.
BODY = ["-x", "0", "-y", "43", "-W", "595", "-H", "727"]


def pdf_text(path: Path, page: int | None = None, body: bool = False) -> str:
    """The text of a PDF (or of one page, counting from 1), or only what its body shows."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    crop = BODY if body else []
    result = subprocess.run(
        ["pdftotext", "-layout", *pages, *crop, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def pdf_info(path: Path) -> dict[str, str]:
    """pdfinfo's fields: "Pages", "Page size", "Title", …"""
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    fields = (line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in fields}
