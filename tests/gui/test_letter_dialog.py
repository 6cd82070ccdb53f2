"""The letter dialog: preview each kind, write one's own letter, issue it, refusals said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from debtdesk.domain.documents import DocumentKind
from debtdesk.gui.account_view import STATEMENTS_TAB, AccountView
from debtdesk.gui.letter_dialog import LetterDialog, paragraphs
from debtdesk.services.accounts import Accounts
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database
from debtdesk.services.documents import Documents
from debtdesk.services.letters import Letters
from debtdesk.services.settings import Settings
from tests.gui.conftest import AS_OF


@pytest.fixture
def letters_db(demo_db: Database, tmp_path: Path) -> Database:
    """The demo caseload, its issued documents written under the test's folder."""
    Settings(demo_db).set("documents.folder", str(tmp_path / "documents"))
    return demo_db


def first_account(db: Database, customer_type: str) -> int:
    accounts = Accounts(db)
    for row in Caseload(db).page(CaseloadQuery(), 0, 100):
        detail = accounts.detail_by_id(row.id, AS_OF)
        overdue = any(i.days_overdue > 0 and i.outstanding > 0 for i in detail.open_invoices)
        if detail.customer_type == customer_type and overdue:
            return row.id
    raise AssertionError(f"no {customer_type} account with something overdue in the demo")


def choose(dialog: LetterDialog, kind: DocumentKind) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind.value))


def test_paragraphs_split_on_blank_lines() -> None:
    text = "First line\nstill the first.\n\n  \nSecond   one.\n\n\n"
    assert paragraphs(text) == ("First line still the first.", "Second one.")
    assert paragraphs(" \n\n ") == ()


def test_each_kind_previews_and_the_own_letter_needs_words(
    letters_db: Database, qtbot: QtBot
) -> None:
    account = first_account(letters_db, "INDIVIDUAL")
    dialog = LetterDialog(Letters(letters_db), account, AS_OF, "CC000001 Someone")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current_kind() is DocumentKind.REMINDER
    assert "Reminder" in dialog.preview.toPlainText()
    assert dialog.issue_button.isEnabled()
    assert not dialog.subject.isVisible()  # only for the officer's own letter

    choose(dialog, DocumentKind.FINAL_REMINDER)
    assert "Final reminder" in dialog.preview.toPlainText()

    choose(dialog, DocumentKind.LETTER)
    assert dialog.subject.isVisible() and dialog.body.isVisible()
    assert not dialog.issue_button.isEnabled()
    assert dialog.preview.toPlainText() == ""
    assert "Write a subject" in dialog.message.text()

    dialog.subject.setText("Your new contribution")
    dialog.body.setPlainText("We have looked again.\n\nYour contribution will go down.")
    assert not dialog.issue_button.isEnabled()  # not previewed yet
    qtbot.waitUntil(dialog.issue_button.isEnabled, timeout=3000)  # after a pause in typing
    text = dialog.preview.toPlainText()
    assert "Your new contribution" in text
    assert "We have looked again." in text and "Your contribution will go down." in text


def test_a_letter_of_claim_to_a_business_is_refused_plainly(
    letters_db: Database, qtbot: QtBot
) -> None:
    business = first_account(letters_db, "BUSINESS")
    dialog = LetterDialog(Letters(letters_db), business, AS_OF, "A business")
    qtbot.addWidget(dialog)
    choose(dialog, DocumentKind.LETTER_OF_CLAIM)
    text = dialog.message.text()
    assert "Pre-Action Protocol for Debt Claims is for debts of individuals" in text
    assert text[0].isupper() and text.endswith(".")
    assert not dialog.issue_button.isEnabled()
    dialog.issue()  # nothing happens: there is nothing previewed to issue
    assert Documents(letters_db).for_account(business) == []


def test_issuing_from_the_account_view_adds_a_row(
    letters_db: Database, settings: QSettings, qtbot: QtBot, tmp_path: Path
) -> None:
    account = first_account(letters_db, "INDIVIDUAL")
    view = AccountView(
        Accounts(letters_db),
        account,
        AS_OF,
        settings,
        documents=Documents(letters_db),
        letters=Letters(letters_db),
    )
    qtbot.addWidget(view)
    view.show()
    assert view.documents is not None
    table = view.documents.documents_table
    assert table.model().rowCount() == 0
    assert view.letter_action.isEnabled()

    view.letter_action.trigger()
    dialog = view.letter_dialog
    assert dialog is not None and dialog.isVisible()
    assert view.write_letter() is dialog  # one at a time
    choose(dialog, DocumentKind.LETTER)
    dialog.subject.setText("Your visit")
    dialog.body.setPlainText("Thank you for seeing us.")
    dialog.preview_now()
    with qtbot.waitSignal(dialog.issued) as issued:
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)

    line = issued.args[0]
    assert line.kind is DocumentKind.LETTER and line.pages == 1
    assert Path(line.path).is_relative_to(tmp_path) and Path(line.path).exists()
    assert dialog.message.text().startswith("Letter: Your visit issued (1 page)")
    assert not dialog.issue_button.isEnabled()  # not twice by accident
    assert table.model().rowCount() == 1
    assert table.model().index(0, 1).data() == "Letter: Your visit"
    assert view.documents.selected_document() == line.id
    assert view.tabs.currentIndex() == STATEMENTS_TAB
    assert [d.id for d in Documents(letters_db).for_account(account)] == [line.id]

    dialog.close()
    assert view.letter_dialog is None
