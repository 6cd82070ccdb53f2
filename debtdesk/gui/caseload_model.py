"""The caseload table's Qt model: a search and filters, a count, and rows loaded a page at a time.

Like Anki's browser table, the model never holds the whole caseload. It keeps the query,
how many accounts match it and the rows loaded so far; the view asks for more with
``fetchMore`` as the officer scrolls, 200 rows a time. Sorting and filtering happen in SQL
(``Caseload.page``), so a new order or search resets the model and loads the first page
again. Loads run off the GUI thread; answers to an older query are dropped.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from debtdesk.gui.formatting import label, money
from debtdesk.gui.tasks import run_task
from debtdesk.services.caseload import SORT_KEYS, Caseload, CaseloadQuery, CaseloadRow

PAGE_SIZE = 200

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Reference", "reference"),
    ("Client", "name"),
    ("Postcode", "postcode"),
    ("Status", "status"),
    ("Officer", "officer"),
    ("Type", "customer_type"),
    ("Balance", "balance"),
)
"""(heading, CaseloadRow field); the fields are also the service's sort keys, in order."""

BALANCE_COLUMN = len(COLUMNS) - 1
RAW_ROLE = Qt.ItemDataRole.UserRole
"""The unformatted value of a cell (pence for the balance)."""
ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

Index = QModelIndex | QPersistentModelIndex


class CaseloadModel(QAbstractTableModel):
    """Accounts matching a :class:`CaseloadQuery`, in its order, loaded on demand."""

    counted = Signal(int)
    """How many accounts match the query, once a (re)load has counted them."""
    load_failed = Signal(str)
    """A load failed; the message is for a person."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._caseload: Caseload | None = None
        self._query = CaseloadQuery()
        self._rows: list[CaseloadRow] = []
        self._matching: int | None = 0
        self._generation = 0
        self._fetching = False
        self._failed = False

    # What the rest of the GUI uses

    @property
    def query(self) -> CaseloadQuery:
        return self._query

    @property
    def matching(self) -> int | None:
        """How many accounts match the query; None while they are being counted."""
        return self._matching

    @property
    def is_loading(self) -> bool:
        return self._fetching

    def set_caseload(self, caseload: Caseload | None) -> None:
        """Show another database's caseload (None: show nothing)."""
        self._caseload = caseload
        self.reload()

    def set_query(self, query: CaseloadQuery) -> None:
        """Search, filter or sort anew; a query equal to the current one changes nothing."""
        if query != self._query:
            self._query = query
            self.reload()

    def account_id(self, row: int) -> int:
        return self._rows[row].id

    def row_for(self, row: int) -> CaseloadRow:
        return self._rows[row]

    def reload(self) -> None:
        """Forget the loaded rows and load the first page of the current query again."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._failed = False
        self._fetching = self._caseload is not None
        self._matching = None if self._caseload is not None else 0
        self.endResetModel()
        if self._caseload is None:
            return
        caseload, query = self._caseload, self._query

        def first_page() -> tuple[int, list[CaseloadRow]]:
            return caseload.count(query), caseload.page(query, 0, PAGE_SIZE)

        run_task(
            first_page,
            partial(self._first_page_loaded, self._generation),
            partial(self._load_failed, self._generation),
            owner=self,
        )

    # Qt overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        value = getattr(row, COLUMNS[column][1])
        if role == Qt.ItemDataRole.DisplayRole:
            if column == BALANCE_COLUMN:
                return money(value)
            return label(value) if COLUMNS[column][1] == "status" else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == BALANCE_COLUMN else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole and column == BALANCE_COLUMN and value < 0:
            return "In credit"
        if role == RAW_ROLE:
            return value
        if role == ACCOUNT_ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Headings stay left-aligned: the sort arrow sits at the right of a section and
        # would cover the end of a right-aligned heading.
        if (
            orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return COLUMNS[section][0]
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            column, order = 0, Qt.SortOrder.AscendingOrder
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=SORT_KEYS[column], descending=descending))

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid() or self._caseload is None or self._fetching or self._failed:
            return False
        return self._matching is not None and len(self._rows) < self._matching

    def fetchMore(self, parent: Index) -> None:
        # Guarded: Qt's model tester (and views) call this again while rows are inserted.
        if not self.canFetchMore(parent):
            return
        assert self._caseload is not None
        self._fetching = True
        caseload, query, offset = self._caseload, self._query, len(self._rows)
        run_task(
            partial(caseload.page, query, offset, PAGE_SIZE),
            partial(self._page_loaded, self._generation),
            partial(self._load_failed, self._generation),
            owner=self,
        )

    # Answers from the worker threads

    def _first_page_loaded(self, generation: int, answer: tuple[int, list[CaseloadRow]]) -> None:
        if generation != self._generation:
            return
        matching, rows = answer
        self._matching = max(matching, len(rows))
        self._append(rows)
        self.counted.emit(self._matching)

    def _page_loaded(self, generation: int, rows: list[CaseloadRow]) -> None:
        if generation != self._generation:
            return
        if not rows:  # accounts went away since they were counted
            self._matching = len(self._rows)
        self._append(rows)

    def _append(self, rows: list[CaseloadRow]) -> None:
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._fetching = False

    def _load_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._failed = True
        if self._matching is None:
            self._matching = len(self._rows)
        self.load_failed.emit(f"Could not load the caseload: {error}")
