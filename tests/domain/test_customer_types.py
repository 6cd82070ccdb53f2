"""Customer types checked by hand: codes, names, terms, and where interest may be on."""

from __future__ import annotations

import pytest

from debtdesk.domain.customer_types import (
    change_refusal,
    code_problem,
    interest_refusal,
    name_problem,
    terms_problem,
    type_problems,
)

INDIVIDUAL_REFUSAL = (
    "INDIVIDUAL is a type for individuals: the Late Payment of Commercial Debts (Interest) "
    "Act 1998 applies only where both parties act in the course of a business, so interest "
    "cannot be switched on for it"
)


@pytest.mark.parametrize("code", ["INDIVIDUAL", "CAREHOME", "CARE_HOME", "LA2", "NH", "A" * 20])
def test_codes_of_capitals_digits_and_underscores_are_accepted(code: str) -> None:
    assert code_problem(code) is None


@pytest.mark.parametrize(
    "code", ["", "A", "A" * 21, "carehome", "Care_Home", "CARE HOME", "CARE-HOME", "ÉTAT"]
)
def test_other_codes_are_refused_saying_what_a_code_is(code: str) -> None:
    assert code_problem(code) == (
        f"{code!r} cannot be a customer type's code: use 2 to 20 capital letters, "
        "digits or underscores, such as CARE_HOME"
    )


def test_a_name_is_needed_and_at_most_120_characters() -> None:
    assert name_problem("Care home or nursing home") is None
    assert name_problem("x" * 120) is None
    assert name_problem("  ") == "give the customer type a name"
    assert name_problem("x" * 121) == (
        "a customer type's name is at most 120 characters; this has 121"
    )
    assert name_problem(" " + "x" * 120 + " ") is None  # the spaces around it do not count


def test_terms_are_a_whole_number_of_days_from_0_to_120() -> None:
    assert terms_problem(0) is None
    assert terms_problem(14) is None
    assert terms_problem(120) is None
    assert terms_problem(121) == (
        "payment terms of 121 days: they are 0 to 120 days after the statement date"
    )
    assert terms_problem(-1) == (
        "payment terms of -1 days: they are 0 to 120 days after the statement date"
    )
    assert terms_problem(14.5) == "14.5: payment terms are a whole number of days"  # type: ignore[arg-type]
    assert terms_problem(True) == "True: payment terms are a whole number of days"


def test_interest_is_refused_for_a_type_for_individuals_with_the_reason() -> None:
    assert interest_refusal("INDIVIDUAL", False, True) == INDIVIDUAL_REFUSAL
    assert interest_refusal("INDIVIDUAL", False, False) is None
    assert interest_refusal("BUSINESS", True, True) is None
    assert interest_refusal("BUSINESS", True, False) is None


def test_a_business_type_with_interest_on_cannot_become_one_for_individuals() -> None:
    assert change_refusal("CAREHOME", True, True, False, True) == (
        "CAREHOME has Late Payment Act interest switched on, so it cannot be marked as a type "
        "for individuals: the Late Payment of Commercial Debts (Interest) Act 1998 applies "
        "only where both parties act in the course of a business. Switch its interest off in "
        "the same change"
    )
    assert change_refusal("CAREHOME", True, True, False, False) is None  # both at once
    assert change_refusal("CAREHOME", True, False, False, False) is None
    assert change_refusal("ESTATE", False, False, True, True) is None  # now a business
    assert change_refusal("INDIVIDUAL", False, False, False, True) == INDIVIDUAL_REFUSAL


def test_a_new_type_is_checked_whole() -> None:
    assert type_problems("CAREHOME", "Care home", True, 30, True) == []
    assert type_problems("care home", "", False, 200, True) == [
        "'care home' cannot be a customer type's code: use 2 to 20 capital letters, digits "
        "or underscores, such as CARE_HOME",
        "give the customer type a name",
        "payment terms of 200 days: they are 0 to 120 days after the statement date",
        "care home is a type for individuals: the Late Payment of Commercial Debts (Interest) "
        "Act 1998 applies only where both parties act in the course of a business, so "
        "interest cannot be switched on for it",
    ]
