"""SQLAlchemy 2 typed models; the schema itself is made by the Alembic history."""

from debtdesk.db.models.base import Base
from debtdesk.db.models.care import CarePackage, FinancialAssessment, FncRate
from debtdesk.db.models.direct_debit import BacsItem, Collection, Mandate, MandateEvent
from debtdesk.db.models.documents import Document, Statement
from debtdesk.db.models.interest import BankRate, InterestCharge, InterestWaiver
from debtdesk.db.models.ledger import Allocation, Batch, Counter, Invoice, LedgerEntry
from debtdesk.db.models.panel import PanelAction, PanelCase, PanelDecision, PanelMeeting
from debtdesk.db.models.people import (
    Account,
    AuditEvent,
    CustomerType,
    Representative,
    Setting,
    User,
)
from debtdesk.db.models.receipts import BankReceipt, SuspenseAction
from debtdesk.db.models.recovery import (
    ContactNote,
    DpaRecord,
    Hold,
    PaymentPlan,
    RecoveryEvent,
    Referral,
    WriteOff,
)
from debtdesk.db.models.schema import SchemaBuild
from debtdesk.db.models.tasks import Task

__all__ = [
    "PanelAction",
    "PanelCase",
    "PanelDecision",
    "PanelMeeting",
    "BankRate",
    "InterestCharge",
    "InterestWaiver",
    "ContactNote",
    "DpaRecord",
    "Hold",
    "PaymentPlan",
    "RecoveryEvent",
    "Referral",
    "WriteOff",
    "Account",
    "Allocation",
    "AuditEvent",
    "BacsItem",
    "BankReceipt",
    "Base",
    "Batch",
    "CarePackage",
    "Collection",
    "Counter",
    "CustomerType",
    "Document",
    "FinancialAssessment",
    "FncRate",
    "Invoice",
    "LedgerEntry",
    "Mandate",
    "MandateEvent",
    "Representative",
    "SchemaBuild",
    "Setting",
    "Statement",
    "SuspenseAction",
    "Task",
    "User",
]
