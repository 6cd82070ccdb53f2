"""Users: the first administrator, who may manage users, and what a role allows."""

from __future__ import annotations

import getpass

import pytest

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.roles import Permission
from debtdesk.services.database import Database, open_database
from debtdesk.services.errors import BadInput, NotAllowed
from debtdesk.services.users import Users, current_user, require


def test_the_login_that_creates_a_database_is_its_first_administrator(db: Database) -> None:
    me = current_user(db)
    assert me is not None and me.username == "tester" and me.role is UserRole.ADMINISTRATOR
    assert all(me.may(p) for p in Permission)


def test_a_second_login_is_not_made_administrator(db: Database) -> None:
    other = open_database(db.url, actor="akhan")
    try:
        assert current_user(other) is None
        with pytest.raises(NotAllowed, match="akhan is not a debtdesk user"):
            Users(other).add("bjones", "Beth Jones", UserRole.OFFICER)
    finally:
        other.close()
    assert "akhan" not in [u.username for u in Users(db).list()]


def test_an_administrator_adds_users_and_an_officer_may_not(db: Database) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="JSmith")  # Windows logins differ in case
    try:
        me = current_user(officer)
        assert me is not None and me.role is UserRole.OFFICER
        assert me.may(Permission.WORK_ACCOUNTS) and not me.may(Permission.APPROVE_WRITE_OFFS)
        with pytest.raises(NotAllowed, match=r"Jo Smith \(officer\) may not manage users"):
            Users(officer).add("x", "X", UserRole.ADMINISTRATOR)
    finally:
        officer.close()
    with pytest.raises(BadInput, match="there is already a user jsmith"):
        Users(db).add("JSMITH", "Again", UserRole.OFFICER)


def test_the_last_active_administrator_stays(db: Database) -> None:
    Users(db).change(getpass.getuser(), active=False)  # the machine's login, from the fixture
    with pytest.raises(BadInput, match="at least one active administrator"):
        Users(db).change("tester", role=UserRole.TEAM_LEADER)
    with pytest.raises(BadInput, match="at least one active administrator"):
        Users(db).change("tester", active=False)
    Users(db).add("boss", "The Boss", UserRole.ADMINISTRATOR)
    Users(db).change("tester", role=UserRole.TEAM_LEADER)
    assert current_user(db).role is UserRole.TEAM_LEADER  # type: ignore[union-attr]


def test_an_inactive_user_may_do_nothing(db: Database) -> None:
    Users(db).add("gone", "Gone Away", UserRole.TEAM_LEADER)
    Users(db).change("gone", active=False)
    with db.sessions() as session, pytest.raises(NotAllowed, match="not active"):
        require(session, "gone", Permission.WORK_ACCOUNTS)
