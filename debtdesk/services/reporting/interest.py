"""The interest report (``debtdesk report interest``): Late Payment Act interest and
compensation charged, waived and received in a period, and what is still owed at its end.

One row per late invoice (the principal) that the interest runs charged on by the end of
the period and that has something to show: a charge, a waiver or a receipt in the
period, or interest still outstanding at the end.

* Charged: what each run dated in the period posted (``interest_charges``; a run's
  entries are effective on its ``as_of``). Interest is net of the credits a run makes
  when a back-dated payment cut the accrual, so the columns' totals are the runs'
  own results (``interest run``) for the period.
* Waived: what an officer's waiver credited back, by the credit's effective date.
* Received: payments set against the invoice's interest invoices, by the allocations'
  effective dates (a returned payment's reversal takes it back). Credits for waivers or
  back-dated payments are not receipts: they are in the two columns above.
* Outstanding: the interest invoices' lines effective by the end of the period less
  what was set against them by then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import (
    Account,
    Allocation,
    CustomerType,
    InterestCharge,
    InterestWaiver,
    Invoice,
    LedgerEntry,
)
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, count, money
from debtdesk.services.reporting.catalogue import ReportParams, financial_year_start
from debtdesk.services.sql import pence_sum

FIGURES = ("Interest", "Compensation", "Waived", "Received", "Outstanding")
"""The money columns every sheet ends with (their summary keys, lower-cased)."""


@dataclass(frozen=True)
class _Line:
    reference: str
    client: str
    customer_type: str
    number: str
    due: date
    principal: int
    rate: Decimal
    figures: tuple[int, int, int, int, int]  # as FIGURES


def build(session: Session, params: ReportParams) -> Report:
    """Interest and compensation from ``params.start`` to ``params.as_of``."""
    as_of = params.as_of
    start = params.start or financial_year_start(as_of)
    lines = _lines(session, start, as_of)
    totals = [sum(line.figures[i] for line in lines) for i in range(len(FIGURES))]
    money_columns = tuple(money(name) for name in _headers(as_of))
    invoice_rows: list[list[Value]] = [
        [
            line.reference,
            line.client,
            line.customer_type,
            line.number,
            line.due,
            line.principal,
            line.rate,
            *line.figures,
        ]  # fmt: skip
        for line in lines
    ]
    summary: dict[str, Any] = {"invoices": len(lines)}
    summary |= {n.lower(): json_pounds(t) for n, t in zip(FIGURES, totals, strict=True)}
    return Report(
        name="interest",
        title="Interest and compensation",
        about=(
            "Late Payment Act interest and fixed compensation on business customers' late "
            "invoices: charged by the interest runs dated in the period (interest net of "
            "credits for back-dated payments), waived by officers in the period, received "
            "in the period (payments set against the interest invoices), and outstanding "
            "on the interest invoices at the end of the period. One row per late invoice."
        ),
        parameters=(("From", start), ("To (as at)", as_of)),
        sheets=(
            Sheet(
                "Invoices",
                (
                    Table(
                        (
                            Column("Reference"),
                            Column("Client"),
                            Column("Customer type"),
                            Column("Invoice"),
                            Column("Due", Kind.DATE),
                            money("Principal"),
                            Column("Statutory rate", Kind.PERCENT),
                            *money_columns,
                        ),
                        invoice_rows,
                    ),
                ),
                about="each late invoice: its rate, what was charged, waived and received",
                freeze_columns=1,
            ),
            Sheet(
                "By account",
                (
                    Table(
                        (
                            Column("Reference"),
                            Column("Client"),
                            Column("Customer type"),
                            count("Invoices", total=True),
                            *money_columns,
                        ),
                        _grouped(
                            lines, lambda line: (line.reference, line.client, line.customer_type)
                        ),
                    ),
                ),  # fmt: skip
                about="the same, a row per account",
                freeze_columns=1,
            ),
            Sheet(
                "By customer type",
                (
                    Table(
                        (Column("Customer type"), count("Invoices", total=True), *money_columns),
                        _grouped(lines, lambda line: (line.customer_type,)),
                    ),
                ),
                about="the same, a row per customer type",
            ),
        ),
        summary=summary,
        text=(
            f"interest {start:%d/%m/%Y} to {as_of:%d/%m/%Y}: {len(lines)} invoice(s), "
            + ", ".join(
                f"{n.lower()} {format_pounds(t)}" for n, t in zip(FIGURES, totals, strict=True)
            )
        ),
    )


def _headers(as_of: date) -> tuple[str, ...]:
    return (
        "Interest charged",
        "Compensation charged",
        "Waived",
        "Received",
        f"Outstanding at {as_of:%d/%m/%Y}",
    )


def _grouped(lines: Iterable[_Line], key: Any) -> list[list[Value]]:
    """A row per ``key(line)``: the key, the invoices, each figure's sum; by key."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0] * (len(FIGURES) + 1))
    for line in lines:
        group = groups[key(line)]
        group[0] += 1
        for i, figure in enumerate(line.figures, 1):
            group[i] += figure
    return [[*k, *groups[k]] for k in sorted(groups)]


