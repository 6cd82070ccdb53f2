"""Money received from bank statements, and what officers did with what was not matched."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import PenceColumn, Timestamp
from debtdesk.domain.receipts import MatchRule, ReceiptStatus, SuspenseActionKind


class BankReceipt(Base):
    """One credit on an imported bank statement: matched to an account or held in suspense."""

    __tablename__ = "bank_receipts"
    __table_args__ = (Index("ix_bank_receipts_status_date", "status", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    # Where in the file: "line 12" or "Stmt[1]/Ntry[3]".
    source: Mapped[str] = mapped_column(String(120))
    received_on: Mapped[date]
    amount: Mapped[PenceColumn]
    reference: Mapped[str] = mapped_column(Text, default="")
    payer: Mapped[str] = mapped_column(String(200), default="")
    bank_reference: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[ReceiptStatus] = mapped_column(enum_column(ReceiptStatus, "receipt_status"))
    rule: Mapped[MatchRule] = mapped_column(enum_column(MatchRule, "match_rule"))
    reason: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class SuspenseAction(Base):
    """An officer's resolution of (part of) a receipt in suspense: allocated or refunded."""

    __tablename__ = "suspense_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("bank_receipts.id"), index=True)
    kind: Mapped[SuspenseActionKind] = mapped_column(
        enum_column(SuspenseActionKind, "suspense_action_kind")
    )
    amount: Mapped[PenceColumn]
    effective_date: Mapped[date]
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[Timestamp]
