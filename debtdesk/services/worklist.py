"""The officer's worklist: what needs doing today, across their caseload.

Gathered at ``as_of`` from the records, not stored:

* **Tasks** open and due by ``as_of``: failed direct debits, recovery calls and steps.
* **Broken plans**: plans broken in the last :data:`RECENT_DAYS` days (recorded by a
  recovery run, or broken by the schedule and not yet recorded).
* **Holds**: in force with their review date come; lifted by themselves (their end
  passed) in the last :data:`RECENT_DAYS` days, said so.
* **Letters of claim** whose 30 days for a reply (Pre-Action Protocol, FACTS.md §4) ran
  out with the debt still overdue and nothing after it.
* **Six years**: open invoices whose last day to claim is within :data:`LIMIT_WARNING_DAYS`
  days, or passed.
* **Write-offs** waiting for a decision, for those who may decide them.

An officer sees their own accounts (and tasks assigned to them); a user who may reassign
sees everyone's, and can move an account or a task to another officer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Hold, PaymentPlan, Task, User, WriteOff
from debtdesk.domain import holds as hold_rules
from debtdesk.domain.holds import HOLD_NAMES, HoldState
from debtdesk.domain.limitation import LIMITATION_YEARS
from debtdesk.domain.money import format_pounds
from debtdesk.domain.payment_plans import EVERY, PlanStatus
from debtdesk.domain.roles import PERMISSIONS, Permission
from debtdesk.domain.tasks import TaskStatus
from debtdesk.domain.write_offs import REASON_NAMES, WriteOffStatus
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.payment_plans import plan_state_at
from debtdesk.services.recovery import limits_for
from debtdesk.services.recovery_facts import overdue_at, stage_histories
from debtdesk.services.users import require

RECENT_DAYS = 14
"""Broken plans and holds that lifted themselves stay on the worklist this long."""
LIMIT_WARNING_DAYS = 90
"""An invoice shows this many days before its last day to claim."""
CLAIM_REPLY_DAYS = 30
"""The Pre-Action Protocol's time for a reply to a letter of claim (FACTS.md §4)."""


class ItemKind(StrEnum):
    TASK = "task"
    BROKEN_PLAN = "broken_plan"
    HOLD_REVIEW = "hold_review"
    HOLD_LIFTED = "hold_lifted"
    CLAIM_EXPIRED = "claim_expired"
    SIX_YEARS = "six_years"
    WRITE_OFF = "write_off"


ITEM_NAMES = {
    ItemKind.TASK: "Task",
    ItemKind.BROKEN_PLAN: "Broken plan",
    ItemKind.HOLD_REVIEW: "Hold to review",
    ItemKind.HOLD_LIFTED: "Hold lifted",
    ItemKind.CLAIM_EXPIRED: "Letter of claim: 30 days passed",
    ItemKind.SIX_YEARS: "Nearing six years",
    ItemKind.WRITE_OFF: "Write-off to decide",
}


@dataclass(frozen=True)
class WorkItem:
    kind: ItemKind
    due: date
    account_id: int
    account_ref: str
    client_name: str
    officer: str
    what: str
    task_id: int | None = None
    record_id: int | None = None
    """The hold, plan or write-off the item is about."""


@dataclass(frozen=True)
class Worklist:
    as_of: date
    everyone: bool
    """Every officer's items (the user may reassign), not only the user's own."""
    items: tuple[WorkItem, ...]

    def counts(self) -> dict[ItemKind, int]:
        found = Counter(item.kind for item in self.items)
        return {kind: found[kind] for kind in ItemKind if found[kind]}


@dataclass(frozen=True)
class OfficerLine:
    id: int
    name: str


