"""Bank statements: read and check a whole CSV export or ISO 20022 camt.053 file of receipts.

This module owns the two bank statement formats of ``debtdesk import bank FILE
[--profile NAME]`` (CLI.md; issue 4 items 4 and 7). It only parses and validates; the
import service matches receipts to accounts and writes. Each parser reads the whole file
and raises one :class:`BankStatementError` listing every problem (line or element,
column, what is wrong), so an officer can fix a file in one pass and nothing is applied
from a file that has any. Money is integer pence, never a float.

CSV: a :class:`CsvProfile` names the columns of one bank's export. Two are built in
(:data:`PROFILES`):

* ``generic`` -- debtdesk's own layout for any bank or a hand-made file:
  ``date,amount,reference,payer,bank_reference`` with a signed amount (money in is
  positive) and ``dd/mm/yyyy`` dates.
* ``lloyds`` -- the layout of Lloyds Bank's (and Halifax's, same group) online-banking CSV
  export: ``Transaction Date,Transaction Type,Sort Code,Account Number,Transaction
  Description,Debit Amount,Credit Amount,Balance``, money in and out in two unsigned
  columns, ``dd/mm/yyyy`` dates, and the payer's name and reference run together in
  ``Transaction Description`` (so no payer column). It shows the two-column shape most UK
  bank exports use; a team adds its own bank as another profile.

camt.053: ``Document/BkToCstmrStmt/Stmt/Ntry`` in the namespace
``urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`` for any version from 02 on (the paths
read here are the same in all of them; from version 08 a related party's name moved from
``Dbtr/Nm`` to ``Dbtr/Pty/Nm`` and the status from ``Sts`` to ``Sts/Cd``, and both forms
are read). Read with defusedxml, and a DTD is refused outright: a bank statement never
has one, so entity bombs and external entities cannot get in. Per entry: ``Amt`` and its
``Ccy`` (must be GBP), ``CdtDbtInd`` (``CRDT``/``DBIT``), ``BookgDt`` and ``ValDt``
(``Dt`` or ``DtTm``), ``AcctSvcrRef`` (the bank's own reference), and from
``NtryDtls/TxDtls``: ``RmtInf/Strd/CdtrRefInf/Ref`` and ``RmtInf/Ustrd`` (the reference;
``AddtlTxInf``/``AddtlNtryInf`` when there is no remittance information) and
``RltdPties/Dbtr`` (the payer). An entry that batches several transactions becomes one
receipt per ``TxDtls``, whose amounts must add up to the entry's. Only booked entries
(status ``BOOK``) may appear: a camt.053 is an end-of-day statement of booked entries,
and a pending one is not money received. One file is one bank account's statement(s).

Debits (money out: bank charges, refunds paid, returned cheques) are never receipts.
They are kept apart in :attr:`BankStatement.debits` so month-end reconciliation can tie
the bank's totals and an officer can see them; the service must not post them. Direct
debit returns come from ARUDD reports, not from here.

Sources used for the camt.053 structure (reference, not copied): the element lists in
``nileshdevgirikar/webautomation`` ``Utilities/filegenerator/CAMT053Tags.py`` and
``CoderBrian357NYC/MT950ToCamtConverter`` ``camt053_structure.md`` (camt.053.001.13
hierarchy), ``allemannjoel/softwareengineering2`` ``.../camt054/Camt054.java`` (RmtInf,
Strd, CdtrRefInf, Ref), the xsdata model of camt.053.001.01 (namespace form), and
Oracle's "Integrating BAI, SWIFT MT940 and CAMT.053 format bank file transactions"
(docs.oracle.com: Stmt/FrToDt, Acct/Id/IBAN or Othr/Id, Ntry/Amt@Ccy or TxDtls amount).
The Lloyds header is the one quoted by several public parsers of that export, e.g.
``jakubka/transactions-mapper`` ``mapper.py``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from debtdesk.domain.money import MoneyError, Pence, parse_pounds, pence_from_decimal

CAMT053_KIND = "camt.053"
CURRENCY = "GBP"

_CAMT053_NS = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$")
_MIN_CAMT053_VERSION = 2
_XML_DECIMAL = re.compile(r"^[+-]?(\d+)(?:\.(\d+))?$")
_TOO_MANY_DECIMALS = re.compile(r"^[+-]?£?[\d,]*\.\d{3,}$")
_DECIMAL_COMMA = re.compile(r"^[+-]?£?\d+,\d{1,2}$")
_FORMAT_WORDS = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%b": "Mon", "%B": "Month"}


class BankStatementError(ValueError):
    """A bank statement file that cannot be imported; ``problems`` lists everything wrong."""

    def __init__(self, name: str, problems: Sequence[Problem]) -> None:
        self.name = name
        self.problems = tuple(problems)
        listed = "\n".join(f"  {problem}" for problem in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{name}: {count} {noun}, nothing imported:\n{listed}")


@dataclass(frozen=True)
class Problem:
    """Something wrong with a bank statement file: where (as far as known) and what."""

    line: int | None
    element: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.element:
            parts.append(self.element)
        if self.column:
            parts.append(self.column)
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class StatementEntry:
    """One movement of money on the statement; ``amount`` is positive pence either way.

    ``line`` (CSV) or ``element`` (camt.053, e.g. ``Stmt[1]/Ntry[2]/NtryDtls[1]/TxDtls[1]``)
    says where in the file it came from.
    """

    date: dt.date
    amount: Pence
    reference: str
    payer: str | None
    bank_reference: str | None
    value_date: dt.date | None = None
    line: int | None = None
    element: str | None = None


@dataclass(frozen=True)
class BankStatement:
    """A whole bank statement file, every value checked."""

    kind: str
    """``camt.053`` or the CSV profile's name."""
    name: str
    account: str | None
    period_start: date | None
    period_end: date | None
    receipts: tuple[StatementEntry, ...]
    """Money in: what the import matches to accounts or puts in suspense."""
    debits: tuple[StatementEntry, ...]
    """Money out: kept for reconciliation and display, never posted."""

    @property
    def receipts_total(self) -> Pence:
        """The sum of the receipts in pence."""
        return sum(receipt.amount for receipt in self.receipts)


