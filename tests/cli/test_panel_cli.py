"""`debtdesk panel pack`: a case pack for one account as a PDF; an unknown account or a bad
date is refused with exit 2 and nothing written (CLI.md)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from debtdesk.cli import main
from debtdesk.domain.caseload import InvoiceKind
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.services import ledger
from debtdesk.services.database import Database
from tests.services.support import add_account


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The pack renders with Qt: pytest-qt makes the application first."""


@pytest.fixture
def account(db: Database) -> str:
    """£412.60 invoiced on 2 Nov 2026, due 16 Nov."""
    with db.sessions.begin() as s:
        account_id = add_account(s, "PP000001", "Mr Owen Price", address="3 Mill Lane")
        ledger.raise_invoice(
            s, account_id, InvoiceKind.SUNDRY, date(2026, 11, 2), date(2026, 11, 16),
            [(EntryKind.CHARGE, 412_60, None, "Contribution")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return "PP000001"


def _pdf(path: Path) -> tuple[str, int]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return text, int(pages.split()[1])


def test_a_pack_as_json(
    db: Database, account: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "packs" / "pack.pdf"

    code = main([
        "--db", db.url, "panel", "pack", "--account", account.lower(), "--out", str(out),
        "--as-of", "2026-11-23", "--json",
    ])  # fmt: skip

    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    text, pages = _pdf(out)
    assert printed == {
        "account": "PP000001", "as_of": "2026-11-23", "pages": pages, "out": str(out),
    }  # fmt: skip
    assert pages >= 3  # the cover, the contents, the sections
    assert "Account PP000001 · Mr Owen Price · as at 23 November 2026" in text
    assert "£412.60" in text and "OFFICIAL – SENSITIVE" in text


def test_a_pack_in_words(
    db: Database,
    account: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)

    code = main(["--db", db.url, "panel", "pack", "--account", account, "--out", "p.pdf",
                 "--as-of", "23/11/2026"])  # fmt: skip

    assert code == 0
    _text, pages = _pdf(tmp_path / "p.pdf")
    assert capsys.readouterr().out == (
        f"Case pack for PP000001 as at 23/11/2026: {pages} pages\n{tmp_path / 'p.pdf'}\n"
    )


def test_an_unknown_account_is_refused_and_nothing_written(
    db: Database, account: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack.pdf"

    code = main(["--db", db.url, "panel", "pack", "--account", "XX999999", "--out", str(out),
                 "--json"])  # fmt: skip

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "debtdesk: no account with reference 'XX999999'\n"
    assert not out.exists()


def test_a_bad_date_or_a_missing_argument_is_refused(
    db: Database, account: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack.pdf"

    bad_date = main(["--db", db.url, "panel", "pack", "--account", account, "--out", str(out),
                     "--as-of", "2026-02-30"])  # fmt: skip
    no_out = main(["--db", db.url, "panel", "pack", "--account", account])

    assert (bad_date, no_out) == (2, 2)
    err = capsys.readouterr().err
    assert "argument --as-of: '2026-02-30' is not a date" in err
    assert "the following arguments are required: --out" in err
    assert not out.exists()
