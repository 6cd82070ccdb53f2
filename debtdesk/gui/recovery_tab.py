"""The account view's Recovery tab: where recovery stands, its holds, limits and write-offs.

At the top, in plain words: the stage reached and since when, what is overdue and since
when, the next stage and the day it falls due — or why it waits (a hold, an amount under
the stage's minimum, a kept plan, the Debt Management Panel's decision) — and what else
bears on it (broken plans, a write-off waiting, an invoice near its six-year limit).
Below, one page each: the stage history, the holds (Set hold…, End hold…), each open
invoice's last day to claim (those within six months, or past, highlighted) and the
write-offs (Recommend write-off…, Approve…, Reject…), and, when the owner passes them, the
Legal and agents page (gui.legal_panel) and the Panel page: the Debt Management Panel
meetings the account was on (gui.panel_history).

Everything is read off the GUI thread: ``summary(account_id, as_of)`` (the owner passes
``functools.partial(recovery_summary, db)``), ``Holds.for_account`` and
``WriteOffs.for_account``. Each action is a dialog making one service call; the tab
reloads after it and emits ``changed``. What the user's role does not allow is hidden;
the services check again, and their refusals are shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QAbstractItemModel, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.holds import HoldState
from debtdesk.domain.roles import Permission
from debtdesk.domain.write_offs import WriteOffStatus
from debtdesk.gui.action_dialog import ActionDialog, OneDialog
from debtdesk.gui.formatting import money, plural, sentence, uk_date
from debtdesk.gui.legal_panel import TITLE as LEGAL_TITLE
from debtdesk.gui.legal_panel import LegalPanel
from debtdesk.gui.line_model import Column, Index, LineTableModel
from debtdesk.gui.panel_history import TITLE as PANEL_TITLE
from debtdesk.gui.panel_history import PanelHistory
from debtdesk.gui.recovery_dialogs import (
    DecideWriteOffDialog,
    EndHoldDialog,
    HoldDialog,
    RecommendWriteOffDialog,
)
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.holds import HoldLine, Holds
from debtdesk.services.recovery import LimitLine, RecoverySummary, StageLine
from debtdesk.services.recovery_facts import CLEARED
from debtdesk.services.users import UserView
from debtdesk.services.write_offs import WriteOffLine, WriteOffs

SummaryReader = Callable[[int, date], RecoverySummary]

MAX_COLUMN = 220
"""The widest a column gets (but the one that takes the width left over), in pixels."""

WARN_MONTHS = 6
"""An invoice whose last day to claim is this near (or past) is highlighted."""

STAGES_PAGE, HOLDS_PAGE, LIMITS_PAGE, WRITE_OFFS_PAGE, LEGAL_PAGE = range(5)
PAGE_TITLES = ("&Stages", "H&olds", "Si&x-year limit", "&Write-offs")

HOLD_STATES = {
    HoldState.NOT_STARTED: "Not started yet",
    HoldState.IN_FORCE: "In force",
    HoldState.REVIEW_DUE: "In force, review due",
    HoldState.LIFTED: "Lifted: its end passed",
    HoldState.ENDED: "Ended",
}
OPEN_HOLDS = (HoldState.NOT_STARTED, HoldState.IN_FORCE, HoldState.REVIEW_DUE)
IN_FORCE = (HoldState.IN_FORCE, HoldState.REVIEW_DUE)

WRITE_OFF_STATUSES = {
    WriteOffStatus.RECOMMENDED: "Waiting for a decision",
    WriteOffStatus.APPROVED: "Approved",
    WriteOffStatus.REJECTED: "Rejected",
    WriteOffStatus.REFERRED: "Referred to the CFO",
}

WAITING = {"on hold": "the account is on hold"}
"""The summary's reasons for waiting, where a fuller phrase reads better."""

NEAR_BACKGROUND = QColor(255, 236, 179)  # amber: within six months of the last day
PAST_BACKGROUND = QColor(248, 215, 218)  # red: past it
HIGHLIGHT_TEXT = QColor(0, 0, 0)  # dark text on the light highlight, whatever the palette


# What the summary says


def current_stage_line(summary: RecoverySummary) -> StageLine | None:
    """The history line of the stage the account is at (the last one reached)."""
    if summary.stage is None:
        return None
    return next((h for h in reversed(summary.history) if h.code != CLEARED), None)


