"""An account's recovery at a glance: where it stands, what comes next and when, why not.

For the account view's Recovery tab and the worklist: the stage reached and its history,
what is overdue, the holds in force, a plan being kept, the broken plans, the next stage
and the date it falls due (or what stops it: a hold, a referral still out with an agency,
the stage's conditions), and each open invoice's last day before it
is statute-barred (Care Act s69(3), restarted by payments and written acknowledgments):
one rule, read for one account here and for every old debt by the statute-barred report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from debtdesk.db.models import Allocation, ContactNote, CustomerType, LedgerEntry, RecoveryEvent
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.limitation import LIMITATION_YEARS, last_day_to_claim
from debtdesk.domain.recovery import Policy, RecoveryFacts, applies, blocked_by, stages_due
from debtdesk.services.accounts import account_detail_by_id, get_account
from debtdesk.services.database import Database
from debtdesk.services.holds import held_accounts
from debtdesk.services.payment_plans import broken_counts, kept_plans
from debtdesk.services.recovery_facts import CLEARED, last_failed_debits, overdue_at
from debtdesk.services.referrals import open_referrals, out_with
from debtdesk.services.settings import recovery_policy
from debtdesk.services.sql import chunks

ACKNOWLEDGMENT = "acknowledgment"
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
    """Each open invoice's last day to claim at ``as_of`` (:func:`limitation_restarts`)."""
    detail = account_detail_by_id(session, account_id, as_of)
    found = limitation_restarts(session, as_of, [i.id for i in detail.open_invoices], [account_id])
    return tuple(
        LimitLine(
            i.number, i.due, i.outstanding, found.limit(account_id, i.id, i.due).last_day_to_claim
        )
        for i in detail.open_invoices
    )


@dataclass(frozen=True)
class Limit:
    """An invoice's last day to claim, and the payment or acknowledgment that set it."""

    last_day_to_claim: date
    restarted_on: date | None
    """None: nothing restarted the six years from the due date."""
    restarted_by: str
    """``payment`` (or the kind of credit set against the invoice), ``acknowledgment``."""


@dataclass(frozen=True)
class Restarts:
    """What restarts the six years, on or before a date: money set against each invoice,
    ``(date, kind)``, and each account's written acknowledgments."""

    paid: dict[int, list[tuple[date, str]]]
    acknowledged: dict[int, list[date]]

    def limit(self, account_id: int, invoice_id: int, due: date) -> Limit:
        events = sorted(
            [*self.paid.get(invoice_id, []),
             *((day, ACKNOWLEDGMENT) for day in self.acknowledged.get(account_id, []))]
        )  # fmt: skip
        last = last_day_to_claim(due, [day for day, _ in events])
        setting = [e for e in events if e[0] + relativedelta(years=LIMITATION_YEARS) == last]
        if not setting:
            return Limit(last, None, "")
        day, what = setting[-1]
        return Limit(last, day, what)


def limitation_restarts(
    session: Session, as_of: date, invoice_ids: Sequence[int], account_ids: Sequence[int]
) -> Restarts:
    """The one rule for what restarts the six years (Limitation Act 1980 s29(5)), for many
    invoices at once: a payment by the debtor allocated to the invoice on or before
    ``as_of`` and not returned by then (a payment set against other invoices does not
    restart it, nor does the council's own credit, write-off or adjustment: s29(5) is a
    payment "in respect of" the claim by the person liable; the cautious reading), and a written
    acknowledgment of the account (a contact note, by its local date, not corrected by a
    later note) on or before ``as_of``. Whether each still counts is the domain's rule
    (:func:`~debtdesk.domain.limitation.last_day_to_claim`)."""
    paid: dict[int, list[tuple[date, str]]] = defaultdict(list)
    undone = aliased(Allocation)
    for chunk in chunks(sorted(set(invoice_ids))):
        for invoice_id, day, kind in session.execute(
            select(Allocation.invoice_id, Allocation.effective_date, LedgerEntry.kind)
            .join(LedgerEntry, LedgerEntry.id == Allocation.entry_id)
            .where(
                Allocation.invoice_id.in_(chunk),
                Allocation.amount > 0,
                Allocation.effective_date <= as_of,
                LedgerEntry.kind == EntryKind.PAYMENT,
                ~exists().where(
                    undone.reverses_id == Allocation.id, undone.effective_date <= as_of
                ),
            )
        ).tuples():
            paid[invoice_id].append((day, kind.value.replace("_", "-")))
    later = aliased(ContactNote)
    until = datetime.combine(as_of + timedelta(days=2), time(), UTC)  # any zone's as_of
    acknowledged: dict[int, list[date]] = defaultdict(list)
    for chunk in chunks(sorted(set(account_ids))):
        for account_id, moment in session.execute(
            select(ContactNote.account_id, ContactNote.happened_at).where(
                ContactNote.account_id.in_(chunk),
                ContactNote.acknowledges_debt.is_(True),
                ContactNote.happened_at < until,
                ~exists().where(later.corrects_id == ContactNote.id),
            )
        ).tuples():
            day = moment.astimezone().date()
            if day <= as_of:
                acknowledged[account_id].append(day)
    return Restarts(dict(paid), dict(acknowledged))
