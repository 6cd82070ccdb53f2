"""Customer types, managed by a team leader: list them, add one, change one.

A type's code is how accounts, imports and the CLI name it, so it never changes once
added. Adding and changing need ``Permission.EDIT_POLICY``, are audited, and are
refused (``BadInput``, nothing written) when the domain's checks say so — above all,
Late Payment Act interest is never switched on for a type marked as one for individuals
(``domain.customer_types``). An interest run asks :func:`interest_bearing` which types
attract interest.

There is no version column on a type: the GUI sends only the fields a person changed, so
two team leaders changing different fields of one type do not undo each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from debtdesk.db.models import Account, CustomerType
from debtdesk.domain.customer_types import (
    change_refusal,
    name_problem,
    terms_problem,
    type_problems,
)
from debtdesk.domain.roles import Permission
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput, NotFound
from debtdesk.services.users import require


@dataclass(frozen=True)
class CustomerTypeView:
    id: int
    code: str
    name: str
    is_business: bool
    terms_days: int
    interest: bool
    """Late Payment Act interest is switched on."""
    accounts: int
    """How many accounts are of this type."""


def interest_bearing(session: Session) -> set[int]:
    """The ids of the customer types whose invoices attract Late Payment Act interest:
    those marked as businesses with interest switched on."""
    return set(
        session.scalars(
            select(CustomerType.id).where(
                CustomerType.late_payment_interest.is_(True), CustomerType.is_business.is_(True)
            )
        )
    )


def _accounts_of(session: Session, type_id: int) -> int:
    count = session.scalar(
        select(func.count()).select_from(Account).where(Account.customer_type_id == type_id)
    )
    return int(count or 0)


def _view(ctype: CustomerType, accounts: int) -> CustomerTypeView:
    return CustomerTypeView(
        ctype.id,
        ctype.code,
        ctype.name,
        ctype.is_business,
        ctype.payment_terms_days,
        ctype.late_payment_interest,
        accounts,
    )


def _fields(ctype: CustomerType) -> dict[str, Any]:
    """What the audit trail records of a type, before and after."""
    return {
        "name": ctype.name,
        "is_business": ctype.is_business,
        "payment_terms_days": ctype.payment_terms_days,
        "late_payment_interest": ctype.late_payment_interest,
    }


def _refuse(problems: Iterable[str | None]) -> None:
    """Refuse, naming every problem, if there is one."""
    found = [problem for problem in problems if problem]
    if found:
        raise BadInput("; ".join(found))


class CustomerTypes:
    """The customer types: everyone may read them; a team leader adds and changes them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[CustomerTypeView]:
        """Every type, by code, with how many accounts are of it."""
        with self._db.sessions() as session:
            count_of = select(Account.customer_type_id, func.count()).group_by(
                Account.customer_type_id
            )
            counts = {type_id: count for type_id, count in session.execute(count_of)}
            return [
                _view(ctype, counts.get(ctype.id, 0))
                for ctype in session.scalars(select(CustomerType).order_by(CustomerType.code))
            ]

    def add(
        self, code: str, name: str, is_business: bool, terms_days: int, interest: bool
    ) -> CustomerTypeView:
        """Add a customer type.

        Raises:
            NotAllowed: the login may not edit policy.
            BadInput: a code, name or terms that cannot be used, a code already taken, or
                interest switched on for a type for individuals.
        """
        code, name = code.strip(), name.strip()
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.EDIT_POLICY)
            _refuse(type_problems(code, name, is_business, terms_days, interest))
            taken = session.scalar(select(CustomerType).where(CustomerType.code == code))
            if taken is not None:
                raise BadInput(f"there is already a customer type {code} ({taken.name})")
            ctype = CustomerType(
                code=code,
                name=name,
                is_business=is_business,
                payment_terms_days=terms_days,
                late_payment_interest=interest,
            )
            session.add(ctype)
            after = _fields(ctype)
            try:
                session.flush()
            except IntegrityError:  # added by someone else a moment ago
                raise BadInput(f"there is already a customer type {code}") from None
            audit.record(
                session, self._db.actor, "customer_type.add", "customer_type", code, None, after
            )
            return _view(ctype, 0)

    def change(
        self,
        code: str,
        *,
        name: str | None = None,
        is_business: bool | None = None,
        terms_days: int | None = None,
        interest: bool | None = None,
    ) -> CustomerTypeView:
        """Change a customer type's name, kind, payment terms or interest (None: as it is).

        New terms apply to statements issued from now on; a due date already given stays.

        Raises:
            NotAllowed: the login may not edit policy.
            NotFound: no customer type has the code.
            BadInput: a name or terms that cannot be used, interest that would be on for
                a type for individuals, or nothing that differs from what is stored.
        """
        code = code.strip()
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.EDIT_POLICY)
            ctype = session.scalar(select(CustomerType).where(CustomerType.code == code))
            if ctype is None:
                raise NotFound(f"there is no customer type {code}")
            before = _fields(ctype)
            new_name = ctype.name if name is None else name.strip()
            new_business = ctype.is_business if is_business is None else is_business
            new_terms = ctype.payment_terms_days if terms_days is None else terms_days
            new_interest = ctype.late_payment_interest if interest is None else interest
            _refuse(
                [
                    name_problem(new_name),
                    terms_problem(new_terms),
                    change_refusal(
                        code,
                        ctype.is_business,
                        ctype.late_payment_interest,
                        new_business,
                        new_interest,
                    ),
                ]
            )
            after = {
                "name": new_name,
                "is_business": new_business,
                "payment_terms_days": new_terms,
                "late_payment_interest": new_interest,
            }
            if after == before:
                raise BadInput(f"nothing to change: {code} is already as asked")
            ctype.name, ctype.is_business = new_name, new_business
            ctype.payment_terms_days, ctype.late_payment_interest = new_terms, new_interest
            session.flush()
            audit.record(
                session,
                self._db.actor,
                "customer_type.change",
                "customer_type",
                code,
                before,
                after,
            )
            return _view(ctype, _accounts_of(session, ctype.id))
