"""The Contact notes tab and its dialog: add, correct (the old note stays), refusals, letters."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.documents import DocumentKind
from debtdesk.gui.note_dialog import NoteDialog
from debtdesk.gui.notes_tab import NOTE_CORRECTION, ContactNotesTab, notes_model
from debtdesk.services.contact_notes import ContactNotes, NewNote
from debtdesk.services.database import Database
from debtdesk.services.letters import Letters
from tests.gui.money_support import take_notice
from tests.services.support import add_account

CLIENT = "Mrs Ann Client"
PEOPLE = (CLIENT, "Mr Brian Client (son, attorney)")
HEADINGS = [
    "When", "Note", "Channel", "In/out", "With whom", "Summary", "Outcome", "Next action",
    "By", "Correction",
]  # fmt: skip
CALL = NewNote(
    happened_at=datetime(2026, 3, 10, 11, 30, tzinfo=UTC),
    channel=ContactChannel.PHONE,
    direction=Direction.INBOUND,
    with_whom=PEOPLE[1],
    summary="Called about the March statement.\nWill pay £50 on Friday.",
    outcome="Promise to pay",
    next_action_on=date(2026, 3, 16),
)


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as session:
        return add_account(session, "CN000001", CLIENT)


@pytest.fixture
def london() -> Iterator[None]:
    """The computer's local time is UK time (an hour ahead of UTC in summer)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def make_tab(db: Database, account: int, qtbot: QtBot) -> ContactNotesTab:
    tab = ContactNotesTab(ContactNotes(db), account, "CN000001 Mrs Ann Client", PEOPLE)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    return tab


def cells(table: QWidget, row: int) -> list[str]:
    model = table.model()  # type: ignore[attr-defined]
    return [model.index(row, c).data() for c in range(model.columnCount())]


def row_of(tab: ContactNotesTab, note_id: int) -> int:
    return next(r for r, line in enumerate(tab.lines) if line.id == note_id)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_dialog(qtbot: QtBot, tab: ContactNotesTab, button: QPushButton) -> NoteDialog:
    click(qtbot, button)
    dialog = tab.dialog
    assert isinstance(dialog, NoteDialog) and dialog.isVisible()
    return dialog


def test_add_a_note_through_the_dialog(db: Database, account: int, qtbot: QtBot) -> None:
    tab = make_tab(db, account, qtbot)
    assert tab.table.model().rowCount() == 0
    assert tab.message.text() == "No contact notes on this account yet."
    assert not tab.correct_button.isEnabled()  # nothing chosen

    before = datetime.now(UTC)
    dialog = open_dialog(qtbot, tab, tab.add_button)
    assert dialog.windowTitle() == "Add a contact note — CN000001 Mrs Ann Client"
    assert dialog.correcting is None
    assert [dialog.with_whom.itemText(i) for i in range(dialog.with_whom.count())] == list(PEOPLE)
    assert dialog.with_whom.currentText() == ""  # chosen, never assumed
    assert "six-year limit" in dialog.acknowledges_debt.toolTip()
    assert not dialog.next_action.isEnabled()

    dialog.channel.setCurrentIndex(dialog.channel.findData(ContactChannel.VISIT.value))
    qtbot.mouseClick(dialog.outbound, Qt.MouseButton.LeftButton)
    dialog.with_whom.setCurrentIndex(1)
    qtbot.keyClicks(dialog.summary, "Visited at home with the son.")
    qtbot.keyClicks(dialog.outcome, "Signed acknowledgment handed over")
    dialog.has_next_action.setChecked(True)
    assert dialog.next_action.isEnabled()
    dialog.next_action.setDate(QDate(2030, 1, 7))
    dialog.acknowledges_debt.setChecked(True)
    with qtbot.waitSignal(tab.changed):
        click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()

    [line] = ContactNotes(db).for_account(account)
    assert (line.channel, line.direction, line.with_whom, line.author) == (
        ContactChannel.VISIT, Direction.OUTBOUND, PEOPLE[1], "tester",
    )  # fmt: skip
    assert line.next_action_on == date(2030, 1, 7) and line.acknowledges_debt
    assert line.happened_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= line.happened_at <= datetime.now(UTC)  # "now"

    assert tab.table.model().rowCount() == 1
    row = cells(tab.table, 0)
    assert row[1:] == [
        str(line.id), "Visit", "Out", PEOPLE[1], "Visited at home with the son.",
        "Acknowledged the debt in writing; signed acknowledgment handed over", "07/01/2030",
        "tester", "",
    ]  # fmt: skip
    assert row[0] == line.happened_at.astimezone().strftime("%d/%m/%Y %H:%M")
    assert tab.selected_note() == line  # the new note is chosen and shown in full
    assert "Visited at home with the son." in tab.detail.toPlainText()
    assert "restarts the six-year limit" in tab.detail.toPlainText()
    assert tab.message.text() == "Note saved."
    assert tab.correct_button.isEnabled()


