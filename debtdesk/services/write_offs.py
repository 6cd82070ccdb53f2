"""Write-offs: an officer recommends, someone else within their authority decides.

Approval posts a write-off entry (effective on the decision's date) and allocates it
oldest first, like any credit; a rejection or a referral posts nothing. Everything is in
the audit trail. Who may decide what is domain.write_offs; the limits are the team's
(setting ``write_offs.limits``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, WriteOff
from debtdesk.db.types import utcnow
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.domain.money import format_pounds
from debtdesk.domain.roles import Permission
from debtdesk.domain.write_offs import (
    REASON_NAMES,
    Decision,
    WriteOffReason,
    WriteOffStatus,
    rule_on,
)
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotAllowed, NotFound
from debtdesk.services.ledger import allocate, post_entry
from debtdesk.services.settings import write_off_limits
from debtdesk.services.users import require


@dataclass(frozen=True)
class WriteOffLine:
    id: int
    account_id: int
    account_ref: str
    client_name: str
    amount: int
    reason: WriteOffReason
    reason_name: str
    evidence: str
    status: WriteOffStatus
    recommended_by: str
    recommended_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    entry_id: int | None


def _line(w: WriteOff, account: Account) -> WriteOffLine:
    return WriteOffLine(
        w.id,
        w.account_id,
        account.reference,
        account.client_name,
        w.amount,
        w.reason,
        REASON_NAMES[w.reason],
        w.evidence,
        w.status,
        w.recommended_by,
        w.recommended_at,
        w.decided_by,
        w.decided_at,
        w.decision_note,
        w.entry_id,
    )


def add_recommendation(
    session: Session,
    account: Account,
    amount: int,
    reason: WriteOffReason,
    evidence: str,
    actor: str,
) -> int:
    """Recommend a write-off in the caller's transaction, audited; its id.

    Raises:
        BadInput: no evidence, the amount is not more than zero or more than the balance,
            or a recommendation is already waiting on the account.
    """
    if not evidence.strip():
        raise BadInput("give the evidence for the write-off")
    if amount <= 0:
        raise BadInput(f"a write-off must be more than £0.00, not {format_pounds(amount)}")
    if amount > account.balance:
        raise BadInput(
            f"{format_pounds(amount)} is more than the balance of {format_pounds(account.balance)}"
        )
    waiting = session.scalar(
        select(WriteOff.id).where(
            WriteOff.account_id == account.id,
            WriteOff.status == WriteOffStatus.RECOMMENDED,
        )
    )
    if waiting is not None:
        raise BadInput(f"write-off {waiting} is already waiting for a decision")
    row = WriteOff(
        account_id=account.id,
        amount=amount,
        reason=reason,
        evidence=evidence.strip(),
        status=WriteOffStatus.RECOMMENDED,
        recommended_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "write_off.recommend",
        "account",
        account.reference,
        None,
        {"write_off": row.id, "amount": amount, "reason": reason.value},
    )
    return row.id


class WriteOffs:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[WriteOffLine]:
        """The account's write-offs, the latest first."""
        return self._list(WriteOff.account_id == account_id)

    def waiting(self) -> list[WriteOffLine]:
        """Recommendations waiting for a decision, the oldest first."""
        return self._list(WriteOff.status == WriteOffStatus.RECOMMENDED, oldest_first=True)

    def _list(self, condition: object, *, oldest_first: bool = False) -> list[WriteOffLine]:
        order = WriteOff.id if oldest_first else WriteOff.id.desc()
        with self._db.sessions() as session:
            return [
                _line(w, a)
                for w, a in session.execute(
                    select(WriteOff, Account)
                    .join(Account, Account.id == WriteOff.account_id)
                    .where(condition)  # type: ignore[arg-type]
                    .order_by(order)
                ).tuples()
            ]

    def recommend(self, account_id: int, amount: int, reason: WriteOffReason, evidence: str) -> int:
        """Recommend writing off ``amount`` pence; the recommendation's id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account.
            BadInput: no evidence, the amount is not more than zero or more than the
                balance, or a recommendation is already waiting on the account.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            account = get_account(session, account_id)
            return add_recommendation(session, account, amount, reason, evidence, self._db.actor)

    def approve(self, write_off_id: int, on: date, note: str = "") -> WriteOffStatus:
        """Approve a recommendation: posted (``approved``) or, above every limit,
        ``referred``.

        Raises:
            NotAllowed: the login recommended it, may not approve write-offs, or the
                amount is over their authority (naming who may); nothing was posted.
            NotFound: no such write-off.
            BadInput: it was decided already, or the balance is now less than it.
        """
        with self._db.sessions.begin() as session:
            approver = require(session, self._db.actor, Permission.APPROVE_WRITE_OFFS)
            row = self._waiting(session, write_off_id)
            ruling = rule_on(  # logins compared as Windows does, ignoring case
                row.amount,
                row.recommended_by.lower(),
                self._db.actor.lower(),
                approver.role,
                write_off_limits(session),
            )
            if ruling.decision is None:
                raise NotAllowed(ruling.refusal + "; nothing was posted")
            account = get_account(session, row.account_id)
            if ruling.decision is Decision.REFER:
                self._decide(session, row, account, WriteOffStatus.REFERRED, note)
                return WriteOffStatus.REFERRED
            if row.amount > account.balance:
                raise BadInput(
                    f"the balance is now {format_pounds(account.balance)}, less than the "
                    f"{format_pounds(row.amount)} recommended: reject it and recommend again"
                )
            entry = post_entry(
                session,
                row.account_id,
                EntryKind.WRITE_OFF,
                -row.amount,
                on,
                source=EntrySource.USER,
                actor=self._db.actor,
                description=f"Written off: {REASON_NAMES[row.reason]}",
            )
            allocate(session, row.account_id, self._db.actor)
            row.entry_id = entry.id
            self._decide(session, row, account, WriteOffStatus.APPROVED, note)
            return WriteOffStatus.APPROVED

    def reject(self, write_off_id: int, note: str) -> None:
        """Reject a recommendation, saying why.

        Raises:
            NotAllowed: the login may not approve write-offs, or recommended it.
            NotFound: no such write-off.
            BadInput: no reason given, or it was decided already.
        """
        if not note.strip():
            raise BadInput("say why the write-off is rejected")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.APPROVE_WRITE_OFFS)
            row = self._waiting(session, write_off_id)
            if row.recommended_by.lower() == self._db.actor.lower():
                raise NotAllowed("the person who recommended a write-off cannot decide it")
            account = get_account(session, row.account_id)
            self._decide(session, row, account, WriteOffStatus.REJECTED, note)

    def _decide(
        self,
        session: Session,
        row: WriteOff,
        account: Account,
        status: WriteOffStatus,
        note: str,
    ) -> None:
        row.status = status
        row.decided_by = self._db.actor
        row.decided_at = utcnow()
        row.decision_note = note.strip()
        audit.record(
            session,
            self._db.actor,
            f"write_off.{status.value}",
            "account",
            account.reference,
            {"write_off": row.id, "status": WriteOffStatus.RECOMMENDED.value},
            {
                "write_off": row.id,
                "status": status.value,
                "amount": row.amount,
                "entry": row.entry_id,
                "note": row.decision_note,
            },
        )

    @staticmethod
    def _waiting(session: Session, write_off_id: int) -> WriteOff:
        row = session.get(WriteOff, write_off_id)
        if row is None:
            raise NotFound(f"no write-off {write_off_id}")
        if row.status is not WriteOffStatus.RECOMMENDED:
            raise BadInput(f"write-off {write_off_id} was {row.status.value} already")
        return row
