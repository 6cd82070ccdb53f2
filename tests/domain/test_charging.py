"""Tests for the period charge and recalculation.

Every expected amount is worked out by hand in the comments: the sum over the days of
``min(assessed weekly, weekly care cost)``, divided by 7 and rounded half-up once.
"""

from __future__ import annotations

import time
from datetime import date
from fractions import Fraction

import pytest

from debtdesk.domain.charging import (
    Assessment,
    CarePackage,
    ChargeBasis,
    Funding,
    PeriodDifference,
    RateChange,
    assessed_weekly,
    day_weekly_charge,
    first_chargeable_day,
    period_charge,
    recalculate,
    weekly_care_cost,
)
from debtdesk.domain.money import round_half_up
from debtdesk.domain.periods import Period, periods_overlapping

# P1 = 31/03/2025 to 27/04/2025, P2 = 28/04/2025 to 25/05/2025,
# P3 = 26/05/2025 to 22/06/2025 (25 May + 1 = 26 May; + 27 days = 22 Jun).
P1 = Period(date(2025, 3, 31))
P2 = Period(date(2025, 4, 28))
P3 = Period(date(2025, 5, 26))

OPEN_FROM_2025 = date(2025, 1, 1)


def basis(
    assessments: list[Assessment],
    packages: list[CarePackage],
    *,
    death: date | None = None,
    fnc: list[RateChange] | None = None,
) -> ChargeBasis:
    return ChargeBasis(tuple(assessments), tuple(packages), death, tuple(fnc or ()))


def simple(weekly_contribution: int, weekly_cost: int) -> ChargeBasis:
    """One open assessment and one open council package, both from 1 Jan 2025."""
    return basis(
        [Assessment(OPEN_FROM_2025, None, weekly_contribution)],
        [CarePackage(OPEN_FROM_2025, None, weekly_cost)],
    )


def brute_force(b: ChargeBasis, period: Period) -> int:
    """The rule read literally: each day's weekly charge summed, over 7, rounded once."""
    return round_half_up(Fraction(sum(day_weekly_charge(b, d) for d in period.days()), 7))


# --- validation ---------------------------------------------------------------------


def test_refuses_negative_amounts_and_backwards_dates() -> None:
    with pytest.raises(ValueError):
        Assessment(date(2025, 4, 1), None, -1)
    with pytest.raises(ValueError):
        Assessment(date(2025, 4, 1), date(2025, 3, 31), 100)
    with pytest.raises(ValueError):
        CarePackage(date(2025, 4, 1), None, -1)
    with pytest.raises(ValueError):
        CarePackage(date(2025, 4, 1), date(2025, 3, 31), 100)


# --- the per-day pieces -------------------------------------------------------------


def test_assessed_weekly_latest_effective_from_wins() -> None:
    b = basis(
        [
            Assessment(date(2025, 1, 1), None, 10_000),  # open-ended
            Assessment(date(2025, 4, 10), None, 12_000),  # later start: wins from 10 Apr
            Assessment(date(2025, 6, 1), date(2025, 6, 30), 5_000),  # June only
        ],
        [],
    )
    assert assessed_weekly(b, date(2024, 12, 31)) is None  # before any assessment
    assert assessed_weekly(b, date(2025, 4, 9)) == 10_000
    assert assessed_weekly(b, date(2025, 4, 10)) == 12_000
    assert assessed_weekly(b, date(2025, 6, 1)) == 5_000
    assert assessed_weekly(b, date(2025, 6, 30)) == 5_000  # effective_to is inclusive
    # 1 Jul: the June one has ended; of the two open ones, 10 Apr is the later start.
    assert assessed_weekly(b, date(2025, 7, 1)) == 12_000


