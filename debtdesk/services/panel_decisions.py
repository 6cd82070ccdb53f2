"""The panel's decisions, and what each sets in motion on the account.

Recorded on a case of a meeting that was held, one decision per case:

* the account moves to the recovery stage the option stands for (domain.panel
  ``STAGE_FOR``: court action to "legal", agents to "agents", a write-off to "write_off"),
  when the team's policy has that stage, effective the day of the decision;
* court action (a county court claim, a charging order) is refused until a deferred
  payment agreement was offered and refused, or none is available (Care Act s69(2));
* a write-off decision starts a write-off recommendation for the amount and reason given,
  which an approver then decides as any other (services.write_offs);
* each action becomes a task on its owner's worklist, due on its date.

All in one transaction, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from debtdesk.db.models import (
    PanelAction,
    PanelCase,
    PanelDecision,
    PanelMeeting,
    RecoveryEvent,
    Task,
    User,
)
from debtdesk.domain.panel import COURT_OPTIONS, OPTION_NAMES, STAGE_FOR, MeetingStatus, PanelOption
from debtdesk.domain.roles import Permission
from debtdesk.domain.tasks import TASK_TITLES, TaskKind, TaskStatus
from debtdesk.domain.write_offs import WriteOffReason
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import court_action_blocked
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.settings import recovery_policy
from debtdesk.services.users import require
from debtdesk.services.write_offs import add_recommendation


@dataclass(frozen=True)
class NewAction:
    """An action the panel set: what, whose (a login), by when."""

    text: str
    owner: str
    due: date


@dataclass(frozen=True)
class WriteOffTerms:
    amount: int
    reason: WriteOffReason


class PanelDecisions:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        case_id: int,
        option: PanelOption,
        discussion: str,
        decided_on: date,
        actions: Sequence[NewAction] = (),
        write_off: WriteOffTerms | None = None,
    ) -> int:
        """Record the panel's decision on a case and set it in motion; the decision's id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such case, or an action's owner is not a user.
            BadInput: the meeting was not held (or is minuted), the case has a decision,
                no discussion, an action without text or due before the decision, court
                action before a deferred payment agreement was refused or found not
                available, or a write-off without its amount and reason (or refused by
                services.write_offs).
        """
        if not discussion.strip():
            raise BadInput("record what the panel discussed")
        if option is PanelOption.WRITE_OFF and write_off is None:
            raise BadInput("a write-off decision needs the amount and the reason")
        for action in actions:
            if not action.text.strip():
                raise BadInput("an action needs its text")
            if action.due < decided_on:
                raise BadInput(
                    f"the action {action.text.strip()!r} is due {action.due:%d/%m/%Y}, before "
                    f"the decision ({decided_on:%d/%m/%Y})"
                )
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            case = session.get(PanelCase, case_id)
            if case is None:
                raise NotFound(f"no panel case {case_id}")
            meeting = session.get(PanelMeeting, case.meeting_id)
            assert meeting is not None
            if meeting.status is not MeetingStatus.HELD:
                raise BadInput(
                    f"the meeting of {meeting.meets_on:%d/%m/%Y} is {meeting.status.value}: "
                    "decisions are recorded once it is held, until it is minuted"
                )
            if session.scalar(select(PanelDecision.id).where(PanelDecision.case_id == case_id)):
                raise BadInput("this case has its decision already")
            account = get_account(session, case.account_id)
            if option in COURT_OPTIONS and (why := court_action_blocked(session, account.id)):
                raise BadInput(f"{account.reference}: {why}")
            owners = {
                a.owner: session.scalar(select(User).where(User.username == a.owner))
                for a in actions
            }
            missing = sorted(login for login, user in owners.items() if user is None)
            if missing:
                raise NotFound(f"no user {', '.join(missing)}: an action's owner must be one")
            said = f"Panel decision, {meeting.meets_on:%d/%m/%Y}: {OPTION_NAMES[option]}"
            decision = PanelDecision(
                case_id=case_id, option=option, discussion=discussion.strip(),
                decided_on=decided_on, recorded_by=self._db.actor,
            )  # fmt: skip
            stage = STAGE_FOR.get(option)
            if stage is not None and stage in {s.code for s in recovery_policy(session).stages}:
                event = RecoveryEvent(
                    account_id=account.id, stage=stage, effective_date=decided_on,
                    actor=self._db.actor, note=said,
                )  # fmt: skip
                session.add(event)
                session.flush()
                decision.recovery_event_id = event.id
            if write_off is not None and option is PanelOption.WRITE_OFF:
                decision.write_off_id = add_recommendation(
                    session, account, write_off.amount, write_off.reason,
                    f"{said}. {discussion.strip()}", self._db.actor,
                )  # fmt: skip
            session.add(decision)
            session.flush()
            for action in actions:
                owner = owners[action.owner]
                assert owner is not None
                task = Task(
                    account_id=account.id, kind=TaskKind.RECOVERY_STEP,
                    title=TASK_TITLES[TaskKind.RECOVERY_STEP],
                    details=f"{said}. {action.text.strip()}",
                    due_on=action.due, status=TaskStatus.OPEN, assigned_to=owner.id,
                    created_by=self._db.actor,
                )  # fmt: skip
                session.add(task)
                session.flush()
                session.add(
                    PanelAction(
                        decision_id=decision.id,
                        text=action.text.strip(),
                        owner_id=owner.id,
                        due_on=action.due,
                        task_id=task.id,
                    )  # fmt: skip
                )
            audit.record(
                session, self._db.actor, "panel.decide", "account", account.reference, None,
                {"case": case_id, "decision": option.value, "on": decided_on,
                 "stage": stage, "actions": len(actions)},
            )  # fmt: skip
            return decision.id
