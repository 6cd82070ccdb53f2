"""``debtdesk import bacs`` against CLI.md, on a private copy of the demo caseload.

The demo (60 accounts, seed 3, to Mon 23/11/2026; tests/services/support.py) records each
direct debit payment as a ``collections`` row, status collected, under a mandate
``WXCC{number:06d}``, and sets the council's service user number to 418276. The tests
fill tests/data/bacs/applied/arudd_template.xml with the demo's most recent
collection (its reference, payer, amount and processing date) and a report dated the
next working day after it, then run the command in this process with
``debtdesk.cli.main``.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest
from sqlalchemy import select

from debtdesk.cli import main
from debtdesk.db.models import Account, Collection, Mandate
from debtdesk.domain.direct_debit import CollectionStatus
from debtdesk.domain.working_days import add_working_days
from debtdesk.services.database import Database
from tests.services.support import demo, demo_source, table_counts  # noqa: F401  (fixtures)

BACS = Path(__file__).resolve().parents[1] / "data" / "bacs"
TEMPLATE = BACS / "applied" / "arudd_template.xml"


@pytest.fixture
def caseload(request: pytest.FixtureRequest) -> Database:
    """A private copy of the shared demo caseload (the ``demo`` fixture)."""
    database: Database = request.getfixturevalue("demo")
    return database


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
    whole, part = money.lstrip("-").split(".")
    return (-1 if money.startswith("-") else 1) * (int(whole) * 100 + int(part))


@dataclass(frozen=True)
class Latest:
    """The demo's most recent collected direct debit and what an ARUDD needs of it."""

    account: str
    mandate: str
    payer: str
    sort_code: str
    account_number: str
    amount: int
    collected: date
    processing: date
    trans_code: str


def _latest(db: Database) -> Latest:
    with db.sessions() as s:
        collection, mandate, account = s.execute(
            select(Collection, Mandate, Account.reference)
            .join(Mandate, Mandate.id == Collection.mandate_id)
            .join(Account, Account.id == Collection.account_id)
            .where(Collection.status == CollectionStatus.COLLECTED)
            .order_by(Collection.collection_date.desc(), Collection.id.desc())
            .limit(1)
        ).one()
        return Latest(
            account, mandate.reference, mandate.payer_name, mandate.sort_code,
            mandate.account_number, collection.amount, collection.collection_date,
            collection.processing_date, collection.transaction_code,
        )  # fmt: skip


def _arudd(latest: Latest, report_date: date, folder: Path) -> Path:
    """The template filled in for ``latest``: one item, code 0 (refer to payer)."""
    pounds = f"{latest.amount // 100}.{latest.amount % 100:02d}"
    text = Template(TEMPLATE.read_text()).substitute(
        report_date=report_date.isoformat(),
        reference=latest.mandate,
        payer_name=quoteattr(latest.payer.upper())[1:-1],
        payer_sort_code=latest.sort_code,
        payer_account=latest.account_number,
        trans_code=latest.trans_code,
        processing_date=latest.processing.isoformat(),
        amount=pounds,
    )
    path = folder / f"arudd-{latest.mandate}.xml"
    path.write_text(text)
    return path


def test_an_arudd_for_a_demo_account_puts_its_balance_back_up(
    caseload: Database, tmp_path: Path
) -> None:
    latest = _latest(caseload)
    # The demo's last collections are on its last day, Mon 23/11/2026 (processing date
    # Fri 20/11); the ARUDD comes the next working day, Tue 24/11.
    report_date = add_working_days(latest.collected, 1)
    assert latest.mandate.startswith("WXCC") and report_date > latest.collected
    path = _arudd(latest, report_date, tmp_path)
    show = ("--db", caseload.url, "account", "show", latest.account, "--as-of", str(report_date))
    before = _json(*show)

    imported = _json("--db", caseload.url, "import", "bacs", str(path))

    pounds = f"{latest.amount // 100}.{latest.amount % 100:02d}"
    assert imported == {
        "kind": "ARUDD", "items": 1, "applied": 1, "unmatched": 0, "total": pounds,
        "batch": imported["batch"],
    }  # fmt: skip
    assert isinstance(imported["batch"], int)
    after = _json(*show)
    # The returned payment, effective on the report's date, puts the balance back up by
    # exactly the amount collected; code 0 (refer to payer) leaves the mandate as it was.
    assert _pence(after["balance"]) == _pence(before["balance"]) + latest.amount
    assert after["mandate"] == before["mandate"]
    code, out, err = _cli("--db", caseload.url, "check", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["ok"] is True
    code, out, _ = _cli("--db", caseload.url, "check")  # the words, and exit 0 too
    assert code == 0 and "no problems" in out


def test_a_refused_file_exits_2_naming_it_and_writes_nothing(
    caseload: Database, tmp_path: Path
) -> None:
    latest = _latest(caseload)
    path = _arudd(latest, add_working_days(latest.collected, 1), tmp_path)
    assert _cli("--db", caseload.url, "import", "bacs", str(path))[0] == 0
    counts = table_counts(caseload.engine)
    refused = [
        (path, "was already imported"),  # the same file a second time
        (BACS / "billion_laughs.xml", "declares a document type"),
        (BACS / "applied" / "arudd_other_sun.xml", "service user number 654321 is not"),
        (BACS / "applied" / "truncated.xml", "truncated?"),
    ]
    for file, words in refused:
        code, out, err = _cli("--db", caseload.url, "import", "bacs", str(file), "--json")
        assert (code, out) == (2, ""), file.name
        assert err.startswith(f"debtdesk: {file.name}: ") and words in err, err
    missing = tmp_path / "no-such-report.xml"
    code, out, err = _cli("--db", caseload.url, "import", "bacs", str(missing))
    assert (code, out) == (2, "") and str(missing) in err
    assert table_counts(caseload.engine) == counts
    assert _cli("--db", caseload.url, "check")[0] == 0
