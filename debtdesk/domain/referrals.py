"""Referrals out of the team: enforcement and tracing agents, legal, county court claims.

Each is recorded with the date it went, to whom, their reference, and what came back:
the date it was returned, the outcome and what was recovered. Payments an agent
collects are posted as payments like any other; the referral keeps the figure the
agent reports, for the referral list.
"""

from __future__ import annotations

from enum import StrEnum


class ReferralKind(StrEnum):
    ENFORCEMENT_AGENT = "enforcement_agent"
    TRACING_AGENT = "tracing_agent"
    LEGAL = "legal"
    COUNTY_COURT_CLAIM = "county_court_claim"


REFERRAL_NAMES = {
    ReferralKind.ENFORCEMENT_AGENT: "Enforcement agent",
    ReferralKind.TRACING_AGENT: "Tracing agent",
    ReferralKind.LEGAL: "Legal services",
    ReferralKind.COUNTY_COURT_CLAIM: "County court claim",
}
