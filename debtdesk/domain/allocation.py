"""Allocation of credit to invoices, oldest first.

This module owns the automatic allocation rule: credit (a payment or a credit note
not yet set against an invoice) is used in the order it became effective and goes to
the oldest outstanding invoice first, by due date and then invoice number. Payments
that name an invoice, and allocations an officer makes by hand, are not decided here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from debtdesk.domain.money import Pence

_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with something still to pay.

    Attributes:
        invoice_id: The invoice's id.
        number: The invoice number people see.
        due: The due date.
        effective: The date the invoice's charge is effective (its statement date).
        outstanding: Pence still to pay, more than 0.
    """

    invoice_id: int
    number: str
    due: date
    effective: date
    outstanding: Pence

    def __post_init__(self) -> None:
        """Refuse an invoice with nothing outstanding."""
        if self.outstanding <= 0:
            raise ValueError(f"invoice {self.number} has nothing outstanding")


@dataclass(frozen=True)
class OpenCredit:
    """Credit on an account not yet set against an invoice.

    Attributes:
        entry_id: The ledger entry holding the credit.
        effective: The date the credit is effective.
        available: Pence still to allocate, more than 0.
    """

    entry_id: int
    effective: date
    available: Pence

    def __post_init__(self) -> None:
        """Refuse a credit with nothing available."""
        if self.available <= 0:
            raise ValueError(f"entry {self.entry_id} has no credit available")


@dataclass(frozen=True)
class Allocation:
    """An amount of one credit set against one invoice.

    Attributes:
        entry_id: The credit's ledger entry.
        invoice_id: The invoice it pays.
        amount: Pence allocated, more than 0.
        effective: The later of the credit's and the invoice's effective dates.
    """

    entry_id: int
    invoice_id: int
    amount: Pence
    effective: date


def number_key(number: str) -> tuple[str | int, ...]:
    """A sort key for invoice numbers that orders their digits as numbers.

    ``"INV-9"`` comes before ``"INV-10"``; zero-padded numbers of one width sort as
    they would as plain text.
    """
    parts = _DIGITS.split(number)
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def allocate_oldest_first(
    invoices: Sequence[OpenInvoice], credits: Sequence[OpenCredit]
) -> list[Allocation]:
    """Set credits against invoices, oldest invoice first.

    Credits are used in ``(effective, entry_id)`` order. Each goes to the oldest
    invoice still outstanding (by due date, then invoice number, then id), splitting
    across invoices as needed. Credit left over once every invoice is paid stays
    unallocated and is not reported.

    Returns:
        The allocations, in the order they were made.
    """
    queue = sorted(invoices, key=lambda inv: (inv.due, number_key(inv.number), inv.invoice_id))
    remaining = [inv.outstanding for inv in queue]
    allocations: list[Allocation] = []
    current = 0
    for credit in sorted(credits, key=lambda c: (c.effective, c.entry_id)):
        available = credit.available
        while available > 0 and current < len(queue):
            invoice = queue[current]
            amount = min(available, remaining[current])
            allocations.append(
                Allocation(
                    entry_id=credit.entry_id,
                    invoice_id=invoice.invoice_id,
                    amount=amount,
                    effective=max(credit.effective, invoice.effective),
                )
            )
            available -= amount
            remaining[current] -= amount
            if remaining[current] == 0:
                current += 1
        if current == len(queue):
            break
    return allocations
