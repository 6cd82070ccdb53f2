"""What a report is, before it is a workbook: its title, parameters and sheets of typed columns.

Services build a :class:`Report` from the database; :mod:`debtdesk.reports.workbook` writes
it. Nothing here knows openpyxl or the database, so a report's content can be tested as
plain data and its workbook as a file.

A cell's value follows its column's :class:`Kind`: ``MONEY`` holds integer pence,
``DATE`` a ``date``, ``COUNT`` an ``int``, ``PERCENT`` a ``Decimal`` fraction (0.5 is 50%)
or ``None``, ``TEXT`` a ``str``. ``None`` is an empty cell in any column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a column's cells are typed and formatted."""

    TEXT = "text"
    MONEY = "money"  # integer pence, written as pounds with a £ format
    DATE = "date"
    COUNT = "count"  # a whole number: accounts, days, items
    PERCENT = "percent"  # a Decimal fraction, shown as a percentage


Value = str | int | date | Decimal | None


@dataclass(frozen=True)
class Column:
    """A column: its header, kind, and what its cell in the totals row holds.

    Args:
        header: the header text (also how ``ratio`` names other columns).
        kind: how the cells are typed and formatted.
        total: the totals row sums the column (a ``SUBTOTAL`` formula, so a filter
            narrows it). MONEY and COUNT columns only.
        ratio: for a PERCENT column, ``(numerator header, denominator header)``: the
            totals row divides those columns' totals (blank when the denominator is 0).
        width: the column's width in characters; by default worked out from the header
            and the values.
    """

    header: str
    kind: Kind = Kind.TEXT
    total: bool = False
    ratio: tuple[str, str] | None = None
    width: int | None = None


def money(header: str, *, total: bool = True) -> Column:
    """A money column, totalled by default."""
    return Column(header, Kind.MONEY, total=total)


def count(header: str, *, total: bool = False) -> Column:
    return Column(header, Kind.COUNT, total=total)


@dataclass(frozen=True)
class Table:
    """A header row, the rows under it, and a totals row when any column has a total.

    ``title`` is a bold caption above the header (a sheet with more than one table).
    """

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Value]]
    title: str = ""

    @property
    def has_totals(self) -> bool:
        return any(c.total or c.ratio for c in self.columns)


@dataclass(frozen=True)
class Sheet:
    """A worksheet of one or more tables, a blank row between them.

    The first table's header row is frozen and carries the auto-filter; ``freeze_columns``
    columns (the row's identity, say the account reference) stay in view as well.
    """

    title: str
    tables: tuple[Table, ...]
    about: str = ""  # one line for the cover's list of sheets
    freeze_columns: int = 0

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


@dataclass(frozen=True)
class Report:
    """A whole report: what the cover sheet says, the sheets, and its figures for the CLI.

    Args:
        name: the report's command-line name (``aged-debt``).
        title: its title on the cover and in the GUI.
        about: a paragraph on the cover saying what the report is and how it counts.
        parameters: ``(label, value)`` pairs for the cover: the as-at date, the period.
        sheets: the data.
        summary: the figures ``report NAME --json`` prints (money as JSON pound strings).
        text: the line ``report NAME`` prints.
    """

    name: str
    title: str
    about: str
    parameters: tuple[tuple[str, Value], ...]
    sheets: tuple[Sheet, ...]
    summary: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""

    @property
    def row_count(self) -> int:
        return sum(s.row_count for s in self.sheets)


@dataclass(frozen=True)
class Provenance:
    """Who ran the report, when, on which database, with which build: the cover's footer."""

    run_by: str
    run_at: datetime  # local time, as the officer reads it
    database: str
    version: str
