"""Payment plans: agreed, watched, broken, renegotiated, with their history kept.

A plan covers arrears by instalments on top of the ongoing contribution, so what the
person must have paid by a date is both: the plan's instalments due by then, and the
statements falling due since the plan began (one due before it is part of the arrears
the plan covers), due by then. Both go into one schedule
(domain.payment_plans: payments are set against it in due order, cumulatively), marked
``instalment`` or ``contribution``. What counts as paid is every payment on the account
effective on or after the plan's start, less payments returned since.

Agreeing a plan puts a "payment plan being kept" hold on the account (RULES.md: a kept
plan stops the recovery clock), to be reviewed at the last instalment. A plan is broken
on the day domain.payment_plans says; :func:`review_plans` (the recovery run) records it
(status, date), which lifts the hold that day and feeds recovery, and records a plan paid
in full as completed (its hold lifts too); cancelling or renegotiating lifts it as well.
A renegotiation replaces the plan with a new one (and its own hold) that names it; the
old one stays, marked replaced. A plan paid by direct
debit needs a mandate on the account; the dd run collects its instalments (services.dd_run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Invoice, LedgerEntry, Mandate, PaymentPlan
from debtdesk.domain.caseload import InvoiceKind, MandateStatus
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import EntryKind, PaymentMethod
from debtdesk.domain.money import format_pounds, parse_pounds
from debtdesk.domain.payment_plans import (
    EVERY,
    Frequency,
    Instalment,
    PlanState,
    PlanStatus,
    plan_state,
    schedule,
)
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.holds import add_hold, end_holds_for
from debtdesk.services.settings import get_setting
from debtdesk.services.sql import chunks
from debtdesk.services.users import require

CONTRIBUTION_NUMBER = 10_000
"""Statements in a plan's schedule are numbered from here, after its own instalments."""


@dataclass(frozen=True)
class PlanTerms:
    """What an officer agrees with the person."""

    instalment: int
    frequency: Frequency
    start: date
    total: int
    """The arrears the plan covers, in pence."""
    method: PaymentMethod
    note: str = ""
    affordability: dict[str, object] | None = None
    """A snapshot of the affordability check the plan was agreed on, if one was made."""


@dataclass(frozen=True)
class ScheduleLine:
    due: date
    kind: str
    """``instalment`` (the plan's) or ``contribution`` (a statement since it began)."""
    label: str
    amount: int
    paid: int
    outstanding: int
    short_after_grace: bool


@dataclass(frozen=True)
class PlanView:
    id: int
    status: PlanStatus
    instalment: int
    frequency: Frequency
    start_on: date
    total: int
    method: PaymentMethod
    tolerance: int
    grace_days: int
    broken_on: date | None
    """Recorded (by a recovery run), or else as it stands at the date asked about."""
    ended_on: date | None
    replaces_id: int | None
    note: str
    created_by: str
    created_at: datetime
    lines: tuple[ScheduleLine, ...]
    paid: int
    outstanding: int
    completed_on: date | None


def _schedule(session: Session, plan: PaymentPlan) -> list[Instalment]:
    own = schedule(plan.start_on, plan.frequency, plan.instalment, plan.total)
    ongoing = [
        Instalment(CONTRIBUTION_NUMBER + i, due, amount)
        for i, (due, amount) in enumerate(
            session.execute(
                select(Invoice.due_on, Invoice.amount)
                .where(
                    Invoice.account_id == plan.account_id,
                    Invoice.kind == InvoiceKind.STATEMENT,
                    Invoice.due_on >= plan.start_on,
                    Invoice.amount > 0,
                )
                .order_by(Invoice.due_on, Invoice.id)
            ).tuples(),
            start=1,
        )
    ]
    return own + ongoing


def _payments(session: Session, plan: PaymentPlan) -> list[tuple[date, int]]:
    return [
        (day, -amount)
        for day, amount in session.execute(
            select(LedgerEntry.effective_date, LedgerEntry.amount).where(
                LedgerEntry.account_id == plan.account_id,
                LedgerEntry.kind.in_((EntryKind.PAYMENT, EntryKind.RETURNED_PAYMENT)),
                LedgerEntry.effective_date >= plan.start_on,
            )
        ).tuples()
    ]


def plan_state_at(session: Session, plan: PaymentPlan, as_of: date) -> PlanState:
    """Where the plan stands at ``as_of`` (its instalments and the statements since)."""
    return plan_state(
        _schedule(session, plan),
        _payments(session, plan),
        as_of,
        tolerance=plan.tolerance,
        grace_days=plan.grace_days,
    )


