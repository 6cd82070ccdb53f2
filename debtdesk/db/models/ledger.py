"""Money: batches and runs, invoices, the append-only ledger and allocations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import PenceColumn, Timestamp, UTCDateTime
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource, PaymentMethod


class Batch(Base):
    """One import or run: what it was, its file's SHA-256, who ran it, when it finished."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    file_name: Mapped[str | None] = mapped_column(String(260))
    file_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    as_of: Mapped[date | None]
    parameters: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[Timestamp]
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invoice(Base):
    """A bill: the charges of one statement, an opening balance, or a sundry debt."""

    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_account_due", "account_id", "due_on", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind, "invoice_kind"))
    issued_on: Mapped[date]
    due_on: Mapped[date]
    # The sum of the entries that make it up (INVOICE_KINDS), fixed when it is raised.
    amount: Mapped[PenceColumn]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"))
    created_at: Mapped[Timestamp]


class LedgerEntry(Base):
    """One append-only movement on an account, in signed pence (positive: owed more)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        # Covering index for balances and ageing as at a date.
        Index("ix_ledger_entries_account_effective", "account_id", "effective_date", "amount"),
        # Covering index for an invoice's lines as at a date (ageing, overdue amounts).
        Index("ix_ledger_entries_invoice_effective", "invoice_id", "effective_date", "amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind, "entry_kind"))
    amount: Mapped[PenceColumn]
    effective_date: Mapped[date]
    posted_at: Mapped[Timestamp]
    source: Mapped[EntrySource] = mapped_column(enum_column(EntrySource, "entry_source"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    # The invoice a charge, interest or compensation belongs to.
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    # The 4-weekly period a charge is for (its first day).
    period_start: Mapped[date | None]
    method: Mapped[PaymentMethod | None] = mapped_column(
        enum_column(PaymentMethod, "payment_method")
    )
    reference: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)


class Allocation(Base):
    """Credit (a payment, credit or write-off) set against an invoice; append-only.

    Undoing an allocation (a returned payment) is a new row with the opposite amount that
    names the one it reverses.
    """

    __tablename__ = "allocations"
    __table_args__ = (
        Index("ix_allocations_invoice", "invoice_id", "effective_date", "amount"),
        Index("ix_allocations_entry_amount", "entry_id", "amount"),
        Index("ix_allocations_account", "account_id", "effective_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    amount: Mapped[PenceColumn]
    effective_date: Mapped[date]
    posted_at: Mapped[Timestamp]
    actor: Mapped[str] = mapped_column(String(64))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("allocations.id"), unique=True)


class Counter(Base):
    """The last number handed out in a series (invoice numbers, statement numbers)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
