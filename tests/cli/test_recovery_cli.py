"""``debtdesk recovery run`` against CLI.md: its JSON, a repeat's zeros, a back-dated
run's exit 2, and a login that may not run batches refused."""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path

import pytest

from debtdesk.cli import main
from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.services import ledger
from debtdesk.services.database import Database
from debtdesk.services.users import Users
from tests.services.support import add_account


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The recovery run renders its letters: let pytest-qt make the application."""


@pytest.fixture
def overdue(db: Database) -> str:
    """One account owing £1,500.00 due Mon 2 Mar 2026; the CLI's login a team leader."""
    with db.sessions.begin() as s:
        account = add_account(s, "RC000001", "Mr Colin Barr", address="2 Low Road")
        ledger.raise_invoice(
            s, account, InvoiceKind.SUNDRY, date(2026, 2, 16), date(2026, 3, 2),
            [(EntryKind.CHARGE, 150_000, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    Users(db).change(getpass.getuser(), role=UserRole.TEAM_LEADER)
    return db.url


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_recovery_run_json_then_zeros_then_refused(
    overdue: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--db", overdue, "recovery", "run", "--out", str(tmp_path), "--json")
    code, out, err = _run(capsys, *args, "--as-of", "2026-03-16")
    assert (code, err) == (0, "")
    print_file = str(tmp_path / "recovery-2026-03-16" / "print-2026-03-16.pdf")
    assert json.loads(out) == {
        "as_of": "2026-03-16", "advanced": 1, "letters": 1, "tasks": 0,
        "print_file": print_file,
    }  # fmt: skip
    assert Path(print_file).exists()
    code, out, _ = _run(capsys, *args, "--as-of", "2026-03-16")
    assert code == 0
    assert json.loads(out) == {
        "as_of": "2026-03-16", "advanced": 0, "letters": 0, "tasks": 0,
        "print_file": print_file,
    }  # fmt: skip
    code, out, err = _run(capsys, *args, "--as-of", "2026-03-15")
    assert (code, out) == (2, "")
    assert "the last recovery run was for 16/03/2026" in err


def test_an_officer_may_not_run_it(
    overdue: str, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Users(db).change(getpass.getuser(), role=UserRole.OFFICER)
    code, out, err = _run(
        capsys, "--db", overdue, "recovery", "run", "--as-of", "2026-03-16", "--out", str(tmp_path)
    )
    assert (code, out) == (2, "")
    assert "may not run batches and imports" in err
    assert not (tmp_path / "recovery-2026-03-16").exists()
