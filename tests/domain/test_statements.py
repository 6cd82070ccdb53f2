"""A statement's figures: charges, other charges and payments add up to the closing balance."""

from __future__ import annotations

from datetime import date

import pytest

from debtdesk.domain.correspondence import Addressee
from debtdesk.domain.ledger import EntryKind, PaymentMethod
from debtdesk.domain.periods import period_containing
from debtdesk.domain.statements import (
    ChargeLine,
    Movement,
    Statement,
    is_other_charge,
    movement_description,
)

PERIOD = period_containing(date(2026, 11, 9))  # 09/11/2026 to 06/12/2026


def _statement(movements: tuple[Movement, ...], brought_forward: int = 50_000) -> Statement:
    line = ChargeLine(PERIOD, 28_000, 0, (), 0, True)  # the period's £280.00
    return Statement(
        number="ST00000001",
        reference="CC000001",
        client_name="Mrs Ada Brown",
        addressee=Addressee(("Mrs Ada Brown",), "Mrs Ada Brown", "Dear Mrs Ada Brown"),
        period=PERIOD,
        statement_date=PERIOD.statement_date,
        due_date=date(2026, 12, 21),
        brought_forward=brought_forward,
        brought_forward_from=date(2026, 11, 9),
        lines=(line,),
        movements=movements,
        arrears=0,
    )


def test_other_charges_are_not_counted_as_payments() -> None:
    # £500.00 brought forward + £280.00 charged + £12.34 interest - £100.00 paid
    # + £100.00 returned unpaid - £60.00 paid = £732.34.
    statement = _statement(
        (
            Movement(date(2026, 11, 12), "Interest on late payment", 1234, other_charge=True),
            Movement(date(2026, 11, 14), "Payment received (direct debit)", -10_000),
            Movement(date(2026, 11, 20), "Payment returned unpaid", 10_000),
            Movement(date(2026, 11, 25), "Payment received (card)", -6_000),
        )
    )
    assert statement.charged == 28_000
    assert statement.other_charged == 1_234
    assert statement.received == -6_000
    assert [m.description for m in statement.other_charges] == ["Interest on late payment"]
    assert len(statement.payments) == 3
    assert statement.closing_balance == 73_234
    assert statement.amount_due == 73_234


def test_credit_balance_has_nothing_due() -> None:
    # £100.00 brought forward + £280.00 - £500.00 paid = -£120.00: in credit, nothing due.
    statement = _statement((Movement(date(2026, 11, 14), "Payment", -50_000),), 10_000)
    assert statement.closing_balance == -12_000
    assert statement.in_credit and statement.amount_due == 0


@pytest.mark.parametrize(
    ("kind", "amount", "expected"),
    [
        (EntryKind.CHARGE, 50_000, True),  # an opening balance
        (EntryKind.INTEREST, 1_234, True),
        (EntryKind.COMPENSATION, 4_000, True),
        (EntryKind.ADJUSTMENT, 1_250, True),  # a debit adjustment
        (EntryKind.ADJUSTMENT, -1_250, False),  # a credit adjustment
        (EntryKind.CHARGE, -28_000, False),  # a charge cancelled
        (EntryKind.PAYMENT, -10_000, False),
        (EntryKind.PAYMENT, 10_000, False),  # a payment cancelled
        (EntryKind.RETURNED_PAYMENT, 10_000, False),
        (EntryKind.REFUND, 5_000, False),
        (EntryKind.CREDIT, -2_000, False),
        (EntryKind.WRITE_OFF, -30_000, False),
    ],
)
def test_which_entries_are_other_charges(kind: EntryKind, amount: int, expected: bool) -> None:
    assert is_other_charge(kind, amount) is expected


@pytest.mark.parametrize(
    ("kind", "method", "description", "reversal", "expected"),
    [
        (EntryKind.PAYMENT, PaymentMethod.DIRECT_DEBIT, "Direct debit collection", False,
         "Payment received (direct debit)"),
        (EntryKind.PAYMENT, PaymentMethod.CARD, "Paid by daughter", False,
         "Payment received (card): Paid by daughter"),
        (EntryKind.PAYMENT, PaymentMethod.CHEQUE, "", True,
         "Correction: payment received (cheque) cancelled"),
        (EntryKind.CREDIT, None, "CHC from 01/05/2025", False, "Credit: CHC from 01/05/2025"),
    ],
)  # fmt: skip
def test_how_entries_read(
    kind: EntryKind,
    method: PaymentMethod | None,
    description: str,
    reversal: bool,
    expected: str,
) -> None:
    assert movement_description(kind, method, description, reversal) == expected
