"""The case pack's part on what the panel may decide: the options (domain.panel), what
the account's records say bears on each, and where its deferred payment agreement stands
(court action needs one offered and refused first, or none available: Care Act 2014
s69(2)). Everything is as at the pack's date.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import DpaRecord, PaymentPlan, Referral, WriteOff
from debtdesk.documents.case_pack import OptionRow, PackInvoice
from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.money import format_pounds
from debtdesk.domain.panel import COURT_OPTIONS, OPTION_NAMES, PanelOption
from debtdesk.domain.payment_plans import PlanStatus
from debtdesk.domain.referrals import REFERRAL_NAMES, ReferralKind
from debtdesk.domain.write_offs import REASON_NAMES
from debtdesk.services.case_pack_chronology import plan_outcome
from debtdesk.services.payment_plans import kept_plans

AGENTS = (ReferralKind.ENFORCEMENT_AGENT, ReferralKind.TRACING_AGENT)
LEGAL = (ReferralKind.LEGAL, ReferralKind.COUNTY_COURT_CLAIM)
S69 = "Care Act 2014 s69(2)"


def dpa_records(session: Session, account_id: int, as_of: date) -> list[DpaRecord]:
    """The account's deferred payment agreement decisions made by ``as_of``, first first."""
    return list(
        session.scalars(
            select(DpaRecord)
            .where(DpaRecord.account_id == account_id, DpaRecord.decided_on <= as_of)
            .order_by(DpaRecord.id)
        )
    )


def court_action(records: list[DpaRecord]) -> str:
    """Whether the latest of ``records`` lets court action start, for the panel to read."""
    if not records:
        return (
            "No deferred payment agreement offer is recorded. Before a county court claim or "
            "a charging order one must have been offered and refused, or be recorded as not "
            f"available to the person ({S69})."
        )
    latest = records[-1]
    on = f"{latest.decided_on:%d/%m/%Y}"
    match latest.outcome:
        case DpaOutcome.REFUSED:
            return (
                f"Offered and refused ({on}): the deferred payment agreement condition for "
                f"court action is met ({S69})."
            )
        case DpaOutcome.NOT_AVAILABLE:
            return (
                f"Recorded as not available to the person ({on}): the deferred payment "
                f"agreement condition for court action is met ({S69})."
            )
        case DpaOutcome.OFFERED:
            return (
                f"Offered on {on} with no answer recorded yet: court action must wait for "
                f"the person's answer ({S69})."
            )
        case DpaOutcome.ACCEPTED:
            return (
                f"Accepted ({on}): an agreement is in place and the debt is secured on the "
                "home, not recovered through the court."
            )


def options(
    session: Session,
    account_id: int,
    as_of: date,
    chosen: PanelOption | None,
    court: str,
    invoices: tuple[PackInvoice, ...],
) -> tuple[OptionRow, ...]:
    """Every option the panel may choose (``chosen`` marked), each with what the records
    say bears on it; ``court`` is :func:`court_action`'s words."""
    legal = _referred(session, account_id, as_of, LEGAL)
    notes = {
        PanelOption.FURTHER_PLAN: _plans(session, account_id, as_of),
        PanelOption.AGENTS: _referred(session, account_id, as_of, AGENTS) or "Not referred before.",
        PanelOption.WRITE_OFF: _write_offs(session, account_id, as_of, invoices),
    }
    return tuple(
        OptionRow(
            OPTION_NAMES[option],
            option is chosen,
            f"{court} {legal}".strip() if option in COURT_OPTIONS else notes.get(option, ""),
        )
        for option in PanelOption
    )


def _plans(session: Session, account_id: int, as_of: date) -> str:
    plans = [
        p
        for p in session.scalars(select(PaymentPlan).where(PaymentPlan.account_id == account_id))
        if p.start_on <= as_of
    ]
    broken = sum(1 for p in plans if plan_outcome(session, p, as_of)[0] is PlanStatus.BROKEN)
    kept = account_id in kept_plans(session, [account_id], as_of)
    return f"Plans agreed so far: {len(plans)}, broken: {broken}." + (
        " A plan is being kept at this date." if kept else ""
    )


def _referred(
    session: Session, account_id: int, as_of: date, kinds: tuple[ReferralKind, ...]
) -> str:
    """The account's referrals of these kinds by ``as_of``, in a sentence ("" if none)."""
    referrals = [
        f"{REFERRAL_NAMES[r.kind].lower()} to {r.agency} {r.referred_on:%d/%m/%Y}"
        + (
            f", returned {r.returned_on:%d/%m/%Y}: {r.outcome}"
            if r.returned_on and r.returned_on <= as_of
            else ", still out"
        )
        for r in session.scalars(
            select(Referral)
            .where(
                Referral.account_id == account_id,
                Referral.referred_on <= as_of,
                Referral.kind.in_(kinds),
            )
            .order_by(Referral.referred_on, Referral.id)
        )
    ]
    return ("Referred before: " + "; ".join(referrals) + ".") if referrals else ""


def _write_offs(
    session: Session, account_id: int, as_of: date, invoices: tuple[PackInvoice, ...]
) -> str:
    barred = sum(i.outstanding for i in invoices if i.last_day_to_claim < as_of)
    recorded = [
        f"{format_pounds(w.amount)} ({REASON_NAMES[w.reason].lower()}) {w.status.value}"
        for w in session.scalars(
            select(WriteOff).where(WriteOff.account_id == account_id).order_by(WriteOff.id)
        )
        if w.recommended_at.astimezone().date() <= as_of
    ]
    parts = [
        f"Past the six-year limit: {format_pounds(barred)}." if barred else "",
        ("Recorded before: " + "; ".join(recorded) + ".") if recorded else "",
    ]
    return " ".join(p for p in parts if p) or (
        "No write-off recorded; nothing is past the six-year limit."
    )
