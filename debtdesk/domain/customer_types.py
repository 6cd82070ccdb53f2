"""Customer types: what a valid one is, and when Late Payment Act interest may be on.

A customer type says whether its customers are individuals or businesses, its payment
terms, and whether Late Payment Act interest applies (RULES.md "Late Payment Act
interest"). The Late Payment of Commercial Debts (Interest) Act 1998 covers only
contracts where purchaser and supplier each act in the course of a business (a
profession, a government department and a local authority count as businesses), and
never debts owed by private individuals (FACTS.md §1.1 "Scope"). So interest is never
switched on for a type marked as one for individuals.

Each check returns why a value cannot be used, or None when it can.
"""

from __future__ import annotations

import re

CODE_PATTERN = re.compile(r"[A-Z0-9_]{2,20}")
NAME_MAX = 120
"""The ``customer_types.name`` column's length."""

TERMS_MIN_DAYS = 0
"""Due on the statement date itself: a due date cannot come before the statement."""
TERMS_MAX_DAYS = 120
"""Our own bound, not the law's: no source in FACTS.md limits the terms the council gives
its customers (the Act's 30- and 60-day caps limit how long agreed terms can put off its
interest, not how long the supplier may wait). 120 days is over four 4-weekly periods,
far beyond the defaults (14 and 30), and catches a slip such as 300 typed for 30."""

ACT = "the Late Payment of Commercial Debts (Interest) Act 1998"
SCOPE = f"{ACT} applies only where both parties act in the course of a business"


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a customer type's code (2 to 20 capitals, digits or ``_``)."""
    if CODE_PATTERN.fullmatch(code):
        return None
    return (
        f"{code!r} cannot be a customer type's code: use 2 to 20 capital letters, "
        "digits or underscores, such as CARE_HOME"
    )


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a customer type's name (empty, or over 120 characters)."""
    cleaned = name.strip()
    if not cleaned:
        return "give the customer type a name"
    if len(cleaned) > NAME_MAX:
        return f"a customer type's name is at most {NAME_MAX} characters; this has {len(cleaned)}"
    return None


def terms_problem(days: int) -> str | None:
    """Why ``days`` cannot be payment terms (a whole number of days, 0 to 120)."""
    if isinstance(days, bool) or not isinstance(days, int):
        return f"{days!r}: payment terms are a whole number of days"
    if not TERMS_MIN_DAYS <= days <= TERMS_MAX_DAYS:
        return (
            f"payment terms of {days} days: they are {TERMS_MIN_DAYS} to {TERMS_MAX_DAYS} days "
            "after the statement date"
        )
    return None


def interest_refusal(code: str, is_business: bool, interest: bool) -> str | None:
    """Why Late Payment Act interest cannot be on for a type: it is one for individuals."""
    if interest and not is_business:
        return (
            f"{code} is a type for individuals: {SCOPE}, so interest cannot be switched on for it"
        )
    return None


def change_refusal(
    code: str, was_business: bool, had_interest: bool, is_business: bool, interest: bool
) -> str | None:
    """Why a type cannot go from (``was_business``, ``had_interest``) to (``is_business``,
    ``interest``): it would leave interest on for individuals."""
    if was_business and had_interest and interest and not is_business:
        return (
            f"{code} has Late Payment Act interest switched on, so it cannot be marked as a "
            f"type for individuals: {SCOPE}. Switch its interest off in the same change"
        )
    return interest_refusal(code, is_business, interest)


def type_problems(
    code: str, name: str, is_business: bool, terms_days: int, interest: bool
) -> list[str]:
    """Every reason a new customer type cannot be added as given (empty: it can)."""
    found = (
        code_problem(code),
        name_problem(name),
        terms_problem(terms_days),
        interest_refusal(code, is_business, interest),
    )
    return [problem for problem in found if problem is not None]
