"""What the money windows ask and tell: a file to import, where to save, a refusal.

A refusal is a service's :class:`~debtdesk.services.errors.BadInput` (or a
:class:`~debtdesk.domain.money.MoneyError` from reading an amount typed in), shown in a
message box; it is opened window-modal and not waited for, so the caller goes on (and a
test can read it). Anything else is a bug: it is logged, and said as such.

The file choosers are module functions so that tests can replace them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from debtdesk.domain.money import MoneyError
from debtdesk.services.errors import BadInput

FOLDER_KEY = "money/last_folder"
SHOWN_PROBLEMS = 12  # a longer list goes under "Show Details…"
WIDTH = "min-width: 32em;"  # a list of problems reads better on long lines

_log = logging.getLogger(__name__)
_NAMED_FILE = re.compile(r"^\S+\.\w+:")  # "bank.csv: refused…": keep the file name's case


def readable(text: str) -> str:
    """A service's message as a sentence, keeping a leading file name as it is."""
    text = text.strip()
    if not text:
        return ""
    if not _NAMED_FILE.match(text):
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


def refusal(parent: QWidget, title: str, error: Exception) -> QMessageBox:
    """Show why ``error`` stopped the action; returns the (open, non-blocking) box."""
    expected = isinstance(error, (BadInput, MoneyError))
    if expected:
        text = str(error)
        icon = QMessageBox.Icon.Warning
    else:
        _log.error("%s failed", title, exc_info=error)
        text = f"This could not be done because of an error in debtdesk: {error}"
        icon = QMessageBox.Icon.Critical
    first, _, rest = text.partition("\n")
    box = QMessageBox(icon, title, readable(first), QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStyleSheet(f"QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel {{ {WIDTH} }}")
    lines = [line.strip() for line in rest.splitlines() if line.strip()]
    if len(lines) > SHOWN_PROBLEMS:
        shown = lines[: SHOWN_PROBLEMS - 1]
        shown.append(f"… and {len(lines) - len(shown)} more: see Show Details.")
        box.setInformativeText("\n".join(shown))
        box.setDetailedText("\n".join(lines))
    elif lines:
        box.setInformativeText("\n".join(lines))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _start_folder() -> str:
    return str(QSettings().value(FOLDER_KEY, "") or "")


def _remember_folder(path: str) -> None:
    QSettings().setValue(FOLDER_KEY, str(Path(path).parent))


def ask_import_file(parent: QWidget, title: str, name_filter: str) -> Path | None:
    """A file the officer picks to import, or None."""
    path, _ = QFileDialog.getOpenFileName(parent, title, _start_folder(), name_filter)
    if not path:
        return None
    _remember_folder(path)
    return Path(path)


def ask_save_file(parent: QWidget, title: str, file_name: str, name_filter: str) -> Path | None:
    """Where the officer wants a new file saved, or None (Qt asks before overwriting)."""
    start = str(Path(_start_folder()) / file_name) if _start_folder() else file_name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, name_filter)
    if not path:
        return None
    _remember_folder(path)
    return Path(path)
