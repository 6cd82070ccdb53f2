"""The periods a statement run could be asked for: around the last run, up to today's period.

A read for the GUI's period picker. The run itself (services.statement_run) decides
what may be run; this only lists the candidates and says which one is next due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from debtdesk.domain.periods import (
    PERIOD_DAYS,
    Period,
    last_complete_period,
    period_containing,
    periods_overlapping,
)
from debtdesk.services.database import Database
from debtdesk.services.settings import period_anchor
from debtdesk.services.statement_run import last_run

HISTORY = 2
"""Periods already run that are listed too (the last run's and the one before it)."""

_STEP = timedelta(days=PERIOD_DAYS)


@dataclass(frozen=True)
class RunPeriod:
    """One period a run could be asked for.

    Attributes:
        period: The period.
        already_run: A run was made for it or a later period (a new run issues nothing,
            or is refused).
        next_due: It is the period after the last run's (the one to run next).
        ended: Its last day is before today.
    """

    period: Period
    already_run: bool
    next_due: bool
    ended: bool


@dataclass(frozen=True)
class RunPeriods:
    """The candidates in date order, the last run's period and the one due next."""

    periods: tuple[RunPeriod, ...]
    last_run: Period | None
    next_due: Period


def run_periods(session: Session, today: date, history: int = HISTORY) -> RunPeriods:
    """The last run's period (and ``history - 1`` before it) through today's period.

    With no run on record, the list starts at the last period ended by ``today``, and that
    one is next due.
    """
    anchor = period_anchor(session)
    run = last_run(session)
    last = period_containing(run.as_of - timedelta(days=1), anchor) if run and run.as_of else None
    if last is not None:
        next_due = Period(last.statement_date)
        first = Period(last.start - _STEP * (max(history, 1) - 1))
    else:
        next_due = first = last_complete_period(today, anchor)
    final = max(next_due, period_containing(today, anchor))
    periods = tuple(
        RunPeriod(
            period,
            already_run=last is not None and period <= last,
            next_due=period == next_due,
            ended=period.end < today,
        )
        for period in periods_overlapping(first.start, final.start, anchor)
    )
    return RunPeriods(periods, last, next_due)


class StatementPeriods:
    """The period picker's read."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def choices(self, today: date) -> RunPeriods:
        """The periods a run could be asked for as at ``today``, the next due marked."""
        with self._db.sessions() as session:
            return run_periods(session, today)
