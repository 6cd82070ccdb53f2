"""An account's history as one list in date order, for the case pack: contact notes,
statements and letters sent, holds set and ended, recovery stages reached, payment plans
agreed, broken and completed, direct debits returned, referrals, deferred payment
agreement decisions, write-offs and the Debt Management Panel's agendas and decisions,
each on or before the pack's date.

Events of one day keep a fixed order (a stage before the letter it sent, a note before
what it led to); events of one kind on one day keep the order they were recorded in.
A letter's own contact note is left out (the letter is listed), and so is a note that a
later note corrects (the correction is listed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    ContactNote,
    Document,
    DpaRecord,
    Hold,
    LedgerEntry,
    PanelCase,
    PanelDecision,
    PanelMeeting,
    PaymentPlan,
    RecoveryEvent,
    Referral,
    Statement,
    WriteOff,
)
from debtdesk.documents.case_pack import ChronologyRow
from debtdesk.domain.contacts import CHANNEL_NAMES, Direction
from debtdesk.domain.deferred_payments import DPA_NAMES
from debtdesk.domain.documents import DocumentKind
from debtdesk.domain.holds import HOLD_NAMES
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.money import format_pounds
from debtdesk.domain.panel import OPTION_NAMES
from debtdesk.domain.payment_plans import EVERY, PlanStatus
from debtdesk.domain.referrals import REFERRAL_NAMES
from debtdesk.domain.write_offs import REASON_NAMES, WriteOffStatus
from debtdesk.services.payment_plans import plan_state_at
from debtdesk.services.recovery_facts import CLEARED

# The order of a day's events, by kind.
STAGE, SENT, NOTE, RETURNED, PLAN, HOLD, REFERRAL, DPA, WRITE_OFF, PANEL = range(10)


@dataclass(frozen=True, order=True)
class _Event:
    on: date
    rank: int
    seq: int
    what: str
    detail: str


def local_day(moment: datetime) -> date:
    """The day a timestamp falls on in this computer's time zone."""
    return moment.astimezone().date()


def chronology(
    session: Session, account_id: int, as_of: date, stage_names: dict[str, str]
) -> tuple[ChronologyRow, ...]:
    """Everything that happened on the account by ``as_of``, oldest first.

    Args:
        stage_names: Each recovery stage's name by its code (the team's policy).
    """
    events = sorted(
        e
        for source in (
            _stages(session, account_id, stage_names),
            _sent(session, account_id),
            _notes(session, account_id, as_of),
            _returned(session, account_id, as_of),
            _plans(session, account_id, as_of),
            _holds(session, account_id, as_of),
            _referrals(session, account_id),
            _dpa(session, account_id),
            _write_offs(session, account_id),
            _panel(session, account_id),
        )
        for e in source
        if e.on <= as_of
    )
    return tuple(ChronologyRow(e.on, e.what, e.detail) for e in events)


def _stages(session: Session, account_id: int, names: dict[str, str]) -> Iterator[_Event]:
    """Each stage reached, with the letter it sent (listed here, not again) or its task."""
    rows = session.execute(
        select(RecoveryEvent, Document.title)
        .outerjoin(Document, Document.id == RecoveryEvent.document_id)
        .where(RecoveryEvent.account_id == account_id)
    ).tuples()
    for e, title in rows:
        if e.stage == CLEARED:
            yield _Event(e.effective_date, STAGE, e.id, "Recovery ended", "Nothing overdue")
            continue
        done = "; ".join(
            part
            for part in (
                f"{title} sent" if title else "",
                "task for the officer" if e.task_id is not None else "",
                e.note,
            )
            if part
        )
        by = "recovery run" if e.batch_id is not None else e.actor
        detail = f"{done[:1].upper()}{done[1:]} ({by})." if done else f"By {by}."
        yield _Event(e.effective_date, STAGE, e.id, f"Stage: {names.get(e.stage, e.stage)}", detail)


