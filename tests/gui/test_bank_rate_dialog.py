"""Team ▸ Bank Rate history on a new database: the list, adding and withdrawing a decision,
refusals, a rate interest rests on, the known-to day.

A new database holds the shipped history (newest: 3.75% from 18/12/2025, added by
"debtdesk"), known to 18/06/2026; "tester" is an administrator (tests/conftest.py).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.gui.bank_rate_dialog import (
    USED_TIP,
    WITHDRAWN_TIP,
    AddRateDialog,
    BankRateDialog,
    WithdrawRateDialog,
)
from debtdesk.services import ledger
from debtdesk.services.bank_rates import BankRates, bank_rate_history
from debtdesk.services.database import Database, open_database
from debtdesk.services.interest_run import InterestRuns
from debtdesk.services.users import Users
from tests.gui.money_support import take_notice
from tests.services.support import add_account, snapshot

TODAY = date(2026, 7, 30)
SHIPPED = "Shipped with debtdesk (FACTS.md §2)"


def make_dialog(db: Database, qtbot: QtBot) -> BankRateDialog:
    dialog = BankRateDialog(BankRates(db), TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown(dialog: BankRateDialog, rows: int = 2) -> list[list[str]]:
    model = dialog.table.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(rows)
    ]


def add(dialog: BankRateDialog, qtbot: QtBot, day: date, rate: str, note: str) -> AddRateDialog:
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.dialog
    assert isinstance(form, AddRateDialog) and form.isVisible()
    form.effective.setDate(QDate(day.year, day.month, day.day))
    qtbot.keyClicks(form.rate, rate)
    qtbot.keyClicks(form.note, note)
    form.accept()
    return form


def test_the_history_is_listed_newest_first_and_a_decision_added(
    db: Database, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    dialog = make_dialog(db, qtbot)
    qtmodeltester.check(dialog.table.model())
    model = dialog.table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Effective from",
        "Rate",
        "Note",
        "Added by",
        "Status",
    ]
    assert model.rowCount() == 34
    assert shown(dialog) == [
        ["18/12/2025", "3.75%", SHIPPED, "debtdesk", "Not used yet"],
        ["07/08/2025", "4.00%", SHIPPED, "debtdesk", "Not used yet"],
    ]
    assert dialog.known_to_label.text() == (
        "Known to 18/06/2026: a reference date after it is worked out from the last "
        "decision and flagged."
    )
    assert dialog.withdraw_button.isEnabled()  # the newest is chosen, and nothing rests on it

    add(dialog, qtbot, date(2026, 7, 30), "4.00", "MPC 30 July 2026")
    assert dialog.dialog is None  # closed
    assert dialog.message.text() == "Added: Bank Rate 4.00% from 30/07/2026."
    assert shown(dialog) == [
        ["30/07/2026", "4.00%", "MPC 30 July 2026", "tester", "Not used yet"],
        ["18/12/2025", "3.75%", SHIPPED, "debtdesk", "Not used yet"],
    ]
    chosen = dialog.selected_line()
    assert chosen is not None and chosen.effective == date(2026, 7, 30)
    qtmodeltester.check(dialog.table.model())


def test_a_second_rate_for_a_day_or_a_bad_percentage_is_refused_and_nothing_added(
    db: Database, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    add(dialog, qtbot, date(2026, 7, 30), "4.00", "")
    before = snapshot(db.engine)

    form = add(dialog, qtbot, date(2026, 7, 30), "3.50", "again")
    assert take_notice(form.notice).startswith(
        "Bank Rate from 30/07/2026 is recorded already (4.00%)."
    )
    assert form.isVisible() and dialog.dialog is form  # to be put right
    form.rate.setText("4,5")
    form.accept()
    assert take_notice(form.notice).startswith("'4,5' is not a percentage (e.g. 3.75).")
    assert snapshot(db.engine) == before
    assert dialog.table.model().rowCount() == 35


def test_a_mistake_is_withdrawn_and_stays_listed(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    add(dialog, qtbot, date(2026, 7, 30), "4.00", "MPC 30 July 2026")
    assert dialog.withdraw_button.isEnabled()
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    form = dialog.dialog
    assert isinstance(form, WithdrawRateDialog) and form.isVisible()
    form.accept()  # no reason
    assert take_notice(form.notice).startswith("Say why the rate is withdrawn.")
    qtbot.keyClicks(form.reason, "Typed in before the announcement")
    form.accept()

    assert dialog.message.text() == "Withdrawn: Bank Rate 4.00% from 30/07/2026."
    assert shown(dialog, 1) == [
        [
            "30/07/2026",
            "4.00%",
            "MPC 30 July 2026",
            "tester",
            "Withdrawn: Typed in before the announcement",
        ]
    ]
    assert not dialog.withdraw_button.isEnabled()
    assert dialog.withdraw_button.toolTip() == WITHDRAWN_TIP
    assert dialog.withdraw_rate() is None
    with db.sessions() as s:  # the history in use is the shipped one again
        assert bank_rate_history(s).changes[-1].effective == date(2025, 12, 18)


def test_a_rate_interest_was_worked_out_with_cannot_be_withdrawn(
    db: Database, qtbot: QtBot
) -> None:
    """A debt due 15/01/2026 is charged at the rate in force on 31/12/2025: 3.75%."""
    with db.sessions.begin() as s:
        account = add_account(s, "BR000001", "Homes Ltd", type_code="BUSINESS")
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, date(2026, 1, 15), date(2026, 1, 15),
            [(EntryKind.CHARGE, 5_000_00, None, "Balance brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    InterestRuns(db).run(date(2026, 3, 16))
    dialog = make_dialog(db, qtbot)
    assert shown(dialog, 1) == [["18/12/2025", "3.75%", SHIPPED, "debtdesk", "In use"]]
    assert not dialog.withdraw_button.isEnabled()
    assert dialog.withdraw_button.toolTip() == USED_TIP
    dialog.table.selectRow(1)  # 4.00% from 07/08/2025: no reference date in its time
    assert dialog.withdraw_button.isEnabled()


def test_the_known_to_day_is_saved(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    assert dialog.known_to.date() == QDate(2026, 6, 18)
    dialog.known_to.setDate(QDate(2026, 7, 30))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert BankRates(db).known_to() == date(2026, 7, 30)
    assert dialog.message.text() == "The history is known to 30/07/2026."
    assert dialog.known_to_label.text().startswith("Known to 30/07/2026: ")
    assert dialog.save_button.isEnabled()


def test_an_officer_may_not_add_a_decision_or_save_the_known_to_day(
    db: Database, qtbot: QtBot
) -> None:
    Users(db).add("jsmith", "Jo Smith", UserRole.OFFICER)
    officer = open_database(db.url, actor="jsmith")
    try:
        before = snapshot(db.engine)
        dialog = make_dialog(officer, qtbot)
        form = add(dialog, qtbot, date(2026, 7, 30), "4.00", "")
        assert take_notice(form.notice).startswith("Jo Smith (officer) may not edit policy")
        form.close()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert take_notice(dialog.notice).startswith("Jo Smith (officer) may not edit policy")
        assert dialog.save_button.isEnabled()
        assert snapshot(db.engine) == before
    finally:
        officer.close()
