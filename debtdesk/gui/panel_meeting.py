"""One Debt Management Panel meeting in the panel window: its agenda and what can be done.

Above, the meeting in words (who attends, what is left to do); the agenda table, in
order, whose rows are dragged (or moved up and down) to change it; the chosen case in
full below. While the meeting is planned: Add account…, Add those waiting (N),
Recommendation…, Remove from agenda, Move up, Move down, Meeting held…; once held,
Record decision… for each case and Minute the meeting; always Open account and Preview
pack…. Each change is one service call off the GUI thread; when it is written the pane
emits ``acted`` and the window loads the meetings again. A refusal is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from debtdesk.domain.panel import MeetingStatus
from debtdesk.gui.action_dialog import ActionDialog, OneDialog
from debtdesk.gui.fields import note_label
from debtdesk.gui.panel_agenda import (
    AgendaModel,
    agenda_table,
    case_text,
    meeting_heading,
    meeting_text,
    show_agenda,
)
from debtdesk.gui.panel_decision import DecisionDialog
from debtdesk.gui.panel_dialogs import (
    AddAccountDialog,
    HoldMeetingDialog,
    RecommendDialog,
    confirm,
)
from debtdesk.gui.panel_pack import PackPreview
from debtdesk.gui.prompts import refusal
from debtdesk.gui.tables import selected_record
from debtdesk.gui.tasks import run_write
from debtdesk.services.case_pack import CasePacks
from debtdesk.services.caseload import Caseload
from debtdesk.services.panel import CaseLine, MeetingView, Panels
from debtdesk.services.panel_agenda import AgendaPacks
from debtdesk.services.panel_decisions import PanelDecisions
from debtdesk.services.panel_minutes import PanelMinutes
from debtdesk.services.users import UserView

TITLE = "Debt Management Panel"


def _button(text: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setToolTip(tip)
    return button


class MeetingPane(QWidget, OneDialog):
    """The chosen meeting's agenda and its actions."""

    acted = Signal(str, object)
    """A change was written: what to say, and the case to choose (or None)."""
    stale = Signal()
    """A change was refused: load the meeting again, to show what is written."""
    open_account = Signal(int)

    def __init__(
        self,
        panels: Panels,
        decisions: PanelDecisions,
        caseload: Caseload,
        packs: CasePacks,
        agendas: AgendaPacks,
        minutes: PanelMinutes,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._panels, self._decisions, self._caseload = panels, decisions, caseload
        self.meeting: MeetingView | None = None
        self.awaiting: list[int] = []
        self.owners: list[UserView] = []
        self.user: UserView | None = None
        self.model: AgendaModel | None = None
        self.dialog: ActionDialog | None = None
        self.notice: QMessageBox | None = None
        self.confirm: QMessageBox | None = None

        self.heading = QLabel("Choose a meeting, or plan one.", self)
        self.heading.setAccessibleName("Meeting")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.about = note_label("About the meeting", self)
        self.agenda_label = QLabel("A&genda:", self)
        self.table = agenda_table(self)
        self.table.setToolTip("Drag a case to change the order; press Enter to open the account")
        self.agenda_label.setBuddy(self.table)
        self.details = note_label("The chosen case", self)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = note_label("Panel message", self)
        self.pack = PackPreview(packs, agendas, minutes, today, self)
        self.pack.said.connect(self.message.setText)

        b = partial(_button, parent=self)
        self.add_button = b("&Add account…", "Put an account, by reference, on the agenda")
        self.waiting_button = b("Add those &waiting (0)", "Accounts the recovery run referred")
        self.recommend_button = b("Re&commendation…", "The officer's recommendation, and why")
        self.remove_button = b("Re&move from agenda", "Take the case off the agenda")
        self.up_button = b("Move &up", "Earlier on the agenda (Ctrl+Up)")
        self.down_button = b("Move &down", "Later on the agenda (Ctrl+Down)")
        self.open_button = b("&Open account", "The account's own window")
        self.preview_button = b("Pre&view pack…", "The case pack, in the desktop's PDF viewer")
        self.print_button = b("Pr&int pack…", "The case pack in a print preview, to print")
        self.agenda_button = b("Agenda pac&k…", "The agenda, then every case pack, in order")
        self.minutes_button = b("Minu&tes…", "The minutes as a PDF (a draft until minuted)")
        self.held_button = b("Meeting &held…", "It took place: who attended; then the decisions")
        self.decide_button = b("Record d&ecision…", "The panel's decision on the case, and actions")
        self.minute_button = b("Mi&nute the meeting", "Close the minutes: every case is decided")
        agenda_row, meeting_row = QHBoxLayout(), QHBoxLayout()
        for button in (
            self.add_button, self.waiting_button, self.recommend_button, self.remove_button,
            self.up_button, self.down_button,
        ):  # fmt: skip
            agenda_row.addWidget(button)
        agenda_row.addStretch(1)
        for button in (
            self.open_button, self.preview_button, self.print_button, self.agenda_button,
            self.minutes_button,
        ):  # fmt: skip
            meeting_row.addWidget(button)
        meeting_row.addStretch(1)
        for button in (self.held_button, self.decide_button, self.minute_button):
            meeting_row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.about)
        layout.addWidget(self.agenda_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(agenda_row)
        layout.addLayout(meeting_row)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_account)
        self.waiting_button.clicked.connect(self.add_waiting)
        self.recommend_button.clicked.connect(self.recommend)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(self.move_up)
        self.down_button.clicked.connect(self.move_down)
        self.open_button.clicked.connect(self.open_selected)
        self.preview_button.clicked.connect(self.preview_pack)
        self.print_button.clicked.connect(self.print_pack)
        self.agenda_button.clicked.connect(self.agenda_pack)
        self.minutes_button.clicked.connect(self.open_minutes)
        self.held_button.clicked.connect(self.hold)
        self.decide_button.clicked.connect(self.record_decision)
        self.minute_button.clicked.connect(self.minute)
        self.table.activated.connect(self._activated)
        for keys, slot in (("Ctrl+Up", self.move_up), ("Ctrl+Down", self.move_down)):
            shortcut = QShortcut(QKeySequence(keys), self.table, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.show_meeting(None, [])

    # What is shown

    def show_meeting(
        self,
        meeting: MeetingView | None,
        awaiting: Sequence[int],
        message: str = "",
        case_id: int | None = None,
    ) -> None:
        """Show ``meeting`` (None: none chosen), choosing ``case_id`` or the chosen case."""
        chosen = self.selected_case()
        keep = case_id or (chosen.id if chosen else None)
        self.meeting, self.awaiting = meeting, list(awaiting)
        planned = meeting is not None and meeting.status is MeetingStatus.PLANNED
        self.model = AgendaModel(meeting.cases if meeting else (), planned, self)
        show_agenda(self.table, self.model)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.model.rowsMoved.connect(self._rows_moved)
        self.heading.setText(meeting_heading(meeting) if meeting else "No meeting chosen")
        self.about.setText(meeting_text(meeting) if meeting else "Choose a meeting, or plan one.")
        ids = self.model.case_ids()
        if ids:
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self.message.setText(message)
        self._enable()

    def selected_case(self) -> CaseLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, CaseLine) else None

    def _enable(self) -> None:
        meeting, case = self.meeting, self.selected_case()
        status = meeting.status if meeting else None
        planned, held = status is MeetingStatus.PLANNED, status is MeetingStatus.HELD
        row = self.model.row_of(case.id) if case and self.model else -1
        last = self.model.rowCount() - 1 if self.model else -1
        self.details.setText(case_text(case) if case else "")
        self.waiting_button.setText(f"Add those &waiting ({len(self.awaiting)})")
        self.add_button.setEnabled(planned)
        self.waiting_button.setEnabled(planned and bool(self.awaiting))
        for button in (self.recommend_button, self.remove_button):
            button.setEnabled(planned and case is not None)
        self.up_button.setEnabled(planned and row > 0)
        self.down_button.setEnabled(planned and 0 <= row < last)
        self.open_button.setEnabled(case is not None)
        self.preview_button.setEnabled(case is not None)
        self.print_button.setEnabled(case is not None)
        self.agenda_button.setEnabled(bool(meeting and meeting.cases))
        self.minutes_button.setEnabled(meeting is not None and not planned)
        self.held_button.setEnabled(planned and bool(meeting and meeting.cases))
        self.decide_button.setEnabled(held and case is not None and case.decision is None)
        self.minute_button.setEnabled(held)

    # Dialogs, one at a time

    def add_account(self) -> ActionDialog | None:
        if self.meeting is None or not self.add_button.isEnabled() or self.dialog is not None:
            return self.dialog
        dialog = AddAccountDialog(self._panels, self._caseload, self.meeting, self)

        def done(case_id: object) -> None:
            row = dialog.chosen()
            added = row.reference if row else "The account"
            self.acted.emit(f"{added} added to the agenda.", case_id)

        return self._open_one(dialog, done)

    def recommend(self) -> ActionDialog | None:
        case = self.selected_case()
        if case is None or not self.recommend_button.isEnabled() or self.dialog is not None:
            return self.dialog
        dialog = RecommendDialog(self._panels, case, self)
        said = f"Recommendation on {case.account_ref} saved."
        return self._open_one(dialog, lambda _result: self.acted.emit(said, case.id))

    def hold(self) -> ActionDialog | None:
        if self.meeting is None or not self.held_button.isEnabled() or self.dialog is not None:
            return self.dialog
        dialog = HoldMeetingDialog(self._panels, self.meeting, self)
        said = "The meeting is recorded as held: record each case's decision."
        return self._open_one(dialog, lambda _result: self.acted.emit(said, None))

    def record_decision(self) -> ActionDialog | None:
        case, meeting = self.selected_case(), self.meeting
        if case is None or meeting is None or not self.decide_button.isEnabled():
            return None
        if self.dialog is not None:
            return self.dialog
        owner = self.user.username if self.user else None
        dialog = DecisionDialog(self._decisions, meeting, case, self.owners, owner, self)

        def done(_result: object) -> None:
            decided = dialog.option.currentText()
            self.acted.emit(f"Decision on {case.account_ref} recorded: {decided}.", case.id)

        return self._open_one(dialog, done)

    # Changes without a dialog

    def _write(self, call: Callable[[], object], said: str, case_id: int | None = None) -> None:
        self.message.setText("Saving…")
        run_write(
            call,
            lambda _result: self.acted.emit(said, case_id),
            self._refused,
            owner=self,
        )

    def _refused(self, error: Exception) -> None:
        self.message.setText("")
        self.notice = refusal(self, TITLE, error)
        self.stale.emit()  # a refused move: show the order as written, not as dragged

    def add_waiting(self) -> None:
        meeting = self.meeting
        if meeting is None or not self.waiting_button.isEnabled():
            return
        count = len(self.awaiting)
        panels = self._panels
        said = f"{count} account{'' if count == 1 else 's'} waiting for the panel added."
        self._write(lambda: panels.add_awaiting(meeting.id), said)

    def remove(self) -> None:
        case = self.selected_case()
        if case is None or not self.remove_button.isEnabled():
            return
        self.confirm = confirm(
            self,
            TITLE,
            f"Take {case.account_ref} {case.client_name} off the agenda?",
            "Its recommendation goes with it. An account the recovery run referred waits "
            "to be added again.",
            "Re&move",
            self._remove_confirmed,
        )

    def _remove_confirmed(self) -> None:
        case = self.selected_case()
        if case is not None:
            panels = self._panels
            said = f"{case.account_ref} taken off the agenda."
            self._write(lambda: panels.remove_case(case.id), said)

    def minute(self) -> None:
        if self.meeting is None or not self.minute_button.isEnabled():
            return
        self.confirm = confirm(
            self,
            TITLE,
            f"Minute {self.meeting.title}?",
            "The minutes close: no decision can be recorded or changed afterwards.",
            "Mi&nute",
            self._minute_confirmed,
        )

    def _minute_confirmed(self) -> None:
        meeting = self.meeting
        if meeting is not None:
            panels = self._panels
            self._write(lambda: panels.minute(meeting.id), "The meeting is minuted.")

    # Order

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(+1)

    def _move(self, by: int) -> None:
        case, model = self.selected_case(), self.model
        if case is not None and model is not None and model.movable:
            model.move(model.row_of(case.id), by)

    def _rows_moved(
        self, _parent: QModelIndex, _start: int, _end: int, _to: QModelIndex, _row: int
    ) -> None:
        """Dragged or moved: write the new order (and show the buttons for where it is)."""
        meeting, model = self.meeting, self.model
        if meeting is None or model is None:
            return
        self._enable()
        order, panels, case = model.case_ids(), self._panels, self.selected_case()
        self._write(
            lambda: panels.reorder(meeting.id, order),
            "The agenda's new order is saved.",
            case.id if case else None,
        )

    # Looking at a case

    def _activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        case = self.selected_case()
        if case is not None:
            self.open_account.emit(case.account_id)

    def print_pack(self) -> None:
        """The chosen case's pack in a print preview (gui.panel_pack)."""
        case, meeting = self.selected_case(), self.meeting
        if case is not None and meeting is not None:
            self.pack.print_pack(meeting, case, self)

    def agenda_pack(self) -> None:
        if self.meeting is not None:
            self.pack.open_agenda(self.meeting)

    def open_minutes(self) -> None:
        if self.meeting is not None:
            self.pack.open_minutes(self.meeting)

    def preview_pack(self) -> None:
        """The chosen case's pack in the desktop's PDF viewer (gui.panel_pack)."""
        case, meeting = self.selected_case(), self.meeting
        if case is not None and meeting is not None:
            self.pack.open(meeting, case)
