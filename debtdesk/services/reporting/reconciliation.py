"""The month-end reconciliation report (``reconciliation``): the month of the as-at date, as
services.reconciliation works it out, on five sheets: the ledger's movement by customer
type, receipts by method against the bank, the bank statements, suspense, and what does
not reconcile.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from debtdesk.domain.money import json_pounds
from debtdesk.reports.report import Column, Report, Sheet, Table, Value, money
from debtdesk.services.reconciliation import Reconciliation, month_bounds, reconcile
from debtdesk.services.reporting.catalogue import ReportParams

ABOUT = (
    "The calendar month of the date (to the date, when it falls inside the month). "
    "Ledger: for each customer type, opening balance + "
    "charges (with interest and compensation) − receipts + returned direct debits + "
    "adjustments (with credits and refunds paid out) − write-offs = closing balance, each "
    "the sum of the entries effective in the month. Receipts by method: what was posted to "
    "accounts against what the bank saw (the direct debits collected, the ARUDD items "
    "applied, the bank statements' receipts less refunds and what is still in suspense "
    "today). Suspense: the control account's opening, receipts in, allocations and refunds "
    "(on the day an officer acted) and closing. Problems lists every figure that does not tie."
)
NONE = "None: the month reconciles"

LEDGER_COLUMNS = (
    Column("Customer type"),
    money("Opening balance"),
    money("Charges"),
    money("Receipts"),
    money("Returned direct debits"),
    money("Adjustments"),
    money("Write-offs"),
    money("Closing balance"),
    Column("Balances"),
)
METHOD_COLUMNS = (
    Column("Method"),
    money("Posted to accounts", total=False),  # direct debits and their returns: no sum
    money("Bank side", total=False),
    money("Difference", total=False),
    Column("Compared with"),
)


def method_label(code: str) -> str:
    """``returned_direct_debit`` as ``Returned direct debit``."""
    return code.replace("_", " ").capitalize()


def _figures(label: str, rows: Sequence[tuple[str, int]]) -> Table:
    """A two-column list of named amounts (no totals: its lines are not to be added up)."""
    return Table((Column(label), money("Amount", total=False)), rows)


def sheets(rec: Reconciliation) -> tuple[Sheet, ...]:
    """The reconciliation's sheets."""
    ledger: list[Sequence[Value]] = [
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
        for row in rec.by_type
    ]
    methods: list[Sequence[Value]] = [
        (method_label(m.method), m.posted, m.bank, m.difference, m.note or None)
        for m in rec.methods
    ]
    bank = _figures(
        "Bank statements",
        [("Receipts (money in)", rec.bank_receipts), ("Debits (money out)", rec.bank_debits)],
    )
    s = rec.suspense
    suspense = _figures(
        "Suspense",
        [
            ("Opening", s.opening),
            ("Received", s.received),
            ("Allocated to accounts", s.allocated),
            ("Refunded", s.refunded),
            ("Closing", s.closing),
        ],
    )
    problems = [(p,) for p in rec.problems] or [(NONE,)]
    return (
        Sheet(
            "Ledger",
            (Table(LEDGER_COLUMNS, ledger),),
            "the month's movement by customer type, totalled",
            freeze_columns=1,
        ),
        Sheet(
            "Receipts by method",
            (Table(METHOD_COLUMNS, methods), bank),
            "receipts posted against what the bank saw; the bank statements' totals",
        ),
        Sheet("Suspense", (suspense,), "the suspense control account in the month"),
        Sheet("Problems", (Table((Column("Problem"),), problems),), "what does not reconcile"),
    )


def build(session: Session, params: ReportParams) -> Report:
    """The reconciliation of the month ``params.as_of`` falls in, to its last day or, as at a
    day inside the month, to that day (the month to date: nothing after it counts).

    Raises:
        BadInput: a month debtdesk cannot reconcile (before 2000 or after 2100).
    """
    start, month_end = month_bounds(params.as_of.year, params.as_of.month)
    end = min(month_end, params.as_of)
    rec = reconcile(session, start, end)
    month = f"{start:%B %Y}" + ("" if end == month_end else f" to {end:%d/%m/%Y}")
    text = f"Reconciliation {month}: " + (
        "reconciles" if rec.ok else f"{len(rec.problems)} problems"
    )
    return Report(
        name="reconciliation",
        title="Month-end reconciliation",
        about=ABOUT,
        parameters=(("Month", month), ("From", start), ("To", end)),
        sheets=sheets(rec),
        summary={
            "month": f"{start:%Y-%m}",
            "ok": rec.ok,
            "opening": json_pounds(rec.total.opening),
            "closing": json_pounds(rec.total.closing),
            "problems": list(rec.problems),
        },
        text="\n".join([text, *(f"  {p}" for p in rec.problems)]),
    )
