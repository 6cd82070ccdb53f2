"""Tests for the SFS affordability check; every amount expected is worked out in the comments.

The spending guidelines come from tests/data/affordability, whose figures are invented
for these tests (see its README): the real ones are members-only (FACTS.md §6).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from debtdesk.domain.affordability import (
    FLEXIBLE_CATEGORIES,
    GROUP_LABELS,
    GUIDELINE_HEADER,
    LINES,
    GuidelineRow,
    Guidelines,
    Section,
    assess,
    from_monthly,
    read_guidelines,
    to_monthly,
)
from debtdesk.domain.money import Pence
from debtdesk.domain.payment_plans import Frequency

DATA = Path(__file__).resolve().parent.parent / "data" / "affordability"
WEEKLY, FOUR_WEEKLY, MONTHLY = Frequency.WEEKLY, Frequency.FOUR_WEEKLY, Frequency.MONTHLY


def _guidelines() -> Guidelines:
    guidelines, problems = read_guidelines((DATA / "good.csv").read_text(encoding="utf-8"))
    assert problems == []
    assert guidelines is not None
    return guidelines


# --- the table of lines ---------------------------------------------------------------------


def test_the_table_has_one_line_per_schema_key_each_with_a_label_and_a_labelled_group() -> None:
    keys = [line.key for line in LINES]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) for key in keys)
    assert all(line.label for line in LINES)
    assert {line.group for line in LINES} == set(GROUP_LABELS)
    # Keys FACTS.md §6 names, one from each section.
    sections = {line.key: line.section for line in LINES}
    assert sections["client-salary-or-wages"] is Section.INCOME
    assert sections["state-pensions"] is Section.INCOME
    assert sections["adult-care-costs"] is Section.FIXED_COSTS
    assert sections["groceries"] is Section.FLEXIBLE_COSTS
    assert sections["savings-contribution"] is Section.SAVINGS


def test_the_income_groups_and_the_three_flexible_categories_in_sfs_order() -> None:
    income = [line.group for line in LINES if line.section is Section.INCOME]
    assert list(dict.fromkeys(income)) == ["earnings", "benefits", "pensions", "other-income"]
    assert FLEXIBLE_CATEGORIES == ("communications-leisure", "food-housekeeping", "personal")
    assert GUIDELINE_HEADER == (
        "adults",
        "children",
        "communications_leisure",
        "food_housekeeping",
        "personal",
    )


# --- normalising to a month -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "frequency", "expected"),
    [
        (10_000, WEEKLY, 43_333),  # £100 × 52 / 12 = £433.333… -> £433.33
        (10_000, FOUR_WEEKLY, 10_833),  # £100 × 13 / 12 = £108.333… -> £108.33
        (10_000, MONTHLY, 10_000),
        (2_000, WEEKLY, 8_667),  # £20 × 52 / 12 = £86.666… -> £86.67 (up)
        (3, WEEKLY, 13),  # 3p × 52 / 12 = 13p exactly
        (6, FOUR_WEEKLY, 7),  # 6p × 13 / 12 = 6.5p: a half, rounded up
        (150, FOUR_WEEKLY, 163),  # £1.50 × 13 / 12 = 162.5p -> 163p
        (0, WEEKLY, 0),
    ],
)
def test_amounts_become_monthly_rounded_half_up(
    amount: Pence, frequency: Frequency, expected: Pence
) -> None:
    assert to_monthly(amount, frequency) == expected


@pytest.mark.parametrize(
    ("monthly", "frequency", "expected"),
    [
        (43_333, WEEKLY, 9_999),  # £433.33 × 12 / 52 = £99.9992… -> £99.99 (down)
        (10_833, FOUR_WEEKLY, 9_999),  # £108.33 × 12 / 13 = £99.9969… -> £99.99
        (43_334, WEEKLY, 10_000),  # £433.34 × 12 / 52 = £100.0015… -> £100.00
        (13, WEEKLY, 3),  # exactly 3p
        (10_000, MONTHLY, 10_000),
    ],
)
def test_a_monthly_amount_becomes_an_instalment_rounded_down(
    monthly: Pence, frequency: Frequency, expected: Pence
) -> None:
    assert from_monthly(monthly, frequency) == expected


# --- a whole statement ----------------------------------------------------------------------

# One adult on pensions and Attendance Allowance. Monthly by line:
#   income    state-pensions          £200.00 weekly   20000 × 52 / 12 = 86666.67 -> 86667
#             private-work-pensions   £300.00 monthly                             -> 30000
#             disability-benefits      £72.65 weekly    7265 × 52 / 12 = 31481.67 -> 31482
#                                                                          income  148149
#   fixed     rent                    £100.00 weekly   10000 × 52 / 12 = 43333.33 -> 43333
#             council-tax-rates       £120.00 monthly                             -> 12000
#             gas                      £50.00 monthly                             ->  5000
#             electricity              £70.00 monthly                             ->  7000
#             water-supply             £30.00 monthly                             ->  3000
#             adult-care-costs         £40.00 weekly    4000 × 52 / 12 = 17333.33 -> 17333
#                                                                           fixed   87666
#   flexible  home-phone-internet-tv   £40.00 monthly   4000
#             mobile-phone             £10.00 monthly   1000   communications  5000
#             groceries                £50.00 weekly    5000 × 52 / 12 = 21666.67 -> 21667
#             laundry-dry-cleaning      £5.00 4-weekly   500 × 13 / 12 =   541.67 ->   542
#                                                              food-housekeeping  22209
#             toiletries               £20.00 monthly   2000
#             clothing-footwear        £30.00 4-weekly  3000 × 13 / 12 = 3250 exactly
#                                                                       personal   5250
#                                                                       flexible  32459
#   savings   savings-contribution     £10.00 monthly                             ->  1000
# available for priority     = 148149 − (87666 + 32459) − 1000 = 27024 (£270.24)
# priority offers £20.00     -> available for non-priority = 27024 − 2000 = 25024
# our debt £1,500, others £3,000: our share 25024 × 150000 / 450000 = 8341.33 -> 8341
STATEMENT: dict[str, tuple[Pence, Frequency]] = {
    "state-pensions": (20_000, WEEKLY),
    "private-work-pensions": (30_000, MONTHLY),
    "disability-benefits": (7_265, WEEKLY),
    "rent": (10_000, WEEKLY),
    "council-tax-rates": (12_000, MONTHLY),
    "gas": (5_000, MONTHLY),
    "electricity": (7_000, MONTHLY),
    "water-supply": (3_000, MONTHLY),
    "adult-care-costs": (4_000, WEEKLY),
    "home-phone-internet-tv": (4_000, MONTHLY),
    "mobile-phone": (1_000, MONTHLY),
    "groceries": (5_000, WEEKLY),
    "laundry-dry-cleaning": (500, FOUR_WEEKLY),
    "toiletries": (2_000, MONTHLY),
    "clothing-footwear": (3_000, FOUR_WEEKLY),
    "savings-contribution": (1_000, MONTHLY),
}


def test_a_full_statement_worked_by_hand() -> None:
    result = assess(STATEMENT, (1, 0), _guidelines(), 150_000, 300_000, priority_offers=2_000)
    assert result.monthly["state-pensions"] == 86_667
    assert result.monthly["laundry-dry-cleaning"] == 542
    assert list(result.monthly) == [line.key for line in LINES if line.key in STATEMENT]
    assert result.income == 148_149
    assert result.fixed_costs == 87_666
    assert result.flexible_costs == 32_459
    assert result.savings == 1_000
    assert result.available_for_priority == 27_024
    assert result.priority_offers == 2_000
    assert result.available_for_non_priority == 25_024
    assert result.suggested_monthly == 8_341
    # 8341 × 12 / 52 = 1924.85 -> £19.24 a week; 8341 × 12 / 13 = 7699.38 -> £76.99
    assert result.suggested_for(WEEKLY) == 1_924
    assert result.suggested_for(FOUR_WEEKLY) == 7_699
    assert result.suggested_for(MONTHLY) == 8_341
    # Invented guidelines for 1 adult, 0 children: £100.00, £200.00, £50.00.
    assert [(c.category, c.amount, c.guideline, c.over_guideline) for c in result.flexible] == [
        ("communications-leisure", 5_000, 10_000, False),
        ("food-housekeeping", 22_209, 20_000, True),
        ("personal", 5_250, 5_000, True),
    ]
    assert result.over_guideline == ("food-housekeeping", "personal")
    assert result.guideline_household == (1, 0)


# --- the suggested instalment ---------------------------------------------------------------


def _income_only(monthly_income: Pence, our_debt: Pence, others: Pence) -> Pence:
    lines = {"state-pensions": (monthly_income, MONTHLY)}
    return assess(lines, (1, 0), None, our_debt, others).suggested_monthly


def test_our_pro_rata_share_is_rounded_down() -> None:
    # £100.00 available; we are owed £2,000 of £3,000: 10000 × 2/3 = 6666.67 -> 6666
    # (half-up would say 6667, a penny more than they can afford).
    assert _income_only(10_000, 200_000, 100_000) == 6_666
    # We are owed £1,000 of £3,000: 10000 × 1/3 = 3333.33 -> 3333.
    assert _income_only(10_000, 100_000, 200_000) == 3_333
    # Equal shares of £3,000 with two others: 30000 × 1000 / 3000 = 10000 exactly.
    assert _income_only(30_000, 100_000, 200_000) == 10_000


def test_with_no_other_creditor_all_that_is_available_is_ours() -> None:
    assert _income_only(12_345, 500_000, 0) == 12_345


def test_the_suggestion_is_never_more_than_our_debt() -> None:
    # £500 available, our £50 of £150: share 50000 × 1/3 = 16666 > 5000 -> 5000.
    assert _income_only(50_000, 5_000, 10_000) == 5_000
    # Nothing owed to us: nothing to suggest.
    assert _income_only(50_000, 0, 10_000) == 0


def test_nothing_left_or_less_than_nothing_suggests_zero() -> None:
    # Income £500, rent £500: exactly nothing left.
    even = {"state-pensions": (50_000, MONTHLY), "rent": (50_000, MONTHLY)}
    result = assess(even, (1, 0), None, 100_000, 0)
    assert (result.available_for_priority, result.suggested_monthly) == (0, 0)
    # Income £500, rent £600: £100 short; the shortfall is shown, the suggestion is 0.
    short = {"state-pensions": (50_000, MONTHLY), "rent": (60_000, MONTHLY)}
    result = assess(short, (1, 0), None, 100_000, 0)
    assert (result.available_for_priority, result.available_for_non_priority) == (-10_000, -10_000)
    assert result.suggested_monthly == 0
    assert result.suggested_for(WEEKLY) == 0


def test_priority_offers_come_before_our_share() -> None:
    # £100 left for priority debts, £100 offered to them: nothing for non-priority debts.
    lines = {"state-pensions": (60_000, MONTHLY), "rent": (50_000, MONTHLY)}
    result = assess(lines, (1, 0), None, 100_000, 0, priority_offers=10_000)
    assert (result.available_for_priority, result.available_for_non_priority) == (10_000, 0)
    assert result.suggested_monthly == 0
    # £30 offered: £70 left, all ours with no other creditor.
    result = assess(lines, (1, 0), None, 100_000, 0, priority_offers=3_000)
    assert result.suggested_monthly == 7_000


def test_an_empty_statement_is_all_zero() -> None:
    result = assess({}, (1, 0), None, 100_000, 0)
    assert (result.income, result.fixed_costs, result.flexible_costs, result.savings) == (
        0,
        0,
        0,
        0,
    )
    assert result.monthly == {}
    assert result.suggested_monthly == 0


# --- spending-guideline flags ---------------------------------------------------------------


def _flags(groceries: Pence, household: tuple[int, int] = (1, 0)) -> tuple[Pence | None, bool]:
    lines = {"groceries": (groceries, MONTHLY)}
    result = assess(lines, household, _guidelines(), 0, 0)
    check = result.flexible[FLEXIBLE_CATEGORIES.index("food-housekeeping")]
    return check.guideline, check.over_guideline


def test_spend_at_the_guideline_is_not_flagged_and_a_penny_over_is() -> None:
    # Invented food-housekeeping guideline for 1 adult: £200.00.
    assert _flags(19_999) == (20_000, False)
    assert _flags(20_000) == (20_000, False)
    assert _flags(20_001) == (20_000, True)


def test_categories_add_up_their_lines_before_the_comparison() -> None:
    # £60 + £45 = £105 of communications and leisure against £100.00: over by £5.
    lines = {"mobile-phone": (6_000, MONTHLY), "gifts": (4_500, MONTHLY)}
    result = assess(lines, (1, 0), _guidelines(), 0, 0)
    assert result.flexible[0].amount == 10_500
    assert result.over_guideline == ("communications-leisure",)


def test_without_guidelines_or_a_row_for_the_household_nothing_is_flagged() -> None:
    lines = {"groceries": (99_999, MONTHLY)}
    result = assess(lines, (1, 0), None, 0, 0)
    assert [c.guideline for c in result.flexible] == [None, None, None]
    assert result.over_guideline == ()
    assert result.guideline_household is None
    # The invented table has no household of 3 adults.
    result = assess(lines, (3, 0), _guidelines(), 0, 0)
    assert result.over_guideline == ()
    assert result.guideline_household is None


def test_the_nearest_smaller_household_is_used_when_there_is_no_exact_row() -> None:
    # 2 adults and 2 children: no row; 2 adults and 1 child (£400.00 food) is used.
    assert _flags(40_001, household=(2, 2)) == (40_000, True)
    lines = {"groceries": (40_001, MONTHLY)}
    assert assess(lines, (2, 2), _guidelines(), 0, 0).guideline_household == (2, 1)


# --- refusals -------------------------------------------------------------------------------


def test_an_unknown_line_key_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'bingo-winnings'"):
        assess({"rent": (100, MONTHLY), "bingo-winnings": (100, MONTHLY)}, (1, 0), None, 0, 0)


def test_a_negative_amount_or_debt_or_household_is_refused() -> None:
    with pytest.raises(ValueError, match="'rent'"):
        assess({"rent": (-1, MONTHLY)}, (1, 0), None, 0, 0)
    with pytest.raises(ValueError, match="our debt"):
        assess({}, (1, 0), None, -1, 0)
    with pytest.raises(ValueError, match="other non-priority debts"):
        assess({}, (1, 0), None, 0, -1)
    with pytest.raises(ValueError, match="priority offers"):
        assess({}, (1, 0), None, 0, 0, priority_offers=-1)
    with pytest.raises(ValueError, match="0 adults"):
        assess({}, (0, 1), None, 0, 0)


# --- the guidelines file --------------------------------------------------------------------


def test_a_good_guidelines_file() -> None:
    guidelines = _guidelines()
    assert [(r.adults, r.children) for r in guidelines.rows] == [
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
        (2, 1),
        (2, 3),
    ]
    assert guidelines.rows[0] == GuidelineRow(1, 0, 10_000, 20_000, 5_000)
    assert guidelines.rows[-1].amount("personal") == 11_000


def test_a_byte_order_mark_blank_lines_spaces_and_another_column_order_are_read() -> None:
    text = (
        "\ufeffchildren, adults,personal,food_housekeeping,communications_leisure\n"
        "\n"
        "0,1, 50.00,£200,100.00\n"
    )
    guidelines, problems = read_guidelines(text)
    assert problems == []
    assert guidelines == Guidelines((GuidelineRow(1, 0, 10_000, 20_000, 5_000),))


def test_every_bad_row_is_listed_with_its_line_and_column() -> None:
    text = (DATA / "bad_rows.csv").read_text(encoding="utf-8")
    guidelines, problems = read_guidelines(text)
    assert guidelines is None
    assert problems == [
        "line 3, column 2 (children): 'x' is not a whole number of people",
        "line 4, column 4 (food_housekeeping): 'three hundred' is not an amount in pounds",
        "line 5, column 5 (personal): -£80.00 is negative",
        # line 6 is blank and passed over
        "line 7: the household of 1 adult and 0 children is already on line 2",
        "line 8: 4 cells where the header has 5",
        "line 9, column 1 (adults): a household has at least one adult",
        "line 9, column 4 (food_housekeeping): '1.234' is not an amount in pounds",
    ]


def test_a_bad_header_is_listed_and_stops_the_reading() -> None:
    text = (DATA / "bad_header.csv").read_text(encoding="utf-8")
    guidelines, problems = read_guidelines(text)
    assert guidelines is None
    assert problems == [
        "line 1, column 2: 'kids' is not a column of the guidelines",
        "line 1, column 5: 'adults' is already column 1",
        "line 1: the column 'children' is missing",
        "line 1: the column 'personal' is missing",
        "line 1: the header must be "
        "adults,children,communications_leisure,food_housekeeping,personal",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty; it needs the header "),
        ("\n\n", "the file is empty; it needs the header "),
        (",".join(GUIDELINE_HEADER) + "\n", "line 1: a header and no households"),
        (",".join(GUIDELINE_HEADER) + '\n1,0,"1', "line 2: not readable as CSV"),
        (",".join(GUIDELINE_HEADER) + '\n\n1,0,"1"0,1,1\n', "line 3: not readable as CSV"),
    ],
)
def test_an_empty_or_unreadable_file(text: str, problem: str) -> None:
    guidelines, problems = read_guidelines(text)
    assert guidelines is None
    assert len(problems) == 1
    assert problems[0].startswith(problem)


@pytest.mark.parametrize(
    ("household", "expected"),
    [
        ((1, 0), (1, 0)),  # exact
        ((2, 3), (2, 3)),  # exact
        ((1, 4), (1, 2)),  # 1 adult: the most children not above 4 is 2
        ((2, 2), (2, 1)),  # 2 adults: rows for 0, 1 and 3 children; 1 is the most not above 2
        ((2, 9), (2, 3)),
        ((3, 0), None),  # no row with 3 adults
    ],
)
def test_the_row_for_a_household(
    household: tuple[int, int], expected: tuple[int, int] | None
) -> None:
    row = _guidelines().for_household(*household)
    assert (None if row is None else (row.adults, row.children)) == expected


def test_guidelines_refuse_two_rows_for_one_household() -> None:
    row = GuidelineRow(1, 0, 1, 1, 1)
    with pytest.raises(ValueError, match="1 adult and 0 children"):
        Guidelines((row, row))


def test_a_row_refuses_a_category_that_is_not_flexible() -> None:
    with pytest.raises(KeyError):
        GuidelineRow(1, 0, 1, 1, 1).amount("rent")
