"""Late Payment Act interest: Bank Rate's history, what each interest run charged on each
invoice, and the waivers officers grant."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base
from debtdesk.db.types import Timestamp, UTCDateTime


class BankRate(Base):
    """A Bank Rate decision, effective from a day. Never edited: a later decision is a new
    row; a row no interest was ever worked out with may be withdrawn, saying why."""

    __tablename__ = "bank_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_date: Mapped[date] = mapped_column(unique=True)
    basis_points: Mapped[int]
    """Hundredths of a percent: 375 is 3.75%."""
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[Timestamp]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class InterestCharge(Base):
    """What one interest run charged on one invoice: the rate, the days, the interest
    accrued to its date, and what it posted (the accrual less what earlier runs posted,
    and the compensation the first time)."""

    __tablename__ = "interest_charges"
    __table_args__ = (UniqueConstraint("invoice_id", "batch_id", name="uq_interest_charges_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    as_of: Mapped[date]
    reference_date: Mapped[date]
    bank_rate_bp: Mapped[int]
    rate_bp: Mapped[int]
    """The statutory rate, in hundredths of a percent (1175 is 11.75%)."""
    days: Mapped[int]
    """Days late on which some of the invoice was unpaid, to ``as_of``."""
    accrued: Mapped[int] = mapped_column(BigInteger)
    """Pence of interest from the day after the due date to ``as_of``, rounded once."""
    interest: Mapped[int] = mapped_column(BigInteger)
    """Pence posted by this run: the accrual less what earlier runs posted (negative: a
    credit, when a back-dated payment cut the accrual)."""
    compensation: Mapped[int] = mapped_column(BigInteger)
    charge_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    """The interest invoice this run raised for it (None: only a credit was posted)."""
    created_at: Mapped[Timestamp]


class InterestWaiver(Base):
    """An officer's decision not to charge the interest or the compensation on an invoice."""

    __tablename__ = "interest_waivers"
    __table_args__ = (UniqueConstraint("invoice_id", "part", name="uq_interest_waivers_part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    part: Mapped[str] = mapped_column(String(20))
    """``interest`` or ``compensation``."""
    reason: Mapped[str] = mapped_column(Text)
    credited: Mapped[int] = mapped_column(BigInteger, default=0)
    """Pence already posted that the waiver credited back."""
    credit_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]
