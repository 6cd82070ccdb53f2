"""The old plain-table helper of the reconciliation and referral workbooks (until they move to
reports.workbook's Report)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

POUNDS = '"£"#,##0.00;-"£"#,##0.00'
DATE = "dd/mm/yyyy"
_FORMULA_START = ("=", "+", "-", "@")

Cell = str | int | float | date | None


def pounds(pence: int) -> float:
    """Pence as the pounds a money cell holds (the cell's format shows two decimals)."""
    return pence / 100


def write_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    money_columns: Sequence[int] = (),
    *,
    first_row: int = 1,
) -> int:
    """A header and rows from ``first_row``; money columns (0-based) hold pence ints.

    Returns the next free row.
    """
    bold = Font(bold=True)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(first_row, column, header)
        cell.font = bold
    row_number = first_row
    for row_number, row in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(row, start=1):
            if (column - 1) in money_columns and isinstance(value, int):
                cell = sheet.cell(row_number, column, pounds(value))
                cell.number_format = POUNDS
            elif isinstance(value, str):
                # Text, never a formula: a string cell, and Excel's quote prefix on text
                # that starts like one (shown as typed, not run, even when edited).
                cell = sheet.cell(row_number, column, value)
                cell.data_type = "s"
                if value.startswith(_FORMULA_START):
                    cell.quotePrefix = True
            else:
                cell = sheet.cell(row_number, column, value)
                if isinstance(value, date):
                    cell.number_format = DATE
    for column, header in enumerate(headers, start=1):
        width = max([len(header)] + [len(str(r[column - 1])) for r in rows if column - 1 < len(r)])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 4)
    return row_number + 1
