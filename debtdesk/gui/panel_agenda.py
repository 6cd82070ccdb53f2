"""A Debt Management Panel meeting's agenda as a table, and the meetings list beside it.

:class:`AgendaModel` holds a meeting's cases in order. While the meeting is planned its
rows can be moved — dragged within the view (an internal move) or moved up and down —
through :meth:`AgendaModel.moveRows`; the window hears ``rowsMoved`` and writes the new
order (``Panels.reorder``). Positions are shown from the row, so they read right at once.
Also here: the meetings list's columns, and how a meeting and a case read in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from debtdesk.domain.panel import CaseSource, MeetingStatus
from debtdesk.gui.formatting import money, uk_date
from debtdesk.gui.line_model import RAW_ROLE, Column, Index, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model
from debtdesk.services.panel import CaseLine, MeetingView

SOURCE_NAMES = {
    CaseSource.RECOVERY_STAGE: "Recovery stage",
    CaseSource.OFFICER: "Officer",
}
"""Who put a case on the agenda: the recovery run's panel stage, or an officer."""

MEETING_COLUMNS: tuple[Column[MeetingView], ...] = (
    Column("Date", lambda m: m.meets_on, "date"),
    Column("Title", lambda m: m.title),
    Column("Status", lambda m: m.status_name),
    Column("Cases", lambda m: len(m.cases), "number"),
    Column("Undecided", lambda m: m.undecided, "number"),
)
MEETING_TITLE = 1

POSITION = 0
AGENDA_COLUMNS: tuple[Column[CaseLine], ...] = (
    Column("#", lambda c: c.position, "number"),  # shown from the row: see AgendaModel
    Column("Account", lambda c: c.account_ref),
    Column("Client", lambda c: c.client_name),
    Column("Balance", lambda c: c.balance, "money"),
    Column("Source", lambda c: SOURCE_NAMES[c.source]),
    Column("Recommendation", lambda c: c.recommendation_name),
    Column("Decision", lambda c: c.decision_name),
)
AGENDA_DECISION = len(AGENDA_COLUMNS) - 1
"""The column that takes the width left over: the names in the others are kept whole."""

MAX_COLUMN = 180
"""The widest an agenda column starts (a long name is cut short, whole in its tooltip)."""

ROWS_MIME = "application/x-debtdesk-agenda-rows"


def meetings_model(
    meetings: Sequence[MeetingView], parent: QObject | None = None
) -> LineTableModel[MeetingView]:
    return LineTableModel(MEETING_COLUMNS, meetings, parent)


def meeting_heading(meeting: MeetingView) -> str:
    """``Debt Management Panel, May 2026 — 20/05/2026, planned``."""
    return f"{meeting.title} — {uk_date(meeting.meets_on)}, {meeting.status_name.lower()}"


def meeting_text(meeting: MeetingView) -> str:
    """Who attends (or attended), what the notes say, and what is left to do."""
    people = ", ".join(meeting.attendees) or "none named yet"
    attend = "Attended" if meeting.status is not MeetingStatus.PLANNED else "Attendees"
    lines = [f"{attend}: {people}."]
    if meeting.notes:
        lines.append(f"Notes: {meeting.notes}")
    count = len(meeting.cases)
    cases = f"{count} case{'' if count == 1 else 's'}"
    if meeting.status is MeetingStatus.PLANNED:
        lines.append(
            f"{cases} on the agenda. Drag a case, or use Move up and Move down, to change "
            "the order; once the meeting is held, record each decision."
            if count
            else "No cases on the agenda yet: add those waiting, or an account by reference."
        )
    elif meeting.status is MeetingStatus.HELD:
        left = meeting.undecided
        lines.append(
            f"{cases}; {left} without a decision yet." if left
            else f"{cases}, each decided: the meeting can be minuted."
        )  # fmt: skip
    else:
        lines.append(f"{cases}, each decided. Minuted.")
    return "\n".join(lines)


def case_text(case: CaseLine) -> str:
    """The chosen case in full: the account, the recommendation and reasons, the decision."""
    text = f"{case.account_ref} {case.client_name}, balance {money(case.balance)}."
    if case.recommendation_name:
        text += f" Recommended: {case.recommendation_name}"
        text += f" — {case.reasons}" if case.reasons else "."
    else:
        text += " No recommendation yet."
    if case.decision_name:
        text += f"\nPanel decision: {case.decision_name}."
    return text


