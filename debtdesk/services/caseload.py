"""The caseload list: accounts matching a search and filters, sorted and paged in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from debtdesk.db.models import Account, CustomerType, User
from debtdesk.domain.caseload import BALANCE_BANDS, AccountStatus, UserRole
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput

SORT_KEYS = ("reference", "name", "postcode", "status", "officer", "customer_type", "balance")


@dataclass(frozen=True)
class CaseloadQuery:
    """What the officer asked to see: a search, filters and an order."""

    search: str = ""
    officer: str | None = None  # a username
    status: str | None = None
    band: str | None = None  # a key of domain.caseload.BALANCE_BANDS
    sort: str = "reference"
    descending: bool = False


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    id: int
    reference: str
    name: str
    postcode: str
    status: str
    officer: str
    customer_type: str
    balance: int


@dataclass(frozen=True)
class Officer:
    username: str
    display_name: str
    role: str


def _sort_column(key: str) -> Any:
    return {
        "reference": Account.reference,
        "name": Account.client_name,
        "postcode": Account.postcode,
        "status": Account.status,
        "officer": User.display_name,
        "customer_type": CustomerType.code,
        "balance": Account.balance,
    }[key]


def _filtered(statement: Select[Any], query: CaseloadQuery) -> Select[Any]:
    if query.sort not in SORT_KEYS:
        raise BadInput(f"cannot sort by {query.sort!r}; choose one of {', '.join(SORT_KEYS)}")
    text = query.search.strip().lower()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(Account.search_text.like(f"%{escaped}%", escape="\\"))
    if query.officer:
        statement = statement.where(User.username == query.officer)
    if query.status:
        if query.status not in {s.value for s in AccountStatus}:
            raise BadInput(f"unknown status {query.status!r}")
        statement = statement.where(Account.status == AccountStatus(query.status))
    if query.band:
        if query.band not in BALANCE_BANDS:
            raise BadInput(f"unknown balance band {query.band!r}")
        low, high = BALANCE_BANDS[query.band]
        if low is not None:
            statement = statement.where(Account.balance >= low)
        if high is not None:
            statement = statement.where(Account.balance <= high)
    return statement


def _base(columns: Any, query: CaseloadQuery) -> Select[Any]:
    statement = select(*columns).select_from(Account)
    if query.officer or query.sort == "officer":
        statement = statement.outerjoin(User, User.id == Account.officer_id)
    if query.sort == "customer_type":
        statement = statement.join(CustomerType, CustomerType.id == Account.customer_type_id)
    return _filtered(statement, query)


def count_accounts(session: Session, query: CaseloadQuery) -> int:
    """How many accounts match, whatever the order."""
    counting = CaseloadQuery(query.search, query.officer, query.status, query.band)
    # count(*), not count(id): SQLite answers an unfiltered count(*) from the b-tree itself.
    return session.scalar(_base([func.count()], counting)) or 0


def list_accounts(
    session: Session, query: CaseloadQuery, offset: int, limit: int
) -> list[CaseloadRow]:
    """One page of matching accounts in the asked order (ties broken by id, so pages are stable)."""
    ids = _base([Account.id], query)
    column = page_column = _sort_column(query.sort)
    if query.search.strip() and session.get_bind().dialect.name == "sqlite":
        # Filtering first and sorting the matches beats walking the sort column's index
        # and testing every row: a rare name costs one scan instead of 100,000 look-ups.
        # Unary plus stops SQLite using the index for the order.
        column = UnaryExpression(column, operator=operators.custom_op("+"))
    if query.descending:
        order, outer = [column.desc(), Account.id.desc()], [page_column.desc(), Account.id.desc()]
    else:
        order, outer = [column, Account.id], [page_column, Account.id]
    page_ids = ids.order_by(*order).offset(offset).limit(limit).subquery()
    statement = (
        select(
            Account.id,
            Account.reference,
            Account.client_name,
            Account.postcode,
            Account.status,
            func.coalesce(User.display_name, ""),
            CustomerType.code,
            Account.balance,
        )
        .join(page_ids, page_ids.c.id == Account.id)
        .join(CustomerType, CustomerType.id == Account.customer_type_id)
        .outerjoin(User, User.id == Account.officer_id)
        .order_by(*outer)
    )
    return [
        CaseloadRow(row[0], row[1], row[2], row[3], AccountStatus(row[4]).value, *row[5:])
        for row in session.execute(statement)
    ]


class Caseload:
    """The caseload list of one database, for the GUI's table model and the CLI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, query: CaseloadQuery) -> int:
        with self._db.sessions() as session:
            return count_accounts(session, query)

    def page(self, query: CaseloadQuery, offset: int, limit: int) -> list[CaseloadRow]:
        with self._db.sessions() as session:
            return list_accounts(session, query, offset, limit)

    def officers(self) -> list[Officer]:
        with self._db.sessions() as session:
            rows = session.execute(
                select(User.username, User.display_name, User.role)
                .where(User.active.is_(True))
                .order_by(User.display_name)
            )
            return [Officer(u, d, UserRole(r).value) for u, d, r in rows]
