"""Recording the panel's decision on a case: the option decided, what was discussed, the
day, the actions it set (each with its owner and due date) and, for a write-off, the
amount and reason.

One :class:`~debtdesk.gui.action_dialog.ActionDialog` over ``PanelDecisions.record``: the
service moves the account to the stage the decision stands for, starts the write-off
recommendation and puts each action on its owner's worklist, or refuses (court action
before the deferred payment agreement was dealt with, an action due before the decision)
with the dialog left open to be put right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.panel import COURT_OPTIONS, PanelOption
from debtdesk.domain.write_offs import REASON_NAMES, WriteOffReason
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.gui.fields import line_edit, note_label, pounds_text, read_pounds, text_box, titled
from debtdesk.gui.formatting import money, uk_date
from debtdesk.gui.panel_dialogs import choose_option, chosen_option, option_combo
from debtdesk.services.errors import BadInput
from debtdesk.services.panel import CaseLine, MeetingView
from debtdesk.services.panel_decisions import NewAction, PanelDecisions, WriteOffTerms
from debtdesk.services.users import UserView

DUE_AFTER_DAYS = 14
"""A new action is offered as due two weeks after the decision."""
OWNER_WIDTH = 180
DUE_WIDTH = 120
COURT_NOTE = (
    "A charging order or county court claim is refused until a deferred payment agreement "
    "was offered and refused, or none is available (Care Act s69(2))."
)


class ActionRow(QWidget):
    """One action: what, whose, by when, and a button that takes the row away."""

    def __init__(
        self, owners: Sequence[UserView], owner: str | None, due: date, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("What is to be done")
        self.owner = QComboBox(self)
        for user in owners:
            self.owner.addItem(user.display_name, user.username)
        self.owner.setCurrentIndex(max(0, self.owner.findData(owner)))
        self.owner.setFixedWidth(OWNER_WIDTH)
        self.due = date_edit("Due", due, self)
        self.due.setFixedWidth(DUE_WIDTH)
        self.remove = QPushButton("Remove", self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.owner)
        row.addWidget(self.due)
        row.addWidget(self.remove)

    def number(self, number: int) -> None:
        """Name the row's fields for screen readers: ``Action 2 owner``."""
        self.text.setAccessibleName(f"Action {number}")
        self.owner.setAccessibleName(f"Action {number} owner")
        self.due.setAccessibleName(f"Action {number} due")
        self.remove.setAccessibleName(f"Remove action {number}")


class ActionRows(QWidget):
    """The actions the panel set, a row each; Add action adds one, Remove takes one away."""

    resized = Signal()
    """A row was added or taken away: the dialog fits itself to them."""

    def __init__(
        self,
        owners: Sequence[UserView],
        owner: str | None,
        due: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Actions")
        self._owners, self._owner, self._due = owners, owner, due
        self.rows: list[ActionRow] = []
        header = QHBoxLayout()
        for text, width in (("Action", 0), ("Owner", OWNER_WIDTH), ("Due", DUE_WIDTH)):
            heading = QLabel(text, self)
            if width:
                heading.setFixedWidth(width)
            header.addWidget(heading, 0 if width else 1)
        self.add_button = QPushButton("Add a&ction", self)
        self.add_button.setToolTip("Another action: it goes on its owner's worklist, due then")
        header.addWidget(self.add_button)
        self.none = QLabel("No actions: the decision alone.", self)
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.none)
        layout.addLayout(self._list)
        self.add_button.clicked.connect(self.add)

    def add(self) -> ActionRow:
        row = ActionRow(self._owners, self._owner, self._due() + timedelta(DUE_AFTER_DAYS), self)
        row.remove.clicked.connect(self._remove_clicked)
        self.rows.append(row)
        self._list.addWidget(row)
        row.show()  # now, not when the layout gets round to it: the focus goes to it
        self._renumber()
        self.resized.emit()
        row.text.setFocus()
        return row

    def _remove_clicked(self) -> None:
        button = self.sender()
        row = next((r for r in self.rows if r.remove is button), None)
        if row is not None:
            self.remove(self.rows.index(row))

    def remove(self, index: int) -> None:
        row = self.rows.pop(index)
        self._list.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        self.resized.emit()
        following = self.rows[min(index, len(self.rows) - 1)] if self.rows else None
        (following.text if following else self.add_button).setFocus()

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.number(number)
        self.none.setVisible(not self.rows)

    def actions(self) -> list[NewAction]:
        """The actions as typed.

        Raises:
            BadInput: a row has no text, or no owner to choose.
        """
        made = []
        for number, row in enumerate(self.rows, start=1):
            if not row.text.text().strip():
                raise BadInput(f"action {number} has no text: write it, or remove the row")
            owner = row.owner.currentData()
            if not owner:
                raise BadInput(f"action {number} needs its owner")
            made.append(NewAction(row.text.text().strip(), owner, chosen_date(row.due)))
        return made