def _view(session: Session, plan: PaymentPlan, as_of: date) -> PlanView:
    state = plan_state_at(session, plan, min(as_of, plan.ended_on or as_of))
    lines = tuple(
        ScheduleLine(
            s.instalment.due,
            "contribution" if s.instalment.number >= CONTRIBUTION_NUMBER else "instalment",
            (
                f"Contribution {s.instalment.number - CONTRIBUTION_NUMBER}"
                if s.instalment.number >= CONTRIBUTION_NUMBER
                else f"Instalment {s.instalment.number}"
            ),
            s.instalment.amount,
            s.paid,
            s.outstanding,
            s.short_after_grace,
        )
        for s in state.instalments
    )
    return PlanView(
        plan.id,
        plan.status,
        plan.instalment,
        plan.frequency,
        plan.start_on,
        plan.total,
        plan.method,
        plan.tolerance,
        plan.grace_days,
        plan.broken_on or (state.broken_on if plan.status is PlanStatus.ACTIVE else None),
        plan.ended_on,
        plan.replaces_id,
        plan.note,
        plan.created_by,
        plan.created_at,
        lines,
        state.paid,
        state.outstanding,
        state.completed_on,
    )


def _lift_hold(session: Session, plan: PaymentPlan, actor: str) -> None:
    """The plan has ended (``ended_on``): its hold lifts that day and recovery resumes."""
    assert plan.ended_on is not None
    end_holds_for(
        session, plan.account_id, HoldReason.KEPT_PLAN, plan.ended_on, actor,
        f"Plan {plan.id} {plan.status.value} on {plan.ended_on:%d/%m/%Y}",
    )  # fmt: skip


def kept_plans(session: Session, account_ids: Iterable[int], as_of: date) -> set[int]:
    """The accounts among ``account_ids`` with an active plan not broken at ``as_of``."""
    kept: set[int] = set()
    for chunk in chunks(sorted(set(account_ids))):
        for plan in session.scalars(
            select(PaymentPlan).where(
                PaymentPlan.account_id.in_(chunk),
                PaymentPlan.status == PlanStatus.ACTIVE,
                PaymentPlan.start_on <= as_of,
            )
        ):
            if not plan_state_at(session, plan, as_of).broken:
                kept.add(plan.account_id)
    return kept


def review_plans(
    session: Session, as_of: date, actor: str, batch_id: int | None = None
) -> list[tuple[int, int, PlanStatus, date]]:
    """Record every active plan broken or completed by ``as_of``: (plan, account, status,
    date) for each one changed."""
    changed: list[tuple[int, int, PlanStatus, date]] = []
    for plan in session.scalars(
        select(PaymentPlan).where(
            PaymentPlan.status == PlanStatus.ACTIVE, PaymentPlan.start_on <= as_of
        )
    ):
        state = plan_state_at(session, plan, as_of)
        if state.broken_on is not None:
            plan.status, plan.broken_on, plan.ended_on = (
                PlanStatus.BROKEN,
                state.broken_on,
                state.broken_on,
            )
        elif state.completed_on is not None:
            plan.status, plan.ended_on = PlanStatus.COMPLETED, state.completed_on
        else:
            continue
        assert plan.ended_on is not None
        _lift_hold(session, plan, actor)
        changed.append((plan.id, plan.account_id, plan.status, plan.ended_on))
        audit.record(
            session,
            actor,
            f"plan.{plan.status.value}",
            "payment_plan",
            plan.id,
            {"status": PlanStatus.ACTIVE.value},
            {"status": plan.status.value, "on": plan.ended_on, "batch": batch_id},
        )
    return changed


def broken_counts(session: Session, account_ids: Iterable[int]) -> dict[int, int]:
    """How many broken plans each account has had."""
    counts: dict[int, int] = {}
    for chunk in chunks(sorted(set(account_ids))):
        for account_id, count in session.execute(
            select(PaymentPlan.account_id, func.count())
            .where(PaymentPlan.account_id.in_(chunk), PaymentPlan.status == PlanStatus.BROKEN)
            .group_by(PaymentPlan.account_id)
        ).tuples():
            counts[account_id] = count
    return counts


