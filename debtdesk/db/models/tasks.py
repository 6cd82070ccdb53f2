"""Follow-up work for officers, created by imports and runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import Timestamp, UTCDateTime
from debtdesk.domain.tasks import TaskKind, TaskStatus


class Task(Base):
    """Something an officer must do for an account, by a date, and what came of it."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind, "task_kind"))
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date]
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, "task_status"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"))
    bacs_item_id: Mapped[int | None] = mapped_column(ForeignKey("bacs_items.id"))
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    """The officer it is for; None: the account's officer."""
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(Text, default="")