class Worklists:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_today(self, as_of: date, *, officer_id: int | None = None) -> Worklist:
        """The user's worklist at ``as_of``; one who may reassign sees everyone's (or,
        with ``officer_id``, that officer's).

        Raises:
            NotAllowed: the login may not work accounts.
        """
        with self._db.sessions() as session:
            user = require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            everyone = Permission.REASSIGN in _permissions(user)
            mine = officer_id if everyone else user.id
            accounts = _accounts(session, mine)
            items = _caseload_items(session, as_of, accounts, mine)
            if Permission.APPROVE_WRITE_OFFS in _permissions(user):
                items += _write_offs(session, accounts)
            items.sort(key=lambda i: (i.due, i.account_ref, i.kind.value))
            return Worklist(as_of, everyone and officer_id is None, tuple(items))

    def officers(self) -> list[OfficerLine]:
        """The active users an account or task can be given to."""
        with self._db.sessions() as session:
            return [
                OfficerLine(u.id, u.display_name)
                for u in session.scalars(
                    select(User).where(User.active.is_(True)).order_by(User.display_name)
                )
            ]

    def reassign_account(self, account_id: int, officer_id: int) -> None:
        """Give an account (and its open tasks not assigned to anyone) to an officer.

        Raises:
            NotAllowed: the login may not reassign.
            NotFound: no such account or officer.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.REASSIGN)
            account = session.get(Account, account_id)
            officer = session.get(User, officer_id)
            if account is None or officer is None or not officer.active:
                raise NotFound("no such account, or no such active officer")
            before = account.officer_id
            account.officer_id = officer.id
            audit.record(
                session,
                self._db.actor,
                "account.reassign",
                "account",
                account.reference,
                {"officer": before},
                {"officer": officer.id},
            )

    def reassign_task(self, task_id: int, officer_id: int) -> None:
        """Give one open task to an officer.

        Raises:
            NotAllowed: the login may not reassign.
            NotFound: no such task or officer.
            BadInput: the task is closed.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.REASSIGN)
            task = session.get(Task, task_id)
            officer = session.get(User, officer_id)
            if task is None or officer is None or not officer.active:
                raise NotFound("no such task, or no such active officer")
            if task.status is not TaskStatus.OPEN:
                raise BadInput(f"task {task_id} is {task.status.value}")
            before = task.assigned_to
            task.assigned_to = officer.id
            audit.record(
                session,
                self._db.actor,
                "task.reassign",
                "task",
                task.id,
                {"assigned_to": before},
                {"assigned_to": officer.id},
            )

    @staticmethod
    def _tasks(
        session: Session, as_of: date, accounts: dict[int, _Acct], officer: int | None
    ) -> list[WorkItem]:
        query = select(Task).where(Task.status == TaskStatus.OPEN, Task.due_on <= as_of)
        items = []
        for task in session.scalars(query):
            acct = accounts.get(task.account_id)
            assigned = task.assigned_to
            if officer is not None and assigned is not None:
                if assigned != officer:
                    continue
                acct = acct or _account(session, task.account_id)
            if acct is None:
                continue
            items.append(
                WorkItem(
                    ItemKind.TASK,
                    task.due_on,
                    task.account_id,
                    acct.reference,
                    acct.name,
                    acct.officer,
                    f"{task.title}: {task.details}",
                    task_id=task.id,
                )  # fmt: skip
            )
        return items


def _caseload_items(
    session: Session, as_of: date, accounts: dict[int, _Acct], officer: int | None
) -> list[WorkItem]:
    """What the accounts' worklist holds at ``as_of``, bar the write-offs to decide."""
    return [
        *Worklists._tasks(session, as_of, accounts, officer),
        *_broken_plans(session, as_of, accounts),
        *_holds(session, as_of, accounts),
        *_claims(session, as_of, accounts),
        *_six_years(session, as_of, accounts),
    ]


def officer_counts(session: Session, as_of: date, officer_id: int) -> dict[ItemKind, int]:
    """One officer's worklist at ``as_of`` counted by kind (the dashboard's own figures): the
    items :meth:`Worklists.for_today` lists them, without the write-offs to decide (an
    approver's work, not a caseload's)."""
    items = _caseload_items(session, as_of, _accounts(session, officer_id), officer_id)
    return dict(Counter(item.kind for item in items))


@dataclass(frozen=True)
class _Acct:
    reference: str
    name: str
    officer: str


def _permissions(user: User) -> frozenset[Permission]:
    return PERMISSIONS[user.role] if user.active else frozenset()


def _accounts(session: Session, officer: int | None) -> dict[int, _Acct]:
    query = select(Account, User.display_name).outerjoin(User, User.id == Account.officer_id)
    if officer is not None:
        query = query.where(Account.officer_id == officer)
    return {
        account.id: _Acct(account.reference, account.client_name, name or "")
        for account, name in session.execute(query).tuples()
    }


def _account(session: Session, account_id: int) -> _Acct | None:
    found = session.execute(
        select(Account, User.display_name)
        .outerjoin(User, User.id == Account.officer_id)
        .where(Account.id == account_id)
    ).first()
    if found is None:
        return None
    account, name = found
    return _Acct(account.reference, account.client_name, name or "")


def _item(
    kind: ItemKind, due: date, account_id: int, acct: _Acct, what: str, record: int | None
) -> WorkItem:
    return WorkItem(
        kind, due, account_id, acct.reference, acct.name, acct.officer, what, record_id=record
    )


