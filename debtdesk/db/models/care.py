"""What is charged: financial assessments, care packages, and the FNC rate history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import PenceColumn, Timestamp
from debtdesk.domain.charging import Funding


class FinancialAssessment(Base):
    """A Care Act financial assessment: the weekly contribution from a date."""

    __tablename__ = "financial_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    weekly_contribution: Mapped[PenceColumn]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[Timestamp]


class CarePackage(Base):
    """Care delivered to the client: its weekly cost and who funds it, from and to a date."""

    __tablename__ = "care_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    service: Mapped[str] = mapped_column(String(120))
    provider: Mapped[str] = mapped_column(String(200), default="")
    weekly_cost: Mapped[PenceColumn]
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    funding: Mapped[Funding] = mapped_column(
        enum_column(Funding, "funding"), default=Funding.COUNCIL
    )


class FncRate(Base):
    """The NHS Funded Nursing Care standard weekly rate in force from a date."""

    __tablename__ = "fnc_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    weekly: Mapped[PenceColumn]
