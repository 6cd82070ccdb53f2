"""Writing a :class:`~debtdesk.reports.report.Report` as an Excel workbook that opens cleanly
in Excel and LibreOffice (DESIGN.md "Documents and reports").

Every workbook has a cover sheet (the title, what the report is, its parameters, who ran
it and when, the sheets), then the report's sheets. Each table has a bold header row,
frozen and filtered on the sheet's first table, typed cells (money as pounds with a £
format, dates as dates, percentages), column widths from the data, and a totals row of
``SUBTOTAL`` formulas, so a filtered list totals what is shown.

Text is always text: a value starting ``=``, ``+``, ``-`` or ``@`` (or spelling an Excel
error such as ``#N/A``) is written as a string cell with Excel's quote prefix, so it
shows as typed and never runs, even after the cell is edited. Characters a workbook
cannot hold (control characters) are replaced with U+FFFD rather than refused.

Sheets are written in openpyxl's write-only mode, row by row, so a 100,000-row report
needs little memory. The file appears whole or not at all: it is written beside the
target as ``NAME.part`` and renamed over it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from debtdesk.reports.report import Column, Kind, Provenance, Report, Sheet, Table, Value

POUNDS = '"£"#,##0.00;[Red]-"£"#,##0.00'
DATE = "dd/mm/yyyy"
DATE_TIME = "dd/mm/yyyy hh:mm"
PERCENT = "0.0%"
COUNT = "#,##0"
_FORMATS = {Kind.MONEY: POUNDS, Kind.DATE: DATE, Kind.PERCENT: PERCENT, Kind.COUNT: COUNT}
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = {Kind.MONEY: 14, Kind.DATE: 12, Kind.PERCENT: 10, Kind.COUNT: 10}
_MAX_WIDTH = 50
_COVER_TEXT_WIDTH = 90
_MIN_WIDTH = 8  # "Total" in a totals row's first cell
_WIDTH_SAMPLE = 2000  # rows looked at for a text column's width
_PROGRESS_EVERY = 2000
_LETTERS = [get_column_letter(i) for i in range(1, 703)]  # A … ZZ
_PRESERVE = ' xml:space="preserve"'
_SHEET_TITLE_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})

Progress = Callable[[int, int], None]
"""``progress(rows written, rows in all)``."""


class ReportCancelled(Exception):
    """The report was cancelled while it was being written; no file was left."""


def pounds(pence: int) -> Decimal:
    """Pence as the exact pounds a money cell holds (its format shows two decimals)."""
    return Decimal(pence).scaleb(-2)


def safe_text(value: str) -> str:
    """``value`` with the characters a workbook cannot hold replaced by U+FFFD."""
    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))


def needs_quote(value: str) -> bool:
    """Whether a spreadsheet would take this text for a formula or an error value."""
    return value.startswith(_FORMULA_START) or value in ERROR_CODES


def sheet_title(title: str) -> str:
    """A title Excel accepts: none of ``[]:*?/\\``, at most 31 characters."""
    return " ".join(title.translate(_SHEET_TITLE_BAD).split())[:31] or "Sheet"


def _array(cell: Cell) -> StyleArray:
    """A copy of the cell's style (openpyxl leaves it None until a style is set)."""
    return StyleArray(cell._style) if cell._style is not None else StyleArray()


class _Styles:
    """One style template a kind (and bold, and quoted text), made once a workbook.

    A cell copies its template's style array: the same result as setting
    ``number_format`` and ``font`` on each cell, without looking the style up each time.
    """

    def __init__(self, book: Workbook) -> None:
        sheet = book.create_sheet("_styles")
        self._cells: dict[tuple[Kind | str, bool], StyleArray] = {}
        for kind in Kind:
            for bold in (False, True):
                cell = Cell(sheet)
                if kind in _FORMATS:
                    cell.number_format = _FORMATS[kind]
                if bold:
                    cell.font = Font(bold=True)
                self._cells[(kind, bold)] = _array(cell)
        for name, fmt in (("quoted", None), ("datetime", DATE_TIME), ("title", None)):
            cell = Cell(sheet)
            if fmt:
                cell.number_format = fmt
            if name == "quoted":
                cell.quotePrefix = True
            if name == "title":
                cell.font = Font(bold=True, size=14)
            self._cells[(name, False)] = _array(cell)
        quoted_bold = Cell(sheet)
        quoted_bold.quotePrefix, quoted_bold.font = True, Font(bold=True)
        self._cells[("quoted", True)] = _array(quoted_bold)
        wrap = Cell(sheet)
        wrap.alignment = Alignment(wrap_text=True, vertical="top")
        self._cells[("wrap", False)] = _array(wrap)
        book.remove(sheet)
        # The workbook's style id of each plain template, for rows written as XML.
        self.ids: dict[Kind | str, int] = {
            key: book._cell_styles.add(self._cells[(key, False)]) for key in (*Kind, "quoted")
        }

    def __call__(self, kind: Kind | str, bold: bool = False) -> StyleArray:
        return self._cells[(kind, bold)]


