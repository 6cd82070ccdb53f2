"""Payments ▸ Failed direct debits: the open tasks Bacs reports (ARUDD, ADDACS, AUDDIS) raised.

The list comes from ``services.tasks.failed_debits`` off the GUI thread, soonest due
first; the chosen task's details are shown in full below it. Open account opens the
account's window; Re-present… asks the next DD run to collect a returned debit again
(``Mandates.represent``); Close task… records what came of it (``Tasks.close``). The
list reloads after each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.gui.formatting import sentence, uk_date
from debtdesk.gui.mandate_dialogs import RepresentDialog, returned_debit
from debtdesk.gui.money_tables import FAILED_DEBIT_TASK, failed_debits_model
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.database import Database
from debtdesk.services.mandates import Mandates
from debtdesk.services.tasks import FailedDebitLine, Tasks, failed_debits

GEOMETRY = "failed_debits/geometry"


class CloseTaskDialog(ActionDialog):
    """What came of a task: done, or no longer needed."""

    def __init__(self, tasks: Tasks, line: FailedDebitLine, parent: QWidget | None = None):
        super().__init__(
            f"Close task — {line.account_ref}",
            f"{line.title}.\n\n{line.details}",
            "&Close task",
            parent,
        )
        self._tasks, self._task_id = tasks, line.task_id
        self.result_choice = QComboBox(self)
        self.result_choice.setAccessibleName("Result")
        self.result_choice.addItem("Done", True)
        self.result_choice.addItem("Cancelled: no longer needed", False)
        self.outcome = QLineEdit(self)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText("What you did, or why it is no longer needed")
        self.form.addRow("&Result:", self.result_choice)
        self.form.addRow("&Outcome:", self.outcome)

    def work(self) -> Callable[[], object]:
        tasks, task_id, outcome = self._tasks, self._task_id, self.outcome.text()
        done = bool(self.result_choice.currentData())
        return lambda: tasks.close(task_id, outcome, done=done)


class FailedDebits(QWidget):
    """The failed-debit worklist, in its own window."""

    loaded = Signal()
    open_account = Signal(int)
    """Open account: the account's id."""
    changed = Signal()

    def __init__(
        self,
        database: Database,
        today: date,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Failed direct debits — debtdesk")
        self.setAccessibleName("Failed direct debits")
        self._database = database
        self._mandates = Mandates(database)
        self._tasks = Tasks(database)
        self._today = today
        self._settings = settings
        self.lines: list[FailedDebitLine] = []
        self.dialog: ActionDialog | None = None

        self.summary = QLabel("Loading…", self)
        self.summary.setAccessibleName("Failed debits summary")
        self.table = read_only_table("Failed direct debits")
        self.table.setToolTip("Press Enter to open the account")
        self.details = QLabel("", self)
        self.details.setAccessibleName("Task details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("&Open account", self)
        self.represent_button = QPushButton("Re-&present…", self)
        self.represent_button.setToolTip("Collect the returned debit again (code 18), once")
        self.close_button = QPushButton("&Close task…", self)
        self.close_button.setToolTip("Record what came of the task")
        self.refresh_button = QPushButton("&Refresh", self)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Failed debits message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.represent_button, self.close_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)

        self.open_button.clicked.connect(self.open_selected)
        self.represent_button.clicked.connect(self.represent_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.table.activated.connect(self.open_selected)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        geometry = settings.value(GEOMETRY) if settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 520)
        self._chosen()
        self.reload()

    def reload(self, message: str = "") -> None:
        database = self._database
        self.summary.setText("Loading…")
        run_task(
            lambda: failed_debits(database),
            lambda lines: self._show(lines, message),
            lambda error: self.summary.setText(
                sentence(f"the worklist could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[FailedDebitLine], message: str) -> None:
        chosen = self.selected()
        self.lines = lines
        replace_model(self.table, failed_debits_model(lines, self), FAILED_DEBIT_TASK)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        overdue = sum(1 for line in lines if line.due_on < self._today)
        self.summary.setText(
            f"{len(lines):,} open task{'' if len(lines) == 1 else 's'}"
            + (f", {overdue:,} overdue." if overdue else ".")
            if lines
            else "No failed direct debit is waiting for an officer."
        )
        self.message.setText(message)
        row = next((i for i, x in enumerate(lines) if chosen and x.task_id == chosen.task_id), 0)
        if lines:
            self.table.selectRow(row)
        self._chosen()
        self.loaded.emit()

    def selected(self) -> FailedDebitLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, FailedDebitLine) else None

    def _chosen(self) -> None:
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

    def _open(self, dialog: ActionDialog, done: str) -> ActionDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(lambda _result: self._done(done))
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None

    def _done(self, text: str) -> None:
        self.reload(text)
        self.changed.emit()

    def represent_selected(self) -> ActionDialog | None:
        line = self.selected()
        if line is None or line.collection_id is None:
            return None
        what = f"{line.account_ref} {line.client_name}: " + returned_debit(
            line.amount, None, line.reference
        )
        dialog = RepresentDialog(self._mandates, line.collection_id, what, self._today, self)
        return self._open(
            dialog,
            f"The next DD run will re-present {line.reference}. Tell the payer, then close "
            "the task.",
        )

    def close_selected(self) -> ActionDialog | None:
        line = self.selected()
        if line is None:
            return None
        dialog = CloseTaskDialog(self._tasks, line, self)
        return self._open(dialog, f"Task for {line.account_ref} closed.")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue(GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