def stage_text(summary: RecoverySummary) -> str:
    """``Stage: Reminder (since 16/03/2026)``, or ``Not in recovery``."""
    line = current_stage_line(summary)
    if summary.stage is not None:
        since = f" (since {uk_date(line.effective_date)})" if line else ""
        return f"Stage: {summary.stage}{since}"
    if summary.history and summary.history[-1].code == CLEARED:
        return f"Not in recovery: it ended on {uk_date(summary.history[-1].effective_date)}"
    return "Not in recovery"


def overdue_text(summary: RecoverySummary) -> str:
    """``Overdue: £1,500.00 since 02/03/2026`` (the oldest unpaid due date)."""
    if summary.overdue <= 0:
        return "Nothing overdue"
    since = summary.oldest_overdue_due
    return f"Overdue: {money(summary.overdue)}" + (f" since {uk_date(since)}" if since else "")


def next_text(summary: RecoverySummary, as_of: date) -> str:
    """The next stage and its day, or why it waits."""
    why = WAITING.get(summary.waiting_because, summary.waiting_because)
    if summary.next_stage is None:  # "nothing is overdue" is said on the line above
        quiet = not why or summary.overdue <= 0
        return "Nothing comes next." if quiet else sentence(f"nothing comes next: {why}")
    due = summary.next_due
    if why:
        when = f", due {uk_date(due)}" if due else ""
        return sentence(f"Next: {summary.next_stage}{when} — waiting: {why}")
    if due is None:
        return sentence(f"Next: {summary.next_stage}")
    if due <= as_of:
        return f"Next: {summary.next_stage}, due {uk_date(due)}: the next recovery run takes it."
    return f"Next: {summary.next_stage} on {uk_date(due)}."


def near_limit(line: LimitLine, as_of: date) -> bool:
    """The invoice's last day to claim is past, or within six months of ``as_of``."""
    return line.last_day_to_claim <= as_of + relativedelta(months=WARN_MONTHS)


def limit_standing(line: LimitLine, as_of: date) -> str:
    """``Statute-barred since 03/03/2032``, ``Last day in 40 days``, or ""."""
    last = line.last_day_to_claim
    if last < as_of:
        return f"Statute-barred since {uk_date(last + timedelta(days=1))}"
    if last == as_of:
        return "Last day today"
    if near_limit(line, as_of):
        return f"Last day in {plural((last - as_of).days, 'day')}"
    return ""


def hold_until(hold: HoldLine) -> str:
    """``until 30/04/2026``, ``review 30/04/2026``, ``review due 30/04/2026``."""
    if hold.end_on is not None:
        return f"until {uk_date(hold.end_on)}"
    if hold.review_on is None:
        return ""
    due = " due" if hold.state is HoldState.REVIEW_DUE else ""
    return f"review{due} {uk_date(hold.review_on)}"


def standing_text(
    summary: RecoverySummary,
    holds: Sequence[HoldLine],
    write_offs: Sequence[WriteOffLine],
    as_of: date,
) -> str:
    """What else bears on recovery, a sentence a line: holds, plans, a write-off waiting,
    invoices near the six-year limit."""
    parts = []
    held = [h for h in holds if h.state in IN_FORCE]
    if held:
        parts.append("On hold: " + "; ".join(f"{h.reason_name} ({hold_until(h)})" for h in held))
    elif summary.on_hold:
        parts.append("On hold")
    if summary.kept_plan:
        parts.append("A payment plan is being kept")
    if summary.broken_plans:
        parts.append(plural(summary.broken_plans, "broken plan"))
    for line in write_offs:
        if line.status is WriteOffStatus.RECOMMENDED:
            parts.append(f"A write-off of {money(line.amount)} is waiting for a decision")
    near = [line for line in summary.limits if near_limit(line, as_of)]
    if near:
        parts.append(plural(len(near), "invoice") + " near or past the six-year limit")
    return "\n".join(f"{part}." for part in parts)


# The tables


def hold_state(hold: HoldLine) -> str:
    if hold.state is HoldState.ENDED and hold.ended_on is not None:
        return f"Ended {uk_date(hold.ended_on)} by {hold.ended_by}"
    return HOLD_STATES.get(hold.state, hold.state.value)


def hold_note(hold: HoldLine) -> str:
    if not hold.end_note:
        return hold.note
    ended = f"Ended: {hold.end_note}"
    return f"{hold.note} — {ended}" if hold.note else ended


def stage_output(line: StageLine) -> str:
    if line.document_id is not None:
        return "Letter"
    return "Task" if line.task_id is not None else ""


