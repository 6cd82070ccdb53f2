"""Resolving a receipt in suspense: allocate it to an account, split it, or refund it.

Each dialog makes one ``Suspense`` call for all that remains of the receipt. Amounts are
typed in pounds and read with :func:`~debtdesk.domain.money.parse_pounds`; the service
checks that the parts add up and that the accounts and invoices exist.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.money import MoneyError, parse_pounds
from debtdesk.gui.action_dialog import ActionDialog
from debtdesk.gui.fields import line_edit
from debtdesk.gui.formatting import money, uk_date
from debtdesk.services.errors import BadInput
from debtdesk.services.suspense import Part, Suspense, SuspenseLine

AMOUNT, ACCOUNT, INVOICE = range(3)
SPLIT_HEADINGS = ("Amount (£)", "Account (blank: refund)", "Invoice (optional)")


def describe(receipt: SuspenseLine) -> str:
    """The receipt in a sentence, for the top of each dialog."""
    payer = f" from {receipt.payer}" if receipt.payer else ""
    left = (
        f" ({money(receipt.remaining)} of it remains)"
        if receipt.remaining != receipt.amount
        else ""
    )
    return (
        f"{money(receipt.amount)}{payer} received {uk_date(receipt.received_on)}, reference "
        f"“{receipt.reference}”{left}. Not matched: {receipt.reason}."
    )


class ReceiptDialog(ActionDialog):
    """An action on one receipt in suspense."""

    def outcome(self) -> str:
        """What was done, for the worklist to say: ``allocated to CC000123``."""
        raise NotImplementedError


class AllocateDialog(ReceiptDialog):
    """All that remains of the receipt to one account, and optionally one invoice."""

    def __init__(self, suspense: Suspense, receipt: SuspenseLine, parent: QWidget | None = None):
        super().__init__(
            "Allocate a receipt",
            describe(receipt) + "\n\nIt is posted as a payment on the day it was received.",
            "&Allocate",
            parent,
        )
        self._suspense, self._receipt_id = suspense, receipt.id
        self.account = line_edit("Account reference", self, "e.g. CC000123")
        self.invoice = line_edit("Invoice number", self, "Optional: the invoice it pays first")
        self.note = line_edit("Note", self, "Optional: how you found the account")
        self.form.addRow("&Account:", self.account)
        self.form.addRow("&Invoice:", self.invoice)
        self.form.addRow("&Note:", self.note)

    def work(self) -> Callable[[], object]:
        suspense, receipt_id = self._suspense, self._receipt_id
        account = self.account.text().strip()
        invoice = self.invoice.text().strip() or None
        note = self.note.text()
        if not account:
            raise BadInput("give the account reference to allocate the receipt to")
        return lambda: suspense.allocate(receipt_id, account, invoice, note)

    def outcome(self) -> str:
        invoice = self.invoice.text().strip().upper()
        return f"allocated to {self.account.text().strip().upper()}" + (
            f", invoice {invoice}" if invoice else ""
        )


class RefundDialog(ReceiptDialog):
    """All that remains of the receipt back to the payer."""

    def __init__(self, suspense: Suspense, receipt: SuspenseLine, parent: QWidget | None = None):
        super().__init__(
            "Refund a receipt",
            describe(receipt) + f"\n\n{money(receipt.remaining)} is paid back to the payer; "
            "it never reaches an account.",
            "&Refund",
            parent,
        )
        self._suspense, self._receipt_id = suspense, receipt.id
        self.note = line_edit(
            "Why and how", self, "Why, and the payer's bank details for the refund"
        )
        self.form.addRow("&Why and how:", self.note)

    def work(self) -> Callable[[], object]:
        suspense, receipt_id, note = self._suspense, self._receipt_id, self.note.text()
        return lambda: suspense.refund(receipt_id, note)

    def outcome(self) -> str:
        return "refunded to the payer"


class SplitDialog(ReceiptDialog):
    """The receipt in parts to accounts (a part with no account is refunded)."""

    def __init__(self, suspense: Suspense, receipt: SuspenseLine, parent: QWidget | None = None):
        super().__init__(
            "Split a receipt",
            describe(receipt) + "\n\nThe parts must add up to what remains. A part with no "
            "account is refunded to the payer.",
            "&Split",
            parent,
        )
        self._suspense, self._receipt = suspense, receipt
        self.parts = QTableWidget(0, len(SPLIT_HEADINGS), self)
        self.parts.setAccessibleName("Parts")
        self.parts.setHorizontalHeaderLabels(list(SPLIT_HEADINGS))
        self.parts.verticalHeader().setVisible(False)
        self.parts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.parts.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.parts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("A&dd part", self)
        self.remove_button = QPushButton("Re&move part", self)
        self.total = QLabel("", self)
        self.total.setAccessibleName("Parts total")
        self.total.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.total, 1)
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.parts)
        column.addLayout(row)
        self.note = line_edit("Note", self, "Optional: why it is split")
        self.form.addRow("&Parts:", box)
        self.form.addRow("&Note:", self.note)
        self.add_button.clicked.connect(self.add_part)
        self.remove_button.clicked.connect(self.remove_part)
        self.parts.itemChanged.connect(self._show_total)
        self.add_part()
        self.add_part()
        self.setMinimumWidth(620)

    def add_part(self, amount: str = "", account: str = "", invoice: str = "") -> None:
        self.parts.blockSignals(True)
        row = self.parts.rowCount()
        self.parts.insertRow(row)
        for column, text in enumerate((amount, account, invoice)):
            item = QTableWidgetItem(text)
            if column == AMOUNT:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.parts.setItem(row, column, item)
        self.parts.blockSignals(False)
        self._show_total()

    def remove_part(self) -> None:
        row = self.parts.currentRow()
        if row >= 0 and self.parts.rowCount() > 2:
            self.parts.removeRow(row)
            self._show_total()

    def _cell(self, row: int, column: int) -> str:
        item = self.parts.item(row, column)
        return item.text().strip() if item is not None else ""

    def read_parts(self) -> list[Part]:
        """The parts typed in; blank rows are left out.

        Raises:
            BadInput: an amount cannot be read.
        """
        parts = []
        for row in range(self.parts.rowCount()):
            texts = [self._cell(row, column) for column in (AMOUNT, ACCOUNT, INVOICE)]
            if not any(texts):
                continue
            amount, account, invoice = texts
            try:
                pence = parse_pounds(amount)
            except MoneyError as error:
                raise BadInput(f"part {row + 1}: {error}") from None
            parts.append(Part(pence, account or None, invoice or None))
        return parts

    def _show_total(self) -> None:
        try:
            total = sum(part.amount for part in self.read_parts())
        except BadInput:
            self.total.setText("An amount cannot be read.")
            return
        left = self._receipt.remaining - total
        self.total.setText(
            f"Parts total {money(total)} of {money(self._receipt.remaining)}"
            + (f"; {money(left)} still to place." if left else ": all placed.")
        )

    def work(self) -> Callable[[], object]:
        suspense, receipt_id, note = self._suspense, self._receipt.id, self.note.text()
        parts = self.read_parts()
        return lambda: suspense.split(receipt_id, parts, note)

    def outcome(self) -> str:
        parts = self.read_parts()
        places = sorted({(p.account_ref or "").upper() for p in parts if not p.is_refund})
        text = f"split in {len(parts)} parts"
        if places:
            text += " to " + ", ".join(places)
        if any(p.is_refund for p in parts):
            text += (" and" if places else "") + " a refund"
        return text
