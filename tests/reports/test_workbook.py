"""The report framework's workbooks, written from hand-made reports (no database) and read
back with openpyxl and with LibreOffice: typed and formatted cells, the header, the totals
formulas, the cover, text that never runs, sheet titles, cancel and failed writes.

The figures are worked out by hand: debts of £123.45, £1,000.50 and -£0.01 total
£1,123.94; £23.45 + £0.50 + £0.00 collected is £23.95, 2395 / 112394 of the debt.
"""

from __future__ import annotations

import gc
import tempfile
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from debtdesk.reports.report import Column, Kind, Provenance, Report, Sheet, Table, count, money
from debtdesk.reports.workbook import (
    ReportCancelled,
    needs_quote,
    safe_text,
    sheet_title,
    write_report,
)
from tests.reports import libreoffice

MADE = Provenance(
    run_by="a.officer", run_at=datetime(2026, 11, 24, 9, 30), database="caseload", version="1.2.3"
)
HYPERLINK = '=HYPERLINK("x")'
AWKWARD = [HYPERLINK, "+44 7700 900123", "-5", "@home", "#N/A", "=1+1", "#DIV/0!"]
PLAIN = ["Ann Smith", "5 - 3", "a@b.uk", "N/A"]

ACCOUNTS = Table(
    columns=(
        Column("Reference"),
        Column("Client"),
        Column("Oldest invoice", Kind.DATE),
        money("Debt"),
        money("Collected"),
        count("Invoices", total=True),
        Column("Collected share", Kind.PERCENT, ratio=("Collected", "Debt")),
    ),
    rows=[
        ("A-0001", "Ann Smith", date(2026, 1, 15), 12345, 2345, 3, Decimal("0.19")),
        ("A-0002", HYPERLINK, date(2026, 2, 28), 100050, 50, 1, Decimal("0.125")),
        ("A-0003", "+44 7700 900123", None, -1, 0, 2, None),
    ],
)
TWO_TABLES = Sheet(
    "Summary",
    (
        Table((Column("Officer"), money("Debt")), [("Jo", 500), ("Sam", 250)], "By officer"),
        Table((Column("Type"), money("Debt")), [("Person", 700), ("Firm", 55)], "By type"),
    ),
)
REPORT = Report(
    name="test",
    title="Test debts",
    about="Every account's debt, made up for the tests.",
    parameters=(("As at", date(2026, 11, 24)), ("Officer", "All")),
    sheets=(
        Sheet("Accounts", (ACCOUNTS,), about="one row an account", freeze_columns=1),
        TWO_TABLES,
        Sheet("Text", (Table((Column("Text"),), [(t,) for t in [*AWKWARD, *PLAIN]]),)),
        Sheet("Nothing", (Table((Column("Client"), money("Debt")), []),)),
    ),
)


def write(report: Report, path: Path, **kwargs: object) -> Path:
    return write_report(report, path, MADE, **kwargs)  # type: ignore[arg-type]


def big_report(rows: int) -> Report:
    table = Table((Column("Reference"), money("Debt")), [(f"A-{n:05d}", n) for n in range(rows)])
    return Report("big", "Big", "Many rows.", (), (Sheet("Rows", (table,)),))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(REPORT, tmp_path_factory.mktemp("book") / "test.xlsx")


@pytest.fixture(scope="module")
def read(book: Path) -> Workbook:
    return openpyxl.load_workbook(book)