def test_correct_a_note_and_see_both(db: Database, account: int, qtbot: QtBot) -> None:
    first = ContactNotes(db).add(account, CALL)
    tab = make_tab(db, account, qtbot)
    chosen = tab.selected_note()
    assert chosen is not None and chosen.id == first
    assert "Will pay £50 on Friday." in tab.detail.toPlainText()  # the whole summary
    assert cells(tab.table, 0)[5] == "Called about the March statement. Will pay £50 on Friday."

    dialog = open_dialog(qtbot, tab, tab.correct_button)
    assert dialog.windowTitle().startswith(f"Correct note {first} — ")
    assert f"corrects note {first}" in dialog.intro.text()
    # Prefilled from the note it corrects.
    assert dialog.channel.currentData() == ContactChannel.PHONE.value
    assert dialog.inbound.isChecked() and dialog.with_whom.currentText() == PEOPLE[1]
    assert dialog.summary.toPlainText() == CALL.summary
    assert dialog.outcome.text() == "Promise to pay"
    assert dialog.has_next_action.isChecked() and dialog.next_action.date() == QDate(2026, 3, 16)
    assert not dialog.acknowledges_debt.isChecked()

    dialog.summary.setPlainText("Called about the March statement. Will pay £60 on Friday.")
    with qtbot.waitSignal(tab.changed):
        click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()

    lines = {line.id: line for line in ContactNotes(db).for_account(account)}
    [second] = [i for i in lines if i != first]
    assert lines[second].corrects_id == first and lines[first].corrected_by_id == second
    assert lines[second].happened_at == CALL.happened_at  # the time was not touched
    assert lines[first].summary == CALL.summary  # the old note stays as it was

    model = tab.table.model()
    assert model.rowCount() == 2
    old, new = row_of(tab, first), row_of(tab, second)
    assert cells(tab.table, old)[NOTE_CORRECTION] == f"Corrected by note {second}"
    assert cells(tab.table, new)[NOTE_CORRECTION] == f"Corrects note {first}"
    assert "£60" in cells(tab.table, new)[5] and "£50" in cells(tab.table, old)[5]
    struck = model.index(old, 5).data(Qt.ItemDataRole.FontRole)
    assert struck is not None and struck.strikeOut()
    assert model.index(old, 5).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert model.index(old, NOTE_CORRECTION).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(new, 5).data(Qt.ItemDataRole.FontRole) is None
    assert "read that one instead" in model.index(old, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.selected_note() == lines[second]
    assert f"This note corrects note {first}." in tab.detail.toPlainText()
    assert f"note {first} is kept" in tab.message.text()


def test_correct_is_disabled_on_a_corrected_note(db: Database, account: int, qtbot: QtBot) -> None:
    notes = ContactNotes(db)
    first = notes.add(account, CALL)
    second = notes.correct(first, NewNote(**{**CALL.__dict__, "summary": "Will pay £60."}))
    tab = make_tab(db, account, qtbot)
    tab.table.selectRow(row_of(tab, first))
    assert not tab.correct_button.isEnabled()
    assert f"corrected by note {second}" in tab.correct_button.toolTip()
    assert f"Corrected by note {second}: read that one instead." in tab.detail.toPlainText()
    assert tab.correct_selected() is None and tab.dialog is None
    tab.table.selectRow(row_of(tab, second))
    assert tab.correct_button.isEnabled()  # the correction can itself be corrected


def test_an_empty_summary_is_refused_in_the_dialog(
    db: Database, account: int, qtbot: QtBot
) -> None:
    tab = make_tab(db, account, qtbot)
    dialog = open_dialog(qtbot, tab, tab.add_button)
    qtbot.keyClicks(dialog.with_whom.lineEdit(), "Mr Someone Else")
    qtbot.keyClicks(dialog.summary, "   ")

    click(qtbot, dialog.ok_button)  # no direction chosen
    assert "Say which way the contact went" in take_notice(dialog.notice)
    qtbot.mouseClick(dialog.inbound, Qt.MouseButton.LeftButton)

    click(qtbot, dialog.ok_button)
    assert "the summary is empty" in take_notice(dialog.notice)
    assert dialog.isVisible() and ContactNotes(db).for_account(account) == []
    assert tab.table.model().rowCount() == 0

    qtbot.keyClicks(dialog.summary, "Asked for a copy of the statement.")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    [line] = ContactNotes(db).for_account(account)
    assert line.with_whom == "Mr Someone Else"
    assert line.summary == "Asked for a copy of the statement."


def test_a_contact_in_the_future_is_refused_by_the_service(
    db: Database, account: int, qtbot: QtBot
) -> None:
    tab = make_tab(db, account, qtbot)
    dialog = open_dialog(qtbot, tab, tab.add_button)
    later = (datetime.now(UTC) + timedelta(hours=2)).astimezone()
    if later.date() != datetime.now().astimezone().date():
        pytest.skip("two hours from now is tomorrow: the field does not offer it")
    dialog.when.setTime(QTime(later.hour, later.minute))
    qtbot.mouseClick(dialog.outbound, Qt.MouseButton.LeftButton)
    dialog.with_whom.setCurrentIndex(0)
    qtbot.keyClicks(dialog.summary, "Rang back.")
    click(qtbot, dialog.ok_button)
    assert "A contact cannot be noted before it happens." in take_notice(dialog.notice)
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert ContactNotes(db).for_account(account) == []


def test_a_letter_debtdesk_issued_shows_as_a_note(
    db: Database, account: int, qtbot: QtBot, tmp_path: Path
) -> None:
    ContactNotes(db).add(account, CALL)
    issued = Letters(db).issue(
        account, DocumentKind.LETTER, date.today(), "Your visit", ("Thank you.",), tmp_path
    )
    tab = make_tab(db, account, qtbot)
    assert tab.table.model().rowCount() == 2
    assert tab.lines[0].document_id == issued.id  # issued now: the newest
    row = cells(tab.table, 0)
    assert row[2:6] == ["Letter", "Out", CLIENT, f"{issued.title} sent"]
    assert row[8] == "tester" and row[NOTE_CORRECTION] == ""
    assert "A letter debtdesk issued" in tab.detail.toPlainText()
    assert tab._notes_box.title() == "Contact notes (2)"


def test_times_show_in_local_time_and_are_kept_in_utc(
    london: None, db: Database, account: int, qtbot: QtBot
) -> None:
    summer = NewNote(**{**CALL.__dict__, "happened_at": datetime(2026, 7, 1, 10, 30, tzinfo=UTC)})
    first = ContactNotes(db).add(account, summer)
    tab = make_tab(db, account, qtbot)
    assert cells(tab.table, 0)[0] == "01/07/2026 11:30"  # BST
    dialog = open_dialog(qtbot, tab, tab.correct_button)
    assert dialog.when.dateTime() == QDateTime(QDate(2026, 7, 1), QTime(11, 30))
    dialog.when.setDateTime(QDateTime(QDate(2026, 7, 1), QTime(12, 0)))
    click(qtbot, dialog.ok_button)
    [line] = [n for n in ContactNotes(db).for_account(account) if n.corrects_id == first]
    assert line.happened_at == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)


