"""Bacs submission records: instructions (0N/0C) and collections (01/17/18/19) for the bureau.

Owns the two file formats councils hand to Bacs-approved bureau software (FACTS.md §5.5):
Standard 18 data records (100 characters, or 106 in a multi-day file with the processing
date) and the common bureau CSV. Also owns the checks Bacs would otherwise bounce (sort
code, account number, amount, reference, processing date), the choice of a collection's
transaction code and the date of a first collection (FACTS.md §5.4).

Amounts are integer pence. Names are cleaned to the Bacs character set (upper case,
A-Z 0-9 . & / - and space, 18 characters); a reference is an identifier the bank returns
on ARUDD and ADDACS, so it is refused, never cleaned, when Bacs would not take it.

Dates: a record carries its Bacs *processing date* (Day 2 of the 3-day cycle); the money
moves on the next working day (Day 3), the collection date. :func:`processing_date_for`
turns one into the other. The VOL1/HDR/UHL1 labels and contra records are left to the
bureau software, as most bureaus add them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from debtdesk.domain.direct_debit import ADVANCE_NOTICE_WORKING_DAYS, collection_date
from debtdesk.domain.money import Pence
from debtdesk.domain.working_days import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
)

NAME_WIDTH = 18
REFERENCE_MIN = 6
REFERENCE_MAX = 18
MAX_AMOUNT: Pence = 99_999_999_999  # 11 digits in Standard 18; £999,999,999.99 in the CSV
RECORD_LENGTH = 100
MULTI_DAY_RECORD_LENGTH = 106
ACCOUNT_TYPE = "0"
FREE_FIELD = "    "  # positions 32-35: blank; no real-time information for direct debits
LINE_END = "\r\n"  # bureau software on Windows; the Paygate CSV spec asks for CRLF

_DIGITS = {6: re.compile(r"[0-9]{6}"), 8: re.compile(r"[0-9]{8}")}
_BACS_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.&/- ")


class TransactionCode(StrEnum):
    """The Bacs transaction codes debtdesk submits (FACTS.md §5.4)."""

    NEW_INSTRUCTION = "0N"
    CANCEL_INSTRUCTION = "0C"
    FIRST_COLLECTION = "01"
    REGULAR_COLLECTION = "17"
    RE_PRESENTATION = "18"
    FINAL_COLLECTION = "19"

    @property
    def is_collection(self) -> bool:
        """True for 01/17/18/19, which move money; False for 0N/0C, which do not."""
        return self not in (TransactionCode.NEW_INSTRUCTION, TransactionCode.CANCEL_INSTRUCTION)


@dataclass(frozen=True, slots=True)
class Originator:
    """The council as Bacs service user: its service user number and the account collected into.

    The service user number is not written in the data records (it belongs to the VOL1 and
    UHL1 labels the bureau adds) but is checked here so a bad setting is caught early.
    """

    service_user_number: str
    sort_code: str
    account_number: str
    name: str


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    """One instruction or collection for one payer's account."""

    sort_code: str
    account_number: str
    account_name: str
    transaction_code: TransactionCode
    amount: Pence
    reference: str
    processing_date: date


@dataclass(frozen=True, slots=True)
class SubmissionProblem:
    """Why a record (1-based ``record``; ``None`` for the originator or the file) is refused."""

    record: int | None
    reference: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.record is None:
            where = self.reference
        else:
            where = f"record {self.record} (reference {self.reference!r})"
        return f"{where}: {self.field}: {self.message}"


class SubmissionError(ValueError):
    """Records that Bacs would refuse were passed to a writer; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[SubmissionProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def clean_bacs_text(text: str, width: int = NAME_WIDTH) -> str:
    """Text in the Bacs character set: upper case, accents dropped, others as spaces, cut to width.

    ``"Zoë O'Brien-Smith"`` becomes ``"ZOE O BRIEN-SMITH"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.upper())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c in _BACS_CHARACTERS else " " for c in kept)
    return cleaned.strip()[:width].rstrip()


def reference_problem(reference: str) -> str | None:
    """Why Bacs would refuse ``reference`` as a service user's reference, or ``None``."""
    if not reference:
        return "is empty"
    if len(reference) > REFERENCE_MAX:
        return f"is {len(reference)} characters; at most {REFERENCE_MAX}"
    if len(reference) < REFERENCE_MIN:
        return f"is {len(reference)} characters; at least {REFERENCE_MIN}"
    refused = sorted({c for c in reference if c not in _BACS_CHARACTERS})
    if refused:
        shown = " ".join(repr(c) for c in refused)
        return f"has characters Bacs refuses: {shown} (allowed: A-Z 0-9 . & / - space)"
    if reference.startswith(" "):
        return "starts with a space"
    if reference.startswith("DDIC"):
        return "starts with 'DDIC', which Bacs reserves"
    if len(set(reference)) == 1:
        return "is all the same character"
    return None


