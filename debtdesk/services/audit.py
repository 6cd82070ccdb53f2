"""The audit trail: who changed what, when, before and after, chained by SHA-256.

Each event stores the hash of the one before it, so a row changed or removed behind
debtdesk's back breaks the chain, and ``debtdesk check`` says where. Within a
transaction the chain's head is kept on the session, so an import recording thousands of
events reads it once and writes them with one flush; it is forgotten when any
transaction or savepoint ends, and read again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session, SessionTransaction

from debtdesk.db.models import AuditEvent
from debtdesk.db.types import utcnow

GENESIS = "0" * 64
_HEAD = "debtdesk.audit.head"


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        [
            event.prev_hash,
            event.at.isoformat(timespec="microseconds"),
            event.actor,
            event.action,
            event.entity,
            event.entity_id,
            event.before,
            event.after,
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction, chained to the latest one.

    The event is written at the session's next flush, after those recorded before it.
    """
    previous = session.info.get(_HEAD)
    if previous is None:
        previous = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=previous or GENESIS,
    )
    event.hash = _digest(event)
    session.add(event)
    session.info[_HEAD] = event.hash
    return event


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_head(session: Session, transaction: SessionTransaction) -> None:
    """A savepoint rolled back (or any transaction ended): the head is read afresh."""
    session.info.pop(_HEAD, None)


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    cleaned: dict[str, Any] = json.loads(json.dumps(values, default=str))
    return cleaned


def chain_problems(session: Session) -> Iterator[str]:
    """Every break in the audit chain: a changed row, or a row missing from the chain."""
    previous = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != previous:
            yield f"audit event {event.id} does not follow the one before it (a row is missing)"
        if _digest(event) != event.hash:
            yield f"audit event {event.id} was changed after it was written"
        previous = event.hash