class PaymentPlans:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int, as_of: date) -> list[PlanView]:
        """The account's plans, the latest first, each as it stands at ``as_of``."""
        with self._db.sessions() as session:
            return [
                _view(session, plan, as_of)
                for plan in session.scalars(
                    select(PaymentPlan)
                    .where(PaymentPlan.account_id == account_id)
                    .order_by(PaymentPlan.id.desc())
                )
            ]

    def create(self, account_id: int, terms: PlanTerms) -> int:
        """Agree a plan; its id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account.
            BadInput: bad terms, or the account has an active plan (renegotiate it).
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            account = get_account(session, account_id)
            active = session.scalar(
                select(PaymentPlan.id).where(
                    PaymentPlan.account_id == account_id,
                    PaymentPlan.status == PlanStatus.ACTIVE,
                )
            )
            if active is not None:
                raise BadInput(f"plan {active} is active on this account: renegotiate it")
            return self._add(session, account, terms, None)

    def renegotiate(self, plan_id: int, terms: PlanTerms) -> int:
        """Replace an active plan with new terms; the new plan's id. The old one stays.

        Raises:
            NotFound: no such plan.
            BadInput: it is not active, or bad terms.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            old = session.get(PaymentPlan, plan_id)
            if old is None:
                raise NotFound(f"no payment plan {plan_id}")
            if old.status is not PlanStatus.ACTIVE:
                raise BadInput(f"plan {plan_id} is {old.status.value}, not active")
            if terms.start < old.start_on:
                raise BadInput("the new plan cannot start before the one it replaces")
            old.status, old.ended_on = PlanStatus.REPLACED, terms.start
            _lift_hold(session, old, self._db.actor)
            session.flush()
            return self._add(session, get_account(session, old.account_id), terms, old.id)

    def cancel(self, plan_id: int, on: date, note: str) -> None:
        """End an active plan early (the person asked, or it no longer applies).

        Raises:
            NotFound: no such plan.
            BadInput: no reason, or it is not active.
        """
        if not note.strip():
            raise BadInput("say why the plan is cancelled")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            plan = session.get(PaymentPlan, plan_id)
            if plan is None:
                raise NotFound(f"no payment plan {plan_id}")
            if plan.status is not PlanStatus.ACTIVE:
                raise BadInput(f"plan {plan_id} is {plan.status.value}, not active")
            plan.status, plan.ended_on = PlanStatus.CANCELLED, on
            plan.note = (plan.note + "\n" if plan.note else "") + f"Cancelled: {note.strip()}"
            _lift_hold(session, plan, self._db.actor)
            audit.record(
                session,
                self._db.actor,
                "plan.cancel",
                "payment_plan",
                plan.id,
                {"status": PlanStatus.ACTIVE.value},
                {"status": PlanStatus.CANCELLED.value, "on": on, "note": note.strip()},
            )

    def _add(
        self, session: Session, account: Account, terms: PlanTerms, replaces: int | None
    ) -> int:
        try:
            instalments = schedule(terms.start, terms.frequency, terms.instalment, terms.total)
        except ValueError as exc:
            raise BadInput(str(exc)) from None
        if terms.instalment > terms.total:
            raise BadInput(
                f"the instalment ({format_pounds(terms.instalment)}) is more than the arrears "
                f"the plan covers ({format_pounds(terms.total)})"
            )
        if terms.method is PaymentMethod.DIRECT_DEBIT and not session.scalar(
            select(func.count()).where(
                Mandate.account_id == account.id,
                Mandate.status.in_((MandateStatus.PENDING, MandateStatus.LIVE)),
            )
        ):
            raise BadInput(
                f"{account.reference} has no direct debit mandate: set one up on the Direct "
                "debit tab first, or choose another way to pay"
            )
        plan = PaymentPlan(
            account_id=account.id,
            instalment=terms.instalment,
            frequency=terms.frequency,
            start_on=terms.start,
            total=terms.total,
            method=terms.method,
            status=PlanStatus.ACTIVE,
            tolerance=parse_pounds(get_setting(session, "plans.tolerance")),
            grace_days=int(get_setting(session, "plans.grace_days")),
            affordability=terms.affordability,
            replaces_id=replaces,
            note=terms.note.strip(),
            created_by=self._db.actor,
        )
        session.add(plan)
        session.flush()
        add_hold(
            session, account, HoldReason.KEPT_PLAN, terms.start, self._db.actor,
            review=instalments[-1].due,
            note=f"Plan {plan.id}: {format_pounds(terms.instalment)} "
            f"{EVERY[terms.frequency]} to {instalments[-1].due:%d/%m/%Y}",
        )  # fmt: skip
        audit.record(
            session,
            self._db.actor,
            "plan.renegotiate" if replaces else "plan.create",
            "account",
            account.reference,
            {"plan": replaces} if replaces else None,
            {
                "plan": plan.id,
                "instalment": terms.instalment,
                "frequency": terms.frequency.value,
                "start": terms.start,
                "total": terms.total,
                "method": terms.method.value,
            },
        )
        return plan.id
