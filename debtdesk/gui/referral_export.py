"""Recovery ▸ Referral list…: the team's referrals to agents, legal and the court, saved
as a workbook (the ``referrals`` report) with each one's days out at today's date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox

from debtdesk.gui import prompts
from debtdesk.gui.tasks import run_task
from debtdesk.services.database import Database
from debtdesk.services.referrals import Referrals

EXCEL_FILTER = "Excel workbooks (*.xlsx)"
TITLE = "Export the referral list"


class ReferralExport(QObject):
    """The action, and the export it runs off the GUI thread."""

    def __init__(self, window: QMainWindow, today: Callable[[], date]) -> None:
        super().__init__(window)
        self._window, self._today = window, today
        self.database: Database | None = None
        self.notice: QMessageBox | None = None
        self.action = QAction("Referral &list…", window)
        self.action.setStatusTip(
            "Every referral to agents, legal or the court, with its days out, as a workbook"
        )
        self.action.triggered.connect(self.export)
        self.action.setEnabled(False)  # once a database is open

    def set_database(self, database: Database | None) -> None:
        self.database = database
        self.action.setEnabled(database is not None)

    def export(self) -> None:
        """Ask where to save the workbook, then write it."""
        today = self._today()
        path = prompts.ask_save_file(
            self._window, TITLE, f"referrals-{today.isoformat()}.xlsx", EXCEL_FILTER
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the workbook to ``path`` (``.xlsx`` added if missing) off the GUI thread."""
        if self.database is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        referrals, today = Referrals(self.database), self._today()
        status = self._window.statusBar()
        status.showMessage(f"Saving {path.name}…")
        run_task(
            lambda: referrals.export(path, today),
            lambda written: status.showMessage(f"Saved the referral list to {written}."),
            self._failed,
            owner=self,
        )

    def _failed(self, error: Exception) -> None:
        self._window.statusBar().clearMessage()
        self.notice = prompts.refusal(self._window, TITLE, error)