def _width(column: Column, rows: Sequence[Sequence[Value]], index: int) -> int:
    if column.width:
        return column.width
    header = max(len(column.header) + 2, _MIN_WIDTH)
    if column.kind in _WIDTHS:
        return max(header, _WIDTHS[column.kind])
    longest = max((len(str(r[index])) for r in rows[:_WIDTH_SAMPLE] if r[index]), default=0)
    return min(_MAX_WIDTH, max(header, longest + 2))


def _placed(cells: Sequence[Cell | None], row: int) -> Iterator[Cell]:
    """The row's cells given their places: what openpyxl's ``_values_to_row`` does for a
    row of cells, without first trying each cell as a value (an exception and a repr a
    cell, a third of the time a big sheet takes)."""
    for column, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column, cell.row = column, row
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        yield cell


def _typed(value: Value, kind: Kind) -> tuple[str, str | int | Decimal | date] | None:
    """``(data type, content)`` of a value in a column of ``kind``; None for an empty cell
    (a workbook keeps no empty text). The data type is openpyxl's ("s", "n", "d"), or "q"
    for text a spreadsheet would take for a formula or an error: a string with the quote
    prefix.

    Raises:
        TypeError: the value does not fit the kind (a float or a bool is never a number
            here; money is pence).
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = safe_text(value)
        return ("q" if needs_quote(text) else "s"), text
    if kind is Kind.MONEY:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"a money cell holds pence (an int), not {value!r}")
        return "n", pounds(value)
    if isinstance(value, date):  # a datetime is a date too
        if kind is not Kind.DATE:
            raise TypeError(f"a date in a {kind} column: {value!r}")
        return "d", value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"a {kind} cell cannot hold {value!r} (yes/no is text)")
    return "n", value


class _RowXml(str):
    """A row already written as SpreadsheetML (``<row>…</row>``), appended as it is."""


class _SheetWriter:
    """Rows into one write-only sheet, each value typed by its column.

    Rows of cells go through openpyxl; rows of data (:meth:`row_xml`) are text that lxml
    parses and writes in one step, once :meth:`start` has made the sheet's writer.
    """

    def __init__(self, sheet: Any, styles: _Styles) -> None:
        self.sheet, self.styles, self.row = sheet, styles, 0
        sheet._values_to_row = self._to_row
        self.ids = styles.ids

    @staticmethod
    def _to_row(values: Sequence[Any], number: int) -> Any:
        """What the sheet's writer is handed for an appended row (openpyxl's hook)."""
        if len(values) == 1 and isinstance(values[0], _RowXml):
            return values[0]
        return _placed(values, number)

    def start(self) -> None:
        """Write the sheet's top (widths, frozen panes: set them first) and take over the
        writing of XML rows."""
        self.sheet._get_writer()
        writer = self.sheet._writer
        write_cells = writer.write_row

        def write_row(xf: Any, row: Any, number: int) -> None:
            if isinstance(row, _RowXml):
                xf.write(etree.fromstring(row))
            else:
                write_cells(xf, row, number)

        writer.write_row = write_row

    def cell(self, value: Value, kind: Kind, bold: bool = False) -> Cell | None:
        """A cell for ``value`` in a column of ``kind``; None for an empty one.

        Raises:
            TypeError: as :func:`_typed`.
        """
        typed = _typed(value, kind)
        if typed is None:
            return None
        data_type, content = typed
        if data_type == "q":
            cell = Cell(self.sheet, 1, 1, style_array=self.styles("quoted", bold))
            data_type = "s"
        elif data_type == "s" and not bold:
            cell = Cell(self.sheet, 1, 1)
        else:
            cell = Cell(self.sheet, 1, 1, style_array=self.styles(kind, bold))
        cell._value, cell.data_type = content, data_type
        return cell

    def row_xml(self, values: Sequence[Value], kinds: Sequence[Kind]) -> _RowXml:
        """The next row as SpreadsheetML text: the same cells :meth:`cell` makes, without
        an openpyxl cell each (which is most of the time a big sheet takes)."""
        number = self.row + 1
        ids = self.ids
        parts = [f'<row r="{number}">']
        for index, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            letter = _LETTERS[index]
            typed = _typed(value, kind)
            if typed is None:
                continue
            data_type, content = typed
            if data_type in ("s", "q"):
                assert isinstance(content, str)
                style = f' s="{ids["quoted"]}"' if data_type == "q" else ""
                space = _PRESERVE if content != content.strip() else ""
                parts.append(
                    f'<c r="{letter}{number}"{style} t="inlineStr">'
                    f"<is><t{space}>{escape(content)}</t></is></c>"
                )
            else:
                if data_type == "d":
                    assert isinstance(content, date)
                    number_text = str(to_excel(content))
                elif isinstance(content, Decimal):
                    number_text = format(content, "f")
                else:
                    number_text = str(content)
                parts.append(f'<c r="{letter}{number}" s="{ids[kind]}"><v>{number_text}</v></c>')
        parts.append("</row>")
        return _RowXml("".join(parts))

    def append(self, cells: Sequence[Cell | None]) -> None:
        self.sheet.append(list(cells))
        self.row += 1

    def blank(self) -> None:
        self.append([])


def _write_sheet(writer: _SheetWriter, sheet: Sheet, tick: Callable[[], None]) -> None:
    """The sheet's tables; the widths, frozen header and filter are set before any row."""
    ws = writer.sheet
    first = sheet.tables[0]
    widths: dict[int, int] = {}
    for table in sheet.tables:
        for index, column in enumerate(table.columns):
            widths[index] = max(widths.get(index, 0), _width(column, table.rows, index))
    for index, width in widths.items():
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    header_row = 2 if first.title else 1
    ws.freeze_panes = f"{get_column_letter(sheet.freeze_columns + 1)}{header_row + 1}"
    last_column = get_column_letter(len(first.columns))
    ws.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(first.rows)}"
    _print_setup(ws, landscape=len(widths) > 6)
    ws.print_title_rows = f"{header_row}:{header_row}"  # the header on every printed page
    writer.start()
    for number, table in enumerate(sheet.tables):
        if number:
            writer.blank()
        _write_table(writer, table, tick)


