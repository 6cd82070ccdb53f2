"""Who may do what: the four roles, their permissions and their write-off authority.

The services enforce this table and the GUI hides what a user may not do. The
write-off limits are RULES.md "Write-off authority (defaults)"; a team changes them in
settings (:func:`limits_from_data`). An administrator holds every permission; their
write-off authority is the highest limit of the other roles, and above every limit a
write-off is referred, not approved, whoever looks at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.money import Pence


class Permission(StrEnum):
    WORK_ACCOUNTS = "work_accounts"
    """Notes, holds, plans, referrals, recommending a write-off, the worklist."""
    APPROVE_WRITE_OFFS = "approve_write_offs"
    EDIT_POLICY = "edit_policy"
    """The recovery policy, plan tolerances, spending guidelines, write-off limits."""
    REASSIGN = "reassign"
    """Move accounts and tasks between officers; see every officer's worklist."""
    RUN_BATCHES = "run_batches"
    """Statement, recovery and direct debit runs; Bacs and bank imports."""
    MANAGE_USERS = "manage_users"


PERMISSION_NAMES = {
    Permission.WORK_ACCOUNTS: "Work accounts",
    Permission.APPROVE_WRITE_OFFS: "Approve write-offs",
    Permission.EDIT_POLICY: "Edit policy and settings",
    Permission.REASSIGN: "Reassign and see every officer's work",
    Permission.RUN_BATCHES: "Run batches and imports",
    Permission.MANAGE_USERS: "Manage users",
}

PERMISSIONS: Mapping[UserRole, frozenset[Permission]] = {
    UserRole.OFFICER: frozenset({Permission.WORK_ACCOUNTS}),
    UserRole.TEAM_LEADER: frozenset(
        {
            Permission.WORK_ACCOUNTS,
            Permission.APPROVE_WRITE_OFFS,
            Permission.EDIT_POLICY,
            Permission.REASSIGN,
            Permission.RUN_BATCHES,
        }
    ),
    UserRole.FINANCE_MANAGER: frozenset(
        {Permission.WORK_ACCOUNTS, Permission.APPROVE_WRITE_OFFS, Permission.RUN_BATCHES}
    ),
    UserRole.ADMINISTRATOR: frozenset(Permission),
}

DEFAULT_WRITE_OFF_LIMITS: Mapping[UserRole, Pence] = {
    UserRole.OFFICER: 0,
    UserRole.TEAM_LEADER: 100_000,
    UserRole.FINANCE_MANAGER: 1_000_000,
}
"""RULES.md: an officer recommends only; a team leader approves up to £1,000, a finance
manager up to £10,000; above that, referred to the chief finance officer."""


def may(role: UserRole, permission: Permission) -> bool:
    """The role holds the permission."""
    return permission in PERMISSIONS[role]


def write_off_limit(role: UserRole, limits: Mapping[UserRole, Pence]) -> Pence:
    """The most a role may approve (an administrator: the highest limit of any role)."""
    if role is UserRole.ADMINISTRATOR:
        return max(limits.values(), default=0)
    if not may(role, Permission.APPROVE_WRITE_OFFS):
        return 0
    return limits.get(role, 0)


def limits_from_data(data: object) -> tuple[dict[UserRole, Pence] | None, list[str]]:
    """Write-off limits from settings data (role -> pence), or None and every problem."""
    if not isinstance(data, Mapping):
        return None, ["the write-off limits must map each role to an amount in pence"]
    problems: list[str] = []
    limits: dict[UserRole, Pence] = {}
    for key, value in data.items():
        if key not in {r.value for r in UserRole} or key == UserRole.ADMINISTRATOR.value:
            problems.append(f"write-off limits, {key!r}: not a role with its own limit")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"write-off limits, {key}: {value!r} is not pence, 0 or more")
        else:
            limits[UserRole(key)] = value
    if problems:
        return None, problems
    return limits, []
