"""Payments ▸ Failed direct debits: the open tasks Bacs reports (ARUDD, ADDACS, AUDDIS) raised.

The list comes from ``services.tasks.failed_debits`` off the GUI thread, soonest due
first; the chosen task's details are shown in full below it. Open account opens the
account's window; Re-present… asks the next DD run to collect a returned debit again
(``Mandates.represent``); Close task… records what came of it (``Tasks.close``). The
list reloads after each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.gui.formatting import uk_date
from debtdesk.gui.mandate_dialogs import RepresentDialog, returned_debit
from debtdesk.gui.money_tables import FAILED_DEBIT_TASK, failed_debits_model
from debtdesk.gui.task_dialogs import CloseTaskDialog
from debtdesk.gui.worklist_window import WorklistWindow
from debtdesk.services.database import Database
from debtdesk.services.mandates import Mandates
from debtdesk.services.tasks import FailedDebitLine, Tasks, failed_debits

GEOMETRY = "failed_debits/geometry"


class FailedDebits(WorklistWindow):
    """The failed-debit worklist, in its own window."""

    open_account = Signal(int)
    """Open account: the account's id."""

    record_type = FailedDebitLine
    stretch_column = FAILED_DEBIT_TASK

    def __init__(
        self,
        database: Database,
        today: date,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Failed direct debits", "Failed direct debits", GEOMETRY, settings, parent)
        self._database = database
        self._mandates = Mandates(database)
        self._tasks = Tasks(database)
        self._today = today

        self.table.setToolTip("Press Enter to open the account")
        self.details = QLabel("", self)
        self.details.setAccessibleName("Task details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.insertWidget(2, self.details)
        self.open_button = QPushButton("&Open account", self)
        self.represent_button = QPushButton("Re-&present…", self)
        self.represent_button.setToolTip("Collect the returned debit again (code 18), once")
        self.close_button = QPushButton("&Close task…", self)
        self.close_button.setToolTip("Record what came of the task")
        self.add_buttons(self.open_button, self.represent_button, self.close_button)

        self.open_button.clicked.connect(self.open_selected)
        self.represent_button.clicked.connect(self.represent_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.table.activated.connect(self.open_selected)
        self.chosen_changed()
        self.reload()

    def fetch(self) -> Callable[[], list[FailedDebitLine]]:
        database = self._database
        return lambda: failed_debits(database)

    def model(self, lines: Sequence[FailedDebitLine]) -> QAbstractItemModel:
        return failed_debits_model(lines, self)

    def describe(self, lines: Sequence[FailedDebitLine]) -> str:
        if not lines:
            return "No failed direct debit is waiting for an officer."
        overdue = sum(1 for line in lines if line.due_on < self._today)
        return f"{len(lines):,} open task{'' if len(lines) == 1 else 's'}" + (
            f", {overdue:,} overdue." if overdue else "."
        )

    def key(self, line: FailedDebitLine) -> object:
        return line.task_id

    def chosen_changed(self) -> None:
        line = self.selected()
        self.details.setText(
            f"{line.account_ref} {line.client_name}, due {uk_date(line.due_on)}: {line.details}"
            if line
            else ""
        )
        self.open_button.setEnabled(line is not None)
        self.close_button.setEnabled(line is not None)
        self.represent_button.setEnabled(line is not None and line.collection_id is not None)

    # Actions

    def open_selected(self) -> None:
        line = self.selected()
        if line is not None:
            self.open_account.emit(line.account_id)

    def represent_selected(self) -> ActionDialog | None:
        line = self.selected()
        if line is None or line.collection_id is None:
            return None
        what = f"{line.account_ref} {line.client_name}: " + returned_debit(
            line.amount, None, line.reference
        )
        dialog = RepresentDialog(self._mandates, line.collection_id, what, self._today, self)
        done = (
            f"The next DD run will re-present {line.reference}. Tell the payer, then close "
            "the task."
        )
        return self.open_dialog(dialog, lambda: done)

    def close_selected(self) -> ActionDialog | None:
        line = self.selected()
        if line is None:
            return None
        dialog = CloseTaskDialog(
            self._tasks, line.task_id, line.account_ref, f"{line.title}.\n\n{line.details}", self
        )
        return self.open_dialog(dialog, lambda: f"Task for {line.account_ref} closed.")
