"""``debtdesk import caseload``: a good file loads whole; a bad one is refused whole, with
every bad row named by line and reference, and the database left exactly as it was.

Sample files: tests/data/caseload_cli/.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import create_engine, select

from debtdesk.cli import main
from debtdesk.db.models import (
    Account,
    AuditEvent,
    Batch,
    CarePackage,
    FinancialAssessment,
    Invoice,
    LedgerEntry,
    Mandate,
    Representative,
)
from debtdesk.services.accounts import Accounts
from debtdesk.services.check import check
from debtdesk.services.database import open_database
from tests.services.support import snapshot, table_counts

DATA = Path(__file__).resolve().parent.parent / "data" / "caseload_cli"
GOOD = DATA / "good.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def import_good(db_url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(capsys, "--db", db_url, "import", "caseload", str(GOOD), "--json")
    assert (code, err) == (0, ""), err
    return dict(json.loads(out))


def test_a_good_file_is_imported(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = import_good(db_url, capsys)
    # Three opening balances: £412.60 + £2,500.00 + £99.99 = £3,012.59; IM000002 has none.
    assert result == {"accounts": 4, "entries": 3, "balance_total": "3012.59"}

    db = open_database(db_url, actor="tester")
    try:
        with db.sessions() as s:
            accounts = {a.reference: a for a in s.scalars(select(Account))}
            assert sorted(accounts) == ["IM000001", "IM000002", "IM000003", "IM000004"]

            def one(model: Any, ref: str) -> Any:
                (row,) = s.scalars(select(model).where(model.account_id == accounts[ref].id))
                return row

            def all_of(model: Any, ref: str) -> list[Any]:
                return list(s.scalars(select(model).where(model.account_id == accounts[ref].id)))

            ellis = accounts["IM000001"]
            assert (ellis.client_name, ellis.postcode, ellis.status.value) == (
                "Margaret Ellis",
                "WX1 2AB",
                "active",
            )
            assert ellis.date_of_birth == date(1938, 4, 2)
            assert ellis.address == "1 Mill Lane\nWexford"
            assert ellis.care_setting is not None and ellis.care_setting.value == "residential"
            assert ellis.officer is not None and ellis.officer.display_name == "Amara Okafor"
            assert ellis.customer_type.code == "INDIVIDUAL"
            assessment = one(FinancialAssessment, "IM000001")
            assert (
                assessment.effective_from,
                assessment.effective_to,
                assessment.weekly_contribution,
            ) == (date(2026, 4, 6), None, 12345)
            package = one(CarePackage, "IM000001")
            assert (package.start_date, package.end_date, package.weekly_cost) == (
                date(2026, 4, 6),
                None,
                95000,
            )
            assert package.funding.value == "council"
            rep = one(Representative, "IM000001")
            assert (rep.name, rep.role.value, rep.receives_correspondence) == (
                "Susan Ellis",
                "attorney",
                True,
            )
            mandate = one(Mandate, "IM000001")
            assert (
                mandate.reference,
                mandate.sort_code,
                mandate.account_number,
                mandate.payer_name,
                mandate.status.value,
            ) == ("IM000001 DD", "123456", "12345678", "M ELLIS", "live")
            invoice = one(Invoice, "IM000001")
            # Dated and due on opening_balance_date.
            assert (invoice.kind.value, invoice.issued_on, invoice.due_on, invoice.amount) == (
                "opening_balance",
                date(2026, 3, 30),
                date(2026, 3, 30),
                41260,
            )
            entry = one(LedgerEntry, "IM000001")
            assert (entry.kind.value, entry.amount, entry.effective_date, entry.invoice_id) == (
                "charge",
                41260,
                date(2026, 3, 30),
                invoice.id,
            )
            assert ellis.balance == 41260

            finch = accounts["IM000002"]
            assert (finch.postcode, finch.customer_type.code, finch.balance) == (
                "WX2 3CD",
                "INDIVIDUAL",
                0,
            )
            assert one(FinancialAssessment, "IM000002").effective_from == date(2026, 4, 6)
            assert all_of(Invoice, "IM000002") == []
            assert all_of(LedgerEntry, "IM000002") == []
            assert all_of(Mandate, "IM000002") == []
            assert all_of(Representative, "IM000002") == []

            estate = accounts["IM000003"]
            assert (estate.status.value, estate.date_of_death) == ("deceased", date(2026, 1, 20))
            assert estate.customer_type.code == "ESTATE"
            assert one(CarePackage, "IM000003").end_date == date(2026, 1, 20)
            executor = one(Representative, "IM000003")
            assert (executor.name, executor.role.value) == ("Peter Brown", "executor")
            # No opening_balance_date: dated and due on contribution_from.
            invoice = one(Invoice, "IM000003")
            assert (invoice.issued_on, invoice.due_on, invoice.amount) == (
                date(2025, 4, 1),
                date(2025, 4, 1),
                250000,
            )

            business = accounts["IM000004"]
            assert business.customer_type.code == "BUSINESS"
            assert business.officer is not None
            assert business.officer.display_name == "New Officer"
            invoice = one(Invoice, "IM000004")
            assert (invoice.issued_on, invoice.due_on, invoice.amount) == (
                date(2026, 2, 1),
                date(2026, 2, 1),
                9999,
            )

            (batch,) = s.scalars(select(Batch))
            assert batch.kind == "import_caseload"
            assert batch.file_sha256 == hashlib.sha256(GOOD.read_bytes()).hexdigest()
            assert batch.finished_at is not None
            assert [e.action for e in s.scalars(select(AuditEvent))] == [
                "user.first_administrator",  # the login that made the database
                "import.caseload",
            ]

        assert check(db).ok
        # 14 Apr 2026 is 15 days after the opening balance fell due (30 Mar): 1-30 days.
        detail = Accounts(db).detail("IM000001", date(2026, 4, 14))
        assert (detail.balance, detail.aged["1_30"]) == (41260, 41260)
    finally:
        db.close()


def test_an_xlsx_workbook_is_imported_like_the_csv(
    db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    with GOOD.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append([cell or None for cell in row])
    path = tmp_path / "caseload.xlsx"
    workbook.save(path)
    code, out, err = run(capsys, "--db", db_url, "import", "caseload", str(path), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"accounts": 4, "entries": 3, "balance_total": "3012.59"}


def test_the_same_file_twice_is_refused(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import_good(db_url, capsys)
    engine = create_engine(db_url)
    try:
        before = table_counts(engine)
        code, out, err = run(capsys, "--db", db_url, "import", "caseload", str(GOOD), "--json")
        assert (code, out) == (2, "")
        assert "good.csv" in err and "imported before" in err
        assert table_counts(engine) == before
    finally:
        engine.dispose()


def _refused(
    db_url: str, capsys: pytest.CaptureFixture[str], path: Path, *, after_good: bool = True
) -> str:
    """Import a file that must be refused: exit 2, nothing on stdout, nothing changed."""
    if after_good:
        import_good(db_url, capsys)
    else:
        run(capsys, "--db", db_url, "settings", "list")  # only creates the database
    engine = create_engine(db_url)
    try:
        before = snapshot(engine)
        code, out, err = run(capsys, "--db", db_url, "import", "caseload", str(path), "--json")
        assert (code, out) == (2, "")
        assert snapshot(engine) == before
        return err
    finally:
        engine.dispose()


@pytest.mark.parametrize("after_good", [False, True], ids=["empty-database", "after-an-import"])
def test_a_file_with_bad_rows_is_refused_whole(
    db_url: str, capsys: pytest.CaptureFixture[str], after_good: bool
) -> None:
    err = _refused(db_url, capsys, DATA / "bad_rows.csv", after_good=after_good)
    assert "bad_rows.csv" in err
    assert "nothing was imported" in err
    for where in (
        "line 3 (IM000102), contribution_from",  # 31/02/2026 is no date
        "line 4 (IM000103), weekly_contribution",  # -3.00
        "line 5 (IM000104), weekly_care_cost",  # "five hundred"
        "line 6 (IM000105), customer_type",  # CHARITY
        "line 7 (IM000101), account_ref",  # IM000101 again (first on line 2)
    ):
        assert where in err, where
    assert "31/02/2026" in err
    assert "five hundred" in err
    assert "CHARITY" in err
    assert "first on line 2" in err
    # The good rows, lines 2 and 8, are not listed as problems (and were not imported).
    assert "line 2 " not in err and "line 8 " not in err
    assert "(5 problems)" in err


def test_a_file_missing_a_required_column_is_refused(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(db_url, capsys, DATA / "missing_column.csv")
    assert "line 1, weekly_care_cost: required column is missing" in err


def test_a_reference_already_in_the_database_is_refused(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(db_url, capsys, DATA / "existing_ref.csv")
    assert "line 3 (IM000003), account_ref: an account with this reference already exists" in err
    # IM000202's direct debit reference is IM000001's mandate's.
    assert "line 4 (IM000202), dd_reference" in err
    assert "'IM000001 DD' is already used by another account" in err
    assert "IM000201" not in err  # the new account's row is fine, and was not imported either


def test_a_missing_file_is_refused(
    db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.csv"
    code, out, err = run(capsys, "--db", db_url, "import", "caseload", str(missing), "--json")
    assert (code, out) == (2, "")
    assert "nowhere.csv" in err
