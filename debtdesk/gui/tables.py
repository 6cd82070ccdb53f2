"""Read-only table views set up the same way everywhere: rows selected whole, no editing."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def read_only_table(accessible_name: str, parent: QWidget | None = None) -> QTableView:
    """A table view with alternating rows, whole-row selection and a compact row height."""
    table = QTableView(parent)
    table.setAccessibleName(accessible_name)
    table.setObjectName(accessible_name.lower().replace(" ", "_"))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table, as keyboard users expect
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    return table


COLUMN_PADDING = 16


def show_model(table: QTableView, model: QAbstractItemModel, stretch: int | None = None) -> None:
    """Put ``model`` in ``table`` and size the columns to what they hold, with some air.

    Args:
        stretch: a (text) column that takes the width left over; None: no column does.
    """
    table.setModel(model)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    table.resizeColumnsToContents()
    for column in range(model.columnCount()):
        table.setColumnWidth(column, table.columnWidth(column) + COLUMN_PADDING)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def fit_height(table: QTableView, max_rows: int) -> None:
    """Make ``table`` exactly as tall as its rows (up to ``max_rows``, then it scrolls)."""
    model = table.model()
    rows = min(model.rowCount(), max_rows) if model is not None else 0
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += rows * table.verticalHeader().defaultSectionSize()
    if model is not None and model.rowCount() <= max_rows:
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setFixedHeight(height)


def replace_model(table: QTableView, model: QAbstractItemModel, stretch: int | None = None) -> None:
    """:func:`show_model`, then let the old model and selection model go."""
    old, old_selection = table.model(), table.selectionModel()
    show_model(table, model, stretch)
    for replaced in (old_selection, old):  # a view does not delete what it is given
        if replaced is not None:
            replaced.deleteLater()


def selected_record(table: QTableView) -> object | None:
    """The record (``model.record(row)``) of the table's selected row, or None."""
    model, selection = table.model(), table.selectionModel()
    if model is None or selection is None:
        return None
    rows = selection.selectedRows()
    return model.record(rows[0].row()) if rows else None