def test_weekly_care_cost_sums_packages_and_is_none_without_care() -> None:
    b = basis(
        [],
        [
            CarePackage(date(2025, 4, 1), date(2025, 4, 30), 7_000),
            CarePackage(date(2025, 4, 15), None, 8_000),
        ],
    )
    assert weekly_care_cost(b, date(2025, 3, 31)) is None
    assert weekly_care_cost(b, date(2025, 4, 1)) == 7_000
    assert weekly_care_cost(b, date(2025, 4, 15)) == 15_000  # 7,000 + 8,000
    assert weekly_care_cost(b, date(2025, 4, 30)) == 15_000  # end is inclusive
    assert weekly_care_cost(b, date(2025, 5, 1)) == 8_000


# --- whole periods ------------------------------------------------------------------


def test_full_period_at_100_a_week_with_150_care() -> None:
    # min(10,000, 15,000) = 10,000 a day; 28 days x 10,000 = 280,000; / 7 = 40,000p
    # = £400.00 exactly.
    assert period_charge(simple(10_000, 15_000), P1) == 40_000


def test_care_cost_below_contribution_caps_the_charge() -> None:
    # min(20,000, 14,000) = 14,000; 28 x 14,000 = 392,000; / 7 = 56,000p = £560.00.
    assert period_charge(simple(20_000, 14_000), P1) == 56_000


def test_no_assessment_charges_nothing() -> None:
    b = basis([], [CarePackage(OPEN_FROM_2025, None, 15_000)])
    assert day_weekly_charge(b, date(2025, 4, 1)) == 0
    assert period_charge(b, P1) == 0


def test_no_package_charges_nothing() -> None:
    b = basis([Assessment(OPEN_FROM_2025, None, 10_000)], [])
    assert period_charge(b, P1) == 0


def test_zero_contribution_charges_nothing() -> None:
    assert period_charge(simple(0, 15_000), P1) == 0


# --- changes in the middle of a period ----------------------------------------------


def test_mid_period_assessment_change_rounds_up_at_four_sevenths() -> None:
    # 31 Mar to 9 Apr is 10 days (1 in March + 9 in April) at 10,004;
    # 10 Apr to 27 Apr is 18 days at 12,000. Care 50,000 caps nothing.
    # 10 x 10,004 = 100,040; 18 x 12,000 = 216,000; total 316,040.
    # 316,040 / 7: 7 x 45,148 = 316,036, remainder 4 -> 45,148 4/7 = 45,148.571...
    # -> rounds up to 45,149.
    b = basis(
        [
            Assessment(date(2025, 1, 1), date(2025, 4, 9), 10_004),
            Assessment(date(2025, 4, 10), None, 12_000),
        ],
        [CarePackage(OPEN_FROM_2025, None, 50_000)],
    )
    assert period_charge(b, P1) == 45_149


def test_mid_period_assessment_change_rounds_down_at_three_sevenths() -> None:
    # As above with 10,006 for the first 10 days, and the old assessment left open:
    # from 10 Apr the new one has the later effective_from, so it applies.
    # 10 x 10,006 = 100,060; + 216,000 = 316,060.
    # 7 x 45,151 = 316,057, remainder 3 -> 45,151 3/7 = 45,151.428... -> 45,151.
    # (A seventh can never be exactly a half: 3/7 is the last fraction rounded down.)
    b = basis(
        [
            Assessment(date(2025, 1, 1), None, 10_006),
            Assessment(date(2025, 4, 10), None, 12_000),
        ],
        [CarePackage(OPEN_FROM_2025, None, 50_000)],
    )
    assert period_charge(b, P1) == 45_151


def test_package_starting_mid_period() -> None:
    # Care from Mon 14 Apr: 14 Apr to 27 Apr = 14 days x 10,000 = 140,000 / 7 = 20,000.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [CarePackage(date(2025, 4, 14), None, 15_000)],
    )
    assert day_weekly_charge(b, date(2025, 4, 13)) == 0
    assert day_weekly_charge(b, date(2025, 4, 14)) == 10_000
    assert period_charge(b, P1) == 20_000


