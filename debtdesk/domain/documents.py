"""The kinds of document debtdesk issues, and the template each is made from."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    STATEMENT = "statement"
    REMINDER = "reminder"
    FINAL_REMINDER = "final_reminder"
    LETTER_OF_CLAIM = "letter_of_claim"
    LETTER = "letter"  # an officer's own letter
    PRINT_FILE = "print_file"  # a run's merged file for the print room


LETTER_KINDS = (
    DocumentKind.REMINDER,
    DocumentKind.FINAL_REMINDER,
    DocumentKind.LETTER_OF_CLAIM,
    DocumentKind.LETTER,
)
"""The letters debtdesk issues to one account (an officer's, or a recovery stage's)."""

# The template (in resources/templates/) each kind is rendered from.
TEMPLATES = {
    DocumentKind.STATEMENT: "statement.html",
    DocumentKind.REMINDER: "reminder.html",
    DocumentKind.FINAL_REMINDER: "final_reminder.html",
    DocumentKind.LETTER_OF_CLAIM: "letter_of_claim.html",
    DocumentKind.LETTER: "letter.html",
}

TITLES = {
    DocumentKind.STATEMENT: "Statement of account",
    DocumentKind.REMINDER: "Reminder",
    DocumentKind.FINAL_REMINDER: "Final reminder",
    DocumentKind.LETTER_OF_CLAIM: "Letter of claim",
    DocumentKind.LETTER: "Letter",
    DocumentKind.PRINT_FILE: "Print file",
}
