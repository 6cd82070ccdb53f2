"""The account view's Statements tab after a statement run: lists, open, preview, print."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.documents import DocumentKind
from debtdesk.gui import desktop, printing
from debtdesk.gui.account_documents import documents_model, statements_model
from debtdesk.gui.account_view import STATEMENTS_TAB, AccountView
from debtdesk.gui.line_model import RAW_ROLE
from debtdesk.services.accounts import Accounts
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database, open_database
from debtdesk.services.documents import Documents, StatementLine
from debtdesk.services.letters import Letters
from debtdesk.services.settings import Settings
from debtdesk.services.statement_run import StatementRuns
from tests.gui.conftest import AS_OF

PERIOD_END = date(2026, 12, 6)  # the demo's next period due
REPRINTED_ON = date(2026, 12, 10)


@pytest.fixture(scope="session")
def issued_template(
    demo_template: Path | None, tmp_path_factory: pytest.TempPathFactory
) -> Path | None:
    """On SQLite, the demo caseload after the next statement run, made once per session."""
    if demo_template is None:
        return None
    path = tmp_path_factory.mktemp("issued") / "issued.sqlite"
    shutil.copyfile(demo_template, path)
    database = open_database(str(path), actor="tester")
    try:
        StatementRuns(database).run(PERIOD_END)
    finally:
        database.close()
    return path


@pytest.fixture
def issued_db(
    request: pytest.FixtureRequest, tmp_path: Path, issued_template: Path | None
) -> Iterator[Database]:
    """A demo caseload whose statements have been issued; new documents go under tmp_path."""
    if issued_template is None:  # PostgreSQL: run it in the test's own database
        database: Database = request.getfixturevalue("demo_db")
        StatementRuns(database).run(PERIOD_END, tmp_path / "run")
    else:
        copy = tmp_path / "issued.sqlite"
        shutil.copyfile(issued_template, copy)
        database = open_database(str(copy), actor="tester")
    Settings(database).set("documents.folder", str(tmp_path / "documents"))
    yield database
    if issued_template is not None:
        database.close()


@pytest.fixture
def account_id(issued_db: Database) -> int:
    """The first account in the caseload with a statement and something overdue."""
    documents = Documents(issued_db)
    accounts = Accounts(issued_db)
    for row in Caseload(issued_db).page(CaseloadQuery(), 0, 50):
        overdue = any(
            i.days_overdue > 0 for i in accounts.detail_by_id(row.id, AS_OF).open_invoices
        )
        if overdue and documents.statements(row.id):
            return row.id
    raise AssertionError("no account was given a statement")


def make_view(db: Database, account: int, settings: QSettings, qtbot: QtBot) -> AccountView:
    view = AccountView(
        Accounts(db), account, AS_OF, settings, documents=Documents(db), letters=Letters(db)
    )
    qtbot.addWidget(view)
    view.show()
    view.tabs.setCurrentIndex(STATEMENTS_TAB)
    return view


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_document_models_pass_qt_model_tester(
    issued_db: Database, account_id: int, qtmodeltester: ModelTester
) -> None:
    Letters(issued_db).issue(account_id, DocumentKind.REMINDER, AS_OF)
    documents = Documents(issued_db)
    statements = statements_model(documents.statements(account_id))
    others = documents_model(documents.for_account(account_id))
    assert statements.rowCount() == 1 and others.rowCount() == 1  # the statement is not repeated
    qtmodeltester.check(statements)
    qtmodeltester.check(others)


def test_the_statements_tab_lists_what_was_issued(
    issued_db: Database, account_id: int, settings: QSettings, qtbot: QtBot
) -> None:
    view = make_view(issued_db, account_id, settings, qtbot)
    assert view.documents is not None
    [statement] = Documents(issued_db).statements(account_id)
    table = view.documents.statements_table
    model = table.model()
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == statement.number
    assert model.index(0, 1).data() == "07/12/2026"
    assert model.index(0, 2).data() == "09/11/2026 to 06/12/2026"
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    closing, due = headings.index("Closing balance"), headings.index("Amount due")
    assert model.index(0, closing).data(RAW_ROLE) == statement.closing_balance
    assert model.index(0, due).data().startswith("£")
    assert view.documents.documents_table.model().rowCount() == 0
    assert not view.documents.open_button.isEnabled()  # nothing chosen yet

    table.selectRow(0)
    assert view.documents.selected_document() == statement.document_id
    assert view.documents.open_button.isEnabled()


def test_open_hands_the_archived_pdf_to_the_desktop(
    issued_db: Database,
    account_id: int,
    settings: QSettings,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(desktop, "open_path", lambda path: opened.append(Path(path)) or True)
    view = make_view(issued_db, account_id, settings, qtbot)
    assert view.documents is not None
    view.documents.statements_table.selectRow(0)
    qtbot.mouseClick(view.documents.open_button, Qt.MouseButton.LeftButton)
    [line] = [d for d in Documents(issued_db).for_account(account_id)]
    assert opened == [Path(line.path or "")]

    # A letter whose file has gone opens as a copy written to a temporary file.
    letter = Letters(issued_db).issue(account_id, DocumentKind.LETTER, AS_OF, "Hello", ("Text",))
    Path(letter.path or "").unlink()
    view.documents.reload(select_document=letter.id)
    qtbot.mouseClick(view.documents.open_button, Qt.MouseButton.LeftButton)
    assert opened[-1].parent.name == desktop.TEMP_FOLDER
    assert "COPY printed on" in pdf_text(opened[-1])
    assert "copy" in view.documents.message.text()
    opened[-1].unlink()


def test_reprint_opens_a_print_preview(
    issued_db: Database, account_id: int, settings: QSettings, qtbot: QtBot
) -> None:
    view = make_view(issued_db, account_id, settings, qtbot)
    assert view.documents is not None
    view.documents.statements_table.selectRow(0)
    qtbot.mouseClick(view.documents.preview_button, Qt.MouseButton.LeftButton)
    preview = view.documents.preview
    assert isinstance(preview, QPrintPreviewDialog)
    assert preview.isVisible()
    assert "Statement of account" in preview.windowTitle()
    preview.close()


def test_painting_a_reprint_marks_only_a_copy(
    issued_db: Database, account_id: int, tmp_path: Path
) -> None:
    documents = Documents(issued_db)
    [statement] = documents.statements(account_id)
    original = documents.reprint(statement.document_id, REPRINTED_ON)
    assert not original.is_copy and original.logo
    assert printing.paint(pdf_printer(tmp_path / "original.pdf"), original) == 1
    text = pdf_text(tmp_path / "original.pdf")
    assert statement.number in text and "Page 1 of 1" in text
    assert "COPY" not in text

    letter = Letters(issued_db).issue(account_id, DocumentKind.REMINDER, AS_OF)
    Path(letter.path or "").unlink()  # the archived file has gone: a reprint is a copy
    copy = documents.reprint(letter.id, REPRINTED_ON)
    assert copy.is_copy
    printing.paint(pdf_printer(tmp_path / "copy.pdf"), copy)
    text = pdf_text(tmp_path / "copy.pdf")
    assert "COPY printed on 10/12/2026 of the reminder issued on 20/11/2026" in text
    assert "Reminder" in text


def test_print_asks_for_a_printer_and_prints(
    issued_db: Database,
    account_id: int,
    settings: QSettings,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "new_printer", lambda: pdf_printer(out))
    monkeypatch.setattr(QPrintDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    view = make_view(issued_db, account_id, settings, qtbot)
    assert view.documents is not None
    view.documents.statements_table.selectRow(0)
    qtbot.mouseClick(view.documents.print_button, Qt.MouseButton.LeftButton)
    [statement] = Documents(issued_db).statements(account_id)
    assert statement.number in pdf_text(out)
    assert view.documents.message.text().startswith("Sent Account")


def test_the_tab_without_an_archive_says_so(
    issued_db: Database, account_id: int, settings: QSettings, qtbot: QtBot
) -> None:
    view = AccountView(Accounts(issued_db), account_id, AS_OF, settings)
    qtbot.addWidget(view)
    assert view.documents is None
    assert "not available" in view.tabs.widget(STATEMENTS_TAB).text()
    assert not view.letter_action.isEnabled()


def test_received_shows_payments_as_negative_amounts() -> None:
    line = StatementLine(
        "ST1", date(2026, 11, 9), date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 21),
        0, 100, -50, 50, 50, "Mr A", 1,
    )  # fmt: skip
    model = statements_model([line])
    assert model.index(0, 4).data() == "-£0.50"  # received: payments are negative
