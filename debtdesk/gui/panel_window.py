"""Recovery ▸ Debt Management Panel: the panel's meetings, and the chosen one's agenda.

On the left the meetings, the latest first (date, title, status, cases, undecided), and
Plan meeting…; on the right the chosen meeting (gui.panel_meeting): its agenda, built
and put in order while it is planned, its decisions once it is held, its minutes. The
meetings, the accounts waiting for the panel, and who may own an action are read off the
GUI thread (``Panels.meetings``, ``Panels.awaiting``, ``Users.list``); after each change
they are read again, keeping the chosen meeting and case, and ``changed`` is emitted
(a decision moves an account's recovery on and puts tasks on worklists).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from debtdesk.gui.action_dialog import ActionDialog, OneDialog
from debtdesk.gui.formatting import sentence
from debtdesk.gui.panel_agenda import MEETING_TITLE, meetings_model
from debtdesk.gui.panel_dialogs import PlanMeetingDialog
from debtdesk.gui.panel_meeting import TITLE, MeetingPane
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.case_pack import CasePacks
from debtdesk.services.caseload import Caseload
from debtdesk.services.database import Database
from debtdesk.services.panel import MeetingView, Panels
from debtdesk.services.panel_agenda import AgendaPacks
from debtdesk.services.panel_decisions import PanelDecisions
from debtdesk.services.panel_minutes import PanelMinutes
from debtdesk.services.users import Users, UserView, current_user

GEOMETRY = "panel_window/geometry"
SPLITTER = "panel_window/splitter"


def summary_text(meetings: list[MeetingView], awaiting: list[int]) -> str:
    """``2 meetings · 1 account waiting for the panel``."""
    count = len(meetings)
    said = f"{count} meeting{'' if count == 1 else 's'}" if count else "No meetings yet"
    waiting = len(awaiting)
    if waiting:
        said += f" · {waiting} account{'' if waiting == 1 else 's'} waiting for the panel"
    return said


class PanelWindow(QWidget, OneDialog):
    """The panel's meetings and agendas, in their own window."""

    loaded = Signal()
    changed = Signal()
    """Something was written: a decision may have moved accounts and made tasks."""
    open_account = Signal(int)

    def __init__(
        self,
        database: Database,
        today: date,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{TITLE} — debtdesk")
        self.setAccessibleName(TITLE)
        self._database, self._today, self._settings = database, today, settings
        self._panels = Panels(database)
        self.meetings: list[MeetingView] = []
        self.awaiting: list[int] = []
        self.dialog: ActionDialog | None = None
        self.notice: QMessageBox | None = None

        self.summary = QLabel("Loading…", self)
        self.summary.setAccessibleName("Meetings summary")
        self.summary.setWordWrap(True)
        meetings_label = QLabel("Mee&tings:", self)
        self.table = read_only_table("Meetings", self)
        meetings_label.setBuddy(self.table)
        self.plan_button = QPushButton("&Plan meeting…", self)
        self.plan_button.setToolTip("A new meeting: its date, title and who is to attend")
        self.refresh_button = QPushButton("&Refresh", self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(meetings_label)
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.plan_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        left_layout.addLayout(buttons)

        self.pane = MeetingPane(
            self._panels, PanelDecisions(database), Caseload(database), CasePacks(database),
            AgendaPacks(database), PanelMinutes(database),
            today, self,
        )  # fmt: skip
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.plan_button.clicked.connect(self.plan_meeting)
        self.refresh_button.clicked.connect(self._refresh_clicked)
        self.pane.acted.connect(self._acted)
        self.pane.stale.connect(self._refresh_clicked)
        self.pane.open_account.connect(self.open_account)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        for before, after in (
            (self.table, self.plan_button), (self.plan_button, self.refresh_button),
            (self.refresh_button, self.pane.table),
        ):  # fmt: skip
            QWidget.setTabOrder(before, after)
        self._restore()
        self.table.setFocus()
        self._load_users()

    # Loading

    def reload(
        self, message: str = "", case_id: int | None = None, meeting_id: int | None = None
    ) -> None:
        """Read the meetings and the accounts waiting again, keeping the chosen meeting and
        case (or choosing ``meeting_id``, ``case_id``), then say ``message``."""
        panels = self._panels
        self.summary.setText("Loading…")
        run_task(
            lambda: (panels.meetings(), panels.awaiting()),
            lambda found: self._show(*found, message, case_id, meeting_id),
            self._load_failed,
            owner=self,
        )

    def _load_failed(self, error: Exception) -> None:
        self.summary.setText(sentence(f"the meetings could not be loaded: {error}"))

    def _show(
        self,
        meetings: list[MeetingView],
        awaiting: list[int],
        message: str,
        case_id: int | None,
        meeting_id: int | None,
    ) -> None:
        chosen = self.selected_meeting()
        keep = meeting_id or (chosen.id if chosen else None)
        self.meetings, self.awaiting = meetings, awaiting
        self.summary.setText(summary_text(meetings, awaiting))
        replace_model(self.table, meetings_model(meetings, self), MEETING_TITLE)
        ids = [m.id for m in meetings]
        if ids:
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self.table.selectionModel().selectionChanged.connect(self._meeting_chosen)
        self.pane.show_meeting(self.selected_meeting(), awaiting, message, case_id)
        self.loaded.emit()

    def _load_users(self) -> None:
        database = self._database

        def load() -> tuple[UserView | None, list[UserView]]:
            return current_user(database), [u for u in Users(database).list() if u.active]

        run_task(load, self._users_loaded, self._users_failed, owner=self)

    def _users_loaded(self, found: tuple[UserView | None, list[UserView]]) -> None:
        self.pane.user, self.pane.owners = found

    def _users_failed(self, error: Exception) -> None:
        self.pane.message.setText(sentence(f"the users (for actions) could not be loaded: {error}"))

    def selected_meeting(self) -> MeetingView | None:
        record = selected_record(self.table)
        return record if isinstance(record, MeetingView) else None

    def choose_meeting(self, meeting_id: int) -> None:
        ids = [m.id for m in self.meetings]
        if meeting_id in ids:
            self.table.selectRow(ids.index(meeting_id))

    def _meeting_chosen(self) -> None:
        self.pane.show_meeting(self.selected_meeting(), self.awaiting)

    def _refresh_clicked(self) -> None:
        self.reload()

    def _acted(self, message: str, case_id: object) -> None:
        self.reload(message, case_id if isinstance(case_id, int) else None)
        self.changed.emit()

    # Planning

    def plan_meeting(self) -> ActionDialog | None:
        if self.dialog is not None:
            return self.dialog
        return self._open_one(PlanMeetingDialog(self._panels, self._today, self), self._planned)

    def _planned(self, meeting_id: object) -> None:
        new = meeting_id if isinstance(meeting_id, int) else None
        self.reload("Meeting planned: add the cases to its agenda.", meeting_id=new)
        self.changed.emit()

    # Geometry

    def _restore(self) -> None:
        settings = self._settings
        geometry = settings.value(GEOMETRY) if settings is not None else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 660)
            self.splitter.setSizes([520, 880])
        state = settings.value(SPLITTER) if settings is not None else None
        if state is not None:
            self.splitter.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue(GEOMETRY, self.saveGeometry())
            self._settings.setValue(SPLITTER, self.splitter.saveState())
        super().closeEvent(event)
