"""What was sent: issued documents (the archive) and the 4-weekly statements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base, enum_column
from debtdesk.db.types import PenceColumn, Timestamp
from debtdesk.domain.documents import DocumentKind


class Document(Base):
    """One issued document, kept as sent: its HTML (zlib) and the SHA-256 of its PDF.

    ``path`` is where the PDF was written when it was issued; a reprint gives those
    bytes while the file still matches ``sha256``, and otherwise a copy marked as such,
    rendered from the stored HTML.
    """

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_account", "account_id", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    title: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(80))
    issued_on: Mapped[date]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    html_zlib: Mapped[bytes | None] = mapped_column(LargeBinary)
    path: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]
    created_at: Mapped[Timestamp]


class Statement(Base):
    """A 4-weekly statement of account: the figures it showed, and where they came from.

    ``last_entry_id`` is the newest ledger entry that existed when it was issued: the
    next statement shows every entry effective by its own date that this one did not
    (effective after ``statement_date``, or posted after it was issued).
    """

    __tablename__ = "statements"
    __table_args__ = (
        UniqueConstraint("account_id", "period_start", name="uq_statements_account_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    statement_date: Mapped[date]
    due_on: Mapped[date]
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    brought_forward: Mapped[PenceColumn]
    charged: Mapped[PenceColumn]
    received: Mapped[PenceColumn]
    closing_balance: Mapped[PenceColumn]
    amount_due: Mapped[PenceColumn]
    arrears: Mapped[PenceColumn]
    last_entry_id: Mapped[int] = mapped_column(BigInteger)
    addressee: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Timestamp]
