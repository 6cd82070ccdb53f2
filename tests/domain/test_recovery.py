"""The default recovery policy walked by hand, and the policy read back from settings data.

One invoice due Mon 2 Mar 2026 (RULES.md defaults): reminder 14 days after the due date
(Mon 16 Mar); final reminder 14 days after the reminder (Mon 30 Mar); officer contact 7
days after the final reminder (Mon 6 Apr); letter of claim 14 days after the final
reminder (Mon 13 Apr); panel referral 30 days after the letter of claim (Wed 13 May).
"""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.recovery import (
    DEFAULT_POLICY,
    Channel,
    RecoveryFacts,
    policy_data,
    policy_from_data,
    stages_due,
)

DUE = date(2026, 3, 2)
REMINDER, FINAL, CONTACT = date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 6)
CLAIM, PANEL = date(2026, 4, 13), date(2026, 5, 13)


def _facts(
    reached: dict[str, date] | None = None,
    overdue: int = 150_000,
    *,
    business: bool = False,
    kept_plan: bool = False,
    on_hold: bool = False,
    dd_reason: str | None = None,
) -> RecoveryFacts:
    reached = reached or {}
    current = max(reached, key=lambda code: DEFAULT_POLICY.position(code)) if reached else None
    return RecoveryFacts(
        customer_type="BUSINESS" if business else "INDIVIDUAL",
        is_business=business,
        reached=reached,
        current=current,
        oldest_overdue_due=DUE,
        overdue=overdue,
        kept_plan=kept_plan,
        on_hold=on_hold,
        last_failed_dd_reason=dd_reason,
    )


def _codes(found: list) -> list[str]:  # type: ignore[type-arg]
    return [d.stage.code for d in found]


def test_an_account_walks_every_default_stage_on_its_day() -> None:
    """Each stage on the day before it is due: nothing; on the day: that stage alone."""
    reached: dict[str, date] = {}
    for code, day in [
        ("reminder", REMINDER),
        ("final_reminder", FINAL),
        ("officer_contact", CONTACT),
        ("letter_of_claim", CLAIM),
        ("panel_referral", PANEL),
    ]:
        assert stages_due(DEFAULT_POLICY, _facts(reached), day.replace(day=day.day - 1)) == []
        found = stages_due(DEFAULT_POLICY, _facts(reached), day)
        assert [(d.stage.code, d.due_on) for d in found] == [(code, day)]
        reached[code] = day
    # After the panel only its decision moves the account on.
    assert stages_due(DEFAULT_POLICY, _facts(reached), date(2027, 1, 1)) == []


def test_a_stage_reached_late_moves_the_next_one_with_it() -> None:
    """The reminder went on 20 Mar (a run four days late): the final reminder is 3 Apr."""
    found = stages_due(DEFAULT_POLICY, _facts({"reminder": date(2026, 3, 20)}), date(2026, 4, 3))
    assert [(d.stage.code, d.due_on) for d in found] == [("final_reminder", date(2026, 4, 3))]
    assert stages_due(DEFAULT_POLICY, _facts({"reminder": date(2026, 3, 20)}), FINAL) == []


def test_the_highest_eligible_stage_in_one_go() -> None:
    """Nothing sent yet and 1 May: reminder, final, contact and letter of claim were all
    due (16 Mar, 30 Mar, 6 Apr, 13 Apr); the panel (13 May) not yet."""
    found = stages_due(DEFAULT_POLICY, _facts(), date(2026, 5, 1), highest=True)
    assert [(d.stage.code, d.due_on) for d in found] == [
        ("reminder", REMINDER),
        ("final_reminder", FINAL),
        ("officer_contact", CONTACT),
        ("letter_of_claim", CLAIM),
    ]
    # Without the option: one stage.
    assert _codes(stages_due(DEFAULT_POLICY, _facts(), date(2026, 5, 1))) == ["reminder"]


