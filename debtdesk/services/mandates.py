"""The direct debit instruction register: set up, cancel, hold and release, with history.

Bank details are shown masked to everyone but the officer who keyed them (``set_up_by``;
an imported mandate has none, so it is masked for everyone). Every change is a
:class:`MandateEvent` and an audit event. A new instruction waits (``instruction_due``
``0N``) for the next dd run to send it to the bureau, and goes live then; an officer's
cancellation of a lodged one waits likewise to send its ``0C``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Collection, Mandate, MandateEvent
from debtdesk.domain.bacs_submission import TransactionCode, clean_bacs_text, reference_problem
from debtdesk.domain.caseload import MandateStatus
from debtdesk.domain.direct_debit import CollectionStatus, MandateEventKind, mask_digits
from debtdesk.domain.roles import Permission
from debtdesk.domain.working_days import is_working_day
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.sql import chunks
from debtdesk.services.users import require

ACTIVE = (MandateStatus.PENDING, MandateStatus.LIVE)


def snapshot(mandate: Mandate) -> dict[str, Any]:
    """A mandate's state for its history (bank details masked: history is read by anyone)."""
    return {
        "status": mandate.status.value,
        "payer_name": mandate.payer_name,
        "sort_code": mask_digits(mandate.sort_code),
        "account_number": mask_digits(mandate.account_number),
        "instruction_due": mandate.instruction_due,
        "hold_reason": mandate.hold_reason,
    }


def record_event(
    session: Session,
    mandate: Mandate,
    kind: MandateEventKind,
    effective: date,
    before: dict[str, Any] | None,
    *,
    actor: str,
    reason: str = "",
    batch_id: int | None = None,
) -> None:
    """Add the mandate's history event (its state after the change is read now)."""
    after = snapshot(mandate)
    session.add(
        MandateEvent(
            mandate_id=mandate.id,
            kind=kind,
            effective_date=effective,
            reason=reason,
            before=before,
            after=after,
            batch_id=batch_id,
            actor=actor,
        )
    )
    audit.record(
        session, actor, f"mandate.{kind.value}", "mandate", mandate.reference, before, after
    )


class ScheduledCollections:
    """Scheduled collections to cancel: counted as each mandate's are asked for, and
    cancelled together by :meth:`apply` (an import stopping thousands of mandates reads
    and writes them a few queries per 500, not two per mandate)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._scheduled: dict[int, list[tuple[date, int]]] = {}
        self._cancel: dict[str, list[int]] = defaultdict(list)

    def load(self, mandate_ids: Iterable[int]) -> None:
        """Read the mandates' scheduled collections now, ahead of :meth:`cancel`."""
        wanted = sorted({m for m in mandate_ids if m not in self._scheduled})
        for mandate_id in wanted:
            self._scheduled[mandate_id] = []
        for chunk in chunks(wanted):
            for collection_id, mandate_id, collection_date in self._session.execute(
                select(Collection.id, Collection.mandate_id, Collection.collection_date).where(
                    Collection.mandate_id.in_(chunk),
                    Collection.status == CollectionStatus.SCHEDULED,
                )
            ):
                self._scheduled[mandate_id].append((collection_date, collection_id))

    def cancel(self, mandate_id: int, from_date: date, note: str) -> int:
        """Cancel the mandate's scheduled collections dated on or after ``from_date``; how many."""
        self.load([mandate_id])
        keep: list[tuple[date, int]] = []
        cancelled = 0
        for collection_date, collection_id in self._scheduled[mandate_id]:
            if collection_date >= from_date:
                self._cancel[note].append(collection_id)
                cancelled += 1
            else:
                keep.append((collection_date, collection_id))
        self._scheduled[mandate_id] = keep
        return cancelled

    def apply(self) -> None:
        """Write the cancellations (a collection posted meanwhile is left as it is)."""
        for note, ids in self._cancel.items():
            for chunk in chunks(sorted(ids)):
                self._session.execute(
                    update(Collection)
                    .where(
                        Collection.id.in_(chunk),
                        Collection.status == CollectionStatus.SCHEDULED,
                    )
                    .values(status=CollectionStatus.CANCELLED, note=note)
                    .execution_options(synchronize_session=False)
                )
        self._cancel.clear()


