"""Payments ▸ Imports and runs: every Bacs report, bank statement and dd run as a batch,
and, for the one chosen, what became of each item of its file (issue 4 item 7)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from debtdesk.gui.formatting import sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.batches import Batches, BatchItemLine, BatchLine

GEOMETRY = "batches/geometry"

BATCH_COLUMNS: tuple[Column[BatchLine], ...] = (
    Column("Batch", lambda b: b.id, "number"),
    Column("What", lambda b: b.kind),
    Column("File", lambda b: b.file_name),
    Column("Date", lambda b: b.as_of, "date"),
    Column("By", lambda b: b.actor),
    Column("Result", lambda b: b.summary),
)
ITEM_COLUMNS: tuple[Column[BatchItemLine], ...] = (
    Column("Where", lambda i: i.where),
    Column("Reference", lambda i: i.reference),
    Column("Name", lambda i: i.name),
    Column("Amount", lambda i: i.amount, "money"),
    Column("Code", lambda i: i.code, "code"),
    Column("Outcome", lambda i: i.outcome, "code"),
    Column("Account", lambda i: i.account_ref or ""),
    Column("What became of it", lambda i: i.detail),
)


class BatchesWindow(QWidget):
    """The list of imports and dd runs above the chosen one's items."""

    def __init__(
        self, batches: Batches, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Imports and runs — debtdesk")
        self.setAccessibleName("Imports and runs")
        self._batches = batches
        self._settings = settings
        self.summary = QLabel("Loading…", self)
        self.summary.setAccessibleName("Imports summary")
        self.table = read_only_table("Imports and runs")
        self.items = read_only_table("Items of the batch")
        self.refresh_button = QPushButton("&Refresh", self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.items)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh_button.clicked.connect(self.reload)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        geometry = settings.value(GEOMETRY) if settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 620)
        self.reload()

    def reload(self) -> None:
        batches = self._batches
        run_task(
            batches.money_in,
            self._show,
            lambda error: self.summary.setText(sentence(f"the list could not be loaded: {error}")),
            owner=self,
        )

    def _show(self, lines: list[BatchLine]) -> None:
        replace_model(self.table, LineTableModel(BATCH_COLUMNS, lines, self), 5)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self.summary.setText(
            f"{len(lines):,} imports and runs, newest first." if lines else "Nothing imported yet."
        )
        if lines:
            self.table.selectRow(0)
        self._chosen()

    def _chosen(self) -> None:
        record = selected_record(self.table)
        if not isinstance(record, BatchLine):
            replace_model(self.items, LineTableModel(ITEM_COLUMNS, [], self), 7)
            return
        batches, batch_id = self._batches, record.id
        run_task(
            lambda: batches.items(batch_id),
            lambda items: replace_model(self.items, LineTableModel(ITEM_COLUMNS, items, self), 7),
            lambda error: self.summary.setText(sentence(f"the items could not be loaded: {error}")),
            owner=self,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue(GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
