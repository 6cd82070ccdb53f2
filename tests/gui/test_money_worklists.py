"""The Payments menu on the demo caseload: imports, the suspense and failed-debit worklists."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.working_days import add_working_days
from debtdesk.gui import money_tables, prompts
from debtdesk.gui.account_view import PAYMENTS_TAB
from debtdesk.gui.failed_debits import FailedDebits
from debtdesk.gui.import_dialogs import ImportDialog
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.mandate_dialogs import RepresentDialog
from debtdesk.gui.suspense_dialogs import AllocateDialog, RefundDialog, SplitDialog
from debtdesk.gui.suspense_worklist import SuspenseWorklist
from debtdesk.gui.task_dialogs import CloseTaskDialog
from debtdesk.services.accounts import Accounts
from debtdesk.services.database import Database
from debtdesk.services.mandates import Mandates
from debtdesk.services.payments import Payments
from debtdesk.services.suspense import Suspense
from debtdesk.services.tasks import failed_debits
from tests.gui.conftest import AS_OF
from tests.gui.money_support import (
    accounts_by_mandate,
    batch_count,
    last_collected,
    represent_on,
    take_notice,
    write_arudd,
    write_bank_csv,
)

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def window(demo_window: MainWindow) -> MainWindow:
    return demo_window


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def import_file(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, kind: str, path: Path
) -> ImportDialog:
    """Payments ▸ Import …, Browse… to ``path``, Import."""
    menu = window.payments
    (menu.bacs_action if kind == "bacs" else menu.bank_action).trigger()
    dialog = menu.windows[kind]
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    monkeypatch.setattr(prompts, "ask_import_file", lambda *_args: path)
    click(qtbot, dialog.browse_button)
    assert dialog.path.text() == str(path)
    click(qtbot, dialog.import_button)
    return dialog


def test_the_payments_menu_sits_between_statements_and_help(
    settings: QSettings, qtbot: QtBot, demo_db: Database
) -> None:
    main = MainWindow(settings, today=lambda: AS_OF)
    qtbot.addWidget(main)
    titles = [action.text() for action in main.menuBar().actions()]
    assert titles == [
        "&File",
        "&View",
        "&Statements",
        "&Payments",
        "&Recovery",
        "Rep&orts",
        "&Team",
        "&Help",
    ]
    assert [a.text() for a in main.payments.actions] == [
        "Import &Bacs report…",
        "Import bank &statement…",
        "In&terest run…",
        "S&uspense worklist",
        "&Failed direct debits",
        "&Imports and runs",
        "Month-end &reconciliation…",
    ]
    assert not any(a.isEnabled() for a in main.payments.actions)  # no database yet
    main.open_location(demo_db.url)
    assert all(a.isEnabled() for a in main.payments.actions)
    main.close_database()


def test_a_refused_bank_statement_shows_why_and_changes_nothing(
    window: MainWindow, demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = batch_count(demo_db)
    dialog = import_file(window, qtbot, monkeypatch, "bank", DATA / "bank" / "bad_values.csv")
    text = take_notice(dialog.notice)
    assert text.startswith("bad_values.csv: refused, nothing was imported (6 problems):")
    assert "line 3, amount: '12,34' is not an amount in pounds" in text
    assert dialog.message.text() == "Nothing was imported."
    assert dialog.isVisible()  # to choose another file
    assert batch_count(demo_db) == batches
    assert Suspense(demo_db).worklist() == []

    dialog.profile.setCurrentIndex(dialog.profile.findData("lloyds"))  # type: ignore[union-attr]
    assert dialog.chosen_profile() == "lloyds"
    dialog.path.setText(str(DATA / "bank" / "generic.csv"))
    click(qtbot, dialog.import_button)  # a generic file read as Lloyds: refused
    assert "generic.csv: refused" in take_notice(dialog.notice)
    assert batch_count(demo_db) == batches


def test_a_bacs_report_refused_whole_or_imported_once(
    window: MainWindow,
    demo_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    batches = batch_count(demo_db)
    dialog = import_file(window, qtbot, monkeypatch, "bacs", DATA / "bacs" / "truncated.xml")
    assert "truncated.xml: refused, nothing was imported" in take_notice(dialog.notice)
    assert batch_count(demo_db) == batches

    account, _ = accounts_by_mandate(demo_db)
    [mandate] = Mandates(demo_db).for_account(account)
    collection = last_collected(mandate)
    arudd = write_arudd(demo_db, collection, tmp_path, AS_OF)
    dialog.path.setText(str(arudd))
    click(qtbot, dialog.import_button)
    assert dialog.notice is None or not dialog.notice.isVisible()
    assert dialog.message.text().startswith(f"Imported. {arudd.name}: ARUDD with 1 item,")
    assert dialog.path.text() == ""
    assert batch_count(demo_db) == batches + 1

    dialog.path.setText(str(arudd))
    click(qtbot, dialog.import_button)
    assert "was already imported" in take_notice(dialog.notice)
    assert batch_count(demo_db) == batches + 1


def test_the_failed_debit_worklist_opens_re_presents_and_closes(
    window: MainWindow,
    demo_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    window.payments.failed_action.trigger()
    worklist = window.payments.windows["failed"]
    assert isinstance(worklist, FailedDebits)
    assert worklist.summary.text() == "No failed direct debit is waiting for an officer."
    assert not worklist.open_button.isEnabled()

    account, _ = accounts_by_mandate(demo_db)
    [mandate] = Mandates(demo_db).for_account(account)
    collection = last_collected(mandate)
    debit = next(c for c in mandate.collections if c.id == collection)
    report = add_working_days(debit.collection_date, 2)
    import_file(
        window, qtbot, monkeypatch, "bacs", write_arudd(demo_db, collection, tmp_path, report)
    )
    [line] = failed_debits(demo_db)
    assert worklist.table.model().rowCount() == 1  # reloaded after the import
    qtmodeltester.check(worklist.table.model())
    row = [worklist.table.model().index(0, c).data() for c in range(8)]
    assert row[1:6] == [line.account_ref, line.client_name, line.title, "0", row[5]]
    assert row[5].startswith("£") and row[7].endswith("(ARUDD)")
    assert line.details in worklist.details.text()
    assert worklist.summary.text() == "1 open task, 1 overdue."

    click(qtbot, worklist.open_button)
    assert account in window.account_views

    click(qtbot, worklist.represent_button)
    dialog = worklist.dialog
    assert isinstance(dialog, RepresentDialog)
    on = add_working_days(debit.collection_date, 6)
    dialog.on.setDate(QDate(on.year, on.month, on.day))
    click(qtbot, dialog.ok_button)
    assert represent_on(demo_db, collection) == on
    assert "Tell the payer, then close the task" in worklist.message.text()

    click(qtbot, worklist.close_button)
    close = worklist.dialog
    assert isinstance(close, CloseTaskDialog)
    click(qtbot, close.ok_button)
    assert "Say what came of the task" in take_notice(close.notice)
    qtbot.keyClicks(close.outcome, "Payer told by phone; re-presented")
    click(qtbot, close.ok_button)
    assert failed_debits(demo_db) == []
    assert worklist.table.model().rowCount() == 0
    assert worklist.message.text() == f"Task for {line.account_ref} closed."


def test_the_suspense_worklist_allocates_splits_and_refunds(
    window: MainWindow,
    demo_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    account, other = accounts_by_mandate(demo_db)
    reference = Accounts(demo_db).detail_by_id(account, AS_OF).reference
    other_ref = Accounts(demo_db).detail_by_id(other, AS_OF).reference
    window.open_account(account)
    statement = write_bank_csv(
        tmp_path,
        ("02/11/2026", "100.00", "MYSTERY ONE", "John Smith"),
        ("03/11/2026", "60.00", "MYSTERY TWO", "Jane Doe"),
        ("04/11/2026", "25.50", "MYSTERY THREE", ""),
    )
    import_file(window, qtbot, monkeypatch, "bank", statement)
    window.payments.suspense_action.trigger()
    worklist = window.payments.windows["suspense"]
    assert isinstance(worklist, SuspenseWorklist)
    qtmodeltester.check(worklist.table.model())
    assert worklist.summary.text() == "3 receipts in suspense, £185.50."
    first = [worklist.table.model().index(0, c).data() for c in range(8)]
    assert first[:5] == ["02/11/2026", "£100.00", "£100.00", "MYSTERY ONE", "John Smith"]
    assert first[7] == f"{statement.name}, line 2"

    # Allocate the first: a wrong account is refused and the receipt stays.
    click(qtbot, worklist.allocate_button)
    allocate = worklist.dialog
    assert isinstance(allocate, AllocateDialog) and "John Smith" in allocate.intro.text()
    qtbot.keyClicks(allocate.account, "NOSUCH1")
    click(qtbot, allocate.ok_button)
    assert "No account 'NOSUCH1'." in take_notice(allocate.notice)
    assert len(Suspense(demo_db).worklist()) == 3
    allocate.account.clear()
    qtbot.keyClicks(allocate.account, reference.lower())
    click(qtbot, allocate.ok_button)
    assert [line.reference for line in worklist.lines] == ["MYSTERY TWO", "MYSTERY THREE"]
    assert worklist.message.text() == f"£100.00 received 02/11/2026 allocated to {reference}."
    view = window.account_views[account]
    assert view.payments is not None  # the open account's payments were reloaded
    view.tabs.setCurrentIndex(PAYMENTS_TAB)
    assert view.payments.lines == Payments(demo_db).for_account(account)
    assert "allocated from suspense" in view.payments.lines[0].source

    # Split the second: the parts must add up to what remains.
    click(qtbot, worklist.split_button)
    split = worklist.dialog
    assert isinstance(split, SplitDialog) and split.parts.rowCount() == 2
    split.parts.item(0, 0).setText("40")
    split.parts.item(0, 1).setText(reference)
    split.parts.item(1, 0).setText("10")
    assert split.total.text() == "Parts total £50.00 of £60.00; £10.00 still to place."
    click(qtbot, split.ok_button)
    assert "add up to £50.00 but £60.00 remains" in take_notice(split.notice)
    split.parts.item(1, 0).setText("1O")
    click(qtbot, split.ok_button)
    assert "Part 2: '1O' is not an amount in pounds." in take_notice(split.notice)
    split.parts.item(1, 0).setText("20")
    split.parts.item(1, 1).setText(other_ref)
    click(qtbot, split.add_button)
    split.parts.setCurrentCell(2, 0)
    split.parts.item(2, 0).setText("0.00")
    click(qtbot, split.remove_button)  # the third part goes again
    assert split.parts.rowCount() == 2
    assert split.total.text() == "Parts total £60.00 of £60.00: all placed."
    click(qtbot, split.ok_button)
    places = ", ".join(sorted([reference, other_ref]))
    assert worklist.message.text() == f"£60.00 received 03/11/2026 split in 2 parts to {places}."

    # Refund the last, which needs a reason.
    click(qtbot, worklist.refund_button)
    refund = worklist.dialog
    assert isinstance(refund, RefundDialog)
    click(qtbot, refund.ok_button)
    assert "Say why the receipt is refunded" in take_notice(refund.notice)
    qtbot.keyClicks(refund.note, "Not ours: returned to sender's bank 20-00-00 12345678")
    click(qtbot, refund.ok_button)
    assert Suspense(demo_db).worklist() == []
    assert worklist.summary.text() == "Nothing is waiting in suspense."
    assert not worklist.allocate_button.isEnabled()


def test_money_windows_close_with_the_database(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window.payments.suspense_action.trigger()
    window.payments.suspense_action.trigger()  # the same window again
    window.payments.failed_action.trigger()
    assert set(window.payments.windows) == {"suspense", "failed"}
    window.open_location(str(tmp_path / "other.sqlite"))
    assert window.payments.windows == {}
    assert window.payments.database is window.database


def test_the_money_tables_show_pounds_and_dates(demo_db: Database) -> None:
    model = money_tables.suspense_model(Suspense(demo_db).worklist())
    assert model.rowCount() == 0
    assert money_tables.sort_code("401234") == "40-12-34"
    assert money_tables.sort_code("****34") == "**-**-34"
    assert money_tables.method_label("returned_direct_debit") == "Direct debit returned"
    assert money_tables.method_label("bank_transfer") == "Bank transfer"
