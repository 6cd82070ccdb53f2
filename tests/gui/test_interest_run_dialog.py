"""Payments ▸ Interest run… on a real database, worked by hand (FACTS.md §1.2).

A business customer (BUSINESS: 30 days' terms, interest on) owes an opening balance of
£5,000 due 15/01/2026. At 16/03/2026 it is 60 days late; the reference date is
31/12/2025, Bank Rate then 3.75%, so the statutory rate is 11.75%: £5,000 × 11.75% ×
60 / 365 = £96.575…, £96.58; compensation on £1,000–£9,999.99 is £70.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from debtdesk.domain.caseload import InvoiceKind, UserRole
from debtdesk.domain.ledger import EntryKind, EntrySource
from debtdesk.gui.interest_run_dialog import InterestRunDialog
from debtdesk.gui.main_window import MainWindow
from debtdesk.services import ledger
from debtdesk.services.database import Database
from debtdesk.services.interest_run import InterestRunResult, InterestRuns
from debtdesk.services.settings import Settings
from debtdesk.services.users import Users
from tests.services.support import add_account, table_counts

RUN_DAY = date(2026, 3, 16)


@pytest.fixture
def debt(db: Database) -> int:
    """An account owing one opening balance of £5,000, dated and due 15/01/2026."""
    due = date(2026, 1, 15)
    with db.sessions.begin() as s:
        account = add_account(s, "LP000001", "LP000001 Ltd", type_code="BUSINESS")
        ledger.raise_invoice(
            s, account, InvoiceKind.OPENING_BALANCE, due, due,
            [(EntryKind.CHARGE, 5_000_00, None, "Balance brought forward")],
            source=EntrySource.USER, actor="tester",
        )  # fmt: skip
    return account


def make_dialog(db: Database, qtbot: QtBot, today: date = RUN_DAY) -> InterestRunDialog:
    dialog = InterestRunDialog(InterestRuns(db), today)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run(dialog: InterestRunDialog, qtbot: QtBot) -> None:
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert not dialog.running and dialog.run_button.isEnabled()


def test_the_run_posts_the_worked_example_once_and_refuses_an_earlier_date(
    db: Database, debt: int, qtbot: QtBot
) -> None:
    dialog = make_dialog(db, qtbot)
    assert dialog.chosen_date() == RUN_DAY  # today
    assert not dialog.message.isVisible() and not dialog.warning.isVisible()
    with qtbot.waitSignal(dialog.run_finished) as finished:
        run(dialog, qtbot)
    result = finished.args[0]  # type: ignore[index]
    assert isinstance(result, InterestRunResult)
    assert (result.invoices, result.interest, result.compensation) == (1, 96_58, 70_00)
    assert dialog.message.text() == (
        "Interest run for 16/03/2026: 1 invoice(s), interest £96.58, compensation £70.00."
    )
    assert not dialog.warning.isVisible()

    before = table_counts(db.engine)
    run(dialog, qtbot)  # the same date again
    assert dialog.message.text() == (
        "Interest run for 16/03/2026: 0 invoice(s), interest £0.00, compensation £0.00; "
        "the run for 16/03/2026 was made already."
    )
    assert table_counts(db.engine) == before

    dialog.set_date(date(2026, 3, 15))
    with qtbot.assertNotEmitted(dialog.run_finished):
        run(dialog, qtbot)
    assert not dialog.message.isVisible()
    assert dialog.warning.isVisible() and dialog.warning.text() == (
        "The last interest run was for 16/03/2026; a run for an earlier date (15/03/2026) "
        "cannot be made. Nothing was posted."
    )
    assert dialog.run_date.isEnabled() and dialog.isVisible()  # to change the date
    assert table_counts(db.engine) == before


def test_a_reference_date_after_the_known_day_is_warned_about(
    db: Database, debt: int, qtbot: QtBot
) -> None:
    Settings(db).set("interest.bank_rate_known_to", "2025-12-01")
    dialog = make_dialog(db, qtbot)
    run(dialog, qtbot)
    assert dialog.message.text() == (
        "Interest run for 16/03/2026: 1 invoice(s), interest £96.58, compensation £70.00."
    )
    assert dialog.warning.isVisible() and dialog.warning.text() == (
        "1 invoice(s) use a reference date after 01/12/2025, the day the Bank Rate history "
        "is known to: check for newer Bank Rate decisions."
    )


def test_a_date_after_today_is_noted(db: Database, qtbot: QtBot) -> None:
    dialog = make_dialog(db, qtbot)
    assert not dialog.note.isVisible()
    dialog.set_date(date(2026, 3, 17))
    assert dialog.note.isVisible() and dialog.note.text().startswith("17/03/2026 is after today: ")


@pytest.fixture
def window(db: Database, settings: QSettings, qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow(settings, today=lambda: RUN_DAY)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.database_opened, timeout=10_000):
        main.open_location(db.url)
    yield main
    main.close()
    main.close_database()


def test_the_payments_menu_opens_one_run_dialog_and_a_run_refreshes_balances(
    window: MainWindow, debt: int, qtbot: QtBot
) -> None:
    assert window.payments.interest_action.isVisible()  # an administrator runs batches
    window.payments.interest_action.trigger()
    dialog = window.payments.windows["interest"]
    assert isinstance(dialog, InterestRunDialog) and dialog.isVisible()
    assert window.payments.open_interest_run() is dialog  # raised again, not a second one
    with qtbot.waitSignal(window.payments.money_posted):
        run(dialog, qtbot)


def test_a_login_that_may_not_run_batches_does_not_see_the_run(
    db: Database, settings: QSettings, qtbot: QtBot
) -> None:
    Users(db).change(getpass.getuser(), role=UserRole.OFFICER)
    main = MainWindow(settings, today=lambda: RUN_DAY)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.database_opened, timeout=10_000):
        main.open_location(db.url)
    try:
        assert not main.payments.interest_action.isVisible()
        assert main.payments.suspense_action.isVisible()
    finally:
        main.close_database()
