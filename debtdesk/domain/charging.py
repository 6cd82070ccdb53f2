"""What a period charges: the day-by-day contribution and the recalculation of periods.

This module owns the charging rule. Each day charges
``min(assessed weekly contribution, weekly cost of the care delivered that day) / 7``;
a period sums its 28 days and rounds half-up to the penny once. Assessments, packages,
a date of death, NHS Continuing Healthcare (CHC) and NHS Funded Nursing Care (FNC) all
take effect from their own dates, so the day-by-day sum does the pro-rating.

The per-day functions (:func:`assessed_weekly`, :func:`weekly_care_cost`,
:func:`day_weekly_charge`) are the definition. :func:`period_charge` gives the same
result much faster: each :class:`ChargeBasis` works out once, on first use, the
stretches of days over which the daily charge is constant, and a period's total is then
two binary searches away.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from debtdesk.domain.money import Pence, round_half_up
from debtdesk.domain.periods import DEFAULT_ANCHOR, PERIOD_DAYS, Period, period_containing

_ONE_DAY = timedelta(days=1)
_DAYS_IN_WEEK = 7


class Funding(StrEnum):
    """Who funds a care package."""

    COUNCIL = "council"
    """Arranged by the council; the person contributes up to their assessed amount."""
    FNC = "fnc"
    """A nursing home placement with NHS Funded Nursing Care paid to the home."""
    CHC = "chc"
    """NHS Continuing Healthcare: nothing is chargeable while it is in force."""


@dataclass(frozen=True)
class Assessment:
    """A financial assessment: what the person can afford to pay each week.

    Attributes:
        effective_from: First day the assessment applies.
        effective_to: Last day it applies (inclusive), or None if open-ended.
        weekly_contribution: Assessed weekly contribution in pence, zero or more.
    """

    effective_from: date
    effective_to: date | None
    weekly_contribution: Pence

    def __post_init__(self) -> None:
        """Refuse a negative contribution or a period that ends before it starts."""
        if self.weekly_contribution < 0:
            raise ValueError(f"negative weekly contribution {self.weekly_contribution}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"assessment ends {self.effective_to} before it starts {self.effective_from}"
            )

    def covers(self, day: date) -> bool:
        """Whether the assessment applies on ``day``."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class CarePackage:
    """A care package delivered over a stretch of days.

    Attributes:
        start: First day care is delivered.
        end: Last day care is delivered (inclusive), or None if ongoing.
        weekly_cost: Gross weekly cost in pence, zero or more.
        funding: Who funds it.
    """

    start: date
    end: date | None
    weekly_cost: Pence
    funding: Funding = Funding.COUNCIL

    def __post_init__(self) -> None:
        """Refuse a negative cost or a package that ends before it starts."""
        if self.weekly_cost < 0:
            raise ValueError(f"negative weekly cost {self.weekly_cost}")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"care package ends {self.end} before it starts {self.start}")

    def covers(self, day: date) -> bool:
        """Whether care is delivered on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class RateChange:
    """The FNC standard weekly rate in force from a date until the next change.

    Attributes:
        effective_from: First day the rate applies.
        weekly: The weekly rate in pence.
    """

    effective_from: date
    weekly: Pence


@dataclass(frozen=True, slots=True)
class _Schedule:
    """The daily weekly-charge of a basis as constant stretches, with running totals.

    Stretch ``i`` runs from day ordinal ``starts[i]`` up to (not including)
    ``starts[i + 1]``, charging ``values[i]`` (a weekly amount) each day; the last
    stretch runs on for ever and every day before ``starts[0]`` charges nothing.
    ``totals[i]`` is the sum of the weekly amounts of every day before ``starts[i]``.
    """

    starts: tuple[int, ...]
    values: tuple[int, ...]
    totals: tuple[int, ...]

    def sum_before(self, ordinal: int) -> int:
        """Sum of the days' weekly charges for every day before ``ordinal``."""
        i = bisect_right(self.starts, ordinal) - 1
        if i < 0:
            return 0
        return self.totals[i] + self.values[i] * (ordinal - self.starts[i])

    def first_positive(self) -> int | None:
        """Ordinal of the first day with a positive charge, or None."""
        for start, value in zip(self.starts, self.values, strict=True):
            if value > 0:
                return start
        return None


