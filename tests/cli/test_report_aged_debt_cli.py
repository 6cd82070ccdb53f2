"""``debtdesk report aged-debt --as-of D --xlsx OUT --json`` on the CLI demo caseload: its
JSON and its workbook agree with ``account show --json`` account by account, and with the
demo's balance total (every entry of the demo is effective by the day it ends).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from debtdesk.cli import main
from tests.cli.conftest import DemoDatabase, run_debtdesk
from tests.cli.test_cli import BUCKETS, pence

MONEY_COLUMNS = ["balance", *BUCKETS, "unallocated"]  # the Accounts sheet's columns I to Q


def _show(capsys: pytest.CaptureFixture[str], url: str, ref: str, as_of: str) -> dict[str, Any]:
    code = main(["--db", url, "account", "show", ref, "--as-of", as_of, "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    data: dict[str, Any] = json.loads(out)
    return data


def _figures(shown: dict[str, Any]) -> list[int]:
    return [pence(shown["balance"]), *(pence(shown["aged"][b]) for b in BUCKETS),
            pence(shown["unallocated"])]  # fmt: skip


@pytest.mark.parametrize("as_of", ["2026-11-23", "2026-06-30"])
def test_the_report_agrees_with_account_show(
    demo_db: DemoDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    out = tmp_path / "aged.xlsx"
    done = run_debtdesk("--db", demo_db.url, "report", "aged-debt", "--as-of", as_of,
                        "--xlsx", str(out), "--json", cwd=tmp_path)  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    data = json.loads(done.stdout)
    assert list(data) == ["report", "as_of", "rows", "accounts", "balance", "aged",
                          "unallocated", "xlsx"]  # fmt: skip
    assert (data["report"], data["as_of"], data["xlsx"]) == ("aged-debt", as_of, str(out))
    assert list(data["aged"]) == BUCKETS

    sheet = load_workbook(out)["Accounts"]
    rows = {
        row[0]: row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] and row[0] != "Total"
    }
    assert len(rows) == data["accounts"]
    # Every account, through account show: the workbook's row, or no row when nothing is
    # owed or held; the JSON's totals are the sums of what account show says.
    totals = [0] * len(MONEY_COLUMNS)
    for number in range(1, 201):
        ref = f"CC{number:06d}"
        shown = _show(capsys, demo_db.url, ref, as_of)
        figures = _figures(shown)
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        row = rows.get(ref)
        if row is None:
            assert figures == [0] * len(MONEY_COLUMNS), ref
            continue
        assert [row[1], row[3], row[4]] == [
            shown["name"],
            shown["customer_type"],
            shown["status"].capitalize(),
        ]
        assert [round(v * 100) for v in row[8:17]] == figures, ref
    assert pence(data["balance"]) == totals[0]
    assert [pence(data["aged"][b]) for b in BUCKETS] == totals[1:-1]
    assert pence(data["unallocated"]) == totals[-1]
    # The buckets sum to balance less unallocated (CLI.md), in the totals as in each account.
    assert sum(totals[1:-1]) == totals[0] - totals[-1]
    if date.fromisoformat(as_of) >= date(2026, 11, 23):  # the demo's last day: everything counts
        assert data["balance"] == demo_db.demo["balance_total"]


def test_the_line_it_prints(demo_db: DemoDatabase, tmp_path: Path) -> None:
    out = tmp_path / "aged"
    done = run_debtdesk("--db", demo_db.url, "report", "aged-debt", "--as-of", "2026-11-23",
                        "--xlsx", str(out), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    line, path = done.stdout.splitlines()
    assert line.startswith("Aged debt at 23/11/2026: ") and " accounts, £" in line
    assert path == str(tmp_path / "aged.xlsx")
