"""The Recovery tab's Panel page: each Debt Management Panel meeting the account was on.

A row a meeting, oldest first (``Panels.for_account``, read off the GUI thread): its
date, title and status, the officer's recommendation and the panel's decision; the
chosen one's reasons below. The agenda itself is built in the panel window (Recovery ▸
Debt Management Panel…); this page only reads.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from debtdesk.domain.panel import MeetingStatus
from debtdesk.gui.fields import note_label
from debtdesk.gui.formatting import sentence, uk_date
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.panel import CaseLine, MeetingView, Panels

TITLE = "Pa&nel"

Line = tuple[MeetingView, CaseLine]

HISTORY_COLUMNS: tuple[Column[Line], ...] = (
    Column("Meets on", lambda line: line[0].meets_on, "date"),
    Column("Meeting", lambda line: line[0].title),
    Column("Status", lambda line: line[0].status_name),
    Column("Recommendation", lambda line: line[1].recommendation_name),
    Column("Decision", lambda line: line[1].decision_name or undecided(line[0])),
)
MEETING = 1


def undecided(meeting: MeetingView) -> str:
    """What the Decision column says before there is one."""
    return "Not yet" if meeting.status is MeetingStatus.HELD else ""


def history_model(lines: list[Line], parent: QObject | None = None) -> LineTableModel[Line]:
    return LineTableModel(HISTORY_COLUMNS, lines, parent)


def line_text(line: Line) -> str:
    """The chosen meeting's case in words: the recommendation's reasons, the decision."""
    meeting, case = line
    text = f"{meeting.title}, {uk_date(meeting.meets_on)} ({meeting.status_name.lower()})."
    if case.recommendation_name:
        text += f" Recommended: {case.recommendation_name}"
        text += f" — {case.reasons}" if case.reasons else "."
    if case.decision_name:
        text += f"\nPanel decision: {case.decision_name}."
    return text


class PanelHistory(QWidget):
    """The account's panel meetings, read only."""

    loaded = Signal()
    counted = Signal(int)
    """How many meetings the account was on, each time they are loaded."""

    def __init__(self, panels: Panels, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._panels, self.account_id = panels, account_id
        self.lines: list[Line] = []
        self.has_loaded = False
        self.table = read_only_table("Panel meetings", self)
        self.details = note_label("The chosen meeting", self)
        self.message = note_label("Panel message", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        chosen = self.selected()
        keep = chosen[0].id if chosen else None
        panels, account_id = self._panels, self.account_id
        run_task(
            lambda: panels.for_account(account_id),
            lambda lines: self._show(lines, keep),
            self._failed,
            owner=self,
        )

    def _failed(self, error: Exception) -> None:
        self.message.setText(sentence(f"the panel meetings could not be loaded: {error}"))

    def _show(self, lines: list[Line], keep: int | None) -> None:
        self.lines, self.has_loaded = lines, True
        replace_model(self.table, history_model(lines, self), MEETING)
        ids = [meeting.id for meeting, _ in lines]
        if ids:  # the latest, unless one was chosen
            self.table.selectRow(ids.index(keep) if keep in ids else len(ids) - 1)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self._chosen()
        self.message.setText(
            "" if lines else "This account has not been on a Debt Management Panel agenda."
        )
        self.counted.emit(len(lines))
        self.loaded.emit()

    def selected(self) -> Line | None:
        record = selected_record(self.table)
        return record if isinstance(record, tuple) else None

    def _chosen(self) -> None:
        line = self.selected()
        self.details.setText(line_text(line) if line else "")
        self.details.setVisible(line is not None)