@dataclass(frozen=True)
class ChargeBasis:
    """Everything known about one person that decides what each day charges.

    Attributes:
        assessments: Financial assessments, in any order.
        packages: Care packages, in any order.
        date_of_death: The last chargeable day, if the person has died.
        fnc_rates: FNC standard weekly rates, each in force from its date.
    """

    assessments: tuple[Assessment, ...]
    packages: tuple[CarePackage, ...]
    date_of_death: date | None = None
    fnc_rates: tuple[RateChange, ...] = ()

    @cached_property
    def _schedule(self) -> _Schedule:
        """The daily charge as constant stretches, worked out once per basis."""
        changes: set[date] = set()
        for assessment in self.assessments:
            changes.add(assessment.effective_from)
            if assessment.effective_to is not None and assessment.effective_to < date.max:
                changes.add(assessment.effective_to + _ONE_DAY)
        for package in self.packages:
            changes.add(package.start)
            if package.end is not None and package.end < date.max:
                changes.add(package.end + _ONE_DAY)
        if self.date_of_death is not None and self.date_of_death < date.max:
            changes.add(self.date_of_death + _ONE_DAY)
        for rate in self.fnc_rates:
            changes.add(rate.effective_from)

        starts: list[int] = []
        values: list[int] = []
        for day in sorted(changes):
            value = day_weekly_charge(self, day)
            if values and values[-1] == value:
                continue
            if not values and value == 0:
                continue  # every day before the first stretch charges nothing anyway
            starts.append(day.toordinal())
            values.append(value)

        totals: list[int] = []
        running = 0
        for i, start in enumerate(starts):
            if i:
                running += values[i - 1] * (start - starts[i - 1])
            totals.append(running)
        return _Schedule(tuple(starts), tuple(values), tuple(totals))


def assessed_weekly(basis: ChargeBasis, day: date) -> Pence | None:
    """The weekly contribution assessed for ``day``, or None if no assessment covers it.

    Of the assessments covering the day, the one with the latest ``effective_from``
    applies; of two starting the same day, the one listed later.
    """
    found: Assessment | None = None
    for assessment in basis.assessments:
        if assessment.covers(day) and (
            found is None or assessment.effective_from >= found.effective_from
        ):
            found = assessment
    return None if found is None else found.weekly_contribution


def fnc_weekly_rate(basis: ChargeBasis, day: date) -> Pence:
    """The FNC standard weekly rate in force on ``day``; 0 if no rate is in force yet."""
    found: RateChange | None = None
    for rate in basis.fnc_rates:
        if rate.effective_from <= day and (
            found is None or rate.effective_from >= found.effective_from
        ):
            found = rate
    return 0 if found is None else found.weekly


def weekly_care_cost(basis: ChargeBasis, day: date) -> Pence | None:
    """The weekly cost of the care delivered on ``day``, or None if no package covers it.

    The sum of the weekly costs of the packages covering the day; an FNC-funded
    package counts its gross cost less the FNC rate in force that day, never below 0.
    """
    total: int | None = None
    for package in basis.packages:
        if not package.covers(day):
            continue
        cost = package.weekly_cost
        if package.funding is Funding.FNC:
            cost = max(0, cost - fnc_weekly_rate(basis, day))
        total = cost if total is None else total + cost
    return total


def day_weekly_charge(basis: ChargeBasis, day: date) -> Pence:
    """The weekly amount that ``day`` charges a seventh of.

    ``min(assessed weekly contribution, weekly care cost)``, or 0 when there is no
    assessment or no package that day, when the day is after the date of death (the
    day of death itself is chargeable), or when a CHC-funded package covers the day.
    """
    if basis.date_of_death is not None and day > basis.date_of_death:
        return 0
    if any(p.funding is Funding.CHC and p.covers(day) for p in basis.packages):
        return 0
    assessed = assessed_weekly(basis, day)
    if assessed is None:
        return 0
    cost = weekly_care_cost(basis, day)
    if cost is None:
        return 0
    return min(assessed, cost)