def _print_setup(ws: Any, *, landscape: bool) -> None:
    """Printed on A4, as wide as one page, as many pages down as it takes."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_table(writer: _SheetWriter, table: Table, tick: Callable[[], None]) -> None:
    if table.title:
        writer.append([writer.cell(table.title, Kind.TEXT, bold=True)])
    writer.append([writer.cell(c.header, Kind.TEXT, bold=True) for c in table.columns])
    first_data = writer.row + 1
    kinds = [c.kind for c in table.columns]
    row_xml, append = writer.row_xml, writer.append
    for row in table.rows:
        append([row_xml(row, kinds)])
        tick()
    if table.has_totals and table.rows:
        writer.append(_totals(writer, table, first_data))


def _totals(writer: _SheetWriter, table: Table, first: int) -> list[Cell | None]:
    """``Total`` and a SUBTOTAL(109, …) a totalled column; a ratio of two totals."""
    row = first + len(table.rows)
    last = row - 1
    letters = {c.header: get_column_letter(i + 1) for i, c in enumerate(table.columns)}
    cells: list[Cell | None] = []
    for index, column in enumerate(table.columns):
        letter = get_column_letter(index + 1)
        formula: str | None = None
        if column.total:
            formula = f"=SUBTOTAL(109,{letter}{first}:{letter}{last})"
        elif column.ratio:
            top, bottom = (f"{letters[h]}{row}" for h in column.ratio)
            formula = f'=IF({bottom}=0,"",{top}/{bottom})'
        if formula is not None:
            cell = Cell(writer.sheet, 1, 1, style_array=writer.styles(column.kind, True))
            cell._value, cell.data_type = formula, "f"
            cells.append(cell)
        elif index == 0:
            cells.append(writer.cell("Total", Kind.TEXT, bold=True))
        else:
            cells.append(None)
    return cells


def _write_cover(writer: _SheetWriter, report: Report, made: Provenance, titles: list[str]) -> None:
    ws, cell = writer.sheet, writer.cell
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = _COVER_TEXT_WIDTH
    # Wrapped text is not measured by every reader: the about row is given its lines.
    lines = sum(1 + len(part) // _COVER_TEXT_WIDTH for part in report.about.splitlines() or [""])
    ws.row_dimensions[2].height = 15 * lines
    _print_setup(ws, landscape=False)
    title = Cell(ws, 1, 1, style_array=writer.styles("title"))
    title._value, title.data_type = safe_text(report.title), "s"
    writer.append([title])
    about = Cell(ws, 1, 1, style_array=writer.styles("wrap"))
    about._value, about.data_type = safe_text(report.about), "s"
    writer.append([None, about])
    writer.blank()
    writer.append([cell("Parameters", Kind.TEXT, bold=True)])
    for label, value in report.parameters:
        kind = Kind.DATE if isinstance(value, date) else Kind.TEXT
        shown = cell(value, kind)
        if shown is not None and kind is Kind.DATE:
            shown.alignment = Alignment(horizontal="left")  # under the text beside it
        writer.append([cell(label, Kind.TEXT), shown])
    writer.blank()
    run_at = Cell(ws, 1, 1, value=made.run_at, style_array=writer.styles("datetime"))
    run_at.alignment = Alignment(horizontal="left")
    writer.append([cell("Run at", Kind.TEXT), run_at])
    writer.append([cell("Run by", Kind.TEXT), cell(made.run_by, Kind.TEXT)])
    writer.append([cell("Database", Kind.TEXT), cell(made.database, Kind.TEXT)])
    writer.append([cell("debtdesk version", Kind.TEXT), cell(made.version, Kind.TEXT)])
    writer.blank()
    writer.append([cell("Sheets", Kind.TEXT, bold=True)])
    for title_text, sheet in zip(titles, report.sheets, strict=True):
        rows = f"{sheet.row_count:,} row{'' if sheet.row_count == 1 else 's'}"
        about_text = f"{sheet.about} ({rows})" if sheet.about else rows
        link = cell(title_text, Kind.TEXT)
        if link is not None:
            link.hyperlink = Hyperlink(ref="A1", location=f"{quote_sheetname(title_text)}!A1")
        writer.append([link, cell(about_text, Kind.TEXT)])


def _titles(report: Report) -> list[str]:
    """Each sheet's title made valid and unique (a number added on a clash)."""
    seen = {"cover"}
    titles = []
    for sheet in report.sheets:
        base = sheet_title(sheet.title)
        title, n = base, 2
        while title.lower() in seen:
            suffix = f" ({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        seen.add(title.lower())
        titles.append(title)
    return titles


