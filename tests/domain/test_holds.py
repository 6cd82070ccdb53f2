"""Holds worked by hand: when each is in force, lifts itself, comes up for review."""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.holds import (
    Hold,
    HoldReason,
    HoldState,
    crisis_end,
    default_end,
    hold_problem,
    hold_state,
    in_force,
)


def test_a_standard_breathing_space_is_sixty_days_then_lifts_itself() -> None:
    """From Mon 2 Mar 2026: in force 2 Mar … 30 Apr (60 days: 30 in March from the 2nd,
    30 in April); lifted from Fri 1 May."""
    start = date(2026, 3, 2)
    end = default_end(HoldReason.BREATHING_SPACE, start)
    assert end == date(2026, 4, 30)
    hold = Hold(HoldReason.BREATHING_SPACE, start, end, None, "jsmith")
    assert hold_state(hold, date(2026, 3, 1)) is HoldState.NOT_STARTED
    assert in_force(hold, start) and in_force(hold, date(2026, 4, 30))
    assert hold_state(hold, date(2026, 5, 1)) is HoldState.LIFTED
    assert not in_force(hold, date(2026, 5, 1))


def test_a_crisis_moratorium_ends_thirty_days_after_treatment() -> None:
    assert crisis_end(date(2026, 6, 10)) == date(2026, 7, 10)
    assert default_end(HoldReason.MENTAL_HEALTH_CRISIS, date(2026, 6, 1)) is None


def test_a_review_date_puts_the_hold_on_the_worklist_but_keeps_it() -> None:
    hold = Hold(HoldReason.DISPUTE, date(2026, 3, 2), None, date(2026, 3, 30), "jsmith")
    assert hold_state(hold, date(2026, 3, 29)) is HoldState.IN_FORCE
    assert hold_state(hold, date(2026, 3, 30)) is HoldState.REVIEW_DUE
    assert in_force(hold, date(2026, 9, 1)), "no end: in force until an officer ends it"


def test_an_officer_ends_a_hold_from_a_day() -> None:
    hold = Hold(HoldReason.COMPLAINT, date(2026, 3, 2), None, date(2026, 4, 1), "jsmith",
                ended_on=date(2026, 3, 20))  # fmt: skip
    assert in_force(hold, date(2026, 3, 19))
    assert hold_state(hold, date(2026, 3, 20)) is HoldState.ENDED


@pytest.mark.parametrize(
    ("reason", "end", "review", "problem"),
    [
        (HoldReason.DISPUTE, None, None, "give the hold an end date or a review date"),
        (HoldReason.DISPUTE, date(2026, 3, 1), None, "the end (01/03/2026) is before the start"),
        (HoldReason.DISPUTE, None, date(2026, 2, 1), "the review date (01/02/2026) is before"),
        (HoldReason.MENTAL_HEALTH_CRISIS, date(2026, 5, 1), None, "give a review date"),
        (HoldReason.PROBATE, None, date(2026, 6, 1), ""),
    ],
)
def test_what_a_hold_needs(
    reason: HoldReason, end: date | None, review: date | None, problem: str
) -> None:
    found = hold_problem(reason, date(2026, 3, 2), end, review)
    assert (problem in found) if problem else found == ""
