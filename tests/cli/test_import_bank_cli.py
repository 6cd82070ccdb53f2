"""``debtdesk import bank`` and ``debtdesk report reconciliation`` against CLI.md.

The caseload is the one tests/data/bank/applied/EXPECTED.md describes (built with the
services); the commands run in-process through ``debtdesk.cli.main``, and once through
the installed console script in a child process.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from debtdesk.cli import main
from debtdesk.services.database import Database
from tests.cli.conftest import run_debtdesk
from tests.services.support import snapshot, table_counts
from tests.services.test_bank_import import APPLIED, build_caseload


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The statement runs render PDFs: let pytest-qt make the application."""


@pytest.fixture
def caseload(db: Database, db_url: str, tmp_path: Path) -> str:
    """The URL of a database holding the caseload of EXPECTED.md."""
    build_caseload(db, tmp_path / "statements")
    return db_url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, *args, "--json")
    assert (code, err) == (0, ""), err
    data = json.loads(out)  # one JSON object and nothing else on stdout
    assert isinstance(data, dict)
    return data


def test_import_bank_reports_what_it_did_as_json(
    caseload: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules.csv"))
    # EXPECTED.md: 8 receipts, £1,790.00, 5 matched and 3 to suspense.
    assert data == {
        "kind": "generic", "items": 8, "matched": 5, "suspense": 3, "total": "1790.00",
        "batch": data["batch"],
    }  # fmt: skip
    assert isinstance(data["batch"], int)

    lloyds = run_json(capsys, "--db", caseload, "import", "bank",
                      str(APPLIED / "rules_lloyds.csv"), "--profile", "lloyds")  # fmt: skip
    assert lloyds == {
        "kind": "lloyds", "items": 4, "matched": 3, "suspense": 1, "total": "830.00",
        "batch": data["batch"] + 1,
    }  # fmt: skip
    camt = run_json(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules_camt053.xml"))
    assert (camt["kind"], camt["items"], camt["matched"], camt["suspense"], camt["total"]) == (
        "camt.053", 5, 3, 2, "1390.25",
    )  # fmt: skip


def test_import_bank_says_it_in_words_without_json(
    caseload: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules.csv"))
    assert (code, err) == (0, "")
    assert out.startswith(
        "rules.csv: generic with 8 receipts, £1,790.00: 5 posted to accounts, 3 to suspense (batch "
    )


def test_the_same_file_twice_exits_2_and_writes_nothing(
    caseload: str, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_json(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules.csv"))
    rows = snapshot(db.engine)
    code, out, err = run(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules.csv"))
    assert (code, out) == (2, "")
    assert err.startswith("debtdesk: rules.csv: this file (SHA-256 ")
    assert err.rstrip().endswith(f"as batch {first['batch']} (rules.csv); nothing was imported")
    assert snapshot(db.engine) == rows


def test_a_bad_amount_exits_2_naming_every_line_and_writes_nothing(
    caseload: str, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = table_counts(db.engine)
    code, out, err = run(
        capsys, "--db", caseload, "import", "bank", str(APPLIED / "bad_amount.csv"), "--json"
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "debtdesk: bad_amount.csv: refused, nothing was imported (2 problems):",
        "  line 3, amount: '12.3.4' is not an amount in pounds",
        "  line 5, date: '31/06/2025' is not a date in the form dd/mm/yyyy",
    ]
    assert table_counts(db.engine) == counts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--profile", "barclays"), "unknown bank statement profile 'barclays'"),
        (("--profile", "lloyds"), "required column is missing for profile 'lloyds'"),
    ],
)
def test_a_wrong_profile_exits_2(
    caseload: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    # rules.csv is in the generic layout: Lloyds' columns are not in it.
    code, out, err = run(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules.csv"),
                         *args)  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith("debtdesk: ") and message in err


def test_a_missing_file_exits_2(
    caseload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", caseload, "import", "bank", str(tmp_path / "nope.csv"))
    assert (code, out) == (2, "")
    assert err.startswith("debtdesk: cannot read ")


def test_report_reconciliation_after_an_import(
    caseload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "--db", caseload, "import", "bank", str(APPLIED / "rules.csv"))
    out = tmp_path / "june.xlsx"
    data = run_json(capsys, "--db", caseload, "report", "reconciliation", "--as-of", "2025-06-15",
                    "--xlsx", str(out))  # fmt: skip
    # Opening 1 June: two periods of (280 + 200 + 140 + 240 + 240) = £2,200.00 charged.
    # June's matched receipts: 100 + 280 + 140 + 240 + 400 = £1,160.00; closing £1,040.00
    # (the balances 180 + 0 + 140 + 240 + 480). Bank side: 1,790 - 630 in suspense = 1,160.
    # Rows: 3 customer types, 3 methods, 2 bank statement lines, 5 suspense lines, 1 problem
    # line ("None: the month reconciles").
    assert data == {
        "report": "reconciliation", "as_of": "2025-06-15", "rows": 14, "month": "2025-06",
        "ok": True, "opening": "2200.00", "closing": "1040.00", "problems": [],
        "xlsx": str(out.resolve()),
    }  # fmt: skip
    book = load_workbook(out)
    assert book.sheetnames == ["Cover", "Ledger", "Receipts by method", "Suspense", "Problems"]
    ledger = [[c.value for c in row] for row in book["Ledger"].iter_rows()]
    assert ledger[-1][:2] == ["Total", "=SUBTOTAL(109,B2:B4)"]
    # What the totals row adds up: the opening and closing of the JSON.
    assert sum(Decimal(str(row[1])) for row in ledger[1:-1]) == 2200
    assert sum(Decimal(str(row[7])) for row in ledger[1:-1]) == 1040
    code, stdout, err = run(capsys, "--db", caseload, "report", "reconciliation", "--as-of",
                            "2025-06-30", "--xlsx", str(out))  # fmt: skip
    assert (code, err) == (0, "")
    assert stdout.splitlines() == ["Reconciliation June 2025: reconciles", str(out.resolve())]
    assert [[c.value for c in row] for row in book["Suspense"].iter_rows()] == [
        ["Suspense", "Amount"], ["Opening", 0], ["Received", 630], ["Allocated to accounts", 0],
        ["Refunded", 0], ["Closing", 630],
    ]  # fmt: skip


def test_report_refuses_an_unknown_report_and_a_bad_date(
    caseload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.xlsx")
    code, stdout, err = run(capsys, "--db", caseload, "report", "ageing", "--as-of", "2025-06-15",
                            "--xlsx", out)  # fmt: skip
    assert (code, stdout) == (2, "")
    assert "unknown report 'ageing'; the reports are: aged-debt, caseload, collection" in err
    code, stdout, err = run(capsys, "--db", caseload, "report", "reconciliation", "--as-of",
                            "2025-02-30", "--xlsx", out)  # fmt: skip
    assert (code, stdout) == (2, "")
    assert "2025-02-30" in err
    assert not Path(out).exists()


def test_the_installed_command_in_a_child_process(caseload: str, tmp_path: Path) -> None:
    done = run_debtdesk("--db", caseload, "import", "bank", str(APPLIED / "rules_camt053.xml"),
                        "--json", cwd=tmp_path)  # fmt: skip
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    data = json.loads(done.stdout)
    assert (data["kind"], data["items"], data["matched"], data["suspense"], data["total"]) == (
        "camt.053", 5, 3, 2, "1390.25",
    )  # fmt: skip
    again = run_debtdesk("--db", caseload, "import", "bank", str(APPLIED / "rules_camt053.xml"),
                         cwd=tmp_path)  # fmt: skip
    assert (again.returncode, again.stdout) == (2, "")
    assert "was already imported" in again.stderr


def test_report_into_a_folder_that_does_not_exist_exits_2(
    caseload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Exit 2 and a message naming the path (CLI.md keeps exit 1 for "found problems").
    out = tmp_path / "missing" / "june.xlsx"
    code, stdout, err = run(capsys, "--db", caseload, "report", "reconciliation", "--as-of",
                            "2025-06-15", "--xlsx", str(out))  # fmt: skip
    assert (code, stdout) == (2, "")
    assert err.startswith("debtdesk: ") and str(out.parent) in err
    assert not out.parent.exists()


def test_report_into_a_folder_named_as_the_workbook_exits_2(
    caseload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --xlsx names a folder: refused, not written beside it as FOLDER.xlsx.
    folder = tmp_path / "reports"
    folder.mkdir()
    code, stdout, err = run(capsys, "--db", caseload, "report", "reconciliation", "--as-of",
                            "2025-06-15", "--xlsx", str(folder))  # fmt: skip
    assert (code, stdout) == (2, "")
    assert f"{folder} is a folder; name the workbook to write" in err
    assert not (tmp_path / "reports.xlsx").exists() and not list(folder.iterdir())