def test_the_notes_model_passes_qt_model_tester(
    db: Database, account: int, qtmodeltester: ModelTester
) -> None:
    notes = ContactNotes(db)
    first = notes.add(account, CALL)
    notes.correct(first, NewNote(**{**CALL.__dict__, "acknowledges_debt": True}))
    notes.add(account, NewNote(**{**CALL.__dict__, "outcome": ""}))
    model = notes_model(notes.for_account(account))
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_the_tab_and_dialog_are_named_and_keyboard_reachable(
    db: Database, account: int, qtbot: QtBot
) -> None:
    ContactNotes(db).add(account, CALL)
    tab = make_tab(db, account, qtbot)
    for widget in (tab.table, tab.detail):
        assert widget.accessibleName() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    for button in (tab.add_button, tab.correct_button):
        assert "&" in button.text()
    assert tab.message.accessibleName()

    dialog = open_dialog(qtbot, tab, tab.add_button)
    fields = (
        dialog.when, dialog.channel, dialog.inbound, dialog.outbound, dialog.with_whom,
        dialog.summary, dialog.outcome, dialog.has_next_action, dialog.next_action,
        dialog.acknowledges_debt,
    )  # fmt: skip
    for field in fields:
        assert field.accessibleName(), field
        assert field.focusPolicy() & Qt.FocusPolicy.TabFocus, field.accessibleName()
    assert dialog.summary.tabChangesFocus()  # Tab leaves the summary
    assert "&" in dialog.ok_button.text()
    assert tab.add_note() is dialog  # one dialog at a time
    dialog.reject()
    assert tab.dialog is None
