"""The Debt Management Panel: meetings, the cases on their agendas, decisions and actions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import Timestamp
from debtdesk.domain.panel import CaseSource, MeetingStatus, PanelOption


class PanelMeeting(Base):
    """A meeting of the panel: when, who, and where it stands."""

    __tablename__ = "panel_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meets_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus, "meeting_status"))
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class PanelCase(Base):
    """An account on a meeting's agenda, in its place, with the officer's recommendation."""

    __tablename__ = "panel_cases"
    __table_args__ = (UniqueConstraint("meeting_id", "account_id", name="uq_panel_cases_account"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("panel_meetings.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    position: Mapped[int]
    source: Mapped[CaseSource] = mapped_column(enum_column(CaseSource, "panel_case_source"))
    recommendation: Mapped[PanelOption | None] = mapped_column(
        enum_column(PanelOption, "panel_option")
    )
    reasons: Mapped[str] = mapped_column(Text, default="")
    recommended_by: Mapped[str | None] = mapped_column(String(64))
    """The login that made (or last changed) the recommendation."""
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[Timestamp]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class PanelDecision(Base):
    """What the panel decided on a case, and what was said: one per case."""

    __tablename__ = "panel_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("panel_cases.id"), unique=True)
    option: Mapped[PanelOption] = mapped_column(enum_column(PanelOption, "panel_decision_option"))
    discussion: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date]
    recovery_event_id: Mapped[int | None] = mapped_column(ForeignKey("recovery_events.id"))
    write_off_id: Mapped[int | None] = mapped_column(ForeignKey("write_offs.id"))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[Timestamp]


class PanelAction(Base):
    """An action the panel set on a case: what, whose, by when, and the task it made."""

    __tablename__ = "panel_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("panel_decisions.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date]
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
