"""Recovery records: holds, stages reached, payment plans, contact notes, write-offs,
referrals and deferred payment agreement offers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import Timestamp, UTCDateTime
from debtdesk.domain.contacts import ContactChannel, Direction
from debtdesk.domain.deferred_payments import DpaOutcome
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.ledger import PaymentMethod
from debtdesk.domain.payment_plans import Frequency, PlanStatus
from debtdesk.domain.referrals import ReferralKind
from debtdesk.domain.write_offs import WriteOffReason, WriteOffStatus


class Hold(Base):
    """A reason recovery stops on an account, from a day, to an end or a review."""

    __tablename__ = "holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    reason: Mapped[HoldReason] = mapped_column(enum_column(HoldReason, "hold_reason"))
    start_on: Mapped[date]
    end_on: Mapped[date | None]
    review_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[Timestamp]
    ended_on: Mapped[date | None]
    ended_by: Mapped[str | None] = mapped_column(String(64))
    end_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class RecoveryEvent(Base):
    """A stage an account reached (by a run or an officer), or recovery ending: append-only."""

    __tablename__ = "recovery_events"
    __table_args__ = (Index("ix_recovery_events_account", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    stage: Mapped[str] = mapped_column(String(40))
    """The stage's code; ``cleared`` when nothing was overdue any more."""
    effective_date: Mapped[date]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[Timestamp]


class PaymentPlan(Base):
    """An agreement to pay arrears by instalments; a renegotiation names the plan it replaces."""

    __tablename__ = "payment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    instalment: Mapped[int] = mapped_column(BigInteger)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "plan_frequency"))
    start_on: Mapped[date]
    total: Mapped[int] = mapped_column(BigInteger)
    """The arrears the plan covers, in pence (the ongoing contribution is billed as usual)."""
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod, "plan_method"))
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, "plan_status"))
    tolerance: Mapped[int] = mapped_column(BigInteger)
    grace_days: Mapped[int]
    affordability: Mapped[dict[str, object] | None] = mapped_column(JSON)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("payment_plans.id"), unique=True)
    broken_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ContactNote(Base):
    """A call, letter, email or visit: append-only; a correction is a new note naming it."""

    __tablename__ = "contact_notes"
    __table_args__ = (Index("ix_contact_notes_account", "account_id", "happened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[ContactChannel] = mapped_column(enum_column(ContactChannel, "contact_channel"))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "contact_direction"))
    with_whom: Mapped[str] = mapped_column(String(200))
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representatives.id"))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_action_on: Mapped[date | None]
    acknowledges_debt: Mapped[bool] = mapped_column(default=False)
    """A written acknowledgment of the debt (Limitation Act 1980 s29(5))."""
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("contact_notes.id"), unique=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    author: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]


class WriteOff(Base):
    """A write-off recommended by one person and decided by another."""

    __tablename__ = "write_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[WriteOffReason] = mapped_column(enum_column(WriteOffReason, "write_off_reason"))
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[WriteOffStatus] = mapped_column(enum_column(WriteOffStatus, "write_off_status"))
    recommended_by: Mapped[str] = mapped_column(String(64))
    recommended_at: Mapped[Timestamp]
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Referral(Base):
    """An account referred to agents, legal or the county court, and what came back."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[ReferralKind] = mapped_column(enum_column(ReferralKind, "referral_kind"))
    referred_on: Mapped[date]
    amount: Mapped[int] = mapped_column(BigInteger)
    """The debt referred, in pence."""
    agency: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str] = mapped_column(String(60), default="")
    returned_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(Text, default="")
    recovered: Mapped[int] = mapped_column(BigInteger, default=0)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class DpaRecord(Base):
    """A deferred payment agreement decision on an account (Care Act s69(2)): append-only;
    the latest stands."""

    __tablename__ = "dpa_records"
    __table_args__ = (Index("ix_dpa_records_account", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    outcome: Mapped[DpaOutcome] = mapped_column(enum_column(DpaOutcome, "dpa_outcome"))
    decided_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]
