"""Payments ▸ Imports and runs: every Bacs report, bank statement and dd run as a batch,
and, for the one chosen, what became of each item of its file (issue 4 item 7)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QSettings, Qt
from PySide6.QtWidgets import QSplitter, QWidget

from debtdesk.gui.formatting import sentence
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.money_tables import capitalised
from debtdesk.gui.tables import read_only_table, replace_model
from debtdesk.gui.tasks import run_task
from debtdesk.gui.worklist_window import WorklistWindow
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
    Column("What became of it", lambda i: capitalised(i.detail)),
)


class BatchesWindow(WorklistWindow):
    """The list of imports and dd runs above the chosen one's items."""

    record_type = BatchLine
    stretch_column = 5

    def __init__(
        self, batches: Batches, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Imports and runs", "Imports and runs", GEOMETRY, settings, parent)
        self._batches = batches
        self.items = read_only_table("Items of the batch")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.body.removeWidget(self.table)
        splitter.addWidget(self.table)
        splitter.addWidget(self.items)
        self.body.insertWidget(1, splitter, 1)
        self.resize(self.width(), max(self.height(), 620))
        self.reload()

    def fetch(self) -> Callable[[], list[BatchLine]]:
        return self._batches.money_in

    def model(self, lines: Sequence[BatchLine]) -> QAbstractItemModel:
        return LineTableModel(BATCH_COLUMNS, lines, self)

    def describe(self, lines: Sequence[BatchLine]) -> str:
        return (
            f"{len(lines):,} imports and runs, newest first." if lines else "Nothing imported yet."
        )

    def key(self, line: BatchLine) -> object:
        return line.id

    def chosen_changed(self) -> None:
        record = self.selected()
        if record is None:
            replace_model(self.items, LineTableModel(ITEM_COLUMNS, [], self), 7)
            return
        batches, batch_id = self._batches, record.id
        run_task(
            lambda: batches.items(batch_id),
            lambda items: replace_model(self.items, LineTableModel(ITEM_COLUMNS, items, self), 7),
            lambda error: self.summary.setText(sentence(f"the items could not be loaded: {error}")),
            owner=self,
        )
