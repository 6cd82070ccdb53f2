"""Payments ▸ Month-end reconciliation: a month's ledger movement, receipts and suspense.

The figures come from ``Reconciliations.month`` off the GUI thread, for the month picked
(the last complete month to start with). What does not reconcile is listed first.
Export… writes the same as a workbook (``Reconciliations.export``), also off the GUI
thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui import prompts
from debtdesk.gui.formatting import money, uk_date
from debtdesk.gui.money_tables import (
    METHOD_NOTE,
    TotalledTableModel,
    methods_model,
    suspense_month_model,
)
from debtdesk.gui.tables import fit_height, read_only_table, replace_model
from debtdesk.gui.tasks import run_task
from debtdesk.services.reconciliation import Reconciliation, Reconciliations

MONTHS_OFFERED = 24
EXCEL_FILTER = "Excel workbooks (*.xlsx)"


def months_before(today: date, count: int) -> list[tuple[int, int]]:
    """``(year, month)`` from this month back, ``count`` of them."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def month_name(year: int, month: int) -> str:
    return date(year, month, 1).strftime("%B %Y")


class ReconciliationDialog(QDialog):
    """One month's reconciliation: problems, ledger by customer type, methods, suspense."""

    loaded = Signal()

    def __init__(
        self, reconciliations: Reconciliations, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Month-end reconciliation — debtdesk")
        self.setAccessibleName("Month-end reconciliation")
        self._reconciliations = reconciliations
        self.result: Reconciliation | None = None
        self.notice: QMessageBox | None = None

        self.month = QComboBox(self)
        self.month.setAccessibleName("Month")
        for year, month in months_before(today, MONTHS_OFFERED):
            self.month.addItem(month_name(year, month), (year, month))
        self.month.setCurrentIndex(1)  # the last complete month
        self.period = QLabel("", self)
        self.period.setAccessibleName("Period")
        self.export_button = QPushButton("&Export…", self)
        self.export_button.setToolTip("Save the reconciliation as an Excel workbook")
        top = QHBoxLayout()
        month_label = QLabel("&Month:", self)
        month_label.setBuddy(self.month)
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addWidget(self.period, 1)
        top.addWidget(self.export_button)

        self.problems = QLabel("", self)
        self.problems.setAccessibleName("Problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ledger_table = read_only_table("Ledger by customer type")
        self.methods_table = read_only_table("Receipts by method")
        self.suspense_table = read_only_table("Suspense")
        self.bank = QLabel("", self)
        self.bank.setAccessibleName("Bank statements")
        self.bank.setWordWrap(True)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Reconciliation message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("Close", self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problems)
        for title, table, extra in (
            ("Ledger: opening + charges − receipts + returned DDs + adjustments − write-offs "
             "= closing", self.ledger_table, None),
            ("Receipts by payment method", self.methods_table, self.bank),
            ("Suspense", self.suspense_table, None),
        ):  # fmt: skip
            box = QGroupBox(title, self)
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            if extra is not None:
                inner.addWidget(extra)
            layout.addWidget(box)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.resize(1000, 640)

        self.month.currentIndexChanged.connect(self.load)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)
        self.load()

    def chosen_month(self) -> tuple[int, int]:
        year, month = self.month.currentData()
        return int(year), int(month)

    def load(self) -> None:
        year, month = self.chosen_month()
        reconciliations = self._reconciliations
        self.export_button.setEnabled(False)
        self.message.setText(f"Working out {month_name(year, month)}…")
        run_task(
            lambda: reconciliations.month(year, month),
            lambda result: self._show((year, month), result),
            lambda error: self._failed((year, month), error),
            owner=self,
        )

    def _show(self, asked: tuple[int, int], result: Reconciliation) -> None:
        if asked != self.chosen_month():
            return  # another month was picked meanwhile
        self.result = result
        self.period.setText(f"{uk_date(result.start)} to {uk_date(result.end)}")
        if result.problems:
            count = len(result.problems)
            listing = "\n".join(f"• {problem}" for problem in result.problems)
            heading = "One thing does" if count == 1 else f"{count} things do"
            self.problems.setText(f"{heading} not reconcile:\n{listing}")
            self.problems.setStyleSheet("color: #a00000;")
        else:
            self.problems.setText("The month reconciles.")
            self.problems.setStyleSheet("color: #006000;")
        replace_model(self.ledger_table, TotalledTableModel(result.by_type, result.total, self), 0)
        replace_model(self.methods_table, methods_model(result.methods, self), METHOD_NOTE)
        replace_model(self.suspense_table, suspense_month_model(result.suspense, self))
        for table, rows in (
            (self.ledger_table, len(result.by_type) + 1),
            (self.methods_table, len(result.methods)),
            (self.suspense_table, 1),
        ):
            fit_height(table, rows)
        self.bank.setText(
            f"Bank statements for the month: {money(result.bank_receipts)} in, "
            f"{money(result.bank_debits)} out (money out is never posted)."
        )
        self.message.setText("")
        self.export_button.setEnabled(True)
        self.loaded.emit()

    def _failed(self, asked: tuple[int, int], error: Exception) -> None:
        if asked == self.chosen_month():
            self.message.setText("")
            self.notice = prompts.refusal(self, "Month-end reconciliation", error)

    def export(self) -> None:
        """Ask where to save the workbook, then write it."""
        year, month = self.chosen_month()
        path = prompts.ask_save_file(
            self, "Export reconciliation", f"reconciliation-{year}-{month:02d}.xlsx", EXCEL_FILTER
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the chosen month's workbook to ``path`` off the GUI thread."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        year, month = self.chosen_month()
        reconciliations = self._reconciliations
        self.message.setText(f"Saving {path.name}…")
        run_task(
            lambda: reconciliations.export(year, month, path),
            lambda written: self.message.setText(f"Saved {month_name(year, month)} to {written}."),
            self._export_failed,
            owner=self,
        )

    def _export_failed(self, error: Exception) -> None:
        self.message.setText("")
        self.notice = prompts.refusal(self, "Export reconciliation", error)
