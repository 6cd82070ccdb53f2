"""The statute-barred report (``debtdesk report statute-barred``): debts that become
statute-barred within six months of the as-at date, and those already barred.

A sum is recoverable within six years of falling due (Limitation Act 1980 s5, Care Act
s69(3)); a part-payment of the invoice or a written acknowledgment of the account,
made while the debt is still in time, restarts the six years (s29(5), (7)). The rule
is :func:`debtdesk.services.recovery.limitation_restarts`, the one the account view's
Recovery tab uses, read here for every old invoice at once. Only what happened on or
before the as-at date counts: the invoice's outstanding amount, the money set against
it and the acknowledgments then, the recovery stage reached and the referral out then.

"Barred soon" lists each invoice outstanding at D whose last day to claim falls from D
to D + 6 months (calendar months); "Already barred" each one whose last day was before
D, for the team to decide on a statute-barred write-off. Both by last day to claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Invoice, RecoveryEvent, User
from debtdesk.domain.limitation import LIMITATION_YEARS
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.ledger import invoice_outstanding
from debtdesk.services.recovery import Limit, limitation_restarts
from debtdesk.services.recovery_facts import CLEARED
from debtdesk.services.referrals import open_referrals, out_with
from debtdesk.services.reporting.catalogue import ReportParams
from debtdesk.services.settings import recovery_policy
from debtdesk.services.sql import chunks

WARNING_MONTHS = 6
"""How far ahead "barred soon" looks."""


@dataclass(frozen=True)
class _Debt:
    account_id: int
    reference: str
    client: str
    officer: str
    invoice_id: int
    number: str
    due: date
    outstanding: int


def build(session: Session, params: ReportParams) -> Report:
    """Invoices outstanding at ``params.as_of`` barred within six months, or barred already."""
    as_of = params.as_of
    horizon = as_of + relativedelta(months=WARNING_MONTHS)
    # A last day to claim is never before due + 6 years, so a debt due later than this
    # cannot be barred by the horizon (two days' slack for 29 February).
    debts = _old_debts(
        session, as_of, horizon - relativedelta(years=LIMITATION_YEARS) + timedelta(days=2)
    )
    accounts = sorted({d.account_id for d in debts})
    restarts = limitation_restarts(session, as_of, [d.invoice_id for d in debts], accounts)
    stages = _stages_at(session, accounts, as_of)
    referrals = {a: out_with(r) for a, r in open_referrals(session, accounts, as_of).items()}
    soon: list[tuple[_Debt, Limit]] = []
    barred: list[tuple[_Debt, Limit]] = []
    for debt in debts:
        limit = restarts.limit(debt.account_id, debt.invoice_id, debt.due)
        if limit.last_day_to_claim < as_of:
            barred.append((debt, limit))
        elif limit.last_day_to_claim <= horizon:
            soon.append((debt, limit))
    soon.sort(key=_order)
    barred.sort(key=_order)

    def rows(found: list[tuple[_Debt, Limit]], sign: int) -> list[list[Value]]:
        return [
            [
                d.reference,
                d.client,
                d.officer,
                d.number,
                d.due,
                d.outstanding,
                limit.restarted_on,
                limit.restarted_by,
                limit.last_day_to_claim,
                sign * (limit.last_day_to_claim - as_of).days,
                stages.get(d.account_id, ""),
                referrals.get(d.account_id, ""),
            ]  # fmt: skip
            for d, limit in found
        ]

    soon_amount = sum(d.outstanding for d, _ in soon)
    barred_amount = sum(d.outstanding for d, _ in barred)
    return Report(
        name="statute-barred",
        title="Statute-barred soon",
        about=(
            "Invoices outstanding at the date that become statute-barred within six months, "
            "and those already barred. A debt can be claimed for six years from its due "
            "date (Limitation Act 1980 s5; Care Act 2014 s69(3)); a payment set against "
            "the invoice or a written acknowledgment of the account (a contact note marked "
            "so) restarts the six years, but only while the debt is still in time (s29(5), "
            "(7)). Only payments, acknowledgments, stages and referrals on or before the "
            "date count. Days left counts from the date to the last day to claim."
        ),
        parameters=(("As at", as_of), ("Barred soon: last day to claim up to", horizon)),
        sheets=(
            Sheet(
                "Barred soon",
                (Table(_columns(as_of, "Days left"), rows(soon, 1)),),
                about=f"last day to claim from {as_of:%d/%m/%Y} to {horizon:%d/%m/%Y}",
                freeze_columns=1,
            ),
            Sheet(
                "Already barred",
                (Table(_columns(as_of, "Days since"), rows(barred, -1)),),
                about=f"last day to claim before {as_of:%d/%m/%Y}: consider a write-off",
                freeze_columns=1,
            ),
        ),
        summary={
            "invoices": len(soon),
            "amount": json_pounds(soon_amount),
            "barred": len(barred),
            "barred_amount": json_pounds(barred_amount),
        },
        text=(
            f"statute-barred at {as_of:%d/%m/%Y}: {len(soon)} invoice(s), "
            f"{format_pounds(soon_amount)}, barred by {horizon:%d/%m/%Y}; {len(barred)} "
            f"invoice(s), {format_pounds(barred_amount)}, barred already"
        ),
    )


def _order(item: tuple[_Debt, Limit]) -> tuple[date, str, str]:
    """By last day to claim, then account and invoice."""
    return item[1].last_day_to_claim, item[0].reference, item[0].number


def _columns(as_of: date, days: str) -> tuple[Column, ...]:
    return (
        Column("Reference"),
        Column("Client"),
        Column("Officer"),
        Column("Invoice"),
        Column("Due", Kind.DATE),
        money(f"Outstanding at {as_of:%d/%m/%Y}"),
        Column("Last payment or acknowledgment", Kind.DATE),
        Column("Which"),
        Column("Last day to claim", Kind.DATE),
        count(days),
        Column("Recovery stage"),
        Column("Open referral"),
    )


def _old_debts(session: Session, as_of: date, due_by: date) -> list[_Debt]:
    """Invoices due on or before ``due_by`` with something outstanding at ``as_of``."""
    found = (
        select(
            Invoice.id,
            Invoice.account_id,
            Invoice.number,
            Invoice.due_on,
            invoice_outstanding(as_of).label("outstanding"),
        )
        .where(Invoice.due_on <= due_by)
        .subquery()
    )
    rows = session.execute(
        select(
            found.c.account_id,
            Account.reference,
            Account.client_name,
            User.display_name,
            found.c.id,
            found.c.number,
            found.c.due_on,
            found.c.outstanding,
        )
        .join(Account, Account.id == found.c.account_id)
        .outerjoin(User, User.id == Account.officer_id)
        .where(found.c.outstanding > 0)
    ).tuples()
    return [
        _Debt(account, ref, client, officer or "", invoice, number, due, int(outstanding))
        for account, ref, client, officer, invoice, number, due, outstanding in rows
    ]


def _stages_at(session: Session, account_ids: Sequence[int], as_of: date) -> dict[int, str]:
    """The recovery stage each account had reached at ``as_of`` (absent: none)."""
    names = {stage.code: stage.name for stage in recovery_policy(session).stages}
    current: dict[int, str] = {}
    for chunk in chunks(account_ids):
        for account_id, stage in session.execute(
            select(RecoveryEvent.account_id, RecoveryEvent.stage)
            .where(RecoveryEvent.account_id.in_(chunk), RecoveryEvent.effective_date <= as_of)
            .order_by(RecoveryEvent.account_id, RecoveryEvent.id)
        ).tuples():
            current[account_id] = stage
    return {a: names.get(s, s) for a, s in current.items() if s != CLEARED}