def test_minimum_amounts() -> None:
    """£4.99 overdue gets no reminder; £5.00 does. £99.99 stops before the letter of
    claim; £999.99 stops before the panel."""
    assert stages_due(DEFAULT_POLICY, _facts(overdue=499), REMINDER) == []
    assert _codes(stages_due(DEFAULT_POLICY, _facts(overdue=500), REMINDER)) == ["reminder"]
    reached = {"reminder": REMINDER, "final_reminder": FINAL, "officer_contact": CONTACT}
    assert stages_due(DEFAULT_POLICY, _facts(reached, overdue=9_999), CLAIM) == []
    assert _codes(stages_due(DEFAULT_POLICY, _facts(reached, 10_000), CLAIM)) == ["letter_of_claim"]
    reached["letter_of_claim"] = CLAIM
    assert stages_due(DEFAULT_POLICY, _facts(reached, overdue=99_999), PANEL) == []
    assert _codes(stages_due(DEFAULT_POLICY, _facts(reached, 100_000), PANEL)) == ["panel_referral"]


def test_a_kept_plan_stops_the_letter_of_claim_and_a_hold_stops_everything() -> None:
    reached = {"reminder": REMINDER, "final_reminder": FINAL, "officer_contact": CONTACT}
    assert stages_due(DEFAULT_POLICY, _facts(reached, kept_plan=True), CLAIM) == []
    assert stages_due(DEFAULT_POLICY, _facts(on_hold=True), date(2026, 6, 1), highest=True) == []


def test_a_business_never_gets_a_letter_of_claim() -> None:
    """It goes from the officer's call (6 Apr) to the panel 30 days later (6 May)."""
    reached = {"reminder": REMINDER, "final_reminder": FINAL, "officer_contact": CONTACT}
    found = stages_due(DEFAULT_POLICY, _facts(reached, business=True), date(2026, 5, 6))
    assert [(d.stage.code, d.due_on) for d in found] == [("panel_referral", date(2026, 5, 6))]


def test_nothing_overdue_nothing_due() -> None:
    facts = _facts(overdue=0)
    assert stages_due(DEFAULT_POLICY, facts, date(2027, 1, 1), highest=True) == []


def test_a_stage_for_one_failed_debit_reason() -> None:
    data = policy_data(DEFAULT_POLICY)
    data[0]["dd_reasons"] = ["0"]  # the reminder only after a "refer to payer" return
    policy, problems = policy_from_data(data)
    assert problems == [] and policy is not None
    assert stages_due(policy, _facts(dd_reason="1"), REMINDER) == []
    assert _codes(stages_due(policy, _facts(dd_reason="0"), REMINDER)) == ["reminder"]


def test_the_policy_round_trips_through_settings_data() -> None:
    policy, problems = policy_from_data(policy_data(DEFAULT_POLICY))
    assert problems == [] and policy == DEFAULT_POLICY
    assert DEFAULT_POLICY.stage("officer_contact").channel is Channel.PHONE_TASK


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"code": "reminder"}, "stage 2 (reminder), code: 'reminder' is used by an earlier stage"),
        ({"anchor": "panel_referral"}, "anchor: 'panel_referral' is neither 'due' nor an earlier"),
        ({"after_days": -3}, "after_days: -3 is not a whole number, 0 or more"),
        ({"after_days": "14"}, "after_days: '14' is not a whole number"),
        ({"channel": "fax"}, "channel: 'fax' is not one of letter, phone_task, manual"),
        ({"template": ""}, "template: a letter stage needs its template"),
        (
            {"template": "statement"},
            "template: 'statement' is not a letter debtdesk can issue (final_reminder, letter, "
            "letter_of_claim, reminder)",
        ),
        ({"min_overdue": 12.5}, "min_overdue: 12.5 is not a whole number"),
    ],
)
def test_a_broken_policy_is_refused_naming_the_stage_and_field(
    change: dict[str, object], problem: str
) -> None:
    data = policy_data(DEFAULT_POLICY)
    data[1].update(change)
    policy, problems = policy_from_data(data)
    assert policy is None
    assert any(problem in p for p in problems), problems
    assert problems[0].startswith("stage 2 ("), "the first problem names the stage changed"


def test_not_a_list() -> None:
    assert policy_from_data({"reminder": 14}) == (
        None,
        ["the recovery policy must be a list of one or more stages"],
    )
