"""Money received from a bank statement: where a receipt stands, and finding its account.

A receipt is matched to an account by the first of these rules that names exactly one
account (RULES.md "Allocation and ageing"; issue 4 item 4):

1. **Identifiers in the reference**: an account reference, an invoice number, a statement
   number or a direct debit reference, written anywhere in the bank reference (upper or
   lower case, split by spaces or punctuation: ``cc 000101`` finds ``CC000101``). Payers
   are asked to quote the account reference, and the others are printed on what they are
   sent, so any of them identifies the account. An invoice number also names the invoice
   the payment is for. Identifiers naming two different accounts match neither.
2. **Payer and amount**: the payer's name (surname and first initial) is the client's or
   a representative's on exactly one account *and* the amount is exactly what that
   account's latest statement asked for. A name alone is not enough (names repeat across
   a county), nor an amount alone; together, and only when unique, they are how an
   officer places such a payment by hand.

Anything else goes to suspense with the reason, for an officer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from debtdesk.domain.money import Pence


class ReceiptStatus(StrEnum):
    MATCHED = "matched"  # posted to an account when imported
    SUSPENSE = "suspense"  # awaiting an officer
    RESOLVED = "resolved"  # an officer allocated, split or refunded it all


class SuspenseActionKind(StrEnum):
    ALLOCATE = "allocate"  # posted as a payment to an account (one part of a split, or all)
    REFUND = "refund"  # paid back to the payer; never reaches an account


class MatchRule(StrEnum):
    REFERENCE = "reference"
    PAYER_AND_AMOUNT = "payer_and_amount"
    OFFICER = "officer"
    NONE = "none"


@dataclass(frozen=True)
class MatchIndex:
    """What a receipt can be matched against, built by the import service.

    Identifier keys are upper case with spaces removed; names are :func:`name_key` keys.
    """

    accounts: Mapping[str, int]
    """Account reference -> account id."""
    mandates: Mapping[str, int]
    """Direct debit reference -> account id."""
    invoices: Mapping[str, tuple[int, int]]
    """Invoice number -> (account id, invoice id)."""
    statements: Mapping[str, int]
    """Statement number -> account id."""
    names_due: Mapping[tuple[str, str, Pence], frozenset[int]]
    """(surname, initial, latest statement's amount due) -> account ids."""


@dataclass(frozen=True)
class ReceiptMatch:
    account_id: int | None
    invoice_id: int | None
    rule: MatchRule
    reason: str
    """How it was matched, or why it went to suspense."""


_WORD = re.compile(r"[A-Z0-9]+")
_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "DR", "REV", "SIR", "DAME", "LADY", "LORD", "MX"})
_NOT_NAMES = _TITLES | frozenset(
    {"THE", "LATE", "OF", "AND", "ESTATE", "EXORS", "EXECUTORS", "DECD", "DECEASED"}
)


def identifier_key(identifier: str) -> str:
    """An identifier as :func:`candidate_identifiers` joins words: ``CC000101 MANDATE`` ->
    ``CC000101MANDATE``; what :class:`MatchIndex` is keyed on."""
    return "".join(_WORD.findall(identifier.upper()))


def candidate_identifiers(reference: str) -> Iterator[str]:
    """Each word of a reference, and each run of two or three words joined together."""
    words = _WORD.findall(reference.upper())
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            yield "".join(words[start : start + size])


def name_key(name: str) -> tuple[str, str] | None:
    """(surname, first initial) of a person's name, titles dropped; None if it has no two parts.

    ``Mrs Margaret Ellis``, ``M ELLIS`` and ``ELLIS M``-less forms like ``M. Ellis`` all
    give ``("ELLIS", "M")``.
    """
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )  # banks send plain letters: Zoë Brontë is ZOE BRONTE
    words = [w for w in re.findall(r"[A-Z][A-Z'-]*", plain.upper()) if w not in _NOT_NAMES]
    if len(words) < 2:
        return None
    return words[-1], words[0][0]


def match_receipt(
    reference: str, payer: str | None, amount: Pence, index: MatchIndex
) -> ReceiptMatch:
    """The account (and invoice) a receipt belongs to, by the rules in the module docstring."""
    accounts: dict[int, list[str]] = {}
    invoices: dict[int, set[int]] = {}
    for word in candidate_identifiers(reference):
        found: list[tuple[int, int | None]] = []
        if word in index.accounts:
            found.append((index.accounts[word], None))
        if word in index.mandates:
            found.append((index.mandates[word], None))
        if word in index.statements:
            found.append((index.statements[word], None))
        if word in index.invoices:
            found.append(index.invoices[word])
        for account_id, invoice_id in found:
            accounts.setdefault(account_id, []).append(word)
            if invoice_id is not None:
                invoices.setdefault(account_id, set()).add(invoice_id)
    if len(accounts) == 1:
        ((account_id, words),) = accounts.items()
        named_invoices = invoices.get(account_id, set())
        invoice_id = next(iter(named_invoices)) if len(named_invoices) == 1 else None
        return ReceiptMatch(account_id, invoice_id, MatchRule.REFERENCE, f"reference {words[0]}")
    if len(accounts) > 1:
        named = ", ".join(sorted({found[0] for found in accounts.values()}))
        return ReceiptMatch(
            None, None, MatchRule.NONE, f"the reference names more than one account ({named})"
        )
    key = name_key(payer) if payer else None
    if key is not None:
        candidates = index.names_due.get((*key, amount), frozenset())
        if len(candidates) == 1:
            return ReceiptMatch(
                next(iter(candidates)),
                None,
                MatchRule.PAYER_AND_AMOUNT,
                "payer's name and the amount of the latest statement",
            )
        if len(candidates) > 1:
            return ReceiptMatch(
                None,
                None,
                MatchRule.NONE,
                f"{len(candidates)} accounts have this payer's name and amount due",
            )
    return ReceiptMatch(None, None, MatchRule.NONE, "no account reference found")