def _digits_problem(value: object, length: int, what: str) -> str | None:
    if not isinstance(value, str) or _DIGITS[length].fullmatch(value) is None:
        return f"{value!r} is not {length} digits ({what})"
    return None


def _originator_problems(originator: Originator) -> list[SubmissionProblem]:
    problems: list[SubmissionProblem] = []

    def add(field: str, message: str | None) -> None:
        if message is not None:
            problems.append(SubmissionProblem(None, "originator", field, message))

    add(
        "service user number",
        _digits_problem(originator.service_user_number, 6, "the council's Bacs SUN"),
    )
    add("sort code", _digits_problem(originator.sort_code, 6, "no hyphens"))
    add("account number", _digits_problem(originator.account_number, 8, "the council's account"))
    if not clean_bacs_text(originator.name):
        add("name", f"{originator.name!r} has nothing Bacs can print")
    return problems


def _record_problems(number: int, record: SubmissionRecord) -> list[SubmissionProblem]:
    problems: list[SubmissionProblem] = []

    def add(field: str, message: str | None) -> None:
        if message is not None:
            problems.append(SubmissionProblem(number, record.reference, field, message))

    add("sort code", _digits_problem(record.sort_code, 6, "the payer's, no hyphens"))
    add(
        "account number",
        _digits_problem(record.account_number, 8, "the payer's; pad as the bank instructs"),
    )
    if not clean_bacs_text(record.account_name):
        add("account name", f"{record.account_name!r} has nothing Bacs can print")
    try:
        code = TransactionCode(record.transaction_code)
    except ValueError:
        add("transaction code", f"{record.transaction_code!r} is not one of 0N 0C 01 17 18 19")
        code = None
    amount = record.amount
    if isinstance(amount, bool) or not isinstance(amount, int):
        add("amount", f"{amount!r} is not whole pence (an int)")
    elif code is not None and code.is_collection and amount <= 0:
        add("amount", f"{amount} pence: a collection ({code}) must be more than zero")
    elif code is not None and not code.is_collection and amount != 0:
        add("amount", f"{amount} pence: an instruction ({code}) carries no money, so must be 0")
    elif amount > MAX_AMOUNT:
        add("amount", f"{amount} pence does not fit 11 digits")
    add("reference", reference_problem(record.reference))
    if not is_working_day(record.processing_date):
        add(
            "processing date",
            f"{record.processing_date:%a %d/%m/%Y} is not a working day "
            "(weekend or England and Wales bank holiday)",
        )
    return problems


def check_submission(
    originator: Originator, records: Sequence[SubmissionRecord], *, multi_day: bool = True
) -> list[SubmissionProblem]:
    """Every reason Bacs would refuse these records; an empty list means they can be written.

    A single-day Standard 18 file carries its one processing date in the UHL1 label, so
    with ``multi_day=False`` the records must all share one date.
    """
    problems = _originator_problems(originator)
    if not records:
        problems.append(SubmissionProblem(None, "file", "records", "there are no records"))
    for number, record in enumerate(records, start=1):
        problems.extend(_record_problems(number, record))
    dates = {r.processing_date for r in records}
    if not multi_day and len(dates) > 1:
        shown = ", ".join(f"{d:%d/%m/%Y}" for d in sorted(dates))
        problems.append(
            SubmissionProblem(
                None,
                "file",
                "processing date",
                f"a single-day file needs one processing date, these records have {shown}",
            )
        )
    return problems


def _refuse_if_invalid(
    originator: Originator, records: Sequence[SubmissionRecord], *, multi_day: bool
) -> None:
    problems = check_submission(originator, records, multi_day=multi_day)
    if problems:
        raise SubmissionError(problems)


def bacs_julian_date(day: date) -> str:
    """A date as Standard 18 writes it: space, 2-digit year, day of the year (`` YYDDD``)."""
    return f" {day:%y}{day.timetuple().tm_yday:03d}"


def _standard18_line(originator: Originator, record: SubmissionRecord, multi_day: bool) -> str:
    line = (
        record.sort_code  # 1-6
        + record.account_number  # 7-14
        + ACCOUNT_TYPE  # 15
        + TransactionCode(record.transaction_code).value  # 16-17
        + originator.sort_code  # 18-23
        + originator.account_number  # 24-31
        + FREE_FIELD  # 32-35
        + f"{record.amount:011d}"  # 36-46
        + clean_bacs_text(originator.name).ljust(NAME_WIDTH)  # 47-64
        + record.reference.ljust(REFERENCE_MAX)  # 65-82
        + clean_bacs_text(record.account_name).ljust(NAME_WIDTH)  # 83-100
    )
    if multi_day:
        line += bacs_julian_date(record.processing_date)  # 101-106
    return line


