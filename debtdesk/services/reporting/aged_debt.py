"""The aged debt report (``aged-debt``): every account's debt at a date by age, with who works
it and where its recovery stands then, and the same totals by officer and by customer type.

Everything is as at ``as_of`` (RULES.md "Allocation and ageing"): the balance and ageing
count the entries and allocations effective on or before it (services.reporting.ageing);
the recovery stage is the last one reached on or before it (a ``cleared`` event ends
recovery, so nothing is shown after one); the holds are those in force that day
(domain.holds); the plan is the one agreed to start on or before it and not yet ended
then (broken, completed, cancelled or replaced, as recorded). The officer, customer type
and status are the account's own, as they are now (no history of them is kept).

Each is read for every account at once, in a handful of queries, so the report costs the
same few statements at 60 accounts or 100,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from operator import itemgetter

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, CustomerType, Hold, PaymentPlan, RecoveryEvent, User
from debtdesk.domain import holds as hold_rules
from debtdesk.domain.ageing import BUCKETS
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.domain.payment_plans import EVERY
from debtdesk.reports.report import Column, Report, Sheet, Table, Value, count, money
from debtdesk.services.recovery_facts import CLEARED
from debtdesk.services.reporting.ageing import AgedAccount, aged_accounts
from debtdesk.services.reporting.catalogue import ReportParams
from debtdesk.services.settings import recovery_policy

BUCKET_HEADERS = ("Not due", "1–30 days", "31–60", "61–90", "91–180", "181–365", "Over 365")
"""The ageing columns' headers, in :data:`~debtdesk.domain.ageing.BUCKETS` order."""
NO_OFFICER = "No officer"

ABOUT = (
    "Every account with a balance or an unpaid bill at the date: its balance, what is "
    "owed by how many days past its due date, and credit not yet set against a bill "
    "(unallocated, zero or negative). Only entries and payments effective on or before the "
    "date count, whenever they were posted. The recovery stage is the last reached by the "
    "date, the holds those in force that day, the plan the one running that day. Officer, "
    "customer type and status are as they are now. The Summary sheet totals the same "
    "figures by officer and by customer type."
)

_MONEY = (money("Balance"), *(money(h) for h in BUCKET_HEADERS), money("Unallocated"))
ACCOUNT_COLUMNS = (
    Column("Reference"),
    Column("Client"),
    Column("Officer"),
    Column("Customer type"),
    Column("Status"),
    Column("Recovery stage"),
    Column("Holds"),
    Column("Plan"),
    *_MONEY,
)


_in_order = itemgetter(*BUCKETS)


def _figures(aged: AgedAccount) -> list[int]:
    """Balance, the buckets in order, unallocated: the money columns of a row."""
    return [aged.balance, *_in_order(aged.aged), aged.unallocated]


def stages_at(session: Session, as_of: date) -> dict[int, str]:
    """Each account's recovery stage reached on or before ``as_of`` (by name), if in recovery."""
    names = {s.code: s.name for s in recovery_policy(session).stages}
    current: dict[int, str | None] = {}
    for account_id, stage in session.execute(
        select(RecoveryEvent.account_id, RecoveryEvent.stage)
        .where(RecoveryEvent.effective_date <= as_of)
        .order_by(RecoveryEvent.account_id, RecoveryEvent.id)
    ).tuples():
        current[account_id] = None if stage == CLEARED else names.get(stage, stage)
    return {a: s for a, s in current.items() if s is not None}


def holds_at(session: Session, as_of: date) -> dict[int, str]:
    """Each account's holds in force at ``as_of``: their reasons, oldest first, "; " between."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for account_id, reason, start, end, review, ended in session.execute(
        select(
            Hold.account_id, Hold.reason, Hold.start_on, Hold.end_on, Hold.review_on, Hold.ended_on
        )
        .where(
            Hold.start_on <= as_of,
            or_(Hold.ended_on.is_(None), Hold.ended_on > as_of),
            or_(Hold.end_on.is_(None), Hold.end_on >= as_of),
        )
        .order_by(Hold.account_id, Hold.start_on, Hold.id)
    ).tuples():
        hold = hold_rules.Hold(reason, start, end, review, "", ended)
        name = hold_rules.HOLD_NAMES[reason]
        if hold_rules.in_force(hold, as_of) and name not in reasons[account_id]:
            reasons[account_id].append(name)
    return {a: "; ".join(names) for a, names in reasons.items()}


def plans_at(session: Session, as_of: date) -> dict[int, str]:
    """Each account's payment plan running at ``as_of``: "£50.00 a month from 01/03/2026"."""
    plans: dict[int, str] = {}
    for account_id, instalment, frequency, start in session.execute(
        select(
            PaymentPlan.account_id,
            PaymentPlan.instalment,
            PaymentPlan.frequency,
            PaymentPlan.start_on,
        )
        .where(
            PaymentPlan.start_on <= as_of,
            or_(PaymentPlan.ended_on.is_(None), PaymentPlan.ended_on > as_of),
        )
        .order_by(PaymentPlan.account_id, PaymentPlan.start_on, PaymentPlan.id)
    ).tuples():  # the latest started wins
        plans[account_id] = f"{format_pounds(instalment)} {EVERY[frequency]} from {start:%d/%m/%Y}"
    return plans