def test_package_ending_mid_period() -> None:
    # Care to Sun 6 Apr inclusive: 31 Mar to 6 Apr = 7 days x 10,000 = 70,000 / 7 = 10,000.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [CarePackage(OPEN_FROM_2025, date(2025, 4, 6), 15_000)],
    )
    assert day_weekly_charge(b, date(2025, 4, 6)) == 10_000
    assert day_weekly_charge(b, date(2025, 4, 7)) == 0
    assert period_charge(b, P1) == 10_000


def test_package_ends_and_another_starts_after_a_gap() -> None:
    # 31 Mar to 6 Apr (7 days) and 14 Apr to 27 Apr (14 days); 7 to 13 Apr no care.
    # 21 days x 10,000 = 210,000 / 7 = 30,000.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [
            CarePackage(OPEN_FROM_2025, date(2025, 4, 6), 15_000),
            CarePackage(date(2025, 4, 14), None, 15_000),
        ],
    )
    assert period_charge(b, P1) == 30_000


def test_two_packages_in_force_together() -> None:
    # Assessed 20,000. Home care 7,000 all period; day centre 8,000 from 14 Apr.
    # 31 Mar to 13 Apr (14 days): cost 7,000 -> min 7,000 -> 14 x 7,000 = 98,000.
    # 14 Apr to 27 Apr (14 days): cost 7,000 + 8,000 = 15,000 -> 14 x 15,000 = 210,000.
    # (98,000 + 210,000) / 7 = 308,000 / 7 = 44,000.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 20_000)],
        [
            CarePackage(OPEN_FROM_2025, None, 7_000),
            CarePackage(date(2025, 4, 14), None, 8_000),
        ],
    )
    assert period_charge(b, P1) == 44_000
    # Whole next period at 15,000 < 20,000: 28 x 15,000 / 7 = 60,000.
    assert period_charge(b, P2) == 60_000


def test_death_mid_period_charges_the_day_of_death_and_not_the_next() -> None:
    # Death on Wed 9 Apr: 31 Mar to 9 Apr = 10 days x 10,000 = 100,000.
    # 100,000 / 7 = 14,285 5/7 (7 x 14,285 = 99,995, remainder 5) -> 14,286.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [CarePackage(OPEN_FROM_2025, None, 15_000)],
        death=date(2025, 4, 9),
    )
    assert day_weekly_charge(b, date(2025, 4, 9)) == 10_000
    assert day_weekly_charge(b, date(2025, 4, 10)) == 0
    assert period_charge(b, P1) == 14_286
    assert period_charge(b, P2) == 0


def test_chc_from_mid_period_stops_the_charge() -> None:
    # CHC from Mon 14 Apr alongside the council package: 31 Mar to 13 Apr chargeable,
    # 14 days x 10,000 = 140,000 / 7 = 20,000.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [
            CarePackage(OPEN_FROM_2025, None, 15_000),
            CarePackage(date(2025, 4, 14), None, 90_000, Funding.CHC),
        ],
    )
    assert day_weekly_charge(b, date(2025, 4, 13)) == 10_000
    assert day_weekly_charge(b, date(2025, 4, 14)) == 0
    assert period_charge(b, P1) == 20_000
    assert period_charge(b, P2) == 0


def test_charging_resumes_when_chc_ends() -> None:
    # CHC 7 Apr to 13 Apr only: 7 days free, 21 days charged.
    # 21 x 10,000 = 210,000 / 7 = 30,000.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [
            CarePackage(OPEN_FROM_2025, None, 15_000),
            CarePackage(date(2025, 4, 7), date(2025, 4, 13), 90_000, Funding.CHC),
        ],
    )
    assert period_charge(b, P1) == 30_000


FNC_RATES = [
    RateChange(date(2024, 4, 1), 23_500),
    RateChange(date(2025, 4, 1), 25_000),
]


