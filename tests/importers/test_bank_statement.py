"""Tests for the bank statement parsers against hand-written samples under tests/data/bank."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from debtdesk.importers.bank_statement import (
    GENERIC,
    LLOYDS,
    PROFILES,
    BankStatement,
    BankStatementError,
    CsvProfile,
    Problem,
    StatementEntry,
    parse_bank_csv,
    parse_camt053,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "bank"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def csv_problems(name: str, profile: CsvProfile) -> list[str]:
    with pytest.raises(BankStatementError) as caught:
        parse_bank_csv(read(name), name, profile)
    assert caught.value.name == name
    return [str(problem) for problem in caught.value.problems]


def camt_problems(data: bytes, name: str = "statement.xml") -> list[str]:
    with pytest.raises(BankStatementError) as caught:
        parse_camt053(data, name)
    return [str(problem) for problem in caught.value.problems]


# --- profiles -----------------------------------------------------------------------------


def test_built_in_profiles_by_name() -> None:
    assert PROFILES == {"generic": GENERIC, "lloyds": LLOYDS}


@pytest.mark.parametrize(
    "columns",
    [
        {},
        {"amount_column": "amount", "credit_column": "in", "debit_column": "out"},
        {"credit_column": "in"},
    ],
)
def test_a_profile_needs_one_amount_shape(columns: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="amount_column"):
        CsvProfile(name="x", date_column="d", reference_column="r", **columns)


# --- CSV: good files ----------------------------------------------------------------------


def test_generic_signed_amounts() -> None:
    statement = parse_bank_csv(read("generic.csv"), "generic.csv", GENERIC)
    assert statement == BankStatement(
        kind="generic",
        name="generic.csv",
        account=None,
        period_start=None,
        period_end=None,
        receipts=(
            StatementEntry(date(2025, 3, 3), 10315, "CC000101", "Margaret Ellis", "FP0001", line=2),
            # "1,234.50" is a thousands comma; double spaces in the reference are squashed
            StatementEntry(
                date(2025, 3, 4), 123450, "CC000102 MARCH", "Susan Finch", "FP0002", line=3
            ),
            # the blank line 5 is skipped; "5/3/2025" and "+0.99" are fine
            StatementEntry(date(2025, 3, 5), 99, "cc000103", None, None, line=6),
        ),
        debits=(StatementEntry(date(2025, 3, 4), 1200, "BANK CHARGES", None, "CHG0001", line=4),),
    )
    assert statement.receipts_total == 10315 + 123450 + 99


def test_lloyds_credit_and_debit_columns() -> None:
    statement = parse_bank_csv(read("lloyds.csv"), "lloyds.csv", LLOYDS)
    assert statement.kind == "lloyds"
    assert statement.receipts == (
        StatementEntry(date(2025, 3, 10), 10315, "M ELLIS CC000101", None, None, line=2),
        StatementEntry(
            date(2025, 3, 10), 250000, "HARLOW SOLICITORS CC000103 ESTATE", None, None, line=3
        ),
        StatementEntry(date(2025, 3, 12), 5000, "S FINCH CC000102", None, None, line=5),
    )
    assert statement.debits == (
        StatementEntry(date(2025, 3, 11), 750, "SERVICE CHARGE", None, None, line=4),
    )
    assert statement.receipts_total == 265315


def test_amounts_are_integer_pence() -> None:
    statement = parse_bank_csv(read("generic.csv"), "generic.csv", GENERIC)
    assert all(type(entry.amount) is int for entry in statement.receipts + statement.debits)


def test_a_profile_with_preamble_semicolons_currency_and_cp1252() -> None:
    profile = CsvProfile(
        name="mybank",
        date_column="Date",
        amount_column="Amount",
        reference_column="Details",
        payer_column="Payee",
        currency_column="Ccy",
        header_line=3,
        delimiter=";",
        encoding="cp1252",
    )
    data = (
        "Account;20-20-15 55555555\nExported;01/04/2025\n"
        "Date;Amount;Details;Payee;Ccy\n"
        "03/03/2025;£12.00;CC000101;Zoë Næss;GBP\n"
    ).encode("cp1252")
    statement = parse_bank_csv(data, "mybank.csv", profile)
    assert statement.receipts == (
        StatementEntry(date(2025, 3, 3), 1200, "CC000101", "Zoë Næss", None, line=4),
    )


def test_a_utf8_byte_order_mark_is_skipped() -> None:
    data = b"\xef\xbb\xbf" + read("generic.csv")
    assert len(parse_bank_csv(data, "bom.csv", GENERIC).receipts) == 3


# --- CSV: bad files -----------------------------------------------------------------------


def test_every_bad_value_is_listed_with_line_and_column() -> None:
    assert csv_problems("bad_values.csv", GENERIC) == [
        "line 2, date: '31/02/2025' is not a date in the form dd/mm/yyyy",
        "line 3, amount: '12,34' is not an amount in pounds (use '.' for pence, e.g. 12.34)",
        "line 4, amount: '1.234' has more than two decimal places "
        "(write pounds and pence with a '.', e.g. 1234.50)",
        "line 5, date: '2025-03-04' is not a date in the form dd/mm/yyyy",
        "line 6, amount: an amount is required",
        "line 7, amount: the amount is zero",
    ]


def test_bad_credit_and_debit_columns() -> None:
    assert csv_problems("lloyds_bad.csv", LLOYDS) == [
        "line 2: both Credit Amount and Debit Amount are given",
        "line 3: no amount in Credit Amount or Debit Amount",
        "line 4, Credit Amount: '-3.00' is negative",
    ]


def test_missing_column() -> None:
    assert csv_problems("missing_column.csv", GENERIC) == [
        "line 1, amount: required column is missing for profile 'generic'"
    ]


def test_wrong_delimiter_is_hinted() -> None:
    problems = csv_problems("semicolons.csv", GENERIC)
    assert len(problems) == 3
    assert all("separated by something other than ','" in problem for problem in problems)


def test_the_wrong_profile_names_the_missing_columns() -> None:
    problems = csv_problems("lloyds.csv", GENERIC)
    assert [p.split(":")[0] for p in problems] == [
        "line 1, date",
        "line 1, reference",
        "line 1, amount",
    ]


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", b",,,\n,,,\n"])
def test_empty_csv(data: bytes) -> None:
    with pytest.raises(BankStatementError) as caught:
        parse_bank_csv(data, "empty.csv", GENERIC)
    assert caught.value.problems == (Problem(None, None, None, "the file is empty"),)
    assert "empty.csv: 1 problem, nothing imported" in str(caught.value)


def test_header_only() -> None:
    with pytest.raises(BankStatementError) as caught:
        parse_bank_csv(b"date,amount,reference\n", "header.csv", GENERIC)
    assert [str(p) for p in caught.value.problems] == ["no transactions after the header row"]


def test_not_utf8() -> None:
    data = "date,amount,reference\n03/03/2025,£5.00,CC000101\n".encode("cp1252")
    with pytest.raises(BankStatementError) as caught:
        parse_bank_csv(data, "ansi.csv", GENERIC)
    assert [str(p) for p in caught.value.problems] == [
        "line 2: the file is not utf-8: byte 0xA3 at byte offset 33"
    ]


def test_wrong_currency_column() -> None:
    profile = CsvProfile(
        name="fx", date_column="d", amount_column="a", reference_column="r", currency_column="c"
    )
    data = b"d,a,r,c\n03/03/2025,5.00,X,GBP\n03/03/2025,5.00,Y,EUR\n"
    with pytest.raises(BankStatementError) as caught:
        parse_bank_csv(data, "fx.csv", profile)
    assert [str(p) for p in caught.value.problems] == ["line 3, c: currency 'EUR' is not GBP"]


# --- camt.053: good files -----------------------------------------------------------------


def test_camt053_three_credits_and_a_debit() -> None:
    statement = parse_camt053(read("camt053.xml"), "camt053.xml")
    assert statement == BankStatement(
        kind="camt.053",
        name="camt053.xml",
        account="GB33BUKB20201555555555",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        receipts=(
            StatementEntry(
                date=date(2025, 3, 3),
                amount=10315,
                reference="CC000101",
                payer="Margaret Ellis",
                bank_reference="FP25030300001",
                value_date=date(2025, 3, 3),
                element="Stmt[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]",
            ),
            # "2500" is £2,500.00; the booking date is a DtTm; the reference is structured
            StatementEntry(
                date=date(2025, 3, 4),
                amount=250000,
                reference="CC000103",
                payer="Harlow Solicitors LLP",
                bank_reference="BGC25030400007",
                value_date=date(2025, 3, 5),
                element="Stmt[1]/Ntry[2]/NtryDtls[1]/TxDtls[1]",
            ),
            # "50.0" is £50.00; two Ustrd lines are joined; the bank ref is the TxDtls one
            StatementEntry(
                date=date(2025, 3, 12),
                amount=5000,
                reference="CC000102 MARCH CONTRIBUTION",
                payer="S Finch",
                bank_reference="FP25031200042",
                value_date=date(2025, 3, 12),
                element="Stmt[1]/Ntry[4]/NtryDtls[1]/TxDtls[1]",
            ),
        ),
        debits=(
            StatementEntry(
                date=date(2025, 3, 31),
                amount=750,
                reference="SERVICE CHARGE",
                payer=None,
                bank_reference="CHG25033100001",
                value_date=date(2025, 3, 31),
                element="Stmt[1]/Ntry[3]",
            ),
        ),
    )
    assert statement.receipts_total == 265315


def test_camt053_v08_batch_entry_splits_into_its_transactions() -> None:
    statement = parse_camt053(read("camt053_v08_batch.xml"), "batch.xml")
    assert statement.account == "20201555555555"
    assert (statement.period_start, statement.period_end) == (date(2025, 4, 1), date(2025, 4, 1))
    assert statement.receipts == (
        StatementEntry(
            date=date(2025, 4, 1),
            amount=10000,
            reference="CC/104-A INV 2025-03",
            payer="Greenfields Ltd",
            bank_reference="BATCH250401-1",
            value_date=date(2025, 4, 1),
            element="Stmt[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]",
        ),
        # no RmtInf: AddtlTxInf is the reference; no TxDtls ref: the entry's AcctSvcrRef
        StatementEntry(
            date=date(2025, 4, 1),
            amount=5025,
            reference="ESTATE OF ADA BROWN CC000103",
            payer="Peter Brown",
            bank_reference="BATCH250401",
            value_date=date(2025, 4, 1),
            element="Stmt[1]/Ntry[1]/NtryDtls[1]/TxDtls[2]",
        ),
    )
    assert statement.receipts_total == 15025
    assert statement.debits == ()


@pytest.mark.parametrize("version", ["02", "04", "08", "13"])
def test_camt053_versions_from_02(version: str) -> None:
    data = read("camt053.xml").replace(b"camt.053.001.02", f"camt.053.001.{version}".encode())
    assert len(parse_camt053(data, "v.xml").receipts) == 3


def test_camt053_with_a_namespace_prefix() -> None:
    data = (
        read("camt053.xml")
        .replace(b'xmlns="', b'xmlns:c="')
        .replace(b"<", b"<c:")
        .replace(b"<c:/", b"</c:")
        .replace(b"<c:?xml", b"<?xml")
    )
    assert parse_camt053(data, "prefixed.xml") == parse_camt053(read("camt053.xml"), "prefixed.xml")


# --- camt.053: bad files ------------------------------------------------------------------


def test_camt053_every_bad_entry_is_listed_by_element() -> None:
    assert camt_problems(read("camt053_bad.xml")) == [
        "Stmt[1]/Ntry[1]/Amt: currency 'EUR' is not GBP",
        "Stmt[1]/Ntry[2]/Amt: '12,34' is not an amount",
        "Stmt[1]/Ntry[3]/Amt: '1.234' has more than two decimal places",
        "Stmt[1]/Ntry[3]/BookgDt/Dt: '2025-02-30' is not an ISO date (YYYY-MM-DD)",
        "Stmt[1]/Ntry[4]/CdtDbtInd: the credit or debit indicator is missing",
        "Stmt[1]/Ntry[4]/Sts: status 'PDNG': a statement may hold only booked entries (BOOK)",
        "Stmt[1]/Ntry[5]/Amt: its 2 transactions add up to 2500 pence, not the entry's 3000 pence",
    ]


def test_camt053_account_not_in_gbp() -> None:
    data = read("camt053.xml").replace(b"<Ccy>GBP</Ccy>", b"<Ccy>EUR</Ccy>")
    assert camt_problems(data) == ["Stmt[1]/Acct/Ccy: the account's currency is EUR, not GBP"]


def test_camt053_two_accounts_in_one_file() -> None:
    text = read("camt053.xml").decode()
    start, end = text.index("<Stmt>"), text.index("</Stmt>") + len("</Stmt>")
    second = text[start:end].replace("GB33BUKB20201555555555", "GB94BARC10201530093459")
    data = (text[:end] + second + text[end:]).encode()
    assert camt_problems(data) == [
        "BkToCstmrStmt: statements for more than one account "
        "(GB33BUKB20201555555555, GB94BARC10201530093459); import one account's statement at a time"
    ]


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_camt053_hostile_xml_is_refused(name: str) -> None:
    (problem,) = camt_problems(read(name), name)
    assert problem.startswith("refused: the file declares a DTD or entities (DTDForbidden)")


def test_camt053_wrong_namespace() -> None:
    (problem,) = camt_problems(read("wrong_namespace.xml"))
    assert problem.startswith("Document: not a camt.053 bank statement: the root element is ")
    assert "camt.054.001.02" in problem


def test_camt053_no_namespace() -> None:
    (problem,) = camt_problems(b"<Document><BkToCstmrStmt/></Document>")
    assert "'Document' with no namespace" in problem


def test_camt053_version_01_is_not_supported() -> None:
    data = read("camt053.xml").replace(b"camt.053.001.02", b"camt.053.001.01")
    assert camt_problems(data) == [
        "Document: camt.053.001.01 is not supported; use version 02 or later"
    ]


def test_camt053_truncated() -> None:
    assert camt_problems(read("truncated.xml")) == [
        "line 24: not well-formed XML at column 2: no element found"
    ]


@pytest.mark.parametrize("data", [b"", b"\n  \n"])
def test_camt053_empty(data: bytes) -> None:
    assert camt_problems(data) == ["the file is empty"]


def test_camt053_without_statements() -> None:
    ns = b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
    data = b'<Document xmlns="' + ns + b'"><BkToCstmrStmt/></Document>'
    assert camt_problems(data) == ["BkToCstmrStmt: no Stmt element: the file holds no statement"]
