"""The caseload report (``caseload``): each officer's accounts and debt, and how the debt moved
from the period's first day to the as-at date D.

Per officer: the debt at the start (balances the day before the period) plus what was
charged, less what was received and written off, plus every other movement, is the debt at
D, row by row, because every ledger entry effective in the period falls in exactly one of
those columns (services.reporting.collection.measure_of). Balances and movements count the
entries effective by each date, whenever they were posted.

An account counts under its officer as it is now: debtdesk keeps no history of who had an
account (a reassignment is only in the audit trail), so a reassigned account takes its
whole period with it. Three queries (two balances and the movements, grouped by officer)
and the accounts' officers; no query per account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, User
from debtdesk.domain.caseload import AccountStatus
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.reports.report import Column, Report, Sheet, Table, Value, count, money
from debtdesk.services.reporting.ageing import aged_accounts, balances_at
from debtdesk.services.reporting.catalogue import ReportParams, four_weeks_before
from debtdesk.services.reporting.collection import Measure, movements

UNASSIGNED = "Unassigned"

ABOUT = (
    "Each officer's caseload and how its debt moved in the period. Accounts: the officer's "
    "open accounts (active, or ceased or deceased with a balance at the end date); in debt: "
    "those owing at the end date. Debt at start is the sum of the officer's accounts' "
    "balances the day before the period (credit balances count against it), debt at end "
    "the same at the end date; only entries effective by each date count, whenever they "
    "were posted. Charged: contribution charges raised by statement runs net of their "
    "recalculation credits. Received: payments less direct debits returned unpaid. Written "
    "off: write-offs approved (less any reversed). Other movements: everything else, "
    "signed - opening balances, interest, compensation, adjustments, refunds paid out and "
    "credits. Debt at start + charged - received - written off + other = debt at end, on "
    "every row. Overdue: what was past its due date at the end date. An account counts "
    "under its officer now (debtdesk keeps no history of who had it); accounts with no "
    "officer are Unassigned; an officer no longer active who still has accounts is shown."
)

COLUMNS = (
    Column("Officer"),
    count("Accounts", total=True),
    count("Accounts in debt", total=True),
    money("Debt at start"),
    money("Charged in period"),
    money("Received in period"),
    money("Written off"),
    money("Other movements"),
    money("Debt at end"),
    money("Movement"),
    money("Overdue at end"),
)


@dataclass
class _Row:
    name: str
    accounts: int = 0
    in_debt: int = 0
    start: int = 0
    end: int = 0
    overdue: int = 0
    moved: dict[Measure, int] = field(default_factory=lambda: defaultdict(int))

    def cells(self) -> list[Value]:
        """The row's cells: money as the customer's debt moves (received shown positive)."""
        moved = self.moved
        charged = moved[Measure.CHARGED]
        received = -(moved[Measure.DIRECT_DEBIT] + moved[Measure.OTHER_PAYMENT])
        received -= moved[Measure.RETURNED]
        written_off = -moved[Measure.WRITTEN_OFF]
        other = moved[Measure.OTHER]
        return [self.name, self.accounts, self.in_debt, self.start, charged, received,
                written_off, other, self.end, self.end - self.start, self.overdue]  # fmt: skip


def _officers(session: Session) -> dict[int | None, _Row]:
    """A row for each user with accounts (by name; "(inactive)" added), then Unassigned."""
    with_accounts = select(Account.officer_id).where(Account.officer_id.is_not(None)).distinct()
    users = session.execute(
        select(User.id, User.display_name, User.active)
        .where(User.id.in_(with_accounts))
        .order_by(User.display_name, User.id)
    ).tuples()
    rows: dict[int | None, _Row] = {
        user_id: _Row(name if active else f"{name} (inactive)") for user_id, name, active in users
    }
    rows[None] = _Row(UNASSIGNED)
    return rows


def build(session: Session, params: ReportParams) -> Report:
    """The caseload report for ``params.start`` to ``params.as_of``."""
    as_of = params.as_of
    start = params.start or four_weeks_before(as_of)
    rows = _officers(session)
    opening = balances_at(session, start - timedelta(days=1))
    aged = aged_accounts(session, as_of)
    for account_id, officer_id, status in session.execute(
        select(Account.id, Account.officer_id, Account.status)
    ).tuples():
        row = rows[officer_id]
        debt = aged.get(account_id)
        end = debt.balance if debt is not None else 0
        row.start += opening.get(account_id, 0)
        row.end += end
        row.overdue += debt.overdue if debt is not None else 0
        row.accounts += status is AccountStatus.ACTIVE or end != 0
        row.in_debt += end > 0
    for _, officer_id, measure, pence in movements(
        session, start, as_of, Account.officer_id, by_day=False
    ):
        rows[officer_id].moved[measure] += pence
    table_rows = [row.cells() for row in rows.values()]
    debt_start = sum(row.start for row in rows.values())
    debt_end = sum(row.end for row in rows.values())
    accounts = sum(row.accounts for row in rows.values())
    return Report(
        name="caseload",
        title="Caseload by officer",
        about=ABOUT,
        parameters=(("From", start), ("To", as_of)),
        sheets=(
            Sheet(
                "Officers",
                (Table(COLUMNS, table_rows),),
                "one row an officer with accounts, then the accounts with no officer",
                freeze_columns=1,
            ),
        ),
        summary={
            "officers": len(table_rows),
            "accounts": accounts,
            "debt_start": json_pounds(debt_start),
            "debt_end": json_pounds(debt_end),
        },
        text=(
            f"Caseload from {start:%d/%m/%Y} to {as_of:%d/%m/%Y}: {len(table_rows)} officers, "
            f"{accounts:,} accounts, debt {format_pounds(debt_start)} to {format_pounds(debt_end)}"
        ),
    )
