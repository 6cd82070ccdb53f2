"""Payment plans: the instalment schedule, what each instalment has been paid, and breaking.

This module owns the pure rules of a plan agreed to clear arrears: the due dates for a
frequency (weekly, 4-weekly, monthly), the schedule of instalments covering a total, how
payments are set against instalments (in due order, cumulatively, so an overpayment
carries forward and an early payment counts), when a plan is broken (an instalment still
short by more than a tolerance once its grace period is over; RULES.md defaults £1.00 and
7 days, taken from settings by the caller) and when it is completed. Choosing which
payments belong to a plan, and storing it, is the caller's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from debtdesk.domain.money import Pence, format_pounds


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"


def due_date(start: date, frequency: Frequency, n: int) -> date:
    """The ``n``-th (0-based) due date of a plan starting on ``start``.

    Monthly dates are counted from the start each time, so a plan starting on 31 January
    falls due on the last day of shorter months and on the 31st again when there is one.

    Raises:
        ValueError: ``n`` is negative.
    """
    if n < 0:
        raise ValueError(f"instalment index {n} is negative")
    match frequency:
        case Frequency.WEEKLY:
            return start + timedelta(days=7 * n)
        case Frequency.FOUR_WEEKLY:
            return start + timedelta(days=28 * n)
        case Frequency.MONTHLY:
            return start + relativedelta(months=n)


EVERY = {
    Frequency.WEEKLY: "a week",
    Frequency.FOUR_WEEKLY: "every 4 weeks",
    Frequency.MONTHLY: "a month",
}
"""How often, as it follows an amount: "£25.00 a week"."""


class PlanStatus(StrEnum):
    ACTIVE = "active"
    BROKEN = "broken"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REPLACED = "replaced"
    """Renegotiated: a new plan names this one; the history stays."""


DEFAULT_TOLERANCE = 100
"""An instalment may stay short by up to £1.00 without breaking the plan (issue 5)."""
DEFAULT_GRACE_DAYS = 7
"""Days after an instalment's due date to pay it before the plan breaks (issue 5)."""


@dataclass(frozen=True)
class Instalment:
    """One instalment of a plan.

    Attributes:
        number: 1 for the first instalment, counting up.
        due: The date it falls due.
        amount: Pence due, more than 0.
    """

    number: int
    due: date
    amount: Pence

    def __post_init__(self) -> None:
        """Refuse a number below 1 or an amount of nothing."""
        if self.number < 1:
            raise ValueError(f"instalment number {self.number} is below 1")
        if self.amount <= 0:
            raise ValueError(f"instalment {self.number} has amount {format_pounds(self.amount)}")