@dataclass(frozen=True)
class CsvProfile:
    """A named column mapping for one bank's CSV export.

    Give either ``amount_column`` (signed; money in is positive) or both ``credit_column``
    and ``debit_column`` (money in and money out in separate columns). Column names are
    matched ignoring case and surrounding spaces; other columns are ignored.
    """

    name: str
    date_column: str
    reference_column: str
    amount_column: str | None = None
    credit_column: str | None = None
    debit_column: str | None = None
    payer_column: str | None = None
    bank_reference_column: str | None = None
    currency_column: str | None = None
    date_format: str = "%d/%m/%Y"
    header_line: int = 1
    """The 1-based line of the header row; lines above it (a bank's preamble) are skipped."""
    delimiter: str = ","
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        signed = self.amount_column is not None
        split = self.credit_column is not None or self.debit_column is not None
        if signed == split or (split and (self.credit_column is None or self.debit_column is None)):
            raise ValueError(
                f"profile {self.name!r}: give amount_column, or credit_column and debit_column"
            )
        if self.header_line < 1:
            raise ValueError(f"profile {self.name!r}: header_line counts from 1")
        if len(self.delimiter) != 1:
            raise ValueError(f"profile {self.name!r}: the delimiter is one character")


GENERIC = CsvProfile(
    name="generic",
    date_column="date",
    amount_column="amount",
    reference_column="reference",
    payer_column="payer",
    bank_reference_column="bank_reference",
)
LLOYDS = CsvProfile(
    name="lloyds",
    date_column="Transaction Date",
    credit_column="Credit Amount",
    debit_column="Debit Amount",
    reference_column="Transaction Description",
)
PROFILES: Mapping[str, CsvProfile] = {profile.name: profile for profile in (GENERIC, LLOYDS)}
"""The built-in CSV profiles by name."""


# --- CSV ----------------------------------------------------------------------------------