def period_charge(basis: ChargeBasis, period: Period) -> Pence:
    """What a period charges: its days' weekly charges summed, over 7, rounded once."""
    schedule = basis._schedule
    start = period.start.toordinal()
    total = schedule.sum_before(start + PERIOD_DAYS) - schedule.sum_before(start)
    return round_half_up(Fraction(total, _DAYS_IN_WEEK))


def first_chargeable_day(basis: ChargeBasis) -> date | None:
    """The earliest day with a positive charge, or None if no day charges anything."""
    ordinal = basis._schedule.first_positive()
    return None if ordinal is None else date.fromordinal(ordinal)


@dataclass(frozen=True)
class PeriodDifference:
    """A period whose charge as recalculated differs from what was charged.

    Attributes:
        period: The period.
        due: What the period charges now.
        charged: The total already charged for it (charges less credits).
    """

    period: Period
    due: Pence
    charged: Pence

    @property
    def difference(self) -> Pence:
        """The supplementary charge (positive) or credit (negative) to post."""
        return self.due - self.charged


def recalculate(
    basis: ChargeBasis,
    charged: Mapping[date, Pence],
    up_to: Period,
    *,
    earliest: date,
    anchor: date = DEFAULT_ANCHOR,
) -> list[PeriodDifference]:
    """Recompute every period up to ``up_to`` and return those charged wrongly.

    Periods run from the one containing the first chargeable day, or the earliest
    period already charged if that is earlier, through ``up_to``. Periods ending
    before ``earliest`` (the six-year limit) are skipped. Charges recorded for periods
    after ``up_to`` are left alone.

    Args:
        basis: The assessments, packages and other facts as they stand now.
        charged: Each period's start date mapped to the total already charged for
            it, charges and credits together; a missing period was charged nothing.
        up_to: The last period to recalculate.
        earliest: Periods that end before this day are not recalculated.
        anchor: The anchor Monday of the periods.

    Returns:
        The periods where what is due differs from what was charged, in order.

    Raises:
        ValueError: the anchor is not a Monday.
    """
    firsts: list[date] = []
    first_day = first_chargeable_day(basis)
    if first_day is not None:
        firsts.append(period_containing(first_day, anchor).start)
    if charged:
        firsts.append(period_containing(min(charged), anchor).start)
    if not firsts:
        return []
    start = max(min(firsts), period_containing(earliest, anchor).start)
    last = period_containing(up_to.start, anchor).start
    step = timedelta(days=PERIOD_DAYS)

    differences: list[PeriodDifference] = []
    while start <= last:
        period = Period(start)
        due = period_charge(basis, period)
        already = charged.get(start, 0)
        if due != already:
            differences.append(PeriodDifference(period, due, already))
        start += step
    return differences


@dataclass(frozen=True)
class Stretch:
    """Days of a period over which the daily charge is the same.

    Attributes:
        start: First day of the stretch.
        end: Last day, inclusive.
        weekly: The weekly figure each day charges a seventh of, in pence.
    """

    start: date
    end: date
    weekly: Pence

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def exact(self) -> Fraction:
        """What the stretch charges, in pence, before the period is rounded."""
        return Fraction(self.weekly * self.days, _DAYS_IN_WEEK)


def charge_stretches(basis: ChargeBasis, period: Period) -> list[Stretch]:
    """The period's chargeable days as stretches of one weekly figure, in date order.

    Days that charge nothing are left out; the stretches' exact amounts sum to what the
    period charges before its one rounding (:func:`period_charge`).
    """
    schedule = basis._schedule
    first = period.start.toordinal()
    last = first + PERIOD_DAYS - 1
    stretches: list[Stretch] = []
    for i, start in enumerate(schedule.starts):
        end = schedule.starts[i + 1] - 1 if i + 1 < len(schedule.starts) else last
        lo, hi = max(start, first), min(end, last)
        if lo > hi or schedule.values[i] == 0:
            continue
        stretches.append(Stretch(date.fromordinal(lo), date.fromordinal(hi), schedule.values[i]))
    return stretches