def test_fnc_deduction_with_a_rate_change_inside_the_period() -> None:
    # Nursing home 100,000 gross; assessed 80,000. P1 runs 31 Mar to 27 Apr, the rate
    # changes on Tue 1 Apr.
    # 31 Mar (1 day): cost 100,000 - 23,500 = 76,500 < 80,000 -> 76,500.
    # 1 Apr to 27 Apr (27 days): cost 100,000 - 25,000 = 75,000 -> 27 x 75,000
    # = 2,025,000.
    # Total 2,101,500 / 7: 7 x 300,214 = 2,101,498, remainder 2 -> 300,214 (£3,002.14).
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 80_000)],
        [CarePackage(OPEN_FROM_2025, None, 100_000, Funding.FNC)],
        fnc=FNC_RATES,
    )
    assert weekly_care_cost(b, date(2025, 3, 31)) == 76_500
    assert weekly_care_cost(b, date(2025, 4, 1)) == 75_000
    assert period_charge(b, P1) == 300_214


def test_fnc_deduction_never_takes_the_cost_below_zero() -> None:
    # Gross 20,000 less FNC 25,000 would be -5,000: it is 0, and the charge 0.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [CarePackage(OPEN_FROM_2025, None, 20_000, Funding.FNC)],
        fnc=FNC_RATES,
    )
    assert weekly_care_cost(b, date(2025, 4, 2)) == 0
    assert period_charge(b, P2) == 0


def test_fnc_deduction_applies_only_to_fnc_packages() -> None:
    # Council 10,000 + FNC placement (30,000 - 25,000 = 5,000) = 15,000 on 2 Apr.
    b = basis(
        [],
        [
            CarePackage(OPEN_FROM_2025, None, 10_000),
            CarePackage(OPEN_FROM_2025, None, 30_000, Funding.FNC),
        ],
        fnc=FNC_RATES,
    )
    assert weekly_care_cost(b, date(2025, 4, 2)) == 15_000


# --- the fast path agrees with the rule read literally ------------------------------


def test_period_charge_matches_the_day_by_day_sum() -> None:
    # Not a hand-worked figure: a cross-check of the precomputed stretches against the
    # per-day definition, over every period of 2024-2026 for a basis with every kind
    # of change in it.
    b = basis(
        [
            Assessment(date(2024, 2, 14), None, 9_137),
            Assessment(date(2024, 9, 3), date(2025, 1, 17), 12_001),
            Assessment(date(2025, 6, 6), None, 4_444),
        ],
        [
            CarePackage(date(2024, 3, 1), date(2025, 8, 8), 11_111, Funding.FNC),
            CarePackage(date(2024, 5, 20), None, 3_333),
            CarePackage(date(2025, 10, 2), date(2025, 12, 24), 50_000, Funding.CHC),
        ],
        death=date(2026, 3, 11),
        fnc=FNC_RATES,
    )
    for period in periods_overlapping(date(2024, 1, 1), date(2026, 12, 31)):
        assert period_charge(b, period) == brute_force(b, period), period


# --- first chargeable day -----------------------------------------------------------


def test_first_chargeable_day() -> None:
    # Assessed from 1 Feb, care from 15 Mar: the first day with both is 15 Mar.
    b = basis(
        [Assessment(date(2025, 2, 1), None, 10_000)],
        [CarePackage(date(2025, 3, 15), None, 15_000)],
    )
    assert first_chargeable_day(b) == date(2025, 3, 15)


def test_first_chargeable_day_skips_chc_and_zero_contributions() -> None:
    # Nil assessment to 19 Mar, then 5,000 from 20 Mar; CHC to 31 Mar: first is 1 Apr.
    b = basis(
        [
            Assessment(date(2025, 2, 1), date(2025, 3, 19), 0),
            Assessment(date(2025, 3, 20), None, 5_000),
        ],
        [
            CarePackage(date(2025, 2, 1), None, 15_000),
            CarePackage(date(2025, 2, 1), date(2025, 3, 31), 90_000, Funding.CHC),
        ],
    )
    assert first_chargeable_day(b) == date(2025, 4, 1)


