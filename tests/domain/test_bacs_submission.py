"""Tests for Bacs submission files: every position and date is worked out by hand in a comment.

Standard 18 positions (FACTS.md §5.5) are 1-based; a Python slice of the line is
``line[first - 1:last]``, so positions 1-6 are ``line[0:6]``, 36-46 are ``line[35:46]``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from debtdesk.domain.bacs_submission import (
    MAX_AMOUNT,
    Originator,
    SubmissionError,
    SubmissionRecord,
    TransactionCode,
    bacs_julian_date,
    bureau_csv,
    bureau_csv_rows,
    check_submission,
    clean_bacs_text,
    collection_transaction_code,
    earliest_collection_date,
    first_collection_date,
    processing_date_for,
    standard18_file,
    standard18_lines,
)

COUNCIL = Originator(
    service_user_number="123456",
    sort_code="401234",
    account_number="12345678",
    name="Shire County Council",
)

# Tuesday 13/10/2026, an ordinary working day.
TUESDAY = date(2026, 10, 13)

COLLECTION = SubmissionRecord(
    sort_code="200415",
    account_number="38290008",
    account_name="Mrs Zoë O'Brien",
    transaction_code=TransactionCode.REGULAR_COLLECTION,
    amount=12345,
    reference="CC000123-DD",
    processing_date=TUESDAY,
)

NEW_INSTRUCTION = replace(
    COLLECTION, transaction_code=TransactionCode.NEW_INSTRUCTION, amount=0, reference="CC000456"
)


# --- Standard 18, field by field -------------------------------------------------------


def test_standard18_multi_day_record_field_by_field() -> None:
    (line,) = standard18_lines(COUNCIL, [COLLECTION], multi_day=True)
    assert len(line) == 106
    # 1-6 destination sort code.
    assert line[0:6] == "200415"
    # 7-14 destination account number.
    assert line[6:14] == "38290008"
    # 15 account type, always 0.
    assert line[14:15] == "0"
    # 16-17 transaction code.
    assert line[15:17] == "17"
    # 18-23 originating (council's) sort code.
    assert line[17:23] == "401234"
    # 24-31 originating account number.
    assert line[23:31] == "12345678"
    # 32-35 free field, blank.
    assert line[31:35] == "    "
    # 36-46 amount: £123.45 = 12345 pence, 11 digits right-justified, zero-filled.
    assert line[35:46] == "00000012345"
    # 47-64 service user's name: "SHIRE COUNTY COUNCIL" is 20 characters; the first 18
    # are S,H,I,R,E,space,C,O,U,N,T,Y,space,C,O,U,N,C.
    assert line[46:64] == "SHIRE COUNTY COUNC"
    # 65-82 reference: "CC000123-DD" is 11 characters, padded with 7 spaces to 18.
    assert line[64:82] == "CC000123-DD" + " " * 7
    # 83-100 destination account name: "Mrs Zoë O'Brien" -> upper case, ë -> E, the
    # apostrophe (not in the Bacs set) -> space: "MRS ZOE O BRIEN" (15) + 3 spaces.
    assert line[82:100] == "MRS ZOE O BRIEN   "
    # 101-106 processing date " YYDDD": 13/10/2026 is day 31+28+31+30+31+30+31+31+30 = 273
    # days to the end of September, + 13 = 286 -> " 26286".
    assert line[100:106] == " 26286"


def test_standard18_single_day_record_is_the_first_100_characters() -> None:
    (single,) = standard18_lines(COUNCIL, [COLLECTION], multi_day=False)
    (multi,) = standard18_lines(COUNCIL, [COLLECTION], multi_day=True)
    assert len(single) == 100
    assert single == multi[:100]


def test_standard18_instruction_has_zero_amount_and_its_code() -> None:
    (line,) = standard18_lines(COUNCIL, [NEW_INSTRUCTION])
    # 16-17 code 0N; 36-46 eleven zeros; 65-82 "CC000456" (8) + 10 spaces.
    assert line[15:17] == "0N"
    assert line[35:46] == "00000000000"
    assert line[64:82] == "CC000456" + " " * 10


def test_standard18_file_has_one_crlf_line_per_record() -> None:
    text = standard18_file(COUNCIL, [NEW_INSTRUCTION, COLLECTION])
    lines = text.split("\r\n")
    # Two records, each ending CRLF, so the split leaves an empty string after the last.
    assert lines[2:] == [""]
    assert [line[15:17] for line in lines[:2]] == ["0N", "17"]
    assert all(len(line) == 106 for line in lines[:2])


def test_amount_uses_all_eleven_digits() -> None:
    big = replace(COLLECTION, amount=MAX_AMOUNT)
    (line,) = standard18_lines(COUNCIL, [big])
    assert line[35:46] == "99999999999"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 1, 1), " 27001"),
        # 2028 is a leap year: 31 December is day 366.
        (date(2028, 12, 31), " 28366"),
        # 1 March 2028: 31 (Jan) + 29 (Feb) + 1 = 61.
        (date(2028, 3, 1), " 28061"),
    ],
)
def test_bacs_julian_date(day: date, expected: str) -> None:
    assert bacs_julian_date(day) == expected


# --- The bureau CSV, column by column ---------------------------------------------------


def test_bureau_csv_columns() -> None:
    (row,) = bureau_csv_rows(COUNCIL, [COLLECTION])
    assert len(row) == 10
    assert row[0] == "200415"  # destination sort code
    assert row[1] == "38290008"  # destination account number
    assert row[2] == "MRS ZOE O BRIEN"  # destination name, cleaned, at most 18
    assert row[3] == "123.45"  # amount in pounds, 2 dp: 12345 pence
    assert row[4] == "17"  # transaction code
    assert row[5] == "401234"  # originating sort code
    assert row[6] == "12345678"  # originating account number
    assert row[7] == "SHIRE COUNTY COUNC"  # originator's name, cut to 18
    assert row[8] == "CC000123-DD"  # service user reference
    assert row[9] == "13/10/2026"  # processing date dd/mm/yyyy


def test_bureau_csv_text_has_no_header_and_crlf_lines() -> None:
    text = bureau_csv(COUNCIL, [NEW_INSTRUCTION, COLLECTION])
    assert text == (
        "200415,38290008,MRS ZOE O BRIEN,0.00,0N,401234,12345678,SHIRE COUNTY COUNC,"
        "CC000456,13/10/2026\r\n"
        "200415,38290008,MRS ZOE O BRIEN,123.45,17,401234,12345678,SHIRE COUNTY COUNC,"
        "CC000123-DD,13/10/2026\r\n"
    )
    assert len(list(csv.reader(io.StringIO(text)))) == 2


@pytest.mark.parametrize(
    ("pence", "pounds"),
    [(5, "0.05"), (100, "1.00"), (100_000, "1000.00"), (MAX_AMOUNT, "999999999.99")],
)
def test_bureau_csv_amount_is_pounds_without_commas(pence: int, pounds: str) -> None:
    (row,) = bureau_csv_rows(COUNCIL, [replace(COLLECTION, amount=pence)])
    assert row[3] == pounds


# --- Cleaning names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mr a smith", "MR A SMITH"),
        ("Smith, John & Co.", "SMITH  JOHN & CO."),
        ("Zoë Ørsted-Müller", "ZOE  RSTED-MULLER"),  # Ø has no decomposition: a space
        ("Straße", "STRASSE"),
        ("  padded  ", "PADDED"),
        ("A VERY LONG ACCOUNT NAME INDEED", "A VERY LONG ACCOUN"),
        # Cut at 18 leaves a trailing space; it is not kept.
        ("ABCDEFGHIJKLMNOPQ RST", "ABCDEFGHIJKLMNOPQ"),
    ],
)
def test_clean_bacs_text(text: str, expected: str) -> None:
    assert clean_bacs_text(text) == expected


# --- Refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"sort_code": "20041"}, "sort code", "'20041' is not 6 digits"),
        ({"sort_code": "20-04-15"}, "sort code", "is not 6 digits"),
        ({"account_number": "3829000"}, "account number", "'3829000' is not 8 digits"),
        ({"account_number": "3829000A"}, "account number", "is not 8 digits"),
        ({"account_name": "'''"}, "account name", "nothing Bacs can print"),
        ({"amount": 0}, "amount", "a collection (17) must be more than zero"),
        ({"amount": -100}, "amount", "must be more than zero"),
        ({"amount": 123.45}, "amount", "is not whole pence"),
        ({"amount": True}, "amount", "is not whole pence"),
        ({"amount": MAX_AMOUNT + 1}, "amount", "does not fit 11 digits"),
        ({"transaction_code": "99"}, "transaction code", "'99' is not one of"),
        ({"reference": "CC0001234567890123X"}, "reference", "19 characters; at most 18"),
        ({"reference": "CC01"}, "reference", "4 characters; at least 6"),
        ({"reference": ""}, "reference", "is empty"),
        ({"reference": "cc000123"}, "reference", "characters Bacs refuses: 'c'"),
        ({"reference": "CC00,123"}, "reference", "characters Bacs refuses: ','"),
        ({"reference": " CC00123"}, "reference", "starts with a space"),
        ({"reference": "DDIC00123"}, "reference", "starts with 'DDIC'"),
        ({"reference": "AAAAAAAA"}, "reference", "all the same character"),
        # Saturday 17/10/2026.
        ({"processing_date": date(2026, 10, 17)}, "processing date", "Sat 17/10/2026 is not"),
        # Christmas Day, Friday 25/12/2026.
        ({"processing_date": date(2026, 12, 25)}, "processing date", "Fri 25/12/2026 is not"),
        # Easter Monday 29/03/2027.
        ({"processing_date": date(2027, 3, 29)}, "processing date", "Mon 29/03/2027 is not"),
    ],
)
def test_a_bad_record_is_refused_naming_record_and_field(
    changes: dict[str, object], field: str, words: str
) -> None:
    bad = replace(COLLECTION, **changes)  # type: ignore[arg-type]
    problems = check_submission(COUNCIL, [NEW_INSTRUCTION, bad])
    assert len(problems) == 1
    (problem,) = problems
    assert problem.record == 2
    assert problem.field == field
    assert words in problem.message
    assert str(problem).startswith(f"record 2 (reference {bad.reference!r}): {field}: ")


@pytest.mark.parametrize(
    "code", [TransactionCode.NEW_INSTRUCTION, TransactionCode.CANCEL_INSTRUCTION]
)
def test_an_instruction_with_money_is_refused(code: TransactionCode) -> None:
    bad = replace(NEW_INSTRUCTION, transaction_code=code, amount=1)
    (problem,) = check_submission(COUNCIL, [bad])
    assert str(problem) == (
        f"record 1 (reference 'CC000456'): amount: 1 pence: an instruction ({code.value}) "
        "carries no money, so must be 0"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_user_number": "12345"}, "service user number"),
        ({"sort_code": "4012345"}, "sort code"),
        ({"account_number": "1234567"}, "account number"),
        ({"name": "!!!"}, "name"),
    ],
)
def test_a_bad_originator_is_refused(changes: dict[str, str], field: str) -> None:
    council = replace(COUNCIL, **changes)
    (problem,) = check_submission(council, [COLLECTION])
    assert problem.record is None
    assert str(problem).startswith(f"originator: {field}: ")


def test_writers_refuse_and_list_every_problem() -> None:
    bad = replace(COLLECTION, sort_code="1", amount=0)
    for write in (standard18_file, standard18_lines, bureau_csv, bureau_csv_rows):
        with pytest.raises(SubmissionError) as caught:
            write(COUNCIL, [NEW_INSTRUCTION, bad])
        assert [(p.record, p.field) for p in caught.value.problems] == [
            (2, "sort code"),
            (2, "amount"),
        ]
        assert "record 2 (reference 'CC000123-DD'): sort code: '1' is not 6 digits" in str(
            caught.value
        )


def test_no_records_is_refused() -> None:
    (problem,) = check_submission(COUNCIL, [])
    assert str(problem) == "file: records: there are no records"


def test_a_single_day_file_needs_one_processing_date() -> None:
    # Wednesday 14/10/2026 is a working day, but differs from Tuesday 13/10/2026.
    later = replace(COLLECTION, processing_date=date(2026, 10, 14))
    assert check_submission(COUNCIL, [COLLECTION, later], multi_day=True) == []
    (problem,) = check_submission(COUNCIL, [COLLECTION, later], multi_day=False)
    assert str(problem) == (
        "file: processing date: a single-day file needs one processing date, "
        "these records have 13/10/2026, 14/10/2026"
    )
    with pytest.raises(SubmissionError):
        standard18_lines(COUNCIL, [COLLECTION, later], multi_day=False)


# --- Transaction codes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "re_presentation", "final", "expected"),
    [
        (0, False, False, "01"),
        # First and last at once: still the first collection (then cancel with 0C).
        (0, False, True, "01"),
        (1, False, False, "17"),
        (12, False, False, "17"),
        (12, False, True, "19"),
        # A returned first collection re-presented is 18, not 01 again.
        (1, True, False, "18"),
        (5, True, True, "18"),
    ],
)
def test_collection_transaction_code(
    previous: int, re_presentation: bool, final: bool, expected: str
) -> None:
    code = collection_transaction_code(previous, re_presentation=re_presentation, final=final)
    assert code == expected
    assert code.is_collection


def test_collection_transaction_code_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="needs an earlier collection"):
        collection_transaction_code(0, re_presentation=True)
    with pytest.raises(ValueError, match="cannot be negative"):
        collection_transaction_code(-1)


def test_instruction_codes_are_not_collections() -> None:
    assert not TransactionCode.NEW_INSTRUCTION.is_collection
    assert not TransactionCode.CANCEL_INSTRUCTION.is_collection


# --- First collection date and processing date ---------------------------------------


def test_first_collection_across_christmas_2026() -> None:
    # Notice given Monday 14/12/2026. Working days after it: Tue 15 (1), Wed 16 (2),
    # Thu 17 (3), Fri 18 (4), Mon 21 (5), Tue 22 (6), Wed 23 (7), Thu 24 (8); Fri 25
    # Christmas, Sat 26, Sun 27, Mon 28 Boxing Day (observed) are not; Tue 29 (9),
    # Wed 30 (10). Without the bank holidays it would be Mon 28.
    notice = date(2026, 12, 14)
    assert first_collection_date(notice) == date(2026, 12, 30)
    # A due date inside the notice period is pushed to the end of it.
    assert first_collection_date(notice, date(2026, 12, 20)) == date(2026, 12, 30)
    # Due on New Year's Day 2027 (Friday, bank holiday): Sat 2, Sun 3, so Mon 04/01/2027.
    assert first_collection_date(notice, date(2027, 1, 1)) == date(2027, 1, 4)


def test_first_collection_across_easter_2027() -> None:
    # Notice given Thursday 18/03/2027: Fri 19 (1), Mon 22 (2), Tue 23 (3), Wed 24 (4),
    # Thu 25 (5); Fri 26 Good Friday, Sat 27, Sun 28, Mon 29 Easter Monday are not;
    # Tue 30 (6), Wed 31 (7), Thu 1 Apr (8), Fri 2 (9), Mon 5 (10).
    assert first_collection_date(date(2027, 3, 18)) == date(2027, 4, 5)
    # A shorter period agreed with the sponsoring bank: 5 working days -> Thu 25/03/2027.
    assert first_collection_date(date(2027, 3, 18), notice_working_days=5) == date(2027, 3, 25)


def test_first_collection_waits_for_the_bacs_cycle_from_as_of() -> None:
    # Notice Tuesday 01/12/2026 + 10 working days = Tuesday 15/12/2026 (Wed 2 ... Tue 15).
    notice = date(2026, 12, 1)
    assert first_collection_date(notice) == date(2026, 12, 15)
    # Submitted Wednesday 23/12/2026: Day 2 Thu 24, Day 3 the next working day after
    # Christmas and Boxing Day (observed) = Tuesday 29/12/2026.
    assert earliest_collection_date(date(2026, 12, 23)) == date(2026, 12, 29)
    assert first_collection_date(notice, as_of=date(2026, 12, 23)) == date(2026, 12, 29)
    # Submitted Saturday 26/12/2026: Day 1 Tue 29, Day 2 Wed 30, Day 3 Thu 31/12/2026.
    assert earliest_collection_date(date(2026, 12, 26)) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("collection", "processing"),
    [
        # Wednesday 14/10/2026 -> Tuesday 13/10/2026.
        (date(2026, 10, 14), date(2026, 10, 13)),
        # Wednesday 30/12/2026 -> Tuesday 29/12/2026.
        (date(2026, 12, 30), date(2026, 12, 29)),
        # Tuesday 29/12/2026 -> back over Mon 28 (observed), the weekend and Fri 25
        # Christmas -> Thursday 24/12/2026.
        (date(2026, 12, 29), date(2026, 12, 24)),
        # Monday 05/04/2027 -> Friday 02/04/2027.
        (date(2027, 4, 5), date(2027, 4, 2)),
        # A collection asked for on Easter Monday 29/03/2027 moves to Tue 30, so its
        # processing date is Thursday 25/03/2027 (before Good Friday).
        (date(2027, 3, 29), date(2027, 3, 25)),
    ],
)
def test_processing_date_for(collection: date, processing: date) -> None:
    assert processing_date_for(collection) == processing


def test_a_first_collection_written_end_to_end() -> None:
    # Notice 14/12/2026 -> collection Wed 30/12/2026 -> processing Tue 29/12/2026, day of
    # the year 365 - 2 = 363 -> " 26363".
    collected = first_collection_date(date(2026, 12, 14))
    record = replace(
        COLLECTION,
        transaction_code=collection_transaction_code(0),
        processing_date=processing_date_for(collected),
    )
    (line,) = standard18_lines(COUNCIL, [record])
    assert line[15:17] == "01"
    assert line[100:106] == " 26363"
    (row,) = bureau_csv_rows(COUNCIL, [record])
    assert (row[4], row[9]) == ("01", "29/12/2026")