def _sent(session: Session, account_id: int) -> Iterator[_Event]:
    """Statements and letters, but those a stage sent (the stage lists them)."""
    by_stages = select(RecoveryEvent.document_id).where(
        RecoveryEvent.account_id == account_id, RecoveryEvent.document_id.is_not(None)
    )
    rows = session.execute(
        select(Document, Statement.number)
        .outerjoin(Statement, Statement.document_id == Document.id)
        .where(
            Document.account_id == account_id,
            Document.kind != DocumentKind.PRINT_FILE,
            Document.id.not_in(by_stages),
        )
    ).tuples()
    for document, number in rows:
        kind = "Statement sent" if document.kind is DocumentKind.STATEMENT else "Letter sent"
        title = (
            document.title
            if not number or number in document.title
            else f"{document.title} {number}"
        )
        yield _Event(document.issued_on, SENT, document.id, kind, title)


def _notes(session: Session, account_id: int, as_of: date) -> Iterator[_Event]:
    notes = [
        n
        for n in session.scalars(select(ContactNote).where(ContactNote.account_id == account_id))
        if local_day(n.happened_at) <= as_of and n.document_id is None
    ]
    corrected = {n.corrects_id for n in notes if n.corrects_id is not None}
    for n in notes:
        if n.id in corrected:
            continue
        way = "from" if n.direction is Direction.INBOUND else "to"
        what = f"{CHANNEL_NAMES[n.channel]} {way} {n.with_whom}"
        detail = _sentence(n.summary) + (f" Outcome: {_sentence(n.outcome)}" if n.outcome else "")
        if n.acknowledges_debt:
            detail += " (a written acknowledgment of the debt)"
        if n.corrects_id is not None:
            detail += " (corrects an earlier note)"
        yield _Event(local_day(n.happened_at), NOTE, n.id, what, detail)


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (or its own mark)."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else f"{text}."


def _returned(session: Session, account_id: int, as_of: date) -> Iterator[_Event]:
    for entry in session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.account_id == account_id,
            LedgerEntry.kind == EntryKind.RETURNED_PAYMENT,
            LedgerEntry.effective_date <= as_of,
        )
    ):
        detail = f"{format_pounds(entry.amount)}: {entry.description}".rstrip(": ")
        yield _Event(entry.effective_date, RETURNED, entry.id, "Direct debit returned", detail)


def _plans(session: Session, account_id: int, as_of: date) -> Iterator[_Event]:
    for plan in session.scalars(select(PaymentPlan).where(PaymentPlan.account_id == account_id)):
        agreed = min(plan.start_on, local_day(plan.created_at))
        if agreed > as_of:
            continue
        terms = (
            f"Plan {plan.id}: {format_pounds(plan.instalment)} {EVERY[plan.frequency]} from "
            f"{plan.start_on:%d/%m/%Y}, covering {format_pounds(plan.total)} of arrears"
        )
        if plan.replaces_id is not None:
            terms += f" (replaces plan {plan.replaces_id})"
        yield _Event(agreed, PLAN, plan.id, "Payment plan agreed", terms)
        status, ended = plan_outcome(session, plan, as_of)
        if ended is not None:
            yield _Event(ended, PLAN, plan.id, f"Payment plan {status.value}", f"Plan {plan.id}")


def plan_outcome(
    session: Session, plan: PaymentPlan, as_of: date
) -> tuple[PlanStatus, date | None]:
    """How the plan stood at ``as_of``: still active (and None), or how and when it ended.

    What a run or an officer recorded by then stands; an active plan is seen as it was at
    ``as_of`` (broken or paid off then, though no run has recorded it yet).
    """
    if plan.status is not PlanStatus.ACTIVE and plan.ended_on and plan.ended_on <= as_of:
        return plan.status, plan.ended_on
    state = plan_state_at(session, plan, as_of)
    if state.broken_on is not None:
        return PlanStatus.BROKEN, state.broken_on
    if state.completed_on is not None:
        return PlanStatus.COMPLETED, state.completed_on
    return PlanStatus.ACTIVE, None