def _accounts(session: Session) -> Iterable[tuple[int, str, str, str | None, str, str]]:
    """Every account by reference: id, reference, client, officer, customer type, status
    (its value: the enum's own conversion is a cost a row at county size)."""
    return session.execute(
        select(
            Account.id,
            Account.reference,
            Account.client_name,
            User.display_name,
            CustomerType.code,
            type_coerce(Account.status, String),
        )
        .join(CustomerType, CustomerType.id == Account.customer_type_id)
        .outerjoin(User, User.id == Account.officer_id)
        .order_by(Account.reference)
    ).tuples()


def _summary_table(title: str, key: str, groups: dict[str, list[int]]) -> Table:
    """One row a group: its name, how many accounts, and the money columns summed."""
    rows: list[Sequence[Value]] = [[name, *figures] for name, figures in groups.items()]
    return Table((Column(key), count("Accounts", total=True), *_MONEY), rows, title)


def _by(keyed: Iterable[tuple[str, list[int]]], last: str = "") -> dict[str, list[int]]:
    """Accounts' money figures grouped by a key: [accounts, money...] a group, by name
    (``last``, standing for no key, after the others)."""
    groups: dict[str, list[int]] = {}
    for key, figures in keyed:
        name = key or last
        group = groups.get(name)
        if group is None:
            group = groups[name] = [0] * (len(figures) + 1)
        group[0] += 1
        for i, value in enumerate(figures, 1):
            group[i] += value
    return dict(sorted(groups.items(), key=lambda item: (item[0] == last, item[0])))


def build(session: Session, params: ReportParams) -> Report:
    """The aged debt report as at ``params.as_of``."""
    as_of = params.as_of
    aged = aged_accounts(session, as_of)
    stages, holds, plans = (
        stages_at(session, as_of),
        holds_at(session, as_of),
        plans_at(session, as_of),
    )
    rows: list[list[Value]] = []
    officers: list[tuple[str, list[int]]] = []
    types: list[tuple[str, list[int]]] = []
    for account_id, reference, client, officer, type_code, status in _accounts(session):
        debt = aged.get(account_id)
        if debt is None:
            continue
        row: list[Value] = [
            reference,
            client,
            officer or "",
            type_code,
            status.capitalize(),  # "Active", as the account view shows it
            stages.get(account_id, ""),
            holds.get(account_id, ""),
            plans.get(account_id, ""),
        ]
        figures = _figures(debt)
        row.extend(figures)
        rows.append(row)
        officers.append((officer or "", figures))
        types.append((type_code, figures))
    by_type = _by(types)
    totals = [0] * len(_MONEY)
    for group in by_type.values():  # every account is of one customer type
        totals = [t + f for t, f in zip(totals, group[1:], strict=True)]
    balance, unallocated = totals[0], totals[-1]
    summary = Sheet(
        "Summary",
        (
            _summary_table("By officer", "Officer", _by(officers, NO_OFFICER)),
            _summary_table("By customer type", "Customer type", by_type),
        ),
        "the same figures totalled by officer and by customer type",
    )
    return Report(
        name="aged-debt",
        title="Aged debt",
        about=ABOUT,
        parameters=(("As at", as_of),),
        sheets=(
            Sheet(
                "Accounts",
                (Table(ACCOUNT_COLUMNS, rows),),
                "one row an account with a balance or an unpaid bill",
                freeze_columns=1,
            ),
            summary,
        ),
        summary={
            "accounts": len(rows),
            "balance": json_pounds(balance),
            "aged": {b: json_pounds(v) for b, v in zip(BUCKETS, totals[1:-1], strict=True)},
            "unallocated": json_pounds(unallocated),
        },
        text=f"Aged debt at {as_of:%d/%m/%Y}: {len(rows):,} accounts, {format_pounds(balance)}",
    )