def parse_bank_csv(data: bytes, name: str, profile: CsvProfile) -> BankStatement:
    """Read and check a whole bank CSV export laid out as ``profile`` says.

    Args:
        data: the file's bytes.
        name: the file's name, for messages.
        profile: the column mapping.

    Raises:
        BankStatementError: anything is wrong; every problem in the file is listed.
    """
    problems: list[Problem] = []
    text = _decode(data, profile.encoding, problems)
    if text is None:
        raise BankStatementError(name, problems)
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=profile.delimiter)
    start = 1
    try:
        for cells in reader:
            records.append((start, [cell.strip() for cell in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = Problem(start, None, None, f"not readable as CSV: {exc}")
        raise BankStatementError(name, [problem]) from None
    if not any(any(cells) for _, cells in records):
        raise BankStatementError(name, [Problem(None, None, None, "the file is empty")])

    header = next(((line, cells) for line, cells in records if line == profile.header_line), None)
    if header is None:
        message = f"no header row: the profile {profile.name!r} expects it on this line"
        raise BankStatementError(name, [Problem(profile.header_line, None, None, message)])
    columns = _header_columns(header[0], header[1], profile, problems)
    if problems:
        raise BankStatementError(name, problems)

    receipts: list[StatementEntry] = []
    debits: list[StatementEntry] = []
    rows = [(line, cells) for line, cells in records if line > header[0] and any(cells)]
    if not rows:
        problems.append(Problem(None, None, None, "no transactions after the header row"))
    for line, cells in rows:
        row = _CsvRow(line, cells, columns, problems)
        entry_date = row.date(profile.date_column, profile.date_format)
        signed = row.signed_amount(profile)
        reference = row.text(profile.reference_column) or ""
        payer = row.text(profile.payer_column)
        bank_reference = row.text(profile.bank_reference_column)
        if profile.currency_column is not None:
            currency = (row.text(profile.currency_column) or "").upper()
            if currency != CURRENCY:
                row.problem(profile.currency_column, f"currency {currency!r} is not {CURRENCY}")
        if row.ok and entry_date is not None and signed is not None:
            entry = StatementEntry(
                date=entry_date,
                amount=abs(signed),
                reference=_squash(reference),
                payer=_squash(payer) if payer else None,
                bank_reference=bank_reference or None,
                line=line,
            )
            (receipts if signed > 0 else debits).append(entry)
    if problems:
        raise BankStatementError(name, problems)
    return BankStatement(profile.name, name, None, None, None, tuple(receipts), tuple(debits))


def _decode(data: bytes, encoding: str, problems: list[Problem]) -> str | None:
    if not data.strip():
        problems.append(Problem(None, None, None, "the file is empty"))
        return None
    skipped = 0
    if codecs.lookup(encoding).name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
        data = data[skipped:]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        message = (
            f"the file is not {encoding}: byte 0x{byte:02X} at byte offset {skipped + exc.start}"
        )
        problems.append(Problem(line, None, None, message))
        return None


def _mapped_columns(profile: CsvProfile) -> list[tuple[str, bool]]:
    """The profile's column names, each with whether it must be in the file."""
    optional = (profile.payer_column, profile.bank_reference_column)
    named = (
        profile.date_column,
        profile.reference_column,
        profile.amount_column,
        profile.credit_column,
        profile.debit_column,
        profile.currency_column,
        *optional,
    )
    return [(column, column not in optional) for column in named if column is not None]


def _header_columns(
    line: int, header: Sequence[str], profile: CsvProfile, problems: list[Problem]
) -> dict[str, int]:
    """Positions of the profile's columns by their lower-cased names; notes header problems."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = cell.lower()
        if not key:
            continue
        if key in positions:
            message = f"duplicate column (column {index + 1} repeats column {positions[key] + 1})"
            problems.append(Problem(line, None, cell, message))
        else:
            positions[key] = index
    columns: dict[str, int] = {}
    for column, required in _mapped_columns(profile):
        key = column.lower()
        if key in positions:
            columns[key] = positions[key]
        elif required:
            hint = ""
            if len(header) == 1 and profile.delimiter not in header[0]:
                hint = f" (is the file separated by something other than {profile.delimiter!r}?)"
            message = f"required column is missing for profile {profile.name!r}{hint}"
            problems.append(Problem(line, None, column, message))
    return columns


def _date_words(date_format: str) -> str:
    words = date_format
    for code, word in _FORMAT_WORDS.items():
        words = words.replace(code, word)
    return words


class _CsvRow:
    """One data row's cells by column, each method returning a value or None and noting problems."""

    def __init__(
        self, line: int, cells: Sequence[str], columns: Mapping[str, int], problems: list[Problem]
    ) -> None:
        self.line = line
        self.cells = cells
        self.columns = columns
        self.problems = problems
        self.ok = True

    def problem(self, column: str | None, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.line, None, column, message))

    def text(self, column: str | None) -> str | None:
        if column is None:
            return None
        index = self.columns.get(column.lower())
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index] or None

    def date(self, column: str, date_format: str) -> date | None:
        value = self.text(column)
        if value is None:
            self.problem(column, "a date is required")
            return None
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            self.problem(column, f"{value!r} is not a date in the form {_date_words(date_format)}")
            return None

    def money(self, column: str) -> Pence | None:
        """Pence from a cell, signed as written; None when empty or wrong (noted)."""
        value = self.text(column)
        if value is None:
            return None
        try:
            return parse_pounds(value.removeprefix("+"))
        except MoneyError:
            compact = value.replace(" ", "")
            if _TOO_MANY_DECIMALS.match(compact):
                message = (
                    f"{value!r} has more than two decimal places "
                    "(write pounds and pence with a '.', e.g. 1234.50)"
                )
            elif _DECIMAL_COMMA.match(compact):
                message = f"{value!r} is not an amount in pounds (use '.' for pence, e.g. 12.34)"
            else:
                message = f"{value!r} is not an amount in pounds"
            self.problem(column, message)
            return None

    def signed_amount(self, profile: CsvProfile) -> Pence | None:
        """Money in positive, money out negative; None (noted) when there is no valid amount."""
        if profile.amount_column is not None:
            column = profile.amount_column
            errors = len(self.problems)
            amount = self.money(column)
            if amount is None:
                if len(self.problems) == errors:
                    self.problem(column, "an amount is required")
                return None
            if amount == 0:
                self.problem(column, "the amount is zero")
                return None
            return amount
        assert profile.credit_column is not None and profile.debit_column is not None
        errors = len(self.problems)
        credit = self.money(profile.credit_column)
        debit = self.money(profile.debit_column)
        if len(self.problems) > errors:
            return None
        credit = credit or None
        debit = debit or None
        if credit is not None and debit is not None:
            self.problem(None, f"both {profile.credit_column} and {profile.debit_column} are given")
            return None
        if credit is None and debit is None:
            message = f"no amount in {profile.credit_column} or {profile.debit_column}"
            self.problem(None, message)
            return None
        if credit is not None:
            if credit < 0:
                self.problem(
                    profile.credit_column, f"{self.text(profile.credit_column)!r} is negative"
                )
                return None
            return credit
        assert debit is not None
        return -abs(debit)


def _squash(text: str) -> str:
    """Text with runs of white space made one space."""
    return " ".join(text.split())


# --- camt.053 -----------------------------------------------------------------------------


def parse_camt053(data: bytes, name: str) -> BankStatement:
    """Read and check a whole ISO 20022 camt.053 (version 02 or later) bank statement.

    Args:
        data: the file's bytes.
        name: the file's name, for messages.

    Raises:
        BankStatementError: anything is wrong; every problem in the file is listed.
    """
    if not data.strip():
        raise BankStatementError(name, [Problem(None, None, None, "the file is empty")])
    root = _parse_xml(data, name)
    ns = _namespace(root, name)
    reader = _Camt053(ns)
    statement = reader.read(root, name)
    if reader.problems:
        raise BankStatementError(name, reader.problems)
    return statement


def _parse_xml(data: bytes, name: str) -> Element:
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden) as exc:
        message = (
            f"refused: the file declares a DTD or entities ({type(exc).__name__}); a bank "
            "statement never does, and that is how XML bombs and external entities get in"
        )
        raise BankStatementError(name, [Problem(None, None, None, message)]) from None
    except DefusedXmlException as exc:
        message = f"refused: unsafe XML ({type(exc).__name__})"
        raise BankStatementError(name, [Problem(None, None, None, message)]) from None
    except ParseError as exc:
        line, column = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        message = f"not well-formed XML at column {column + 1}: {reason}"
        raise BankStatementError(name, [Problem(line, None, None, message)]) from None
    return root


