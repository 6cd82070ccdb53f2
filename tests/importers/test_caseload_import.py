"""Tests for the caseload import parser against sample files under tests/data/caseload."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from debtdesk.importers.caseload import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    CaseloadRow,
    Problem,
    read_caseload,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "caseload"
TYPES = ("INDIVIDUAL", "ESTATE", "BUSINESS")
HEADER = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MINIMAL = ",".join(REQUIRED_COLUMNS)

# What good.csv and the workbook built by write_good_xlsx both hold.
GOOD_ROWS = [
    CaseloadRow(
        line=2,
        account_ref="CC000101",
        client_name="Margaret Ellis",
        postcode="WX1 2AB",
        customer_type="INDIVIDUAL",
        weekly_contribution=123456,
        weekly_care_cost=150000,
        contribution_from=date(2025, 3, 12),
        date_of_birth=date(1938, 4, 2),
        care_setting="residential",
        officer="J Patel",
        opening_balance=41260,
        opening_balance_date=date(2025, 2, 1),
        dd_reference="CC000101 MANDATE",
        dd_sort_code="123456",
        dd_account_number="12345678",
        dd_account_name="M Ellis",
        dd_status="live",
    ),
    CaseloadRow(
        line=3,
        account_ref="CC000102",
        client_name="Harold Finch",
        postcode="WX1 2AB",
        customer_type="INDIVIDUAL",
        weekly_contribution=10315,
        weekly_care_cost=0,
        contribution_from=date(2025, 4, 7),
        date_of_birth=date(1941, 11, 14),
        care_setting="community",
        opening_balance=150,
        opening_balance_date=date(2025, 4, 7),
        representative_name="Susan Finch",
        representative_role="attorney",
    ),
    CaseloadRow(
        line=5,
        account_ref="CC000103",
        client_name="Estate of Ada Brown",
        postcode="W1A 1AA",
        customer_type="ESTATE",
        weekly_contribution=0,
        weekly_care_cost=0,
        contribution_from=date(2024, 4, 1),
        date_of_birth=date(1930, 5, 3),
        opening_balance=250000,
        opening_balance_date=date(2024, 4, 1),
        representative_name="Peter Brown",
        representative_role="executor",
        date_of_death=date(2025, 1, 20),
    ),
    CaseloadRow(
        line=7,
        account_ref="CC/104-A",
        client_name="Greenfields Ltd",
        postcode="EC1A 1BB",
        customer_type="BUSINESS",
        weekly_contribution=5620,
        weekly_care_cost=29010,
        contribution_from=date(2025, 1, 6),
        address="Unit 4\nGreenfields Park\nWexford",
        officer="K Osei",
    ),
]


def write_good_xlsx(path: Path) -> Path:
    """The workbook twin of good.csv, with typed cells where a spreadsheet would have them."""
    empty: list[object] = [None] * len(HEADER)

    def row(**values: object) -> list[object]:
        cells = list(empty)
        for name, value in values.items():
            cells[HEADER.index(name)] = value
        return cells

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    sheet.append(
        row(
            account_ref="CC000101",
            client_name="Margaret Ellis",
            postcode="wx1 2ab",
            customer_type="individual",
            weekly_contribution=1234.56,
            weekly_care_cost=1500,
            contribution_from=date(2025, 3, 12),
            date_of_birth=datetime(1938, 4, 2),
            care_setting="residential",
            officer="J Patel",
            opening_balance=412.6,
            opening_balance_date=date(2025, 2, 1),
            dd_reference="CC000101 MANDATE",
            dd_sort_code="12-34-56",
            dd_account_number=12345678,
            dd_account_name="M Ellis",
            dd_status="live",
        )
    )
    sheet.append(
        row(
            account_ref=" cc000102 ",
            client_name="  Harold Finch ",
            postcode="WX12AB",
            customer_type="INDIVIDUAL",
            weekly_contribution="103.15",
            weekly_care_cost=0,
            contribution_from="2025-04-07",
            date_of_birth="14/11/1941",
            care_setting="community",
            opening_balance="£1.5",
            representative_name="Susan Finch",
            representative_role="Attorney",
        )
    )
    sheet.append(empty)
    sheet.append(
        row(
            account_ref="CC000103",
            client_name="Estate of Ada Brown",
            postcode="W1A 1AA",
            customer_type="ESTATE",
            weekly_contribution=0,
            weekly_care_cost=0.0,
            contribution_from=date(2024, 4, 1),
            date_of_birth=date(1930, 5, 3),
            opening_balance=2500,
            representative_name="Peter Brown",
            representative_role="executor",
            date_of_death=date(2025, 1, 20),
        )
    )
    sheet.append(["  "] * len(HEADER))
    sheet.append(
        row(
            account_ref="CC/104-A",
            client_name="Greenfields Ltd",
            postcode="ec1a  1bb",
            customer_type="business",
            weekly_contribution=56.2,
            weekly_care_cost=290.1,
            contribution_from=date(2025, 1, 6),
            address="Unit 4\nGreenfields Park\nWexford",
            officer="K Osei",
        )
    )
    workbook.save(path)
    return path


def write_csv(path: Path, *lines: str, header: str = MINIMAL) -> Path:
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return path


def one_row(tmp_path: Path, **values: str) -> tuple[list[CaseloadRow], list[Problem]]:
    """Read a file of one account: a valid minimal row with ``values`` added or replaced."""
    cells = {
        "account_ref": "CC000900",
        "client_name": "Ann Avery",
        "postcode": "WX1 2AB",
        "customer_type": "INDIVIDUAL",
        "weekly_contribution": "100.00",
        "weekly_care_cost": "500.00",
        "contribution_from": "01/04/2025",
        **values,
    }
    names = list(cells)
    quoted = ['"' + cells[name].replace('"', '""') + '"' for name in names]
    path = write_csv(tmp_path / "one.csv", ",".join(quoted), header=",".join(names))
    return read_caseload(path, TYPES)


def messages(problems: list[Problem]) -> list[tuple[str | None, str]]:
    return [(p.column, p.message) for p in problems]


# --- good files -----------------------------------------------------------------------------


def test_good_csv_gives_every_row_normalised() -> None:
    rows, problems = read_caseload(DATA / "good.csv", TYPES)

    assert problems == []
    assert rows == GOOD_ROWS
    assert rows[0].weekly_contribution == 123456  # "1,234.56"
    assert rows[0].contribution_from == date(2025, 3, 12)  # "12/03/2025"
    assert rows[0].dd_sort_code == "123456"  # "12-34-56"
    assert rows[1].account_ref == "CC000102"  # " cc000102 "
    assert rows[1].postcode == "WX1 2AB"  # "WX12AB"
    assert rows[1].opening_balance_date == rows[1].contribution_from  # defaulted
    assert rows[3].address == "Unit 4\nGreenfields Park\nWexford"


def test_good_xlsx_gives_the_same_rows_as_good_csv(tmp_path: Path) -> None:
    xlsx_rows, xlsx_problems = read_caseload(write_good_xlsx(tmp_path / "good.xlsx"), TYPES)
    csv_rows, csv_problems = read_caseload(DATA / "good.csv", TYPES)

    assert xlsx_problems == csv_problems == []
    assert xlsx_rows == csv_rows
    assert xlsx_rows[0].weekly_contribution == 123456  # float cell 1234.56
    assert xlsx_rows[0].opening_balance == 41260  # float cell 412.6
    assert xlsx_rows[0].dd_account_number == "12345678"  # number cell
    assert xlsx_rows[3].weekly_care_cost == 29010  # float cell 290.1


def test_xlsx_date_cell_and_float_money_cell(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(REQUIRED_COLUMNS) + ["date_of_birth"])
    sheet.append(["CC1", "Ann Avery", "WX1 2AB", "INDIVIDUAL", 12.3, 0.1, date(2026, 1, 5), None])
    sheet.append(
        ["CC2", "Bob Barker", "WX1 2AB", "INDIVIDUAL", 7, 45.67, datetime(2026, 2, 2), 1.5]
    )
    workbook.save(tmp_path / "typed.xlsx")

    rows, problems = read_caseload(tmp_path / "typed.xlsx", TYPES)

    assert [(r.weekly_contribution, r.weekly_care_cost, r.contribution_from) for r in rows] == [
        (1230, 10, date(2026, 1, 5))
    ]
    assert problems == [
        Problem(3, "CC2", "date_of_birth", "'1.5' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    ]


def test_xlsx_problems_in_typed_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(REQUIRED_COLUMNS))
    sheet.append(["CC1", "Ann", "WX1 2AB", "INDIVIDUAL", 12.345, -4.5, datetime(2026, 1, 5, 9, 30)])
    sheet.append(["CC2", "Bob", "WX1 2AB", "INDIVIDUAL", True, "#N/A", "31/02/2026"])
    workbook.save(tmp_path / "typed.xlsx")

    rows, problems = read_caseload(tmp_path / "typed.xlsx", TYPES)

    assert rows == []
    assert [str(p) for p in problems] == [
        "line 2 (CC1), weekly_contribution: '12.345' has more than two decimal places",
        "line 2 (CC1), weekly_care_cost: '-4.5' is negative",
        "line 2 (CC1), contribution_from: '2026-01-05 09:30:00' has a time of day; expected a date",
        "line 3 (CC2), weekly_contribution: 'True' is not an amount in pounds",
        "line 3 (CC2), weekly_care_cost: '#N/A' is not an amount in pounds",
        "line 3 (CC2), contribution_from: '31/02/2026' is not a real date",
    ]


def test_xlsx_number_cell_formatted_with_leading_zeros_keeps_them(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(REQUIRED_COLUMNS) + ["dd_reference", "dd_sort_code", "dd_account_number"])
    sheet.append(
        [
            "CC1",
            "Ann",
            "WX1 2AB",
            "INDIVIDUAL",
            1,
            1,
            date(2026, 1, 5),
            "CC1-MANDATE",
            12345,
            1234567,
        ]
    )
    sheet.append(
        [
            "CC2",
            "Bob",
            "WX1 2AB",
            "INDIVIDUAL",
            1,
            1,
            date(2026, 1, 5),
            "CC2-MANDATE",
            12345,
            1234567,
        ]
    )
    sheet["I2"].number_format = "00-00-00"
    sheet["J2"].number_format = "00000000"
    workbook.save(tmp_path / "zeros.xlsx")

    rows, problems = read_caseload(tmp_path / "zeros.xlsx", TYPES)

    assert [(r.dd_sort_code, r.dd_account_number) for r in rows] == [("012345", "01234567")]
    assert messages(problems) == [
        ("dd_sort_code", "'12345' is not a sort code (6 digits, e.g. 12-34-56)"),
        ("dd_account_number", "'1234567' is not an account number (8 digits)"),
    ]


def test_bom_csv_reads_its_header(tmp_path: Path) -> None:
    assert (DATA / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    rows, problems = read_caseload(DATA / "bom.csv", TYPES)

    assert problems == []
    assert [(r.line, r.account_ref, r.client_name) for r in rows] == [(2, "CC000501", "Zoë Brönte")]


def test_line_numbers_count_physical_lines_after_a_multi_line_address(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "lines.csv",
        'CC1,Ann,WX1 2AB,INDIVIDUAL,1.00,1.00,01/04/2025,"1 High St\r\nWexford"',
        "CC2,Bob,WX1 2AB,INDIVIDUAL,1.00,1.00,01/04/2025,",
        "",
        "CC3,Cat,WX1 2AB,INDIVIDUAL,x,1.00,01/04/2025,",
        header=MINIMAL + ",address",
    )

    rows, problems = read_caseload(path, TYPES)

    assert [(r.line, r.account_ref) for r in rows] == [(2, "CC1"), (4, "CC2")]
    assert rows[0].address == "1 High St\nWexford"
    assert [(p.line, p.ref) for p in problems] == [(6, "CC3")]


# --- bad rows ---------------------------------------------------------------------------------


def test_bad_rows_give_exactly_their_problems() -> None:
    rows, problems = read_caseload(DATA / "bad_rows.csv", TYPES)

    assert problems == [
        Problem(3, "CC000202", "contribution_from", "'31/02/2026' is not a real date"),
        Problem(4, "CC000203", "weekly_contribution", "'-3.00' is negative"),
        Problem(5, "CC000204", "weekly_care_cost", "'five hundred' is not an amount in pounds"),
        Problem(
            6,
            "CC000205",
            "customer_type",
            "unknown customer type 'CHARITY' (known: BUSINESS, ESTATE, INDIVIDUAL)",
        ),
        Problem(7, "CC000201", "account_ref", "duplicate account_ref: first on line 2"),
    ]
    assert str(problems[1]) == "line 4 (CC000203), weekly_contribution: '-3.00' is negative"
    assert [r.account_ref for r in rows] == ["CC000201"]


def test_every_problem_in_a_row_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "many.csv", "CC 1,,XX,NOPE,1.234,£-2,tomorrow")

    _, problems = read_caseload(path, TYPES)

    assert messages(problems) == [
        ("account_ref", "'CC 1' is not a reference (1 to 20 letters, digits, '-' or '/')"),
        ("client_name", "a value is required"),
        ("postcode", "'XX' is not a UK postcode"),
        ("customer_type", "unknown customer type 'NOPE' (known: BUSINESS, ESTATE, INDIVIDUAL)"),
        ("weekly_contribution", "'1.234' has more than two decimal places"),
        ("weekly_care_cost", "'£-2' is not an amount in pounds"),
        ("contribution_from", "'tomorrow' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
    ]
    assert {(p.line, p.ref) for p in problems} == {(2, "CC 1")}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"account_ref": "A" * 21},
            (
                "account_ref",
                f"'{'A' * 21}' is not a reference (1 to 20 letters, digits, '-' or '/')",
            ),
        ),
        ({"postcode": "WX1 2A"}, ("postcode", "'WX1 2A' is not a UK postcode")),
        ({"postcode": "1WX 2AB"}, ("postcode", "'1WX 2AB' is not a UK postcode")),
        (
            {"care_setting": "nursing"},
            ("care_setting", "'nursing' is not one of: community, residential"),
        ),
        (
            {
                "dd_reference": "CC000900 DD",
                "dd_sort_code": "123456",
                "dd_account_number": "12345678",
                "dd_status": "active",
            },
            ("dd_status", "'active' is not one of: cancelled, live, pending"),
        ),
        (
            {"representative_name": "Sue", "representative_role": "friend"},
            (
                "representative_role",
                "'friend' is not one of: advocate, appointee, attorney, deputy, executor, "
                "relative, solicitor",
            ),
        ),
        (
            {"representative_role": "deputy"},
            ("representative_name", "required when representative_role is given"),
        ),
        (
            {"representative_name": "Sue"},
            ("representative_role", "required when representative_name is given"),
        ),
        (
            {"opening_balance": "-10.00"},
            (
                "opening_balance",
                "'-10.00' is negative: a credit balance cannot be imported as an opening invoice",
            ),
        ),
        (
            {"opening_balance_date": "01/01/2025"},
            ("opening_balance_date", "given without an opening_balance"),
        ),
        (
            {"date_of_birth": "01/04/2025"},
            ("date_of_birth", "2025-04-01 is not before contribution_from 2025-04-01"),
        ),
        (
            {"date_of_birth": "1940-01-02", "date_of_death": "1940-01-01"},
            ("date_of_death", "1940-01-01 is before date_of_birth 1940-01-02"),
        ),
        ({"dd_status": "live"}, ("dd_status", "given without a direct debit (no dd_reference)")),
        (
            {"weekly_care_cost": "12.5.0"},
            ("weekly_care_cost", "'12.5.0' is not an amount in pounds"),
        ),
        (
            {"contribution_from": "2025-02-29"},
            ("contribution_from", "'2025-02-29' is not a real date"),
        ),
    ],
)
def test_one_bad_value(tmp_path: Path, values: dict[str, str], expected: tuple[str, str]) -> None:
    rows, problems = one_row(tmp_path, **values)

    assert rows == []
    assert messages(problems) == [expected]
    assert (problems[0].line, problems[0].ref) == (2, values.get("account_ref", "CC000900"))


DD = {"dd_reference": "CC000900 DD", "dd_sort_code": "12-34-56", "dd_account_number": "12345678"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"dd_account_name": "Ann Avery"}, ["dd_reference", "dd_sort_code", "dd_account_number"]),
        ({"dd_reference": "CC000900 DD", "dd_sort_code": "123456"}, ["dd_account_number"]),
        ({**DD, "dd_sort_code": ""}, ["dd_sort_code"]),
    ],
)
def test_direct_debit_details_go_together(
    tmp_path: Path, values: dict[str, str], expected: list[str]
) -> None:
    _, problems = one_row(tmp_path, **values)

    assert [p.column for p in problems] == expected
    assert all("go together" in p.message for p in problems)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"dd_sort_code": "12-34-5"}, "'12-34-5' is not a sort code (6 digits, e.g. 12-34-56)"),
        ({"dd_sort_code": "12-34-5a"}, "'12-34-5a' is not a sort code (6 digits, e.g. 12-34-56)"),
        ({"dd_account_number": "1234567"}, "'1234567' is not an account number (8 digits)"),
        ({"dd_account_number": "123456789"}, "'123456789' is not an account number (8 digits)"),
        ({"dd_reference": "ABC12"}, "'ABC12' must be 6 to 18 characters long"),
        ({"dd_reference": "A" * 19}, f"'{'A' * 19}' must be 6 to 18 characters long"),
        (
            {"dd_reference": "CC000900_DD"},
            "'CC000900_DD' may hold only A-Z, 0-9, '.', '&', '/', '-' and spaces",
        ),
        ({"dd_reference": "AAAAAAA"}, "'AAAAAAA' must not be all the same character"),
        ({"dd_reference": "111-111"}, "'111-111' must not be all the same character"),
        ({"dd_reference": "DDIC000900"}, "'DDIC000900' must not start with 'DDIC'"),
    ],
)
def test_bad_direct_debit_values(tmp_path: Path, values: dict[str, str], message: str) -> None:
    _, problems = one_row(tmp_path, **{**DD, **values})

    assert [p.message for p in problems] == [message]


def test_good_direct_debit_values_are_normalised(tmp_path: Path) -> None:
    rows, problems = one_row(
        tmp_path,
        dd_reference="cc/000900 & co.",
        dd_sort_code="12 34 56",
        dd_account_number="1234 5678",
        dd_status="Pending",
    )

    assert problems == []
    row = rows[0]
    assert (row.dd_reference, row.dd_sort_code, row.dd_account_number, row.dd_status) == (
        "CC/000900 & CO.",
        "123456",
        "12345678",
        "pending",
    )


def test_duplicate_dd_reference_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dd.csv",
        "CC1,Ann,WX1 2AB,INDIVIDUAL,1,1,01/04/2025,MANDATE1,123456,12345678",
        "CC2,Bob,WX1 2AB,INDIVIDUAL,1,1,01/04/2025,mandate1,123456,12345678",
        header=MINIMAL + ",dd_reference,dd_sort_code,dd_account_number",
    )

    _, problems = read_caseload(path, TYPES)

    assert problems == [
        Problem(3, "CC2", "dd_reference", "duplicate dd_reference: first on line 2 (CC1)")
    ]


def test_zero_care_cost_with_a_contribution_is_allowed(tmp_path: Path) -> None:
    rows, problems = one_row(tmp_path, weekly_contribution="25.00", weekly_care_cost="0")

    assert problems == []
    assert (rows[0].weekly_contribution, rows[0].weekly_care_cost) == (2500, 0)


def test_customer_types_match_case_insensitively(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "CC1,Ann,WX1 2AB,Respite,1,1,01/04/2025")

    rows, problems = read_caseload(path, ["respite"])

    assert problems == []
    assert rows[0].customer_type == "RESPITE"


def test_value_under_a_column_without_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "extra.csv", "CC1,Ann,WX1 2AB,INDIVIDUAL,1,1,01/04/2025,,oops")

    rows, problems = read_caseload(path, TYPES)

    assert rows == []
    assert problems == [Problem(2, "CC1", None, "value 'oops' in column I, which has no header")]
    assert str(problems[0]) == "line 2 (CC1): value 'oops' in column I, which has no header"


# --- bad headers ---------------------------------------------------------------------------


def test_missing_required_column_stops_before_rows() -> None:
    rows, problems = read_caseload(DATA / "missing_column.csv", TYPES)

    assert rows == []
    assert problems == [Problem(1, None, "weekly_care_cost", "required column is missing")]
    assert str(problems[0]) == "line 1, weekly_care_cost: required column is missing"


def test_unknown_column_is_a_problem() -> None:
    rows, problems = read_caseload(DATA / "unknown_column.csv", TYPES)

    assert problems == [Problem(1, None, "oficer", "unknown column (did you mean 'officer'?)")]
    assert [r.account_ref for r in rows] == ["CC000401"]


def test_duplicate_column_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dup.csv",
        "CC1,Ann,WX1 2AB,INDIVIDUAL,1,1,01/04/2025,J Patel,K Osei",
        header=MINIMAL + ",officer, Officer",
    )

    _, problems = read_caseload(path, TYPES)

    assert problems == [Problem(1, None, "officer", "duplicate column (column I repeats column H)")]


def test_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "semi.csv", "CC1;Ann", header=MINIMAL.replace(",", ";"))

    _, problems = read_caseload(path, TYPES)

    assert "looks separated by ';'" in problems[0].message
    assert [p.column for p in problems[1:]] == list(REQUIRED_COLUMNS)


# --- bad files ---------------------------------------------------------------------------------


def test_file_that_is_not_utf8_names_the_line_and_byte() -> None:
    data = (DATA / "windows_1252.csv").read_bytes()
    offset = data.index(b"\xeb")

    rows, problems = read_caseload(DATA / "windows_1252.csv", TYPES)

    assert rows == []
    assert problems == [
        Problem(
            3,
            None,
            None,
            f"the file is not UTF-8: byte 0xEB at byte offset {offset}; "
            "save it as 'CSV UTF-8 (Comma delimited)'",
        )
    ]


def test_byte_offset_counts_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom_bad.csv"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode() + b"\n\xff")

    _, problems = read_caseload(path, TYPES)

    assert problems[0].line == 2
    assert f"byte offset {3 + len(MINIMAL) + 1};" in problems[0].message


@pytest.mark.parametrize("content", ["", "\n\n", MINIMAL + "\n", MINIMAL + "\n,,,,,,\n\n"])
def test_no_accounts(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")

    assert read_caseload(path, TYPES) == (
        [],
        [Problem(None, None, None, "no accounts in the file")],
    )


def test_empty_xlsx_has_no_accounts(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")

    assert read_caseload(tmp_path / "empty.xlsx", TYPES) == (
        [],
        [Problem(None, None, None, "no accounts in the file")],
    )


@pytest.mark.parametrize("content", [b"this is not a workbook", b"PK\x03\x04 truncated zip", b""])
def test_corrupt_xlsx_is_a_problem(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(content)

    rows, problems = read_caseload(path, TYPES)

    assert rows == []
    assert len(problems) == 1
    assert problems[0].message.startswith("not a readable .xlsx workbook")


def test_xlsx_with_damaged_sheet_is_a_problem(tmp_path: Path) -> None:
    import zipfile

    good = write_good_xlsx(tmp_path / "good.xlsx")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)

    rows, problems = read_caseload(damaged, TYPES)

    assert rows == []
    assert len(problems) == 1
    assert problems[0].message.startswith("not a readable .xlsx workbook")


@pytest.mark.parametrize("name", ["caseload.xls", "caseload.txt", "caseload"])
def test_other_extensions_are_a_problem(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(MINIMAL + "\n", encoding="utf-8")

    rows, problems = read_caseload(path, TYPES)

    assert rows == []
    assert problems == [
        Problem(
            None, None, None, f"'{name}' is not a caseload file: use a .csv (UTF-8) or .xlsx file"
        )
    ]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    for name in ("nowhere.csv", "nowhere.xlsx"):
        rows, problems = read_caseload(tmp_path / name, TYPES)

        assert rows == []
        assert len(problems) == 1
        assert problems[0].message == f"cannot read '{name}': No such file or directory"


def test_upper_case_extension_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "CASELOAD.CSV"
    path.write_bytes((DATA / "good.csv").read_bytes())

    rows, problems = read_caseload(path, TYPES)

    assert problems == []
    assert rows == GOOD_ROWS


# --- Problem --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            Problem(4, "CC000123", "weekly_contribution", "'-3.00' is negative"),
            "line 4 (CC000123), weekly_contribution: '-3.00' is negative",
        ),
        (Problem(1, None, "officer", "duplicate column"), "line 1, officer: duplicate column"),
        (Problem(3, None, None, "not UTF-8"), "line 3: not UTF-8"),
        (Problem(None, "CC1", None, "odd"), "CC1: odd"),
        (Problem(None, None, None, "no accounts in the file"), "no accounts in the file"),
    ],
)
def test_problem_text(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_unclosed_quote_swallowing_the_file_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "quote.csv", 'CC1,"Ann', "x" * 200_000)

    rows, problems = read_caseload(path, TYPES)

    assert rows == []
    assert len(problems) == 1
    assert problems[0].line == 2
    assert problems[0].message.startswith("not readable as CSV: field larger than field limit")