def standard18_lines(
    originator: Originator, records: Sequence[SubmissionRecord], *, multi_day: bool = True
) -> list[str]:
    """The Standard 18 data records, one string each (100 characters, 106 if ``multi_day``).

    Raises:
        SubmissionError: any record (or the originator) Bacs would refuse; nothing is written.
    """
    _refuse_if_invalid(originator, records, multi_day=multi_day)
    return [_standard18_line(originator, r, multi_day) for r in records]


def standard18_file(
    originator: Originator, records: Sequence[SubmissionRecord], *, multi_day: bool = True
) -> str:
    """The Standard 18 data records as file text, each line ending CRLF.

    Raises:
        SubmissionError: any record (or the originator) Bacs would refuse; nothing is written.
    """
    return "".join(
        line + LINE_END for line in standard18_lines(originator, records, multi_day=multi_day)
    )


def pounds_text(amount: Pence) -> str:
    """Pence as the bureau CSV writes pounds: two decimals, no sign, symbol or commas."""
    pounds, pence = divmod(amount, 100)
    return f"{pounds}.{pence:02d}"


def bureau_csv_rows(originator: Originator, records: Sequence[SubmissionRecord]) -> list[list[str]]:
    """The bureau CSV's rows, ten columns each in FACTS.md §5.5 order.

    Raises:
        SubmissionError: any record (or the originator) Bacs would refuse; nothing is written.
    """
    _refuse_if_invalid(originator, records, multi_day=True)
    return [
        [
            r.sort_code,
            r.account_number,
            clean_bacs_text(r.account_name),
            pounds_text(r.amount),
            TransactionCode(r.transaction_code).value,
            originator.sort_code,
            originator.account_number,
            clean_bacs_text(originator.name),
            r.reference,
            f"{r.processing_date:%d/%m/%Y}",
        ]
        for r in records
    ]


def bureau_csv(originator: Originator, records: Sequence[SubmissionRecord]) -> str:
    """The common bureau CSV as file text: no header, CRLF line ends.

    Raises:
        SubmissionError: any record (or the originator) Bacs would refuse; nothing is written.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerows(bureau_csv_rows(originator, records))
    return out.getvalue()


def collection_transaction_code(
    previous_collections: int, *, re_presentation: bool = False, final: bool = False
) -> TransactionCode:
    """The transaction code for a collection under a mandate (FACTS.md §5.4).

    Args:
        previous_collections: collections already submitted under this instruction.
        re_presentation: this re-presents an unpaid item for the same amount (18).
        final: this is the last collection and should close the instruction at the bank (19).

    A re-presentation is always 18. Otherwise the first collection is 01 even when it is
    also the last (the instruction is then cancelled with 0C), a final one is 19, and any
    other is 17.

    Raises:
        ValueError: a negative count, or a re-presentation with nothing collected before.
    """
    if previous_collections < 0:
        raise ValueError(f"previous_collections is {previous_collections}; it cannot be negative")
    if re_presentation:
        if previous_collections == 0:
            raise ValueError("a re-presentation needs an earlier collection to re-present")
        return TransactionCode.RE_PRESENTATION
    if previous_collections == 0:
        return TransactionCode.FIRST_COLLECTION
    if final:
        return TransactionCode.FINAL_COLLECTION
    return TransactionCode.REGULAR_COLLECTION


def processing_date_for(collection: date) -> date:
    """The Bacs processing date (Day 2) for money leaving the payer on ``collection`` (Day 3)."""
    return previous_working_day(next_working_day(collection))


def earliest_collection_date(as_of: date) -> date:
    """The first date money can leave a payer for a file submitted on ``as_of``.

    Day 1 (input) is ``as_of`` or the next working day, Day 2 processing, Day 3 the money.
    """
    return add_working_days(next_working_day(as_of), 2)


def first_collection_date(
    notice_given: date,
    due: date | None = None,
    *,
    as_of: date | None = None,
    notice_working_days: int = ADVANCE_NOTICE_WORKING_DAYS,
) -> date:
    """The date of a mandate's first collection.

    On ``due`` (moved to the next working day), or as soon as possible when no due date is
    given; never before ``notice_working_days`` working days after the advance notice was
    given, and, with ``as_of``, never before the Bacs 3-day cycle from that day allows.
    """
    result = collection_date(due or notice_given, notice_given, notice_working_days)
    if as_of is not None:
        result = max(result, earliest_collection_date(as_of))
    return result
