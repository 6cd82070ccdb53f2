"""The Debt Management Panel: its meetings, the options an officer recommends and the
panel decides between, and what each decision sets in motion on the account.

The options are the steps RULES.md "Recovery (defaults)" leaves to the panel's decision
(legal / county court, agents, charging order, write-off) with a further payment plan
and "other". A decision moves the account to the recovery stage that option stands for
(when the team's policy has it), and may start a write-off recommendation and tasks.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    MINUTED = "minuted"


MEETING_STATUS_NAMES = {
    MeetingStatus.PLANNED: "Planned",
    MeetingStatus.HELD: "Held",
    MeetingStatus.MINUTED: "Minuted",
}


class PanelOption(StrEnum):
    FURTHER_PLAN = "further_plan"
    CHARGING_ORDER = "charging_order"
    COUNTY_COURT = "county_court"
    AGENTS = "agents"
    WRITE_OFF = "write_off"
    OTHER = "other"


OPTION_NAMES = {
    PanelOption.FURTHER_PLAN: "A further payment plan",
    PanelOption.CHARGING_ORDER: "Charging order on property",
    PanelOption.COUNTY_COURT: "County court claim",
    PanelOption.AGENTS: "Enforcement or tracing agents",
    PanelOption.WRITE_OFF: "Write-off",
    PanelOption.OTHER: "Other",
}

STAGE_FOR = {
    PanelOption.CHARGING_ORDER: "legal",
    PanelOption.COUNTY_COURT: "legal",
    PanelOption.AGENTS: "agents",
    PanelOption.WRITE_OFF: "write_off",
}
"""The default policy's stage (domain.recovery) each decision moves the account to; a
further plan or another course leaves the stage where it is."""

COURT_OPTIONS = frozenset({PanelOption.CHARGING_ORDER, PanelOption.COUNTY_COURT})
"""Court action: a deferred payment agreement must have been offered and refused, or be
unavailable, first (Care Act s69(2); services.deferred_payments)."""


class CaseSource(StrEnum):
    RECOVERY_STAGE = "recovery_stage"
    """Put on the agenda because the account reached the panel referral stage."""
    OFFICER = "officer"
    """Added by an officer."""
