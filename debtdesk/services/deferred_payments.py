"""Deferred payment agreement decisions on an account (domain.deferred_payments): recorded
as they happen, never edited; the latest stands and says whether court action may start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import DpaRecord
from debtdesk.domain.deferred_payments import (
    DPA_NAMES,
    DpaDecision,
    DpaOutcome,
    court_action_refusal,
    needs_note,
)
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.users import require


@dataclass(frozen=True)
class DpaLine:
    id: int
    outcome: DpaOutcome
    outcome_name: str
    decided_on: date
    note: str
    actor: str
    at: datetime


def _latest(session: Session, account_id: int) -> DpaRecord | None:
    return session.scalars(
        select(DpaRecord)
        .where(DpaRecord.account_id == account_id)
        .order_by(DpaRecord.id.desc())
        .limit(1)
    ).first()


def court_action_blocked(session: Session, account_id: int) -> str | None:
    """Why a legal referral or county court claim cannot start on the account, or None."""
    row = _latest(session, account_id)
    return court_action_refusal(
        None if row is None else DpaDecision(row.outcome, row.decided_on, row.note)
    )


class DeferredPayments:
    """Recording and reading an account's deferred payment agreement decisions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[DpaLine]:
        """The account's decisions, the first first (the last one stands)."""
        with self._db.sessions() as session:
            return [
                DpaLine(r.id, r.outcome, DPA_NAMES[r.outcome], r.decided_on, r.note, r.actor, r.at)
                for r in session.scalars(
                    select(DpaRecord)
                    .where(DpaRecord.account_id == account_id)
                    .order_by(DpaRecord.id)
                )
            ]

    def court_action_blocked(self, account_id: int) -> str | None:
        """Why court action cannot start on the account yet, or None."""
        with self._db.sessions() as session:
            get_account(session, account_id)
            return court_action_blocked(session, account_id)

    def record(self, account_id: int, outcome: DpaOutcome, on: date, note: str = "") -> int:
        """Record a decision; its id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account.
            BadInput: no reason given for "not available", a date before the decision it
                follows, or a refusal or acceptance with no offer before it.
        """
        note = note.strip()
        if needs_note(outcome) and not note:
            raise BadInput("say why no deferred payment agreement is available to the person")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            account = get_account(session, account_id)
            latest = _latest(session, account_id)
            if latest is not None and on < latest.decided_on:
                raise BadInput(
                    f"the last decision ({DPA_NAMES[latest.outcome].lower()}) was recorded for "
                    f"{latest.decided_on:%d/%m/%Y}; a later one cannot be dated {on:%d/%m/%Y}"
                )
            answers = (DpaOutcome.REFUSED, DpaOutcome.ACCEPTED)
            if outcome in answers and (latest is None or latest.outcome is not DpaOutcome.OFFERED):
                raise BadInput(
                    f"record the offer first: an agreement can be {outcome.value} only once "
                    "it has been offered"
                )
            row = DpaRecord(
                account_id=account_id,
                outcome=outcome,
                decided_on=on,
                note=note,
                actor=self._db.actor,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                self._db.actor,
                "dpa.record",
                "account",
                account.reference,
                None if latest is None else {"outcome": latest.outcome.value},
                {"record": row.id, "outcome": outcome.value, "on": on, "note": note},
            )
            return row.id
