"""The ledger's vocabulary: kinds of entry, their signs, and which make up an invoice.

An entry's amount is signed pence from the council's side: positive raises what the
customer owes (a charge, a returned direct debit, a refund paid out), negative lowers it
(a payment, a credit, a write-off). A reversal has the same kind as the entry it reverses
and the opposite amount.
"""

from __future__ import annotations

from enum import StrEnum


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    RETURNED_PAYMENT = "returned_payment"
    ADJUSTMENT = "adjustment"
    CREDIT = "credit"
    REFUND = "refund"
    INTEREST = "interest"
    COMPENSATION = "compensation"
    WRITE_OFF = "write_off"


class EntrySource(StrEnum):
    BATCH = "batch"  # an import of a file
    RUN = "run"  # a statement, direct-debit, recovery or interest run; the demo build
    USER = "user"  # an officer's own action


class PaymentMethod(StrEnum):
    DIRECT_DEBIT = "direct_debit"
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CHEQUE = "cheque"
    CASH = "cash"


# Kinds that are debts in their own right and so belong to an invoice.
INVOICE_KINDS = frozenset({EntryKind.CHARGE, EntryKind.INTEREST, EntryKind.COMPENSATION})

# The sign an original (non-reversal) entry of each kind must have: +1, -1, or 0 for either.
_SIGN = {
    EntryKind.CHARGE: 0,  # a recalculation credit is a negative charge on the invoice
    EntryKind.PAYMENT: -1,
    EntryKind.RETURNED_PAYMENT: 1,
    EntryKind.ADJUSTMENT: 0,
    EntryKind.CREDIT: -1,
    EntryKind.REFUND: 1,
    EntryKind.INTEREST: 1,
    EntryKind.COMPENSATION: 1,
    EntryKind.WRITE_OFF: -1,
}


def sign_problem(kind: EntryKind, amount: int, *, is_reversal: bool) -> str | None:
    """Why an amount cannot be an entry of this kind, or None when it can."""
    if amount == 0:
        return f"a {kind.value} of zero"
    expected = _SIGN[kind] * (-1 if is_reversal else 1)
    if expected and (amount > 0) != (expected > 0):
        direction = "positive" if expected > 0 else "negative"
        what = f"a reversal of a {kind.value}" if is_reversal else f"a {kind.value}"
        return f"{what} must be {direction}, not {amount}"
    return None
