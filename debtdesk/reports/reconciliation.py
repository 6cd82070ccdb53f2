"""The month-end reconciliation workbook: ledger, receipts by method, suspense, problems."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from debtdesk.reports.plain_table import write_table

if TYPE_CHECKING:  # reports take services' plain data; they never call services
    from debtdesk.services.reconciliation import Reconciliation

_LEDGER_HEADERS = (
    "Customer type",
    "Opening balance",
    "Charges",
    "Receipts",
    "Returned direct debits",
    "Adjustments",
    "Write-offs",
    "Closing balance",
    "Balances",
)


def write_reconciliation(rec: Reconciliation, path: Path) -> Path:
    """Write the workbook (via a temporary file, so a failure leaves no half-written file)."""
    book = Workbook()
    ledger = book.active
    ledger.title = "Ledger"
    ledger["A1"] = f"Month-end reconciliation {rec.start:%B %Y}"
    ledger["A2"] = f"{rec.start:%d/%m/%Y} to {rec.end:%d/%m/%Y}"
    rows = [
        (
            row.label,
            row.opening,
            row.charges,
            row.receipts,
            row.returns,
            row.adjustments,
            row.write_offs,
            row.closing,
            "yes" if row.balances else "NO",
        )
        for row in (*rec.by_type, rec.total)
    ]
    write_table(ledger, _LEDGER_HEADERS, rows, money_columns=range(1, 8), first_row=4)
    ledger.freeze_panes = "B5"
    ledger.auto_filter.ref = f"A4:I{4 + len(rows)}"

    methods = book.create_sheet("Receipts by method")
    write_table(
        methods,
        ("Method", "Posted to accounts", "Bank side", "Difference", "Compared with"),
        [(m.method.replace("_", " "), m.posted, m.bank, m.difference, m.note) for m in rec.methods],
        money_columns=(1, 2, 3),
    )
    methods.freeze_panes = "A2"
    extra = len(rec.methods) + 3
    write_table(
        methods,
        ("Bank statements", "Amount"),
        [("Receipts (money in)", rec.bank_receipts), ("Debits (money out)", rec.bank_debits)],
        money_columns=(1,),
        first_row=extra,
    )

    suspense = book.create_sheet("Suspense")
    s = rec.suspense
    write_table(
        suspense,
        ("Suspense", "Amount"),
        [
            ("Opening", s.opening),
            ("Received", s.received),
            ("Allocated to accounts", s.allocated),
            ("Refunded", s.refunded),
            ("Closing", s.closing),
        ],
        money_columns=(1,),
    )

    problems = book.create_sheet("Problems")
    write_table(
        problems, ("Problem",), [(p,) for p in rec.problems] or [("None: the month reconciles",)]
    )
    part = path.with_name(path.name + ".part")
    try:
        book.save(part)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path
