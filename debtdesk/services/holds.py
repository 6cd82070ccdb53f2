"""Holds on recovery: set with a reason and an end or review date, ended by an officer,
lifted by themselves when their end has passed (domain.holds)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Hold
from debtdesk.domain import holds as rules
from debtdesk.domain.holds import HOLD_NAMES, HoldReason, HoldState
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.sql import chunks
from debtdesk.services.users import require


@dataclass(frozen=True)
class HoldLine:
    id: int
    reason: HoldReason
    reason_name: str
    start_on: date
    end_on: date | None
    review_on: date | None
    note: str
    set_by: str
    set_at: datetime
    ended_on: date | None
    ended_by: str | None
    end_note: str
    state: HoldState
    """At the ``as_of`` the holds were read for."""


def _rule(hold: Hold) -> rules.Hold:
    return rules.Hold(
        hold.reason, hold.start_on, hold.end_on, hold.review_on, hold.set_by, hold.ended_on
    )


def _line(hold: Hold, as_of: date) -> HoldLine:
    return HoldLine(
        hold.id,
        hold.reason,
        HOLD_NAMES[hold.reason],
        hold.start_on,
        hold.end_on,
        hold.review_on,
        hold.note,
        hold.set_by,
        hold.set_at,
        hold.ended_on,
        hold.ended_by,
        hold.end_note,
        rules.hold_state(_rule(hold), as_of),
    )


def held_accounts(session: Session, account_ids: Iterable[int], as_of: date) -> set[int]:
    """The accounts among ``account_ids`` with a hold in force at ``as_of``."""
    held: set[int] = set()
    for chunk in chunks(sorted(set(account_ids))):
        for hold in session.scalars(
            select(Hold).where(Hold.account_id.in_(chunk), Hold.start_on <= as_of)
        ):
            if rules.in_force(_rule(hold), as_of):
                held.add(hold.account_id)
    return held


def add_hold(
    session: Session,
    account: Account,
    reason: HoldReason,
    start: date,
    actor: str,
    *,
    end: date | None = None,
    review: date | None = None,
    note: str = "",
) -> int:
    """Put a hold on the account in the caller's transaction, audited; its id.

    Raises:
        BadInput: neither an end nor a review date, or dates out of order.
    """
    end = end or rules.default_end(reason, start)
    problem = rules.hold_problem(reason, start, end, review)
    if problem:
        raise BadInput(problem)
    hold = Hold(
        account_id=account.id,
        reason=reason,
        start_on=start,
        end_on=end,
        review_on=review,
        note=note.strip(),
        set_by=actor,
    )
    session.add(hold)
    session.flush()
    audit.record(
        session,
        actor,
        "hold.set",
        "account",
        account.reference,
        None,
        {
            "hold": hold.id,
            "reason": reason.value,
            "start": start,
            "end": end,
            "review": review,
            "note": hold.note,
        },
    )
    return hold.id


def end_hold(session: Session, hold: Hold, on: date, actor: str, note: str) -> None:
    """End a hold from ``on`` in the caller's transaction, audited.

    Raises:
        BadInput: already ended or lifted by ``on``, or ``on`` before it started.
    """
    state = rules.hold_state(_rule(hold), on)
    if state in (HoldState.ENDED, HoldState.LIFTED):
        raise BadInput(f"the hold is already {state.value} by {on:%d/%m/%Y}")
    if on < hold.start_on:
        raise BadInput(f"a hold starting {hold.start_on:%d/%m/%Y} cannot end on {on:%d/%m/%Y}")
    hold.ended_on, hold.ended_by, hold.end_note = on, actor, note.strip()
    account = session.get(Account, hold.account_id)
    audit.record(
        session,
        actor,
        "hold.end",
        "account",
        account.reference if account else hold.account_id,
        {"hold": hold.id, "ended_on": None},
        {"hold": hold.id, "ended_on": on, "note": hold.end_note},
    )


def end_holds_for(
    session: Session, account_id: int, reason: HoldReason, on: date, actor: str, note: str
) -> list[int]:
    """End every hold for ``reason`` on the account still open at ``on``; their ids."""
    ended = []
    for hold in session.scalars(
        select(Hold)
        .where(Hold.account_id == account_id, Hold.reason == reason, Hold.ended_on.is_(None))
        .order_by(Hold.id)
    ):
        if rules.hold_state(_rule(hold), on) in (HoldState.IN_FORCE, HoldState.REVIEW_DUE):
            end_hold(session, hold, on, actor, note)
            ended.append(hold.id)
    return ended


class Holds:
    """Setting, ending and listing an account's holds."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int, as_of: date) -> list[HoldLine]:
        """Every hold the account has had, newest first, each as it stands at ``as_of``."""
        with self._db.sessions() as session:
            return [
                _line(hold, as_of)
                for hold in session.scalars(
                    select(Hold)
                    .where(Hold.account_id == account_id)
                    .order_by(Hold.start_on.desc(), Hold.id.desc())
                )
            ]

    def set(
        self,
        account_id: int,
        reason: HoldReason,
        start: date,
        *,
        end: date | None = None,
        review: date | None = None,
        note: str = "",
    ) -> int:
        """Put a hold on the account; its id. A standard Breathing Space ends by itself
        after 60 days unless an end is given.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account.
            BadInput: neither an end nor a review date, or dates out of order.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            account = get_account(session, account_id)
            return add_hold(
                session, account, reason, start, self._db.actor, end=end, review=review, note=note
            )

    def end(self, hold_id: int, on: date, note: str) -> None:
        """End a hold from ``on`` (it is not in force that day).

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such hold.
            BadInput: no note, already ended or lifted, or ``on`` before it started.
        """
        if not note.strip():
            raise BadInput("say why the hold ends")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            hold = session.get(Hold, hold_id)
            if hold is None:
                raise NotFound(f"no hold {hold_id}")
            end_hold(session, hold, on, self._db.actor, note)
