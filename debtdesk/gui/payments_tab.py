"""The account view's Payments tab: money in, returned debits and refunds, newest first.

The lines come from ``Payments.for_account`` off the GUI thread; each says where it came
from (the run or file and line that posted it, or the officer). A payment later returned
unpaid says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from debtdesk.gui.formatting import money, sentence
from debtdesk.gui.money_tables import PAYMENT_DESCRIPTION, payments_model
from debtdesk.gui.tables import read_only_table, replace_model
from debtdesk.gui.tasks import run_task
from debtdesk.services.payments import PaymentLine, Payments


def summary(lines: list[PaymentLine]) -> str:
    """``12 payments, £1,234.00 received net of returns and refunds.``"""
    if not lines:
        return "No payments on this account."
    payments = sum(1 for line in lines if line.kind == "payment")
    net = sum(line.amount for line in lines)
    returned = sum(1 for line in lines if line.returned)
    text = f"{payments:,} payment{'' if payments == 1 else 's'}, {money(net)} received net"
    if returned:
        text += f"; {returned:,} returned unpaid"
    return f"{text}."


class PaymentsTab(QWidget):
    """The account's payments as a table, with a one-line summary above."""

    loaded = Signal()

    def __init__(self, payments: Payments, account_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._payments = payments
        self.account_id = account_id
        self.lines: list[PaymentLine] = []
        self.summary = QLabel("Loading…", self)
        self.summary.setAccessibleName("Payments summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = read_only_table("Payments")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        payments, account_id = self._payments, self.account_id
        run_task(
            lambda: payments.for_account(account_id),
            self._show,
            lambda error: self.summary.setText(
                sentence(f"the payments could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[PaymentLine]) -> None:
        self.lines = lines
        replace_model(self.table, payments_model(lines, self), PAYMENT_DESCRIPTION)
        self.summary.setText(summary(lines))
        self.loaded.emit()
