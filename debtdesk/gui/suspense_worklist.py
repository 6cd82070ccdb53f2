"""Payments ▸ Suspense worklist: bank receipts nobody could place, to allocate, split or refund.

The list comes from ``Suspense.worklist`` off the GUI thread, oldest first. Allocate…,
Split… and Refund… open a dialog that resolves all that remains of the chosen receipt in
one ``Suspense`` call; the list then reloads (the receipt leaves it) and ``changed`` is
emitted, since balances have moved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QSettings
from PySide6.QtWidgets import QPushButton, QWidget

from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.gui.formatting import money
from debtdesk.gui.money_tables import SUSPENSE_REASON, suspense_model
from debtdesk.gui.suspense_dialogs import (
    AllocateDialog,
    ReceiptDialog,
    RefundDialog,
    SplitDialog,
)
from debtdesk.gui.worklist_window import WorklistWindow
from debtdesk.services.suspense import Suspense, SuspenseLine

GEOMETRY = "suspense_worklist/geometry"


def count_and_total(lines: Sequence[SuspenseLine]) -> str:
    if not lines:
        return "Nothing is waiting in suspense."
    total = sum(line.remaining for line in lines)
    return f"{len(lines):,} receipt{'' if len(lines) == 1 else 's'} in suspense, {money(total)}."


class SuspenseWorklist(WorklistWindow):
    """The unallocated-cash worklist, in its own window; ``changed``: a receipt was
    allocated, split or refunded."""

    record_type = SuspenseLine
    stretch_column = SUSPENSE_REASON

    def __init__(
        self, suspense: Suspense, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Suspense worklist", "Receipts in suspense", GEOMETRY, settings, parent)
        self._suspense = suspense
        self.table.setToolTip("Press Enter to allocate the receipt")
        self.allocate_button = QPushButton("&Allocate…", self)
        self.allocate_button.setToolTip("All that remains of the receipt to one account")
        self.split_button = QPushButton("&Split…", self)
        self.split_button.setToolTip("The receipt in parts to accounts, or part refunded")
        self.refund_button = QPushButton("Re&fund…", self)
        self.refund_button.setToolTip("Pay all that remains back to the payer")
        self.add_buttons(self.allocate_button, self.split_button, self.refund_button)

        self.allocate_button.clicked.connect(self.allocate)
        self.split_button.clicked.connect(self.split)
        self.refund_button.clicked.connect(self.refund)
        self.table.activated.connect(self.allocate)
        self.chosen_changed()
        self.reload()

    def fetch(self) -> Callable[[], list[SuspenseLine]]:
        return self._suspense.worklist

    def model(self, lines: Sequence[SuspenseLine]) -> QAbstractItemModel:
        return suspense_model(lines, self)

    def describe(self, lines: Sequence[SuspenseLine]) -> str:
        return count_and_total(lines)

    def key(self, line: SuspenseLine) -> object:
        return line.id

    def chosen_changed(self) -> None:
        chosen = self.selected() is not None
        for button in (self.allocate_button, self.split_button, self.refund_button):
            button.setEnabled(chosen)

    # Actions

    def _open(self, kind: type[ReceiptDialog]) -> ActionDialog | None:
        receipt = self.selected()
        if receipt is None:
            return None
        dialog = kind(self._suspense, receipt, self)
        what = f"{money(receipt.remaining)} received {receipt.received_on:%d/%m/%Y}"
        return self.open_dialog(dialog, lambda: f"{what} {dialog.outcome()}.")

    def allocate(self) -> ActionDialog | None:
        return self._open(AllocateDialog)

    def split(self) -> ActionDialog | None:
        return self._open(SplitDialog)

    def refund(self) -> ActionDialog | None:
        return self._open(RefundDialog)
