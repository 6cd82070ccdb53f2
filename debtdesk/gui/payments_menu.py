"""The main window's Payments menu: imports, the interest run, the two worklists and the
month-end reconciliation.

The menu's actions are on once a database is open; the main window hides the imports and
the interest run from a login that may not run batches. Each window or dialog opens once
(choosing it again raises it) and is closed when the database changes. Anything that
moves money (an import, an interest run, a suspense action) emits ``money_posted``, so that the main
window can refresh balances; the open worklists reload as well.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from debtdesk.gui.batches_window import BatchesWindow
from debtdesk.gui.failed_debits import FailedDebits
from debtdesk.gui.import_dialogs import bacs_dialog, bank_dialog
from debtdesk.gui.interest_run_dialog import InterestRunDialog
from debtdesk.gui.menu_windows import MenuWindows
from debtdesk.gui.reconciliation_dialog import ReconciliationDialog
from debtdesk.gui.suspense_worklist import SuspenseWorklist
from debtdesk.services.bacs_import import BacsImports
from debtdesk.services.bank_import import BankImports
from debtdesk.services.batches import Batches
from debtdesk.services.database import Database
from debtdesk.services.interest_run import InterestRuns
from debtdesk.services.reconciliation import Reconciliations
from debtdesk.services.suspense import Suspense


class PaymentsMenu(MenuWindows):
    """The &Payments menu and the windows it opens."""

    money_posted = Signal()
    """An import, an interest run or a suspense action has changed balances."""

    def __init__(
        self,
        window: QWidget,
        menu: QMenu,
        settings: QSettings,
        today: Callable[[], date],
        open_account: Callable[[int], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._today = today
        self._open_account = open_account

        def action(text: str, slot: Callable[[], object], tip: str) -> QAction:
            made = QAction(text, window)
            made.setStatusTip(tip)
            made.triggered.connect(slot)
            made.setEnabled(False)  # once a database is open
            return made

        self.bacs_action = action(
            "Import &Bacs report…", self.import_bacs, "Apply an ARUDD, ADDACS or AUDDIS report"
        )
        self.bank_action = action(
            "Import bank &statement…", self.import_bank, "Post the receipts on a bank statement"
        )
        self.interest_action = action(
            "In&terest run…",
            self.open_interest_run,
            "Post Late Payment Act interest and compensation on businesses' overdue invoices",
        )
        self.suspense_action = action(
            "S&uspense worklist", self.open_suspense, "Receipts nobody could place"
        )
        self.failed_action = action(
            "&Failed direct debits", self.open_failed_debits, "Tasks from returned debits"
        )
        self.batches_action = action(
            "&Imports and runs", self.open_batches, "Each import's items and what became of them"
        )
        self.reconciliation_action = action(
            "Month-end &reconciliation…", self.open_reconciliation, "A month's figures"
        )
        menu.addActions([self.bacs_action, self.bank_action])
        menu.addSeparator()
        menu.addAction(self.interest_action)
        menu.addSeparator()
        menu.addActions([self.suspense_action, self.failed_action, self.batches_action])
        menu.addSeparator()
        menu.addAction(self.reconciliation_action)
        self.actions = (
            self.bacs_action,
            self.bank_action,
            self.interest_action,
            self.suspense_action,
            self.failed_action,
            self.batches_action,
            self.reconciliation_action,
        )

    def set_database(self, database: Database | None) -> None:
        """Work on ``database`` from now on (None: none is open); its windows close."""
        self.close_windows()
        self.database = database
        for each in self.actions:
            each.setEnabled(database is not None)

    def _posted(self, _result: object = None) -> None:
        for widget in self.windows.values():
            if isinstance(widget, (SuspenseWorklist, FailedDebits, BatchesWindow)):
                widget.reload()
        self.money_posted.emit()

    def import_bacs(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            dialog = bacs_dialog(BacsImports(database), self._window)
            dialog.imported.connect(self._posted)
            return dialog

        return self._show("bacs", make)

    def import_bank(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            dialog = bank_dialog(BankImports(database), self._window)
            dialog.imported.connect(self._posted)
            return dialog

        return self._show("bank", make)

    def open_interest_run(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            dialog = InterestRunDialog(InterestRuns(database), self._today(), self._window)
            dialog.run_finished.connect(self._posted)
            return dialog

        return self._show("interest", make)

    def open_suspense(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            worklist = SuspenseWorklist(Suspense(database), self._settings, self._window)
            worklist.changed.connect(self.money_posted)
            return worklist

        return self._show("suspense", make)

    def open_failed_debits(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            worklist = FailedDebits(database, self._today(), self._settings, self._window)
            worklist.open_account.connect(self._open_account)
            return worklist

        return self._show("failed", make)

    def open_batches(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            return BatchesWindow(Batches(database), self._settings, self._window)

        return self._show("batches", make)

    def open_reconciliation(self) -> QWidget | None:
        def make(database: Database) -> QWidget:
            return ReconciliationDialog(Reconciliations(database), self._today(), self._window)

        return self._show("reconciliation", make)