def test_first_chargeable_day_is_none_when_nothing_charges() -> None:
    assert first_chargeable_day(basis([], [])) is None
    assert first_chargeable_day(basis([], [CarePackage(OPEN_FROM_2025, None, 1)])) is None
    assert first_chargeable_day(simple(0, 15_000)) is None
    # Died before care started.
    b = basis(
        [Assessment(OPEN_FROM_2025, None, 10_000)],
        [CarePackage(date(2025, 5, 1), None, 15_000)],
        death=date(2025, 4, 30),
    )
    assert first_chargeable_day(b) is None


# --- recalculation ------------------------------------------------------------------

# From 31 Mar 2025 (P1's first day), assessed 10,000 with care 15,000: each full
# period is 28 x 10,000 / 7 = 40,000.
STEADY = basis(
    [Assessment(date(2025, 3, 31), None, 10_000)],
    [CarePackage(date(2025, 3, 31), None, 15_000)],
)
SIX_YEARS_BACK = date(2019, 4, 1)


def test_recalculate_nothing_when_everything_matches() -> None:
    charged = {P1.start: 40_000, P2.start: 40_000, P3.start: 40_000}
    assert recalculate(STEADY, charged, P3, earliest=SIX_YEARS_BACK) == []


def test_recalculate_charges_a_missed_period() -> None:
    # P2 was never charged: due 40,000, charged 0, difference +40,000.
    charged = {P1.start: 40_000, P3.start: 40_000}
    result = recalculate(STEADY, charged, P3, earliest=SIX_YEARS_BACK)
    assert result == [PeriodDifference(P2, 40_000, 0)]
    assert result[0].difference == 40_000


def test_recalculate_does_not_go_past_up_to() -> None:
    # Up to P1 only: P2 and P3 (not yet due) are not charged.
    assert recalculate(STEADY, {}, P1, earliest=SIX_YEARS_BACK) == [PeriodDifference(P1, 40_000, 0)]


def test_recalculate_backdated_assessment_credits_earlier_periods() -> None:
    # All three periods were charged 40,000. A reassessment to 7,000 is now recorded
    # from Mon 14 Apr (mid P1).
    # P1: 31 Mar to 13 Apr (14 days) x 10,000 = 140,000; 14 Apr to 27 Apr (14 days)
    #     x 7,000 = 98,000; 238,000 / 7 = 34,000 -> difference 34,000 - 40,000 = -6,000.
    # P2, P3: 28 x 7,000 / 7 = 28,000 -> difference -12,000 each.
    b = basis(
        [
            Assessment(date(2025, 3, 31), None, 10_000),
            Assessment(date(2025, 4, 14), None, 7_000),
        ],
        [CarePackage(date(2025, 3, 31), None, 15_000)],
    )
    charged = {P1.start: 40_000, P2.start: 40_000, P3.start: 40_000}
    result = recalculate(b, charged, P3, earliest=SIX_YEARS_BACK)
    assert result == [
        PeriodDifference(P1, 34_000, 40_000),
        PeriodDifference(P2, 28_000, 40_000),
        PeriodDifference(P3, 28_000, 40_000),
    ]
    assert [r.difference for r in result] == [-6_000, -12_000, -12_000]


def test_recalculate_late_reported_death() -> None:
    # Death on 9 Apr reported after P1 and P2 were charged 40,000 each.
    # P1 due 14,286 (10 days x 10,000 / 7, as in the death test) -> -25,714.
    # P2 due 0 -> -40,000.
    b = ChargeBasis(STEADY.assessments, STEADY.packages, date_of_death=date(2025, 4, 9))
    result = recalculate(b, {P1.start: 40_000, P2.start: 40_000}, P2, earliest=SIX_YEARS_BACK)
    assert [(r.period, r.difference) for r in result] == [(P1, -25_714), (P2, -40_000)]


