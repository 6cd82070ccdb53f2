"""Who is billed and by whom: customer types, accounts, representatives, officers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import PenceColumn, Timestamp
from debtdesk.domain.caseload import AccountStatus, CareSetting, RepresentativeRole, UserRole


class User(Base):
    """An officer, team leader or manager who works in debtdesk."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole, "user_role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]


class CustomerType(Base):
    """A kind of customer with its payment terms and whether the Late Payment Act applies."""

    __tablename__ = "customer_types"
    __table_args__ = (
        # The Late Payment Act is for debts between businesses (FACTS.md §1.1).
        CheckConstraint("is_business OR NOT late_payment_interest", name="interest_business"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    is_business: Mapped[bool]
    payment_terms_days: Mapped[int]
    late_payment_interest: Mapped[bool] = mapped_column(default=False)


class Account(Base):
    """One person's care contributions account (or their estate's, after death)."""

    __tablename__ = "accounts"
    __table_args__ = (
        Index("ix_accounts_balance", "balance", "id"),
        Index("ix_accounts_client_name", "client_name", "id"),
        Index("ix_accounts_postcode", "postcode"),
        Index("ix_accounts_officer_id", "officer_id"),
        Index("ix_accounts_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    client_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None]
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10))
    social_care_client_id: Mapped[str | None] = mapped_column(String(40))
    care_setting: Mapped[CareSetting | None] = mapped_column(
        enum_column(CareSetting, "care_setting")
    )
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "account_status"), default=AccountStatus.ACTIVE
    )
    date_of_death: Mapped[date | None]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    customer_type_id: Mapped[int] = mapped_column(ForeignKey("customer_types.id"))
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The sum of the account's ledger entries, kept in the same transaction as every
    # posting (services.ledger) and proven by `debtdesk check`.
    balance: Mapped[PenceColumn] = mapped_column(default=0)
    # Lower-cased "reference name postcode", what the caseload search box looks in.
    search_text: Mapped[str] = mapped_column(String(240))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[Timestamp]

    __mapper_args__ = {"version_id_col": version}

    officer: Mapped[User | None] = relationship()
    customer_type: Mapped[CustomerType] = relationship()
    representatives: Mapped[list[Representative]] = relationship(
        back_populates="account", order_by="Representative.id"
    )


class Representative(Base):
    """Someone who acts for the client: attorney, deputy, appointee, executor and so on."""

    __tablename__ = "representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[RepresentativeRole] = mapped_column(
        enum_column(RepresentativeRole, "representative_role")
    )
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    receives_correspondence: Mapped[bool] = mapped_column(default=False)
    authority_checked_on: Mapped[date | None]
    authority_reference: Mapped[str] = mapped_column(String(80), default="")

    account: Mapped[Account] = relationship(back_populates="representatives")


class Setting(Base):
    """A team setting stored as text; known keys and defaults live in services.settings."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[Timestamp]
    updated_by: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """Who changed what, when, with the before and after; each row chained to the last by hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[Timestamp]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