def _sums(session: Session, query: Select[tuple[int, int]]) -> dict[int, int]:
    """A grouped query's ``(principal invoice id, pence)`` rows as a dict."""
    return {invoice_id: pence for invoice_id, pence in session.execute(query).tuples()}


def _lines(session: Session, start: date, as_of: date) -> list[_Line]:
    """Each principal invoice charged by ``as_of`` with something to show, by account."""
    in_period = InterestCharge.as_of >= start
    charged = {
        invoice_id: (interest, fixed)
        for invoice_id, interest, fixed in session.execute(
            select(
                InterestCharge.invoice_id,
                pence_sum(case((in_period, InterestCharge.interest), else_=0)),
                pence_sum(case((in_period, InterestCharge.compensation), else_=0)),
            )
            .where(InterestCharge.as_of <= as_of)
            .group_by(InterestCharge.invoice_id)
        ).tuples()
    }
    waived = _sums(
        session,
        (
            select(InterestWaiver.invoice_id, pence_sum(InterestWaiver.credited))
            .join(LedgerEntry, LedgerEntry.id == InterestWaiver.credit_entry_id)
            .where(LedgerEntry.effective_date >= start, LedgerEntry.effective_date <= as_of)
            .group_by(InterestWaiver.invoice_id)
        ),
    )
    link = (  # each interest invoice and the late invoice it charged for
        select(
            InterestCharge.charge_invoice_id.label("interest_id"),
            InterestCharge.invoice_id.label("principal_id"),
        )
        .where(InterestCharge.charge_invoice_id.is_not(None), InterestCharge.as_of <= as_of)
        .distinct()
        .subquery()
    )
    received = _sums(
        session,
        (
            select(link.c.principal_id, pence_sum(Allocation.amount))
            .join(Allocation, Allocation.invoice_id == link.c.interest_id)
            .join(LedgerEntry, LedgerEntry.id == Allocation.entry_id)
            .where(
                LedgerEntry.kind == EntryKind.PAYMENT,
                Allocation.effective_date >= start,
                Allocation.effective_date <= as_of,
            )
            .group_by(link.c.principal_id)
        ),
    )
    raised = _sums(
        session,
        (
            select(link.c.principal_id, pence_sum(LedgerEntry.amount))
            .join(LedgerEntry, LedgerEntry.invoice_id == link.c.interest_id)
            .where(LedgerEntry.effective_date <= as_of)
            .group_by(link.c.principal_id)
        ),
    )
    allocated = _sums(
        session,
        (
            select(link.c.principal_id, pence_sum(Allocation.amount))
            .join(Allocation, Allocation.invoice_id == link.c.interest_id)
            .where(Allocation.effective_date <= as_of)
            .group_by(link.c.principal_id)
        ),
    )
    rates = (
        select(InterestCharge.invoice_id, func.max(InterestCharge.rate_bp).label("rate_bp"))
        .where(InterestCharge.as_of <= as_of)
        .group_by(InterestCharge.invoice_id)
        .subquery()
    )
    lines = []
    for invoice_id, ref, client, code, number, due, principal, rate_bp in session.execute(
        select(
            Invoice.id,
            Account.reference,
            Account.client_name,
            CustomerType.code,
            Invoice.number,
            Invoice.due_on,
            Invoice.amount,
            rates.c.rate_bp,
        )  # fmt: skip
        .join(rates, rates.c.invoice_id == Invoice.id)
        .join(Account, Account.id == Invoice.account_id)
        .join(CustomerType, CustomerType.id == Account.customer_type_id)
        .order_by(Account.reference, Invoice.due_on, Invoice.number)
    ).tuples():
        interest, fixed = charged[invoice_id]
        figures = (
            interest,
            fixed,
            waived.get(invoice_id, 0),
            received.get(invoice_id, 0),
            raised.get(invoice_id, 0) - allocated.get(invoice_id, 0),
        )
        if any(figures):
            rate = Decimal(rate_bp).scaleb(-4)
            lines.append(_Line(ref, client, code, number, due, principal, rate, figures))
    return lines
