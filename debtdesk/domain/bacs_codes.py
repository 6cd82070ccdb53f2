"""Bacs Direct Debit reason codes as data: what each means and the follow-up it calls for.

Source: FACTS.md §5.2 "Reason codes" (ARUDD, ADDACS and AUDDIS tables, from Access
PaySuite, pt-x, SlimPay, Numeral and Modulr documentation) and §5.1 for when to act.

* ARUDD (returned unpaid collections) uses the 1-character codes ``0``-``9``, ``A``, ``B``.
  The XML ARUDD carries a 4-digit ``returnCode`` with a ``returnDescription``; only two
  4-digit codes were seen (``0128`` refer to payer, ``1012`` instruction cancelled) and the
  full 4-digit table is unverified, so :func:`arudd_reason` keys on the code *and* the
  description, and :data:`ARUDD_XML_CODES` / :data:`ARUDD_DESCRIPTIONS` are data to extend.
* ADDACS (amendments and cancellations by the paying bank) codes say what to do with the
  mandate (:class:`MandateChange`) and the collections.
* AUDDIS codes say why a paying bank rejected a lodged instruction.

Codes whose action FACTS.md leaves blank ("—": ARUDD 7, 8, 9, A) are given
:attr:`FollowUp.CHECK_INSTRUCTION` so an officer looks; nothing is collected automatically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class FollowUp(StrEnum):
    """The work a Bacs report item creates for an officer."""

    RE_PRESENT = "re_present"
    """Re-present once (transaction code 18) within one month of the original processing
    day, notifying the payer 5 working days before; the mandate stays live."""
    NEW_INSTRUCTION = "new_instruction"
    """The mandate cannot be collected on: obtain a new instruction (on another account)."""
    OTHER_PAYMENT_METHOD = "other_payment_method"
    """The payer cancelled: agree another way to pay the arrears."""
    DECEASED = "deceased"
    """Stop collecting and follow the deceased clients' procedure (FACTS.md §7.3)."""
    STOP_UNTIL_RESOLVED = "stop_until_resolved"
    """The advance notice is disputed: stop collecting until the dispute is resolved."""
    CHECK_INSTRUCTION = "check_instruction"
    """Check the instruction's details with the payer or bank; re-lodge (0N) when resolved."""
    NONE = "none"
    """Nothing beyond the change to the mandate itself."""


class MandateChange(StrEnum):
    """What an item does to the direct debit instruction (mandate) it names."""

    KEEP = "keep"  # stays live; collections continue
    SUSPEND = "suspend"  # stays on record, but no collections until an officer acts
    CANCEL = "cancel"  # cancelled; pending collections cancelled
    UPDATE = "update"  # new account details (or amended); collections continue
    REINSTATE = "reinstate"  # live again

    @property
    def stops_collections(self) -> bool:
        """True when the mandate's pending collections must not be submitted."""
        return self in (MandateChange.SUSPEND, MandateChange.CANCEL)


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """One Bacs reason code: its meaning, the action in FACTS.md, and what it calls for."""

    code: str
    reason: str
    action: str
    follow_up: FollowUp
    mandate: MandateChange


def _codes(*codes: ReasonCode) -> dict[str, ReasonCode]:
    return {code.code: code for code in codes}


ARUDD_CODES: dict[str, ReasonCode] = _codes(
    ReasonCode(
        "0",
        "Refer to payer",
        "Re-present (transaction code 18) once, up to one month from the original "
        "processing day; notify the payer 5 working days before; the instruction stays live",
        FollowUp.RE_PRESENT,
        MandateChange.KEEP,
    ),
    ReasonCode(
        "1",
        "Instruction cancelled",
        "New instruction needed; agree another method for the arrears",
        FollowUp.NEW_INSTRUCTION,
        MandateChange.CANCEL,
    ),
    ReasonCode(
        "2",
        "Payer deceased",
        "Stop collecting; deceased procedure",
        FollowUp.DECEASED,
        MandateChange.CANCEL,
    ),
    ReasonCode(
        "3",
        "Account transferred",
        "Check for an ADDACS with the new details; otherwise a new instruction; "
        "suspend collections and give a new advance notice",
        FollowUp.NEW_INSTRUCTION,
        MandateChange.SUSPEND,
    ),
    ReasonCode(
        "4",
        "Advance notice disputed",
        "Stop collecting until the dispute is resolved",
        FollowUp.STOP_UNTIL_RESOLVED,
        MandateChange.SUSPEND,
    ),
    ReasonCode(
        "5",
        "No account (or wrong account type)",
        "Check the instruction's details; liaise with the payer",
        FollowUp.CHECK_INSTRUCTION,
        MandateChange.SUSPEND,
    ),
    ReasonCode(
        "6",
        "No instruction",
        "Check; re-lodge the instruction (0N) when resolved",
        FollowUp.CHECK_INSTRUCTION,
        MandateChange.SUSPEND,
    ),
    ReasonCode("7", "Amount differs", "Check", FollowUp.CHECK_INSTRUCTION, MandateChange.SUSPEND),
    ReasonCode(
        "8", "Amount not yet due", "Check", FollowUp.CHECK_INSTRUCTION, MandateChange.SUSPEND
    ),
    ReasonCode(
        "9", "Presentation overdue", "Check", FollowUp.CHECK_INSTRUCTION, MandateChange.SUSPEND
    ),
    ReasonCode(
        "A",
        "Service user differs",
        "Check",
        FollowUp.CHECK_INSTRUCTION,
        MandateChange.SUSPEND,
    ),
    ReasonCode(
        "B",
        "Account closed",
        "New instruction on another account",
        FollowUp.NEW_INSTRUCTION,
        MandateChange.CANCEL,
    ),
)
"""ARUDD return codes by their 1-character code (FACTS.md §5.2, ARUDD table)."""

