"""The columns of the money-in tables: mandates, collections, payments, worklists, month end.

Each table is a :class:`~debtdesk.gui.line_model.LineTableModel` over a service's frozen
records; the reconciliation's ledger table adds a bold total row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from debtdesk.gui.formatting import label
from debtdesk.gui.line_model import Column, Index, LineTableModel
from debtdesk.services.mandates import CollectionLine, MandateEventLine, MandateView
from debtdesk.services.payments import PaymentLine
from debtdesk.services.reconciliation import LedgerRow, MethodRow, SuspenseRow
from debtdesk.services.suspense import SuspenseLine
from debtdesk.services.tasks import FailedDebitLine

TRANSACTION_CODES = {
    "01": "First collection",
    "17": "Collection",
    "18": "Re-presentation",
    "19": "Final collection",
}
INSTRUCTIONS_DUE = {
    "0N": "Send 0N at the next DD run",
    "0C": "Send 0C at the next DD run",
}
METHODS = {"returned_direct_debit": "Direct debit returned"}


def sort_code(digits: str) -> str:
    """``401234`` -> ``40-12-34``; a masked ``****34`` -> ``**-**-34``."""
    return "-".join(digits[i : i + 2] for i in range(0, 6, 2)) if len(digits) == 6 else digits


def mandate_status(mandate: MandateView) -> str:
    """The status as an officer reads it, saying when collections are held."""
    text = label(mandate.status)
    return f"{text}, on hold" if mandate.hold_reason else text


def method_label(code: str) -> str:
    return METHODS.get(code, label(code))


def payment_kind(line: PaymentLine) -> str:
    """``Payment``, ``Returned payment``, ``Refund``; a payment returned unpaid says so."""
    text = label(line.kind)
    return f"{text}, returned unpaid" if line.returned else text


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


MANDATE_PAYER = 2
MANDATE_COLUMNS: tuple[Column[MandateView], ...] = (
    Column("Reference", lambda m: m.reference),
    Column("Status", mandate_status),
    Column("Payer", lambda m: m.payer_name),
    Column("Sort code", lambda m: sort_code(m.sort_code)),
    Column("Account number", lambda m: m.account_number),
    Column("Lodged", lambda m: m.lodged_on, "date"),
    Column("To do", lambda m: INSTRUCTIONS_DUE.get(m.instruction_due or "", m.instruction_due)),
    Column("Set up by", lambda m: m.set_up_by or "Imported"),
)

COLLECTION_COLUMNS: tuple[Column[CollectionLine], ...] = (
    Column("Date", lambda c: c.collection_date, "date"),
    Column("Amount", lambda c: c.amount, "money"),
    Column("Type", lambda c: TRANSACTION_CODES.get(c.transaction_code, c.transaction_code)),
    Column("Status", lambda c: c.status, "code"),
    Column("Note", lambda c: c.note),
)
COLLECTION_NOTE = 4

HISTORY_COLUMNS: tuple[Column[MandateEventLine], ...] = (
    Column("Date", lambda e: e.effective_date, "date"),
    Column("Event", lambda e: e.kind, "code"),
    Column("Reason", lambda e: e.reason),
    Column("By", lambda e: e.actor),
)
HISTORY_REASON = 2

PAYMENT_COLUMNS: tuple[Column[PaymentLine], ...] = (
    Column("Date", lambda p: p.effective_date, "date"),
    Column("Type", payment_kind),
    Column("Method", lambda p: method_label(p.method) if p.method else ""),
    Column("Amount", lambda p: p.amount, "money"),
    Column("Reference", lambda p: p.reference),
    Column("Description", lambda p: p.description),
    Column("Source", lambda p: p.source),
)
PAYMENT_DESCRIPTION = 5

SUSPENSE_COLUMNS: tuple[Column[SuspenseLine], ...] = (
    Column("Received", lambda s: s.received_on, "date"),
    Column("Amount", lambda s: s.amount, "money"),
    Column("Remaining", lambda s: s.remaining, "money"),
    Column("Reference", lambda s: s.reference),
    Column("Payer", lambda s: s.payer),
    Column("Bank reference", lambda s: s.bank_reference),
    Column("Why it was not matched", lambda s: capitalised(s.reason)),
    Column("File", lambda s: f"{s.file_name}, {s.source}" if s.source else s.file_name),
)
SUSPENSE_REASON = 6

FAILED_DEBIT_COLUMNS: tuple[Column[FailedDebitLine], ...] = (
    Column("Due", lambda f: f.due_on, "date"),
    Column("Account", lambda f: f.account_ref),
    Column("Client", lambda f: f.client_name),
    Column("Task", lambda f: f.title),
    Column("Code", lambda f: f.code),
    Column("Amount", lambda f: f.amount, "money"),
    Column("DD reference", lambda f: f.reference),
    Column("Report", lambda f: f.report),
)
FAILED_DEBIT_TASK = 3

LEDGER_COLUMNS: tuple[Column[LedgerRow], ...] = (
    Column("Customer type", lambda r: r.label),
    Column("Opening", lambda r: r.opening, "money"),
    Column("Charges", lambda r: r.charges, "money"),
    Column("Receipts", lambda r: r.receipts, "money"),
    Column("Returned DDs", lambda r: r.returns, "money"),
    Column("Adjustments", lambda r: r.adjustments, "money"),
    Column("Write-offs", lambda r: r.write_offs, "money"),
    Column("Closing", lambda r: r.closing, "money"),
)

METHOD_COLUMNS: tuple[Column[MethodRow], ...] = (
    Column("Method", lambda r: method_label(r.method)),
    Column("Posted to accounts", lambda r: r.posted, "money"),
    Column("Bank side", lambda r: r.bank, "money"),
    Column("Difference", lambda r: r.difference, "money"),
    Column("Compared with", lambda r: capitalised(r.note) or "No bank figure"),
)
METHOD_NOTE = 4

SUSPENSE_MONTH_COLUMNS: tuple[Column[SuspenseRow], ...] = (
    Column("Opening", lambda r: r.opening, "money"),
    Column("Received", lambda r: r.received, "money"),
    Column("Allocated", lambda r: r.allocated, "money"),
    Column("Refunded", lambda r: r.refunded, "money"),
    Column("Closing", lambda r: r.closing, "money"),
)


class TotalledTableModel(LineTableModel[LedgerRow]):
    """Rows of a ledger with its total as a last, bold row."""

    def __init__(
        self, rows: Sequence[LedgerRow], total: LedgerRow, parent: QObject | None = None
    ) -> None:
        super().__init__(LEDGER_COLUMNS, (*rows, total), parent)
        self._total_row = len(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            if not index.isValid() or index.row() != self._total_row:
                return None
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


def mandates_model(
    mandates: Sequence[MandateView], parent: QObject | None = None
) -> LineTableModel[MandateView]:
    return LineTableModel(MANDATE_COLUMNS, mandates, parent)


def collections_model(
    collections: Sequence[CollectionLine], parent: QObject | None = None
) -> LineTableModel[CollectionLine]:
    return LineTableModel(COLLECTION_COLUMNS, collections, parent)


def history_model(
    events: Sequence[MandateEventLine], parent: QObject | None = None
) -> LineTableModel[MandateEventLine]:
    return LineTableModel(HISTORY_COLUMNS, events, parent)


def payments_model(
    lines: Sequence[PaymentLine], parent: QObject | None = None
) -> LineTableModel[PaymentLine]:
    return LineTableModel(PAYMENT_COLUMNS, lines, parent)


def suspense_model(
    lines: Sequence[SuspenseLine], parent: QObject | None = None
) -> LineTableModel[SuspenseLine]:
    return LineTableModel(SUSPENSE_COLUMNS, lines, parent)


def failed_debits_model(
    lines: Sequence[FailedDebitLine], parent: QObject | None = None
) -> LineTableModel[FailedDebitLine]:
    return LineTableModel(FAILED_DEBIT_COLUMNS, lines, parent)


def methods_model(
    rows: Sequence[MethodRow], parent: QObject | None = None
) -> LineTableModel[MethodRow]:
    return LineTableModel(METHOD_COLUMNS, rows, parent)


def suspense_month_model(
    row: SuspenseRow, parent: QObject | None = None
) -> LineTableModel[SuspenseRow]:
    return LineTableModel(SUSPENSE_MONTH_COLUMNS, (row,), parent)
