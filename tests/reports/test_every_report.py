"""Every report in the catalogue, on the shared demo caseload: a workbook that reads back with
the framework's shape (cover, bold frozen filtered header, typed money, totals formulas),
that LibreOffice opens and converts without complaint, and whose content "as at" a date
does not move when money, charges and recovery dated after it are posted.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from debtdesk.domain.periods import last_complete_period
from debtdesk.reports.report import Kind, Report
from debtdesk.reports.workbook import POUNDS
from debtdesk.services.bank_import import BankImports
from debtdesk.services.database import Database
from debtdesk.services.recovery_run import RecoveryRuns
from debtdesk.services.reporting.catalogue import CATALOGUE
from debtdesk.services.reporting.runs import Reports
from debtdesk.services.statement_run import StatementRuns
from tests.reports.libreoffice import convert_sheets
from tests.services.support import DEMO_AS_OF, demo, demo_source  # noqa: F401  (fixtures)

AS_OF = DEMO_AS_OF  # 23/11/2026, the demo's last day
NAMES = [spec.name for spec in CATALOGUE]


def _header_row(report: Report, sheet_index: int) -> int:
    return 2 if report.sheets[sheet_index].tables[0].title else 1


@pytest.mark.parametrize("name", NAMES)
def test_the_workbook_has_the_framework_shape_and_libreoffice_converts_it(
    demo: Database,  # noqa: F811
    tmp_path: Path,
    name: str,
) -> None:
    report, path = Reports(demo).write(name, tmp_path / f"{name}.xlsx", AS_OF)
    assert path == tmp_path / f"{name}.xlsx"
    assert not list(tmp_path.glob("*.part"))
    book = openpyxl.load_workbook(path)
    cover = book.worksheets[0]
    assert cover.title == "Cover"
    assert cover["A1"].value == report.title
    labels = {row[0].value: row[1].value for row in cover.iter_rows(min_row=2) if row[0].value}
    assert labels["Run by"] == "tester"
    assert labels["debtdesk version"]
    assert [s.title for s in book.worksheets[1:]] == [s.title for s in report.sheets]
    for index, (sheet, ws) in enumerate(zip(report.sheets, book.worksheets[1:], strict=True)):
        header = _header_row(report, index)
        first = sheet.tables[0]
        assert ws.freeze_panes == f"{get_column_letter(sheet.freeze_columns + 1)}{header + 1}"
        last_column = get_column_letter(len(first.columns))
        assert ws.auto_filter.ref == f"A{header}:{last_column}{header + len(first.rows)}"
        cells = list(ws.iter_rows(min_row=header, max_row=header))[0]
        assert [c.value for c in cells] == [c.header for c in first.columns]
        assert all(c.font.b for c in cells)
        if first.rows:
            data = list(ws.iter_rows(min_row=header + 1, max_row=header + len(first.rows)))
            for column, col in enumerate(first.columns):
                for row, values in zip(data, first.rows, strict=True):
                    if values[column] in (None, ""):  # an empty cell
                        assert row[column].value is None
                        continue
                    if col.kind is Kind.MONEY:
                        assert row[column].number_format == POUNDS
                        assert round(row[column].value * 100) == values[column]
                    elif col.kind is Kind.TEXT:
                        assert row[column].value == values[column]
            if first.has_totals:
                totals = list(ws.iter_rows(min_row=header + len(first.rows) + 1))[0]
                assert totals[0].value == "Total"
                for column, col in enumerate(first.columns):
                    if col.total:
                        letter = get_column_letter(column + 1)
                        assert totals[column].value == (
                            f"=SUBTOTAL(109,{letter}{header + 1}:"
                            f"{letter}{header + len(first.rows)})"
                        )
    sheets = convert_sheets(path, tmp_path / "lo")
    assert set(sheets) == {"Cover", *(s.title for s in report.sheets)}


def _bank_statement(path: Path, day: date, reference: str) -> Path:
    path.write_text(
        "date,amount,reference,payer,bank_reference\n"
        f"{day:%d/%m/%Y},250.00,{reference},A Payer,LATE0001\n"
        f"{day:%d/%m/%Y},75.00,NO SUCH ACCOUNT,Somebody,LATE0002\n",
        encoding="utf-8",
    )
    return path


def test_nothing_dated_after_the_as_at_date_changes_any_report(
    demo: Database,  # noqa: F811
    tmp_path: Path,
) -> None:
    reports = Reports(demo)
    before = {name: reports.build(name, AS_OF) for name in NAMES}
    aged = before["aged-debt"].sheets[0].tables[0].rows
    in_debt = next(row[0] for row in aged if isinstance(row[0], str))
    # The next statement run (its charges dated the day after its period), a bank
    # statement the day after the as-at date (a payment and a receipt for suspense), and
    # a recovery run a fortnight on: none of it is effective by AS_OF.
    period_end = last_complete_period(AS_OF).end + timedelta(days=28)
    StatementRuns(demo).run(period_end, tmp_path / "statements")
    BankImports(demo).apply(
        _bank_statement(tmp_path / "late.csv", AS_OF + timedelta(1), in_debt), "generic"
    )
    RecoveryRuns(demo).run(period_end + timedelta(days=14), tmp_path / "recovery")
    after = {name: reports.build(name, AS_OF) for name in NAMES}
    for name in NAMES:
        assert after[name].sheets == before[name].sheets, name
        assert after[name].summary == before[name].summary, name