def _namespace(root: Element, name: str) -> str:
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    match = _CAMT053_NS.match(ns)
    if local != "Document" or match is None:
        found = f"'{local}' in namespace '{ns}'" if ns else f"'{local}' with no namespace"
        message = (
            f"not a camt.053 bank statement: the root element is {found}; expected 'Document' "
            "in urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN"
        )
        raise BankStatementError(name, [Problem(None, "Document", None, message)])
    if int(match[1]) < _MIN_CAMT053_VERSION:
        message = f"camt.053.001.{match[1]} is not supported; use version 02 or later"
        raise BankStatementError(name, [Problem(None, "Document", None, message)])
    return ns


@dataclass(frozen=True)
class _Entry:
    """What one ``Ntry`` holds before it becomes statement entries."""

    credit: bool
    booked: date | None
    value: date | None
    bank_reference: str | None


class _Camt053:
    """Walks a camt.053 document, collecting entries and every problem."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.problems: list[Problem] = []

    def q(self, path: str) -> str:
        """A slash-separated path of local names, qualified with the document's namespace."""
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def find(self, element: Element, path: str) -> Element | None:
        return element.find(self.q(path))

    def text(self, element: Element, path: str) -> str | None:
        found = element.find(self.q(path))
        if found is None or found.text is None:
            return None
        return _squash(found.text) or None

    def problem(self, element: str, message: str) -> None:
        self.problems.append(Problem(None, element, None, message))

    def read(self, root: Element, name: str) -> BankStatement:
        body = self.find(root, "BkToCstmrStmt")
        if body is None:
            self.problem("Document", "no BkToCstmrStmt element")
            return BankStatement(CAMT053_KIND, name, None, None, None, (), ())
        statements = body.findall(self.q("Stmt"))
        if not statements:
            self.problem("BkToCstmrStmt", "no Stmt element: the file holds no statement")
        accounts: list[str] = []
        starts: list[date] = []
        ends: list[date] = []
        receipts: list[StatementEntry] = []
        debits: list[StatementEntry] = []
        for s, stmt in enumerate(statements, start=1):
            where = f"Stmt[{s}]"
            account = self.account(stmt, where)
            if account is not None and account not in accounts:
                accounts.append(account)
            start = self.date_or_time(stmt, "FrToDt/FrDtTm", where)
            end = self.date_or_time(stmt, "FrToDt/ToDtTm", where)
            starts.extend([start] if start else [])
            ends.extend([end] if end else [])
            for n, ntry in enumerate(stmt.findall(self.q("Ntry")), start=1):
                for entry, credit in self.entries(ntry, f"{where}/Ntry[{n}]"):
                    (receipts if credit else debits).append(entry)
        if len(accounts) > 1:
            message = (
                f"statements for more than one account ({', '.join(accounts)}); "
                "import one account's statement at a time"
            )
            self.problem("BkToCstmrStmt", message)
        return BankStatement(
            kind=CAMT053_KIND,
            name=name,
            account=accounts[0] if accounts else None,
            period_start=min(starts) if starts else None,
            period_end=max(ends) if ends else None,
            receipts=tuple(receipts),
            debits=tuple(debits),
        )

    def account(self, stmt: Element, where: str) -> str | None:
        currency = self.text(stmt, "Acct/Ccy")
        if currency is not None and currency != CURRENCY:
            self.problem(f"{where}/Acct/Ccy", f"the account's currency is {currency}, not GBP")
        return self.text(stmt, "Acct/Id/IBAN") or self.text(stmt, "Acct/Id/Othr/Id")

    def date_or_time(self, element: Element, path: str, where: str) -> date | None:
        value = self.text(element, path)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            self.problem(f"{where}/{path}", f"{value!r} is not an ISO date and time")
            return None

    def any_date(self, element: Element, path: str, where: str) -> date | None:
        """``path/Dt`` (a date) or ``path/DtTm`` (a date and time) as a date."""
        day = self.text(element, f"{path}/Dt")
        if day is not None:
            try:
                return date.fromisoformat(day)
            except ValueError:
                self.problem(f"{where}/{path}/Dt", f"{day!r} is not an ISO date (YYYY-MM-DD)")
                return None
        return self.date_or_time(element, f"{path}/DtTm", where)

    def amount(self, element: Element, path: str, where: str) -> Pence | None:
        """A GBP amount in pence at ``path``; None (noted) when missing or wrong."""
        found = self.find(element, path)
        at = f"{where}/{path}"
        if found is None:
            self.problem(at, "the amount is missing")
            return None
        currency = found.get("Ccy")
        value = (found.text or "").strip()
        ok = True
        if currency != CURRENCY:
            self.problem(at, f"currency {currency!r} is not {CURRENCY}")
            ok = False
        match = _XML_DECIMAL.match(value)
        pence: Pence | None = None
        if match is None:
            self.problem(at, f"{value!r} is not an amount")
        elif value.startswith("-"):
            self.problem(at, f"{value!r} is negative; camt.053 amounts carry no sign")
        else:
            try:
                pence = pence_from_decimal(Decimal(value))
            except MoneyError:
                self.problem(at, f"{value!r} has more than two decimal places")
            else:
                if pence == 0:
                    self.problem(at, "the amount is zero")
                    pence = None
        return pence if ok else None

    def entries(self, ntry: Element, where: str) -> Iterator[tuple[StatementEntry, bool]]:
        """The statement entries of one ``Ntry``, each with whether it is money in."""
        errors = len(self.problems)
        amount = self.amount(ntry, "Amt", where)
        indicator = self.text(ntry, "CdtDbtInd")
        if indicator is None:
            self.problem(f"{where}/CdtDbtInd", "the credit or debit indicator is missing")
        elif indicator not in ("CRDT", "DBIT"):
            self.problem(f"{where}/CdtDbtInd", f"{indicator!r} is not CRDT or DBIT")
        status = self.text(ntry, "Sts/Cd") or self.text(ntry, "Sts")
        if status != "BOOK":
            message = f"status {status!r}: a statement may hold only booked entries (BOOK)"
            self.problem(f"{where}/Sts", message)
        value_date = self.any_date(ntry, "ValDt", where)
        booked = self.any_date(ntry, "BookgDt", where) or value_date
        if booked is None and len(self.problems) == errors:
            self.problem(f"{where}/BookgDt", "the entry has no booking or value date")
        head = _Entry(
            credit=indicator == "CRDT",
            booked=booked,
            value=value_date,
            bank_reference=self.text(ntry, "AcctSvcrRef"),
        )
        details = [
            (f"{where}/NtryDtls[{d}]/TxDtls[{t}]", tx)
            for d, dtls in enumerate(ntry.findall(self.q("NtryDtls")), start=1)
            for t, tx in enumerate(dtls.findall(self.q("TxDtls")), start=1)
        ]
        fallback = self.text(ntry, "AddtlNtryInf") or ""
        if len(details) <= 1:
            tx_where, tx = details[0] if details else (where, None)
            parts = [(tx_where, tx, amount)]
        else:
            parts = []
            for tx_where, tx in details:
                path = "Amt" if self.find(tx, "Amt") is not None else "AmtDtls/TxAmt/Amt"
                parts.append((tx_where, tx, self.amount(tx, path, tx_where)))
            amounts = [part for _, _, part in parts]
            if amount is not None and None not in amounts:
                total = sum(a for a in amounts if a is not None)
                if total != amount:
                    message = (
                        f"its {len(details)} transactions add up to {total} pence, "
                        f"not the entry's {amount} pence"
                    )
                    self.problem(f"{where}/Amt", message)
        if len(self.problems) > errors or booked is None:
            return
        for tx_where, tx, part in parts:
            assert part is not None
            yield self.statement_entry(head, tx_where, tx, part, fallback), head.credit

    def statement_entry(
        self, head: _Entry, where: str, tx: Element | None, amount: Pence, fallback: str
    ) -> StatementEntry:
        assert head.booked is not None
        reference, payer, bank_reference = fallback, None, None
        if tx is not None:
            reference = self.remittance(tx) or self.text(tx, "AddtlTxInf") or fallback
            party = "Dbtr" if head.credit else "Cdtr"
            payer = (
                self.text(tx, f"RltdPties/{party}/Pty/Nm")
                or self.text(tx, f"RltdPties/{party}/Nm")
                or self.text(tx, f"RltdPties/Ultmt{party}/Pty/Nm")
                or self.text(tx, f"RltdPties/Ultmt{party}/Nm")
            )
            bank_reference = self.text(tx, "Refs/AcctSvcrRef")
        return StatementEntry(
            date=head.booked,
            amount=amount,
            reference=reference,
            payer=payer,
            bank_reference=bank_reference or head.bank_reference,
            value_date=head.value,
            element=where,
        )

    def remittance(self, tx: Element) -> str:
        """Structured creditor references, then the unstructured lines, as one text."""
        parts: list[str] = []
        for info in tx.findall(self.q("RmtInf")):
            for strd in info.findall(self.q("Strd")):
                ref = self.text(strd, "CdtrRefInf/Ref")
                if ref:
                    parts.append(ref)
            for line in info.findall(self.q("Ustrd")):
                if line.text and line.text.strip():
                    parts.append(_squash(line.text))
        return " ".join(parts)
