"""The caseload import format: read and check a whole ``.csv`` or ``.xlsx`` of accounts.

This module owns the format described in CLI.md ("Caseload import format"). It only parses
and validates; the import service writes. :func:`read_caseload` reads the whole file and
returns every problem it finds (every bad row and column, not just the first) so an
officer can fix them in one pass; the service refuses the whole file when there is any.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl

from debtdesk.domain.dates import DateError, as_date
from debtdesk.domain.money import MoneyError, Pence, parse_pounds, pence_from_decimal

REQUIRED_COLUMNS: tuple[str, ...] = (
    "account_ref",
    "client_name",
    "postcode",
    "customer_type",
    "weekly_contribution",
    "weekly_care_cost",
    "contribution_from",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "date_of_birth",
    "address",
    "care_setting",
    "officer",
    "opening_balance",
    "opening_balance_date",
    "dd_reference",
    "dd_sort_code",
    "dd_account_number",
    "dd_account_name",
    "dd_status",
    "representative_name",
    "representative_role",
    "date_of_death",
)
CARE_SETTINGS = frozenset({"residential", "community"})
DD_STATUSES = frozenset({"live", "pending", "cancelled"})
REPRESENTATIVE_ROLES = {
    "attorney",
    "deputy",
    "appointee",
    "executor",
    "relative",
    "solicitor",
    "advocate",
}

_KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
_DD_DETAILS = ("dd_reference", "dd_sort_code", "dd_account_number", "dd_account_name")
_DD_REQUIRED = ("dd_reference", "dd_sort_code", "dd_account_number")

_ACCOUNT_REF = re.compile(r"^[A-Z0-9/-]{1,20}$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
_SORT_CODE = re.compile(r"^[0-9]{6}$")
_ACCOUNT_NUMBER = re.compile(r"^[0-9]{8}$")
_DD_REFERENCE_CHARS = re.compile(r"^[A-Z0-9.&/ -]*$")
_DATE_SHAPE = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$")
_TOO_MANY_DECIMALS = re.compile(r"^-?£?[\d,]*\.\d{3,}$")
_ZEROS_FORMAT = re.compile(r"^0[0-]*0$")

_Record = tuple[int, list[object]]
"""A row as read: its 1-based line in the file and its raw cells."""


@dataclass(frozen=True)
class CaseloadRow:
    """One account read from a caseload file, every value checked and normalised."""

    line: int
    account_ref: str
    client_name: str
    postcode: str
    customer_type: str
    weekly_contribution: Pence
    weekly_care_cost: Pence
    contribution_from: date
    date_of_birth: date | None = None
    address: str | None = None
    care_setting: str | None = None
    officer: str | None = None
    opening_balance: Pence | None = None
    opening_balance_date: date | None = None
    dd_reference: str | None = None
    dd_sort_code: str | None = None
    dd_account_number: str | None = None
    dd_account_name: str | None = None
    dd_status: str | None = None
    representative_name: str | None = None
    representative_role: str | None = None
    date_of_death: date | None = None


@dataclass(frozen=True)
class Problem:
    """Something wrong with a caseload file: where (as far as known) and what."""

    line: int | None
    ref: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else ""
        if self.ref:
            where = f"{where} ({self.ref})" if where else self.ref
        if self.column:
            where = f"{where}, {self.column}" if where else self.column
        return f"{where}: {self.message}" if where else self.message


def read_caseload(
    path: Path, customer_types: Collection[str]
) -> tuple[list[CaseloadRow], list[Problem]]:
    """Read and check a caseload file (``.csv`` in UTF-8, or ``.xlsx``'s first worksheet).

    Args:
        path: the file; its extension says which format it is.
        customer_types: the codes of the customer types that exist (any case).

    Returns:
        The rows that passed every check, and every problem found. The caller must refuse
        the whole file when the problems are not empty.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix == ".xlsx":
        table = _read_xlsx(path)
    else:
        message = f"'{path.name}' is not a caseload file: use a .csv (UTF-8) or .xlsx file"
        return [], [Problem(None, None, None, message)]
    if isinstance(table, Problem):
        return [], [table]
    return _check_table(table, customer_types)


# --- reading ------------------------------------------------------------------------------


def _unreadable(path: Path, exc: OSError) -> Problem:
    return Problem(None, None, None, f"cannot read '{path.name}': {exc.strerror or exc}")


def _read_csv(path: Path) -> list[_Record] | Problem:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _unreadable(path, exc)
    skipped = 0
    if data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
        data = data[skipped:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        offset = skipped + exc.start
        byte = data[exc.start]
        message = (
            f"the file is not UTF-8: byte 0x{byte:02X} at byte offset {offset}; "
            "save it as 'CSV UTF-8 (Comma delimited)'"
        )
        return Problem(line, None, None, message)
    records: list[_Record] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            records.append((start, list(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        return Problem(start, None, None, f"not readable as CSV: {exc}")
    return records


def _read_xlsx(path: Path) -> list[_Record] | Problem:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        return _unreadable(path, exc)
    except Exception as exc:  # a damaged file raises any of many kinds
        return _not_a_workbook(exc)
    try:
        sheets = workbook.worksheets
        if not sheets:
            return Problem(None, None, None, "the workbook has no worksheet")
        sheet = sheets[0]
        # The stored dimensions may be wrong (some writers get them wrong); read every cell.
        sheet.reset_dimensions()
        records: list[_Record] = []
        for line, row in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
            records.append((line, [_xlsx_value(cell) for cell in row]))
        return records
    except OSError as exc:
        return _unreadable(path, exc)
    except Exception as exc:  # as above, while reading the sheet's XML
        return _not_a_workbook(exc)
    finally:
        workbook.close()


def _not_a_workbook(exc: Exception) -> Problem:
    detail = str(exc) or type(exc).__name__
    return Problem(None, None, None, f"not a readable .xlsx workbook ({detail})")


def _xlsx_value(cell: object) -> object:
    """A cell's value; a whole number shown with leading zeros (``00000000``) as that text."""
    value = getattr(cell, "value", None)
    number_format = getattr(cell, "number_format", None)
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and isinstance(number_format, str)
        and _ZEROS_FORMAT.match(number_format)
        and float(value).is_integer()
        and value >= 0
    ):
        return str(int(value)).zfill(number_format.count("0"))
    return value


# --- checking -----------------------------------------------------------------------------


def _clean(value: object) -> object:
    """A cell with text stripped; an empty cell is None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _as_text(value: object) -> str:
    """A cell as text: numbers without a pointless ``.0``, dates as ISO."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _show(value: object) -> str:
    return repr(_as_text(value))


def _column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_table(
    records: Sequence[_Record], customer_types: Collection[str]
) -> tuple[list[CaseloadRow], list[Problem]]:
    cleaned = [(line, [_clean(cell) for cell in cells]) for line, cells in records]
    if not cleaned or all(all(cell is None for cell in cells) for _, cells in cleaned):
        return [], [Problem(None, None, None, "no accounts in the file")]

    header_line, header = cleaned[0]
    columns, named, problems = _read_header(header_line, header)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        problems.append(Problem(header_line, None, name, "required column is missing"))
    data = [(line, cells) for line, cells in cleaned[1:] if any(c is not None for c in cells)]
    if not data:
        problems.append(Problem(None, None, None, "no accounts in the file"))
    if missing:
        return [], problems

    checker = _FileChecker(customer_types)
    rows: list[CaseloadRow] = []
    for line, cells in data:
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        stray = [(i, cell) for i, cell in enumerate(cells) if cell is not None and i not in named]
        row, row_problems = checker.check_row(line, values, stray)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def _read_header(
    line: int, header: Sequence[object]
) -> tuple[dict[str, int], set[int], list[Problem]]:
    """The known columns' positions, the positions that have a name, and header problems."""
    columns: dict[str, int] = {}
    named: set[int] = set()
    problems: list[Problem] = []
    for index, cell in enumerate(header):
        if cell is None:
            continue
        named.add(index)
        written = _as_text(cell)
        name = written.lower()
        if name in columns:
            first = _column_letter(columns[name])
            message = f"duplicate column (column {_column_letter(index)} repeats column {first})"
            problems.append(Problem(line, None, name, message))
        elif name in _KNOWN_COLUMNS:
            columns[name] = index
        else:
            problems.append(Problem(line, None, written, _unknown_column_message(written)))
    return columns, named, problems


def _unknown_column_message(written: str) -> str:
    close = difflib.get_close_matches(written.lower(), _KNOWN_COLUMNS, n=1, cutoff=0.75)
    if close:
        return f"unknown column (did you mean '{close[0]}'?)"
    if ";" in written or "\t" in written:
        return "unknown column (the file looks separated by ';' or tabs; use commas)"
    return "unknown column (the known columns are " + ", ".join(_KNOWN_COLUMNS) + ")"


class _FileChecker:
    """Checks rows one by one, remembering what must be unique across the file."""

    def __init__(self, customer_types: Collection[str]) -> None:
        self.customer_types = frozenset(code.strip().upper() for code in customer_types)
        self.refs: dict[str, int] = {}
        self.dd_references: dict[str, tuple[int, str]] = {}

    def check_row(
        self,
        line: int,
        values: Mapping[str, object],
        stray: Sequence[tuple[int, object]],
    ) -> tuple[CaseloadRow | None, list[Problem]]:
        raw_ref = values.get("account_ref")
        ref = _as_text(raw_ref).upper() if raw_ref is not None else None
        row = _RowChecker(line, ref, values)

        for index, cell in stray:
            message = f"value {_show(cell)} in column {_column_letter(index)}, which has no header"
            row.problem(None, message)

        account_ref = row.account_ref()
        if ref is not None:
            first = self.refs.setdefault(ref, line)
            if first != line:
                row.problem("account_ref", f"duplicate account_ref: first on line {first}")
        client_name = row.text("client_name", required=True)
        postcode = row.postcode()
        customer_type = row.customer_type(self.customer_types)
        weekly_contribution = row.money("weekly_contribution", required=True)
        weekly_care_cost = row.money("weekly_care_cost", required=True)
        contribution_from = row.date("contribution_from", required=True)
        date_of_birth = row.date("date_of_birth")
        address = row.text("address")
        if address is not None:
            address = address.replace("\r\n", "\n").replace("\r", "\n")
        care_setting = row.choice("care_setting", CARE_SETTINGS)
        officer = row.text("officer")
        opening_balance = row.money(
            "opening_balance",
            negative="a credit balance cannot be imported as an opening invoice",
        )
        opening_balance_date = row.date("opening_balance_date")
        dd_reference = row.dd_reference()
        dd_sort_code = row.digits("dd_sort_code", 6, "a sort code", "-", "12-34-56")
        dd_account_number = row.digits("dd_account_number", 8, "an account number", "")
        dd_account_name = row.text("dd_account_name")
        dd_status = row.choice("dd_status", DD_STATUSES)
        representative_name = row.text("representative_name")
        representative_role = row.choice("representative_role", REPRESENTATIVE_ROLES)
        date_of_death = row.date("date_of_death")

        # Checks across columns; they look at what was written, valid or not.
        given = {name for name, value in values.items() if value is not None}
        if given & set(_DD_DETAILS):
            for name in _DD_REQUIRED:
                if name not in given:
                    message = (
                        "required for a direct debit "
                        "(dd_reference, dd_sort_code and dd_account_number go together)"
                    )
                    row.problem(name, message)
        elif "dd_status" in given:
            row.problem("dd_status", "given without a direct debit (no dd_reference)")
        if dd_reference is not None:
            seen = self.dd_references.setdefault(dd_reference, (line, ref or ""))
            if seen[0] != line:
                message = f"duplicate dd_reference: first on line {seen[0]} ({seen[1]})"
                row.problem("dd_reference", message)
        if "representative_role" in given and "representative_name" not in given:
            row.problem("representative_name", "required when representative_role is given")
        if "representative_name" in given and "representative_role" not in given:
            row.problem("representative_role", "required when representative_name is given")
        if "opening_balance_date" in given and "opening_balance" not in given:
            row.problem("opening_balance_date", "given without an opening_balance")
        if (
            date_of_birth is not None
            and contribution_from is not None
            and date_of_birth >= contribution_from
        ):
            message = f"{date_of_birth} is not before contribution_from {contribution_from}"
            row.problem("date_of_birth", message)
        if (
            date_of_death is not None
            and date_of_birth is not None
            and date_of_death < date_of_birth
        ):
            row.problem("date_of_death", f"{date_of_death} is before date_of_birth {date_of_birth}")

        if (
            row.problems
            or account_ref is None
            or client_name is None
            or postcode is None
            or customer_type is None
            or weekly_contribution is None
            or weekly_care_cost is None
            or contribution_from is None
        ):
            return None, row.problems
        if opening_balance is not None and opening_balance_date is None:
            opening_balance_date = contribution_from
        return (
            CaseloadRow(
                line=line,
                account_ref=account_ref,
                client_name=client_name,
                postcode=postcode,
                customer_type=customer_type,
                weekly_contribution=weekly_contribution,
                weekly_care_cost=weekly_care_cost,
                contribution_from=contribution_from,
                date_of_birth=date_of_birth,
                address=address,
                care_setting=care_setting,
                officer=officer,
                opening_balance=opening_balance,
                opening_balance_date=opening_balance_date,
                dd_reference=dd_reference,
                dd_sort_code=dd_sort_code,
                dd_account_number=dd_account_number,
                dd_account_name=dd_account_name,
                dd_status=dd_status,
                representative_name=representative_name,
                representative_role=representative_role,
                date_of_death=date_of_death,
            ),
            [],
        )


class _RowChecker:
    """Reads one row's values, each method returning the value or None and noting problems."""

    def __init__(self, line: int, ref: str | None, values: Mapping[str, object]) -> None:
        self.line = line
        self.ref = ref
        self.values = values
        self.problems: list[Problem] = []

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.line, self.ref, column, message))

    def _value(self, column: str, required: bool) -> object:
        value = self.values.get(column)
        if value is None and required:
            self.problem(column, "a value is required")
        return value

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self._value(column, required)
        return None if value is None else _as_text(value)

    def account_ref(self) -> str | None:
        value = self._value("account_ref", True)
        if value is None:
            return None
        ref = _as_text(value).upper()
        if not _ACCOUNT_REF.match(ref):
            message = f"{_show(value)} is not a reference (1 to 20 letters, digits, '-' or '/')"
            self.problem("account_ref", message)
            return None
        return ref

    def postcode(self) -> str | None:
        value = self._value("postcode", True)
        if value is None:
            return None
        compact = "".join(_as_text(value).upper().split())
        postcode = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
        if not _POSTCODE.match(postcode):
            self.problem("postcode", f"{_show(value)} is not a UK postcode")
            return None
        return postcode

    def customer_type(self, known: frozenset[str]) -> str | None:
        value = self._value("customer_type", True)
        if value is None:
            return None
        code = _as_text(value).upper()
        if code not in known:
            listed = ", ".join(sorted(known)) if known else "none are set up"
            self.problem("customer_type", f"unknown customer type {_show(value)} (known: {listed})")
            return None
        return code

    def choice(self, column: str, options: Collection[str]) -> str | None:
        value = self._value(column, False)
        if value is None:
            return None
        choice = _as_text(value).lower()
        if choice not in options:
            self.problem(column, f"{_show(value)} is not one of: {', '.join(sorted(options))}")
            return None
        return choice

    def money(
        self, column: str, *, required: bool = False, negative: str | None = None
    ) -> Pence | None:
        value = self._value(column, required)
        if value is None:
            return None
        try:
            if isinstance(value, str):
                pence = parse_pounds(value)
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                pence = pence_from_decimal(value)
            else:
                raise MoneyError(f"{value!r} is not an amount in pounds")
        except MoneyError:
            too_precise = (
                bool(_TOO_MANY_DECIMALS.match(value.replace(" ", "")))
                if isinstance(value, str)
                else isinstance(value, float | Decimal) and math.isfinite(value)
            )
            if too_precise:
                self.problem(column, f"{_show(value)} has more than two decimal places")
            else:
                self.problem(column, f"{_show(value)} is not an amount in pounds")
            return None
        if pence < 0:
            message = f"{_show(value)} is negative"
            self.problem(column, f"{message}: {negative}" if negative else message)
            return None
        return pence

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self._value(column, required)
        if value is None:
            return None
        try:
            return as_date(value)
        except DateError:
            if isinstance(value, str) and _DATE_SHAPE.match(value):
                message = f"{_show(value)} is not a real date"
            elif isinstance(value, datetime):
                message = f"{_show(value)} has a time of day; expected a date"
            else:
                message = f"{_show(value)} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
            self.problem(column, message)
            return None

    def digits(
        self, column: str, count: int, what: str, separators: str, example: str = ""
    ) -> str | None:
        value = self._value(column, False)
        if value is None:
            return None
        text = _as_text(value)
        for separator in separators + " ":
            text = text.replace(separator, "")
        if not text.isascii() or not text.isdigit() or len(text) != count:
            hint = f", e.g. {example}" if example else ""
            self.problem(column, f"{_show(value)} is not {what} ({count} digits{hint})")
            return None
        return text

    def dd_reference(self) -> str | None:
        """A Bacs mandate reference: 6-18 of A-Z 0-9 . & / - space, not all one character."""
        value = self._value("dd_reference", False)
        if value is None:
            return None
        reference = _as_text(value).upper()
        alphanumerics = {char for char in reference if char.isalnum()}
        if not _DD_REFERENCE_CHARS.match(reference):
            message = f"{_show(value)} may hold only A-Z, 0-9, '.', '&', '/', '-' and spaces"
        elif not 6 <= len(reference) <= 18:
            message = f"{_show(value)} must be 6 to 18 characters long"
        elif len(alphanumerics) < 2:
            message = f"{_show(value)} must not be all the same character"
        elif reference.startswith("DDIC"):
            message = f"{_show(value)} must not start with 'DDIC'"
        else:
            return reference
        self.problem("dd_reference", message)
        return None
