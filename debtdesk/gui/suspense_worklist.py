"""Payments ▸ Suspense worklist: bank receipts nobody could place, to allocate, split or refund.

The list comes from ``Suspense.worklist`` off the GUI thread, oldest first. Allocate…,
Split… and Refund… open a dialog that resolves all that remains of the chosen receipt in
one ``Suspense`` call; the list then reloads (the receipt leaves it) and ``changed`` is
emitted, since balances have moved.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.gui.formatting import money, sentence
from debtdesk.gui.money_tables import SUSPENSE_REASON, suspense_model
from debtdesk.gui.suspense_dialogs import (
    AllocateDialog,
    ReceiptDialog,
    RefundDialog,
    SplitDialog,
)
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.suspense import Suspense, SuspenseLine

GEOMETRY = "suspense_worklist/geometry"


def count_and_total(lines: list[SuspenseLine]) -> str:
    if not lines:
        return "Nothing is waiting in suspense."
    total = sum(line.remaining for line in lines)
    return f"{len(lines):,} receipt{'' if len(lines) == 1 else 's'} in suspense, {money(total)}."


class SuspenseWorklist(QWidget):
    """The unallocated-cash worklist, in its own window."""

    loaded = Signal()
    changed = Signal()
    """A receipt was allocated, split or refunded."""

    def __init__(
        self, suspense: Suspense, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Suspense worklist — debtdesk")
        self.setAccessibleName("Suspense worklist")
        self._suspense = suspense
        self._settings = settings
        self.lines: list[SuspenseLine] = []
        self.dialog: ActionDialog | None = None

        self.summary = QLabel("Loading…", self)
        self.summary.setAccessibleName("Suspense summary")
        self.table = read_only_table("Receipts in suspense")
        self.table.setToolTip("Press Enter to allocate the receipt")
        self.allocate_button = QPushButton("&Allocate…", self)
        self.allocate_button.setToolTip("All that remains of the receipt to one account")
        self.split_button = QPushButton("&Split…", self)
        self.split_button.setToolTip("The receipt in parts to accounts, or part refunded")
        self.refund_button = QPushButton("Re&fund…", self)
        self.refund_button.setToolTip("Pay all that remains back to the payer")
        self.refresh_button = QPushButton("&Refresh", self)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Suspense message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (self.allocate_button, self.split_button, self.refund_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.allocate_button.clicked.connect(self.allocate)
        self.split_button.clicked.connect(self.split)
        self.refund_button.clicked.connect(self.refund)
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.table.activated.connect(self.allocate)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        geometry = settings.value(GEOMETRY) if settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 520)
        self._enable_buttons()
        self.reload()

    def reload(self, message: str = "") -> None:
        suspense = self._suspense
        self.summary.setText("Loading…")
        run_task(
            suspense.worklist,
            lambda lines: self._show(lines, message),
            lambda error: self.summary.setText(
                sentence(f"the worklist could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[SuspenseLine], message: str) -> None:
        chosen = self.selected()
        self.lines = lines
        replace_model(self.table, suspense_model(lines, self), SUSPENSE_REASON)
        self.table.selectionModel().selectionChanged.connect(self._enable_buttons)
        self.summary.setText(count_and_total(lines))
        self.message.setText(message)
        row = next((i for i, line in enumerate(lines) if chosen and line.id == chosen.id), 0)
        if lines:
            self.table.selectRow(row)
        self._enable_buttons()
        self.loaded.emit()

    def selected(self) -> SuspenseLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, SuspenseLine) else None

    def _enable_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.allocate_button, self.split_button, self.refund_button):
            button.setEnabled(chosen)

    # Actions

    def _open(self, kind: type[ReceiptDialog]) -> ActionDialog | None:
        receipt = self.selected()
        if receipt is None:
            return None
        dialog = kind(self._suspense, receipt, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        what = f"{money(receipt.remaining)} received {receipt.received_on:%d/%m/%Y}"
        dialog.succeeded.connect(lambda _result: self._done(f"{what} {dialog.outcome()}."))
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None

    def _done(self, text: str) -> None:
        self.reload(text)
        self.changed.emit()

    def allocate(self) -> ActionDialog | None:
        return self._open(AllocateDialog)

    def split(self) -> ActionDialog | None:
        return self._open(SplitDialog)

    def refund(self) -> ActionDialog | None:
        return self._open(RefundDialog)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue(GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