class DecisionDialog(ActionDialog):
    """The panel's decision on one case of a meeting that was held."""

    def __init__(
        self,
        decisions: PanelDecisions,
        meeting: MeetingView,
        case: CaseLine,
        owners: Sequence[UserView],
        owner: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        owners: who may own an action (the active users).
        owner: the login offered as a new action's owner.
        """
        recommended = (
            f"Recommended: {case.recommendation_name}. " if case.recommendation_name else ""
        )
        super().__init__(
            titled("Record the decision", f"{case.account_ref} {case.client_name}"),
            f"{meeting.title}, {uk_date(meeting.meets_on)}. Balance {money(case.balance)}. "
            f"{recommended}The decision moves the account to the recovery stage it stands "
            "for; each action goes on its owner's worklist.",
            "Record &decision",
            parent,
        )
        self._decisions, self._case_id = decisions, case.id
        self.option = option_combo("Decision", self)
        choose_option(self.option, case.recommendation)
        self.court_note = note_label("About court action", self)
        self.court_note.setText(COURT_NOTE)
        self.discussion = text_box("Discussion", self, "What the panel discussed, and why")
        self.decided_on = date_edit("Decided on", meeting.meets_on, self)
        self.amount = line_edit("Write-off amount in pounds", self, "0.00")
        if case.balance > 0:
            self.amount.setText(pounds_text(case.balance))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.reason = QComboBox(self)
        self.reason.setAccessibleName("Write-off reason")
        for reason, name in REASON_NAMES.items():
            self.reason.addItem(name, reason.value)
        self.actions = ActionRows(owners, owner, self.chosen_day, self)

        self.form.addRow("D&ecision:", self.option)
        self.form.addRow("", self.court_note)
        self.form.addRow("Di&scussion:", self.discussion)
        self.form.addRow("Decided &on:", self.decided_on)
        self.form.addRow("&Amount (£):", self.amount)
        self.form.addRow("&Reason:", self.reason)
        self.form.addRow(self.actions)
        self.setMinimumWidth(720)
        self.option.currentIndexChanged.connect(self._option_chosen)
        self.actions.resized.connect(self._fit)
        self._option_chosen()
        self.discussion.setFocus()

    def chosen(self) -> PanelOption:
        option = chosen_option(self.option)
        assert option is not None
        return option

    def choose(self, option: PanelOption) -> None:
        choose_option(self.option, option)

    def choose_reason(self, reason: WriteOffReason) -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason.value))

    def chosen_day(self) -> date:
        return chosen_date(self.decided_on)

    def _option_chosen(self) -> None:
        option = self.chosen()
        self.form.setRowVisible(self.court_note, option in COURT_OPTIONS)
        for field in (self.amount, self.reason):
            self.form.setRowVisible(field, option is PanelOption.WRITE_OFF)
        self._fit()

    def _fit(self) -> None:
        """As tall as the fields now shown need (rows squeezed to their minimum read badly),
        keeping a width the officer gave it."""
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), hint.height())

    def work(self) -> Callable[[], object]:
        option, discussion, on = self.chosen(), self.discussion.toPlainText(), self.chosen_day()
        actions = self.actions.actions()
        write_off = None
        if option is PanelOption.WRITE_OFF:
            amount = read_pounds(self.amount.text(), "Write-off amount")
            write_off = WriteOffTerms(amount, WriteOffReason(self.reason.currentData()))
        decisions, case_id = self._decisions, self._case_id
        return lambda: decisions.record(case_id, option, discussion, on, actions, write_off)
