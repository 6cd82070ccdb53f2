"""Small query pieces the services share: integer sums, long IN lists, index-proof columns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, cast, func

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
