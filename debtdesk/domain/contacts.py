"""Contact notes: every call, letter, email and visit, on the record and never edited.

A note says when, by which channel, which way, with whom (the client or one of their
representatives), what was said, what came of it, and when to act next. A mistake is
corrected by a new note that names the one it corrects; the old one stays. A note can
record a written acknowledgment of the debt, which restarts the six-year limit
(:mod:`debtdesk.domain.limitation`); a part-payment restarts it by being a payment.
"""

from __future__ import annotations

from enum import StrEnum


class ContactChannel(StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    VISIT = "visit"
    OTHER = "other"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


CHANNEL_NAMES = {
    ContactChannel.PHONE: "Phone call",
    ContactChannel.LETTER: "Letter",
    ContactChannel.EMAIL: "Email",
    ContactChannel.VISIT: "Visit",
    ContactChannel.OTHER: "Other",
}


def note_problem(summary: str, with_whom: str) -> str:
    """Why a note cannot be saved as written, or ""."""
    if not summary.strip():
        return "say what was said or done (the summary is empty)"
    if not with_whom.strip():
        return "say who the contact was with"
    return ""
