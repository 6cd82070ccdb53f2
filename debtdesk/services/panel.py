"""Debt Management Panel meetings and their agendas.

A meeting is planned for a date with its attendees; cases go on its agenda in order,
each an account with the officer's recommendation and reasons. Accounts the recovery run
moved to the panel referral stage, and not yet on any agenda, wait to be added (as
``recovery_stage`` cases); an officer may add any account. The agenda can be reordered
and changed while the meeting is planned; once held, its decisions are recorded
(services.panel_decisions), and once every case is decided it can be minuted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, PanelCase, PanelDecision, PanelMeeting, User
from debtdesk.domain.panel import (
    MEETING_STATUS_NAMES,
    OPTION_NAMES,
    CaseSource,
    MeetingStatus,
    PanelOption,
)
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.recovery_facts import stage_histories
from debtdesk.services.users import require

PANEL_STAGE = "panel_referral"
"""The default policy's stage that sends an account to the panel (domain.recovery)."""


@dataclass(frozen=True)
class CaseLine:
    id: int
    meeting_id: int
    position: int
    account_id: int
    account_ref: str
    client_name: str
    balance: int
    source: CaseSource
    recommendation: PanelOption | None
    recommendation_name: str
    reasons: str
    recommended_by: str
    """Who made the recommendation, by name ("" when there is none)."""
    decision: PanelOption | None
    decision_name: str


@dataclass(frozen=True)
class MeetingView:
    id: int
    meets_on: date
    title: str
    status: MeetingStatus
    status_name: str
    attendees: tuple[str, ...]
    notes: str
    cases: tuple[CaseLine, ...]

    @property
    def undecided(self) -> int:
        return sum(1 for c in self.cases if c.decision is None)


def _meeting(session: Session, meeting_id: int) -> PanelMeeting:
    meeting = session.get(PanelMeeting, meeting_id)
    if meeting is None:
        raise NotFound(f"no panel meeting {meeting_id}")
    return meeting


def _planned(meeting: PanelMeeting) -> None:
    if meeting.status is not MeetingStatus.PLANNED:
        raise BadInput(
            f"the meeting of {meeting.meets_on:%d/%m/%Y} is {meeting.status.value}: its "
            "agenda can no longer change"
        )


def _cases(session: Session, meeting_ids: Sequence[int]) -> list[CaseLine]:
    names = dict(session.execute(select(User.username, User.display_name)).tuples().all())
    rows = session.execute(
        select(PanelCase, Account, PanelDecision.option)
        .join(Account, Account.id == PanelCase.account_id)
        .outerjoin(PanelDecision, PanelDecision.case_id == PanelCase.id)
        .where(PanelCase.meeting_id.in_(list(meeting_ids)))
        .order_by(PanelCase.meeting_id, PanelCase.position, PanelCase.id)
    ).tuples()
    return [
        CaseLine(
            case.id,
            case.meeting_id,
            case.position,
            account.id,
            account.reference,
            account.client_name,
            account.balance,
            case.source,
            case.recommendation,
            OPTION_NAMES[case.recommendation] if case.recommendation else "",
            case.reasons,
            names.get(case.recommended_by, case.recommended_by) if case.recommended_by else "",
            decided,
            OPTION_NAMES[decided] if decided else "",
        )  # fmt: skip
        for case, account, decided in rows
    ]


def meeting_view(session: Session, meeting_id: int) -> MeetingView:
    meeting = _meeting(session, meeting_id)
    return MeetingView(
        meeting.id, meeting.meets_on, meeting.title, meeting.status,
        MEETING_STATUS_NAMES[meeting.status], tuple(meeting.attendees or ()), meeting.notes,
        tuple(_cases(session, [meeting.id])),
    )  # fmt: skip


def awaiting_panel(session: Session) -> list[int]:
    """Accounts at the panel referral stage now and on no meeting's agenda since."""
    at_stage = [a for a, h in stage_histories(session).items() if h.current == PANEL_STAGE]
    on_agenda = set(session.scalars(select(PanelCase.account_id).distinct()))
    return sorted(a for a in at_stage if a not in on_agenda)