HISTORY_COLUMNS: tuple[Column[StageLine], ...] = (
    Column("Date", lambda h: h.effective_date, "date"),
    Column("Stage", lambda h: h.name),
    Column("Sent or set", stage_output),
    Column("By", lambda h: h.actor),
    Column("Note", lambda h: h.note),
)
HISTORY_NOTE = 4

HOLD_COLUMNS: tuple[Column[HoldLine], ...] = (
    Column("Reason", lambda h: h.reason_name),
    Column("From", lambda h: h.start_on, "date"),
    Column("To", lambda h: h.end_on, "date"),
    Column("Review", lambda h: h.review_on, "date"),
    Column("State", hold_state),
    Column("Set by", lambda h: h.set_by),
    Column("Note", hold_note),
)
HOLD_NOTE = 6


def local_day(moment: datetime) -> date:
    """A UTC timestamp's date on this computer's clock."""
    return moment.astimezone().date()


WRITE_OFF_COLUMNS: tuple[Column[WriteOffLine], ...] = (
    Column("Date", lambda w: local_day(w.recommended_at), "date"),
    Column("Amount", lambda w: w.amount, "money"),
    Column("Reason", lambda w: w.reason_name),
    Column("Status", lambda w: WRITE_OFF_STATUSES.get(w.status, w.status.value)),
    Column("Recommended by", lambda w: w.recommended_by),
    Column("Decided by", lambda w: w.decided_by),
    Column("Decision note", lambda w: w.decision_note),
)
WRITE_OFF_NOTE = 6


def write_off_text(line: WriteOffLine) -> str:
    """The chosen write-off's evidence and decision, in full, below the table."""
    said = f"Evidence: {line.evidence}"
    if line.status is WriteOffStatus.RECOMMENDED:
        return f"{said}\nWaiting for someone other than {line.recommended_by} to decide it."
    when = f" on {uk_date(local_day(line.decided_at))}" if line.decided_at else ""
    status = WRITE_OFF_STATUSES.get(line.status, line.status.value)
    decision = f"{status} by {line.decided_by}{when}"
    return (
        f"{said}\n{decision}: {line.decision_note}"
        if line.decision_note
        else f"{said}\n{decision}."
    )


LIMIT_STANDING = 4


def limit_columns(as_of: date) -> tuple[Column[LimitLine], ...]:
    return (
        Column("Invoice", lambda i: i.invoice_number),
        Column("Due", lambda i: i.due, "date"),
        Column("Outstanding", lambda i: i.outstanding, "money"),
        Column("Last day to claim", lambda i: i.last_day_to_claim, "date"),
        Column("Standing", lambda i: limit_standing(i, as_of)),
    )


class LimitsModel(LineTableModel[LimitLine]):
    """The open invoices' last days to claim; those near or past it highlighted."""

    def __init__(
        self, limits: Sequence[LimitLine], as_of: date, parent: QObject | None = None
    ) -> None:
        super().__init__(limit_columns(as_of), limits, parent)
        self._as_of = as_of

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if not index.isValid() or index.row() >= self.rowCount():
                return None
            line = self.record(index.row())
            if not near_limit(line, self._as_of):
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(HIGHLIGHT_TEXT)
            past = line.last_day_to_claim < self._as_of
            return QColor(PAST_BACKGROUND if past else NEAR_BACKGROUND)
        return super().data(index, role)


def history_model(
    history: Sequence[StageLine], parent: QObject | None = None
) -> LineTableModel[StageLine]:
    """The stages reached, the latest first."""
    return LineTableModel(HISTORY_COLUMNS, tuple(reversed(history)), parent)


def holds_model(
    holds: Sequence[HoldLine], parent: QObject | None = None
) -> LineTableModel[HoldLine]:
    return LineTableModel(HOLD_COLUMNS, holds, parent)


def limits_model(
    limits: Sequence[LimitLine], as_of: date, parent: QObject | None = None
) -> LimitsModel:
    return LimitsModel(limits, as_of, parent)


def write_offs_model(
    lines: Sequence[WriteOffLine], parent: QObject | None = None
) -> LineTableModel[WriteOffLine]:
    return LineTableModel(WRITE_OFF_COLUMNS, lines, parent)


