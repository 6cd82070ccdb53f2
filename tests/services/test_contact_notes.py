"""Contact notes: written, corrected by a new note, never edited; a letter notes itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.documents import DocumentKind
from debtdesk.services.contact_notes import ContactNotes, NewNote
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.letters import Letters
from tests.services.support import add_account, new_account

CALL = NewNote(
    happened_at=datetime(2026, 3, 10, 11, 30, tzinfo=UTC),
    channel=ContactChannel.PHONE,
    direction=Direction.INBOUND,
    with_whom="Mrs Brown (daughter, attorney)",
    summary="Called about the March statement; will pay £50 on Friday.",
    outcome="Promise to pay",
    next_action_on=date(2026, 3, 16),
)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        return new_account(s, "CN000001")


def test_a_note_is_written_and_read_back(db: Database, account: int) -> None:
    note_id = ContactNotes(db).add(account, CALL)
    [line] = ContactNotes(db).for_account(account)
    assert (line.id, line.channel, line.direction, line.author) == (
        note_id, ContactChannel.PHONE, Direction.INBOUND, "tester",
    )  # fmt: skip
    assert (line.summary, line.outcome, line.next_action_on) == (
        CALL.summary, "Promise to pay", date(2026, 3, 16),
    )  # fmt: skip
    assert line.happened_at == CALL.happened_at


def test_a_correction_is_a_new_note_and_the_old_one_stays(db: Database, account: int) -> None:
    first = ContactNotes(db).add(account, CALL)
    fixed = NewNote(**{**CALL.__dict__, "summary": "Will pay £60 on Friday, not £50."})
    second = ContactNotes(db).correct(first, fixed)
    lines = {line.id: line for line in ContactNotes(db).for_account(account)}
    assert lines[first].summary == CALL.summary and lines[first].corrected_by_id == second
    assert lines[second].corrects_id == first and lines[second].corrected_by_id is None
    with pytest.raises(BadInput, match=f"note {first} was corrected by note {second}"):
        ContactNotes(db).correct(first, fixed)


def test_the_database_refuses_an_edit(db: Database, account: int) -> None:
    note_id = ContactNotes(db).add(account, CALL)
    edit = text("UPDATE contact_notes SET summary = 'never said' WHERE id = :id")
    with pytest.raises(DBAPIError, match="contact_notes is append-only"), db.engine.begin() as c:
        c.execute(edit, {"id": note_id})
    assert ContactNotes(db).for_account(account)[0].summary == CALL.summary


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"summary": "  "}, "the summary is empty"),
        ({"with_whom": ""}, "say who the contact was with"),
        ({"happened_at": datetime.now(UTC) + timedelta(days=1)}, "before it happens"),
    ],
)
def test_a_note_that_says_nothing_is_refused(
    db: Database, account: int, change: dict[str, object], problem: str
) -> None:
    with pytest.raises(BadInput, match=problem):
        ContactNotes(db).add(account, NewNote(**{**CALL.__dict__, **change}))
    assert ContactNotes(db).for_account(account) == []


def test_an_issued_letter_notes_itself(db: Database, tmp_path: Path) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "CN000002", "Mr Colin Barr")
    issued = Letters(db).issue(
        account, DocumentKind.LETTER, date(2026, 3, 2), "Your visit", ("Thank you.",), tmp_path
    )
    [line] = ContactNotes(db).for_account(account)
    assert (line.channel, line.direction, line.document_id) == (
        ContactChannel.LETTER, Direction.OUTBOUND, issued.id,
    )  # fmt: skip
    assert line.with_whom == "Mr Colin Barr" and line.summary == f"{issued.title} sent"
