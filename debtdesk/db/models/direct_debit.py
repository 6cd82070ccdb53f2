"""Direct debits: mandates and their history, scheduled collections, Bacs report items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import PenceColumn, Timestamp
from debtdesk.domain.caseload import MandateStatus
from debtdesk.domain.direct_debit import CollectionStatus, MandateEventKind


class Mandate(Base):
    """A direct debit instruction (Bacs DDI) for an account."""

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(18), unique=True)
    payer_name: Mapped[str] = mapped_column(String(60))
    sort_code: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(8))
    status: Mapped[MandateStatus] = mapped_column(enum_column(MandateStatus, "mandate_status"))
    lodged_on: Mapped[date | None]
    created_at: Mapped[Timestamp]
    # Who keyed the bank details: the only person shown them unmasked (None: an import).
    set_up_by: Mapped[str | None] = mapped_column(String(64))
    # "0N" or "0C" while an instruction waits for the next dd run to send it.
    instruction_due: Mapped[str | None] = mapped_column(String(2))
    # Why collections are stopped while it stays live (an ADDACS or ARUDD code); None: not held.
    hold_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class MandateEvent(Base):
    """One change in a mandate's life: what, when, why, from what to what, and who."""

    __tablename__ = "mandate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("mandates.id"), index=True)
    kind: Mapped[MandateEventKind] = mapped_column(
        enum_column(MandateEventKind, "mandate_event_kind")
    )
    effective_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]


class Collection(Base):
    """A direct debit collection: scheduled by a dd run, then collected, returned or cancelled.

    It collects a statement's amount due (``statement_id``) or one instalment of a payment
    plan paid by direct debit (``plan_id`` and ``instalment``). ``attempt`` is 1 for the
    first collection and 2 for its re-presentation, so neither is ever collected twice by
    accident (the unique constraints).
    """

    __tablename__ = "collections"
    __table_args__ = (
        UniqueConstraint("statement_id", "attempt", name="uq_collections_statement_attempt"),
        UniqueConstraint(
            "plan_id", "instalment", "attempt", name="uq_collections_plan_instalment_attempt"
        ),
        Index("ix_collections_status_date", "status", "collection_date"),
        Index("ix_collections_mandate", "mandate_id", "collection_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("mandates.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("payment_plans.id"))
    instalment: Mapped[int | None]
    """The plan's instalment number (1 for the first) this collects."""
    attempt: Mapped[int] = mapped_column(default=1)
    represents_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id"), unique=True)
    amount: Mapped[PenceColumn]
    collection_date: Mapped[date]
    processing_date: Mapped[date]
    transaction_code: Mapped[str] = mapped_column(String(2))
    status: Mapped[CollectionStatus] = mapped_column(
        enum_column(CollectionStatus, "collection_status")
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    payment_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    return_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    # A returned collection an officer chose to re-present (18): the next dd run
    # schedules the re-presentation on this date.
    represent_on: Mapped[date | None]
    created_at: Mapped[Timestamp]


class BacsItem(Base):
    """One item of an imported Bacs report and what became of it (listed on its batch)."""

    __tablename__ = "bacs_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    line: Mapped[int | None]
    reference: Mapped[str] = mapped_column(String(40))
    payer_name: Mapped[str] = mapped_column(String(60), default="")
    amount: Mapped[int | None] = mapped_column(BigInteger)  # pence; None for an instruction
    code: Mapped[str] = mapped_column(String(10), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # applied, unmatched, recorded (AUDDIS file results), or ignored
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    mandate_id: Mapped[int | None] = mapped_column(ForeignKey("mandates.id"))
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id"))
