"""The small fields every form is made of, named for screen readers, and amounts in
pounds as they are typed and read back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from debtdesk.domain.money import MoneyError, Pence, parse_pounds
from debtdesk.gui.formatting import money
from debtdesk.services.errors import BadInput


def titled(title: str, account_label: str) -> str:
    """A dialog's title naming the account it acts on, when there is one."""
    return f"{title} — {account_label}" if account_label else title


def line_edit(name: str, parent: QWidget, placeholder: str = "", text: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def note_label(name: str, parent: QWidget) -> QLabel:
    """A wrapping plain-text label (text from people is never read as markup)."""
    label = QLabel("", parent)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def text_box(name: str, parent: QWidget, placeholder: str) -> QPlainTextEdit:
    """A few lines of free text; Tab moves on, as in every other field."""
    edit = QPlainTextEdit(parent)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
    return edit


def pounds_text(pence: Pence) -> str:
    """``150000`` -> ``1,500.00``: an amount as it is typed in a pounds field."""
    return money(pence).replace("£", "")


def read_pounds(text: str, what: str, blank: Pence | None = None) -> Pence:
    """Pence from what was typed in a pounds field.

    Args:
        what: the field, as the refusal names it.
        blank: what an empty field means; None: it must be filled in.

    Raises:
        BadInput: the field is empty (and must not be) or is not an amount in pounds.
    """
    if not text.strip():
        if blank is None:
            raise BadInput(f"give the {what.lower()}")
        return blank
    try:
        return parse_pounds(text)
    except MoneyError as error:
        raise BadInput(f"{what}: {error}") from None
