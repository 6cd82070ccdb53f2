"""Customer types on a real database: listed with their accounts, added and changed by a team
leader, audited, and refused whole where Late Payment Act interest would reach individuals.

A new database has INDIVIDUAL and ESTATE (individuals, 14 days, no interest) and BUSINESS
(a business, 30 days, interest on); "tester" is an administrator.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from debtdesk.db.models import AuditEvent
from debtdesk.domain.caseload import UserRole
from debtdesk.services.customer_types import CustomerTypes, CustomerTypeView, interest_bearing
from debtdesk.services.database import Database, open_database
from debtdesk.services.errors import BadInput, NotAllowed, NotFound
from debtdesk.services.users import Users
from tests.services.support import add_account, snapshot, table_counts

INDIVIDUAL_REFUSAL = (
    "INDIVIDUAL is a type for individuals: the Late Payment of Commercial Debts (Interest) "
    "Act 1998 applies only where both parties act in the course of a business, so interest "
    "cannot be switched on for it"
)


def by_code(db: Database) -> dict[str, CustomerTypeView]:
    return {t.code: t for t in CustomerTypes(db).list()}


def audited(db: Database) -> list[tuple[str, str, str, object, object]]:
    with db.sessions() as session:
        return [
            (e.actor, e.action, e.entity_id, e.before, e.after)
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity == "customer_type")
                .order_by(AuditEvent.id)
            )
        ]


def type_ids(db: Database) -> dict[str, int]:
    return {code: t.id for code, t in by_code(db).items()}


@pytest.fixture
def leader(db: Database) -> Iterator[Database]:
    """The database as "jsmith", a team leader."""
    Users(db).add("jsmith", "Jo Smith", UserRole.TEAM_LEADER)
    database = open_database(db.url, actor="jsmith")
    yield database
    database.close()


def test_a_new_database_lists_its_three_types_with_the_accounts_of_each(db: Database) -> None:
    with db.sessions.begin() as session:
        add_account(session, "CC001", "Ann Able")
        add_account(session, "CC002", "Bob Best")
        add_account(session, "CC003", "Estate of Cy Dee", type_code="ESTATE")
    types = CustomerTypes(db).list()
    assert [
        (t.code, t.name, t.is_business, t.terms_days, t.interest, t.accounts) for t in types
    ] == [
        ("BUSINESS", "Business or public body", True, 30, True, 0),
        ("ESTATE", "Estate of a person who has died", False, 14, False, 1),
        ("INDIVIDUAL", "Individual", False, 14, False, 2),
    ]


def test_interest_on_for_individual_is_refused_with_the_reason_and_nothing_written(
    db: Database,
) -> None:
    before, counts = snapshot(db.engine), table_counts(db.engine)
    with pytest.raises(BadInput) as refused:
        CustomerTypes(db).change("INDIVIDUAL", interest=True)
    assert str(refused.value) == INDIVIDUAL_REFUSAL
    assert table_counts(db.engine) == counts
    assert snapshot(db.engine) == before
    assert by_code(db)["INDIVIDUAL"].interest is False


def test_a_new_type_for_individuals_with_interest_is_refused(db: Database) -> None:
    counts = table_counts(db.engine)
    with pytest.raises(BadInput) as refused:
        CustomerTypes(db).add("SELF_FUNDER", "Self-funder", False, 14, True)
    assert str(refused.value) == (
        "SELF_FUNDER is a type for individuals: the Late Payment of Commercial Debts "
        "(Interest) Act 1998 applies only where both parties act in the course of a "
        "business, so interest cannot be switched on for it"
    )
    assert table_counts(db.engine) == counts


def test_a_team_leader_adds_a_care_home_type_and_it_is_audited(leader: Database) -> None:
    added = CustomerTypes(leader).add("CAREHOME", "  Care home provider ", True, 30, True)
    assert (added.code, added.name, added.is_business, added.terms_days) == (
        "CAREHOME",
        "Care home provider",
        True,
        30,
    )
    assert (added.interest, added.accounts) == (True, 0)
    assert by_code(leader)["CAREHOME"] == added
    assert audited(leader) == [
        (
            "jsmith",
            "customer_type.add",
            "CAREHOME",
            None,
            {
                "name": "Care home provider",
                "is_business": True,
                "payment_terms_days": 30,
                "late_payment_interest": True,
            },
        )
    ]
    ids = type_ids(leader)
    with leader.sessions() as session:
        assert interest_bearing(session) == {ids["BUSINESS"], ids["CAREHOME"]}


def test_a_code_taken_or_fields_that_cannot_be_used_are_refused_whole(db: Database) -> None:
    counts = table_counts(db.engine)
    with pytest.raises(BadInput, match=r"^there is already a customer type BUSINESS \(Business"):
        CustomerTypes(db).add("BUSINESS", "Another business", True, 30, False)
    with pytest.raises(BadInput) as refused:
        CustomerTypes(db).add("care-home", " ", True, 150, True)
    assert str(refused.value) == (
        "'care-home' cannot be a customer type's code: use 2 to 20 capital letters, digits or "
        "underscores, such as CARE_HOME; give the customer type a name; payment terms of 150 "
        "days: they are 0 to 120 days after the statement date"
    )
    assert table_counts(db.engine) == counts


def test_terms_change_and_interest_goes_off_and_on_each_audited(db: Database) -> None:
    types = CustomerTypes(db)
    types.add("CAREHOME", "Care home provider", True, 30, True)
    with db.sessions.begin() as session:
        add_account(session, "CC010", "Sunnyside Care Ltd", type_code="CAREHOME")

    changed = types.change("CAREHOME", terms_days=45)
    assert (changed.terms_days, changed.interest, changed.accounts) == (45, True, 1)
    assert types.change("CAREHOME", interest=False).interest is False
    ids = type_ids(db)
    with db.sessions() as session:
        assert interest_bearing(session) == {ids["BUSINESS"]}
    assert types.change("CAREHOME", interest=True).interest is True
    with db.sessions() as session:
        assert interest_bearing(session) == {ids["BUSINESS"], ids["CAREHOME"]}

    fields = {
        "name": "Care home provider",
        "is_business": True,
        "payment_terms_days": 30,
        "late_payment_interest": True,
    }
    terms_45 = {**fields, "payment_terms_days": 45}
    interest_off = {**terms_45, "late_payment_interest": False}
    assert [(action, before, after) for _, action, _, before, after in audited(db)] == [
        ("customer_type.add", None, fields),
        ("customer_type.change", fields, terms_45),
        ("customer_type.change", terms_45, interest_off),
        ("customer_type.change", interest_off, terms_45),
    ]


def test_a_type_in_use_with_interest_on_becomes_one_for_individuals_only_with_it_off(
    db: Database,
) -> None:
    types = CustomerTypes(db)
    types.add("AGENCY", "Agency", True, 30, True)
    with db.sessions.begin() as session:
        add_account(session, "CC020", "An Agency Ltd", type_code="AGENCY")
    before = snapshot(db.engine)
    with pytest.raises(BadInput) as refused:
        types.change("AGENCY", is_business=False)
    assert str(refused.value) == (
        "AGENCY has Late Payment Act interest switched on, so it cannot be marked as a type "
        "for individuals: the Late Payment of Commercial Debts (Interest) Act 1998 applies "
        "only where both parties act in the course of a business. Switch its interest off "
        "in the same change"
    )
    assert snapshot(db.engine) == before

    changed = types.change("AGENCY", is_business=False, interest=False)
    assert (changed.is_business, changed.interest, changed.accounts) == (False, False, 1)
    with pytest.raises(BadInput, match=r"^AGENCY is a type for individuals: "):
        types.change("AGENCY", interest=True)
    assert types.change("AGENCY", is_business=True).is_business  # back to a business, in use


def test_a_change_of_nothing_an_unknown_code_or_bad_fields_writes_nothing(db: Database) -> None:
    before = snapshot(db.engine)
    with pytest.raises(BadInput, match=r"^nothing to change: ESTATE is already as asked$"):
        CustomerTypes(db).change("ESTATE", terms_days=14, interest=False)
    with pytest.raises(NotFound, match=r"^there is no customer type CAREHOME$"):
        CustomerTypes(db).change("CAREHOME", terms_days=30)
    with pytest.raises(BadInput) as refused:
        CustomerTypes(db).change("ESTATE", name="", terms_days=121)
    assert str(refused.value) == (
        "give the customer type a name; payment terms of 121 days: they are 0 to 120 days "
        "after the statement date"
    )
    assert snapshot(db.engine) == before


def test_an_officer_may_neither_add_nor_change_a_type(db: Database) -> None:
    Users(db).add("bjones", "Beth Jones", UserRole.OFFICER)
    officer = open_database(db.url, actor="bjones")
    try:
        before = snapshot(db.engine)
        with pytest.raises(NotAllowed, match=r"^Beth Jones \(officer\) may not edit policy"):
            CustomerTypes(officer).add("CAREHOME", "Care home provider", True, 30, True)
        with pytest.raises(NotAllowed, match=r"^Beth Jones \(officer\) may not edit policy"):
            CustomerTypes(officer).change("BUSINESS", terms_days=28)
        assert snapshot(db.engine) == before
        assert [t.code for t in CustomerTypes(officer).list()] == [
            "BUSINESS",
            "ESTATE",
            "INDIVIDUAL",
        ]
    finally:
        officer.close()