class Panels:
    """Planning meetings and their agendas."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def meetings(self) -> list[MeetingView]:
        """Every meeting, the latest first, with its cases."""
        with self._db.sessions() as session:
            ids = list(
                session.scalars(
                    select(PanelMeeting.id).order_by(
                        PanelMeeting.meets_on.desc(), PanelMeeting.id.desc()
                    )
                )
            )
            return [meeting_view(session, meeting_id) for meeting_id in ids]

    def meeting(self, meeting_id: int) -> MeetingView:
        with self._db.sessions() as session:
            return meeting_view(session, meeting_id)

    def for_account(self, account_id: int) -> list[tuple[MeetingView, CaseLine]]:
        """The account's panel history: each meeting it was on, and its case there."""
        with self._db.sessions() as session:
            ids = session.scalars(
                select(PanelCase.meeting_id).where(PanelCase.account_id == account_id)
            ).all()
            views = [meeting_view(session, i) for i in ids]
        return sorted(
            ((v, next(c for c in v.cases if c.account_id == account_id)) for v in views),
            key=lambda pair: (pair[0].meets_on, pair[0].id),
        )

    def awaiting(self) -> list[int]:
        with self._db.sessions() as session:
            return awaiting_panel(session)

    def plan(self, meets_on: date, title: str, attendees: Sequence[str] = ()) -> int:
        """Plan a meeting; its id.

        Raises:
            NotAllowed: the login may not work accounts.
            BadInput: no title.
        """
        if not title.strip():
            raise BadInput("give the meeting a title")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            meeting = PanelMeeting(
                meets_on=meets_on, title=title.strip(), status=MeetingStatus.PLANNED,
                attendees=[a.strip() for a in attendees if a.strip()],
                created_by=self._db.actor,
            )  # fmt: skip
            session.add(meeting)
            session.flush()
            audit.record(
                session, self._db.actor, "panel.plan", "panel_meeting", meeting.id, None,
                {"meets_on": meets_on, "title": meeting.title},
            )  # fmt: skip
            return meeting.id

    def add_case(
        self,
        meeting_id: int,
        account_id: int,
        recommendation: PanelOption | None = None,
        reasons: str = "",
        source: CaseSource = CaseSource.OFFICER,
    ) -> int:
        """Put an account at the end of a planned meeting's agenda; the case's id.

        Raises:
            NotFound: no such meeting or account.
            BadInput: the meeting is not planned, or the account is on its agenda already.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            meeting = _meeting(session, meeting_id)
            _planned(meeting)
            account = get_account(session, account_id)
            if session.scalar(
                select(PanelCase.id).where(
                    PanelCase.meeting_id == meeting_id, PanelCase.account_id == account_id
                )
            ):
                raise BadInput(f"{account.reference} is on this meeting's agenda already")
            last = session.scalar(
                select(func.max(PanelCase.position)).where(PanelCase.meeting_id == meeting_id)
            )
            case = PanelCase(
                meeting_id=meeting_id, account_id=account_id, position=(last or 0) + 1,
                source=source, recommendation=recommendation, reasons=reasons.strip(),
                recommended_by=self._db.actor if recommendation else None,
                added_by=self._db.actor,
            )  # fmt: skip
            session.add(case)
            session.flush()
            audit.record(
                session, self._db.actor, "panel.add_case", "account", account.reference,
                None, {"meeting": meeting_id, "case": case.id, "source": source.value},
            )  # fmt: skip
            return case.id

    def add_awaiting(self, meeting_id: int) -> list[int]:
        """Put every account waiting for the panel on the agenda; their cases' ids."""
        return [
            self.add_case(meeting_id, account_id, source=CaseSource.RECOVERY_STAGE)
            for account_id in self.awaiting()
        ]

    def recommend(self, case_id: int, option: PanelOption, reasons: str) -> None:
        """The officer's recommendation on a case, with the reasons.

        Raises:
            BadInput: no reasons, or the meeting is not planned.
        """
        if not reasons.strip():
            raise BadInput("give the reasons for the recommendation")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            case = self._case(session, case_id)
            _planned(_meeting(session, case.meeting_id))
            before = {"recommendation": case.recommendation, "reasons": case.reasons}
            case.recommendation, case.reasons = option, reasons.strip()
            case.recommended_by = self._db.actor
            audit.record(
                session, self._db.actor, "panel.recommend", "panel_case", case.id, before,
                {"recommendation": option.value, "reasons": case.reasons},
            )  # fmt: skip

    def reorder(self, meeting_id: int, case_ids: Sequence[int]) -> None:
        """Put the agenda in the order given (every case of the meeting, once).

        Raises:
            BadInput: not exactly the meeting's cases, or the meeting is not planned.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            meeting = _meeting(session, meeting_id)
            _planned(meeting)
            cases = {
                c.id: c
                for c in session.scalars(
                    select(PanelCase).where(PanelCase.meeting_id == meeting_id)
                )
            }
            if sorted(case_ids) != sorted(cases) or len(set(case_ids)) != len(case_ids):
                raise BadInput("the new order must list each of the meeting's cases once")
            for position, case_id in enumerate(case_ids, start=1):
                cases[case_id].position = position
            audit.record(
                session, self._db.actor, "panel.reorder", "panel_meeting", meeting_id, None,
                {"order": list(case_ids)},
            )  # fmt: skip

    def remove_case(self, case_id: int) -> None:
        """Take a case off a planned meeting's agenda (the rest close up).

        Raises:
            BadInput: the meeting is not planned.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            case = self._case(session, case_id)
            meeting_id = case.meeting_id
            _planned(_meeting(session, meeting_id))
            session.delete(case)
            session.flush()
            rest = session.scalars(
                select(PanelCase)
                .where(PanelCase.meeting_id == meeting_id)
                .order_by(PanelCase.position)
            ).all()
            for position, other in enumerate(rest, start=1):
                other.position = position
            audit.record(
                session, self._db.actor, "panel.remove_case", "panel_meeting", meeting_id,
                {"case": case_id}, None,
            )  # fmt: skip

    def hold(self, meeting_id: int, attendees: Sequence[str], notes: str = "") -> None:
        """The meeting took place, with these people: its decisions can be recorded.

        Raises:
            BadInput: no attendees, the meeting is not planned, or its agenda is empty.
        """
        people = [a.strip() for a in attendees if a.strip()]
        if not people:
            raise BadInput("say who attended the meeting")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            meeting = _meeting(session, meeting_id)
            _planned(meeting)
            if not session.scalar(select(func.count()).where(PanelCase.meeting_id == meeting_id)):
                raise BadInput("the meeting has no cases on its agenda")
            meeting.status, meeting.attendees = MeetingStatus.HELD, people
            meeting.notes = notes.strip()
            audit.record(
                session, self._db.actor, "panel.hold", "panel_meeting", meeting_id,
                {"status": "planned"}, {"status": "held", "attendees": people},
            )  # fmt: skip

    def minute(self, meeting_id: int) -> None:
        """Close the meeting's minutes: every case has its decision.

        Raises:
            BadInput: the meeting is not held, or a case has no decision yet.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            view = meeting_view(session, meeting_id)
            if view.status is not MeetingStatus.HELD:
                raise BadInput(f"the meeting is {view.status.value}, not held")
            if view.undecided:
                waiting = ", ".join(c.account_ref for c in view.cases if c.decision is None)
                raise BadInput(f"these cases have no decision yet: {waiting}")
            _meeting(session, meeting_id).status = MeetingStatus.MINUTED
            audit.record(
                session, self._db.actor, "panel.minute", "panel_meeting", meeting_id,
                {"status": "held"}, {"status": "minuted"},
            )  # fmt: skip

    @staticmethod
    def _case(session: Session, case_id: int) -> PanelCase:
        case = session.get(PanelCase, case_id)
        if case is None:
            raise NotFound(f"no panel case {case_id}")
        return case
