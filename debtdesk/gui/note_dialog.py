"""Writing a contact note, or a correction of one: the form and its one ``ContactNotes`` call.

A note says when (shown in local time, stored as UTC), by which channel, which way, with
whom, what was said, what came of it, when to act next, and whether the person
acknowledged the debt in writing. Notes are never edited: a correction is a new note,
prefilled from the one it corrects, written with ``ContactNotes.correct``; the old note
stays on the record. The service checks everything (a refusal is shown and the dialog
stays open).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from debtdesk.domain.contacts import CHANNEL_NAMES, ContactChannel, Direction, note_problem
from debtdesk.gui.action_dialog import ActionDialog, chosen_date, date_edit
from debtdesk.services.contact_notes import ContactNotes, NewNote, NoteLine
from debtdesk.services.errors import BadInput

WHEN_FORMAT = "dd/MM/yyyy HH:mm"
ACKNOWLEDGMENT_TIP = (
    "Tick only for an acknowledgment in writing, signed by the person who owes the debt "
    "(or their agent). It restarts the six-year limit on recovering the debt from its "
    "date (Limitation Act 1980 s29–30). What is said on the phone does not."
)


def local_datetime(value: datetime) -> QDateTime:
    """An aware timestamp as this computer's local wall-clock time, for a date-time field."""
    local = value.astimezone()
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second, local.microsecond // 1000),
    )


def utc_datetime(value: QDateTime) -> datetime:
    """A date-time field's local wall-clock time as an aware UTC timestamp."""
    d, t = value.date(), value.time()
    naive = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())
    naive = naive.replace(microsecond=t.msec() * 1000)
    return naive.astimezone(UTC)  # a naive datetime is read as local time


