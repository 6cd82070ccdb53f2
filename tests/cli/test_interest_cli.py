"""``debtdesk interest quote`` and ``interest run`` against CLI.md, worked by hand.

£5,000 due 15/01/2026 at 16/03/2026: 60 days at 11.75% = £96.58, and £70 (FACTS.md §1.2).
Due 15/01/2027, the reference date is 31/12/2026, after the shipped history's last known
day (18/06/2026): the shipped 3.75% is still used, with a warning on stderr; a database
that recorded a 4.00% decision from 30/07/2026 gives 12.00% instead: £5,000 × 0.12 × 60 /
365 = £98.6301… → £98.63.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from debtdesk.cli import main
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.services import ledger
from debtdesk.services.bank_rates import BankRates
from debtdesk.services.database import Database
from tests.services.support import add_account

QUOTE = ("interest", "quote", "--amount", "5000", "--as-of")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_quote_json_exactly_as_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, *QUOTE, "2026-03-16", "--due", "2026-01-15", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "principal": "5000.00", "due_date": "2026-01-15", "as_of": "2026-03-16",
        "reference_date": "2025-12-31", "reference_rate": "3.75", "statutory_rate": "11.75",
        "days": 60, "interest": "96.58", "compensation": "70.00",
    }  # fmt: skip


def test_a_reference_date_past_the_history_is_quoted_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = (*QUOTE, "2027-03-16", "--due", "2027-01-15", "--json")
    code, out, err = _run(capsys, *args)
    assert code == 0 and json.loads(out)["statutory_rate"] == "11.75"
    assert "warning: the Bank Rate history is known to 18/06/2026" in err
    # A --db that does not exist is not made: the shipped history is used.
    missing = tmp_path / "none.sqlite"
    assert _run(capsys, "--db", str(missing), *args)[0] == 0 and not missing.exists()


def test_quote_uses_the_database_history(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    BankRates(db).add(date(2026, 7, 30), Decimal("4.00"), "MPC 30 July 2026")
    BankRates(db).set_known_to(date(2026, 12, 31))
    args = ("--db", db.url, *QUOTE, "2027-03-16", "--due", "2027-01-15", "--json")
    code, out, err = _run(capsys, *args)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["reference_rate"], data["statutory_rate"], data["interest"]) == (
        "4.00", "12.00", "98.63",
    )  # fmt: skip


def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, *QUOTE, "2026-03-16", "--due", "2026-01-15x")
    assert code == 2 and out == ""
    code, out, err = _run(capsys, "interest", "quote", "--amount", "-5", "--due",
                          "2026-01-15", "--as-of", "2026-03-16")  # fmt: skip
    assert code == 2 and "more than £0.00" in err


def test_interest_run_json_then_zeros(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.sessions.begin() as s:
        account = add_account(s, "LP000010", "Care Homes Ltd", type_code="BUSINESS")
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, date(2026, 1, 15), date(2026, 1, 15),
            [(EntryKind.CHARGE, 5_000_00, None, "Balance brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    args = ("--db", db.url, "interest", "run", "--as-of", "2026-03-16", "--json")
    code, out, _ = _run(capsys, *args)
    assert code == 0
    assert json.loads(out) == {
        "as_of": "2026-03-16", "invoices": 1, "interest": "96.58", "compensation": "70.00",
    }  # fmt: skip
    code, out, _ = _run(capsys, *args)
    assert json.loads(out)["invoices"] == 0 and json.loads(out)["interest"] == "0.00"
    code, _, err = _run(capsys, "--db", db.url, "interest", "run", "--as-of", "2026-03-01")
    assert code == 2 and "the last interest run was for 16/03/2026" in err