@dataclass(frozen=True)
class MandateEventLine:
    effective_date: date
    kind: str
    reason: str
    actor: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CollectionLine:
    id: int
    collection_date: date
    amount: int
    transaction_code: str
    status: str
    note: str


@dataclass(frozen=True)
class MandateView:
    id: int
    reference: str
    payer_name: str
    sort_code: str
    account_number: str
    masked: bool
    status: str
    lodged_on: date | None
    instruction_due: str | None
    hold_reason: str | None
    set_up_by: str | None
    history: tuple[MandateEventLine, ...]
    collections: tuple[CollectionLine, ...]


def _check_details(reference: str, payer_name: str, sort_code: str, account_number: str) -> None:
    problems = []
    if (problem := reference_problem(reference)) is not None:
        problems.append(f"reference: {problem}")
    if not clean_bacs_text(payer_name):
        problems.append("payer name: give the account holder's name")
    if not (sort_code.isdigit() and len(sort_code) == 6):
        problems.append(f"sort code {sort_code!r}: 6 digits")
    if not (account_number.isdigit() and len(account_number) == 8):
        problems.append(f"account number {account_number!r}: 8 digits")
    if problems:
        raise BadInput("; ".join(problems))


class Mandates:
    """The register, for the account view's Direct debit tab."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[MandateView]:
        """The account's mandates, newest first, with history and collections."""
        with self._db.sessions() as session:
            mandates = session.scalars(
                select(Mandate).where(Mandate.account_id == account_id).order_by(Mandate.id.desc())
            ).all()
            return [self._view(session, m) for m in mandates]

    def _view(self, session: Session, mandate: Mandate) -> MandateView:
        masked = mandate.set_up_by is None or mandate.set_up_by != self._db.actor
        events = session.scalars(
            select(MandateEvent)
            .where(MandateEvent.mandate_id == mandate.id)
            .order_by(MandateEvent.id)
        )
        collections = session.scalars(
            select(Collection)
            .where(Collection.mandate_id == mandate.id)
            .order_by(Collection.collection_date.desc(), Collection.id.desc())
        )
        return MandateView(
            mandate.id,
            mandate.reference,
            mandate.payer_name,
            mask_digits(mandate.sort_code) if masked else mandate.sort_code,
            mask_digits(mandate.account_number) if masked else mandate.account_number,
            masked,
            mandate.status.value,
            mandate.lodged_on,
            mandate.instruction_due,
            mandate.hold_reason,
            mandate.set_up_by,
            tuple(
                MandateEventLine(
                    e.effective_date, e.kind.value, e.reason, e.actor, e.before, e.after
                )
                for e in events
            ),
            tuple(
                CollectionLine(
                    c.id, c.collection_date, c.amount, c.transaction_code, c.status.value, c.note
                )
                for c in collections
            ),
        )

    def create(
        self,
        account_id: int,
        reference: str,
        payer_name: str,
        sort_code: str,
        account_number: str,
        signed_on: date,
    ) -> int:
        """Record a new instruction from the payer; it is lodged (0N) by the next dd run.

        Raises:
            NotFound: no such account.
            BadInput: bad details, the reference is taken, or the account already has a
                pending or live mandate.
        """
        reference = reference.strip().upper()
        sort_code = sort_code.replace("-", "").replace(" ", "")
        account_number = account_number.replace(" ", "")
        _check_details(reference, payer_name, sort_code, account_number)
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            if session.get(Account, account_id) is None:
                raise NotFound(f"no account {account_id}")
            if session.scalar(select(Mandate.id).where(Mandate.reference == reference)):
                raise BadInput(f"direct debit reference {reference} is already in use")
            active = session.scalar(
                select(Mandate.reference).where(
                    Mandate.account_id == account_id, Mandate.status.in_(ACTIVE)
                )
            )
            if active is not None:
                raise BadInput(f"the account already has mandate {active}; cancel it first")
            mandate = Mandate(
                account_id=account_id,
                reference=reference,
                payer_name=payer_name.strip(),
                sort_code=sort_code,
                account_number=account_number,
                status=MandateStatus.PENDING,
                set_up_by=self._db.actor,
                instruction_due=TransactionCode.NEW_INSTRUCTION.value,
            )
            session.add(mandate)
            session.flush()
            record_event(
                session,
                mandate,
                MandateEventKind.CREATED,
                signed_on,
                None,
                actor=self._db.actor,
                reason="Instruction received from the payer",
            )
            return mandate.id

    def cancel(self, mandate_id: int, effective: date, reason: str) -> None:
        """Cancel a mandate at the payer's or an officer's request.

        A lodged mandate gets a 0C at the next dd run; its collections scheduled on or
        after ``effective`` are cancelled.

        Raises:
            NotFound: no such mandate.
            BadInput: it is already cancelled or failed, or no reason was given.
        """
        if not reason.strip():
            raise BadInput("give the reason for cancelling")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            mandate = self._get(session, mandate_id)
            if mandate.status not in ACTIVE:
                raise BadInput(f"mandate {mandate.reference} is already {mandate.status.value}")
            before = snapshot(mandate)
            lodged = mandate.lodged_on is not None or mandate.instruction_due is None
            mandate.status = MandateStatus.CANCELLED
            mandate.instruction_due = TransactionCode.CANCEL_INSTRUCTION.value if lodged else None
            scheduled = ScheduledCollections(session)
            scheduled.cancel(mandate.id, effective, f"Mandate cancelled: {reason}")
            scheduled.apply()
            kind = MandateEventKind.CANCEL_REQUESTED if lodged else MandateEventKind.CANCELLED
            record_event(
                session, mandate, kind, effective, before, actor=self._db.actor, reason=reason
            )

    def release_hold(self, mandate_id: int, effective: date, reason: str) -> None:
        """Let collections resume on a held mandate.

        Raises:
            NotFound: no such mandate.
            BadInput: it is not held, or not live.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            mandate = self._get(session, mandate_id)
            if mandate.hold_reason is None or mandate.status is not MandateStatus.LIVE:
                raise BadInput(f"mandate {mandate.reference} is not a live mandate on hold")
            before = snapshot(mandate)
            mandate.hold_reason = None
            record_event(
                session,
                mandate,
                MandateEventKind.RELEASED,
                effective,
                before,
                actor=self._db.actor,
                reason=reason,
            )

    def represent(self, collection_id: int, on: date) -> None:
        """Ask the next dd run to re-present a returned collection (code 18) on ``on``.

        Bacs allows one re-presentation of an unpaid item, for the same amount, within a
        month of its original processing day (FACTS.md §5.2, ARUDD code 0); the payer
        should be told 5 working days before.

        Raises:
            NotFound: no such collection.
            BadInput: it was not returned, was already re-presented or is a
                re-presentation itself, ``on`` is not a working day or is more than a
                month after the original processing day, or the mandate is not live.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            collection = session.get(Collection, collection_id)
            if collection is None:
                raise NotFound(f"no collection {collection_id}")
            if collection.status is not CollectionStatus.RETURNED:
                raise BadInput("only a returned collection can be re-presented")
            if collection.attempt > 1 or collection.represent_on is not None:
                raise BadInput("Bacs allows one re-presentation, and this one has had it")
            last = collection.processing_date + relativedelta(months=1)
            if not is_working_day(on) or on > last or on <= collection.collection_date:
                raise BadInput(
                    f"re-present on a working day after {collection.collection_date:%d/%m/%Y} "
                    f"and no later than {last:%d/%m/%Y}"
                )
            mandate = self._get(session, collection.mandate_id)
            if mandate.status is not MandateStatus.LIVE or mandate.hold_reason is not None:
                raise BadInput(f"mandate {mandate.reference} is not live, or is on hold")
            collection.represent_on = on
            audit.record(
                session,
                self._db.actor,
                "collection.represent",
                "collection",
                collection.id,
                None,
                {"represent_on": on.isoformat()},
            )

    @staticmethod
    def _get(session: Session, mandate_id: int) -> Mandate:
        mandate = session.get(Mandate, mandate_id)
        if mandate is None:
            raise NotFound(f"no mandate {mandate_id}")
        return mandate
