"""Referrals out of the team (domain.referrals): an account sent to enforcement or
tracing agents, to legal services or as a county court claim, and what came back.

One referral of a kind may be open (sent, not yet returned) on an account at a time;
while one is, the debt is with the agency and the recovery run passes the account by.
A return records the date, the outcome and what the agency reports recovered, which is
never more than the debt referred: costs, fees or interest a claim adds are not part of
the referred debt, and a figure above it is most likely a slip of the keyboard. What an
agency collects reaches the ledger as a payment like any other; the referral only keeps
the figure for the referral list. A legal referral or a county court claim needs a
deferred payment agreement offered and refused, or none available, first
(services.deferred_payments). Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, Referral
from debtdesk.domain.money import format_pounds
from debtdesk.domain.referrals import REFERRAL_NAMES, ReferralKind
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.deferred_payments import court_action_blocked
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.sql import chunks
from debtdesk.services.users import require

_AGENCY_MAX, _REFERENCE_MAX = 120, 60  # the columns' lengths
COURT_ACTION = frozenset({ReferralKind.LEGAL, ReferralKind.COUNTY_COURT_CLAIM})


@dataclass(frozen=True)
class ReferralLine:
    id: int
    account_id: int
    account_ref: str
    client_name: str
    kind: ReferralKind
    kind_name: str
    referred_on: date
    amount: int
    """The debt referred, in pence."""
    agency: str
    reference: str
    returned_on: date | None
    outcome: str
    recovered: int
    """What the agency reports recovered, in pence (0 while open)."""
    actor: str
    at: datetime

    @property
    def is_open(self) -> bool:
        """Referred and not yet returned."""
        return self.returned_on is None

    def days_out(self, as_of: date) -> int | None:
        """Days since it was referred, for an open referral (never below 0); else None."""
        if not self.is_open:
            return None
        return max(0, (as_of - self.referred_on).days)


def _line(r: Referral, account: Account) -> ReferralLine:
    return ReferralLine(
        r.id,
        r.account_id,
        account.reference,
        account.client_name,
        r.kind,
        REFERRAL_NAMES[r.kind],
        r.referred_on,
        r.amount,
        r.agency,
        r.reference,
        r.returned_on,
        r.outcome,
        r.recovered,
        r.actor,
        r.at,
    )


def referral_lines(
    session: Session, condition: ColumnElement[bool] | None = None
) -> list[ReferralLine]:
    """The referrals meeting ``condition`` (all of them without one), by date referred then id."""
    query = select(Referral, Account).join(Account, Account.id == Referral.account_id)
    if condition is not None:
        query = query.where(condition)
    rows = session.execute(query.order_by(Referral.referred_on, Referral.id)).tuples()
    return [_line(r, a) for r, a in rows]


def _describe(r: Referral) -> str:
    reference = f" (their reference {r.reference})" if r.reference else ""
    return (
        f"referral {r.id}, {REFERRAL_NAMES[r.kind].lower()} to {r.agency}{reference} "
        f"on {r.referred_on:%d/%m/%Y}"
    )


def open_referrals(
    session: Session, account_ids: Iterable[int], as_of: date
) -> dict[int, Referral]:
    """The earliest referral still out at ``as_of`` on each account among ``account_ids``
    that has one: the debt is with an agency, so the recovery run passes it by."""
    found: dict[int, Referral] = {}
    for chunk in chunks(sorted(set(account_ids))):
        for row in session.scalars(
            select(Referral)
            .where(
                Referral.account_id.in_(chunk),
                Referral.referred_on <= as_of,
                or_(Referral.returned_on.is_(None), Referral.returned_on > as_of),
            )
            .order_by(Referral.referred_on, Referral.id)
        ):
            found.setdefault(row.account_id, row)
    return found


def out_with(row: Referral) -> str:
    """``with Trace UK (tracing agent) since 26/10/2026``."""
    return (
        f"with {row.agency} ({REFERRAL_NAMES[row.kind].lower()}) since {row.referred_on:%d/%m/%Y}"
    )


class Referrals:
    """Referring accounts to agents, legal or the county court; their returns; the list."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def for_account(self, account_id: int) -> list[ReferralLine]:
        """The account's referrals, open and returned, by date referred then id."""
        return self._list(Referral.account_id == account_id)

    def listing(self, open_only: bool = False) -> list[ReferralLine]:
        """Every referral (or only the open ones), by date referred then id."""
        return self._list(Referral.returned_on.is_(None) if open_only else None)

    def export(self, path: Path, as_of: date) -> Path:
        """Write the referral list as at ``as_of`` as a workbook (the ``referrals`` report).

        Raises:
            BadInput: the folder does not exist or the file cannot be written.
        """
        from debtdesk.services.reporting.runs import Reports  # openpyxl only when exporting

        try:
            return Reports(self._db).write("referrals", path, as_of)[1]
        except OSError as exc:
            raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from exc

    def _list(self, condition: ColumnElement[bool] | None) -> list[ReferralLine]:
        with self._db.sessions() as session:
            return referral_lines(session, condition)

    def refer(
        self,
        account_id: int,
        kind: ReferralKind,
        referred_on: date,
        amount: int,
        agency: str,
        reference: str = "",
    ) -> int:
        """Record that ``amount`` pence of the account's debt went to ``agency``; its id.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account.
            BadInput: no agency, the agency or reference too long, the amount not more
                than £0.00, a referral of the same kind is still open on the account
                (named in the message), or it is court action with no deferred payment
                agreement offer refused or found not available (Care Act s69(2)).
        """
        agency, reference = agency.strip(), reference.strip()
        if not agency:
            raise BadInput("say who the account is referred to (the agency)")
        if len(agency) > _AGENCY_MAX:
            raise BadInput(f"the agency's name is longer than {_AGENCY_MAX} characters")
        if len(reference) > _REFERENCE_MAX:
            raise BadInput(f"the reference is longer than {_REFERENCE_MAX} characters")
        if amount <= 0:
            raise BadInput(f"a referral must be for more than £0.00, not {format_pounds(amount)}")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            account = get_account(session, account_id)
            still_open = session.scalars(
                select(Referral)
                .where(
                    Referral.account_id == account_id,
                    Referral.kind == kind,
                    Referral.returned_on.is_(None),
                )
                .order_by(Referral.id)
                .limit(1)
            ).first()
            if still_open is not None:
                raise BadInput(
                    f"{account.reference} already has {_describe(still_open)}, not yet "
                    "returned: record its return first"
                )
            if kind in COURT_ACTION and (why := court_action_blocked(session, account_id)):
                raise BadInput(f"{account.reference}: {why}")
            row = Referral(
                account_id=account_id,
                kind=kind,
                referred_on=referred_on,
                amount=amount,
                agency=agency,
                reference=reference,
                actor=self._db.actor,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                self._db.actor,
                "referral.refer",
                "account",
                account.reference,
                None,
                {
                    "referral": row.id,
                    "kind": kind.value,
                    "referred_on": referred_on,
                    "amount": amount,
                    "agency": agency,
                    "reference": reference,
                },
            )
            return row.id

    def record_return(
        self, referral_id: int, returned_on: date, outcome: str, recovered: int
    ) -> None:
        """Record what came back: the day, the outcome, and what was recovered (pence).

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such referral.
            BadInput: no outcome, ``recovered`` below £0.00 or more than the amount
                referred, ``returned_on`` before the referral, or it was returned already.
        """
        outcome = outcome.strip()
        if not outcome:
            raise BadInput("say what the outcome of the referral was")
        if recovered < 0:
            raise BadInput(f"recovered cannot be less than £0.00, not {format_pounds(recovered)}")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            row = self._referral(session, referral_id)
            if row.returned_on is not None:
                raise BadInput(
                    f"{_describe(row)} was returned already on {row.returned_on:%d/%m/%Y}"
                )
            if returned_on < row.referred_on:
                raise BadInput(
                    f"a referral made on {row.referred_on:%d/%m/%Y} cannot be returned on "
                    f"{returned_on:%d/%m/%Y}"
                )
            if recovered > row.amount:
                raise BadInput(
                    f"{format_pounds(recovered)} recovered is more than the "
                    f"{format_pounds(row.amount)} referred: record only the referred debt "
                    "recovered (costs and interest are not part of it)"
                )
            row.returned_on, row.outcome, row.recovered = returned_on, outcome, recovered
            account = session.get(Account, row.account_id)
            audit.record(
                session,
                self._db.actor,
                "referral.return",
                "account",
                account.reference if account else row.account_id,
                {"referral": row.id, "returned_on": None, "outcome": "", "recovered": 0},
                {
                    "referral": row.id,
                    "returned_on": returned_on,
                    "outcome": outcome,
                    "recovered": recovered,
                },
            )

    @staticmethod
    def _referral(session: Session, referral_id: int) -> Referral:
        row = session.get(Referral, referral_id)
        if row is None:
            raise NotFound(f"no referral {referral_id}")
        return row
