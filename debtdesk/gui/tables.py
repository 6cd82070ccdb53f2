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


def show_model(table: QTableView, model: QAbstractItemModel) -> None:
    """Put ``model`` in ``table`` and size the columns to what they hold."""
    table.setModel(model)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
