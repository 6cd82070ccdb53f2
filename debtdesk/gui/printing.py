"""Print preview and printing through ``QPrinter``: an archived document, painted again
from its stored HTML with the same page layout, footer and copy marking as its PDF
(``documents.pdf.paint_html``), or anything that paints itself as its PDF does (a case
pack), so what the preview shows is what the printer prints.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from debtdesk.documents.pdf import paint_html
from debtdesk.services.documents import Reprint

PREVIEW_HEIGHT = 1000


def new_printer() -> QPrinter:
    """A printer at the printer's own resolution (the layout scales to it)."""
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def paint(printer: QPrinter, reprint: Reprint) -> int:
    """Paint ``reprint`` onto ``printer``, marked as a copy when it is one; its page count."""
    return paint_html(printer, reprint.html, reprint.footer, reprint.copy_note, reprint.logo)


def preview_dialog(reprint: Reprint, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """A print preview of ``reprint`` (not yet shown); it prints from its own Print button."""
    return painted_preview(reprint.title, lambda device: paint(device, reprint), parent)


def painted_preview(
    title: str, paint_on: Callable[[QPrinter], int], parent: QWidget | None = None
) -> QPrintPreviewDialog:
    """A print preview of what ``paint_on`` paints (not yet shown); it prints from its own
    Print button."""
    printer = new_printer()
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview — {title}")
    dialog.paintRequested.connect(paint_on)
    dialog.printer_ = printer  # the dialog does not own it; keep it as long as the dialog
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    height = min(PREVIEW_HEIGHT, room.height() - 60) if room is not None else PREVIEW_HEIGHT
    dialog.resize(round(height * 0.9), height)  # an A4 page, and the tool bar, fill it
    return dialog


def print_with_dialog(reprint: Reprint, parent: QWidget | None = None) -> bool:
    """Ask which printer, then print ``reprint``; False if the officer cancelled."""
    printer = new_printer()
    printer.setDocName(reprint.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print — {reprint.title}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    paint(printer, reprint)
    return True
