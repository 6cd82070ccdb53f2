"""The ``debtdesk`` command against CLI.md: JSON shapes, money as strings, exit codes.

Most commands run in-process through ``debtdesk.cli.main`` (stdout and stderr captured);
the shared demo caseload is built and checked by the installed command in a child
process (tests/cli/conftest.py).
"""

from __future__ import annotations

import getpass
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, exists, select, text
from sqlalchemy.orm import aliased

from debtdesk.cli import main
from debtdesk.db.migrate import head_revision
from debtdesk.db.models import Account, LedgerEntry
from debtdesk.domain.ledger import EntryKind
from debtdesk.services.database import Database, open_database
from tests.cli.conftest import DemoDatabase
from tests.services.support import entries_sum, table_counts

MONEY = re.compile(r"^-?\d+\.\d{2}$")
AS_OF = "2026-11-23"
BUCKETS = ["not_due", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365"]


def pence(money: str) -> int:
    """Pounds as the JSON writes them ("-12.05") to pence, checking the form first."""
    assert isinstance(money, str) and MONEY.match(money), money
    sign = -1 if money.startswith("-") else 1
    whole, part = money.lstrip("-").split(".")
    return sign * (int(whole) * 100 + int(part))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    assert err == ""
    data = json.loads(out)  # one JSON object, nothing else on stdout
    assert isinstance(data, dict)
    return data


# --- the demo caseload, built and checked in a child process -------------------------------


def test_demo_then_check_in_a_real_process(demo_db: DemoDatabase) -> None:
    engine = create_engine(demo_db.url)
    try:
        with engine.connect() as connection:
            entries = connection.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one()
            total = connection.execute(text("SELECT sum(amount) FROM ledger_entries")).scalar_one()
    finally:
        engine.dispose()
    assert demo_db.demo == {
        "accounts": 200,
        "entries": entries,
        "balance_total": f"{int(total) / 100:.2f}",
    }
    assert pence(demo_db.demo["balance_total"]) == total
    assert demo_db.check_exit == 0
    assert demo_db.check == {"ok": True, "accounts": 200, "entries": entries, "problems": []}


def test_account_show_for_a_sample_of_accounts(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(demo_db.url)
    try:
        for number in range(5, 200, 10):  # 20 accounts: CC000005, CC000015, ..., CC000195
            ref = f"CC{number:06d}"
            data = run_json(capsys, "--db", demo_db.url, "account", "show", ref, "--as-of", AS_OF)
            assert list(data) == [
                "ref",
                "name",
                "status",
                "customer_type",
                "as_of",
                "balance",
                "aged",
                "open_invoices",
                "unallocated",
                "mandate",
            ]
            assert (data["ref"], data["as_of"]) == (ref, AS_OF)
            assert data["status"] in {"active", "ceased", "deceased"}
            assert data["customer_type"] in {"INDIVIDUAL", "ESTATE", "BUSINESS"}
            # The balance counts every entry effective on or before the date (raw SQL).
            balance = pence(data["balance"])
            assert balance == entries_sum(engine, ref, date.fromisoformat(AS_OF)), ref
            assert list(data["aged"]) == BUCKETS
            aged = sum(pence(v) for v in data["aged"].values())
            unallocated = pence(data["unallocated"])
            assert unallocated <= 0, ref
            assert aged == balance - unallocated, ref  # CLI.md
            outstanding = 0
            for invoice in data["open_invoices"]:
                assert set(invoice) == {"number", "issued", "due", "amount", "outstanding"}
                assert date.fromisoformat(invoice["issued"]) <= date.fromisoformat(AS_OF)
                assert date.fromisoformat(invoice["due"]) >= date.fromisoformat(invoice["issued"])
                pence(invoice["amount"])
                outstanding += pence(invoice["outstanding"])
            assert outstanding == aged, ref
            if data["mandate"] is not None:
                assert set(data["mandate"]) == {"reference", "status"}
    finally:
        engine.dispose()


def test_a_balance_at_an_earlier_date_leaves_out_later_payments(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    """A payment on day P, the account's only entry that day: as at P - 1 it is not counted."""
    engine = create_engine(demo_db.url)
    try:
        with engine.connect() as connection:
            other = aliased(LedgerEntry)
            alone = ~exists().where(
                other.account_id == LedgerEntry.account_id,
                other.effective_date == LedgerEntry.effective_date,
                other.id != LedgerEntry.id,
            )
            ref, paid_on, amount = connection.execute(
                select(Account.reference, LedgerEntry.effective_date, LedgerEntry.amount)
                .join(Account, Account.id == LedgerEntry.account_id)
                .where(LedgerEntry.kind == EntryKind.PAYMENT, alone)
                .order_by(Account.reference, LedgerEntry.effective_date.desc())
                .limit(1)
            ).one()
        day_before = paid_on - timedelta(days=1)

        def balance(day: date) -> int:
            args = ("--db", demo_db.url, "account", "show", ref, "--as-of", day.isoformat())
            return pence(run_json(capsys, *args)["balance"])

        assert amount < 0
        assert balance(day_before) == entries_sum(engine, ref, day_before)
        assert balance(paid_on) == entries_sum(engine, ref, paid_on)
        assert balance(day_before) - balance(paid_on) == -amount
    finally:
        engine.dispose()


def test_accounts_list_search_and_limit(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_db.url
    # "cc00001" is in the references CC000010 to CC000019 and nowhere else: 10 matches.
    data = run_json(capsys, "--db", url, "accounts", "list", "--search", "cc00001", "--limit", "3")
    assert list(data) == ["total", "accounts"]
    assert data["total"] == 10
    assert [a["ref"] for a in data["accounts"]] == ["CC000010", "CC000011", "CC000012"]
    engine = create_engine(url)
    try:
        for account in data["accounts"]:
            assert list(account) == ["ref", "name", "postcode", "status", "officer", "balance"]
            assert account["status"] in {"active", "ceased", "deceased"}
            assert account["officer"]  # every demo account has an officer
            assert pence(account["balance"]) == entries_sum(engine, account["ref"])
    finally:
        engine.dispose()

    everyone = run_json(capsys, "--db", url, "accounts", "list")
    assert everyone["total"] == 200
    assert len(everyone["accounts"]) == 50  # the default limit

    postcode = everyone["accounts"][6]["postcode"]
    by_postcode = run_json(capsys, "--db", url, "accounts", "list", "--search", postcode.lower())
    assert by_postcode["total"] >= 1
    assert all(a["postcode"] == postcode for a in by_postcode["accounts"])

    nobody = run_json(capsys, "--db", url, "accounts", "list", "--search", "no such person")
    assert nobody == {"total": 0, "accounts": []}
    # LIKE's wildcards are searched for as text, not used as wildcards.
    for wildcard in ("%", "_", "cc%1"):
        found = run_json(capsys, "--db", url, "accounts", "list", "--search", wildcard)
        assert found == {"total": 0, "accounts": []}, wildcard


@pytest.mark.parametrize("limit", ["0", "-1", "lots"])
def test_accounts_list_refuses_a_bad_limit(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    code, out, err = run(capsys, "--db", demo_db.url, "accounts", "list", "--limit", limit)
    assert (code, out) == (2, "")
    assert limit in err


def test_account_show_of_an_unknown_reference(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", demo_db.url, "account", "show", "CC999999", "--json")
    assert (code, out) == (2, "")
    assert "CC999999" in err


@pytest.mark.parametrize("bad", ["2026-02-30", "31/13/2026", "yesterday"])
def test_an_invalid_date_is_refused(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    args = ("--db", demo_db.url, "account", "show", "CC000001", "--as-of", bad, "--json")
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert bad in err


def test_the_period_anchor_cannot_move_once_charges_exist(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--db", demo_db.url, "settings", "set", "periods.anchor", "2026-11-23", "--json")
    code, out, err = run(capsys, *args)  # a Monday, so only the charges stand in the way
    assert (code, out) == (2, "")
    assert "charges" in err
    anchor = run_json(capsys, "--db", demo_db.url, "settings", "get", "periods.anchor")
    assert anchor["value"] == "2025-03-31"


def test_demo_refuses_a_database_that_has_accounts(
    demo_db: DemoDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(demo_db.url)
    try:
        before = table_counts(engine)
        code, out, err = run(capsys, "--db", demo_db.url, "demo", "--accounts", "3", "--json")
        assert (code, out) == (2, "")
        assert "empty database" in err
        assert table_counts(engine) == before
    finally:
        engine.dispose()


# --- fresh databases -------------------------------------------------------------------------


def test_settings_round_trip(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    default = run_json(capsys, "--db", db_url, "settings", "get", "council.name")
    assert default == {"key": "council.name", "value": "Wexshire County Council"}
    changed = run_json(
        capsys, "--db", db_url, "settings", "set", "council.name", "Upper Wexshire Council"
    )
    assert changed == {"key": "council.name", "value": "Upper Wexshire Council"}
    again = run_json(capsys, "--db", db_url, "settings", "get", "council.name")
    assert again == {"key": "council.name", "value": "Upper Wexshire Council"}
    # A value is cleaned as it is stored: a sort code's dashes go.
    code = run_json(capsys, "--db", db_url, "settings", "set", "bank.sort_code", "12-34-56")
    assert code["value"] == "123456"
    listed = run_json(capsys, "--db", db_url, "settings", "list")["settings"]
    assert listed["council.name"] == "Upper Wexshire Council"
    assert listed["bank.sort_code"] == "123456"
    # Each change is in the audit trail, chained, so check still passes.
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            actions = connection.execute(
                text("SELECT action, entity_id FROM audit_events ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    assert [tuple(a) for a in actions] == [
        ("user.first_administrator", getpass.getuser()),  # the login that made the database
        ("setting.set", "council.name"),
        ("setting.set", "bank.sort_code"),
    ]
    assert run_json(capsys, "--db", db_url, "check")["ok"] is True
    # Without --json, the value alone.
    assert run(capsys, "--db", db_url, "settings", "get", "council.name") == (
        0,
        "Upper Wexshire Council\n",
        "",
    )


@pytest.mark.parametrize(
    "args",
    [
        ("settings", "get", "no.such.key"),
        ("settings", "set", "no.such.key", "x"),
        ("settings", "set", "bacs.service_user_number", "12AB"),
        ("settings", "set", "periods.anchor", "2026-11-24"),  # a Tuesday
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(
    db_url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    run_json(capsys, "--db", db_url, "settings", "list")  # creates the database
    engine = create_engine(db_url)
    try:
        before = table_counts(engine)
        code, out, err = run(capsys, "--db", db_url, *args, "--json")
        assert (code, out) == (2, "")
        assert err.startswith("debtdesk: ")
        assert args[2] in err or args[-1] in err  # names the key or the value
        assert table_counts(engine) == before
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.sqlite"
    junk.write_text("Dear Sir or Madam,\n" * 400)
    code, out, err = run(capsys, "--db", str(junk), "check", "--json")
    assert (code, out) == (2, "")
    assert "notes.sqlite" in err
    assert junk.read_text() == "Dear Sir or Madam,\n" * 400
    code, out, err = run(capsys, "--db", str(tmp_path), "check", "--json")
    assert (code, out) == (2, "")
    assert "folder" in err


def test_demo_refuses_nought_accounts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "new.sqlite"), "demo", "--accounts", "0")
    assert (code, out) == (2, "")
    assert "'0'" in err


def test_a_database_from_a_newer_build_is_refused(
    db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.close()
    code, out, err = run(capsys, "--db", db_url, "check", "--json")
    assert (code, out) == (2, "")
    assert "9999_future" in err and head_revision() in err


def test_check_exits_1_and_lists_the_problems(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    built = run_json(capsys, "--db", db_url, "demo", "--accounts", "5", "--seed", "2",
                     "--as-of", AS_OF)  # fmt: skip
    assert built["accounts"] == 5
    database = open_database(db_url)
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text("UPDATE accounts SET balance = balance + 1 WHERE reference = 'CC000004'")
            )
    finally:
        database.close()
    code, out, err = run(capsys, "--db", db_url, "check", "--json")
    assert (code, err) == (1, "")
    result = json.loads(out)
    assert result["ok"] is False
    assert (result["accounts"], result["entries"]) == (5, built["entries"])
    assert len(result["problems"]) == 1
    assert result["problems"][0].startswith("CC000004: cached balance ")
    # Without --json: a summary line and the problem.
    code, out, _ = run(capsys, "--db", db_url, "check")
    assert code == 1
    assert re.search(r"5 accounts, \d+ ledger entries: 1 problems?$", out.splitlines()[0])
    assert "CC000004: cached balance" in out


def _open_files_under(folder: Path) -> list[str]:
    """Files under ``folder`` this process holds open (Linux: /proc/self/fd)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = fd.readlink()
        except OSError:  # closed while listing
            continue
        if folder in target.parents:
            held.append(target.name)
    return sorted(held)


def test_a_command_closes_the_database_it_opened(tmp_path: Path) -> None:
    """On Windows an open SQLite file cannot be deleted: a command must not leave it open
    for the garbage collector (the self-test deletes its folder afterwards)."""
    path = tmp_path / "closed.sqlite"
    assert main(["--db", str(path), "demo", "--accounts", "3", "--as-of", "2026-11-10"]) == 0
    assert main(["--db", str(path), "check", "--json"]) == 0
    assert main(["--db", str(path), "account", "show", "NOPE", "--json"]) == 2  # failed too
    assert path.exists()
    assert _open_files_under(tmp_path) == []
