"""``debtdesk statements run`` against CLI.md: JSON keys, exit codes, once only, the PDFs.

A 40-account demo caseload (seed 5, to 23/11/2026) is made and run once per module with
``debtdesk.cli.main``; its last run on record is for the period ending 08/11/2026, so the
run is for 09/11/2026 to 06/12/2026, its statements dated 07/12/2026.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from debtdesk.cli import main
from tests.conftest import BACKEND
from tests.services.support import pdf_text, table_counts

END = "2026-12-06"
STATEMENT_DATE = date(2026, 12, 7)
TERMS = {"INDIVIDUAL": 14, "ESTATE": 14, "BUSINESS": 30}  # CLI.md "Customer types"
MONEY = re.compile(r"^-?\d+\.\d{2}$")
MONTHS = "January February March April May June July August September October November December"


def _cli(*args: str) -> tuple[int, str, str]:
    """Run ``debtdesk`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _json(*args: str) -> dict[str, Any]:
    code, out, err = _cli(*args, "--json")
    assert (code, err) == (0, ""), err
    data = json.loads(out)  # one JSON object and nothing else on stdout
    assert isinstance(data, dict)
    return data


def _pence(money: str) -> int:
    assert isinstance(money, str) and MONEY.match(money), money
    whole, part = money.lstrip("-").split(".")
    return (-1 if money.startswith("-") else 1) * (int(whole) * 100 + int(part))


def _printed(pence: int) -> str:
    """Pounds as a statement prints them: ``£1,234.50``, ``-£12.00``."""
    return f"{'-' if pence < 0 else ''}£{abs(pence) // 100:,}.{abs(pence) % 100:02d}"


def _longdate(day: date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Run:
    url: str
    engine: Engine
    out: Path
    first: dict[str, Any]
    again: dict[str, Any]
    check: dict[str, Any]
    check_exit: int


@pytest.fixture(scope="module")
def run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, qapp: object
) -> Iterator[Run]:
    """The demo caseload, its statement run, a repeat of it, and `check` after."""
    folder = tmp_path_factory.mktemp("statements-cli")
    server = request.getfixturevalue("pg_server") if BACKEND == "postgresql" else None
    if server is not None:
        name = f"st{os.getpid()}_{folder.name.replace('-', '_')}"
        server.create_database(name, template="template_debtdesk")
        url = str(server.url(name))
    else:
        url = f"sqlite:///{folder / 'caseload.sqlite'}"
    out = folder / "out"
    _json("--db", url, "demo", "--accounts", "40", "--seed", "5", "--as-of", "2026-11-23")
    first = _json("--db", url, "statements", "run", "--period-end", END, "--out", str(out))
    again = _json("--db", url, "statements", "run", "--period-end", END, "--out", str(out))
    code, stdout, _ = _cli("--db", url, "check", "--json")
    engine = create_engine(url)
    yield Run(url, engine, out, first, again, json.loads(stdout), code)
    engine.dispose()
    if server is not None:
        server.drop_database(name)


def _scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


def test_the_run_reports_what_it_did_in_the_shape_cli_md_gives(run: Run) -> None:
    folder = run.out / f"statements-{END}"
    assert run.first == {
        "period_start": "2026-11-09",
        "period_end": END,
        "issued": run.first["issued"],
        "already_issued": 0,
        "total_charged": run.first["total_charged"],
        "out": str(folder),
        "print_file": str(folder / f"print-{END}.pdf"),
    }
    statements = _scalar(run.engine, f"SELECT count(*) FROM statements WHERE period_end = '{END}'")  # noqa: S608
    assert run.first["issued"] == statements > 0
    # total_charged: all the run charged or credited (its CHARGE and CREDIT entries).
    posted = _scalar(
        run.engine,
        "SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e JOIN batches b "
        "ON b.id = e.batch_id WHERE b.kind = 'statement_run' AND b.as_of = '2026-12-07' "
        "AND e.kind IN ('charge', 'credit')",
    )
    assert _pence(run.first["total_charged"]) == int(posted)
    assert len(list((folder / "accounts").glob("*.pdf"))) == statements
    assert Path(run.first["print_file"]).is_file()


def test_a_repeated_run_issues_nothing_and_check_is_ok_after(run: Run) -> None:
    assert run.again == {**run.first, "issued": 0, "already_issued": run.first["issued"],
                         "total_charged": "0.00"}  # fmt: skip
    assert run.check_exit == 0
    assert run.check["ok"] is True and run.check["problems"] == []


@pytest.mark.parametrize(
    ("period_end", "says"),
    [
        ("2026-12-01", "the nearest period ends are 2026-11-08 and 2026-12-06"),
        ("2026-12-07", "the nearest period ends are 2026-12-06 and 2027-01-03"),
        ("2026-11-08", "earlier period (2026-11-08)"),  # before the last run (06/12)
        ("2026-13-01", "2026-13-01"),  # not a date
    ],
)
def test_a_bad_period_end_exits_2_naming_it_and_writes_nothing(
    run: Run, tmp_path: Path, period_end: str, says: str
) -> None:
    counts = table_counts(run.engine)
    code, out, err = _cli(
        "--db", run.url, "statements", "run", "--period-end", period_end, "--out",
        str(tmp_path), "--json",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert says in err
    assert table_counts(run.engine) == counts
    assert list(tmp_path.iterdir()) == []


def test_each_statement_prints_its_reference_period_closing_balance_and_due_date(
    run: Run,
) -> None:
    files = sorted((run.out / f"statements-{END}" / "accounts").glob("*.pdf"))
    assert len(files) == run.first["issued"]
    owing = 0
    for path in files:
        reference = path.name.split("-")[0]  # CC000123-ST00000001.pdf
        shown = _json("--db", run.url, "account", "show", reference, "--as-of", "2026-12-07")
        closing = _pence(shown["balance"])  # the ledger at the statement date
        printed = pdf_text(path)
        assert f"Account reference: {reference}" in printed
        assert "Period: 09/11/2026 to 06/12/2026" in printed
        assert "Statement date: 7 December 2026" in printed
        # The statement closes at the ledger's balance at its date.
        assert f"Balance at 7 December 2026 {_printed(closing)}" in printed
        due = STATEMENT_DATE + timedelta(days=TERMS[shown["customer_type"]])
        if closing > 0:
            owing += 1
            assert f"Amount due {_printed(closing)} by {_longdate(due)}" in printed
        elif closing < 0:
            assert f"Your account is in credit by {_printed(-closing)}" in printed
        else:
            assert "Your account is clear: there is nothing to pay." in printed
    assert owing > 0
