"""Holds through the service: set, listed with their state, ended, lifted by themselves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.holds import HoldReason, HoldState
from debtdesk.services.database import Database, open_database
from debtdesk.services.errors import BadInput, NotAllowed
from debtdesk.services.holds import Holds, held_accounts
from debtdesk.services.users import Users
from tests.services.support import new_account

REVIEW = date(2026, 6, 1)


@pytest.fixture
def account(db: Database) -> int:
    with db.sessions.begin() as s:
        return new_account(s, "HO000001")


def test_a_breathing_space_holds_sixty_days_and_lifts_itself(db: Database, account: int) -> None:
    hold_id = Holds(db).set(account, HoldReason.BREATHING_SPACE, date(2026, 3, 2))
    [line] = Holds(db).for_account(account, date(2026, 4, 30))
    assert (line.id, line.end_on, line.state) == (hold_id, date(2026, 4, 30), HoldState.IN_FORCE)
    assert line.set_by == "tester"
    with db.sessions() as s:
        assert held_accounts(s, [account], date(2026, 4, 30)) == {account}
        assert held_accounts(s, [account], date(2026, 5, 1)) == set()
    [line] = Holds(db).for_account(account, date(2026, 5, 1))
    assert line.state is HoldState.LIFTED


def test_an_officer_ends_a_dispute_hold(db: Database, account: int) -> None:
    hold_id = Holds(db).set(
        account, HoldReason.DISPUTE, date(2026, 3, 2), review=date(2026, 4, 1), note="says paid"
    )
    with pytest.raises(BadInput, match="say why the hold ends"):
        Holds(db).end(hold_id, date(2026, 3, 20), " ")
    with pytest.raises(BadInput, match="cannot end on 01/03/2026"):
        Holds(db).end(hold_id, date(2026, 3, 1), "resolved")
    Holds(db).end(hold_id, date(2026, 3, 20), "bank statement shows it was not paid")
    [line] = Holds(db).for_account(account, date(2026, 3, 20))
    assert (line.state, line.ended_by) == (HoldState.ENDED, "tester")
    with pytest.raises(BadInput, match="already ended"):
        Holds(db).end(hold_id, date(2026, 3, 25), "again")
    with db.engine.connect() as c:
        actions = [r[0] for r in c.execute(text("SELECT action FROM audit_events ORDER BY id"))]
    assert actions[-2:] == ["hold.set", "hold.end"]


def test_a_hold_needs_an_end_or_review_and_nothing_is_written(db: Database, account: int) -> None:
    with pytest.raises(BadInput, match="give the hold an end date or a review date"):
        Holds(db).set(account, HoldReason.COMPLAINT, date(2026, 3, 2))
    assert Holds(db).for_account(account, date(2026, 3, 2)) == []


def test_a_login_that_is_not_a_user_cannot_set_a_hold(db: Database, account: int) -> None:
    stranger = open_database(db.url, actor="stranger")
    try:
        with pytest.raises(NotAllowed, match="stranger is not a debtdesk user"):
            Holds(stranger).set(
                account, HoldReason.PROBATE, date(2026, 3, 2), review=date(2026, 6, 1)
            )
    finally:
        stranger.close()
    Users(db).add("stranger", "A Officer", UserRole.OFFICER)
    officer = open_database(db.url, actor="stranger")
    try:
        Holds(officer).set(account, HoldReason.PROBATE, date(2026, 3, 2), review=REVIEW)
    finally:
        officer.close()
    assert len(Holds(db).for_account(account, date(2026, 3, 2))) == 1
