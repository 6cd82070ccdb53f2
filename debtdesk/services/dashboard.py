"""The team dashboard's figures as at a date: where the money is, how it moved, and the
officer's own share of it (issue 8, the GUI's start page).

Everything is read in one session with grouped queries, so it stays quick on a county's
caseload: the ledger once grouped by effective date (the 13-period trend and the
collection rates are sums over those days), the ageing of every account at once
(``reporting.ageing``), the returned direct debits of two periods, and the officer's own
records. As everywhere, only entries effective on or before ``as_of`` count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Collection, LedgerEntry, User
from debtdesk.domain.ageing import BUCKETS
from debtdesk.domain.direct_debit import CollectionStatus
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.periods import PERIOD_DAYS, Period, last_complete_period, period_containing
from debtdesk.services.database import Database
from debtdesk.services.reporting.ageing import AgedAccount, aged_accounts
from debtdesk.services.settings import period_anchor
from debtdesk.services.sql import pence_sum
from debtdesk.services.worklist import ItemKind, officer_counts

TREND_PERIODS = 13
"""The trend shows the debt at the end of this many periods, the last complete one last."""
RATE_PLACES = Decimal("0.0001")
"""A collection rate is a proportion to four places (a hundredth of a per cent)."""


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    total: int
    """Pence owed across the caseload at the end of the period's last day."""


