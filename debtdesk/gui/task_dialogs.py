"""Closing a task: done or no longer needed, with what came of it (``Tasks.close``).

The failed-debit worklist and the officer's worklist both close tasks this way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.services.tasks import Tasks


class CloseTaskDialog(ActionDialog):
    """What came of a task: done, or no longer needed."""

    def __init__(
        self, tasks: Tasks, task_id: int, account_ref: str, about: str,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(f"Close task — {account_ref}", about, "&Close task", parent)
        self._tasks, self._task_id = tasks, task_id
        self.result_choice = QComboBox(self)
        self.result_choice.setAccessibleName("Result")
        self.result_choice.addItem("Done", True)
        self.result_choice.addItem("Cancelled: no longer needed", False)
        self.outcome = QLineEdit(self)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText("What you did, or why it is no longer needed")
        self.form.addRow("&Result:", self.result_choice)
        self.form.addRow("&Outcome:", self.outcome)
        self.outcome.setFocus()

    def work(self) -> Callable[[], object]:
        tasks, task_id, outcome = self._tasks, self._task_id, self.outcome.text()
        done = bool(self.result_choice.currentData())
        return lambda: tasks.close(task_id, outcome, done=done)
