"""The account view's Direct debit tab: the account's instructions, collections and history.

The mandates come from ``Mandates.for_account`` off the GUI thread, bank details masked
unless this officer keyed them. Choosing a mandate shows its collections and history
below. New instruction…, Cancel…, Release hold… and Re-present… (on a returned
collection) open small dialogs that make one ``Mandates`` call each; the tab reloads
after each and emits ``changed``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.action_dialog import ActionDialog, DialogHost
from debtdesk.gui.formatting import sentence
from debtdesk.gui.mandate_dialogs import (
    NewMandateDialog,
    RepresentDialog,
    cancel_dialog,
    release_dialog,
    returned_debit,
)
from debtdesk.gui.money_tables import (
    COLLECTION_NOTE,
    HISTORY_REASON,
    MANDATE_PAYER,
    collections_model,
    history_model,
    mandates_model,
)
from debtdesk.gui.tables import fit_height, read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.mandates import CollectionLine, Mandates, MandateView

ACTIVE = ("pending", "live")
MANDATE_ROWS = 3  # the instruction list is this tall; an account rarely has more


class DirectDebitTab(DialogHost, QWidget):
    """Instructions above; the chosen one's collections and history below; the actions."""

    loaded = Signal()
    changed = Signal()
    """A mandate was created or changed, or a debit will be re-presented."""

    def __init__(
        self,
        mandates: Mandates,
        account_id: int,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._mandates = mandates
        self.account_id = account_id
        self.account_label = ""
        self._today = today
        self.lines: list[MandateView] = []
        self.dialog: ActionDialog | None = None

        self.mandates_table = read_only_table("Direct debit instructions")
        self.collections_table = read_only_table("Collections")
        self.history_table = read_only_table("Instruction history")
        self._mandates_box = QGroupBox("Instructions", self)
        QVBoxLayout(self._mandates_box).addWidget(self.mandates_table)
        self.hold = QLabel("", self)
        self.hold.setAccessibleName("Hold")
        self.hold.setWordWrap(True)
        self.hold.setTextFormat(Qt.TextFormat.PlainText)
        self._mandates_box.layout().addWidget(self.hold)
        self._collections_box = QGroupBox("Collections", self)
        QVBoxLayout(self._collections_box).addWidget(self.collections_table)
        self._history_box = QGroupBox("History", self)
        QVBoxLayout(self._history_box).addWidget(self.history_table)
        below = QSplitter(Qt.Orientation.Horizontal, self)
        below.setChildrenCollapsible(False)
        below.addWidget(self._collections_box)
        below.addWidget(self._history_box)
        below.setStretchFactor(0, 1)
        below.setStretchFactor(1, 1)

        self.new_button = QPushButton("&New instruction…", self)
        self.new_button.setToolTip("Record a signed instruction; the next DD run lodges it")
        self.cancel_button = QPushButton("Ca&ncel…", self)
        self.cancel_button.setToolTip("Cancel the chosen instruction")
        self.release_button = QPushButton("Release &hold…", self)
        self.release_button.setToolTip("Let collections resume on the chosen instruction")
        self.represent_button = QPushButton("Re-&present…", self)
        self.represent_button.setToolTip("Collect the chosen returned debit again (code 18)")
        self.message = QLabel("", self)
        self.message.setAccessibleName("Direct debit message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.cancel_button,
            self.release_button,
            self.represent_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self._mandates_box)
        layout.addWidget(below, 1)
        layout.addLayout(buttons)

        self.new_button.clicked.connect(self.new_instruction)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.release_button.clicked.connect(self.release_selected)
        self.represent_button.clicked.connect(self.represent_selected)
        self.collections_table.activated.connect(self.represent_selected)
        self._enable_buttons()
        self.reload()

    # Loading

    def reload(self, select_mandate: int | None = None, message: str = "") -> None:
        """Load the account's mandates again, keeping (or moving to) the chosen one.

        Args:
            message: said once they are shown (what the last action did).
        """
        chosen = self.selected_mandate()
        keep = select_mandate or (chosen.id if chosen else None)
        mandates, account_id = self._mandates, self.account_id
        self.message.setText("Loading…")
        run_task(
            lambda: mandates.for_account(account_id),
            lambda lines: self._show(lines, keep, message),
            lambda error: self.message.setText(
                sentence(f"the direct debits could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[MandateView], select: int | None, message: str) -> None:
        self.lines = lines
        replace_model(self.mandates_table, mandates_model(lines, self), MANDATE_PAYER)
        fit_height(self.mandates_table, MANDATE_ROWS)
        self.mandates_table.selectionModel().selectionChanged.connect(self._mandate_chosen)
        self._mandates_box.setTitle(f"Instructions ({len(lines)})")
        self.message.setText(
            message or ("" if lines else "No direct debit instruction on this account.")
        )
        row = next((i for i, m in enumerate(lines) if m.id == select), 0)
        if lines:
            self.mandates_table.selectRow(row)
        else:
            self._mandate_chosen()
        self.loaded.emit()

    def _mandate_chosen(self) -> None:
        mandate = self.selected_mandate()
        collections = mandate.collections if mandate else ()
        history = mandate.history if mandate else ()
        replace_model(self.collections_table, collections_model(collections, self), COLLECTION_NOTE)
        replace_model(self.history_table, history_model(history, self), HISTORY_REASON)
        self.collections_table.selectionModel().selectionChanged.connect(self._enable_buttons)
        which = f" — {mandate.reference}" if mandate else ""
        self._collections_box.setTitle(f"Collections{which} ({len(collections)})")
        self._history_box.setTitle(f"History{which} ({len(history)})")
        hold = mandate.hold_reason if mandate else None
        self.hold.setText(f"Collections are on hold: {hold}" if hold else "")
        self.hold.setVisible(bool(hold))
        self._enable_buttons()

    # The selection

    def selected_mandate(self) -> MandateView | None:
        record = selected_record(self.mandates_table)
        return record if isinstance(record, MandateView) else None

    def selected_collection(self) -> CollectionLine | None:
        record = selected_record(self.collections_table)
        return record if isinstance(record, CollectionLine) else None

    def _enable_buttons(self) -> None:
        mandate = self.selected_mandate()
        collection = self.selected_collection()
        active = next((m for m in self.lines if m.status in ACTIVE), None)
        self.new_button.setEnabled(active is None)
        self.new_button.setToolTip(
            f"The account already has instruction {active.reference}: cancel it first"
            if active
            else "Record a signed instruction; the next DD run lodges it"
        )
        self.cancel_button.setEnabled(mandate is not None and mandate.status in ACTIVE)
        self.release_button.setEnabled(
            mandate is not None and mandate.status == "live" and bool(mandate.hold_reason)
        )
        self.represent_button.setEnabled(collection is not None and collection.status == "returned")

    # Actions

    def new_instruction(self) -> ActionDialog | None:
        if not self.new_button.isEnabled():
            return None
        dialog = NewMandateDialog(
            self._mandates, self.account_id, self._today, self.account_label, self
        )
        return self._open(dialog, "Instruction recorded: the next DD run sends it to the bank.")

    def cancel_selected(self) -> ActionDialog | None:
        mandate = self.selected_mandate()
        if mandate is None or not self.cancel_button.isEnabled():
            return None
        dialog = cancel_dialog(self._mandates, mandate, self._today, self)
        return self._open(dialog, f"Instruction {mandate.reference} cancelled.", mandate.id)

    def release_selected(self) -> ActionDialog | None:
        mandate = self.selected_mandate()
        if mandate is None or not self.release_button.isEnabled():
            return None
        dialog = release_dialog(self._mandates, mandate, self._today, self)
        return self._open(dialog, f"Hold on {mandate.reference} released.", mandate.id)

    def represent_selected(self) -> ActionDialog | None:
        mandate, collection = self.selected_mandate(), self.selected_collection()
        if mandate is None or collection is None or not self.represent_button.isEnabled():
            return None
        what = returned_debit(collection.amount, collection.collection_date, mandate.reference)
        dialog = RepresentDialog(self._mandates, collection.id, what, self._today, self)
        return self._open(
            dialog, "The next DD run will re-present the debit (code 18).", mandate.id
        )
