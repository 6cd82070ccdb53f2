"""The account view's Contact notes tab: every call, letter, email and visit, newest first.

The notes come from ``ContactNotes.for_account`` off the GUI thread. A note is never
edited: Correct… writes a new note naming the old one, and the old one stays, greyed and
struck through, saying which note corrects it. Letters debtdesk issued note themselves
and appear like any other note. Choosing a note shows the whole of it below the table.
Add note… and Correct… open a :class:`~debtdesk.gui.note_dialog.NoteDialog`; the tab
reloads after each and emits ``changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from debtdesk.domain.contacts import CHANNEL_NAMES, Direction
from debtdesk.gui.action_dialog import ActionDialog, OneDialog
from debtdesk.gui.formatting import sentence, uk_date
from debtdesk.gui.line_model import Column, Index, LineTableModel
from debtdesk.gui.note_dialog import NoteDialog
from debtdesk.gui.tables import read_only_table, replace_model, selected_record
from debtdesk.gui.tasks import run_task
from debtdesk.services.contact_notes import ContactNotes, NoteLine

DIRECTIONS = {Direction.INBOUND: "In", Direction.OUTBOUND: "Out"}
ACKNOWLEDGED = "Acknowledged the debt in writing"


def local_time(value: datetime) -> str:
    """An aware timestamp in this computer's local time: ``10/03/2026 11:30``."""
    return value.astimezone().strftime("%d/%m/%Y %H:%M")


def one_line(text: str) -> str:
    """A note's text on one line, for a table cell."""
    return " ".join(text.split())


def outcome(note: NoteLine) -> str:
    """The outcome, saying first when the person acknowledged the debt in writing."""
    text = one_line(note.outcome)
    if not note.acknowledges_debt:
        return text
    return f"{ACKNOWLEDGED}; {text[:1].lower()}{text[1:]}" if text else ACKNOWLEDGED


def correction(note: NoteLine) -> str:
    """``Corrected by note 14``, ``Corrects note 12``, both, or ""."""
    parts = []
    if note.corrected_by_id is not None:
        parts.append(f"Corrected by note {note.corrected_by_id}")
    if note.corrects_id is not None:
        parts.append(f"{'c' if parts else 'C'}orrects note {note.corrects_id}")
    return "; ".join(parts)


NOTE_COLUMNS: tuple[Column[NoteLine], ...] = (
    Column("When", lambda n: local_time(n.happened_at)),
    Column("Note", lambda n: str(n.id)),
    Column("Channel", lambda n: CHANNEL_NAMES.get(n.channel, n.channel.value)),
    Column("In/out", lambda n: DIRECTIONS.get(n.direction, n.direction.value)),
    Column("With whom", lambda n: n.with_whom),
    Column("Summary", lambda n: one_line(n.summary)),
    Column("Outcome", outcome),
    Column("Next action", lambda n: n.next_action_on, "date"),
    Column("By", lambda n: n.author),
    Column("Correction", correction),
)
NOTE_WITH_WHOM, NOTE_SUMMARY, NOTE_OUTCOME, NOTE_CORRECTION = 4, 5, 6, 9
CAPPED_CHARACTERS = 30
"""With whom and the outcome are cut at about this width (the tooltip has the whole):
the summary takes the width left over."""