def _discard(book: Workbook) -> None:
    """Close a book's half-written sheets and remove the temporary files openpyxl wrote
    them to (saving would have; left, they stay until the program ends)."""
    for ws in book.worksheets:
        writer = ws._writer
        if writer is not None and not ws.closed:
            ws.close()
            Path(writer.out).unlink(missing_ok=True)


def write_report(
    report: Report,
    path: Path,
    made: Provenance,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write ``report`` to ``path``: whole, or (on an error or cancel) not at all.

    Raises:
        ReportCancelled: ``cancel`` was set while the rows were written.
    """
    book = Workbook(write_only=True)
    styles = _Styles(book)
    titles = _titles(report)
    _write_cover(_SheetWriter(book.create_sheet("Cover"), styles), report, made, titles)
    total, done = report.row_count, 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % _PROGRESS_EVERY == 0:
            if cancel is not None and cancel.is_set():
                raise ReportCancelled
            if progress is not None:
                progress(done, total)

    part = path.with_name(path.name + ".part")
    try:
        for title, sheet in zip(titles, report.sheets, strict=True):
            _write_sheet(_SheetWriter(book.create_sheet(title), styles), sheet, tick)
        if cancel is not None and cancel.is_set():  # set since the last tick, or before any
            raise ReportCancelled
        book.save(part)
        part.replace(path)
    except BaseException:
        _discard(book)
        raise
    finally:
        part.unlink(missing_ok=True)
    if progress is not None:
        progress(total, total)
    return path
