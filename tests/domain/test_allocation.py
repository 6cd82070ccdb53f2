"""Tests for oldest-first allocation; every expected split is worked out in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.allocation import (
    Allocation,
    OpenCredit,
    OpenInvoice,
    allocate_oldest_first,
    number_key,
)

APR12 = date(2025, 4, 12)
MAY10 = date(2025, 5, 10)

# Given in a scrambled order. Oldest first is: due 12 Apr with INV-0002 (A), due 12 Apr
# with INV-0003 (C), then due 10 May (B) even though its number INV-0001 is lowest.
INV_A = OpenInvoice(1, "INV-0002", due=APR12, effective=date(2025, 3, 29), outstanding=5_000)
INV_B = OpenInvoice(2, "INV-0001", due=MAY10, effective=date(2025, 4, 26), outstanding=3_000)
INV_C = OpenInvoice(3, "INV-0003", due=APR12, effective=date(2025, 3, 29), outstanding=2_000)
INVOICES = [INV_B, INV_C, INV_A]


def test_refuses_empty_invoices_and_credits() -> None:
    with pytest.raises(ValueError):
        OpenInvoice(1, "INV-1", APR12, APR12, 0)
    with pytest.raises(ValueError):
        OpenCredit(1, APR12, 0)


def test_oldest_first_by_due_date_then_number_and_split() -> None:
    # 6,000 on 1 Jun: A takes 5,000 (all of it), C the remaining 1,000 of its 2,000.
    credit = OpenCredit(10, date(2025, 6, 1), 6_000)
    assert allocate_oldest_first(INVOICES, [credit]) == [
        Allocation(10, 1, 5_000, date(2025, 6, 1)),
        Allocation(10, 3, 1_000, date(2025, 6, 1)),
    ]


def test_credits_in_effective_order_and_leftover_stays_unallocated() -> None:
    # Given out of order; used as (1 Jun, entry 10) 6,000 then (8 Jun, entry 11) 5,000.
    # Entry 10: A 5,000, C 1,000 (C has 1,000 left).
    # Entry 11: C 1,000, B 3,000; 5,000 - 4,000 = 1,000 left over, not returned.
    credits = [OpenCredit(11, date(2025, 6, 8), 5_000), OpenCredit(10, date(2025, 6, 1), 6_000)]
    result = allocate_oldest_first(INVOICES, credits)
    assert result == [
        Allocation(10, 1, 5_000, date(2025, 6, 1)),
        Allocation(10, 3, 1_000, date(2025, 6, 1)),
        Allocation(11, 3, 1_000, date(2025, 6, 8)),
        Allocation(11, 2, 3_000, date(2025, 6, 8)),
    ]
    # 5,000 + 1,000 + 1,000 + 3,000 = 10,000 = everything outstanding (5,000 + 3,000
    # + 2,000), and 1,000 of the 11,000 credit is left.
    assert sum(a.amount for a in result) == 10_000


def test_same_effective_date_uses_entry_id() -> None:
    # Both on 1 Jun: entry 4 before entry 7. 4 takes A's 5,000 whole; 7 then pays C.
    credits = [OpenCredit(7, date(2025, 6, 1), 2_000), OpenCredit(4, date(2025, 6, 1), 5_000)]
    assert allocate_oldest_first(INVOICES, credits) == [
        Allocation(4, 1, 5_000, date(2025, 6, 1)),
        Allocation(7, 3, 2_000, date(2025, 6, 1)),
    ]


def test_credit_effective_before_the_invoice_takes_the_invoice_date() -> None:
    # An overpayment on 1 Apr meets B, whose charge is effective 26 Apr: the allocation
    # cannot be earlier than the invoice, so it is effective 26 Apr.
    credit = OpenCredit(20, date(2025, 4, 1), 3_000)
    assert allocate_oldest_first([INV_B], [credit]) == [Allocation(20, 2, 3_000, date(2025, 4, 26))]


def test_invoice_numbers_compare_their_digits_as_numbers() -> None:
    # Same due date: INV-9 is older than INV-10, though "1" < "9" as text.
    inv9 = OpenInvoice(9, "INV-9", APR12, APR12, 100)
    inv10 = OpenInvoice(10, "INV-10", APR12, APR12, 100)
    result = allocate_oldest_first([inv10, inv9], [OpenCredit(1, APR12, 150)])
    # 150: INV-9 gets 100, INV-10 the other 50.
    assert [(a.invoice_id, a.amount) for a in result] == [(9, 100), (10, 50)]
    assert number_key("INV-0009") < number_key("INV-0010")
    assert number_key("A7") < number_key("B1")


def test_nothing_to_allocate() -> None:
    assert allocate_oldest_first(INVOICES, []) == []
    assert allocate_oldest_first([], [OpenCredit(1, APR12, 500)]) == []