class NotesModel(LineTableModel[NoteLine]):
    """The notes; a corrected one greyed and struck through (but for what corrects it)."""

    def __init__(self, notes: Sequence[NoteLine], parent: QObject | None = None) -> None:
        super().__init__(NOTE_COLUMNS, notes, parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            if role == Qt.ItemDataRole.ToolTipRole and self._corrected(index):
                note = self.record(index.row())
                return f"Corrected by note {note.corrected_by_id}: read that one instead."
            return super().data(index, role)
        if not self._corrected(index):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            palette = QGuiApplication.palette()  # a copy: keep the colour, not a reference
            return QColor(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if index.column() == NOTE_CORRECTION:
            return None  # "Corrected by note N" is read, not struck out
        font = QFont()
        font.setStrikeOut(True)
        return font

    def _corrected(self, index: Index) -> bool:
        return (
            index.isValid()
            and index.row() < self.rowCount()
            and self.record(index.row()).corrected_by_id is not None
        )


def notes_model(notes: Sequence[NoteLine], parent: QObject | None = None) -> NotesModel:
    return NotesModel(notes, parent)


def note_text(note: NoteLine) -> str:
    """The whole of a note, as shown below the table."""
    by = f"{CHANNEL_NAMES.get(note.channel, note.channel.value)}, "
    by += "in" if note.direction is Direction.INBOUND else "out"
    lines = [
        f"Note {note.id} — {local_time(note.happened_at)}, {by}, with {note.with_whom}. "
        f"Written by {note.author}.",
    ]
    if note.corrected_by_id is not None:
        lines.append(f"Corrected by note {note.corrected_by_id}: read that one instead.")
    if note.corrects_id is not None:
        lines.append(f"This note corrects note {note.corrects_id}.")
    if note.document_id is not None:
        lines.append("A letter debtdesk issued: it is on the Statements tab.")
    lines += ["", note.summary.strip()]
    if note.outcome.strip():
        lines += ["", f"Outcome: {note.outcome.strip()}"]
    if note.next_action_on is not None:
        lines.append(f"Next action on {uk_date(note.next_action_on)}")
    if note.acknowledges_debt:
        lines.append(
            "The person acknowledged the debt in writing: this restarts the six-year limit."
        )
    return "\n".join(lines)


def utc_now() -> datetime:
    return datetime.now(UTC)


class ContactNotesTab(QWidget, OneDialog):
    """The account's notes, newest first; the chosen one in full below; Add and Correct."""

    loaded = Signal()
    """The notes were (re)loaded."""
    changed = Signal()
    """A note was written (or a correction)."""

    def __init__(
        self,
        notes: ContactNotes,
        account_id: int,
        account_label: str = "",
        people: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._notes = notes
        self.account_id = account_id
        self.account_label = account_label
        self.people: tuple[str, ...] = tuple(people)
        """Offered in the dialog's "with whom": the client and their representatives."""
        self.clock: Callable[[], datetime] = utc_now
        self.lines: list[NoteLine] = []
        self.dialog: ActionDialog | None = None
        self._saved_message = ""

        self.table = read_only_table("Contact notes")
        self._notes_box = QGroupBox("Contact notes", self)
        QVBoxLayout(self._notes_box).addWidget(self.table)
        self.detail = QPlainTextEdit(self)
        self.detail.setAccessibleName("The chosen note in full")
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.detail.setPlaceholderText("Choose a note to read the whole of it here.")
        self._detail_box = QGroupBox("The chosen note", self)
        QVBoxLayout(self._detail_box).addWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._notes_box)
        splitter.addWidget(self._detail_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)

        self.add_button = QPushButton("&Add note…", self)
        self.add_button.setToolTip("Write down a call, letter, email or visit")
        self.correct_button = QPushButton("Co&rrect…", self)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Contact notes message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_note)
        self.correct_button.clicked.connect(self.correct_selected)
        self._note_chosen()
        self.reload()

    # Loading

    def reload(self, select_note: int | None = None, message: str = "") -> None:
        """Load the account's notes again, keeping (or moving to) the chosen one.

        Args:
            message: said once they are shown (what the last action did).
        """
        chosen = self.selected_note()
        keep = select_note or (chosen.id if chosen else None)
        notes, account_id = self._notes, self.account_id
        self.message.setText("Loading…")
        run_task(
            lambda: notes.for_account(account_id),
            lambda lines: self._show(lines, keep, message),
            lambda error: self.message.setText(
                sentence(f"the contact notes could not be loaded: {error}")
            ),
            owner=self,
        )

    def _show(self, lines: list[NoteLine], select: int | None, message: str) -> None:
        self.lines = lines
        replace_model(self.table, notes_model(lines, self), NOTE_SUMMARY)
        cap = self.table.fontMetrics().averageCharWidth() * CAPPED_CHARACTERS
        for column in (NOTE_WITH_WHOM, NOTE_OUTCOME):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))
        self.table.selectionModel().selectionChanged.connect(self._note_chosen)
        self._notes_box.setTitle(f"Contact notes ({len(lines)})")
        self.message.setText(message or ("" if lines else "No contact notes on this account yet."))
        row = next((i for i, n in enumerate(lines) if n.id == select), 0)
        if lines:
            self.table.selectRow(row)
        else:
            self._note_chosen()
        self.loaded.emit()

    def _note_chosen(self) -> None:
        note = self.selected_note()
        self.detail.setPlainText(note_text(note) if note else "")
        self.correct_button.setEnabled(note is not None and note.corrected_by_id is None)
        if note is not None and note.corrected_by_id is not None:
            tip = f"Note {note.id} was corrected by note {note.corrected_by_id}: correct that one"
        else:
            tip = "Put a mistake right with a new note; the chosen note stays, shown as corrected"
        self.correct_button.setToolTip(tip)

    def selected_note(self) -> NoteLine | None:
        record = selected_record(self.table)
        return record if isinstance(record, NoteLine) else None

    # Actions

    def _open(self, dialog: ActionDialog, done: str) -> ActionDialog:
        self._saved_message = done
        return self._open_one(dialog, self._saved)

    def _saved(self, note_id: object) -> None:
        self.reload(note_id if isinstance(note_id, int) else None, self._saved_message)
        self.changed.emit()

    def add_note(self) -> ActionDialog | None:
        if self.dialog is not None:
            return self.dialog  # one at a time
        dialog = NoteDialog(
            self._notes, self.account_id, self.clock(), self.account_label, self,
            people=self.people,
        )  # fmt: skip
        return self._open(dialog, "Note saved.")

    def correct_selected(self) -> ActionDialog | None:
        note = self.selected_note()
        if note is None or not self.correct_button.isEnabled():
            return None
        if self.dialog is not None:
            return self.dialog
        dialog = NoteDialog(
            self._notes, self.account_id, self.clock(), self.account_label, self,
            correcting=note, people=self.people,
        )  # fmt: skip
        return self._open(dialog, f"Correction saved: note {note.id} is kept, shown as corrected.")
