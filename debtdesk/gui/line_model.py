"""A small read-only table model over a tuple of frozen records, described by its columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from debtdesk.gui.formatting import label, money, uk_date, yes_no

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

RAW_ROLE = Qt.ItemDataRole.UserRole
"""The unformatted value of a cell: pence, a date, a bool."""

TOOLTIP_FROM = 24
"""A text cell longer than this has its whole text as its tooltip (the column may cut it)."""

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column(Generic[R]):
    """A heading, how to get the value from a record, and what kind of value it is.

    ``kind`` is ``"text"``, ``"code"`` (a stored code shown as a label), ``"money"`` (pence),
    ``"date"``, ``"number"`` or ``"bool"``; money and numbers are right-aligned.
    """

    heading: str
    value: Callable[[R], Any]
    kind: str = "text"

    def display(self, record: R) -> str:
        value = self.value(record)
        if value is None:
            return ""
        if self.kind == "money":
            return money(value)
        if self.kind == "date":
            return uk_date(value) if isinstance(value, date) else str(value)
        if self.kind == "bool":
            return yes_no(bool(value))
        if self.kind == "code":
            return label(str(value))
        if self.kind == "number":
            return f"{value:,}"
        return str(value)

    @property
    def right_aligned(self) -> bool:
        return self.kind in ("money", "number")


class LineTableModel(QAbstractTableModel, Generic[R]):
    """Rows of ``records`` and the given ``columns``; it never changes once made."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        records: Sequence[R] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._records = tuple(records)

    def record(self, row: int) -> R:
        return self._records[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        column = self._columns[index.column()]
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.right_aligned else _LEFT
        if role == RAW_ROLE:
            return column.value(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "text":
            text = column.display(record)
            return text if len(text) > TOOLTIP_FROM else None  # the whole of a long text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.heading
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if column.right_aligned else _LEFT
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
