"""Late Payment of Commercial Debts (Interest) Act 1998: statutory interest and the fixed
compensation on one invoice (FACTS.md §1, RULES.md "Late Payment Act interest").

* Interest runs from the day after the due date ("the relevant day"); at ``as_of`` the
  days late are ``as_of - due`` (a debt due 15 January and paid 16 March is 60 days
  late: 16 January to 16 March inclusive).
* The statutory rate is Bank Rate in force on the reference date plus 8%: the reference
  date is 31 December before the first day of lateness when that day falls in January
  to June, 30 June before it when it falls in July to December (SI 2002/1675 art. 4). It
  is fixed for the life of the debt (s4(2)): later Bank Rate changes do not move it.
* Interest is simple: outstanding principal × rate × days / 365 over each stretch
  between part-payments (a payment on a day stops interest on what it paid from the next
  day), summed exactly and rounded half-up to the penny once per invoice. The Act sets
  no day count; 365 is market practice (FACTS.md §1.1) and :data:`DAY_BASIS` is the one
  place to change it.
* Compensation is fixed, once per invoice, on the invoice's amount (s5A): under £1,000
  £40; £1,000 to £9,999.99 £70; £10,000 or more £100.

Bank Rate history is data (:class:`BankRateHistory`): the changes and the day up to which
they are known; a reference date after that is still answered, flagged as not known.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from debtdesk.domain.money import Pence, round_half_up

DAY_BASIS = 365
"""Days in the year the annual rate is divided by (FACTS.md §1.1: 365, market practice)."""
STATUTORY_MARGIN = Decimal("8")
"""Percentage points over Bank Rate (SI 2002/1675)."""
COMPENSATION_BANDS: tuple[tuple[Pence, Pence], ...] = ((1_000_00, 40_00), (10_000_00, 70_00))
"""(the invoice amount it is under, the compensation); £100.00 at £10,000.00 or more."""
TOP_COMPENSATION: Pence = 100_00


@dataclass(frozen=True)
class RateChange:
    """Bank Rate from ``effective`` (a percentage, e.g. ``Decimal("3.75")``)."""

    effective: date
    rate: Decimal


@dataclass(frozen=True)
class BankRateHistory:
    """Bank Rate's changes, oldest first, and the last day they are known to be complete."""

    changes: tuple[RateChange, ...]
    known_to: date

    def __post_init__(self) -> None:
        days = [c.effective for c in self.changes]
        if not days:
            raise ValueError("a Bank Rate history needs at least one rate")
        if days != sorted(set(days)):
            raise ValueError("Bank Rate changes must be in date order, one a day")

    def rate_on(self, day: date) -> Decimal:
        """Bank Rate in force on ``day`` (the last change on or before it).

        Raises:
            ValueError: ``day`` is before the first change in the history.
        """
        found = None
        for change in self.changes:
            if change.effective > day:
                break
            found = change
        if found is None:
            raise ValueError(
                f"the Bank Rate history starts on {self.changes[0].effective:%d/%m/%Y}; "
                f"it has no rate for {day:%d/%m/%Y}"
            )
        return found.rate

    def knows(self, day: date) -> bool:
        """The history is known to be complete on ``day``."""
        return day <= self.known_to


def reference_date(first_late_day: date) -> date:
    """31 December before ``first_late_day`` if it falls in January–June, else 30 June."""
    if first_late_day.month <= 6:
        return date(first_late_day.year - 1, 12, 31)
    return date(first_late_day.year, 6, 30)


@dataclass(frozen=True)
class StatutoryRate:
    reference_date: date
    bank_rate: Decimal
    rate: Decimal
    """Bank Rate on the reference date + 8: the annual percentage, fixed for the debt."""
    known: bool
    """The history is known to be complete on the reference date."""


def statutory_rate(history: BankRateHistory, due: date) -> StatutoryRate:
    """The rate for a debt due on ``due`` (interest starts the day after).

    Raises:
        ValueError: the history has no rate for the reference date.
    """
    reference = reference_date(due + timedelta(days=1))
    bank = history.rate_on(reference)
    return StatutoryRate(reference, bank, bank + STATUTORY_MARGIN, history.knows(reference))


