"""The columns of the account view's tables: ledger, invoices, assessments, packages, ageing."""

from __future__ import annotations

from PySide6.QtCore import QObject

from debtdesk.domain.ageing import BUCKET_LABELS, BUCKETS
from debtdesk.gui.formatting import funding
from debtdesk.gui.line_model import Column, LineTableModel
from debtdesk.services.accounts import (
    AccountDetail,
    AssessmentLine,
    InvoiceLine,
    LedgerLine,
    PackageLine,
    RepresentativeLine,
)

LEDGER_COLUMNS: tuple[Column[LedgerLine], ...] = (
    Column("Date", lambda line: line.effective_date, "date"),
    Column("Type", lambda line: line.kind, "code"),
    Column("Description", lambda line: line.description),
    Column("Invoice", lambda line: line.invoice),
    Column("Amount", lambda line: line.amount, "money"),
    Column("Balance", lambda line: line.running_balance, "money"),
)

INVOICE_COLUMNS: tuple[Column[InvoiceLine], ...] = (
    Column("Number", lambda inv: inv.number),
    Column("Type", lambda inv: inv.kind, "code"),
    Column("Issued", lambda inv: inv.issued, "date"),
    Column("Due", lambda inv: inv.due, "date"),
    Column("Amount", lambda inv: inv.amount, "money"),
    Column("Outstanding", lambda inv: inv.outstanding, "money"),
    Column("Days overdue", lambda inv: inv.days_overdue if inv.outstanding else None, "number"),
)

ASSESSMENT_COLUMNS: tuple[Column[AssessmentLine], ...] = (
    Column("From", lambda a: a.effective_from, "date"),
    Column("To", lambda a: a.effective_to, "date"),
    Column("Weekly contribution", lambda a: a.weekly_contribution, "money"),
    Column("Reason", lambda a: a.reason),
)

PACKAGE_COLUMNS: tuple[Column[PackageLine], ...] = (
    Column("Service", lambda p: p.service),
    Column("Provider", lambda p: p.provider),
    Column("Funding", lambda p: funding(p.funding)),
    Column("Weekly cost", lambda p: p.weekly_cost, "money"),
    Column("Start", lambda p: p.start, "date"),
    Column("End", lambda p: p.end, "date"),
)

REPRESENTATIVE_COLUMNS: tuple[Column[RepresentativeLine], ...] = (
    Column("Name", lambda r: r.name),
    Column("Role", lambda r: r.role, "code"),
    Column("Receives correspondence", lambda r: r.receives_correspondence, "bool"),
    Column("Phone", lambda r: r.phone),
    Column("Email", lambda r: r.email),
    Column("Authority checked", lambda r: r.authority_checked_on, "date"),
)

AGED_COLUMNS: tuple[Column[tuple[str, int]], ...] = (
    Column("Age", lambda item: BUCKET_LABELS.get(item[0], item[0])),
    Column("Outstanding", lambda item: item[1], "money"),
)


def aged_rows(detail: AccountDetail) -> list[tuple[str, int]]:
    """The aged-debt buckets, youngest first, with what is outstanding in each."""
    return [(bucket, detail.aged.get(bucket, 0)) for bucket in BUCKETS]


def ledger_model(
    detail: AccountDetail, parent: QObject | None = None
) -> LineTableModel[LedgerLine]:
    return LineTableModel(LEDGER_COLUMNS, detail.ledger, parent)


def invoices_model(
    detail: AccountDetail, parent: QObject | None = None
) -> LineTableModel[InvoiceLine]:
    return LineTableModel(INVOICE_COLUMNS, detail.invoices, parent)


def assessments_model(
    detail: AccountDetail, parent: QObject | None = None
) -> LineTableModel[AssessmentLine]:
    return LineTableModel(ASSESSMENT_COLUMNS, detail.assessments, parent)


def packages_model(
    detail: AccountDetail, parent: QObject | None = None
) -> LineTableModel[PackageLine]:
    return LineTableModel(PACKAGE_COLUMNS, detail.packages, parent)


def representatives_model(
    detail: AccountDetail, parent: QObject | None = None
) -> LineTableModel[RepresentativeLine]:
    return LineTableModel(REPRESENTATIVE_COLUMNS, detail.representatives, parent)


def aged_model(
    detail: AccountDetail, parent: QObject | None = None
) -> LineTableModel[tuple[str, int]]:
    return LineTableModel(AGED_COLUMNS, aged_rows(detail), parent)