class AgendaModel(LineTableModel[CaseLine]):
    """A meeting's cases in agenda order; movable rows while the meeting is planned.

    A drop moves the rows itself (:meth:`dropMimeData`); ``removeRows`` is left Qt's,
    which removes nothing, so the view's clean-up after a move drag loses no row.
    """

    def __init__(
        self, cases: Sequence[CaseLine], movable: bool, parent: QObject | None = None
    ) -> None:
        super().__init__(AGENDA_COLUMNS, cases, parent)
        self.movable = movable

    def case_ids(self) -> list[int]:
        """The cases' ids in the order shown."""
        return [case.id for case in self._records]

    def row_of(self, case_id: int) -> int:
        return self.case_ids().index(case_id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == POSITION and index.row() < len(self._records):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(index.row() + 1)
            if role == RAW_ROLE:
                return index.row() + 1
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():  # between rows: where a dragged case may go
            return Qt.ItemFlag.ItemIsDropEnabled if self.movable else Qt.ItemFlag.NoItemFlags
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if self.movable else flags

    # Moving

    def moveRows(
        self,
        sourceParent: Index,
        sourceRow: int,
        count: int,
        destinationParent: Index,
        destinationChild: int,
    ) -> bool:
        """Move ``count`` rows from ``sourceRow`` to before ``destinationChild`` (Qt's
        meaning: a row number before the move)."""
        rows = list(self._records)
        if (
            not self.movable
            or sourceParent.isValid()
            or destinationParent.isValid()
            or count < 1
            or sourceRow < 0
            or sourceRow + count > len(rows)
            or not 0 <= destinationChild <= len(rows)
            or sourceRow <= destinationChild <= sourceRow + count  # where they are already
        ):
            return False
        last = sourceRow + count - 1
        if not self.beginMoveRows(QModelIndex(), sourceRow, last, QModelIndex(), destinationChild):
            return False
        moving = rows[sourceRow : sourceRow + count]
        del rows[sourceRow : sourceRow + count]
        at = destinationChild if destinationChild < sourceRow else destinationChild - count
        rows[at:at] = moving
        self._records = tuple(rows)
        self.endMoveRows()
        top, bottom = min(sourceRow, at), max(last, at + count - 1)
        self.dataChanged.emit(self.index(top, POSITION), self.index(bottom, POSITION))
        return True

    def move(self, row: int, by: int) -> bool:
        """Move one row up (``by`` -1) or down (+1); False at either end."""
        target = row + by
        if not 0 <= target < len(self._records):
            return False
        return self.moveRow(QModelIndex(), row, QModelIndex(), target + (1 if by > 0 else 0))

    # Dragging

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data = QMimeData()
        data.setData(ROWS_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self.movable and action == Qt.DropAction.MoveAction and data.hasFormat(ROWS_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Dropped between rows (``row``), on a row (``parent``: before it) or below the
        last (-1): the dragged row moves there."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        text = bytes(data.data(ROWS_MIME).data()).decode()
        rows = [int(part) for part in text.split(",") if part.isdigit()]
        if len(rows) != 1:  # one case is chosen at a time
            return False
        target = parent.row() if parent.isValid() else row
        if target < 0:
            target = len(self._records)
        return self.moveRows(QModelIndex(), rows[0], 1, QModelIndex(), target)


def agenda_table(parent: QWidget | None = None) -> QTableView:
    """A read-only table whose rows can be dragged to a new place (an internal move)."""
    table = read_only_table("Agenda", parent)
    table.setDragEnabled(True)
    table.setAcceptDrops(True)
    table.viewport().setAcceptDrops(True)
    table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    table.setDefaultDropAction(Qt.DropAction.MoveAction)
    table.setDragDropOverwriteMode(False)
    table.setDropIndicatorShown(True)
    return table


def show_agenda(table: QTableView, model: AgendaModel) -> None:
    """Put the agenda in the table: the decision takes the width left over, and no other
    column starts wider than ``MAX_COLUMN``, so a long name does not push it out of sight."""
    replace_model(table, model, AGENDA_DECISION)
    for column in range(model.columnCount()):
        if column != AGENDA_DECISION and table.columnWidth(column) > MAX_COLUMN:
            table.setColumnWidth(column, MAX_COLUMN)