def _holds(session: Session, account_id: int, as_of: date) -> Iterator[_Event]:
    for hold in session.scalars(select(Hold).where(Hold.account_id == account_id)):
        name = HOLD_NAMES[hold.reason]
        until = (
            f" to {hold.end_on:%d/%m/%Y}"
            if hold.end_on
            else f", review {hold.review_on:%d/%m/%Y}"
            if hold.review_on
            else ""
        )
        note = f": {hold.note}" if hold.note else ""
        yield _Event(hold.start_on, HOLD, hold.id, "Hold set", f"{name}{until}{note}")
        if hold.ended_on is not None and hold.ended_on <= as_of:
            why = f": {hold.end_note}" if hold.end_note else ""
            yield _Event(hold.ended_on, HOLD, hold.id, "Hold ended", f"{name}{why}")
        elif hold.end_on is not None and hold.end_on < as_of:
            yield _Event(hold.end_on, HOLD, hold.id, "Hold came to its end", name)


def _referrals(session: Session, account_id: int) -> Iterator[_Event]:
    for r in session.scalars(select(Referral).where(Referral.account_id == account_id)):
        theirs = f", their reference {r.reference}" if r.reference else ""
        kind = REFERRAL_NAMES[r.kind]
        yield _Event(
            r.referred_on,
            REFERRAL,
            r.id,
            f"Referred: {kind.lower()}",
            f"{format_pounds(r.amount)} to {r.agency}{theirs}",
        )
        if r.returned_on is not None:
            detail = f"{r.agency}: {r.outcome or 'no outcome given'}; "
            detail += f"recovered {format_pounds(r.recovered)}"
            yield _Event(
                r.returned_on, REFERRAL, r.id, f"Referral returned: {kind.lower()}", detail
            )


def _dpa(session: Session, account_id: int) -> Iterator[_Event]:
    for d in session.scalars(select(DpaRecord).where(DpaRecord.account_id == account_id)):
        detail = DPA_NAMES[d.outcome] + (f": {d.note}" if d.note else "")
        yield _Event(d.decided_on, DPA, d.id, "Deferred payment agreement", detail)


def _write_offs(session: Session, account_id: int) -> Iterator[_Event]:
    for w in session.scalars(select(WriteOff).where(WriteOff.account_id == account_id)):
        amount = f"{format_pounds(w.amount)}: {REASON_NAMES[w.reason]}"
        yield _Event(
            local_day(w.recommended_at),
            WRITE_OFF,
            w.id,
            "Write-off recommended",
            f"{amount}, by {w.recommended_by}",
        )
        if w.decided_at is not None and w.status is not WriteOffStatus.RECOMMENDED:
            note = f" {w.decision_note}" if w.decision_note else ""
            yield _Event(
                local_day(w.decided_at),
                WRITE_OFF,
                w.id,
                f"Write-off {w.status.value}",
                f"{amount}, by {w.decided_by}.{note}".rstrip(),
            )


def _panel(session: Session, account_id: int) -> Iterator[_Event]:
    """Each panel meeting the account was on, and what the panel decided."""
    rows = session.execute(
        select(PanelCase, PanelMeeting, PanelDecision)
        .join(PanelMeeting, PanelMeeting.id == PanelCase.meeting_id)
        .outerjoin(PanelDecision, PanelDecision.case_id == PanelCase.id)
        .where(PanelCase.account_id == account_id)
    ).tuples()
    for case, meeting, decision in rows:
        if decision is None:
            recommended = OPTION_NAMES[case.recommendation] if case.recommendation else "none yet"
            yield _Event(
                meeting.meets_on, PANEL, case.id, "Debt Management Panel",
                f"On the agenda of {meeting.title}; recommendation: {recommended}.",
            )  # fmt: skip
        else:
            yield _Event(
                decision.decided_on, PANEL, case.id, "Debt Management Panel decision",
                f"{OPTION_NAMES[decision.option]}: {decision.discussion}",
            )  # fmt: skip
