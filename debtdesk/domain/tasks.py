"""Follow-up work for an officer: what kind it is and where it stands.

A task is created by an import or a run (a failed direct debit, an amended instruction, a
receipt nobody could place) and closed by an officer with an outcome. Issue 5's worklist
reads the same tasks.
"""

from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskKind(StrEnum):
    """What a task is about; the direct-debit ones mirror :class:`FollowUp`."""

    RE_PRESENT = "re_present"
    NEW_INSTRUCTION = "new_instruction"
    OTHER_PAYMENT_METHOD = "other_payment_method"
    DECEASED = "deceased"
    STOP_UNTIL_RESOLVED = "stop_until_resolved"
    CHECK_INSTRUCTION = "check_instruction"
    UNKNOWN_RETURN = "unknown_return"  # an ARUDD code not in the table: an officer decides
    RECOVERY_CALL = "recovery_call"  # a recovery stage whose channel is a phone task
    RECOVERY_STEP = "recovery_step"  # a recovery stage an officer carries out by hand


TASK_TITLES = {
    TaskKind.RE_PRESENT: "Failed direct debit: re-present within a month",
    TaskKind.NEW_INSTRUCTION: "Direct debit stopped: get a new instruction",
    TaskKind.OTHER_PAYMENT_METHOD: "Direct debit cancelled by the payer: agree another way to pay",
    TaskKind.DECEASED: "Direct debit returned, payer deceased: deceased procedure",
    TaskKind.STOP_UNTIL_RESOLVED: "Advance notice disputed: resolve before collecting again",
    TaskKind.CHECK_INSTRUCTION: "Check the direct debit instruction's details",
    TaskKind.UNKNOWN_RETURN: "Direct debit returned for an unrecognised reason: decide what to do",
    TaskKind.RECOVERY_CALL: "Recovery: phone the client or their representative",
    TaskKind.RECOVERY_STEP: "Recovery: the next step is the officer's",
}
"""The title each kind of task is created with."""
