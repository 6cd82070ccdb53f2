"""A window over one list a service gives: a summary line, the table, action buttons, a
message line and Refresh; the list loads off the GUI thread and keeps the chosen row; the
window remembers its geometry. The suspense and failed-debit worklists and the list of
imports are made this way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from debtdesk.gui.action_dialog import ActionDialog, OneDialog
from debtdesk.gui.formatting import sentence
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task


class WorklistWindow(QWidget, OneDialog):
    """Subclasses say what to load (:meth:`fetch`), how to show it (:meth:`model`,
    :meth:`describe`), how a row is known again after a reload (:meth:`key`), and react to
    the chosen row in :meth:`chosen_changed`."""

    loaded = Signal()
    changed = Signal()
    """An action changed something beyond this list (balances, tasks)."""

    record_type: type = object
    stretch_column: int | None = None

    def __init__(
        self,
        title: str,
        table_name: str,
        geometry_key: str,
        settings: QSettings | None,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{title} — debtdesk")
        self.setAccessibleName(title)
        self._settings = settings
        self._geometry_key = geometry_key
        self.lines: list[Any] = []
        self.dialog: ActionDialog | None = None

        self.summary = QLabel("Loading…", self)
        self.summary.setAccessibleName(f"{title} summary")
        self.table = read_only_table(table_name)
        self.message = QLabel("", self)
        self.message.setAccessibleName(f"{title} message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.refresh_button = QPushButton("&Refresh", self)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.message, 1)
        self.buttons.addWidget(self.refresh_button)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(self.buttons)

        self.refresh_button.clicked.connect(lambda: self.reload())
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        geometry = settings.value(geometry_key) if settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 520)

    def add_buttons(self, *buttons: QPushButton) -> None:
        """Action buttons, left of the message line."""
        for index, button in enumerate(buttons):
            self.buttons.insertWidget(index, button)

    # What subclasses give

    def fetch(self) -> Callable[[], Sequence[Any]]:
        """The call (run off the GUI thread) that gives the list."""
        raise NotImplementedError

    def model(self, lines: Sequence[Any]) -> QAbstractItemModel:
        raise NotImplementedError

    def describe(self, lines: Sequence[Any]) -> str:
        """The summary line above the table."""
        raise NotImplementedError

    def key(self, line: Any) -> object:
        """What identifies a row across reloads."""
        return line

    def chosen_changed(self) -> None:
        """The chosen row changed (or the list reloaded): enable buttons, show details."""

    # Loading

    def reload(self, message: str = "") -> None:
        self.summary.setText("Loading…")
        run_task(
            self.fetch(),
            lambda lines: self._show(list(lines), message),
            lambda error: self.summary.setText(sentence(f"the list could not be loaded: {error}")),
            owner=self,
        )

    def _show(self, lines: list[Any], message: str) -> None:
        chosen = self.selected()
        self.lines = lines
        replace_model(self.table, self.model(lines), self.stretch_column)
        self.table.selectionModel().selectionChanged.connect(self.chosen_changed)
        self.summary.setText(self.describe(lines))
        self.message.setText(message)
        keys = [self.key(line) for line in lines]
        if lines:
            wanted = self.key(chosen) if chosen is not None else None
            self.table.selectRow(keys.index(wanted) if wanted in keys else 0)
        self.chosen_changed()
        self.loaded.emit()

    def selected(self) -> Any:
        record = selected_record(self.table)
        return record if isinstance(record, self.record_type) else None

    # Actions through a dialog

    def open_dialog(self, dialog: ActionDialog, done: Callable[[], str]) -> ActionDialog:
        """Open an action's dialog; when it succeeds, reload saying ``done()``."""
        return self._open_one(dialog, lambda _result: self._done(done()))

    def _done(self, text: str) -> None:
        self.reload(text)
        self.changed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue(self._geometry_key, self.saveGeometry())
        super().closeEvent(event)