def values(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_sheets_in_order_after_the_cover(read: Workbook) -> None:
    assert read.sheetnames == ["Cover", "Accounts", "Summary", "Text", "Nothing"]


def test_cells_are_typed_and_formatted(read: Workbook) -> None:
    sheet = read["Accounts"]
    first = sheet[2]
    assert first[0].value == "A-0001"
    assert first[2].value == datetime(2026, 1, 15)
    assert first[2].is_date and first[2].number_format == "dd/mm/yyyy"
    for cell in (first[3], first[4]):
        assert cell.data_type == "n"
        assert cell.number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    pence = [[r[3].value, r[4].value] for r in sheet.iter_rows(min_row=2, max_row=4)]
    assert [[Decimal(str(v)) for v in row] for row in pence] == [
        [Decimal("123.45"), Decimal("23.45")],
        [Decimal("1000.5"), Decimal("0.5")],
        [Decimal("-0.01"), Decimal("0")],
    ]
    assert first[5].value == 3 and first[5].number_format == "#,##0"
    assert first[6].value == pytest.approx(0.19) and first[6].number_format == "0.0%"
    assert sheet["C4"].value is None and sheet["G4"].value is None  # None: an empty cell


def test_header_is_bold_frozen_and_filtered(read: Workbook) -> None:
    sheet = read["Accounts"]
    assert [c.value for c in sheet[1]] == [
        "Reference", "Client", "Oldest invoice", "Debt", "Collected", "Invoices",
        "Collected share",
    ]  # fmt: skip
    assert all(c.font.b for c in sheet[1])
    assert not any(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "B2"  # the header, and the reference (freeze_columns=1)
    assert sheet.auto_filter.ref == "A1:G4"  # the header and rows, not the totals row


def test_totals_row_is_formulas(read: Workbook) -> None:
    sheet = read["Accounts"]
    assert sheet.max_row == 5
    totals = [c.value for c in sheet[5]]
    assert totals == [
        "Total",
        None,
        None,
        "=SUBTOTAL(109,D2:D4)",
        "=SUBTOTAL(109,E2:E4)",
        "=SUBTOTAL(109,F2:F4)",
        '=IF(D5=0,"",E5/D5)',
    ]
    assert all(c.font.b for c in sheet[5] if c.value is not None)
    assert sheet["D5"].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert sheet["G5"].number_format == "0.0%"


def test_column_widths(read: Workbook) -> None:
    widths = {k: v.width for k, v in read["Accounts"].column_dimensions.items()}
    # Text: the longest value + 2 ("+44 7700 900123" is 15) or the header + 2; the
    # others a width for their kind unless the header + 2 is wider.
    assert widths == {"A": 11, "B": 17, "C": 16, "D": 14, "E": 14, "F": 10, "G": 17}


def test_sheet_of_two_tables(read: Workbook) -> None:
    sheet = read["Summary"]
    assert values(sheet) == [
        ["By officer", None],
        ["Officer", "Debt"],
        ["Jo", 5],
        ["Sam", 2.5],
        ["Total", "=SUBTOTAL(109,B3:B4)"],
        [None, None],
        ["By type", None],
        ["Type", "Debt"],
        ["Person", 7],
        ["Firm", 0.55],
        ["Total", "=SUBTOTAL(109,B9:B10)"],
    ]
    assert sheet["A1"].font.b and sheet["A7"].font.b and sheet["A8"].font.b
    assert sheet.freeze_panes == "A3"  # under the first table's header, below its title
    assert sheet.auto_filter.ref == "A2:B4"


def test_cover(read: Workbook) -> None:
    cover = read["Cover"]
    assert cover["A1"].value == "Test debts" and cover["A1"].font.b
    assert cover["B2"].value == "Every account's debt, made up for the tests."
    labels = {row[0]: row[1] for row in values(cover) if row[0] is not None}
    assert labels["As at"] == datetime(2026, 11, 24)
    assert labels["Officer"] == "All"
    assert labels["Run at"] == datetime(2026, 11, 24, 9, 30)
    assert labels["Run by"] == "a.officer"
    assert labels["Database"] == "caseload"
    assert labels["debtdesk version"] == "1.2.3"
    assert labels["Accounts"] == "one row an account (3 rows)"
    assert labels["Summary"] == "4 rows"
    assert labels["Nothing"] == "0 rows"
    links = {c.value: c.hyperlink.location for row in cover.iter_rows() for c in row if c.hyperlink}
    assert links == {
        "Accounts": "'Accounts'!A1",
        "Summary": "'Summary'!A1",
        "Text": "'Text'!A1",
        "Nothing": "'Nothing'!A1",
    }
    assert all(  # each link is on its own cell, not all on A1
        c.hyperlink.ref == c.coordinate for row in cover.iter_rows() for c in row if c.hyperlink
    )


def test_text_that_looks_like_a_formula_stays_text(read: Workbook) -> None:
    sheet = read["Text"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [*AWKWARD, *PLAIN]
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True] * len(AWKWARD) + [False] * len(PLAIN)
    client = read["Accounts"]["B3"]
    assert (client.value, client.data_type, client.quotePrefix) == (HYPERLINK, "s", True)


def test_table_with_no_rows_has_no_totals_row(read: Workbook) -> None:
    sheet = read["Nothing"]
    assert values(sheet) == [["Client", "Debt"]]
    assert sheet.auto_filter.ref == "A1:B1"


def test_libreoffice_opens_it_and_computes_the_totals(book: Path) -> None:
    sheets = libreoffice.convert_sheets(book)
    assert list(sheets) == ["Cover", "Accounts", "Summary", "Text", "Nothing"]
    accounts = sheets["Accounts"]
    assert accounts[1:4] == [
        ["A-0001", "Ann Smith", "15/01/2026", "123.45", "23.45", "3", "19%"],
        ["A-0002", HYPERLINK, "28/02/2026", "1000.5", "0.5", "1", "12.5%"],
        ["A-0003", "+44 7700 900123", "", "-0.01", "0", "2", ""],
    ]
    total = accounts[4]
    assert total[:6] == ["Total", "", "", "1123.94", "23.95", "6"]
    share = Decimal(total[6].removesuffix("%")) / 100
    assert share.quantize(Decimal("1e-12")) == (Decimal(2395) / 112394).quantize(Decimal("1e-12"))
    summary = sheets["Summary"]
    assert summary[4] == ["Total", "7.5"] and summary[10] == ["Total", "7.55"]
    assert [row[0] for row in sheets["Text"][1:]] == [*AWKWARD, *PLAIN]
    assert sheets["Nothing"] == [["Client", "Debt"]]
    cover = {row[0]: row[1] for row in sheets["Cover"] if row[0]}
    assert cover["As at"] == "24/11/2026" and cover["Run by"] == "a.officer"


def test_libreoffice_refuses_what_is_not_a_workbook(tmp_path: Path) -> None:
    """The check is real: a file LibreOffice cannot load fails it."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(AssertionError, match="could not be loaded"):
        libreoffice.convert_sheets(bad)


def test_control_characters_are_replaced(tmp_path: Path) -> None:
    table = Table((Column("Client"),), [("bell\x07ring\x00end",), ("tab\tand\nline",)])
    path = write(Report("t", "Ti\x1btle", "", (), (Sheet("S", (table,)),)), tmp_path / "c.xlsx")
    read = openpyxl.load_workbook(path)
    assert [c.value for c in read["S"]["A"]][1:] == ["bell\ufffdring\ufffdend", "tab\tand\nline"]
    assert read["Cover"]["A1"].value == "Ti\ufffdtle"
    assert safe_text("a\x0bb\x1fc") == "a\ufffdb\ufffdc"


def test_sheet_titles_are_made_valid_and_unique(tmp_path: Path) -> None:
    table = Table((Column("A"),), [("x",)])
    titles = ["Debt: by officer/type", "Debt: by officer/type", "cover", "x" * 40, "x" * 40, "?*"]
    report = Report("t", "T", "", (), tuple(Sheet(t, (table,)) for t in titles))
    read = openpyxl.load_workbook(write(report, tmp_path / "t.xlsx"))
    assert read.sheetnames == [
        "Cover",
        "Debt by officer type",
        "Debt by officer type (2)",
        "cover (2)",
        "x" * 31,
        "x" * 27 + " (2)",
        "Sheet",
    ]
    assert sheet_title("[a]") == "a"


def test_needs_quote() -> None:
    assert all(needs_quote(t) for t in AWKWARD)
    assert not any(needs_quote(t) for t in PLAIN)


def test_progress_is_reported_and_ends_at_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write(big_report(4500), tmp_path / "big.xlsx", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2000, 4500), (4000, 4500), (4500, 4500)]
    assert openpyxl.load_workbook(tmp_path / "big.xlsx")["Rows"].max_row == 4502


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ReportCancelled):
        write(big_report(2500), tmp_path / "big.xlsx", cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_cancel_of_a_short_report_leaves_no_file(tmp_path: Path) -> None:
    """Fewer rows than a progress tick: the cancel is still honoured before the save."""
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ReportCancelled):
        write(REPORT, tmp_path / "short.xlsx", cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_an_existing_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"last month's")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ReportCancelled):
        write(big_report(2500), path, cancel=cancel)
    assert path.read_bytes() == b"last month's"
    assert list(tmp_path.iterdir()) == [path]


def test_failed_save_leaves_an_existing_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"last month's")

    def half_then_fail(self: Workbook, filename: Path) -> None:
        Path(filename).write_bytes(b"half a work")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write(REPORT, path)
    assert path.read_bytes() == b"last month's"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("value", [123.45, 1.0, Decimal("123.45")])
def test_money_must_be_pence(tmp_path: Path, value: object) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"last month's")
    table = Table((money("Debt"),), [(100,), (value,)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="money"):
        write(Report("t", "T", "", (), (Sheet("S", (table,)),)), path)
    assert path.read_bytes() == b"last month's"
    assert list(tmp_path.iterdir()) == [path]


def test_yes_no_is_not_a_count(tmp_path: Path) -> None:
    table = Table((count("Held"),), [(True,)])
    with pytest.raises(TypeError, match="yes/no"):
        write(Report("t", "T", "", (), (Sheet("S", (table,)),)), tmp_path / "r.xlsx")


def test_a_stopped_write_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl writes each write-only sheet to a temporary file first: a cancelled or failed
    report removes them (they would otherwise stay until the program ends, and their
    half-written XML complain on stderr when collected)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ReportCancelled):
        write(big_report(2500), tmp_path / "big.xlsx", cancel=cancel)
    table = Table((money("Debt"),), [(100,), (1.5,)])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        write(Report("t", "T", "", (), (Sheet("S", (table,)),)), tmp_path / "r.xlsx")
    gc.collect()
    assert list(temporary.iterdir()) == []
    write(REPORT, tmp_path / "whole.xlsx")
    assert list(temporary.iterdir()) == []  # (as after a whole write)


def test_it_prints_on_a4_one_page_wide_with_the_header_on_every_page(read: Workbook) -> None:
    # Accounts has 7 columns: landscape; Summary's second table's title is row 1, so its
    # header is row 2; the cover is portrait, its about row tall enough for its one line.
    for name, orientation, titles in (
        ("Accounts", "landscape", "$1:$1"),
        ("Summary", "portrait", "$2:$2"),
        ("Cover", "portrait", None),
    ):
        sheet = read[name]
        assert int(sheet.page_setup.paperSize) == 9  # A4 in SpreadsheetML
        assert sheet.page_setup.orientation == orientation
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == titles
    assert read["Cover"].row_dimensions[2].height == 15
