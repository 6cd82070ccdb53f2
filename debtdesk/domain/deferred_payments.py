"""A deferred payment agreement must be offered before court action (Care Act s69(2)).

Section 69(2): a sum is not recoverable as a debt where a deferred payment agreement
could be entered into, unless the council sought to enter one and the adult refused
(FACTS.md §3.1; Annex D: "as a first port of call, a local authority must offer a
person the option of a DPA … and can only make an application to the court should this
be refused"). So before a legal referral or a county court claim the account must show
either that no agreement is available to the person (the officer records why: in the
Care and Support (Deferred Payment) Regulations 2014 an agreement is for someone whose
home is not disregarded and who is in, or going into, a care home) or that one was
offered and refused. An offer not yet answered, or an agreement in place, stops court
action: the first needs the person's answer, the second secures the debt on the home.

Each decision is recorded as it happens; the latest one stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DpaOutcome(StrEnum):
    NOT_AVAILABLE = "not_available"
    """No agreement can be offered to the person (the officer records why)."""
    OFFERED = "offered"
    """Offered; no answer yet."""
    REFUSED = "refused"
    ACCEPTED = "accepted"
    """An agreement is in place: the debt is secured on the home."""


DPA_NAMES = {
    DpaOutcome.NOT_AVAILABLE: "Not available to the person",
    DpaOutcome.OFFERED: "Offered, awaiting an answer",
    DpaOutcome.REFUSED: "Offered and refused",
    DpaOutcome.ACCEPTED: "Accepted: an agreement is in place",
}


@dataclass(frozen=True)
class DpaDecision:
    outcome: DpaOutcome
    on: date
    note: str


def court_action_refusal(latest: DpaDecision | None) -> str | None:
    """Why court action cannot start on the account yet, or None when it may."""
    if latest is None:
        return (
            "no deferred payment agreement offer is recorded: record that one was offered "
            "and refused, or that none is available to the person, first (Care Act s69(2))"
        )
    match latest.outcome:
        case DpaOutcome.NOT_AVAILABLE | DpaOutcome.REFUSED:
            return None
        case DpaOutcome.OFFERED:
            return (
                f"the deferred payment agreement offered on {latest.on:%d/%m/%Y} has no "
                "answer yet: record the person's refusal first (Care Act s69(2))"
            )
        case DpaOutcome.ACCEPTED:
            return (
                f"a deferred payment agreement is in place (accepted {latest.on:%d/%m/%Y}): "
                "the debt is secured on the home, not recovered through the court"
            )


def needs_note(outcome: DpaOutcome) -> bool:
    """An officer must say why no agreement is available, and may say more otherwise."""
    return outcome is DpaOutcome.NOT_AVAILABLE