@dataclass(frozen=True)
class CollectionRate:
    """What one period charged and what it collected.

    Charged: ``charge`` entries effective in the period, net of recalculation credits
    (``credit`` entries that name a period); interest, compensation, adjustments and
    other credits (an interest waiver) are left out. Collected: ``payment`` entries
    effective in the period (a reversed payment nets out, as it is a payment entry too)
    less ``returned_payment`` entries effective in it; refunds and write-offs are not
    collection. Both are positive pence.
    """

    period: Period
    charged: int
    collected: int

    @property
    def rate(self) -> Decimal | None:
        """Collected / charged, to four places; None when the period charged nothing (net)."""
        if self.charged <= 0:
            return None
        return (Decimal(self.collected) / Decimal(self.charged)).quantize(
            RATE_PLACES, rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class FailedDebits:
    """Direct debit collections returned unpaid (ARUDD) with a return effective from the
    period's first day to ``until``: how many, and the pence they took back."""

    period: Period
    until: date
    count: int
    amount: int


@dataclass(frozen=True)
class OfficerFigures:
    """The user's own caseload: the accounts they are the officer of, at ``as_of``.

    ``worklist`` counts what their worklist shows by kind (services.worklist.officer_counts:
    tasks due, broken plans, holds to review or lifted, letters of claim to send, debts near
    the six-year limit). Kinds with none are left out.
    """

    username: str
    name: str
    accounts: int
    debt: int
    overdue: int
    worklist: dict[ItemKind, int]


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    total: int
    """Pence owed across the caseload: the sum of every account's balance."""
    aged: dict[str, int]
    """The outstanding invoices by age bucket (every key of domain.ageing.BUCKETS)."""
    unallocated: int
    """Credit not yet set against a bill (zero or negative): ``total - sum(aged)``."""
    trend: tuple[TrendPoint, ...]
    this_period: CollectionRate
    """The last complete period (the one before the period containing ``as_of``)."""
    last_period: CollectionRate
    """The period before that, to compare with."""
    failed: FailedDebits
    """The period containing ``as_of``, to ``as_of``."""
    failed_before: FailedDebits
    """The whole period before it."""
    officer: OfficerFigures | None
    """None when the username is not a user."""

    @property
    def overdue(self) -> int:
        return sum(v for k, v in self.aged.items() if k != "not_due")


class Dashboards:
    def __init__(self, db: Database) -> None:
        self._db = db

    def figures(self, as_of: date, username: str) -> Dashboard:
        """The dashboard at ``as_of`` for ``username`` (their own figures; the rest is the
        team's)."""
        with self._db.sessions() as session:
            anchor = period_anchor(session)
            last = last_complete_period(as_of, anchor)
            step = timedelta(days=PERIOD_DAYS)
            periods = [Period(last.start - step * n) for n in range(TREND_PERIODS - 1, -1, -1)]
            daily = _daily(session, as_of)
            trend = tuple(TrendPoint(p, total) for p, total in _cumulative(daily, periods))
            aged = aged_accounts(session, as_of)
            buckets = dict.fromkeys(BUCKETS, 0)
            for account in aged.values():
                for bucket, amount in account.aged.items():
                    buckets[bucket] += amount
            total = sum(account.balance for account in aged.values())
            current = period_containing(as_of, anchor)
            before = Period(current.start - step)
            return Dashboard(
                as_of=as_of,
                total=total,
                aged=buckets,
                unallocated=total - sum(buckets.values()),
                trend=trend,
                this_period=_rate(daily, last),
                last_period=_rate(daily, Period(last.start - step)),
                failed=_failed(session, current, as_of),
                failed_before=_failed(session, before, before.end),
                officer=_officer(session, username, as_of, aged),
            )


@dataclass(frozen=True)
class _Day:
    moved: int = 0
    charged: int = 0
    collected: int = 0


def _daily(session: Session, as_of: date) -> dict[date, _Day]:
    """Each day's movement, charges and collections, from one grouped scan of the ledger."""
    e = LedgerEntry
    rows = session.execute(
        select(e.effective_date, e.kind, e.period_start.is_(None), pence_sum(e.amount))
        .where(e.effective_date <= as_of)
        .group_by(e.effective_date, e.kind, e.period_start.is_(None))
    )
    moved: dict[date, int] = defaultdict(int)
    charged: dict[date, int] = defaultdict(int)
    collected: dict[date, int] = defaultdict(int)
    for day, kind, no_period, amount in rows:
        moved[day] += amount
        if kind is EntryKind.CHARGE or (kind is EntryKind.CREDIT and not no_period):
            charged[day] += amount
        elif kind in (EntryKind.PAYMENT, EntryKind.RETURNED_PAYMENT):
            collected[day] -= amount
    return {day: _Day(moved[day], charged[day], collected[day]) for day in moved}


def _cumulative(daily: dict[date, _Day], periods: list[Period]) -> list[tuple[Period, int]]:
    """The running total of the ledger at each period's end (periods in order)."""
    days = sorted(daily)
    points, total, i = [], 0, 0
    for period in periods:
        while i < len(days) and days[i] <= period.end:
            total += daily[days[i]].moved
            i += 1
        points.append((period, total))
    return points


def _rate(daily: dict[date, _Day], period: Period) -> CollectionRate:
    days = [daily[d] for d in period.days() if d in daily]
    return CollectionRate(period, sum(d.charged for d in days), sum(d.collected for d in days))


def _failed(session: Session, period: Period, until: date) -> FailedDebits:
    e = LedgerEntry
    count, amount = session.execute(
        select(func.count(Collection.id), pence_sum(e.amount))
        .join(e, e.id == Collection.return_entry_id)
        .where(
            Collection.status == CollectionStatus.RETURNED,
            e.effective_date >= period.start,
            e.effective_date <= until,
        )
    ).one()
    return FailedDebits(period, until, int(count), int(amount))


def _officer(
    session: Session, username: str, as_of: date, aged: dict[int, AgedAccount]
) -> OfficerFigures | None:
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        return None
    ids = set(session.scalars(select(Account.id).where(Account.officer_id == user.id)))
    mine = [account for account_id, account in aged.items() if account_id in ids]
    debt = sum(a.balance for a in mine)
    overdue = sum(a.overdue for a in mine)
    counts = officer_counts(session, as_of, user.id)
    worklist = {kind: counts[kind] for kind in ItemKind if counts.get(kind)}
    return OfficerFigures(user.username, user.display_name, len(ids), debt, overdue, worklist)
