"""The case pack's financial picture as far as debtdesk holds it: the NHS Funded Nursing
Care rate paid to a home, and the financial statement (income, benefits, costs) taken
with the latest payment plan agreed with an affordability check. Capital and property
are not recorded in debtdesk (the financial assessment file holds them).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import FncRate, PaymentPlan
from debtdesk.documents.case_pack import IncomeLine, IncomeStatement
from debtdesk.domain.affordability import Section
from debtdesk.domain.charging import Funding
from debtdesk.services.accounts import AccountDetail

SECTION_NAMES = {
    Section.INCOME: "Income",
    Section.FIXED_COSTS: "Fixed costs",
    Section.FLEXIBLE_COSTS: "Flexible costs",
    Section.SAVINGS: "Savings",
}


def fnc_weekly(session: Session, detail: AccountDetail, as_of: date) -> int | None:
    """The FNC rate in force at ``as_of`` when a package in force then has FNC funding."""
    fnc = any(
        p.funding == Funding.FNC.value and p.start <= as_of and (p.end is None or p.end >= as_of)
        for p in detail.packages
    )
    if not fnc:
        return None
    return session.scalar(
        select(FncRate.weekly)
        .where(FncRate.effective_from <= as_of)
        .order_by(FncRate.effective_from.desc())
        .limit(1)
    )


def _pence(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"a stored affordability figure is not whole pence: {value!r}")
    return value


def finances(session: Session, account_id: int, as_of: date) -> IncomeStatement | None:
    """The financial statement of the latest plan agreed by ``as_of`` with one."""
    plan = session.scalars(
        select(PaymentPlan)
        .where(
            PaymentPlan.account_id == account_id,
            PaymentPlan.affordability.is_not(None),
            PaymentPlan.start_on <= as_of,
        )
        .order_by(PaymentPlan.start_on.desc(), PaymentPlan.id.desc())
        .limit(1)
    ).first()
    snapshot = plan.affordability if plan is not None else None
    if plan is None or not snapshot:
        return None
    raw_lines = snapshot.get("lines")
    lines = tuple(
        IncomeLine(
            SECTION_NAMES.get(Section(str(line["section"])), str(line["section"])),
            str(line["label"]),
            _pence(line["monthly"]),
        )
        for line in (raw_lines if isinstance(raw_lines, list) else [])
        if isinstance(line, dict) and _pence(line["monthly"])
    )
    checked = snapshot.get("checked_on")
    return IncomeStatement(
        plan.id,
        date.fromisoformat(checked) if isinstance(checked, str) else None,
        lines,
        _pence(snapshot["income"]),
        sum(_pence(snapshot[k]) for k in ("fixed_costs", "flexible_costs", "savings")),
        _pence(snapshot["available_for_non_priority"]),
    )
