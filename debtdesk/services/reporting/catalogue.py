"""The reports debtdesk writes: each one's command-line name, title, what it takes, and the
module that builds it. The Reports menu and ``debtdesk report NAME`` both list from here.

Every report is "as at" a date (RULES.md: entries effective on or before it count,
whenever they were posted). Some also cover a period, from ``start`` to the as-at date;
left out, it defaults as the report says (``default_start``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from debtdesk.reports.report import Report


@dataclass(frozen=True)
class ReportParams:
    """What a report is asked for: the as-at date and, for a period report, its first day."""

    as_of: date
    start: date | None = None


class Builder(Protocol):
    def __call__(self, session: Session, params: ReportParams) -> Report: ...


def financial_year_start(day: date) -> date:
    """1 April of the council's financial year that ``day`` falls in."""
    year = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return date(year, 4, 1)


def four_weeks_before(day: date) -> date:
    """The first of the 28 days ending on ``day``."""
    return day - timedelta(days=27)


@dataclass(frozen=True)
class ReportSpec:
    """One report of the catalogue."""

    name: str
    title: str
    about: str  # a line for the menu's status tip and the command's help
    module: str  # debtdesk.services.reporting.<module> has build(session, params)
    default_start: Callable[[date], date] | None = None  # a period report's default start
    start_label: str = "From"

    @property
    def has_period(self) -> bool:
        return self.default_start is not None

    def builder(self) -> Builder:
        module = importlib.import_module(f"debtdesk.services.reporting.{self.module}")
        build: Builder = module.build
        return build

    def params(self, as_of: date, start: date | None = None) -> ReportParams:
        """The parameters with the period's default start filled in (none without a period)."""
        if self.default_start is None:
            return ReportParams(as_of)
        return ReportParams(as_of, start or self.default_start(as_of))


CATALOGUE: tuple[ReportSpec, ...] = (
    ReportSpec(
        "aged-debt",
        "Aged debt",
        "every account's debt at the date by age, with its officer, type, stage, holds and "
        "plan; totals by officer and by customer type",
        "aged_debt",
    ),
    ReportSpec(
        "caseload",
        "Caseload by officer",
        "each officer's accounts and debt, and how the debt moved over the period",
        "caseload",
        default_start=four_weeks_before,
    ),
    ReportSpec(
        "collection",
        "Collection performance",
        "charged, collected and the collection rate in each 4-weekly period of the last year",
        "collection",
    ),
    ReportSpec(
        "dd-failures",
        "Direct debit failures",
        "returned direct debits and cancelled mandates by reason code and 4-weekly period",
        "dd_failures",
    ),
    ReportSpec(
        "unallocated",
        "Unallocated cash and suspense",
        "credit on accounts not yet set against a bill, and receipts in suspense, at the date",
        "unallocated",
    ),
    ReportSpec(
        "plans",
        "Payment plans",
        "payment plans and how they stand at the date: active, kept, broken, completed",
        "plans",
    ),
    ReportSpec(
        "reconciliation",
        "Month-end reconciliation",
        "the month of the date: ledger movements by customer type, receipts by method, suspense",
        "reconciliation",
    ),
    ReportSpec(
        "write-offs",
        "Write-offs",
        "write-offs recommended, approved and refused in the period, by reason and authority",
        "write_offs",
        default_start=financial_year_start,
    ),
    ReportSpec(
        "interest",
        "Interest and compensation",
        "Late Payment Act interest and compensation charged, waived and received in the period",
        "interest",
        default_start=financial_year_start,
    ),
    ReportSpec(
        "statute-barred",
        "Statute-barred soon",
        "debts that become statute-barred within six months of the date (six years, Limitation "
        "Act 1980 s5, restarted by payment or acknowledgment)",
        "statute_barred",
    ),
    ReportSpec(
        "referrals",
        "Referrals",
        "every referral to agents, legal or the court, with what came back and days out",
        "referrals",
    ),
)

_BY_NAME = {spec.name: spec for spec in CATALOGUE}


def spec_for(name: str) -> ReportSpec | None:
    return _BY_NAME.get(name)
