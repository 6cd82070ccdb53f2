"""Settings: several values set in one transaction, all or none, each one audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from debtdesk.db.models import AuditEvent
from debtdesk.domain.caseload import UserRole
from debtdesk.services.database import Database, open_database
from debtdesk.services.errors import BadInput, NotAllowed
from debtdesk.services.settings import SPECS, Settings
from debtdesk.services.users import Users
from tests.services.support import snapshot


def setting_events(db: Database) -> list[tuple[str, object, object]]:
    with db.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "setting.set").order_by(AuditEvent.id)
        )
        return [(e.entity_id, e.before, e.after) for e in events]


def test_set_many_stores_every_value_cleaned_and_audits_each(db: Database) -> None:
    stored = Settings(db).set_many(
        {"plans.tolerance": "£2.5", "plans.grace_days": " 7 ", "recovery.highest_stage": "YES"}
    )

    assert stored == {
        "plans.tolerance": "2.50",
        "plans.grace_days": "7",
        "recovery.highest_stage": "yes",
    }
    values = Settings(db).all()
    assert values["plans.tolerance"] == "2.50" and values["plans.grace_days"] == "7"
    assert values["recovery.highest_stage"] == "yes"
    assert setting_events(db) == [
        ("plans.tolerance", {"value": "1.00"}, {"value": "2.50"}),
        ("plans.grace_days", {"value": SPECS["plans.grace_days"].default}, {"value": "7"}),
        ("recovery.highest_stage", {"value": "no"}, {"value": "yes"}),
    ]


def test_one_bad_value_writes_nothing(db: Database) -> None:
    Settings(db).set("plans.tolerance", "3.00")
    before = snapshot(db.engine)
    limits = json.dumps({"team_leader": 250_000, "finance_manager": -1})

    with pytest.raises(BadInput, match=r"write-off limits, finance_manager: -1 is not pence"):
        Settings(db).set_many({"plans.tolerance": "4.00", "write_offs.limits": limits})
    with pytest.raises(BadInput, match="unknown setting 'plans.nonsense'"):
        Settings(db).set_many({"plans.tolerance": "4.00", "plans.nonsense": "1"})

    assert snapshot(db.engine) == before
    assert Settings(db).get("plans.tolerance") == "3.00"


def test_a_login_that_may_not_edit_policy_changes_nothing(db: Database) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="jsmith")
    try:
        before = snapshot(db.engine)
        with pytest.raises(NotAllowed, match=r"Jo Smith \(officer\) may not edit policy"):
            Settings(officer).set_many({"plans.grace_days": "3", "plans.tolerance": "2.00"})
        assert snapshot(db.engine) == before
    finally:
        officer.close()


def test_set_is_set_many_of_one(db: Database) -> None:
    assert Settings(db).set("plans.grace_days", "05") == "5"
    assert Settings(db).get("plans.grace_days") == "5"
    with pytest.raises(BadInput, match="a whole number of days, 0 to 60"):
        Settings(db).set("plans.grace_days", "61")
    assert Settings(db).get("plans.grace_days") == "5"