def test_recalculate_backdated_chc_credits_periods_before_any_chargeable_day() -> None:
    # CHC now recorded from the start of care: no day is chargeable, so the periods
    # to look at start from the earliest one charged (P1). Both credited in full.
    b = ChargeBasis(
        STEADY.assessments,
        (*STEADY.packages, CarePackage(date(2025, 3, 31), None, 90_000, Funding.CHC)),
    )
    result = recalculate(b, {P1.start: 40_000, P2.start: 40_000}, P2, earliest=SIX_YEARS_BACK)
    assert result == [PeriodDifference(P1, 0, 40_000), PeriodDifference(P2, 0, 40_000)]


def test_recalculate_six_year_limit_skips_periods_ending_before_earliest() -> None:
    # earliest = 28 Apr 2025: P1 ends 27 Apr, before it, so P1 is skipped even though
    # it was never charged; P2 (ends 25 May) is charged.
    assert recalculate(STEADY, {}, P2, earliest=date(2025, 4, 28)) == [
        PeriodDifference(P2, 40_000, 0)
    ]
    # earliest = 27 Apr 2025: P1 ends on that day, not before it, so it counts.
    assert recalculate(STEADY, {}, P2, earliest=date(2025, 4, 27)) == [
        PeriodDifference(P1, 40_000, 0),
        PeriodDifference(P2, 40_000, 0),
    ]
    # A wrong charge on a skipped period is left alone too.
    assert recalculate(STEADY, {P1.start: 1}, P2, earliest=date(2025, 4, 28)) == [
        PeriodDifference(P2, 40_000, 0)
    ]


def test_recalculate_six_years_of_never_charged_care() -> None:
    # Care and assessment from 1 Jan 2019, nothing ever charged, run for P1 with the
    # limit at 1 Apr 2019.
    # 1 Apr 2019 -> 1 Apr 2025 is 6 x 365 + 2 leap days (2020, 2024) = 2,192 days, so
    # 1 Apr 2019 is 2,191 days before 31 Mar 2025. -2,191 // 28 = -79
    # (28 x 78 = 2,184 < 2,191 <= 2,212 = 28 x 79): the period holding 1 Apr 2019
    # starts 2,212 days before the anchor, i.e. 21 days before 1 Apr 2019 = 11 Mar 2019,
    # and ends 7 Apr 2019. The period before it ends 10 Mar 2019, before the limit.
    # Periods k = -79 .. 0 is 80 periods, each fully covered: 40,000 each.
    b = basis(
        [Assessment(date(2019, 1, 1), None, 10_000)],
        [CarePackage(date(2019, 1, 1), None, 15_000)],
    )
    result = recalculate(b, {}, P1, earliest=SIX_YEARS_BACK)
    assert len(result) == 80
    assert result[0].period == Period(date(2019, 3, 11))
    assert result[-1].period == P1
    assert all(r.due == 40_000 and r.charged == 0 for r in result)
    assert [r.period for r in result] == periods_overlapping(date(2019, 3, 11), P1.end)


def test_recalculate_nothing_to_do_without_charges_or_care() -> None:
    assert recalculate(basis([], []), {}, P3, earliest=SIX_YEARS_BACK) == []


# --- speed --------------------------------------------------------------------------


def test_period_charge_is_fast() -> None:
    # The demo build calls period_charge about 4 million times; 100,000 calls on a
    # basis with 3 assessments and 2 packages must take a few seconds at most.
    b = basis(
        [
            Assessment(date(2023, 1, 1), date(2023, 12, 31), 9_000),
            Assessment(date(2024, 1, 1), None, 10_000),
            Assessment(date(2025, 4, 10), None, 12_000),
        ],
        [
            CarePackage(date(2023, 1, 1), date(2025, 4, 20), 15_000),
            CarePackage(date(2024, 6, 3), None, 8_000, Funding.FNC),
        ],
        fnc=FNC_RATES,
    )
    periods = [P1 if i % 2 else P2 for i in range(100_000)]
    began = time.perf_counter()
    for period in periods:
        period_charge(b, period)
    elapsed = time.perf_counter() - began
    assert elapsed < 5.0
    assert period_charge(b, P1) == brute_force(b, P1)
