"""Recovery holds: why recovery stops on an account, from when, until when, and by whom.

A hold stops the recovery clock (RULES.md "Recovery"). It has a reason, a start, an end
or a review date, and the officer who set it. A hold whose end has passed lifts itself:
it is no longer in force from the day after its end, and the worklist says so. A hold
with only a review date stays in force until an officer ends it, and is on the worklist
from its review date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class HoldReason(StrEnum):
    DISPUTE = "dispute"
    COMPLAINT = "complaint"
    REASSESSMENT = "reassessment"
    BREATHING_SPACE = "breathing_space"
    MENTAL_HEALTH_CRISIS = "mental_health_crisis"
    KEPT_PLAN = "kept_plan"
    CAPACITY = "capacity"
    PROBATE = "probate"
    SAFEGUARDING = "safeguarding"


HOLD_NAMES = {
    HoldReason.DISPUTE: "Dispute",
    HoldReason.COMPLAINT: "Complaint",
    HoldReason.REASSESSMENT: "Financial reassessment pending",
    HoldReason.BREATHING_SPACE: "Breathing Space (standard)",
    HoldReason.MENTAL_HEALTH_CRISIS: "Breathing Space (mental health crisis)",
    HoldReason.KEPT_PLAN: "Payment plan being kept",
    HoldReason.CAPACITY: "Capacity concern, no attorney or deputy",
    HoldReason.PROBATE: "Deceased, awaiting a grant of probate",
    HoldReason.SAFEGUARDING: "Safeguarding concern",
}

BREATHING_SPACE_DAYS = 60
"""A standard Breathing Space lasts 60 days (FACTS.md §3.3, the Debt Respite Scheme).
Taken here as in force on its start day and the 59 days after it; the Debt Respite
Scheme regulations' exact counting of the last day is unverified."""

CRISIS_EXTRA_DAYS = 30
"""A mental health crisis moratorium lasts the crisis treatment and 30 days more
(FACTS.md §3.3): its end is known only when the treatment ends."""


class HoldState(StrEnum):
    NOT_STARTED = "not_started"
    IN_FORCE = "in_force"
    REVIEW_DUE = "review_due"
    """In force, and its review date has come."""
    LIFTED = "lifted"
    """Its end has passed: it lifted itself."""
    ENDED = "ended"
    """An officer ended it."""


@dataclass(frozen=True)
class Hold:
    """One hold on an account.

    Attributes:
        reason: Why.
        start: The first day it is in force.
        end: The last day it is in force, if known.
        review: When an officer should look at it again, if it has no end.
        set_by: The officer who set it.
        ended_on: The day an officer ended it (it is not in force from that day).
    """

    reason: HoldReason
    start: date
    end: date | None
    review: date | None
    set_by: str
    ended_on: date | None = None


def hold_problem(reason: HoldReason, start: date, end: date | None, review: date | None) -> str:
    """Why a hold cannot be set as given, or "" when it can."""
    if end is None and review is None:
        return "give the hold an end date or a review date"
    if end is not None and end < start:
        return f"the end ({end:%d/%m/%Y}) is before the start ({start:%d/%m/%Y})"
    if review is not None and review < start:
        return f"the review date ({review:%d/%m/%Y}) is before the start ({start:%d/%m/%Y})"
    if reason is HoldReason.MENTAL_HEALTH_CRISIS and end is not None and review is None:
        return "a crisis moratorium ends 30 days after the treatment: give a review date"
    return ""


def default_end(reason: HoldReason, start: date) -> date | None:
    """The end a reason sets by itself: a standard Breathing Space's; None otherwise."""
    if reason is HoldReason.BREATHING_SPACE:
        return start + timedelta(days=BREATHING_SPACE_DAYS - 1)
    return None


def crisis_end(treatment_ended: date) -> date:
    """A mental health crisis moratorium's last day: 30 days after the treatment ended."""
    return treatment_ended + timedelta(days=CRISIS_EXTRA_DAYS)


def hold_state(hold: Hold, as_of: date) -> HoldState:
    """Where the hold stands at ``as_of``."""
    if hold.ended_on is not None and hold.ended_on <= as_of:
        return HoldState.ENDED
    if as_of < hold.start:
        return HoldState.NOT_STARTED
    if hold.end is not None and as_of > hold.end:
        return HoldState.LIFTED
    if hold.review is not None and as_of >= hold.review:
        return HoldState.REVIEW_DUE
    return HoldState.IN_FORCE


def in_force(hold: Hold, as_of: date) -> bool:
    """The hold stops recovery at ``as_of``."""
    return hold_state(hold, as_of) in (HoldState.IN_FORCE, HoldState.REVIEW_DUE)
