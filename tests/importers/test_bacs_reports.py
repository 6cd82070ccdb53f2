"""Tests for the Bacs report parser against hand-written sample files under tests/data/bacs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from debtdesk.domain.bacs_codes import (
    ADDACS_CODES,
    ARUDD_CODES,
    FollowUp,
    MandateChange,
    addacs_outcome,
    arudd_reason,
)
from debtdesk.importers.bacs_reports import (
    AddacsReport,
    AruddReport,
    AuddisReport,
    BacsFileError,
    Problem,
    ReportKind,
    parse_bacs_report,
    read_bacs_report,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "bacs"


def parse(name: str) -> object:
    return parse_bacs_report((DATA / name).read_bytes(), name)


def refused(name: str, data: bytes | None = None) -> list[str]:
    with pytest.raises(BacsFileError) as caught:
        parse_bacs_report((DATA / name).read_bytes() if data is None else data, name)
    assert name in str(caught.value)
    return [str(problem) for problem in caught.value.problems]


# --- ARUDD ----------------------------------------------------------------------------------


def test_arudd_across_two_originating_accounts() -> None:
    report = parse("arudd.xml")
    assert isinstance(report, AruddReport)
    assert report.kind is ReportKind.ARUDD
    assert report.service_user_number == "654321"
    assert report.report_date == date(2026, 2, 4)
    summary = [
        (
            item.reference,
            item.payer_name,
            item.amount,
            item.original_processing_date,
            item.transaction_code,
            item.return_code,
            item.reason.code if item.reason else None,
            item.originating_account_number,
        )
        for item in report.items
    ]
    assert summary == [
        # "12.34" -> 1234 pence; the trailing spaces of the ref are trimmed
        ("CC000101 MANDATE", "M ELLIS", 1234, date(2026, 2, 2), "17", "0", "0", "11112222"),
        # 4-digit XML code 0128 = refer to payer
        ("CC000102 MANDATE", "H FINCH", 6500, date(2026, 2, 2), "01", "0128", "0", "11112222"),
        # 4-digit XML code 1012 = instruction cancelled
        ("CC000103 MANDATE", "A OKAFOR", 10315, date(2026, 1, 30), "17", "1012", "1", "11112222"),
        ("CC000104 MANDATE", "J PATEL", 123456, date(2026, 2, 2), "18", "2", "2", "33334444"),
        # an unknown 4-digit code is mapped by its description
        ("CC000105 MANDATE", "R SINGH", 50, date(2026, 2, 2), "17", "0999", "3", "33334444"),
        # unknown code and description: no reason, an officer decides
        ("CC000106 MANDATE", "T BROWN", 4950, date(2026, 2, 2), "19", "0777", None, "33334444"),
    ]
    assert all(isinstance(item.amount, int) for item in report.items)
    first = report.items[0]
    assert first.payer_sort_code == "123456"
    assert first.payer_account_number == "12345678"
    assert first.originating_sort_code == "203040"
    assert first.line == 12
    follow_ups = [item.reason.follow_up if item.reason else None for item in report.items]
    assert follow_ups == [
        FollowUp.RE_PRESENT,
        FollowUp.RE_PRESENT,
        FollowUp.NEW_INSTRUCTION,
        FollowUp.DECEASED,
        FollowUp.NEW_INSTRUCTION,
        None,
    ]


def test_arudd_with_one_item_and_a_thousands_comma() -> None:
    report = parse("arudd_one_item.xml")
    assert isinstance(report, AruddReport)
    [item] = report.items
    assert item.amount == 100000  # "1,000.00"
    assert item.reason is not None
    assert item.reason.code == "B"
    assert item.reason.mandate is MandateChange.CANCEL


def test_kind_comes_from_the_content_not_the_name() -> None:
    data = (DATA / "addacs.xml").read_bytes()
    report = parse_bacs_report(data, "ARUDD-2026-02-06.xml")
    assert report.kind is ReportKind.ADDACS


# --- ADDACS ---------------------------------------------------------------------------------


def test_addacs_cancellations_and_transfers() -> None:
    report = parse("addacs.xml")
    assert isinstance(report, AddacsReport)
    assert report.kind is ReportKind.ADDACS
    assert report.service_user_number == "654321"
    assert report.report_date == date(2026, 2, 6)
    summary = [
        (item.reference, item.reason_code, item.effective_date, item.mandate_change, item.follow_up)
        for item in report.items
    ]
    assert summary == [
        ("CC000201 MANDATE", "0", date(2026, 2, 5), MandateChange.CANCEL, FollowUp.NEW_INSTRUCTION),
        (
            "CC000202 MANDATE",
            "1",
            date(2026, 2, 5),
            MandateChange.CANCEL,
            FollowUp.OTHER_PAYMENT_METHOD,
        ),
        ("CC000203 MANDATE", "2", date(2026, 2, 4), MandateChange.CANCEL, FollowUp.DECEASED),
        ("CC000204 MANDATE", "3", date(2026, 2, 9), MandateChange.UPDATE, FollowUp.NONE),
        # transferred with only the old details: suspend and get a new instruction
        (
            "CC000205 MANDATE",
            "3",
            date(2026, 2, 9),
            MandateChange.SUSPEND,
            FollowUp.NEW_INSTRUCTION,
        ),
        ("CC000206 MANDATE", "B", date(2026, 2, 5), MandateChange.CANCEL, FollowUp.NEW_INSTRUCTION),
        ("CC000207 MANDATE", "C", date(2026, 2, 10), MandateChange.UPDATE, FollowUp.NONE),
        (
            "CC000208 MANDATE",
            "D",
            date(2026, 2, 5),
            MandateChange.SUSPEND,
            FollowUp.STOP_UNTIL_RESOLVED,
        ),
        ("CC000209 MANDATE", "R", date(2026, 2, 5), MandateChange.REINSTATE, FollowUp.NONE),
        ("CC000210 MANDATE", "E", date(2026, 2, 11), MandateChange.UPDATE, FollowUp.NONE),
    ]
    transfer = report.items[3]
    assert (transfer.new_sort_code, transfer.new_account_number) == ("222222", "98760004")
    assert transfer.payer_name == "E DAVIS"
    branch = report.items[6]
    assert (branch.new_sort_code, branch.new_account_number) == ("111122", "12340007")
    assert report.items[4].has_new_details is False
    assert {item.reason_code for item in report.items} == set(ADDACS_CODES)


# --- AUDDIS ---------------------------------------------------------------------------------


def test_auddis_accepted_file_with_one_rejected_instruction() -> None:
    report = parse("auddis_accepted.xml")
    assert isinstance(report, AuddisReport)
    assert report.kind is ReportKind.AUDDIS
    assert report.advice_type == "AUDACC"
    assert report.service_user_number == "654321"
    assert report.report_date == date(2026, 2, 6)
    [submission] = report.submissions
    assert submission.accepted is True
    assert submission.processing_date == date(2026, 2, 5)
    assert submission.originator_file_number == "014"
    assert (submission.accepted_count, submission.rejected_count) == (1, 1)
    assert submission.file_error_code is None
    assert submission.errors == ()
    [rejected] = report.items
    assert rejected.accepted is False
    assert rejected.reference == "CC000302 MANDATE"
    assert rejected.transaction_code == "0N"
    assert rejected.reason_code == "5"
    assert rejected.reason == "No account"


def test_auddis_rejected_file() -> None:
    report = parse("auddis_rejected.xml")
    assert isinstance(report, AuddisReport)
    assert report.advice_type == "AUDREJ"
    [submission] = report.submissions
    assert submission.accepted is False
    assert (submission.accepted_count, submission.rejected_count) == (0, 2)
    assert submission.file_error_code == "30264"
    assert submission.errors == ("User Status is TEST on Arrival Day",)
    assert report.items == ()


# --- refused files --------------------------------------------------------------------------


def test_truncated_file() -> None:
    [problem] = refused("truncated.xml")
    assert problem.startswith("line 18: not well-formed XML")
    assert "truncated" in problem


def test_empty_file() -> None:
    [problem] = refused("empty.xml", b"")
    assert "not well-formed XML" in problem


def test_not_xml_at_all() -> None:
    [problem] = refused("statement.csv", b"date,amount\n01/02/2026,12.34\n")
    assert problem.startswith("line 1: not well-formed XML")


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_hostile_xml_is_refused_without_expanding(name: str) -> None:
    [problem] = refused(name)
    assert problem.startswith("line 2, <!DOCTYPE>: refused")
    assert "XML bomb" in problem


def test_missing_amount() -> None:
    assert refused("arudd_missing_amount.xml") == [
        "line 15, ReturnedDebitItem 2 (ref CC000102 MANDATE): missing attribute valueOf"
    ]


def test_bad_dates_are_all_reported() -> None:
    assert refused("arudd_bad_date.xml") == [
        "line 5, ARUDD/Header: currentProcessingDate '04/02/2026' is not a date (YYYY-MM-DD)",
        "line 18, ReturnedDebitItem 3 (ref CC000103 MANDATE): "
        "originalProcessingDate '2026-02-30' is not a real date",
    ]


def test_unknown_report() -> None:
    [problem] = refused("unknown_report.xml")
    assert problem.startswith("line 5, MessagingHeader: not a known Bacs report")
    assert "'AWACS'" in problem


def test_a_voca_document_is_not_a_bacs_report() -> None:
    [problem] = refused("ddica.xml")
    assert problem.startswith("line 2, VocaDocument: not a Bacs report")


def _arudd_with(old: str, new: str) -> bytes:
    data = (DATA / "arudd.xml").read_bytes()
    assert old.encode() in data
    return data.replace(old.encode(), new.encode(), 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'valueOf="65.00"',
            'valueOf="65.001"',
            "line 15, ReturnedDebitItem 2 (ref CC000102 MANDATE): "
            "valueOf '65.001' is not an amount in pounds",
        ),
        (
            'valueOf="65.00"',
            'valueOf="-65.00"',
            "line 15, ReturnedDebitItem 2 (ref CC000102 MANDATE): "
            "valueOf '-65.00' is not an amount in pounds",
        ),
        (
            'valueOf="12.34"',
            'valueOf="0.00"',
            "line 12, ReturnedDebitItem 1 (ref CC000101 MANDATE): "
            "valueOf '0.00' is not more than zero",
        ),
        (
            'valueOf="65.00" currency="GBP"',
            'valueOf="65.00" currency="EUR"',
            "line 15, ReturnedDebitItem 2 (ref CC000102 MANDATE): currency 'EUR' is not GBP",
        ),
        (
            'userNumber="654321"',
            'userNumber="65432"',
            "line 7, ARUDD/ServiceLicenseInformation: "
            "userNumber '65432' is not a service user number (6 digits)",
        ),
        (
            'transCode="01"',
            'transCode="0N"',
            "line 15, ReturnedDebitItem 2 (ref CC000102 MANDATE): "
            "transCode '0N' is not a collection (01, 17, 18 or 19)",
        ),
        (
            'returnCode="0128" ',
            "",
            "line 15, ReturnedDebitItem 2 (ref CC000102 MANDATE): missing attribute returnCode",
        ),
        (
            '<Totals numberOf="3" valueOf="180.49"',
            '<Totals numberOf="3" valueOf="180.48"',
            "line 21, OriginatingAccountRecord 1/Totals: "
            "valueOf is 180.48 but the items add up to 180.49",
        ),
        (
            '<Totals numberOf="3" valueOf="180.49"',
            '<Totals numberOf="4" valueOf="180.49"',
            "line 21, OriginatingAccountRecord 1/Totals: "
            "numberOf is 4 but the record has 3 ReturnedDebitItem",
        ),
    ],
)
def test_bad_arudd_values(old: str, new: str, expected: str) -> None:
    assert refused("arudd.xml", _arudd_with(old, new)) == [expected]


def test_every_problem_in_the_file_is_listed() -> None:
    data = _arudd_with('valueOf="12.34"', 'valueOf="twelve"')
    data = data.replace(b'ref="CC000104 MANDATE" ', b"", 1)
    data = data.replace(b'name="J PATEL" ', b"", 1)
    data = data.replace(b'ref="CC000104 MANDATE" ', b"", 1)  # the PayerAccount's ref too
    report, problems = read_bacs_report(data, "arudd.xml")
    assert report is None
    assert [str(problem) for problem in problems] == [
        "line 12, ReturnedDebitItem 1 (ref CC000101 MANDATE): "
        "valueOf 'twelve' is not an amount in pounds",
        "line 25, ReturnedDebitItem 4: missing attribute ref",
        "line 26, ReturnedDebitItem 4/PayerAccount: missing attribute name",
    ]


def _addacs_with(old: str, new: str) -> bytes:
    data = (DATA / "addacs.xml").read_bytes()
    assert old.encode() in data
    return data.replace(old.encode(), new.encode(), 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'reason-code="D"',
            'reason-code="Z"',
            "line 14, MessagingAdvice 8 (reference CC000208 MANDATE): "
            "reason-code 'Z' is not an ADDACS reason code (0, 1, 2, 3, B, C, D, E, R)",
        ),
        (
            'payer-new-sort-code="11-11-22" payer-new-account-number="12340007" ',
            "",
            "line 13, MessagingAdvice 7 (reference CC000207 MANDATE): reason-code C "
            "(Account transferred to a different branch) needs payer-new-sort-code "
            "and payer-new-account-number",
        ),
        (
            'payer-new-account-number="98760004" ',
            "",
            "line 10, MessagingAdvice 4 (reference CC000204 MANDATE): "
            "payer-new-sort-code given without payer-new-account-number",
        ),
        (
            'payer-new-account-number="98760004"',
            'payer-new-account-number="9876000"',
            "line 10, MessagingAdvice 4 (reference CC000204 MANDATE): "
            "payer-new-account-number '9876000' is not an account number (8 digits)",
        ),
        (
            'effective-date="2026-02-10"',
            'effective-date="2026-13-01"',
            "line 13, MessagingAdvice 7 (reference CC000207 MANDATE): "
            "effective-date '2026-13-01' is not a real date",
        ),
        (
            'user-number="654321" record-type="A" effective-date="2026-02-05" '
            'reference="CC000201 MANDATE"',
            'user-number="123456" record-type="A" effective-date="2026-02-05" '
            'reference="CC000201 MANDATE"',
            "line 7, MessagingAdvice 1: user-number '123456' differs from the header's '654321'",
        ),
        (
            'report-type="7001"',
            'report-type="7003"',
            "line 5, MessagingHeader: report-type '7003' does not match advice-type 'ADDACS' "
            "(expected 7001)",
        ),
        (
            'report-generation-date="2026-02-06"',
            "",
            "line 5, MessagingHeader: missing attribute report-generation-date",
        ),
    ],
)
def test_bad_addacs_values(old: str, new: str, expected: str) -> None:
    assert refused("addacs.xml", _addacs_with(old, new)) == [expected]


def test_problem_text() -> None:
    assert str(Problem(3, "Header", "bad")) == "line 3, Header: bad"
    assert str(Problem(None, "Header", "bad")) == "Header: bad"
    assert str(Problem(4, "", "bad")) == "line 4: bad"


# --- the codes as data ----------------------------------------------------------------------


def test_arudd_reason_keys_on_code_and_description() -> None:
    assert arudd_reason("0") is ARUDD_CODES["0"]
    assert arudd_reason("0128", "REFER TO PAYER") is ARUDD_CODES["0"]
    assert arudd_reason("1012", "") is ARUDD_CODES["1"]
    assert arudd_reason("b") is ARUDD_CODES["B"]
    assert arudd_reason("4321", " payer   deceased ") is ARUDD_CODES["2"]
    # the code says refer to payer, the words say deceased: never re-present on a guess
    assert arudd_reason("0128", "PAYER DECEASED") is None
    assert arudd_reason("9999", "WHO KNOWS") is None


def test_every_arudd_code_has_a_follow_up() -> None:
    assert list(ARUDD_CODES) == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B"]
    assert ARUDD_CODES["0"].follow_up is FollowUp.RE_PRESENT
    assert ARUDD_CODES["0"].mandate is MandateChange.KEEP
    assert ARUDD_CODES["2"].follow_up is FollowUp.DECEASED
    assert ARUDD_CODES["3"].follow_up is FollowUp.NEW_INSTRUCTION
    assert all(code.follow_up is not FollowUp.NONE for code in ARUDD_CODES.values())


def test_addacs_outcome() -> None:
    assert addacs_outcome("3", True) == (MandateChange.UPDATE, FollowUp.NONE)
    assert addacs_outcome("3", False) == (MandateChange.SUSPEND, FollowUp.NEW_INSTRUCTION)
    assert addacs_outcome("1", False) == (MandateChange.CANCEL, FollowUp.OTHER_PAYMENT_METHOD)
    assert MandateChange.CANCEL.stops_collections
    assert MandateChange.SUSPEND.stops_collections
    assert not MandateChange.UPDATE.stops_collections
    with pytest.raises(KeyError):
        addacs_outcome("Z", False)