def schedule(
    start: date, frequency: Frequency, instalment: Pence, total: Pence
) -> list[Instalment]:
    """The instalments of ``instalment`` pence each that cover ``total``, the last the remainder.

    Raises:
        ValueError: ``instalment`` or ``total`` is not more than 0.
    """
    if instalment <= 0:
        raise ValueError(f"instalment must be more than £0.00, not {format_pounds(instalment)}")
    if total <= 0:
        raise ValueError(f"plan total must be more than £0.00, not {format_pounds(total)}")
    count = -(-total // instalment)
    last = total - instalment * (count - 1)
    return [
        Instalment(
            number=i + 1,
            due=due_date(start, frequency, i),
            amount=last if i == count - 1 else instalment,
        )
        for i in range(count)
    ]


@dataclass(frozen=True)
class InstalmentState:
    """An instalment as it stands at ``as_of``.

    Attributes:
        instalment: The instalment.
        paid: Pence of it paid by ``as_of``.
        outstanding: Pence of it still to pay at ``as_of``.
        short_after_grace: Its grace period ended before ``as_of`` and, at the end of it,
            the plan's payments fell short of everything due up to and including this
            instalment by more than the tolerance.
    """

    instalment: Instalment
    paid: Pence
    outstanding: Pence
    short_after_grace: bool


@dataclass(frozen=True)
class PlanState:
    """A plan as it stands at ``as_of``.

    Attributes:
        instalments: Each instalment's state, in due order.
        paid: Pence of the plan paid by ``as_of`` (never more than the total).
        outstanding: Pence of the plan still to pay at ``as_of``.
        broken_on: The day the plan broke, or None while it is kept.
        completed_on: The day payments reached the plan's total, or None.
    """

    instalments: tuple[InstalmentState, ...]
    paid: Pence
    outstanding: Pence
    broken_on: date | None
    completed_on: date | None

    @property
    def total(self) -> Pence:
        """Pence the plan covers: the sum of its instalments."""
        return self.paid + self.outstanding

    @property
    def broken(self) -> bool:
        """Whether the plan has broken by ``as_of``."""
        return self.broken_on is not None

    @property
    def completed(self) -> bool:
        """Whether the plan had been paid in full by ``as_of``."""
        return self.completed_on is not None


def plan_state(
    instalments: Sequence[Instalment],
    payments: Sequence[tuple[date, Pence]],
    as_of: date,
    *,
    tolerance: Pence = DEFAULT_TOLERANCE,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> PlanState:
    """Where a plan stands at ``as_of``: what each instalment has been paid, broken, completed.

    Only payments effective on or before ``as_of`` count. Their running total is set
    against the instalments in due order, so a payment made early counts toward the next
    instalment and an overpayment carries to the ones after it. A returned payment is a
    negative amount on the date it was returned.

    The plan breaks on ``due + grace_days + 1`` of the first instalment for which that day
    is on or before ``as_of`` and the payments made on or before ``due + grace_days`` fall
    short of everything due up to and including it by more than ``tolerance``. Payments
    made later do not mend it: ``broken_on`` never moves once reached.

    Args:
        instalments: The plan's schedule (see :func:`schedule`); at least one.
        payments: ``(effective date, pence)`` of every payment toward the plan.
        as_of: The date the plan is seen at.
        tolerance: Pence an instalment may stay short without breaking the plan.
        grace_days: Days after a due date to pay before the plan breaks.

    Raises:
        ValueError: there are no instalments, or the tolerance or grace is negative.
    """
    if not instalments:
        raise ValueError("a payment plan has at least one instalment")
    if tolerance < 0 or grace_days < 0:
        raise ValueError(f"tolerance {tolerance} and grace days {grace_days} must not be negative")
    ordered = sorted(instalments, key=lambda inst: (inst.due, inst.number))
    counted = sorted((day, amount) for day, amount in payments if day <= as_of)
    paid_total = sum(amount for _, amount in counted)

    states: list[InstalmentState] = []
    broken_on: date | None = None
    due_before = 0  # pence due on the instalments before this one
    for inst in ordered:
        paid = min(max(paid_total - due_before, 0), inst.amount)
        due_before += inst.amount
        grace_end = inst.due + timedelta(days=grace_days)
        paid_in_grace = sum(amount for day, amount in counted if day <= grace_end)
        short = grace_end < as_of and due_before - paid_in_grace > tolerance
        if short and broken_on is None:
            broken_on = grace_end + timedelta(days=1)
        states.append(InstalmentState(inst, paid, inst.amount - paid, short))

    paid_plan = sum(state.paid for state in states)
    return PlanState(
        instalments=tuple(states),
        paid=paid_plan,
        outstanding=due_before - paid_plan,
        broken_on=broken_on,
        completed_on=_completed_on(counted, due_before),
    )


def _completed_on(counted: Sequence[tuple[date, Pence]], total: Pence) -> date | None:
    """The day the running total of date-ordered payments reached ``total`` and stayed there.

    A payment returned afterwards that takes the running total below ``total`` again
    undoes the completion.
    """
    completed_on: date | None = None
    running = 0
    for i, (day, amount) in enumerate(counted):
        running += amount
        if i + 1 < len(counted) and counted[i + 1][0] == day:
            continue  # judge a day only once all its payments are in
        if running < total:
            completed_on = None
        elif completed_on is None:
            completed_on = day
    return completed_on