def show_table(table: QTableView, model: QAbstractItemModel, stretch: int | None) -> None:
    """:func:`replace_model`, with no column but ``stretch`` wider than ``MAX_COLUMN``: a
    long reason or note is cut short (its tooltip has the whole of it) rather than
    pushing the rest of the row out of sight."""
    replace_model(table, model, stretch)
    for column in range(model.columnCount()):
        if column != stretch and table.columnWidth(column) > MAX_COLUMN:
            table.setColumnWidth(column, MAX_COLUMN)


def _label(name: str, parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _page(parent: QWidget, table: QTableView, *below: QWidget | QHBoxLayout) -> QWidget:
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.addWidget(table, 1)
    for item in below:
        if isinstance(item, QHBoxLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return page


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class RecoveryTab(QWidget, OneDialog):
    """The account's recovery in plain words above; history, holds, limits, write-offs below."""

    loaded = Signal()
    """The summary, holds and write-offs were (re)loaded."""
    changed = Signal()
    """A hold was set or ended, or a write-off recommended or decided."""

    def __init__(
        self,
        summary: SummaryReader,
        holds: Holds,
        write_offs: WriteOffs,
        user: UserView | None,
        account_id: int,
        as_of: date,
        account_label: str = "",
        balance: int = 0,
        parent: QWidget | None = None,
        *,
        legal: LegalPanel | None = None,
        panel: PanelHistory | None = None,
    ) -> None:
        super().__init__(parent)
        self._summary, self._holds, self._write_offs = summary, holds, write_offs
        self.legal = legal
        """The Legal and agents page, when the owner has its services."""
        self.panel = panel
        """The Panel page, when the owner has its service."""
        self.panel_page = -1
        self.user = user
        self.account_id = account_id
        self.as_of = as_of
        self.account_label = account_label
        self.balance = balance
        """Offered as a write-off's amount; the owner keeps it up to date."""
        self.summary: RecoverySummary | None = None
        self.hold_lines: list[HoldLine] = []
        self.write_off_lines: list[WriteOffLine] = []
        self.dialog: ActionDialog | None = None
        self.may_work = user is not None and user.may(Permission.WORK_ACCOUNTS)
        self.may_approve = user is not None and user.may(Permission.APPROVE_WRITE_OFFS)

        # Where recovery stands
        self.stage_label = _label("Recovery stage", self)
        font = self.stage_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.stage_label.setFont(font)
        self.overdue_label = _label("Overdue", self)
        self.next_label = _label("Next stage", self)
        self.standing_label = _label("Holds, plans and write-offs", self)
        self._summary_box = QGroupBox("Where recovery stands", self)
        summary_layout = QVBoxLayout(self._summary_box)
        for label in (self.stage_label, self.overdue_label, self.next_label, self.standing_label):
            summary_layout.addWidget(label)

        # Stage history
        self.history_table = read_only_table("Stage history")
        # Holds
        self.holds_table = read_only_table("Holds")
        self.set_hold_button = QPushButton("Set &hold…", self)
        self.set_hold_button.setToolTip("Stop the recovery clock: a dispute, Breathing Space, …")
        self.end_hold_button = QPushButton("&End hold…", self)
        # Six-year limit
        self.limits_table = read_only_table("Six-year limit")
        limits_about = _label("About the six-year limit", self)
        limits_about.setText(
            "The last day a claim can be issued: six years after the invoice fell due, "
            "restarted by a part-payment of it or a written acknowledgment of the debt "
            f"(Care Act s69(3)). Highlighted: within {WARN_MONTHS} months, or past."
        )
        # Write-offs
        self.write_offs_table = read_only_table("Write-offs")
        self.write_off_detail = _label("The chosen write-off", self)
        self.recommend_button = QPushButton("Re&commend write-off…", self)
        self.approve_button = QPushButton("A&pprove…", self)
        self.approve_button.setToolTip("Approve the chosen write-off: it is posted")
        self.reject_button = QPushButton("Re&ject…", self)
        self.reject_button.setToolTip("Reject the chosen write-off, saying why")

        self.sections = QTabWidget(self)
        self.sections.setAccessibleName("Recovery sections")
        pages = (
            _page(self, self.history_table),
            _page(self, self.holds_table, _button_row(self.set_hold_button, self.end_hold_button)),
            _page(self, self.limits_table, limits_about),
            _page(
                self,
                self.write_offs_table,
                self.write_off_detail,
                _button_row(self.recommend_button, self.approve_button, self.reject_button),
            ),
        )
        for title, page in zip(PAGE_TITLES, pages, strict=True):
            self.sections.addTab(page, title)
        if legal is not None:
            self.sections.addTab(legal, LEGAL_TITLE)
            legal.counted.connect(self._legal_counted)
            if legal.has_loaded:  # before it was given to the tab
                self._legal_counted(len(legal.lines))
            legal.changed.connect(self.changed)
        if panel is not None:
            self.panel_page = self.sections.addTab(panel, PANEL_TITLE)
            panel.counted.connect(self._panel_counted)
            if panel.has_loaded:
                self._panel_counted(len(panel.lines))

        self.message = _label("Recovery message", self)

        layout = QVBoxLayout(self)
        layout.addWidget(self._summary_box)
        layout.addWidget(self.sections, 1)
        layout.addWidget(self.message)

        for button in (self.set_hold_button, self.end_hold_button, self.recommend_button):
            button.setVisible(self.may_work)
        for button in (self.approve_button, self.reject_button):
            button.setVisible(self.may_approve)
        self.set_hold_button.clicked.connect(self.set_hold)
        self.end_hold_button.clicked.connect(self.end_selected_hold)
        self.recommend_button.clicked.connect(self.recommend_write_off)
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self._enable_buttons()
        self.reload()

    # Loading

    def reload(
        self, hold: int | None = None, write_off: int | None = None, message: str = ""
    ) -> None:
        """Load the summary, holds and write-offs again, keeping (or moving to) the chosen ones.

        Args:
            hold, write_off: the ids to choose (None: keep the chosen ones).
            message: said once they are shown (what the last action did).
        """
        chosen_hold, chosen_write_off = self.selected_hold(), self.selected_write_off()
        keep_hold = hold or (chosen_hold.id if chosen_hold else None)
        keep_write_off = write_off or (chosen_write_off.id if chosen_write_off else None)
        summary, holds, write_offs = self._summary, self._holds, self._write_offs
        account_id, as_of = self.account_id, self.as_of
        self.message.setText("Loading…")
        run_task(
            lambda: (
                summary(account_id, as_of),
                holds.for_account(account_id, as_of),
                write_offs.for_account(account_id),
            ),
            lambda loaded: self._show(*loaded, keep_hold, keep_write_off, message),
            lambda error: self.message.setText(
                sentence(f"the recovery details could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(
        self,
        summary: RecoverySummary,
        holds: list[HoldLine],
        write_offs: list[WriteOffLine],
        hold: int | None,
        write_off: int | None,
        message: str,
    ) -> None:
        self.summary, self.hold_lines, self.write_off_lines = summary, holds, write_offs
        self.stage_label.setText(stage_text(summary))
        self.overdue_label.setText(overdue_text(summary))
        self.next_label.setText(next_text(summary, self.as_of))
        standing = standing_text(summary, holds, write_offs, self.as_of)
        self.standing_label.setText(standing)
        self.standing_label.setVisible(bool(standing))

        show_table(self.history_table, history_model(summary.history, self), HISTORY_NOTE)
        show_table(self.holds_table, holds_model(holds, self), HOLD_NOTE)
        limits = limits_model(summary.limits, self.as_of, self)
        show_table(self.limits_table, limits, LIMIT_STANDING)
        show_table(self.write_offs_table, write_offs_model(write_offs, self), WRITE_OFF_NOTE)
        for table in (self.holds_table, self.write_offs_table):
            table.selectionModel().selectionChanged.connect(self._enable_buttons)
        counts = (len(summary.history), len(holds), len(summary.limits), len(write_offs))
        for page, (title, count) in enumerate(zip(PAGE_TITLES, counts, strict=True)):
            self.sections.setTabText(page, f"{title} ({count})")

        self._choose(
            self.holds_table, [h.id for h in holds], hold, [h.state in IN_FORCE for h in holds]
        )
        waiting = [w.status is WriteOffStatus.RECOMMENDED for w in write_offs]
        self._choose(self.write_offs_table, [w.id for w in write_offs], write_off, waiting)
        self.message.setText(message)
        self._enable_buttons()
        self.loaded.emit()

    @staticmethod
    def _choose(table: QTableView, ids: list[int], keep: int | None, first: list[bool]) -> None:
        """Choose row ``keep``, or else the first that matters, or else the first row."""
        if not ids:
            return
        fallback = first.index(True) if any(first) else 0
        table.selectRow(ids.index(keep) if keep in ids else fallback)

    def _legal_counted(self, count: int) -> None:
        self.sections.setTabText(LEGAL_PAGE, f"{LEGAL_TITLE} ({count})")

    def _panel_counted(self, count: int) -> None:
        self.sections.setTabText(self.panel_page, f"{PANEL_TITLE} ({count})")

    def summary_text(self) -> str:
        """The summary as shown, a line each."""
        labels = (self.stage_label, self.overdue_label, self.next_label, self.standing_label)
        return "\n".join(label.text() for label in labels if label.text())

    # The selection

    def selected_hold(self) -> HoldLine | None:
        record = selected_record(self.holds_table)
        return record if isinstance(record, HoldLine) else None

    def selected_write_off(self) -> WriteOffLine | None:
        record = selected_record(self.write_offs_table)
        return record if isinstance(record, WriteOffLine) else None

    def _enable_buttons(self) -> None:
        hold = self.selected_hold()
        self.end_hold_button.setEnabled(hold is not None and hold.state in OPEN_HOLDS)
        self.end_hold_button.setToolTip(
            "End the chosen hold, saying why"
            if hold is None or hold.state in OPEN_HOLDS
            else "The chosen hold is over already"
        )
        waiting = next(
            (w for w in self.write_off_lines if w.status is WriteOffStatus.RECOMMENDED), None
        )
        self.recommend_button.setEnabled(waiting is None)
        self.recommend_button.setToolTip(
            f"A write-off of {money(waiting.amount)} is waiting for a decision: one at a time"
            if waiting
            else "Recommend writing off some or all of the balance; someone else decides"
        )
        line = self.selected_write_off()
        self.write_off_detail.setText(write_off_text(line) if line else "")
        self.write_off_detail.setVisible(line is not None)
        decidable = line is not None and line.status is WriteOffStatus.RECOMMENDED
        self.approve_button.setEnabled(decidable)
        self.reject_button.setEnabled(decidable)

    # Actions

    def _done(self, message: str, hold: int | None = None, write_off: int | None = None) -> None:
        self.reload(hold, write_off, message)
        self.changed.emit()

    def set_hold(self) -> ActionDialog | None:
        if not self.may_work:
            return None
        if self.dialog is not None:
            return self.dialog  # one at a time
        dialog = HoldDialog(self._holds, self.account_id, self.as_of, self.account_label, self)

        def done(result: object) -> None:
            reason = dialog.reason.currentText()
            hold = result if isinstance(result, int) else None
            self._done(f"Hold set: {reason}. Recovery waits while it is in force.", hold=hold)

        return self._open_one(dialog, done)

    def end_selected_hold(self) -> ActionDialog | None:
        hold = self.selected_hold()
        if hold is None or not self.may_work or not self.end_hold_button.isEnabled():
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = EndHoldDialog(self._holds, hold, self.as_of, self.account_label, self)
        text = f"Hold ended: {hold.reason_name}. The next recovery run takes the account on."
        return self._open_one(dialog, lambda _result: self._done(text, hold=hold.id))

    def recommend_write_off(self) -> ActionDialog | None:
        if not self.may_work or not self.recommend_button.isEnabled():
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = RecommendWriteOffDialog(
            self._write_offs, self.account_id, self.balance, self.account_label, self
        )

        def done(result: object) -> None:
            write_off = result if isinstance(result, int) else None
            self._done("Write-off recommended: it waits for someone else to decide it.",
                       write_off=write_off)  # fmt: skip

        return self._open_one(dialog, done)

    def approve_selected(self) -> ActionDialog | None:
        return self._decide(approve=True)

    def reject_selected(self) -> ActionDialog | None:
        return self._decide(approve=False)

    def _decide(self, *, approve: bool) -> ActionDialog | None:
        line = self.selected_write_off()
        if line is None or not self.may_approve or not self.approve_button.isEnabled():
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = DecideWriteOffDialog(
            self._write_offs, line, self.as_of, approve=approve, user=self.user,
            account_label=self.account_label, parent=self,
        )  # fmt: skip

        def done(result: object) -> None:
            amount = money(line.amount)
            if result is WriteOffStatus.REFERRED:
                text = (
                    f"The write-off of {amount} is above every approver's limit: referred to "
                    "the chief finance officer. Nothing was posted."
                )
            elif approve:
                text = f"Write-off approved: {amount} posted."
            else:
                text = f"Write-off of {amount} rejected. Nothing was posted."
            self._done(text, write_off=line.id)

        return self._open_one(dialog, done)
