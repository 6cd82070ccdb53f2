"""``debtdesk users``: an administrator adds and changes users; others may not."""

from __future__ import annotations

import getpass
import json

import pytest

from debtdesk.cli import main
from debtdesk.domain.caseload import UserRole
from debtdesk.services.database import Database
from debtdesk.services.users import Users


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_administrator_adds_and_changes_users(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, "--db", db.url, "users", "add", "jsmith", "Jo Smith", "--role", "team_leader",
        "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "username": "jsmith", "name": "Jo Smith", "role": "team_leader", "active": True,
    }  # fmt: skip
    code, out, _ = _run(capsys, "--db", db.url, "users", "set", "jsmith", "--active", "no")
    assert (code, out) == (0, "jsmith: team_leader, inactive\n")
    code, out, _ = _run(capsys, "--db", db.url, "users", "list", "--json")
    listed = {u["username"]: u for u in json.loads(out)["users"]}
    assert listed["jsmith"]["active"] is False and listed["tester"]["role"] == "administrator"


def test_an_officer_may_not_add_users(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    Users(db).change(getpass.getuser(), role=UserRole.OFFICER)
    code, out, err = _run(capsys, "--db", db.url, "users", "add", "x", "X Person")
    assert (code, out) == (2, "")
    assert "may not manage users" in err
    assert "x" not in {u.username for u in Users(db).list()}
