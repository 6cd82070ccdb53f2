"""``debtdesk check`` on Late Payment Act interest: each interest invoice is what the
interest charges that raised it say it is."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, InterestCharge, Invoice
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.money import json_pounds


def interest_problems(session: Session) -> list[str]:
    """An interest invoice whose amount differs from the interest (when charged, not
    credited) and compensation of the charges naming it, or that no charge names."""
    charged = (
        select(
            InterestCharge.charge_invoice_id.label("invoice_id"),
            func.sum(
                case((InterestCharge.interest > 0, InterestCharge.interest), else_=0)
                + InterestCharge.compensation
            ).label("total"),
        )
        .where(InterestCharge.charge_invoice_id.is_not(None))
        .group_by(InterestCharge.charge_invoice_id)
        .subquery()
    )
    return [
        f"{ref}: interest invoice {number} is {json_pounds(amount)} but its interest "
        f"charges come to {json_pounds(int(total or 0))}"
        for ref, number, amount, total in session.execute(
            select(Account.reference, Invoice.number, Invoice.amount, charged.c.total)
            .join(Account, Account.id == Invoice.account_id)
            .outerjoin(charged, charged.c.invoice_id == Invoice.id)
            .where(
                Invoice.kind == InvoiceKind.INTEREST,
                func.coalesce(charged.c.total, 0) != Invoice.amount,
            )
            .order_by(Invoice.id)
        ).tuples()
    ]
