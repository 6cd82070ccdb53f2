"""Bank Rate's history for Late Payment Act interest: shipped with debtdesk, extended by a
team leader as the Bank of England decides.

A decision is a new row; no row is edited. A row no interest was worked out with (no
interest charge's reference date falls in its time in force) may be withdrawn, saying
why; a used one stays, because charges already made rest on it. For the same reason a
new decision cannot take effect on or before a reference date interest was already
charged at. The day up to which the history is known is the setting
``interest.bank_rate_known_to``: a rate for a later reference date is still worked out
from the last decision, and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import BankRate, InterestCharge
from debtdesk.db.types import utcnow
from debtdesk.domain.interest import BankRateHistory, RateChange, read_history
from debtdesk.domain.roles import Permission
from debtdesk.resources import resource_path
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.settings import Settings, get_setting
from debtdesk.services.users import require

HIGHEST_RATE = Decimal(25)
"""A Bank Rate above this is taken for a slip of the keyboard (its peak since 1694 is 17%)."""


@dataclass(frozen=True)
class BankRateLine:
    id: int
    effective: date
    rate: Decimal
    note: str
    added_by: str
    added_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str
    used: bool
    """Interest has been worked out with it: it cannot be withdrawn."""


def shipped_history() -> BankRateHistory:
    """The history shipped in ``resources/bank_rate.csv`` (for a quote with no database)."""
    return read_history(resource_path("bank_rate.csv").read_text(encoding="utf-8"))


def _rows(session: Session) -> list[BankRate]:
    return list(
        session.scalars(
            select(BankRate)
            .where(BankRate.withdrawn_at.is_(None))
            .order_by(BankRate.effective_date)
        )
    )


def bank_rate_history(session: Session) -> BankRateHistory:
    """The database's history (withdrawn rows left out) and the day it is known to."""
    known_to = date.fromisoformat(get_setting(session, "interest.bank_rate_known_to"))
    changes = tuple(
        RateChange(row.effective_date, Decimal(row.basis_points) / 100) for row in _rows(session)
    )
    if not changes:
        raise BadInput("the Bank Rate history is empty: add the Bank of England's decisions")
    return BankRateHistory(changes, known_to)


def _latest_reference(session: Session) -> date | None:
    return session.scalar(select(func.max(InterestCharge.reference_date)))


def _used(rows: list[BankRate], references: set[date]) -> set[int]:
    """The rows some charge's reference date fell in the time of."""
    used = set()
    for row, following in zip(rows, [*rows[1:], None], strict=True):
        end = following.effective_date if following else date.max
        if any(row.effective_date <= day < end for day in references):
            used.add(row.id)
    return used


def parse_rate(text: str) -> Decimal:
    """A Bank Rate typed as a percentage: ``3.75`` (a ``%`` may follow).

    Raises:
        BadInput: not a number, below 0, above 25, or finer than a hundredth of a percent.
    """
    cleaned = text.strip().removesuffix("%").strip()
    try:
        rate = Decimal(cleaned)
    except InvalidOperation:
        raise BadInput(f"{text!r} is not a percentage (e.g. 3.75)") from None
    if not rate.is_finite() or rate < 0 or rate > HIGHEST_RATE:
        raise BadInput(f"a Bank Rate of {cleaned}% is not between 0% and {HIGHEST_RATE}%")
    if rate != rate.quantize(Decimal("0.01")):
        raise BadInput(f"{cleaned}%: Bank Rate is set in hundredths of a percent at the finest")
    return rate


class BankRates:
    """Listing, adding and withdrawing Bank Rate decisions; the known-to day."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[BankRateLine]:
        """Every decision, withdrawn ones too, newest first."""
        with self._db.sessions() as session:
            rows = list(session.scalars(select(BankRate).order_by(BankRate.effective_date)))
            references = set(session.scalars(select(InterestCharge.reference_date).distinct()))
            used = _used([r for r in rows if r.withdrawn_at is None], references)
            return [
                BankRateLine(
                    r.id,
                    r.effective_date,
                    Decimal(r.basis_points) / 100,
                    r.note,
                    r.added_by,
                    r.added_at,
                    r.withdrawn_at,
                    r.withdrawn_by,
                    r.withdrawn_reason,
                    r.id in used,
                )  # fmt: skip
                for r in reversed(rows)
            ]

    def known_to(self) -> date:
        with self._db.sessions() as session:
            return date.fromisoformat(get_setting(session, "interest.bank_rate_known_to"))

    def set_known_to(self, day: date) -> None:
        """Record that the history is complete up to ``day`` (a team leader checked)."""
        Settings(self._db).set("interest.bank_rate_known_to", day.isoformat())

    def add(self, effective: date, rate: Decimal, note: str = "") -> int:
        """Record a decision: Bank Rate is ``rate`` percent from ``effective``; its id.

        Raises:
            NotAllowed: the login may not edit policy.
            BadInput: a rate already recorded for that day, a rate out of range, or a day
                on or before a reference date interest was already charged at.
        """
        rate = parse_rate(str(rate))
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.EDIT_POLICY)
            clash = session.scalar(
                select(BankRate).where(
                    BankRate.effective_date == effective, BankRate.withdrawn_at.is_(None)
                )
            )
            if clash is not None:
                raise BadInput(
                    f"Bank Rate from {effective:%d/%m/%Y} is recorded already "
                    f"({clash.basis_points / 100:.2f}%)"
                )
            latest = _latest_reference(session)
            if latest is not None and effective <= latest:
                raise BadInput(
                    f"interest has been charged at the rate in force on {latest:%d/%m/%Y}: a "
                    f"decision effective on {effective:%d/%m/%Y} would change it"
                )
            row = BankRate(
                effective_date=effective,
                basis_points=int(rate * 100),
                note=note.strip(),
                added_by=self._db.actor,
            )
            session.add(row)
            session.flush()
            audit.record(
                session, self._db.actor, "bank_rate.add", "bank_rate", row.id, None,
                {"effective": effective, "rate": str(rate), "note": row.note},
            )  # fmt: skip
            return row.id

    def withdraw(self, rate_id: int, reason: str) -> None:
        """Withdraw a decision entered by mistake, if no interest was worked out with it.

        Raises:
            NotAllowed: the login may not edit policy.
            NotFound: no such row.
            BadInput: no reason, withdrawn already, or used.
        """
        if not reason.strip():
            raise BadInput("say why the rate is withdrawn")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.EDIT_POLICY)
            row = session.get(BankRate, rate_id)
            if row is None:
                raise NotFound(f"no Bank Rate row {rate_id}")
            if row.withdrawn_at is not None:
                raise BadInput(f"the rate from {row.effective_date:%d/%m/%Y} is withdrawn already")
            references = set(session.scalars(select(InterestCharge.reference_date).distinct()))
            if row.id in _used(_rows(session), references):
                raise BadInput(
                    f"interest has been worked out with the rate from "
                    f"{row.effective_date:%d/%m/%Y}: it stays; record a new decision instead"
                )
            row.withdrawn_at, row.withdrawn_by = utcnow(), self._db.actor
            row.withdrawn_reason = reason.strip()
            audit.record(
                session, self._db.actor, "bank_rate.withdraw", "bank_rate", row.id,
                {"withdrawn": False}, {"withdrawn": True, "reason": row.withdrawn_reason},
            )  # fmt: skip