class NoteDialog(ActionDialog):
    """Write down one contact, or correct an earlier note with a new one naming it."""

    def __init__(
        self,
        notes: ContactNotes,
        account_id: int,
        now: datetime,
        account_label: str,
        parent: QWidget | None = None,
        *,
        correcting: NoteLine | None = None,
        people: Sequence[str] = (),
    ) -> None:
        if correcting is None:
            title, ok_text = "Add a contact note", "Sa&ve note"
            intro = (
                "Write down the contact as it happened. A note cannot be changed once "
                "saved: a mistake is put right with a correcting note."
            )
        else:
            title, ok_text = f"Correct note {correcting.id}", "Sa&ve correction"
            intro = (
                f"Notes are never changed: this saves a new note that corrects note "
                f"{correcting.id}. The old note stays on the record, shown as corrected."
            )
        full_title = f"{title} — {account_label}" if account_label else title
        super().__init__(full_title, intro, ok_text, parent)
        self._notes, self._account_id = notes, account_id
        self.correcting = correcting
        start = correcting.happened_at if correcting else now

        self.when = QDateTimeEdit(local_datetime(start), self)
        self.when.setAccessibleName("When")
        self.when.setDisplayFormat(WHEN_FORMAT)
        self.when.setCalendarPopup(True)
        local_today = now.astimezone().date()
        self.when.setMaximumDate(QDate(local_today.year, local_today.month, local_today.day))
        self.when.setToolTip("The date and time of the contact, in local time")
        self._shown_when, self._start = self.when.dateTime(), start

        self.channel = QComboBox(self)
        self.channel.setAccessibleName("Channel")
        for channel, name in CHANNEL_NAMES.items():
            self.channel.addItem(name, channel.value)

        self.inbound = QRadioButton("&In: they contacted us", self)
        self.outbound = QRadioButton("O&ut: we contacted them", self)
        self.inbound.setAccessibleName("In: they contacted us")
        self.outbound.setAccessibleName("Out: we contacted them")
        self.direction = QButtonGroup(self)
        self.direction.addButton(self.inbound)
        self.direction.addButton(self.outbound)
        directions = QWidget(self)
        directions.setAccessibleName("Direction")
        row = QHBoxLayout(directions)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.inbound)
        row.addWidget(self.outbound)
        row.addStretch(1)

        self.with_whom = QComboBox(self)
        self.with_whom.setAccessibleName("With whom")
        self.with_whom.setEditable(True)
        self.with_whom.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.with_whom.addItems([person for person in people if person.strip()])
        self.with_whom.setCurrentIndex(-1)
        self.with_whom.lineEdit().setPlaceholderText("The client, a representative, or who else")
        self.with_whom.lineEdit().setMaxLength(200)

        self.summary = QPlainTextEdit(self)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("What was said or done")
        self.summary.setTabChangesFocus(True)
        self.summary.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)

        self.outcome = QLineEdit(self)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText("What came of it, e.g. promise to pay £50 on Friday")

        self.has_next_action = QCheckBox("Ne&xt action on:", self)
        self.has_next_action.setAccessibleName("Set a next action date")
        self.next_action = date_edit("Next action on", local_today, self)
        self.next_action.setEnabled(False)
        self.has_next_action.toggled.connect(self.next_action.setEnabled)

        self.acknowledges_debt = QCheckBox("The person &acknowledged the debt in writing", self)
        self.acknowledges_debt.setAccessibleName("The person acknowledged the debt in writing")
        self.acknowledges_debt.setToolTip(ACKNOWLEDGMENT_TIP)

        self.form.addRow("&When:", self.when)
        self.form.addRow("&Channel:", self.channel)
        self.form.addRow("Direction:", directions)
        self.form.addRow("With wh&om:", self.with_whom)
        self.form.addRow("&Summary:", self.summary)
        self.form.addRow("Ou&tcome:", self.outcome)
        self.form.addRow(self.has_next_action, self.next_action)
        self.form.addRow("", self.acknowledges_debt)
        self.setMinimumWidth(560)

        if correcting is not None:
            self._fill(correcting)
        (self.summary if correcting else self.channel).setFocus()

    def _fill(self, note: NoteLine) -> None:
        self.channel.setCurrentIndex(self.channel.findData(note.channel.value))
        button = self.inbound if note.direction is Direction.INBOUND else self.outbound
        button.setChecked(True)
        self.with_whom.setCurrentText(note.with_whom)
        self.summary.setPlainText(note.summary)
        self.outcome.setText(note.outcome)
        if note.next_action_on is not None:
            day = note.next_action_on
            self.next_action.setDate(QDate(day.year, day.month, day.day))
            self.has_next_action.setChecked(True)
        self.acknowledges_debt.setChecked(note.acknowledges_debt)

    def chosen_direction(self) -> Direction | None:
        if self.inbound.isChecked():
            return Direction.INBOUND
        if self.outbound.isChecked():
            return Direction.OUTBOUND
        return None

    def happened_at(self) -> datetime:
        """The contact's time as UTC; the corrected note's own, to the microsecond, if unchanged."""
        value = self.when.dateTime()
        return self._start if value == self._shown_when else utc_datetime(value)

    def next_action_on(self) -> date | None:
        return chosen_date(self.next_action) if self.has_next_action.isChecked() else None

    def note(self) -> NewNote:
        """The note as the fields say (raises BadInput for what is missing)."""
        direction = self.chosen_direction()
        if direction is None:
            raise BadInput("say which way the contact went: in (they contacted us) or out")
        with_whom, summary = self.with_whom.currentText(), self.summary.toPlainText()
        problem = note_problem(summary, with_whom)
        if problem:
            raise BadInput(problem)
        return NewNote(
            happened_at=self.happened_at(),
            channel=ContactChannel(self.channel.currentData()),
            direction=direction,
            with_whom=with_whom,
            summary=summary,
            outcome=self.outcome.text(),
            next_action_on=self.next_action_on(),
            acknowledges_debt=self.acknowledges_debt.isChecked(),
        )

    def work(self) -> Callable[[], object]:
        notes, note = self._notes, self.note()
        if self.correcting is not None:
            old = self.correcting.id
            return lambda: notes.correct(old, note)
        account_id = self._account_id
        return lambda: notes.add(account_id, note)
