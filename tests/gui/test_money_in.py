"""The account view's Direct debit and Payments tabs on the demo caseload, and their models."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.db.models import Mandate
from debtdesk.domain.working_days import add_working_days
from debtdesk.gui import money_tables
from debtdesk.gui.account_view import DIRECT_DEBIT_TAB, PAYMENTS_TAB, TAB_TITLES, AccountView
from debtdesk.gui.direct_debit_tab import DirectDebitTab
from debtdesk.gui.line_model import RAW_ROLE
from debtdesk.gui.mandate_dialogs import MandateReasonDialog, NewMandateDialog, RepresentDialog
from debtdesk.services.accounts import Accounts
from debtdesk.services.bacs_import import BacsImports
from debtdesk.services.database import Database
from debtdesk.services.mandates import Mandates
from debtdesk.services.payments import Payments
from tests.gui.conftest import AS_OF
from tests.gui.money_support import (
    accounts_by_mandate,
    last_collected,
    represent_on,
    take_notice,
    write_arudd,
)


def make_view(db: Database, account: int, settings: QSettings, qtbot: QtBot) -> AccountView:
    view = AccountView(
        Accounts(db), account, AS_OF, settings, payments=Payments(db), mandates=Mandates(db)
    )
    qtbot.addWidget(view)
    view.show()
    return view


def dd_tab(view: AccountView) -> DirectDebitTab:
    assert view.direct_debit is not None
    view.tabs.setCurrentIndex(DIRECT_DEBIT_TAB)
    return view.direct_debit


def cells(table: QWidget, row: int) -> list[str]:
    model = table.model()  # type: ignore[attr-defined]
    return [model.index(row, c).data() for c in range(model.columnCount())]


def headings(table: QWidget) -> list[str]:
    model = table.model()  # type: ignore[attr-defined]
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def returned(demo_db: Database, tmp_path: Path) -> tuple[int, int]:
    """A demo account whose latest direct debit an ARUDD returned: (account id, collection id)."""
    account, _ = accounts_by_mandate(demo_db)
    [mandate] = Mandates(demo_db).for_account(account)
    collection = last_collected(mandate)
    debit = next(c for c in mandate.collections if c.id == collection)
    report = add_working_days(debit.collection_date, 2)
    BacsImports(demo_db).apply(write_arudd(demo_db, collection, tmp_path, report))
    return account, collection


def test_money_models_pass_qt_model_tester(
    demo_db: Database, returned: tuple[int, int], qtmodeltester: ModelTester
) -> None:
    account, _ = returned
    [mandate] = Mandates(demo_db).for_account(account)
    payments = Payments(demo_db).for_account(account)
    for model in (
        money_tables.mandates_model([mandate]),
        money_tables.collections_model(mandate.collections),
        money_tables.history_model(mandate.history),
        money_tables.payments_model(payments),
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_the_account_view_has_payments_and_direct_debit_tabs(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    account, _ = accounts_by_mandate(demo_db)
    view = make_view(demo_db, account, settings, qtbot)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TAB_TITLES)
    assert view.tabs.widget(PAYMENTS_TAB) is view.payments
    assert view.tabs.widget(DIRECT_DEBIT_TAB) is view.direct_debit

    bare = AccountView(Accounts(demo_db), account, AS_OF, settings)
    qtbot.addWidget(bare)
    assert "not available" in bare.tabs.widget(PAYMENTS_TAB).text()
    assert "not available" in bare.tabs.widget(DIRECT_DEBIT_TAB).text()


def test_the_direct_debit_tab_shows_a_demo_mandate_masked(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    account, _ = accounts_by_mandate(demo_db)
    [mandate] = Mandates(demo_db).for_account(account)
    assert mandate.masked
    view = make_view(demo_db, account, settings, qtbot)
    tab = dd_tab(view)
    assert headings(tab.mandates_table)[:5] == [
        "Reference", "Status", "Payer", "Sort code", "Account number"
    ]  # fmt: skip
    reference, status, payer, sort_code, number, lodged, to_do, by = cells(tab.mandates_table, 0)
    assert (reference, status, payer) == (mandate.reference, "Live", mandate.payer_name)
    assert sort_code == f"**-**-{mandate.sort_code[-2:]}"
    assert number == "******" + mandate.account_number[-2:]
    assert lodged.count("/") == 2 and to_do == "" and by == "Imported"
    assert tab.selected_mandate() == mandate  # the first is chosen
    assert tab.collections_table.model().rowCount() == len(mandate.collections) > 0
    first = cells(tab.collections_table, 0)
    assert first[1].startswith("£") and first[2] in ("Collection", "First collection")
    alignment = tab.collections_table.model().index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(alignment) & Qt.AlignmentFlag.AlignRight
    assert f"Collections — {mandate.reference}" in tab._collections_box.title()
    # One active mandate at a time: New instruction waits for it to be cancelled.
    assert not tab.new_button.isEnabled()
    assert mandate.reference in tab.new_button.toolTip()
    assert tab.cancel_button.isEnabled()
    assert not tab.release_button.isEnabled()  # not on hold
    assert not tab.represent_button.isEnabled()  # no returned collection chosen


def test_a_new_instruction_through_the_dialog(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    _, account = accounts_by_mandate(demo_db)
    view = make_view(demo_db, account, settings, qtbot)
    tab = dd_tab(view)
    assert tab.mandates_table.model().rowCount() == 0
    assert tab.message.text() == "No direct debit instruction on this account."
    click(qtbot, tab.new_button)
    dialog = tab.dialog
    assert isinstance(dialog, NewMandateDialog) and dialog.isVisible()
    assert view.detail is not None and view.detail.reference in dialog.windowTitle()
    qtbot.keyClicks(dialog.reference, "wxtest0001")
    qtbot.keyClicks(dialog.payer, "Mrs Ann Payer")
    qtbot.keyClicks(dialog.sort_code, "4012")  # too short
    qtbot.keyClicks(dialog.account_number, "12345678")

    click(qtbot, dialog.ok_button)  # refused: the dialog stays to be put right
    assert "Sort code '4012': 6 digits." in take_notice(dialog.notice)
    assert dialog.isVisible() and Mandates(demo_db).for_account(account) == []

    dialog.sort_code.clear()
    qtbot.keyClicks(dialog.sort_code, "401234")
    qtbot.keyClick(dialog.account_number, Qt.Key.Key_Return)  # Enter is OK
    assert not dialog.isVisible()
    [mandate] = Mandates(demo_db).for_account(account)
    assert not mandate.masked  # the officer who keyed it sees the details
    row = cells(tab.mandates_table, 0)
    assert row[:5] == ["WXTEST0001", "Pending", "Mrs Ann Payer", "40-12-34", "12345678"]
    assert row[6] == "Send 0N at the next DD run" and row[7] == "tester"
    assert cells(tab.history_table, 0)[1:] == ["Created", "Instruction received from the payer",
                                               "tester"]  # fmt: skip
    assert "next DD run" in tab.message.text()
    assert not tab.new_button.isEnabled() and tab.cancel_button.isEnabled()

    # Cancelled before it was sent: no 0C is needed.
    click(qtbot, tab.cancel_button)
    cancel = tab.dialog
    assert isinstance(cancel, MandateReasonDialog)
    click(qtbot, cancel.ok_button)  # no reason given
    assert "Give the reason" in take_notice(cancel.notice)
    qtbot.keyClicks(cancel.reason, "Payer changed their mind")
    click(qtbot, cancel.ok_button)
    assert cells(tab.mandates_table, 0)[1] == "Cancelled"
    assert cells(tab.mandates_table, 0)[6] == ""
    assert tab.new_button.isEnabled() and not tab.cancel_button.isEnabled()


def test_release_a_hold_then_cancel_a_lodged_mandate(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    account, _ = accounts_by_mandate(demo_db)
    [mandate] = Mandates(demo_db).for_account(account)
    with demo_db.sessions.begin() as session:
        held = session.get(Mandate, mandate.id)
        assert held is not None
        held.hold_reason = "ADDACS B: account transferred"
    view = make_view(demo_db, account, settings, qtbot)
    tab = dd_tab(view)
    assert cells(tab.mandates_table, 0)[1] == "Live, on hold"
    assert tab.hold.text() == "Collections are on hold: ADDACS B: account transferred"
    click(qtbot, tab.release_button)
    release = tab.dialog
    assert isinstance(release, MandateReasonDialog)
    assert "account transferred" in release.intro.text()
    qtbot.keyClicks(release.reason, "Payer confirmed the new bank")
    click(qtbot, release.ok_button)
    assert cells(tab.mandates_table, 0)[1] == "Live" and tab.hold.isHidden()
    assert cells(tab.history_table, 0)[1:3] == ["Released", "Payer confirmed the new bank"]
    assert not tab.release_button.isEnabled()

    click(qtbot, tab.cancel_button)
    cancel = tab.dialog
    assert isinstance(cancel, MandateReasonDialog) and "0C" in cancel.intro.text()
    qtbot.keyClicks(cancel.reason, "Moving to a payment plan by card")
    click(qtbot, cancel.ok_button)
    assert cells(tab.mandates_table, 0)[1] == "Cancelled"
    assert cells(tab.mandates_table, 0)[6] == "Send 0C at the next DD run"
    assert [e.kind for e in Mandates(demo_db).for_account(account)[0].history] == [
        "released",
        "cancel_requested",
    ]


def test_re_present_a_returned_collection(
    demo_db: Database, returned: tuple[int, int], settings: QSettings, qtbot: QtBot
) -> None:
    account, collection = returned
    view = make_view(demo_db, account, settings, qtbot)
    tab = dd_tab(view)
    model = tab.collections_table.model()
    row = next(r for r in range(model.rowCount()) if model.record(r).id == collection)
    assert cells(tab.collections_table, row)[3] == "Returned"
    assert cells(tab.history_table, 0)[1] == "Returned debit"
    tab.collections_table.selectRow(row + 1)
    assert not tab.represent_button.isEnabled()  # a collected debit
    tab.collections_table.selectRow(row)
    click(qtbot, tab.represent_button)
    dialog = tab.dialog
    assert isinstance(dialog, RepresentDialog)
    assert "was returned unpaid" in dialog.intro.text()

    debit = model.record(row)
    dialog.on.setDate(QDate(2030, 1, 7))  # far more than a month later: refused
    click(qtbot, dialog.ok_button)
    assert "Re-present on a working day after" in take_notice(dialog.notice)
    assert represent_on(demo_db, collection) is None

    on = add_working_days(debit.collection_date, 6)
    dialog.on.setDate(QDate(on.year, on.month, on.day))
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert represent_on(demo_db, collection) == on
    assert "re-present" in tab.message.text()


def test_the_payments_tab_lists_payments_with_their_source(
    demo_db: Database, returned: tuple[int, int], settings: QSettings, qtbot: QtBot
) -> None:
    account, _ = returned
    lines = Payments(demo_db).for_account(account)
    view = make_view(demo_db, account, settings, qtbot)
    assert view.payments is not None
    view.tabs.setCurrentIndex(PAYMENTS_TAB)
    table = view.payments.table
    assert headings(table) == [
        "Date", "Type", "Method", "Amount", "Reference", "Description", "Source"
    ]  # fmt: skip
    assert table.model().rowCount() == len(lines) > 2
    first = cells(table, 0)  # newest first: the ARUDD's returned payment
    assert first[1] == "Returned payment" and first[3].startswith("-£")
    assert first[6].startswith("ARUDD arudd-")
    assert table.model().index(0, 6).data(Qt.ItemDataRole.ToolTipRole) == first[6]
    returned_row = next(r for r, line in enumerate(lines) if line.returned)
    assert cells(table, returned_row)[1] == "Payment, returned unpaid"
    assert table.model().index(returned_row, 3).data(RAW_ROLE) == lines[returned_row].amount
    assert "1 returned unpaid" in view.payments.summary.text()


def test_the_tabs_are_keyboard_reachable_and_named(
    demo_db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    account, _ = accounts_by_mandate(demo_db)
    view = make_view(demo_db, account, settings, qtbot)
    tab = dd_tab(view)
    for table in (tab.mandates_table, tab.collections_table, tab.history_table):
        assert table.accessibleName() and table.focusPolicy() & Qt.FocusPolicy.TabFocus
    for button in (tab.new_button, tab.cancel_button, tab.release_button, tab.represent_button):
        assert "&" in button.text()  # a mnemonic
    assert tab.message.accessibleName()