def days_late(due: date, as_of: date) -> int:
    """Days from the day after ``due`` to ``as_of``, inclusive (0 when not late)."""
    return max(0, (as_of - due).days)


@dataclass(frozen=True)
class Stretch:
    """Days ``first`` to ``last`` inclusive with ``principal`` outstanding."""

    first: date
    last: date
    principal: Pence

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def stretches(
    amount: Pence, due: date, paid: Iterable[tuple[date, Pence]], as_of: date
) -> list[Stretch]:
    """The late stretches of an invoice of ``amount`` due on ``due``, at ``as_of``.

    ``paid`` is what was set against the invoice and when (negative: a payment returned).
    What is paid on a day counts from the next day; a stretch with nothing outstanding is
    left out.
    """
    if as_of <= due:
        return []
    changes: dict[date, Pence] = {}
    for day, pence in paid:
        changes[day] = changes.get(day, 0) + pence
    principal = amount - sum(p for day, p in changes.items() if day <= due)
    found: list[Stretch] = []
    start = due + timedelta(days=1)
    for day in sorted(d for d in changes if due < d < as_of):
        if principal > 0:
            found.append(Stretch(start, day, principal))
        principal -= changes[day]
        start = day + timedelta(days=1)
    if principal > 0:
        found.append(Stretch(start, as_of, principal))
    return found


def exact_interest(parts: Sequence[Stretch], rate: Decimal) -> Fraction:
    """Pence of simple interest over the stretches at ``rate`` percent a year, exactly."""
    yearly = Fraction(rate) / (100 * DAY_BASIS)
    return sum((s.principal * s.days * yearly for s in parts), Fraction(0))


def interest_to(
    amount: Pence, due: date, paid: Iterable[tuple[date, Pence]], as_of: date, rate: Decimal
) -> Pence:
    """The invoice's interest from the day after ``due`` to ``as_of``, rounded half-up once."""
    return round_half_up(exact_interest(stretches(amount, due, paid, as_of), rate))


def compensation(amount: Pence) -> Pence:
    """The fixed sum for an invoice of ``amount`` pence (s5A)."""
    for below, fixed in COMPENSATION_BANDS:
        if amount < below:
            return fixed
    return TOP_COMPENSATION


@dataclass(frozen=True)
class Quote:
    """Interest and compensation on one unpaid invoice at a date."""

    principal: Pence
    due: date
    as_of: date
    rate: StatutoryRate
    days: int
    interest: Pence
    compensation: Pence


def quote(history: BankRateHistory, principal: Pence, due: date, as_of: date) -> Quote:
    """What a debt of ``principal`` due on ``due`` and still unpaid carries at ``as_of``.

    Raises:
        ValueError: the principal is not more than £0.00, or the history has no rate.
    """
    if principal <= 0:
        raise ValueError("the amount must be more than £0.00")
    rate = statutory_rate(history, due)
    days = days_late(due, as_of)
    return Quote(
        principal,
        due,
        as_of,
        rate,
        days,
        interest_to(principal, due, (), as_of, rate.rate),
        compensation(principal) if days else 0,
    )


KNOWN_TO_MARK = "# known_to:"


def read_history(text: str) -> BankRateHistory:
    """A history from the shipped CSV: ``effective_date,bank_rate_percent`` rows and a
    ``# known_to: YYYY-MM-DD`` comment line.

    Raises:
        ValueError: no known_to line, a row that is not a date and a percentage, or rows
            out of order; the line is named.
    """
    known_to: date | None = None
    changes: list[RateChange] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line.startswith(KNOWN_TO_MARK):
            known_to = _read_date(line.removeprefix(KNOWN_TO_MARK).strip(), number)
        elif line and not line.startswith("#") and not line.startswith("effective_date"):
            day, _, rate = line.partition(",")
            try:
                changes.append(RateChange(_read_date(day, number), Decimal(rate.strip())))
            except ArithmeticError:
                raise ValueError(f"line {number}: {rate.strip()!r} is not a percentage") from None
    if known_to is None:
        raise ValueError(f"the Bank Rate history has no '{KNOWN_TO_MARK} YYYY-MM-DD' line")
    return BankRateHistory(tuple(changes), known_to)


def _read_date(text: str, number: int) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"line {number}: {text.strip()!r} is not a date (YYYY-MM-DD)") from None
