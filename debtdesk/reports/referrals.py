"""The referral list workbook: every referral to agents, legal or the court, one a row,
with what came back, how long the open ones have been out, and the totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from debtdesk.reports.plain_table import Cell, write_table

if TYPE_CHECKING:  # reports take services' plain data; they never call services
    from debtdesk.services.referrals import ReferralLine

HEADERS = (
    "Account",
    "Client",
    "Kind",
    "Agency",
    "Reference",
    "Referred on",
    "Amount referred",
    "Returned on",
    "Outcome",
    "Recovered",
    "Days out",
)
_AMOUNT, _RECOVERED = 6, 9  # the money columns, 0-based
HEADER_ROW = 3


def write_referrals(lines: Sequence[ReferralLine], path: Path, as_of: date) -> Path:
    """Write the list (via a temporary file, so a failure leaves no half-written file).

    Row 1 is the title with ``as_of``; the header is row 3, frozen with the account
    column and filtered; a row a referral below it, then a totals row (outside the
    filter) of the amounts referred and recovered. Days out count to ``as_of`` for the
    open referrals and are blank for the returned ones.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Referrals"
    sheet["A1"] = f"Referrals as at {as_of:%d/%m/%Y}"
    sheet["A1"].font = Font(bold=True)
    rows: list[tuple[Cell, ...]] = [
        (
            line.account_ref,
            line.client_name,
            line.kind_name,
            line.agency,
            line.reference or None,
            line.referred_on,
            line.amount,
            line.returned_on,
            line.outcome or None,
            line.recovered,
            line.days_out(as_of),
        )
        for line in lines
    ]
    total = (
        "Total",
        f"{len(lines)} referral{'' if len(lines) == 1 else 's'}",
        None,
        None,
        None,
        None,
        sum(line.amount for line in lines),
        None,
        None,
        sum(line.recovered for line in lines),
        None,
    )
    write_table(
        sheet, HEADERS, [*rows, total], money_columns=(_AMOUNT, _RECOVERED), first_row=HEADER_ROW
    )
    last = HEADER_ROW + len(rows)
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(HEADERS))}{last}"
    bold = Font(bold=True)
    for column in range(1, len(HEADERS) + 1):
        sheet.cell(last + 1, column).font = bold
    part = path.with_name(path.name + ".part")
    try:
        book.save(part)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path
