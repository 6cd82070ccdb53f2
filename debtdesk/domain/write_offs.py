"""Write-offs: the reasons a debt may be written off, and who may decide one.

An officer recommends a write-off (amount, reason, evidence); someone else decides it.
The person who recommended it cannot approve it (RULES.md). An approver within their
authority approves it, and only then is a write-off entry posted. An amount above every
role's limit cannot be approved by anyone in debtdesk: it is recorded as referred to
the chief finance officer. An amount above this approver's limit but within another
role's is refused, naming who may approve it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from debtdesk.domain.caseload import UserRole
from debtdesk.domain.money import Pence, format_pounds
from debtdesk.domain.roles import Permission, may, write_off_limit


class WriteOffReason(StrEnum):
    """The reasons councils record (FACTS.md §7.2)."""

    UNECONOMICAL = "uneconomical"
    DECEASED_NO_ESTATE = "deceased_no_estate"
    INSOLVENT_ESTATE = "insolvent_estate"
    INSOLVENCY = "insolvency"
    UNTRACEABLE = "untraceable"
    STATUTE_BARRED = "statute_barred"
    HARDSHIP = "hardship"
    COUNCIL_ERROR = "council_error"
    WAIVER = "waiver"


REASON_NAMES = {
    WriteOffReason.UNECONOMICAL: "Uneconomical to pursue",
    WriteOffReason.DECEASED_NO_ESTATE: "Debtor deceased, no estate",
    WriteOffReason.INSOLVENT_ESTATE: "Insolvent estate",
    WriteOffReason.INSOLVENCY: "Bankruptcy, DRO or IVA",
    WriteOffReason.UNTRACEABLE: "Untraceable (gone away)",
    WriteOffReason.STATUTE_BARRED: "Statute-barred (over six years, no acknowledgment)",
    WriteOffReason.HARDSHIP: "Hardship or vulnerability",
    WriteOffReason.COUNCIL_ERROR: "Council error or complaint outcome",
    WriteOffReason.WAIVER: "Waiver",
}


class WriteOffStatus(StrEnum):
    RECOMMENDED = "recommended"
    APPROVED = "approved"
    REJECTED = "rejected"
    REFERRED = "referred"
    """Above every limit: referred to the chief finance officer, not posted."""


class Decision(StrEnum):
    APPROVE = "approve"
    REFER = "refer"


@dataclass(frozen=True)
class Ruling:
    """What may happen when ``approver`` decides: approve, refer, or refused (``refusal``)."""

    decision: Decision | None
    refusal: str = ""


def rule_on(
    amount: Pence,
    recommended_by: str,
    approver: str,
    role: UserRole,
    limits: Mapping[UserRole, Pence],
) -> Ruling:
    """Whether ``approver`` (in ``role``) may approve a write-off of ``amount``."""
    if approver == recommended_by:
        return Ruling(None, "the person who recommended a write-off cannot approve it")
    if not may(role, Permission.APPROVE_WRITE_OFFS):
        return Ruling(None, f"{_a(role)} cannot approve write-offs")
    top = max(limits.values(), default=0)
    if amount > top:
        return Ruling(Decision.REFER)
    own = write_off_limit(role, limits)
    if amount > own:
        able = sorted(
            (limit, r) for r, limit in limits.items() if limit >= amount and r is not role
        )
        limit, who = able[0]
        return Ruling(
            None,
            f"{format_pounds(amount)} is over your authority ({format_pounds(own)}); "
            f"{_a(who)} may approve up to {format_pounds(limit)}",
        )
    return Ruling(Decision.APPROVE)


def _a(role: UserRole) -> str:
    name = role.value.replace("_", " ")
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
