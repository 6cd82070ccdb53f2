"""Bacs Direct Debit reports: read and check a whole ARUDD, ADDACS or AUDDIS XML file.

This module owns the report formats in FACTS.md §5.1 and §5.3 (the ``BACSDocument`` XML
that Bacs sends). It only parses and validates; the import service applies. The kind of
report comes from the content, never the file name. The XML is parsed with defusedxml and
a document type declaration is refused outright (Bacs reports never have one), so an XML
bomb or an external entity is reported, not expanded.

:func:`read_bacs_report` checks the whole file and returns every problem found, each
naming the line and element; :func:`parse_bacs_report` raises :class:`BacsFileError`
carrying them all, for a caller that refuses the whole file when there is any.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from debtdesk.domain.bacs_codes import (
    ADDACS_CODES,
    ADDACS_NEEDS_NEW_DETAILS,
    AUDDIS_CODES,
    FollowUp,
    MandateChange,
    ReasonCode,
    addacs_outcome,
    arudd_reason,
)
from debtdesk.domain.money import MoneyError, Pence, parse_pounds


class ReportKind(StrEnum):
    ARUDD = "ARUDD"
    ADDACS = "ADDACS"
    AUDDIS = "AUDDIS"


COLLECTION_CODES = frozenset({"01", "17", "18", "19"})
"""Transaction codes of a collection, the only ones an ARUDD can return (FACTS.md §5.4)."""

_SUN = re.compile(r"^[0-9]{6}$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SORT_CODE = re.compile(r"^[0-9]{2}-?[0-9]{2}-?[0-9]{2}$")
_ACCOUNT_NUMBER = re.compile(r"^[0-9]{8}$")
_COUNT = re.compile(r"^[0-9]+$")
_AMOUNT = re.compile(r"^[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{2})?$|^[0-9]+(\.[0-9]{2})?$")

_ADVICE_TYPES = {
    "ADDACS": ReportKind.ADDACS,
    "AUDACC": ReportKind.AUDDIS,
    "AUDREJ": ReportKind.AUDDIS,
}
_REPORT_TYPES = {"7001": ReportKind.ADDACS, "7003": ReportKind.AUDDIS, "7004": ReportKind.AUDDIS}


# --- what a report holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong with a Bacs report: where (line and element) and what."""

    line: int | None
    element: str
    message: str

    def __str__(self) -> str:
        parts = [f"line {self.line}"] if self.line is not None else []
        if self.element:
            parts.append(self.element)
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


