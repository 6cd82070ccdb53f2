"""The collection performance report (``collection``): what was charged and what was collected
in each 4-weekly period of the last year, and the collection rate.

The rows are the 13 periods ending with the last one complete at the as-at date D (all its
days on or before D), then, when D ends no period, the current period from its first day
to D ("to date"). Periods are the team's (setting ``periods.anchor``).

Each figure is the sum of the ledger entries effective in the row's days (RULES.md: a
statement run's charges and credits on the statement date, a collection on its collection
date, a returned payment on the ARUDD's processing date), whenever they were posted, so
nothing dated after D counts. How an entry is counted (:func:`measure_of`) is shared with
the caseload report, and :func:`report_spans` with the direct debit failures report.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, CustomerType, Invoice, LedgerEntry
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, PaymentMethod
from debtdesk.domain.money import format_pounds, json_pounds
from debtdesk.domain.periods import PERIOD_DAYS, Period, last_complete_period
from debtdesk.reports.report import Column, Kind, Report, Sheet, Table, Value, money
from debtdesk.services.reporting.catalogue import ReportParams
from debtdesk.services.settings import period_anchor
from debtdesk.services.sql import pence_sum

PERIODS = 13
TO_DATE = "to date"

ABOUT = (
    "Charged and collected in each 4-weekly period: the 13 periods ending with the last "
    'one complete at the date, then the current period to the date ("to date") when the '
    "date ends no period. Every figure is the sum of the ledger entries effective in the "
    "period's days, whenever they were posted; nothing dated after the date counts. "
    "Charged: the contribution charges statement runs raised in the period (on its "
    "statement dates) net of the recalculation credits they posted; opening balances, "
    "interest and compensation are not charges here. Collected by direct debit: direct "
    "debit payments (on their collection dates). Collected otherwise: payments by every "
    "other method, on the day received (a payment reversed as misposted counts net). "
    "Returned: direct debits returned unpaid, on the ARUDD's processing date. Net "
    "collected: collected less returned. Collection rate: net collected / charged. Refunds, "
    "credits, adjustments and write-offs are not collections. The By customer type sheet "
    "totals the 13 complete periods (not the period to date) by the account's customer "
    "type as it is now."
)


class Measure(StrEnum):
    """What a ledger entry counts as in the collection and caseload reports."""

    CHARGED = "charged"  # a statement's charge, or a recalculation credit
    DIRECT_DEBIT = "direct_debit"  # a payment by direct debit
    OTHER_PAYMENT = "other_payment"  # a payment by any other method
    RETURNED = "returned"  # a payment returned unpaid
    WRITTEN_OFF = "written_off"
    OTHER = "other"  # opening balances, interest, compensation, adjustments, refunds, credits


def measure_of(
    kind: EntryKind, method: PaymentMethod | None, invoice: InvoiceKind | None, names_period: bool
) -> Measure:
    """How an entry counts: by its kind, payment method, the kind of invoice it is a line
    of, and whether it names the period it charges or credits (statement runs' do)."""
    if kind is EntryKind.CHARGE and invoice is not InvoiceKind.OPENING_BALANCE:
        return Measure.CHARGED
    if kind is EntryKind.CREDIT and names_period:  # a recalculation credit
        return Measure.CHARGED
    if kind is EntryKind.PAYMENT:
        by_dd = method is PaymentMethod.DIRECT_DEBIT
        return Measure.DIRECT_DEBIT if by_dd else Measure.OTHER_PAYMENT
    if kind is EntryKind.RETURNED_PAYMENT:
        return Measure.RETURNED
    if kind is EntryKind.WRITE_OFF:
        return Measure.WRITTEN_OFF
    return Measure.OTHER


def movements(
    session: Session, first: date, last: date, key: Any, *, by_day: bool = True
) -> Iterator[tuple[date | None, Any, Measure, int]]:
    """``(day or None, key, measure, pence)``: the entries effective from ``first`` to
    ``last`` summed by ``key`` (a column of the account or its customer type) and measure,
    and by day when ``by_day``. One grouped query."""
    names_period = LedgerEntry.period_start.is_not(None)
    groups = [key, LedgerEntry.kind, LedgerEntry.method, Invoice.kind, names_period]
    if by_day:
        groups.insert(0, LedgerEntry.effective_date)
    query = (
        select(*groups, pence_sum(LedgerEntry.amount))
        .join(Account, Account.id == LedgerEntry.account_id)
        .join(CustomerType, CustomerType.id == Account.customer_type_id)
        .outerjoin(Invoice, Invoice.id == LedgerEntry.invoice_id)
        .where(LedgerEntry.effective_date >= first, LedgerEntry.effective_date <= last)
        .group_by(*groups)
    )
    for row in session.execute(query):
        day = row[0] if by_day else None
        group, kind, method, invoice, named, pence = row[1:] if by_day else row
        yield day, group, measure_of(kind, method, invoice, bool(named)), int(pence)


@dataclass(frozen=True)
class Span:
    """One row's days: a whole 4-weekly period, or the current one to the as-at date."""

    label: str
    start: date
    end: date

    @property
    def complete(self) -> bool:
        return self.label != TO_DATE


def report_spans(session: Session, as_of: date) -> list[Span]:
    """The 13 periods ending with the last one whose days are all on or before ``as_of``,
    then the current period to ``as_of`` when ``as_of`` ends no period."""
    anchor = period_anchor(session)
    # The last complete period as at the end of the day: the one ending on as_of, if any.
    last = last_complete_period(as_of + timedelta(days=1), anchor)
    spans = [
        Span(str(period), period.start, period.end)
        for period in (
            Period(last.start - timedelta(days=PERIOD_DAYS * back))
            for back in range(PERIODS - 1, -1, -1)
        )
    ]
    if last.end < as_of:
        spans.append(Span(TO_DATE, last.end + timedelta(days=1), as_of))
    return spans


def span_of(spans: Sequence[Span], starts: Sequence[date], day: date) -> int:
    """The index of the span ``day`` falls in (``starts``: the spans' first days)."""
    return bisect.bisect_right(starts, day) - 1


def rate(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as a fraction (6 places), None when nothing is charged."""
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001"), ROUND_HALF_UP)


_MEASURES = (Measure.CHARGED, Measure.DIRECT_DEBIT, Measure.OTHER_PAYMENT, Measure.RETURNED)
FIGURE_COLUMNS = (
    money("Charged"),
    money("Collected by direct debit"),
    money("Collected otherwise"),
    money("Returned"),
    money("Net collected"),
    Column("Collection rate", Kind.PERCENT, ratio=("Net collected", "Charged")),
)


def figures(sums: dict[Measure, int]) -> list[Value]:
    """The money columns and the rate from a row's sums (ledger signs: payments negative)."""
    charged = sums.get(Measure.CHARGED, 0)
    by_dd, otherwise = -sums.get(Measure.DIRECT_DEBIT, 0), -sums.get(Measure.OTHER_PAYMENT, 0)
    returned = sums.get(Measure.RETURNED, 0)
    net = by_dd + otherwise - returned
    return [charged, by_dd, otherwise, returned, net, rate(net, charged)]


def _types(session: Session) -> list[str]:
    return list(session.scalars(select(CustomerType.code).order_by(CustomerType.code)))


def build(session: Session, params: ReportParams) -> Report:
    """The collection performance report as at ``params.as_of``."""
    as_of = params.as_of
    spans = report_spans(session, as_of)
    starts = [s.start for s in spans]
    by_span: list[dict[Measure, int]] = [defaultdict(int) for _ in spans]
    by_type: dict[str, dict[Measure, int]] = {code: defaultdict(int) for code in _types(session)}
    for day, code, measure, pence in movements(session, spans[0].start, as_of, CustomerType.code):
        if measure not in _MEASURES or day is None:
            continue
        index = span_of(spans, starts, day)
        by_span[index][measure] += pence
        if spans[index].complete:
            by_type[code][measure] += pence
    period_rows: list[list[Value]] = [
        [s.label, s.start, s.end, *figures(sums)] for s, sums in zip(spans, by_span, strict=True)
    ]
    type_rows: list[list[Value]] = [[code, *figures(sums)] for code, sums in by_type.items()]
    total: dict[Measure, int] = defaultdict(int)
    for sums in by_span:
        for measure, pence in sums.items():
            total[measure] += pence
    charged, _, _, _, net, whole_rate = figures(total)
    assert isinstance(charged, int) and isinstance(net, int)
    percent = None
    if isinstance(whole_rate, Decimal):
        percent = str((whole_rate * 100).quantize(Decimal("0.01"), ROUND_HALF_UP))
    period_columns = (
        Column("Period"),
        Column("Period start", Kind.DATE),
        Column("Period end", Kind.DATE),
        *FIGURE_COLUMNS,
    )
    first, last = spans[0].start, spans[PERIODS - 1].end
    return Report(
        name="collection",
        title="Collection performance",
        about=ABOUT,
        parameters=(("As at", as_of), ("From", first)),
        sheets=(
            Sheet(
                "Periods",
                (Table(period_columns, period_rows),),
                "one row a 4-weekly period, the period to date last",
                freeze_columns=1,
            ),
            Sheet(
                "By customer type",
                (Table((Column("Customer type"), *FIGURE_COLUMNS), type_rows),),
                f"the 13 complete periods, {first:%d/%m/%Y} to {last:%d/%m/%Y}, by customer type",
                freeze_columns=1,
            ),
        ),
        summary={
            "periods": len(spans),
            "charged": json_pounds(charged),
            "collected": json_pounds(net),
            "rate": percent,
        },
        text=(
            f"Collection from {first:%d/%m/%Y} to {as_of:%d/%m/%Y}: charged "
            f"{format_pounds(charged)}, collected {format_pounds(net)}"
            + (f" ({percent}%)" if percent is not None else "")
        ),
    )
