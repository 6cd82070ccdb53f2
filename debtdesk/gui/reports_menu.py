"""The main window's Reports menu: one action for each report of the catalogue, each opening
its :class:`~debtdesk.gui.report_dialog.ReportDialog`.

The actions are on once a database is open. Each report's dialog opens once (choosing it
again raises it) and closes when the database changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from debtdesk.gui.menu_windows import MenuWindows
from debtdesk.gui.report_dialog import ReportDialog
from debtdesk.services.database import Database
from debtdesk.services.reporting.catalogue import CATALOGUE, ReportSpec
from debtdesk.services.reporting.runs import Reports


def status_tip(spec: ReportSpec) -> str:
    """The report's one line of about, as the status bar shows it (a capital first)."""
    return spec.about[:1].upper() + spec.about[1:]


class ReportsMenu(MenuWindows):
    """The Reports menu and the report dialogs it opens."""

    def __init__(
        self, window: QWidget, menu: QMenu, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(window)
        self._window = window
        self._today = today
        self.actions: dict[str, QAction] = {}
        for spec in CATALOGUE:
            action = QAction(f"{spec.title}…", window)
            action.setStatusTip(status_tip(spec))
            action.triggered.connect(lambda _=False, s=spec: self.open_report(s))
            action.setEnabled(False)  # once a database is open
            menu.addAction(action)
            self.actions[spec.name] = action

    def set_database(self, database: Database | None) -> None:
        """Work on ``database`` from now on (None: none is open); its dialogs close."""
        self.close_windows()
        self.database = database
        for each in self.actions.values():
            each.setEnabled(database is not None)

    def open_report(self, spec: ReportSpec) -> QWidget | None:
        """Reports ▸ the report's dialog; None while no database is open."""
        return self._show(
            f"report:{spec.name}",
            lambda db: ReportDialog(spec, Reports(db), self._today(), self._window),
        )
