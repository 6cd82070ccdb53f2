"""Contact notes: added, corrected by a new note naming the old, never edited; letters
log themselves (domain.contacts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from debtdesk.db.models import ContactNote, Representative
from debtdesk.db.types import utcnow
from debtdesk.domain.contacts import ContactChannel, Direction, note_problem
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.users import require


@dataclass(frozen=True)
class NoteLine:
    id: int
    happened_at: datetime
    channel: ContactChannel
    direction: Direction
    with_whom: str
    summary: str
    outcome: str
    next_action_on: date | None
    acknowledges_debt: bool
    author: str
    corrects_id: int | None
    corrected_by_id: int | None
    """The later note that corrects this one: read that one instead."""
    document_id: int | None


@dataclass(frozen=True)
class NewNote:
    """What an officer writes down."""

    happened_at: datetime
    channel: ContactChannel
    direction: Direction
    with_whom: str
    summary: str
    outcome: str = ""
    next_action_on: date | None = None
    representative_id: int | None = None
    acknowledges_debt: bool = False


def log_letter(
    session: Session,
    account_id: int,
    document_id: int,
    title: str,
    addressee: str,
    actor: str,
) -> None:
    """A letter debtdesk issued, noted on the account in the caller's transaction."""
    session.add(
        ContactNote(
            account_id=account_id,
            happened_at=utcnow(),
            channel=ContactChannel.LETTER,
            direction=Direction.OUTBOUND,
            with_whom=addressee[:200],
            summary=f"{title} sent",
            outcome="",
            document_id=document_id,
            author=actor,
        )
    )


class ContactNotes:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[NoteLine]:
        """The account's notes, the latest contact first."""
        later = aliased(ContactNote)
        with self._db.sessions() as session:
            rows = session.execute(
                select(ContactNote, later.id)
                .outerjoin(later, later.corrects_id == ContactNote.id)
                .where(ContactNote.account_id == account_id)
                .order_by(ContactNote.happened_at.desc(), ContactNote.id.desc())
            ).all()
            return [
                NoteLine(
                    n.id,
                    n.happened_at,
                    n.channel,
                    n.direction,
                    n.with_whom,
                    n.summary,
                    n.outcome,
                    n.next_action_on,
                    n.acknowledges_debt,
                    n.author,
                    n.corrects_id,
                    corrected_by,
                    n.document_id,
                )
                for n, corrected_by in rows
            ]

    def add(self, account_id: int, note: NewNote) -> int:
        """Write a note; its id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account, or a representative not the account's.
            BadInput: no summary, no one named, or a contact in the future.
        """
        with self._db.sessions.begin() as session:
            return self._add(session, account_id, note, None)

    def correct(self, note_id: int, note: NewNote) -> int:
        """Correct a note with a new one naming it; the new note's id. The old one stays.

        Raises:
            NotFound: no such note.
            BadInput: it was corrected already (correct the correction), or as :meth:`add`.
        """
        with self._db.sessions.begin() as session:
            old = session.get(ContactNote, note_id)
            if old is None:
                raise NotFound(f"no contact note {note_id}")
            already = session.scalar(
                select(ContactNote.id).where(ContactNote.corrects_id == old.id)
            )
            if already is not None:
                raise BadInput(
                    f"note {note_id} was corrected by note {already}: correct that one instead"
                )
            return self._add(session, old.account_id, note, old.id)

    def _add(self, session: Session, account_id: int, note: NewNote, corrects: int | None) -> int:
        require(session, self._db.actor, Permission.WORK_ACCOUNTS)
        problem = note_problem(note.summary, note.with_whom)
        if problem:
            raise BadInput(problem)
        if note.happened_at > utcnow():
            raise BadInput("a contact cannot be noted before it happens")
        account = get_account(session, account_id)
        if note.representative_id is not None:
            rep = session.get(Representative, note.representative_id)
            if rep is None or rep.account_id != account_id:
                raise NotFound(f"representative {note.representative_id} is not this account's")
        row = ContactNote(
            account_id=account_id,
            happened_at=note.happened_at,
            channel=note.channel,
            direction=note.direction,
            with_whom=note.with_whom.strip()[:200],
            representative_id=note.representative_id,
            summary=note.summary.strip(),
            outcome=note.outcome.strip(),
            next_action_on=note.next_action_on,
            acknowledges_debt=note.acknowledges_debt,
            corrects_id=corrects,
            author=self._db.actor,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            self._db.actor,
            "note.correct" if corrects else "note.add",
            "account",
            account.reference,
            {"note": corrects} if corrects else None,
            {"note": row.id, "channel": note.channel.value, "summary": row.summary},
        )
        return row.id
