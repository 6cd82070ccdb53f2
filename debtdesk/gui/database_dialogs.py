"""Dialogs for choosing a database file and for explaining why one could not be opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from debtdesk.services.database import DatabaseTooNew
from debtdesk.services.site_config import SettingsFileError

FILE_FILTER = "debtdesk databases (*.sqlite *.db);;All files (*)"


def ask_open_path(parent: QWidget | None, start: str = "") -> str | None:
    """An existing database file the officer picks, or None."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open database", start, FILE_FILTER)
    return path or None


def ask_new_path(parent: QWidget | None, start: str = "") -> str | None:
    """A file name for a new, empty database, or None. An existing file is never overwritten."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "New database",
        start,
        FILE_FILTER,
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not path:
        return None
    if Path(path).suffix == "":
        path += ".sqlite"
    if Path(path).exists():
        answer = QMessageBox.question(
            parent,
            "New database",
            f"{path} already exists.\n\nOpen it instead? Nothing in it will be removed.",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
        )
        return path if answer == QMessageBox.StandardButton.Open else None
    return path


def failure_text(location: str, error: Exception) -> tuple[str, str]:
    """A heading and an explanation for a database that would not open."""
    if isinstance(error, DatabaseTooNew):
        return "This database needs a newer debtdesk", str(error)
    if isinstance(error, SettingsFileError):
        return (
            "This computer's debtdesk settings file is not valid",
            f"{error}\n\nIT set it up to name the team's database; ask them to correct it. "
            "Meanwhile you can open a database yourself.",
        )
    return "The database could not be opened", f"{location}\n\n{error}"


def offer_another(
    parent: QWidget | None, location: str, error: Exception, *, can_stay: bool
) -> bool:
    """Explain the failure; True if the officer wants to open another database.

    ``can_stay``: a database is already open, so the second button keeps it rather than quits.
    """
    heading, detail = failure_text(location, error)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("debtdesk")
    box.setText(heading)
    box.setInformativeText(detail)
    another = box.addButton("Open &another…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(
        "&Cancel" if can_stay else "&Quit",
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setDefaultButton(another)
    box.exec()
    return box.clickedButton() is another
