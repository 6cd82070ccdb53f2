"""An account's recovery at a glance: where it stands, what comes next and when, why not.

For the account view's Recovery tab and the worklist: the stage reached and its history,
what is overdue, the holds in force, a plan being kept, the broken plans, the next stage
and the date it falls due (or what stops it: a hold, a referral still out with an agency,
the stage's conditions), and each open invoice's last day before it
is statute-barred (Care Act s69(3), restarted by payments and written acknowledgments).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Allocation, ContactNote, CustomerType, RecoveryEvent
from debtdesk.domain.limitation import last_day_to_claim
from debtdesk.domain.recovery import Policy, RecoveryFacts, applies, blocked_by, stages_due
from debtdesk.services.accounts import account_detail_by_id, get_account
from debtdesk.services.database import Database
from debtdesk.services.holds import held_accounts
from debtdesk.services.payment_plans import broken_counts, kept_plans
from debtdesk.services.recovery_facts import CLEARED, last_failed_debits, overdue_at
from debtdesk.services.referrals import open_referrals, out_with
from debtdesk.services.settings import recovery_policy

ENDED = "Recovery ended: nothing overdue"


@dataclass(frozen=True)
class StageLine:
    code: str
    name: str
    effective_date: date
    actor: str
    document_id: int | None
    task_id: int | None
    note: str


@dataclass(frozen=True)
class LimitLine:
    invoice_number: str
    due: date
    outstanding: int
    last_day_to_claim: date


@dataclass(frozen=True)
class RecoverySummary:
    stage: str | None
    """The stage's name, or None when the account is not in recovery."""
    history: tuple[StageLine, ...]
    overdue: int
    oldest_overdue_due: date | None
    on_hold: bool
    kept_plan: bool
    broken_plans: int
    next_stage: str | None
    next_due: date | None
    """When the next stage falls due (it may already have: the next run takes it)."""
    waiting_because: str
    """Why the next stage will not come, if something stops it."""
    limits: tuple[LimitLine, ...]


def recovery_summary(db: Database, account_id: int, as_of: date) -> RecoverySummary:
    """Where the account's recovery stands at ``as_of``.

    Raises:
        NotFound: no such account.
    """
    with db.sessions() as session:
        account = get_account(session, account_id)
        ctype = session.get(CustomerType, account.customer_type_id)
        assert ctype is not None
        policy = recovery_policy(session)
        names = {s.code: s.name for s in policy.stages}
        events = list(
            session.scalars(
                select(RecoveryEvent)
                .where(RecoveryEvent.account_id == account_id)
                .order_by(RecoveryEvent.id)
            )
        )
        history = tuple(
            StageLine(
                e.stage,
                ENDED if e.stage == CLEARED else names.get(e.stage, e.stage),
                e.effective_date,
                e.actor,
                e.document_id,
                e.task_id,
                e.note,
            )
            for e in events
        )
        reached: dict[str, date] = {}
        current: str | None = None
        for e in events:
            if e.stage == CLEARED:
                reached, current = {}, None
            else:
                reached[e.stage], current = e.effective_date, e.stage
        due = overdue_at(session, as_of).get(account_id)
        held = account_id in held_accounts(session, [account_id], as_of)
        kept = account_id in kept_plans(session, [account_id], as_of)
        facts = RecoveryFacts(
            customer_type=ctype.code,
            is_business=ctype.is_business,
            reached=reached,
            current=current,
            oldest_overdue_due=due.oldest_due if due else None,
            overdue=due.amount if due else 0,
            kept_plan=kept,
            on_hold=False,
            last_failed_dd_reason=last_failed_debits(session).get(account_id),
        )
        referral = open_referrals(session, [account_id], as_of).get(account_id)
        out = out_with(referral) if referral is not None else ""
        next_stage, next_due, why = _next(policy, facts, held, out)
        return RecoverySummary(
            names.get(current, current) if current else None,
            history,
            facts.overdue,
            facts.oldest_overdue_due,
            held,
            kept,
            broken_counts(session, [account_id]).get(account_id, 0),
            next_stage,
            next_due,
            why,
            limits_for(session, account_id, as_of),
        )


def _next(
    policy: Policy, facts: RecoveryFacts, held: bool, out: str
) -> tuple[str | None, date | None, str]:
    """The next stage, when it falls due, and what stops it (if anything): a hold, the
    debt being out with an agency (``out``), or the stage's own conditions."""
    if facts.oldest_overdue_due is None:
        return None, None, "nothing is overdue"
    following = [
        s for s in policy.stages[policy.position(facts.current) + 1 :] if applies(s, facts)
    ]
    if not following:
        return None, None, "no stage follows in the policy"
    stage = following[0]
    if not stage.automatic:
        return stage.name, None, "the Debt Management Panel decides what comes next"
    why = "on hold" if held else out or blocked_by(stage, facts) or ""
    found = stages_due(policy, facts, date.max)  # the walk finds its date, however far
    return stage.name, found[0].due_on if found else None, why


def limits_for(session: Session, account_id: int, as_of: date) -> tuple[LimitLine, ...]:
    """Each open invoice's last day to claim. A part-payment of that invoice (money
    allocated to it) or a written acknowledgment of the account restarts it; a payment
    set against other invoices does not (the cautious reading: see the note)."""
    acknowledged = [
        moment.date()
        for (moment,) in session.execute(
            select(ContactNote.happened_at).where(
                ContactNote.account_id == account_id, ContactNote.acknowledges_debt.is_(True)
            )
        )
    ]
    paid_on: dict[int, list[date]] = {}
    for invoice_id, day in session.execute(
        select(Allocation.invoice_id, Allocation.effective_date).where(
            Allocation.account_id == account_id,
            Allocation.amount > 0,
            Allocation.effective_date <= as_of,
        )
    ).tuples():
        paid_on.setdefault(invoice_id, []).append(day)
    detail = account_detail_by_id(session, account_id, as_of)
    return tuple(
        LimitLine(
            i.number,
            i.due,
            i.outstanding,
            last_day_to_claim(i.due, acknowledged + paid_on.get(i.id, [])),
        )
        for i in detail.open_invoices
    )
