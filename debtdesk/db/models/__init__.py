"""SQLAlchemy 2 typed models; the schema itself is made by the Alembic history."""

from debtdesk.db.models.base import Base
from debtdesk.db.models.care import CarePackage, FinancialAssessment, FncRate
from debtdesk.db.models.documents import Document, Statement
from debtdesk.db.models.ledger import Allocation, Batch, Counter, Invoice, LedgerEntry, Mandate
from debtdesk.db.models.people import (
    Account,
    AuditEvent,
    CustomerType,
    Representative,
    Setting,
    User,
)

__all__ = [
    "Account",
    "Allocation",
    "AuditEvent",
    "Base",
    "Batch",
    "CarePackage",
    "Counter",
    "CustomerType",
    "Document",
    "FinancialAssessment",
    "FncRate",
    "Invoice",
    "LedgerEntry",
    "Mandate",
    "Representative",
    "Setting",
    "Statement",
    "User",
]