def _broken_plans(session: Session, as_of: date, accounts: dict[int, _Acct]) -> list[WorkItem]:
    since = as_of - timedelta(days=RECENT_DAYS)
    items = []
    for plan in session.scalars(
        select(PaymentPlan).where(
            PaymentPlan.status.in_((PlanStatus.ACTIVE, PlanStatus.BROKEN)),
            PaymentPlan.start_on <= as_of,
        )
    ):
        acct = accounts.get(plan.account_id)
        if acct is None:
            continue
        broken = plan.broken_on
        if plan.status is PlanStatus.ACTIVE:
            broken = plan_state_at(session, plan, as_of).broken_on
        if broken is None or not since <= broken <= as_of:
            continue
        items.append(
            _item(
                ItemKind.BROKEN_PLAN,
                broken,
                plan.account_id,
                acct,
                f"Plan of {format_pounds(plan.instalment)} {EVERY[plan.frequency]} "
                f"broken on {broken:%d/%m/%Y}",
                plan.id,
            )  # fmt: skip
        )
    return items


def _holds(session: Session, as_of: date, accounts: dict[int, _Acct]) -> list[WorkItem]:
    since = as_of - timedelta(days=RECENT_DAYS)
    items = []
    for hold in session.scalars(select(Hold).where(Hold.start_on <= as_of)):
        acct = accounts.get(hold.account_id)
        if acct is None:
            continue
        rule = hold_rules.Hold(
            hold.reason, hold.start_on, hold.end_on, hold.review_on, hold.set_by, hold.ended_on
        )
        state = hold_rules.hold_state(rule, as_of)
        name = HOLD_NAMES[hold.reason]
        if state is HoldState.REVIEW_DUE and hold.review_on is not None:
            items.append(
                _item(
                    ItemKind.HOLD_REVIEW,
                    hold.review_on,
                    hold.account_id,
                    acct,
                    f"{name}: review due {hold.review_on:%d/%m/%Y}",
                    hold.id,
                )  # fmt: skip
            )
        elif state is HoldState.LIFTED and hold.end_on is not None:
            lifted = hold.end_on + timedelta(days=1)
            if since <= lifted:
                items.append(
                    _item(
                        ItemKind.HOLD_LIFTED,
                        lifted,
                        hold.account_id,
                        acct,
                        f"{name} ended {hold.end_on:%d/%m/%Y}: recovery resumes",
                        hold.id,
                    )  # fmt: skip
                )
    return items


def _claims(session: Session, as_of: date, accounts: dict[int, _Acct]) -> list[WorkItem]:
    overdue = overdue_at(session, as_of)
    items = []
    for account_id, history in stage_histories(session).items():
        acct = accounts.get(account_id)
        sent = history.reached.get("letter_of_claim")
        if acct is None or sent is None or history.current != "letter_of_claim":
            continue
        expired = sent + timedelta(days=CLAIM_REPLY_DAYS)
        if expired <= as_of and account_id in overdue:
            items.append(
                _item(
                    ItemKind.CLAIM_EXPIRED,
                    expired,
                    account_id,
                    acct,
                    f"Letter of claim of {sent:%d/%m/%Y}: 30 days passed, "
                    f"{format_pounds(overdue[account_id].amount)} still overdue",
                    None,
                )  # fmt: skip
            )
    return items


def _six_years(session: Session, as_of: date, accounts: dict[int, _Acct]) -> list[WorkItem]:
    """Invoices overdue whose six years (from the due date: a restart only moves it later,
    so these are the only candidates) end within the warning."""
    horizon = as_of + timedelta(days=LIMIT_WARNING_DAYS) - relativedelta(years=LIMITATION_YEARS)
    candidates = {a for a, due in overdue_at(session, as_of).items() if due.oldest_due <= horizon}
    items = []
    for account_id in sorted(candidates & accounts.keys()):
        for line in limits_for(session, account_id, as_of):
            if line.last_day_to_claim <= as_of + timedelta(days=LIMIT_WARNING_DAYS):
                passed = line.last_day_to_claim < as_of
                items.append(
                    _item(
                        ItemKind.SIX_YEARS,
                        line.last_day_to_claim,
                        account_id,
                        accounts[account_id],
                        f"{line.invoice_number} ({format_pounds(line.outstanding)}): "
                        + (
                            "statute-barred, the last day to claim was "
                            if passed
                            else "last day to claim "
                        )
                        + f"{line.last_day_to_claim:%d/%m/%Y}",
                        None,
                    )  # fmt: skip
                )
    return items


def _write_offs(session: Session, accounts: dict[int, _Acct]) -> list[WorkItem]:
    items = []
    for row in session.scalars(
        select(WriteOff).where(WriteOff.status == WriteOffStatus.RECOMMENDED)
    ):
        acct = accounts.get(row.account_id)
        if acct is not None:
            items.append(
                _item(
                    ItemKind.WRITE_OFF,
                    row.recommended_at.date(),
                    row.account_id,
                    acct,
                    f"{format_pounds(row.amount)} recommended by {row.recommended_by}: "
                    f"{REASON_NAMES[row.reason]}",
                    row.id,
                )  # fmt: skip
            )
    return items