class BacsFileError(ValueError):
    """A Bacs report that cannot be imported; :attr:`problems` lists every reason."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in problems)
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"'{name}' cannot be imported ({count}):\n{lines}")


@dataclass(frozen=True)
class ReturnedDebit:
    """An ARUDD ``ReturnedDebitItem``: a collection the paying bank did not pay."""

    line: int
    reference: str
    payer_name: str
    amount: Pence
    original_processing_date: date
    transaction_code: str
    return_code: str
    return_description: str
    reason: ReasonCode | None
    """The mapped reason; None when the code is not in the table (an officer decides)."""
    payer_sort_code: str | None
    payer_account_number: str | None
    originating_sort_code: str | None
    originating_account_number: str | None


@dataclass(frozen=True)
class AruddReport:
    """An ARUDD: returned unpaid direct debits."""

    name: str
    service_user_number: str
    report_date: date
    """``Header/@currentProcessingDate``: the date the returns are effective."""
    items: tuple[ReturnedDebit, ...]

    @property
    def kind(self) -> ReportKind:
        return ReportKind.ARUDD


@dataclass(frozen=True)
class Amendment:
    """An ADDACS ``MessagingAdvice``: the paying bank changed or cancelled an instruction."""

    line: int
    reference: str
    payer_name: str
    reason_code: str
    reason: ReasonCode
    effective_date: date
    payer_sort_code: str | None
    payer_account_number: str | None
    new_sort_code: str | None
    new_account_number: str | None

    @property
    def has_new_details(self) -> bool:
        return self.new_sort_code is not None and self.new_account_number is not None

    @property
    def mandate_change(self) -> MandateChange:
        """What to do with the mandate (code 3 without new details suspends it)."""
        return addacs_outcome(self.reason_code, self.has_new_details)[0]

    @property
    def follow_up(self) -> FollowUp:
        """The follow-up for an officer (code 3 without new details: a new instruction)."""
        return addacs_outcome(self.reason_code, self.has_new_details)[1]


@dataclass(frozen=True)
class AddacsReport:
    """An ADDACS: amendments and cancellations of instructions."""

    name: str
    service_user_number: str
    report_date: date
    """``MessagingHeader/@report-generation-date``."""
    items: tuple[Amendment, ...]

    @property
    def kind(self) -> ReportKind:
        return ReportKind.ADDACS


@dataclass(frozen=True)
class SubmissionResult:
    """An AUDDIS file-level advice (record type V or R): a submitted file of instructions."""

    line: int
    accepted: bool
    """True for record type V (file accepted), False for R (file rejected)."""
    processing_date: date
    originator_file_number: str
    accepted_count: int
    rejected_count: int
    file_error_code: str | None
    errors: tuple[str, ...]
    """The ``MessagingError`` lines, for a rejected file."""


@dataclass(frozen=True)
class RejectedInstruction:
    """An AUDDIS instruction-level advice (record type N or D): an instruction the paying
    bank returned, with the reason."""

    line: int
    record_type: str
    reference: str
    payer_name: str
    transaction_code: str | None
    reason_code: str
    reason: str | None
    """The AUDDIS reason; None when the code is not in the table."""
    effective_date: date | None

    @property
    def accepted(self) -> bool:
        return False


@dataclass(frozen=True)
class AuddisReport:
    """An AUDDIS (advice type AUDACC or AUDREJ): the fate of lodged instructions."""

    name: str
    service_user_number: str
    report_date: date
    advice_type: str
    submissions: tuple[SubmissionResult, ...]
    items: tuple[RejectedInstruction, ...]

    @property
    def kind(self) -> ReportKind:
        return ReportKind.AUDDIS


BacsReport = AruddReport | AddacsReport | AuddisReport


# --- entry points -------------------------------------------------------------------------


def parse_bacs_report(data: bytes, name: str) -> BacsReport:
    """Read a whole Bacs report, refusing it if anything in it is wrong.

    Args:
        data: the file's bytes.
        name: the file's name, for messages only; the kind comes from the content.

    Raises:
        BacsFileError: the file is malformed, hostile, not a known report, or has bad
            values; it lists every problem found.
    """
    report, problems = read_bacs_report(data, name)
    if problems or report is None:
        raise BacsFileError(name, problems or [Problem(None, "", "not a Bacs report")])
    return report


def read_bacs_report(data: bytes, name: str) -> tuple[BacsReport | None, list[Problem]]:
    """Read a whole Bacs report and return it with every problem found.

    The report is None when there are problems; the caller must refuse the whole file.
    """
    root, lines, problem = _parse_xml(data)
    if problem is not None or root is None:
        return None, [problem or Problem(None, "", "not readable")]
    reader = _Reader(lines)
    report = reader.report(root, name)
    if reader.problems:
        return None, reader.problems
    return report, []


# --- XML ----------------------------------------------------------------------------------


class _LineTreeBuilder(ET.TreeBuilder):
    """Builds the tree and remembers each element's line in the file."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.lines: dict[ET.Element, int] = {}

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.lines[element] = self.expat.CurrentLineNumber
        return element


def _parse_xml(
    data: bytes,
) -> tuple[ET.Element | None, dict[ET.Element, int], Problem | None]:
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DTDForbidden:
        message = (
            "refused: the file declares a document type (<!DOCTYPE ...>); Bacs reports never "
            "do, and it can hide an XML bomb or an external entity"
        )
        return None, {}, Problem(_line(parser), "<!DOCTYPE>", message)
    except EntitiesForbidden as exc:
        message = (
            f"refused: the file declares an entity ({exc.name!r}), which Bacs reports never do"
        )
        return None, {}, Problem(_line(parser), "<!ENTITY>", message)
    except DefusedXmlException as exc:
        return None, {}, Problem(_line(parser), "", f"refused: unsafe XML ({exc})")
    except ET.ParseError as exc:
        line, column = exc.position
        detail = str(exc).split(":")[0]
        if line >= data.count(b"\n") + 1 or detail == "no element found":
            detail += "; the file ends before the XML does (truncated?)"
        message = f"not well-formed XML at column {column + 1}: {detail}"
        return None, {}, Problem(line, "", message)
    return root, builder.lines, None


