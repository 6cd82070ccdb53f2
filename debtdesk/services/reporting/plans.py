"""The payment plans report (``plans``): every plan agreed by a date D and how it stood at D.

A plan counts once it was agreed (recorded) on or before D, or starts on or before D (a plan
entered late is in force from its start, as the recovery run treats it). How it stood at D
is worked out again from domain.payment_plans with only what had happened by D, not read
from today's stored status, which a later recovery run or cancellation may have changed:

* An ending the plan's history records on or before D stands: broken, completed (by a
  recovery run), cancelled or replaced (renegotiated) on that day.
* Otherwise the plan's state at D is recomputed as services.payment_plans does (its
  instalments and the statements falling due since it began, against every payment on the
  account effective from its start), with only payments effective on or before D and only
  statements issued on or before D: broken if it had broken by D, completed if paid in full
  by D, else still running: ``active`` while nothing under it has fallen due yet, ``kept``
  once something has and it has not broken (any shortfall is then inside its grace).

Due, paid and shortfall are under the plan as it measures them: its instalments and the
contributions falling due since it began, due by D (or by the day the plan ended, if it
ended by D, as the account's plan tab shows it), and the payments set against them in due
order. The plans, statements and payments of all the plans' accounts are read in three
queries, not one a plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Invoice, LedgerEntry, PaymentPlan, User
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.payment_plans import (
    EVERY,
    Instalment,
    PlanState,
    PlanStatus,
    plan_state,
    schedule,
)
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.payment_plans import CONTRIBUTION_NUMBER
from debtdesk.services.reporting.catalogue import ReportParams
from debtdesk.services.sql import chunks

ACTIVE, KEPT = "active", "kept"
STATUSES = (ACTIVE, KEPT, "broken", "completed", "cancelled", "replaced")

ABOUT = (
    "Every payment plan agreed (or starting) on or before the date, and how it stood then, "
    "worked out from the plan rules with only payments effective and statements issued on or "
    "before the date: active (nothing under it due yet), kept (something due and not "
    "broken; a shortfall is still within its grace), broken, completed, cancelled or "
    "replaced (renegotiated) by the date. Due, paid and shortfall count the plan's "
    "instalments and the contributions falling due since it began (what the plan asks "
    "for), due by the date, or by the day the plan ended if it ended before; payments are "
    "set against them in due order. Total to pay is the arrears the instalments cover. "
    "Officer is as it is now."
)

PLAN_COLUMNS = (
    Column("Reference"),
    count("Plan"),
    Column("Client"),
    Column("Officer"),
    Column("Agreed on", Kind.DATE),
    Column("First instalment", Kind.DATE),
    Column("Frequency"),
    money("Instalment", total=False),
    count("Instalments"),
    money("Total to pay (arrears)"),
    Column("Method"),
    money("Due by the date (instalments + contributions)"),
    money("Paid by the date"),
    money("Shortfall at the date"),
    Column("Status at the date"),
    Column("Ended on", Kind.DATE),
)
SUMMARY_COLUMNS = (
    Column("Status at the date"),
    count("Plans", total=True),
    money("Total to pay (arrears)"),
    money("Paid by the date"),
    money("Shortfall"),
)


@dataclass(frozen=True)
class PlanAt:
    """A plan as it stood at a date: its status, when it ended, and the figures under it."""

    status: str
    ended_on: date | None
    due: int
    paid: int
    shortfall: int


def agreed_on(plan: PaymentPlan) -> date:
    """The local day the plan was recorded."""
    return plan.created_at.astimezone().date()


def plan_at(
    plan: PaymentPlan,
    statements: Sequence[tuple[date, date, int]],
    payments: Sequence[tuple[date, int]],
    as_of: date,
) -> PlanAt:
    """How ``plan`` stood at ``as_of`` (``statements``: its account's (issued, due, pence);
    ``payments``: its account's (effective, pence paid, negative when returned))."""
    status, ended = ACTIVE, None
    if plan.status is not PlanStatus.ACTIVE and plan.ended_on and plan.ended_on <= as_of:
        status, ended = plan.status.value, plan.ended_on
    else:
        state = _state(plan, statements, payments, as_of)
        if state.broken_on is not None:
            status, ended = PlanStatus.BROKEN.value, state.broken_on
        elif state.completed_on is not None:
            status, ended = PlanStatus.COMPLETED.value, state.completed_on
    day = ended or as_of
    state = _state(plan, statements, payments, day)
    due = [s for s in state.instalments if s.instalment.due <= day]
    if ended is None and due:
        status = KEPT
    return PlanAt(
        status,
        ended,
        sum(s.instalment.amount for s in due),
        state.paid,
        sum(s.outstanding for s in due),
    )


def _state(
    plan: PaymentPlan,
    statements: Sequence[tuple[date, date, int]],
    payments: Sequence[tuple[date, int]],
    day: date,
) -> PlanState:
    own = schedule(plan.start_on, plan.frequency, plan.instalment, plan.total)
    ongoing = [
        Instalment(CONTRIBUTION_NUMBER + i, due, amount)
        for i, (_, due, amount) in enumerate(
            (s for s in statements if s[1] >= plan.start_on and s[0] <= day), start=1
        )
    ]
    return plan_state(
        own + ongoing,
        [(on, pence) for on, pence in payments if on >= plan.start_on],
        day,
        tolerance=plan.tolerance,
        grace_days=plan.grace_days,
    )


def _plans(session: Session, as_of: date) -> list[tuple[PaymentPlan, str, str, str]]:
    """Every plan agreed or starting on or before ``as_of``, with its account's reference,
    client and officer, by reference then plan."""
    rows = session.execute(
        select(PaymentPlan, Account.reference, Account.client_name, User.display_name)
        .join(Account, Account.id == PaymentPlan.account_id)
        .outerjoin(User, User.id == Account.officer_id)
        .order_by(Account.reference, PaymentPlan.id)
    ).tuples()
    return [
        (plan, reference, client, officer or "")
        for plan, reference, client, officer in rows
        if plan.start_on <= as_of or agreed_on(plan) <= as_of
    ]


def _history(
    session: Session, account_ids: Sequence[int], as_of: date
) -> tuple[dict[int, list[tuple[date, date, int]]], dict[int, list[tuple[date, int]]]]:
    """The accounts' statements issued and payments effective on or before ``as_of``."""
    statements: dict[int, list[tuple[date, date, int]]] = defaultdict(list)
    payments: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for chunk in chunks(account_ids):
        for account_id, issued, due, amount in session.execute(
            select(Invoice.account_id, Invoice.issued_on, Invoice.due_on, Invoice.amount)
            .where(
                Invoice.account_id.in_(chunk),
                Invoice.kind == InvoiceKind.STATEMENT,
                Invoice.amount > 0,
                Invoice.issued_on <= as_of,
            )
            .order_by(Invoice.account_id, Invoice.due_on, Invoice.id)
        ).tuples():
            statements[account_id].append((issued, due, amount))
        for account_id, effective, amount in session.execute(
            select(LedgerEntry.account_id, LedgerEntry.effective_date, LedgerEntry.amount).where(
                LedgerEntry.account_id.in_(chunk),
                LedgerEntry.kind.in_((EntryKind.PAYMENT, EntryKind.RETURNED_PAYMENT)),
                LedgerEntry.effective_date <= as_of,
            )
        ).tuples():
            payments[account_id].append((effective, -amount))
    return statements, payments


def build(session: Session, params: ReportParams) -> Report:
    """The payment plans report as at ``params.as_of``."""
    as_of = params.as_of
    plans = _plans(session, as_of)
    statements, payments = _history(session, sorted({plan.account_id for plan, *_ in plans}), as_of)
    rows: list[list[Value]] = []
    by_status: dict[str, list[int]] = {status: [0, 0, 0, 0] for status in STATUSES}
    for plan, reference, client, officer in plans:
        at = plan_at(plan, statements[plan.account_id], payments[plan.account_id], as_of)
        instalments = schedule(plan.start_on, plan.frequency, plan.instalment, plan.total)
        rows.append(
            [
                reference,
                plan.id,
                client,
                officer,
                agreed_on(plan),
                plan.start_on,
                EVERY[plan.frequency],
                plan.instalment,
                len(instalments),
                plan.total,
                plan.method.value.replace("_", " "),
                at.due,
                at.paid,
                at.shortfall,
                at.status,
                at.ended_on,
            ]
        )
        group = by_status.setdefault(at.status, [0, 0, 0, 0])
        for i, value in enumerate((1, plan.total, at.paid, at.shortfall)):
            group[i] += value
    counts = {status: group[0] for status, group in by_status.items()}
    summary_rows: list[list[Value]] = [[status, *group] for status, group in by_status.items()]
    return Report(
        name="plans",
        title="Payment plans",
        about=ABOUT,
        parameters=(("As at", as_of),),
        sheets=(
            Sheet(
                "Plans",
                (Table(PLAN_COLUMNS, rows),),
                "one row a plan agreed or starting on or before the date",
                freeze_columns=2,
            ),
            Sheet(
                "Summary",
                (Table(SUMMARY_COLUMNS, summary_rows),),
                "the plans totalled by their status at the date",
            ),
        ),
        summary={"plans": len(rows), **counts},
        text=f"Payment plans at {as_of:%d/%m/%Y}: {len(rows):,} plans"
        + "".join(f", {n:,} {status}" for status, n in counts.items() if n),
    )
