"""``debtdesk report referrals --as-of D --xlsx OUT``: the referral list as a workbook.

Worked by hand: RC000001 to Bristow & Sutor (enforcement agent) on Mon 02/03/2026 for
£1,250.00, returned Thu 30/04/2026 with £800.00 recovered; RC000002 to Trace UK (tracing
agent) on Mon 16/03/2026 for £432.10, still open, at 01/06/2026 out 77 days (15 days of
March, 30 of April, 31 of May, 1 of June). Referred £1,682.10; recovered £800.00.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from debtdesk.cli import main
from debtdesk.domain.referrals import ReferralKind
from debtdesk.services.database import Database
from debtdesk.services.referrals import Referrals
from tests.services.support import add_account


def test_the_referral_list_as_a_workbook(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.sessions.begin() as s:
        able, barr = add_account(s, "RC000001", "Mrs Ann Able"), add_account(s, "RC000002", "Mr B")
    referrals = Referrals(db)
    first = referrals.refer(
        able, ReferralKind.ENFORCEMENT_AGENT, date(2026, 3, 2), 125_000, "Bristow & Sutor"
    )
    referrals.record_return(first, date(2026, 4, 30), "Goods removed; part paid", 80_000)
    referrals.refer(barr, ReferralKind.TRACING_AGENT, date(2026, 3, 16), 43_210, "Trace UK")
    out = tmp_path / "referrals.xlsx"

    code = main(["--db", db.url, "report", "referrals", "--as-of", "2026-06-01",
                 "--xlsx", str(out), "--json"])  # fmt: skip
    stdout, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(stdout) == {
        "report": "referrals", "as_of": "2026-06-01", "rows": 2, "referrals": 2, "open": 1,
        "referred": "1682.10", "recovered": "800.00", "xlsx": str(out.resolve()),
    }  # fmt: skip

    book = load_workbook(out)
    assert book.sheetnames == ["Cover", "Referrals"]
    values = [[c.value for c in row] for row in book["Referrals"].iter_rows()]
    assert values[0][0] == "Account" and values[-1][0] == "Total"
    trace = next(row for row in values if "RC000002" in row)
    assert "Trace UK" in trace and 77 in trace and 432.10 in trace

    code = main(["--db", db.url, "report", "referrals", "--as-of", "2026-06-01",
                 "--xlsx", str(out)])  # fmt: skip
    stdout, _ = capsys.readouterr()
    assert stdout.splitlines()[0] == (
        "Referrals at 01/06/2026: 2 (1 open), £1,682.10 referred, £800.00 recovered"
    )
