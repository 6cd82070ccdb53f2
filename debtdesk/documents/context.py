"""What a template is given: the council's details and the document's own facts.

Services fill these from the database and settings; templates in resources/templates/
read them. Every field is plain data (text, dates, pence), so a team can edit a template
knowing exactly what it may print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from debtdesk.domain.correspondence import Addressee
from debtdesk.domain.money import Pence
from debtdesk.domain.statements import Statement


@dataclass(frozen=True)
class Council:
    """The sender: name, address, contacts, logo and how to pay (from settings)."""

    name: str
    address_lines: tuple[str, ...]
    phone: str
    email: str
    website: str
    logo: str  # path to an image file, or "" for none
    bank_account_name: str
    bank_sort_code: str  # six digits, printed as 12-34-56
    bank_account_number: str
    card_payments: str  # how to pay by card (a phone line and web page)
    cheques_payable_to: str
    service_user_number: str  # Bacs SUN, printed on direct debit notices ("" if not set)

    @property
    def bank_transfer(self) -> bool:
        """Whether the bank details are set, so a document can print them."""
        return bool(self.bank_sort_code and self.bank_account_number)


@dataclass(frozen=True)
class OpenItem:
    """An invoice still owed, as a letter lists it."""

    number: str
    issued: dt.date
    due: dt.date
    amount: Pence
    outstanding: Pence
    days_overdue: int


@dataclass(frozen=True)
class Letter:
    """A letter about an account: reminders, the letter of claim, an officer's letter.

    Attributes:
        date: The date the letter is sent (printed near the top).
        reference: The account reference (every letter shows it).
        client_name: The client the account is for.
        addressee: Where it goes and how it greets.
        balance: What the account owes at ``date``.
        overdue: What of it is past its due date.
        items: The invoices still owed, oldest first.
        pay_by: The date by which to pay or reply.
        officer_name: Who to contact.
        officer_phone: Their phone number.
        subject: The subject line (an officer's letter; the others have their own).
        paragraphs: The body of an officer's letter, one paragraph each.
        interest_continuing: Whether interest or other charges are being added.
        deceased: Whether the client has died (the letter goes to the estate).
    """

    date: dt.date
    reference: str
    client_name: str
    addressee: Addressee
    balance: Pence
    overdue: Pence
    items: tuple[OpenItem, ...]
    pay_by: dt.date
    officer_name: str
    officer_phone: str
    subject: str = ""
    paragraphs: tuple[str, ...] = field(default_factory=tuple)
    interest_continuing: bool = False
    deceased: bool = False
    agreement_date: dt.date | None = None  # the written notice of the financial assessment
    plan_note: str = ""  # why instalments offered or being paid are not acceptable


@dataclass(frozen=True)
class Page:
    """The document itself, as the letterhead and footer print it.

    Attributes:
        kind: ``statement``, ``reminder``, ``final_reminder``, ``letter_of_claim``, ``letter``.
        title: What the document is ("Statement of account").
        reference: The account reference.
        number: The statement number, or "" for a letter.
        date: The document's date.
        copy_note: "" on the original; on a reprint, what says it is a copy.
    """

    kind: str
    title: str
    reference: str
    number: str
    date: dt.date
    copy_note: str = ""


__all__ = ["Council", "Letter", "OpenItem", "Page", "Statement"]
