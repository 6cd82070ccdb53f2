"""Small query pieces the services share: integer sums, long IN lists, index-proof columns,
and many rows inserted with their new ids."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar
from typing import cast as cast_type

from sqlalchemy import BigInteger, ColumnElement, Connection, Table, cast, func, insert, select

from debtdesk.db.models.base import Base

T = TypeVar("T")

IN_CHUNK = 500
"""Values per ``IN (…)`` list: well inside SQLite's and PostgreSQL's parameter limits."""


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices of ``size``, for queries with an ``IN`` list each."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def pence_sum(column: Any) -> ColumnElement[int]:
    """SUM as an integer, 0 when there is nothing to add: PostgreSQL widens a BIGINT sum
    to NUMERIC (a Decimal in Python), and SUM of no rows is NULL."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def unindexed(column: Any) -> ColumnElement[Any]:
    """The column as an expression no index can serve (``col + 0``, still NULL when NULL).

    SQLite, with no statistics, answers ``col IS NULL`` from the index on ``col`` and then
    scans most of the table; next to an ``account_id IN (…)`` the account index is the
    one to use.
    """
    expression: ColumnElement[Any] = column + 0
    return expression


def insert_ids(
    connection: Connection, model: type[Base], rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert ``rows`` into ``model``'s table (an integer ``id`` key); their ids, in order.

    PostgreSQL hands them back from one ``INSERT … RETURNING`` per thousand rows, in the
    rows' order. SQLite cannot order the rows RETURNING gives for a rowid key, so
    SQLAlchemy would insert them one statement per row; there the ids are taken up front,
    after the table's largest. SQLite has one writer: a transaction that has written holds
    the lock, and one that has only read cannot write once another has committed since
    (it gets "database is locked"), so no other transaction can take the same ids.
    """
    if not rows:
        return []
    table = cast_type(Table, model.__table__)
    key = table.c.id
    if connection.dialect.name != "sqlite":
        return list(
            connection.execute(
                insert(table).returning(key, sort_by_parameter_order=True), list(rows)
            ).scalars()
        )
    first = int(connection.execute(select(func.coalesce(func.max(key), 0))).scalar_one()) + 1
    ids = list(range(first, first + len(rows)))
    connection.execute(
        insert(table), [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)]
    )
    return ids
