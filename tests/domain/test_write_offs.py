"""Who may decide a write-off, worked from RULES.md's default limits."""

from __future__ import annotations

import pytest

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.roles import (
    DEFAULT_WRITE_OFF_LIMITS,
    Permission,
    limits_from_data,
    may,
    write_off_limit,
)
from debtdesk.domain.write_offs import Decision, rule_on

LIMITS = DEFAULT_WRITE_OFF_LIMITS


def test_the_recommender_cannot_approve_even_within_authority() -> None:
    ruling = rule_on(5_000, "jsmith", "jsmith", UserRole.TEAM_LEADER, LIMITS)
    assert ruling.decision is None
    assert ruling.refusal == "the person who recommended a write-off cannot approve it"


def test_an_officer_only_recommends() -> None:
    ruling = rule_on(100, "jsmith", "akhan", UserRole.OFFICER, LIMITS)
    assert (ruling.decision, ruling.refusal) == (None, "an officer cannot approve write-offs")


@pytest.mark.parametrize(
    ("amount", "role", "decision"),
    [
        (100_000, UserRole.TEAM_LEADER, Decision.APPROVE),  # £1,000.00: at the limit
        (1_000_000, UserRole.FINANCE_MANAGER, Decision.APPROVE),  # £10,000.00
        (1_000_001, UserRole.FINANCE_MANAGER, Decision.REFER),  # above every limit
        (1_000_001, UserRole.TEAM_LEADER, Decision.REFER),
        (1_000_000, UserRole.ADMINISTRATOR, Decision.APPROVE),  # the highest limit
    ],
)
def test_within_authority_approved_above_every_limit_referred(
    amount: int, role: UserRole, decision: Decision
) -> None:
    assert rule_on(amount, "jsmith", "boss", role, LIMITS).decision is decision


def test_over_this_approvers_authority_names_who_may() -> None:
    ruling = rule_on(100_001, "jsmith", "tl", UserRole.TEAM_LEADER, LIMITS)
    assert ruling.decision is None
    assert ruling.refusal == (
        "£1,000.01 is over your authority (£1,000.00); a finance manager may approve up to "
        "£10,000.00"
    )


def test_the_permission_table() -> None:
    assert may(UserRole.TEAM_LEADER, Permission.EDIT_POLICY)
    assert not may(UserRole.OFFICER, Permission.REASSIGN)
    assert not may(UserRole.FINANCE_MANAGER, Permission.MANAGE_USERS)
    assert all(may(UserRole.ADMINISTRATOR, p) for p in Permission)
    assert write_off_limit(UserRole.OFFICER, LIMITS) == 0


def test_limits_from_settings() -> None:
    assert limits_from_data({"team_leader": 50_000, "finance_manager": 500_000}) == (
        {UserRole.TEAM_LEADER: 50_000, UserRole.FINANCE_MANAGER: 500_000},
        [],
    )
    limits, problems = limits_from_data({"team_leader": -1, "administrator": 5, "cfo": 1})
    assert limits is None
    assert problems == [
        "write-off limits, team_leader: -1 is not pence, 0 or more",
        "write-off limits, 'administrator': not a role with its own limit",
        "write-off limits, 'cfo': not a role with its own limit",
    ]