ARUDD_XML_CODES: dict[str, str] = {
    "0128": "0",  # REFER TO PAYER (so-sure-web BacsService)
    "1012": "1",  # INSTRUCTION CANCELLED (public ARUDD test fixture)
}
"""4-digit XML ``returnCode`` -> 1-character code. Only these two were seen (FACTS.md §5.2)."""

ARUDD_DESCRIPTIONS: dict[str, str] = {
    "REFER TO PAYER": "0",
    "INSTRUCTION CANCELLED": "1",
    "PAYER DECEASED": "2",
    "ACCOUNT TRANSFERRED": "3",
    "ADVANCE NOTICE DISPUTED": "4",
    "NO ACCOUNT": "5",
    "NO INSTRUCTION": "6",
    "AMOUNT DIFFERS": "7",
    "AMOUNT NOT YET DUE": "8",
    "PRESENTATION OVERDUE": "9",
    "SERVICE USER DIFFERS": "A",
    "ORIGINATOR DIFFERS": "A",
    "ACCOUNT CLOSED": "B",
}
"""XML ``returnDescription`` (upper case, single spaces) -> 1-character code."""

ADDACS_CODES: dict[str, ReasonCode] = _codes(
    ReasonCode(
        "0",
        "Instruction cancelled - refer to payer",
        "The paying bank cancelled: cannot collect on this account; new instruction "
        "for a new account",
        FollowUp.NEW_INSTRUCTION,
        MandateChange.CANCEL,
    ),
    ReasonCode(
        "1",
        "Instruction cancelled by payer",
        "Agree another payment method for the arrears",
        FollowUp.OTHER_PAYMENT_METHOD,
        MandateChange.CANCEL,
    ),
    ReasonCode(
        "2",
        "Payer deceased",
        "Cancel; deceased procedure",
        FollowUp.DECEASED,
        MandateChange.CANCEL,
    ),
    ReasonCode(
        "3",
        "Account transferred to a new bank or building society",
        "With new details: update the record and lodge 0N to the new account (no 0C to "
        "the old bank). With only the old details: obtain a new instruction; suspend",
        FollowUp.NONE,
        MandateChange.UPDATE,
    ),
    ReasonCode(
        "B",
        "Account closed",
        "New instruction on a different account",
        FollowUp.NEW_INSTRUCTION,
        MandateChange.CANCEL,
    ),
    ReasonCode(
        "C",
        "Account transferred to a different branch",
        "Update the details and continue; no 0C/0N pair",
        FollowUp.NONE,
        MandateChange.UPDATE,
    ),
    ReasonCode(
        "D",
        "Advance notice disputed",
        "Stop collecting until the dispute is resolved",
        FollowUp.STOP_UNTIL_RESOLVED,
        MandateChange.SUSPEND,
    ),
    ReasonCode("E", "Instruction amended", "Update", FollowUp.NONE, MandateChange.UPDATE),
    ReasonCode(
        "R",
        "Instruction re-instated",
        "Reinstate; no 0C/0N pair",
        FollowUp.NONE,
        MandateChange.REINSTATE,
    ),
)
"""ADDACS reason codes (FACTS.md §5.2, ADDACS table). Code 3 without new details: see
:func:`addacs_outcome`."""

ADDACS_NEEDS_NEW_DETAILS = frozenset({"C"})
"""ADDACS codes that always come with the new sort code and account number."""

AUDDIS_CODES: dict[str, str] = {
    "1": "Instruction cancelled by payer",
    "2": "Payer deceased",
    "3": "Account transferred",
    "5": "No account",
    "6": "No instruction",
    "7": "DDI amount not zero",
    "B": "Account closed",
    "C": "Account transferred to a different branch",
    "F": "Invalid account type",
    "G": "Bank will not accept direct debits on the account",
    "H": "Instruction expired",
    "I": "Payer reference not unique",
    "K": "Instruction cancelled by paying PSP",
    "L": "Incorrect payer's account details",
    "M": "Transaction code / user status incompatible",
    "N": "Transaction disallowed at payer's branch",
    "O": "Invalid reference",
    "P": "Payer's name not present",
    "Q": "Service user's name blank",
}
"""Why a paying bank rejected a lodged instruction (FACTS.md §5.2, AUDDIS list). A rejected
instruction is never live: the mandate fails and an officer checks it."""

_SPACES = re.compile(r"\s+")


def arudd_reason(return_code: str, description: str = "") -> ReasonCode | None:
    """The ARUDD reason for a return code (1-character or 4-digit) and its description.

    The code and the description are each looked up; when both are known and disagree, or
    neither is known, the answer is None and an officer decides.
    """
    code = return_code.strip().upper()
    by_code = code if code in ARUDD_CODES else ARUDD_XML_CODES.get(code)
    by_text = ARUDD_DESCRIPTIONS.get(_SPACES.sub(" ", description.strip().upper()))
    if by_code is not None and by_text is not None and by_code != by_text:
        return None
    found = by_code or by_text
    return ARUDD_CODES[found] if found is not None else None


def addacs_outcome(code: str, has_new_details: bool) -> tuple[MandateChange, FollowUp]:
    """What an ADDACS advice does to the mandate and the follow-up it creates.

    Code 3 (account transferred) updates the mandate when the new details are given;
    with only the old details the mandate is suspended until a new instruction is obtained.

    Raises:
        KeyError: the code is not an ADDACS reason code.
    """
    reason = ADDACS_CODES[code]
    if code == "3" and not has_new_details:
        return MandateChange.SUSPEND, FollowUp.NEW_INSTRUCTION
    return reason.mandate, reason.follow_up