def _line(parser: DefusedXMLParser) -> int | None:
    try:
        return int(parser.parser.CurrentLineNumber)
    except Exception:  # the expat parser is gone once it has failed in some versions
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, tag: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == tag]


# --- checking -----------------------------------------------------------------------------


class _Reader:
    """Walks a parsed report; each method returns a value or None and notes problems."""

    def __init__(self, lines: Mapping[ET.Element, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, element: ET.Element | None, where: str, message: str) -> None:
        line = self.lines.get(element) if element is not None else None
        self.problems.append(Problem(line, where, message))

    # what kind of report -----------------------------------------------------------------

    def report(self, root: ET.Element, name: str) -> BacsReport | None:
        if _local(root.tag) != "BACSDocument":
            message = (
                f"not a Bacs report: the document is <{_local(root.tag)}>, expected "
                "<BACSDocument> holding an ARUDD, ADDACS or AUDDIS"
            )
            self.problem(root, _local(root.tag), message)
            return None
        data = self.one(root, "Data", "BACSDocument")
        if data is None:
            return None
        arudd = _children(data, "ARUDD")
        advices = _children(data, "MessagingAdvices")
        if len(arudd) + len(advices) != 1:
            found = ", ".join(sorted({_local(child.tag) for child in data})) or "nothing"
            message = (
                "not a known Bacs report: expected one ARUDD or MessagingAdvices "
                f"(ADDACS/AUDDIS) in Data, found {found}"
            )
            self.problem(data, "BACSDocument/Data", message)
            return None
        if arudd:
            return self.arudd(arudd[0], name)
        return self.messaging(advices[0], name)

    # ARUDD -------------------------------------------------------------------------------

    def arudd(self, arudd: ET.Element, name: str) -> AruddReport | None:
        header = self.one(arudd, "Header", "ARUDD")
        licence = self.one(arudd, "ServiceLicenseInformation", "ARUDD")
        report_date = sun = None
        if header is not None:
            report_date = self.date(header, "ARUDD/Header", "currentProcessingDate")
        if licence is not None:
            sun = self.sun(licence, "ARUDD/ServiceLicenseInformation", "userNumber")
        advices = _children(arudd, "Advice")
        if not advices:
            self.problem(arudd, "ARUDD", "missing element Advice")
        items: list[ReturnedDebit] = []
        number = 0
        for advice in advices:
            for group in _children(advice, "OriginatingAccountRecords"):
                for record_index, record in enumerate(
                    _children(group, "OriginatingAccountRecord"), start=1
                ):
                    where = f"OriginatingAccountRecord {record_index}"
                    account = _first(record, "OriginatingAccount")
                    originating: tuple[str | None, str | None] = (None, None)
                    if account is not None:
                        originating = (
                            self.sort_code(account, f"{where}/OriginatingAccount", "sortCode"),
                            self.account_number(account, f"{where}/OriginatingAccount", "number"),
                        )
                    record_items: list[ReturnedDebit] = []
                    count = 0
                    for element in _children(record, "ReturnedDebitItem"):
                        number += 1
                        count += 1
                        item = self.returned_debit(element, number, originating)
                        if item is not None:
                            record_items.append(item)
                    self.totals(record, where, count, record_items)
                    items.extend(record_items)
        if sun is None or report_date is None:
            return None
        return AruddReport(name, sun, report_date, tuple(items))

    def returned_debit(
        self, element: ET.Element, number: int, originating: tuple[str | None, str | None]
    ) -> ReturnedDebit | None:
        payer = _first(element, "PayerAccount")
        reference = self.optional(element, "ref") or (
            self.optional(payer, "ref") if payer is not None else None
        )
        where = f"ReturnedDebitItem {number}" + (f" (ref {reference})" if reference else "")
        if reference is None:
            self.problem(element, where, "missing attribute ref")
        payer_name = None
        if payer is None:
            self.problem(element, where, "missing element PayerAccount")
        else:
            payer_name = self.required(payer, f"{where}/PayerAccount", "name")
        payer_sort_code = payer_account_number = None
        if payer is not None:
            payer_sort_code = self.sort_code(payer, f"{where}/PayerAccount", "sortCode")
            payer_account_number = self.account_number(payer, f"{where}/PayerAccount", "number")
        amount = self.amount(element, where, "valueOf")
        self.currency(element, where)
        processing = self.date(element, where, "originalProcessingDate")
        code = self.required(element, where, "returnCode")
        description = self.optional(element, "returnDescription") or ""
        trans_code = self.required(element, where, "transCode")
        if trans_code is not None and trans_code not in COLLECTION_CODES:
            message = f"transCode {trans_code!r} is not a collection (01, 17, 18 or 19)"
            self.problem(element, where, message)
            trans_code = None
        if (
            reference is None
            or payer_name is None
            or amount is None
            or processing is None
            or code is None
            or trans_code is None
        ):
            return None
        return ReturnedDebit(
            line=self.lines.get(element, 0),
            reference=reference,
            payer_name=payer_name,
            amount=amount,
            original_processing_date=processing,
            transaction_code=trans_code,
            return_code=code,
            return_description=description,
            reason=arudd_reason(code, description),
            payer_sort_code=payer_sort_code,
            payer_account_number=payer_account_number,
            originating_sort_code=originating[0],
            originating_account_number=originating[1],
        )

    def totals(
        self, record: ET.Element, where: str, count: int, items: list[ReturnedDebit]
    ) -> None:
        """Check an OriginatingAccountRecord's Totals against its items, when given."""
        totals = _first(record, "Totals")
        if totals is None:
            return
        where = f"{where}/Totals"
        number_of = self.optional(totals, "numberOf")
        if number_of is not None:
            if not _COUNT.match(number_of):
                self.problem(totals, where, f"numberOf {number_of!r} is not a count")
            elif int(number_of) != count:
                message = f"numberOf is {number_of} but the record has {count} ReturnedDebitItem"
                self.problem(totals, where, message)
        value = self.amount(totals, where, "valueOf", required=False, positive=False)
        if value is not None and len(items) == count:
            total = sum(item.amount for item in items)
            if value != total:
                message = (
                    f"valueOf is {totals.get('valueOf')} but the items add up to "
                    f"{total // 100}.{total % 100:02d}"
                )
                self.problem(totals, where, message)

    # ADDACS and AUDDIS -------------------------------------------------------------------

    def messaging(self, advices: ET.Element, name: str) -> BacsReport | None:
        header = self.one(advices, "MessagingHeader", "MessagingAdvices")
        if header is None:
            return None
        where = "MessagingHeader"
        advice_type = (header.get("advice-type") or "").strip().upper()
        report_type = (header.get("report-type") or "").strip()
        kind = _ADVICE_TYPES.get(advice_type) or (
            None if advice_type else _REPORT_TYPES.get(report_type)
        )
        if kind is None:
            message = (
                f"not a known Bacs report: advice-type {advice_type!r}, report-type "
                f"{report_type!r} (expected ADDACS 7001, AUDACC 7003 or AUDREJ 7004)"
            )
            self.problem(header, where, message)
            return None
        expected = {"ADDACS": "7001", "AUDACC": "7003", "AUDREJ": "7004"}.get(advice_type)
        if report_type and expected and report_type != expected:
            message = (
                f"report-type {report_type!r} does not match advice-type {advice_type!r} "
                f"(expected {expected})"
            )
            self.problem(header, where, message)
        sun = self.sun(header, where, "user-number")
        report_date = self.date(header, where, "report-generation-date")
        messages = _children(advices, "MessagingAdvice")
        for number, advice in enumerate(messages, start=1):
            user = advice.get("user-number")
            if sun is not None and user is not None and user.strip() != sun:
                message = f"user-number {user!r} differs from the header's {sun!r}"
                self.problem(advice, f"MessagingAdvice {number}", message)
        if kind is ReportKind.ADDACS:
            amendments = [self.amendment(advice, n) for n, advice in enumerate(messages, 1)]
            if sun is None or report_date is None:
                return None
            kept = tuple(item for item in amendments if item is not None)
            return AddacsReport(name, sun, report_date, kept)
        return self.auddis(advices, messages, name, sun, report_date, advice_type or report_type)

    def amendment(self, element: ET.Element, number: int) -> Amendment | None:
        reference = self.optional(element, "reference")
        where = f"MessagingAdvice {number}" + (f" (reference {reference})" if reference else "")
        if reference is None:
            self.problem(element, where, "missing attribute reference")
        record_type = self.optional(element, "record-type")
        if record_type != "A":
            message = f"record-type {record_type!r} is not an ADDACS advice (expected 'A')"
            self.problem(element, where, message)
        code = self.required(element, where, "reason-code")
        reason = None
        if code is not None:
            reason = ADDACS_CODES.get(code.upper())
            if reason is None:
                known = ", ".join(ADDACS_CODES)
                message = f"reason-code {code!r} is not an ADDACS reason code ({known})"
                self.problem(element, where, message)
        effective = self.date(element, where, "effective-date")
        new_sort = self.sort_code(element, where, "payer-new-sort-code")
        new_account = self.account_number(element, where, "payer-new-account-number")
        given = [
            attribute
            for attribute in ("payer-new-sort-code", "payer-new-account-number")
            if self.optional(element, attribute) is not None
        ]
        if len(given) == 1:
            other = "payer-new-sort-code"
            if given[0] == other:
                other = "payer-new-account-number"
            self.problem(element, where, f"{given[0]} given without {other}")
        elif not given and reason is not None and reason.code in ADDACS_NEEDS_NEW_DETAILS:
            message = (
                f"reason-code {reason.code} ({reason.reason}) needs payer-new-sort-code "
                "and payer-new-account-number"
            )
            self.problem(element, where, message)
        if reference is None or reason is None or effective is None:
            return None
        return Amendment(
            line=self.lines.get(element, 0),
            reference=reference,
            payer_name=self.optional(element, "payer-name") or "",
            reason_code=reason.code,
            reason=reason,
            effective_date=effective,
            payer_sort_code=self.optional(element, "payer-sort-code"),
            payer_account_number=self.optional(element, "payer-account-number"),
            new_sort_code=new_sort,
            new_account_number=new_account,
        )

    def auddis(
        self,
        advices: ET.Element,
        messages: list[ET.Element],
        name: str,
        sun: str | None,
        report_date: date | None,
        advice_type: str,
    ) -> AuddisReport | None:
        errors = tuple(
            text
            for element in _children(advices, "MessagingError")
            for key, value in sorted(element.attrib.items())
            if key.startswith("line") and (text := value.strip()) and text != "0"
        )
        submissions: list[SubmissionResult] = []
        items: list[RejectedInstruction] = []
        for number, element in enumerate(messages, start=1):
            record_type = (element.get("record-type") or "").strip().upper()
            if record_type in ("V", "R"):
                result = self.submission(element, number, record_type, errors)
                if result is not None:
                    submissions.append(result)
            elif record_type in ("N", "D"):
                item = self.rejected_instruction(element, number, record_type)
                if item is not None:
                    items.append(item)
            else:
                message = (
                    f"record-type {record_type!r} is not an AUDDIS advice "
                    "(V or R for a file, N or D for an instruction)"
                )
                self.problem(element, f"MessagingAdvice {number}", message)
        if sun is None or report_date is None:
            return None
        return AuddisReport(name, sun, report_date, advice_type, tuple(submissions), tuple(items))

    def submission(
        self, element: ET.Element, number: int, record_type: str, errors: tuple[str, ...]
    ) -> SubmissionResult | None:
        where = f"MessagingAdvice {number} (record-type {record_type})"
        processing = self.date(element, where, "processing-date")
        file_number = self.required(element, where, "originator-file-number")
        accepted = self.count(element, where, "accepted-ddi")
        rejected = self.count(element, where, "rejected-ddi")
        error_code = self.optional(element, "file-error-code")
        if processing is None or file_number is None or accepted is None or rejected is None:
            return None
        return SubmissionResult(
            line=self.lines.get(element, 0),
            accepted=record_type == "V",
            processing_date=processing,
            originator_file_number=file_number,
            accepted_count=accepted,
            rejected_count=rejected,
            file_error_code=None if error_code in (None, "0") else error_code,
            errors=errors if record_type == "R" else (),
        )

    def rejected_instruction(
        self, element: ET.Element, number: int, record_type: str
    ) -> RejectedInstruction | None:
        reference = self.optional(element, "reference")
        where = f"MessagingAdvice {number}" + (f" (reference {reference})" if reference else "")
        if reference is None:
            self.problem(element, where, "missing attribute reference")
        code = self.required(element, where, "reason-code")
        effective = None
        if self.optional(element, "effective-date") is not None:
            effective = self.date(element, where, "effective-date")
            if effective is None:
                return None
        if reference is None or code is None:
            return None
        return RejectedInstruction(
            line=self.lines.get(element, 0),
            record_type=record_type,
            reference=reference,
            payer_name=self.optional(element, "payer-name") or "",
            transaction_code=self.optional(element, "transaction-code"),
            reason_code=code.upper(),
            reason=AUDDIS_CODES.get(code.upper()),
            effective_date=effective,
        )

    # values ------------------------------------------------------------------------------

    def one(self, parent: ET.Element, tag: str, where: str) -> ET.Element | None:
        found = _children(parent, tag)
        if not found:
            self.problem(parent, where, f"missing element {tag}")
            return None
        if len(found) > 1:
            self.problem(found[1], where, f"element {tag} appears {len(found)} times")
            return None
        return found[0]

    def optional(self, element: ET.Element, attribute: str) -> str | None:
        value = element.get(attribute)
        if value is None:
            return None
        return value.strip() or None

    def required(self, element: ET.Element, where: str, attribute: str) -> str | None:
        value = self.optional(element, attribute)
        if value is None:
            state = "empty" if element.get(attribute) is not None else "missing"
            self.problem(element, where, f"{state} attribute {attribute}")
        return value

    def date(self, element: ET.Element, where: str, attribute: str) -> date | None:
        value = self.required(element, where, attribute)
        if value is None:
            return None
        if not _ISO_DATE.match(value):
            self.problem(element, where, f"{attribute} {value!r} is not a date (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(element, where, f"{attribute} {value!r} is not a real date")
            return None

    def sun(self, element: ET.Element, where: str, attribute: str) -> str | None:
        value = self.required(element, where, attribute)
        if value is not None and not _SUN.match(value):
            message = f"{attribute} {value!r} is not a service user number (6 digits)"
            self.problem(element, where, message)
            return None
        return value

    def amount(
        self,
        element: ET.Element,
        where: str,
        attribute: str,
        *,
        required: bool = True,
        positive: bool = True,
    ) -> Pence | None:
        value = (
            self.required(element, where, attribute)
            if required
            else self.optional(element, attribute)
        )
        if value is None:
            return None
        try:
            if not _AMOUNT.match(value):
                raise MoneyError(value)
            pence = parse_pounds(value)
        except MoneyError:
            self.problem(element, where, f"{attribute} {value!r} is not an amount in pounds")
            return None
        if positive and pence <= 0:
            self.problem(element, where, f"{attribute} {value!r} is not more than zero")
            return None
        return pence

    def currency(self, element: ET.Element, where: str) -> None:
        currency = self.optional(element, "currency")
        if currency is not None and currency.upper() != "GBP":
            self.problem(element, where, f"currency {currency!r} is not GBP")

    def count(self, element: ET.Element, where: str, attribute: str) -> int | None:
        value = self.required(element, where, attribute)
        if value is None:
            return None
        if not _COUNT.match(value):
            self.problem(element, where, f"{attribute} {value!r} is not a count")
            return None
        return int(value)

    def sort_code(self, element: ET.Element, where: str, attribute: str) -> str | None:
        value = self.optional(element, attribute)
        if value is None:
            return None
        if not _SORT_CODE.match(value):
            self.problem(element, where, f"{attribute} {value!r} is not a sort code (6 digits)")
            return None
        return value.replace("-", "")

    def account_number(self, element: ET.Element, where: str, attribute: str) -> str | None:
        value = self.optional(element, attribute)
        if value is None:
            return None
        if not _ACCOUNT_NUMBER.match(value):
            message = f"{attribute} {value!r} is not an account number (8 digits)"
            self.problem(element, where, message)
            return None
        return value


def _first(element: ET.Element, tag: str) -> ET.Element | None:
    found = _children(element, tag)
    return found[0] if found else None
