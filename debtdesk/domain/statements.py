"""A 4-weekly statement of account: what it shows and how its figures hang together.

A statement is dated the day after its period ends. It brings forward the closing
balance of the account's last statement, lists what this statement charges (the
period's charge and any recalculation of earlier periods, each with its stretches of
days and weekly figure), then the payments and other movements since the last
statement, and closes at the balance the ledger holds at the statement date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from debtdesk.domain.charging import ChargeBasis, PeriodDifference, Stretch, charge_stretches
from debtdesk.domain.correspondence import Addressee
from debtdesk.domain.ledger import EntryKind, PaymentMethod
from debtdesk.domain.money import Pence, round_half_up
from debtdesk.domain.periods import Period


@dataclass(frozen=True)
class StretchLine:
    """A stretch of days as printed: its dates, weekly figure and amount to the penny."""

    start: date
    end: date
    days: int
    weekly: Pence
    amount: Pence


@dataclass(frozen=True)
class ChargeLine:
    """What the statement charges (or credits) for one period.

    Attributes:
        period: The period charged.
        due: What the period charges as the facts now stand.
        previously_charged: What earlier statements charged for it.
        stretches: The days that charge, as stretches of one weekly figure.
        rounding: The penny (or so) by which the rounded stretches miss ``due``: a
            period is rounded once, not stretch by stretch.
        current: Whether this is the statement's own period.
    """

    period: Period
    due: Pence
    previously_charged: Pence
    stretches: tuple[StretchLine, ...]
    rounding: Pence
    current: bool

    @property
    def amount(self) -> Pence:
        """What this line adds to the account: positive a charge, negative a credit."""
        return self.due - self.previously_charged

    @property
    def description(self) -> str:
        span = f"{self.period.start:%d/%m/%Y} to {self.period.end:%d/%m/%Y}"
        if self.previously_charged == 0:
            return (
                f"Charge for {span}" if self.current else f"Charge for {span} (not charged before)"
            )
        return f"Recalculated charge for {span}"


@dataclass(frozen=True)
class Movement:
    """An entry since the last statement (signed pence).

    ``other_charge`` marks what adds to the debt without being this statement's charge
    (an opening balance, interest, compensation, a debit adjustment): the statement
    lists those apart from the payments and credits (see :func:`is_other_charge`).
    """

    effective: date
    description: str
    amount: Pence
    other_charge: bool = False


@dataclass(frozen=True)
class DirectDebitNotice:
    """The advance notice of the collection this statement's amount will be taken by."""

    reference: str
    amount: Pence
    collection_date: date


@dataclass(frozen=True)
class Statement:
    """One statement as issued; the totals are worked out from its lines."""

    number: str
    reference: str
    client_name: str
    addressee: Addressee
    period: Period
    statement_date: date
    due_date: date
    brought_forward: Pence
    brought_forward_from: date | None
    lines: tuple[ChargeLine, ...]
    movements: tuple[Movement, ...]
    arrears: Pence
    invoice_number: str | None = None
    direct_debit: DirectDebitNotice | None = None
    deceased: bool = False  # the client has died: the statement is to the estate
    on_plan: bool = False  # an agreed payment plan is paying the arrears off

    @property
    def other_charges(self) -> tuple[Movement, ...]:
        return tuple(m for m in self.movements if m.other_charge)

    @property
    def payments(self) -> tuple[Movement, ...]:
        """Payments, credits, refunds, returned payments and corrections of them."""
        return tuple(m for m in self.movements if not m.other_charge)

    @property
    def charged(self) -> Pence:
        return sum(line.amount for line in self.lines)

    @property
    def other_charged(self) -> Pence:
        return sum(m.amount for m in self.other_charges)

    @property
    def received(self) -> Pence:
        """The payments' total: payments are negative, a returned payment positive."""
        return sum(m.amount for m in self.payments)

    @property
    def added(self) -> Pence:
        """What the statement adds: its own charges and the other charges since the last."""
        return self.charged + self.other_charged

    @property
    def closing_balance(self) -> Pence:
        return self.brought_forward + self.added + self.received

    @property
    def amount_due(self) -> Pence:
        """What to pay by the due date: the closing balance, or nothing when in credit."""
        return max(self.closing_balance, 0)

    @property
    def in_credit(self) -> bool:
        return self.closing_balance < 0


def stretch_lines(stretches: list[Stretch]) -> tuple[StretchLine, ...]:
    return tuple(
        StretchLine(s.start, s.end, s.days, s.weekly, round_half_up(s.exact)) for s in stretches
    )


def charge_lines(
    basis: ChargeBasis, differences: list[PeriodDifference], current: Period
) -> tuple[ChargeLine, ...]:
    """The statement's charge lines from a recalculation, oldest period first."""
    lines: list[ChargeLine] = []
    for difference in differences:
        stretches = stretch_lines(charge_stretches(basis, difference.period))
        lines.append(
            ChargeLine(
                difference.period,
                difference.due,
                difference.charged,
                stretches,
                difference.due - sum(s.amount for s in stretches),
                difference.period == current,
            )
        )
    return tuple(lines)


def needs_statement(lines: tuple[ChargeLine, ...], closing: Pence) -> bool:
    """Accounts with nothing charged and nothing owed get no statement.

    Something charged or credited, or a closing balance other than nil (a debt, or a
    credit the council holds), needs one.
    """
    return bool(lines) or closing != 0


_MOVEMENTS = {
    EntryKind.PAYMENT: "Payment received",
    EntryKind.RETURNED_PAYMENT: "Payment returned unpaid",
    EntryKind.ADJUSTMENT: "Adjustment",
    EntryKind.CREDIT: "Credit",
    EntryKind.REFUND: "Refund paid to you",
    EntryKind.INTEREST: "Interest on late payment",
    EntryKind.COMPENSATION: "Compensation for late payment",
    EntryKind.WRITE_OFF: "Written off",
    EntryKind.CHARGE: "Charge",
}

_METHODS = {
    PaymentMethod.DIRECT_DEBIT: "direct debit",
    PaymentMethod.BANK_TRANSFER: "bank transfer",
    PaymentMethod.CARD: "card",
    PaymentMethod.CHEQUE: "cheque",
    PaymentMethod.CASH: "cash",
}


# Entries that add to a debt (when positive) as charges do, not as payments do.
_CHARGE_LIKE = (EntryKind.CHARGE, EntryKind.INTEREST, EntryKind.COMPENSATION, EntryKind.ADJUSTMENT)


def is_other_charge(kind: EntryKind, amount: Pence) -> bool:
    """Whether an entry since the last statement is listed with "other charges".

    A positive charge, interest, compensation or adjustment adds to the debt as a charge
    does; payments, credits, refunds, returned payments and write-offs (and a charge's
    reduction) are listed as payments and credits.
    """
    return amount > 0 and kind in _CHARGE_LIKE


def movement_description(
    kind: EntryKind, method: PaymentMethod | None, description: str, is_reversal: bool
) -> str:
    """How an entry reads on a statement: "Payment received by direct debit"."""
    text = _MOVEMENTS[kind]
    if method is not None and kind in (EntryKind.PAYMENT, EntryKind.RETURNED_PAYMENT):
        text += f" ({_METHODS[method]})"
    if is_reversal:
        text = f"Correction: {text.lower()} cancelled"
    if description and not _says_the_method(description, method):
        text += f": {description}"
    return text


def _says_the_method(description: str, method: PaymentMethod | None) -> bool:
    """Whether a description only repeats how it was paid ("Direct debit collection")."""
    return method is not None and description.lower().startswith(_METHODS[method])
