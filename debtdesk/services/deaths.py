"""Recording a client's death: charges stop, letters go to the estate, probate is waited for.

The date of death is the last chargeable day (RULES.md), so the next statement run
recalculates every period from it (a charge made past it is credited back). From now
on letters are addressed to the personal representatives of the late client, care of an
executor or solicitor where one is recorded (domain.correspondence, FACTS.md §7.3: bill
the executor or administrator, not relatives). A probate hold is offered: recovery
waits for the grant, with a review date. The account's direct debit is not touched
here: the paying bank stops it (ADDACS / ARUDD code 2), and the officer is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from debtdesk.db.models import Hold, Mandate, Representative
from debtdesk.domain.caseload import AccountStatus, MandateStatus, RepresentativeRole
from debtdesk.domain.holds import HoldReason
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.accounts import get_account
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.users import require

PROBATE_REVIEW_DAYS = 91
"""A probate hold is reviewed about three months on: a grant commonly takes that long
(our choice; the officer can set another date)."""


@dataclass(frozen=True)
class EstateContact:
    """The executor, administrator or their solicitor, who now receives the letters."""

    name: str
    role: RepresentativeRole
    address: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class DeathRecorded:
    account_ref: str
    hold_id: int | None
    live_mandates: int
    """Mandates still live or pending: the officer should see they stop."""
    message: str


class Deaths:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        account_id: int,
        died_on: date,
        notified_on: date,
        *,
        estate: EstateContact | None = None,
        probate_hold: bool = True,
        review_on: date | None = None,
    ) -> DeathRecorded:
        """Record the death, the estate's contact if known, and (by default) a probate hold.

        Raises:
            NotAllowed: the login may not work accounts.
            NotFound: no such account.
            BadInput: a death already recorded, dates out of order, or an estate contact
                who is not an executor or solicitor.
        """
        if notified_on < died_on:
            raise BadInput(
                f"the council cannot be told on {notified_on:%d/%m/%Y} of a death on "
                f"{died_on:%d/%m/%Y}"
            )
        if estate is not None and estate.role not in (
            RepresentativeRole.EXECUTOR,
            RepresentativeRole.SOLICITOR,
        ):
            raise BadInput(
                "the estate's letters go to an executor or administrator, or a solicitor"
            )
        if estate is not None and not (estate.name.strip() and estate.address.strip()):
            raise BadInput("give the estate contact's name and address")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.WORK_ACCOUNTS)
            account = get_account(session, account_id)
            if account.date_of_death is not None:
                raise BadInput(
                    f"{account.reference}: a death on {account.date_of_death:%d/%m/%Y} is "
                    "recorded already"
                )
            if account.date_of_birth is not None and died_on < account.date_of_birth:
                raise BadInput("the date of death is before the date of birth")
            before = {"status": account.status.value, "date_of_death": None}
            account.status = AccountStatus.DECEASED
            account.date_of_death = died_on
            if estate is not None:
                for rep in session.scalars(
                    select(Representative).where(Representative.account_id == account_id)
                ):
                    rep.receives_correspondence = False
                session.add(
                    Representative(
                        account_id=account_id,
                        name=estate.name.strip(),
                        role=estate.role,
                        address=estate.address.strip(),
                        phone=estate.phone.strip(),
                        email=estate.email.strip(),
                        receives_correspondence=True,
                    )
                )
            hold_id = None
            if probate_hold:
                hold = Hold(
                    account_id=account_id,
                    reason=HoldReason.PROBATE,
                    start_on=notified_on,
                    end_on=None,
                    review_on=review_on or notified_on + timedelta(days=PROBATE_REVIEW_DAYS),
                    note=f"Died {died_on:%d/%m/%Y}; waiting for the grant of probate",
                    set_by=self._db.actor,
                )
                session.add(hold)
                session.flush()
                hold_id = hold.id
            live = len(
                session.scalars(
                    select(Mandate.id).where(
                        Mandate.account_id == account_id,
                        Mandate.status.in_((MandateStatus.LIVE, MandateStatus.PENDING)),
                    )
                ).all()
            )
            audit.record(
                session,
                self._db.actor,
                "account.death",
                "account",
                account.reference,
                before,
                {
                    "status": AccountStatus.DECEASED.value,
                    "date_of_death": died_on,
                    "notified_on": notified_on,
                    "estate": estate.name if estate else None,
                    "probate_hold": hold_id,
                },
            )
            message = f"{account.reference}: death on {died_on:%d/%m/%Y} recorded"
            if hold_id:
                message += "; recovery waits for probate"
            if live:
                message += f"; {live} direct debit mandate(s) still live: the bank will stop them"
            return DeathRecorded(account.reference, hold_id, live, message)
